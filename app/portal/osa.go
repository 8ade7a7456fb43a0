package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"

	"github.com/licensedesk/licensedesk/internal/words"
)

// osaScript is the JavaScript for Automation that osascript runs on macOS to
// show the system's open or save panel; it prints the POSIX path chosen.
// What to ask comes as one JSON argument, so a title, folder or file name
// is never read as code.
const osaScript = `function run(argv) {
	var o = JSON.parse(argv[0]);
	var app = Application.currentApplication();
	app.includeStandardAdditions = true;
	app.activate();
	var opts = {};
	if (o.prompt) opts.withPrompt = o.prompt;
	if (o.folder) opts.defaultLocation = o.folder;
	if (o.save) {
		if (o.name) opts.defaultName = o.name;
		return app.chooseFileName(opts).toString();
	}
	if (o.types && o.types.length) opts.ofType = o.types;
	return app.chooseFile(opts).toString();
}`

// osaRequest is the argument osaScript reads.
type osaRequest struct {
	Save   bool     `json:"save,omitempty"`
	Prompt string   `json:"prompt,omitempty"`
	Folder string   `json:"folder,omitempty"`
	Name   string   `json:"name,omitempty"`
	Types  []string `json:"types,omitempty"` // file name extensions, without the dot
}

// osaCancelled is how osascript reports the user's Cancel: error -128.
const osaCancelled = "(-128)"

// osaChoose shows the macOS open (or, with save, save) panel through the
// osascript program at exe and returns the path chosen; "" when the user
// cancelled. A panel that cannot be shown (no osascript, or Automation
// refused) is ErrUnavailable, so the window shows its own chooser.
func osaChoose(ctx context.Context, exe string, save bool, r Request) (string, error) {
	req := osaRequest{Save: save, Prompt: r.Title, Folder: r.Folder}
	if save {
		req.Name = r.Name
	} else {
		for _, e := range r.Extensions {
			if t := strings.ToLower(trimDot(e)); t != "" && !slices.Contains(req.Types, t) {
				req.Types = append(req.Types, t)
			}
		}
	}
	arg, err := json.Marshal(req)
	if err != nil {
		return "", err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, exe, "-l", "JavaScript", "-e", osaScript, string(arg))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return "", ctx.Err()
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && strings.Contains(stderr.String(), osaCancelled):
		return "", nil
	case errors.As(err, &exit):
		return "", fmt.Errorf("the system file panel did not open (%s): %w", words.Shorten(words.OneLine(stderr.String()), 200), ErrUnavailable)
	default:
		return "", ErrUnavailable // no osascript to run
	}
	path := strings.TrimSuffix(string(out), "\n")
	if !strings.HasPrefix(path, "/") {
		return "", errors.New("the file chooser gave no local file")
	}
	return path, nil
}
