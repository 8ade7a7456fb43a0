package contexts

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Tool is a Grafana command-line tool whose config file holds contexts.
type Tool string

// The tools whose config files Licensedesk reads.
const (
	Grafanactl Tool = "grafanactl"
	GCX        Tool = "gcx"
)

// Tools lists them in the order the window offers and reads them.
var Tools = []Tool{Grafanactl, GCX}

// ParseTool reads a tool's name as --from gives it.
func ParseTool(name string) (Tool, error) {
	for _, t := range Tools {
		if strings.EqualFold(name, string(t)) {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown tool %q: use grafanactl or gcx", name)
}

// envVar is the variable the tool takes its config file's path from,
// before any default place.
func (t Tool) envVar() string {
	if t == GCX {
		return "GCX_CONFIG"
	}
	return "GRAFANACTL_CONFIG"
}

// places are where the tool itself reads its config file, in its own
// order: its variable alone when set; else grafanactl reads the XDG config
// home, and gcx ~/.config first, then the XDG config home.
func (t Tool) places(getenv func(string) string) ([]string, error) {
	if p := getenv(t.envVar()); p != "" {
		return []string{p}, nil
	}
	var dirs []string
	if t == GCX {
		if home := homeDir(getenv); home != "" {
			dirs = append(dirs, filepath.Join(home, ".config"))
		}
	}
	if x := xdgConfigHome(getenv); x != "" && (len(dirs) == 0 || dirs[0] != x) {
		dirs = append(dirs, x)
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("cannot tell where %s keeps its config: neither HOME nor XDG_CONFIG_HOME is set; name the file", t)
	}
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = filepath.Join(d, string(t), "config.yaml")
	}
	return out, nil
}

// DefaultPath is the config file the tool reads when given none: the first
// of its places that exists, else the first place, for an error to name.
func DefaultPath(t Tool, getenv func(string) string) (string, error) {
	places, err := t.places(getenv)
	if err != nil {
		return "", err
	}
	for _, p := range places {
		if isFile(p) {
			return p, nil
		}
	}
	return places[0], nil
}

// Source is a tool's config file found in its default place.
type Source struct {
	Tool Tool
	Path string
}

// Found lists the tools whose config file exists in its default place;
// the window offers their contexts only then.
func Found(getenv func(string) string) []Source {
	var out []Source
	seen := map[string]bool{}
	for _, t := range Tools {
		p, err := DefaultPath(t, getenv)
		if err != nil || !isFile(p) || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, Source{Tool: t, Path: p})
	}
	return out
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// homeDir is os.UserHomeDir read through getenv, so tests choose it.
func homeDir(getenv func(string) string) string {
	if runtime.GOOS == "windows" {
		return getenv("USERPROFILE")
	}
	return getenv("HOME")
}

// xdgConfigHome is where both tools' XDG library (adrg/xdg) puts config:
// $XDG_CONFIG_HOME on every system, else ~/.config, ~/Library/Application
// Support on macOS and %LOCALAPPDATA% on Windows.
func xdgConfigHome(getenv func(string) string) string {
	if x := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(x) {
		return x
	}
	switch runtime.GOOS {
	case "windows":
		if l := getenv("LOCALAPPDATA"); l != "" {
			return l
		}
		if home := homeDir(getenv); home != "" {
			return filepath.Join(home, "AppData", "Local")
		}
		return ""
	case "darwin":
		if home := homeDir(getenv); home != "" {
			return filepath.Join(home, "Library", "Application Support")
		}
		return ""
	}
	if home := homeDir(getenv); home != "" {
		return filepath.Join(home, ".config")
	}
	return ""
}
