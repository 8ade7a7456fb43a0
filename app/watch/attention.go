package watch

import (
	"errors"
	"fmt"
	"strings"

	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
)

// FailureShort words a failed read for a menu entry: what went wrong in a
// few words, from the error's parts. An answer that is not the licensing
// API's came with HTTP 200, which must not read as the cause.
func FailureShort(err error) string {
	var apiErr *client.APIError
	var badErr *client.BadResponseError
	var netErr *client.NetworkError
	switch {
	case errors.As(err, &apiErr):
		return fmt.Sprintf("could not be read (HTTP %d)", apiErr.StatusCode)
	case errors.As(err, &badErr) && strings.HasPrefix(badErr.Reason, "an HTML page"):
		return "answers with a web page, not the licensing API"
	case errors.As(err, &badErr):
		return "answers with something other than the licensing API"
	case errors.As(err, &netErr) && netErr.Kind == client.NetTimeout:
		return "could not be read (no answer in time)"
	case errors.As(err, &netErr):
		return "could not be reached"
	case errors.Is(err, vault.ErrNoSecret):
		return "has no password or token"
	}
	return "could not be read"
}
