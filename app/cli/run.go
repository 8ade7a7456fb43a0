package cli

import (
	"os"

	"github.com/licensedesk/licensedesk/app"
)

// Run runs the command line given in args (args[0] is the program) and
// returns the exit code; with no verb it opens the window through gui.
// verbs are the commands that live in packages above app (serve).
func Run(args []string, gui app.GUIFunc, startDemo func(tune func(*app.Config)) (app.DemoSession, error), verbs map[string]Verb) int {
	return Main(args, gui, Env{
		StartDemo:       startDemo,
		Stdin:           os.Stdin,
		Stdout:          os.Stdout,
		Stderr:          os.Stderr,
		StdinIsTerminal: isTerminal(os.Stdin),
		Verbs:           verbs,
	})
}
