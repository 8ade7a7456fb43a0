//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !windows

package app

import "os"

// readHidden cannot turn the echo off on this system.
func readHidden(*os.File) (string, error) { return "", errNoHiddenInput }
