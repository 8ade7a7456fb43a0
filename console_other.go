//go:build !windows

package main

// attachConsole is needed on Windows only, where the exe is windowed.
func attachConsole([]string) {}
