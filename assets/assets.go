// Package assets holds Licensedesk's icons, embedded so the binary needs no files beside it.
package assets

//go:generate go run ../packaging/iconsgen -out .

import _ "embed"

// Icon is the 512×512 PNG application icon, the same image FyneApp.toml names.
//
//go:embed icon.png
var Icon []byte

// TrayOK is the 64×64 PNG tray icon shown while every instance is fine: a green check badge.
//
//go:embed tray-ok.png
var TrayOK []byte

// TrayWarning is the 64×64 PNG tray icon shown while an instance needs attention soon: an amber triangle with "!".
//
//go:embed tray-warning.png
var TrayWarning []byte

// TrayCritical is the 64×64 PNG tray icon shown while an instance is expired or about to be: a red octagon with "×".
//
//go:embed tray-critical.png
var TrayCritical []byte

// TrayUnknown is the 64×64 PNG tray icon shown while an instance could not be read: a grey circle with "?".
//
//go:embed tray-unknown.png
var TrayUnknown []byte
