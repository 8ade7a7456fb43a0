package app

import (
	"time"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
)

// ClientOptions maps an instance's connection settings onto client.Options:
// timeout_seconds (0 means 15), ca_file, insecure_skip_verify and proxy.
func ClientOptions(inst Instance, auth client.Auth, userAgent string) client.Options {
	secs := inst.TimeoutSeconds
	if secs <= 0 {
		secs = config.DefaultTimeoutSeconds
	}
	return client.Options{
		BaseURL:            inst.URL,
		Auth:               auth,
		Timeout:            time.Duration(secs) * time.Second,
		CAFile:             inst.CAFile,
		InsecureSkipVerify: inst.InsecureSkipVerify,
		Proxy:              inst.Proxy,
		UserAgent:          userAgent,
	}
}
