package cli

import (
	"fmt"
	"io"

	"github.com/licensedesk/licensedesk/internal/words"
)

// printTerm is fmt.Fprintf for a terminal: every string, error and
// Stringer argument goes through words.ForTerminal, while the format's own line
// breaks stay. Every line the command line prints goes through it.
func printTerm(w io.Writer, format string, a ...any) {
	args := make([]any, len(a))
	for i, v := range a {
		switch v := v.(type) {
		case string:
			args[i] = words.ForTerminal(v)
		case error:
			args[i] = words.ForTerminal(v.Error())
		case fmt.Stringer:
			args[i] = words.ForTerminal(v.String())
		default:
			args[i] = v
		}
	}
	fmt.Fprintf(w, format, args...)
}
