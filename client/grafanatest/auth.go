package grafanatest

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"net/http"
	"strings"
)

// Role is what a signed-in user or token may do.
type Role string

// The roles the emulator knows.
const (
	// RoleServerAdmin holds licensing:read, licensing:write and licensing:delete.
	RoleServerAdmin Role = "ServerAdmin"
	// RoleLicensingReader holds licensing:read only.
	RoleLicensingReader Role = "LicensingReader"
	// RoleViewer is signed in but holds no licensing permission.
	RoleViewer Role = "Viewer"
)

// The licensing permissions the endpoints need.
const (
	permRead   = "licensing:read"
	permWrite  = "licensing:write"
	permDelete = "licensing:delete"
)

func (r Role) has(perm string) bool {
	switch r {
	case RoleServerAdmin:
		return true
	case RoleLicensingReader:
		return perm == permRead
	}
	return false
}

type user struct {
	password string
	role     Role
}

type bearer struct {
	role    Role
	expired bool
}

// authError is Grafana's 401 body; keys in Grafana's (alphabetical) order.
type authError struct {
	Message   string `json:"message"`
	MessageID string `json:"messageId"`
	Status    int    `json:"statusCode"`
	TraceID   string `json:"traceID"`
}

// authenticate returns the caller's role, or writes Grafana's 401 and returns false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (Role, bool) {
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "Basic"):
		name, pass, ok := r.BasicAuth()
		s.mu.Lock()
		u, known := s.users[name]
		s.mu.Unlock()
		if ok && known && subtle.ConstantTimeCompare([]byte(pass), []byte(u.password)) == 1 {
			return u.role, true
		}
		writeJSON(w, http.StatusUnauthorized, authError{
			Message: "Invalid username or password", MessageID: "password-auth.failed", Status: 401,
		})
	case strings.EqualFold(scheme, "Bearer") && cred != "":
		s.mu.Lock()
		b, known := s.bearers[cred]
		s.mu.Unlock()
		switch {
		case known && b.expired:
			writeJSON(w, http.StatusUnauthorized, authError{
				Message: "Expired API key", MessageID: "api-key.expired", Status: 401,
			})
		case known:
			return b.role, true
		default:
			writeJSON(w, http.StatusUnauthorized, authError{
				Message: "Invalid API key", MessageID: "api-key.invalid", Status: 401,
			})
		}
	default:
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Unauthorized"})
	}
	return "", false
}

// accessDenied is Grafana's 403 body; keys in Grafana's (alphabetical) order.
type accessDenied struct {
	AccessErrorID string `json:"accessErrorId"`
	Message       string `json:"message"`
	Title         string `json:"title"`
}

// authorize authenticates the caller and checks perm ("" = any signed-in
// user), writing Grafana's 401 or 403 when it fails.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, perm string) bool {
	role, ok := s.authenticate(w, r)
	if !ok {
		return false
	}
	if perm == "" || role.has(perm) {
		return true
	}
	writeJSON(w, http.StatusForbidden, accessDenied{
		AccessErrorID: accessErrorID(),
		Message:       "You'll need additional permissions to perform this action. Permissions needed: " + perm,
		Title:         "Access denied",
	})
	return false
}

func accessErrorID() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1e10))
	if err != nil {
		return "ACE0000000000"
	}
	return fmt.Sprintf("ACE%010d", n)
}
