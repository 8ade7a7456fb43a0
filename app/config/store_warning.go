package config

import "errors"

// loadWarningText words a load problem for the window's banner and the
// command line's stderr. Instances that need fixing are still listed.
func LoadWarning(err error) string {
	var corrupt *CorruptError
	var version *VersionError
	var invalid *ValidationError
	var dup *DuplicateIDError
	switch {
	case errors.As(err, &corrupt), errors.As(err, &version), errors.As(err, &dup):
		return err.Error()
	case errors.As(err, &invalid):
		return "Some instances in the list need fixing before they can be saved: " + err.Error()
	}
	return err.Error() + "; Licensedesk started with an empty instance list"
}
