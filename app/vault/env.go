package vault

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

// ResolveAuth works out how to sign in to inst: its username plus the
// password (basic) or the token (bearer), taken from the environment variable
// the instance names in password_env / token_env, else from secrets. getenv
// is os.Getenv when nil; secrets may be nil when only variables are used.
// A missing secret gives an error wrapping ErrNoSecret that names the
// instance and where the secret was looked for, never a secret.
func ResolveAuth(inst config.Instance, secrets Store, getenv func(string) string) (client.Auth, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var what, envName string
	switch inst.Auth {
	case config.AuthBasic:
		if inst.Username == "" {
			return client.Auth{}, fmt.Errorf("instance %q uses basic auth but has no username; edit the instance", inst.ID)
		}
		what, envName = "password", inst.PasswordEnv
	case config.AuthBearer:
		what, envName = "token", inst.TokenEnv
	default:
		return client.Auth{}, fmt.Errorf("instance %q has auth %q; it must be \"basic\" or \"bearer\"", inst.ID, inst.Auth)
	}

	secret, err := lookupSecret(inst, secrets, getenv, what, envName)
	if err != nil {
		return client.Auth{}, err
	}
	if inst.Auth == config.AuthBasic {
		return client.Auth{Username: inst.Username, Password: secret}, nil
	}
	return client.Auth{Token: secret}, nil
}

// lookupSecret reads the named variable when there is one, else secrets;
// either way only for the address and user the secret was given for.
func lookupSecret(inst config.Instance, secrets Store, getenv func(string) string, what, envName string) (string, error) {
	if envName != "" {
		if !strings.HasPrefix(envName, config.EnvPrefix) {
			return "", fmt.Errorf("instance %q names the environment variable %s in %s, but only variables whose names start with %s are read for a secret, "+
				"so that an instance file cannot send another program's secret to its URL: rename the variable (e.g. %s%s) and the field: %w",
				inst.ID, envName, envFieldFor(what), config.EnvPrefix, config.EnvPrefix, strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(inst.ID))+"_"+strings.ToUpper(what), ErrNoSecret)
		}
		// A value from $(cat file) or a .env file may end in a line break,
		// which no password or token holds and no HTTP header accepts.
		v := strings.TrimRight(getenv(envName), "\r\n")
		if v == "" {
			return "", fmt.Errorf("instance %q takes its %s from the environment variable %s, which is empty or not set: %w",
				inst.ID, what, envName, ErrNoSecret)
		}
		return v, nil
	}
	if secrets == nil {
		return "", fmt.Errorf("instance %q has no %s: no keyring is in use and %s is not set: %w",
			inst.ID, what, envFieldFor(what), ErrNoSecret)
	}
	v, err := secrets.Get(KeyFor(inst))
	var elsewhere *ElsewhereError
	var legacy *LegacySecretError
	switch {
	case errors.As(err, &elsewhere), errors.As(err, &legacy):
		return "", fmt.Errorf("instance %q has no %s for %s: %w. If the instance really moved, enter its %s again: edit the instance, or run "+
			"licensedesk instances set-secret %s --secret-stdin", inst.ID, what, KeyFor(inst).Address(), err, what, inst.ID)
	case errors.Is(err, ErrNoSecret) || err == nil && v == "":
		return "", fmt.Errorf("instance %q has no %s in the keyring; enter it by editing the instance, "+
			"or for headless use name an environment variable (%s…) in %s: %w", inst.ID, what, config.EnvPrefix, envFieldFor(what), ErrNoSecret)
	case err != nil:
		return "", fmt.Errorf("instance %q: %w", inst.ID, err)
	}
	return v, nil
}

func envFieldFor(what string) string {
	if what == "password" {
		return "password_env"
	}
	return "token_env"
}
