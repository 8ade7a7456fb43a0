package app

import (
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/verdict"
)

// The service's vocabulary, shared with both front-ends: an instance as
// instances.json stores it, the user's settings (package config owns
// both files), the status the service publishes (package verdict), and an
// import read but not yet written.
type (
	Instance   = config.Instance
	Settings   = config.Settings
	Status     = verdict.Status
	ImportPlan = config.ImportPlan
)

// Auth kinds an instance can use.
const (
	AuthBasic  = config.AuthBasic
	AuthBearer = config.AuthBearer
)
