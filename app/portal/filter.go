package portal

import (
	"slices"
	"strings"
	"unicode/utf16"
)

// filterSpec is r's file filter as the Windows Open and Save As dialogs
// read it: pairs of a display name and ";"-separated patterns, each ended
// by a NUL, the list ended by one more. Windows patterns ignore case, so
// "*.jwt" also offers LICENSE.JWT. With no extensions it offers all files.
func filterSpec(r Request) []uint16 {
	var parts []string
	if len(r.Extensions) > 0 {
		var pats []string
		for _, e := range r.Extensions {
			if p := "*." + strings.ToLower(trimDot(e)); !slices.Contains(pats, p) {
				pats = append(pats, p)
			}
		}
		name := r.FilterName
		if name == "" {
			name = "Files"
		}
		p := strings.Join(pats, ";")
		parts = append(parts, name+" ("+p+")", p)
	}
	parts = append(parts, "All files (*.*)", "*.*")
	var out []uint16
	for _, p := range parts {
		out = append(out, utf16.Encode([]rune(strings.ReplaceAll(p, "\x00", "")))...)
		out = append(out, 0)
	}
	return append(out, 0)
}

// trimDot is an extension without its leading dot: "jwt" for ".jwt".
func trimDot(ext string) string { return strings.TrimPrefix(ext, ".") }
