package app

// Version and Commit are set at build time from FyneApp.toml and git (see the Makefile).
var (
	Version = "dev"
	Commit  = "unknown"
)

// Build says which build this is, as --version, serve and the window's
// settings show it: "0.1.0 (commit abc1234)".
func Build() string { return Version + " (commit " + Commit + ")" }

// GUIContext is what the window receives from the command line.
type GUIContext struct {
	Service *Service
	Demo    bool
	Version string
	// DemoLicense is, in demo mode, a license.jwt to try Upload with; else "".
	DemoLicense string
	// StorePath is the instances.json in use; the settings, the history and
	// the notification state live beside it (SettingsPath, NotifyStatePath).
	StorePath string
	// Raise delivers a value when a second launch asks this window to
	// come forward; nil when nothing can ask (the demo).
	Raise <-chan struct{}
}

// DemoSession is a running demo (package demo): its service over the
// emulated instances, its throwaway store and a license file to try.
type DemoSession interface {
	Service() *Service
	StorePath() string
	LicenseFile() string
	Close() error
}

// GUIFunc opens the window and returns when the app quits.
type GUIFunc func(GUIContext) error
