//go:build !cgo || !unix || darwin || ios || android

package userlocale

// original is "": here Fyne takes the locale from the system, not from the
// environment (Windows, macOS), or there is no C constructor to run.
func original() string { return "" }
