package config

import (
	"time"

	"github.com/licensedesk/licensedesk/client"
)

// ClientOptions maps the instance's connection settings onto client.Options:
// timeout_seconds (0 means 15), ca_file, insecure_skip_verify and proxy.
func (inst Instance) ClientOptions(auth client.Auth, userAgent string) client.Options {
	secs := inst.TimeoutSeconds
	if secs <= 0 {
		secs = DefaultTimeoutSeconds
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
