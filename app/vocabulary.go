package app

import "github.com/licensedesk/licensedesk/app/config"

// The service's vocabulary, shared with both front-ends: an instance as
// instances.json stores it, and the user's settings (package config owns
// both files).
type (
	Instance = config.Instance
	Settings = config.Settings
)

// Auth kinds an instance can use.
const (
	AuthBasic  = config.AuthBasic
	AuthBearer = config.AuthBearer
)
