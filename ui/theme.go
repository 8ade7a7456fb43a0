package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// deskTheme is Fyne's default theme with the text colours it draws too
// faintly: Fyne's dark "disabled" grey (used for low-importance labels,
// the list's count and hints) is 1.5:1 on its background, and its light
// green and orange are under 2.2:1 on white. Each colour here meets WCAG AA
// (4.5:1) on every surface it is drawn on; theme_test.go computes it.
type deskTheme struct{ fyne.Theme }

// newTheme wraps Fyne's default theme, which follows the desktop's (or
// FYNE_THEME's) light or dark variant.
func newTheme() fyne.Theme { return &deskTheme{Theme: theme.DefaultTheme()} }

// textColors are the colours deskTheme changes, per variant.
var textColors = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantDark: {
		theme.ColorNameDisabled:    color.NRGBA{R: 0x9c, G: 0x9c, B: 0x9c, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0xb2, G: 0xb2, B: 0xb2, A: 0xff},
		theme.ColorNameError:       color.NRGBA{R: 0xff, G: 0x6e, B: 0x62, A: 0xff},
		theme.ColorNameSuccess:     color.NRGBA{R: 0x4c, G: 0xd9, B: 0x54, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0xff, G: 0xa7, B: 0x26, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x6c, G: 0xa8, B: 0xff, A: 0xff},
	},
	theme.VariantLight: {
		theme.ColorNameForeground:  color.NRGBA{R: 0x3c, G: 0x3c, B: 0x3c, A: 0xff},
		theme.ColorNameDisabled:    color.NRGBA{R: 0x62, G: 0x62, B: 0x62, A: 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{R: 0x66, G: 0x66, B: 0x66, A: 0xff},
		theme.ColorNameError:       color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff},
		theme.ColorNameSuccess:     color.NRGBA{R: 0x1b, G: 0x6e, B: 0x20, A: 0xff},
		theme.ColorNameWarning:     color.NRGBA{R: 0x8a, G: 0x45, B: 0x00, A: 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{R: 0x0b, G: 0x57, B: 0xd0, A: 0xff},
	},
}

// selectionAlpha is the most opaque a selected row's tint may be: Fyne's
// light selection is a quarter-opaque primary colour, on which the state
// colours fall under 4.5:1.
const selectionAlpha = 0x2a

// Color returns the adjusted colour where there is one, else Fyne's.
func (t *deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := textColors[v][n]; ok {
		return c
	}
	c := t.Theme.Color(n, v)
	switch {
	case n == theme.ColorNameSelection && v == theme.VariantLight:
		s := color.NRGBAModel.Convert(c).(color.NRGBA)
		s.A = min(s.A, selectionAlpha)
		return s
	case n == theme.ColorNamePrimary:
		// The user picks the primary colour; Fyne's blue is 4.47:1 under
		// white text, so it moves away from its text colour until it reads.
		return readableFill(c, t.Theme.Color(theme.ColorNameForegroundOnPrimary, v))
	}
	return c
}

// readableFill moves fill towards black or white, away from text, until
// text on it reaches 4.5:1.
func readableFill(fill, text color.Color) color.Color {
	f := color.NRGBAModel.Convert(fill).(color.NRGBA)
	var to uint8 // towards black under light text, white under dark
	if luminance(text) < luminance(f) {
		to = 0xff
	}
	step := func(x uint8) uint8 { return uint8((int(x)*15 + int(to)) / 16) }
	for i := 0; i < 32 && contrast(text, f) < 4.5; i++ {
		f.R, f.G, f.B = step(f.R), step(f.G), step(f.B)
	}
	return f
}

// luminance is WCAG 2's relative luminance of a colour, taken as opaque.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// over paints c on an opaque bg, as the screen shows it.
func over(c, bg color.Color) color.NRGBA {
	f := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(f.R, b.R), G: mix(f.G, b.G), B: mix(f.B, b.B), A: 0xff}
}

// contrast is WCAG 2's contrast ratio of c drawn on an opaque bg.
func contrast(c, bg color.Color) float64 {
	c = over(c, bg)
	l1, l2 := luminance(c), luminance(bg)
	return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
}
