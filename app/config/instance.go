// Package config holds what Licensedesk keeps in files beside each other:
// the instance list (instances.json) and its validation, and the user's
// settings (settings.json), each written atomically.
package config

// Auth kinds an instance can use.
const (
	AuthBasic  = "basic"
	AuthBearer = "bearer"
)

// Instance is one Grafana instance as instances.json stores it. It never
// holds a secret: those live in the keyring or in the named env variables.
type Instance struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	URL                string `json:"url"`
	Auth               string `json:"auth"`
	Username           string `json:"username"`
	TokenEnv           string `json:"token_env"`
	PasswordEnv        string `json:"password_env"`
	CAFile             string `json:"ca_file"`
	InsecureSkipVerify bool   `json:"insecure_skip_verify"`
	Proxy              string `json:"proxy"`
	TimeoutSeconds     int    `json:"timeout_seconds"`
}

// DisplayName is the name people see: Name, or the id when it has none.
func (inst Instance) DisplayName() string {
	if inst.Name == "" {
		return inst.ID
	}
	return inst.Name
}
