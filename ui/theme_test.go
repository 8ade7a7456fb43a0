package ui

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/licensedesk/licensedesk/client"
)

// TestThemeTextContrast computes, from the theme's own colours, every text
// colour the window draws against every surface it is drawn on, in both
// variants: each must reach WCAG AA's 4.5:1 (state icons, drawn in the same
// colours, need only 3:1).
func TestThemeTextContrast(t *testing.T) {
	th := newTheme()
	texts := []fyne.ThemeColorName{
		theme.ColorNameForeground, theme.ColorNameDisabled, theme.ColorNamePlaceHolder,
		theme.ColorNameError, theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameHyperlink,
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantDark, theme.VariantLight} {
		name := map[fyne.ThemeVariant]string{theme.VariantDark: "dark", theme.VariantLight: "light"}[v]
		t.Run(name, func(t *testing.T) {
			col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
			bg := col(theme.ColorNameBackground)
			surfaces := map[string]color.Color{
				"background":          bg,
				"dialog":              over(col(theme.ColorNameOverlayBackground), bg),
				"menu":                over(col(theme.ColorNameMenuBackground), bg),
				"list header":         over(col(theme.ColorNameHeaderBackground), bg),
				"input field":         over(col(theme.ColorNameInputBackground), bg),
				"button":              over(col(theme.ColorNameButton), bg),
				"selected row":        over(col(theme.ColorNameSelection), bg),
				"hovered row":         over(col(theme.ColorNameHover), bg),
				"selected dialog row": over(col(theme.ColorNameSelection), over(col(theme.ColorNameOverlayBackground), bg)),
			}
			for _, text := range texts {
				for sname, s := range surfaces {
					if r := contrast(col(text), s); r < 4.5 {
						t.Errorf("%s text on the %s is %.2f:1; WCAG AA needs 4.5:1", text, sname, r)
					}
				}
			}
			// Text on filled buttons and badges: the "on" colour on its fill.
			for fill, on := range map[fyne.ThemeColorName]fyne.ThemeColorName{
				theme.ColorNameError:   theme.ColorNameForegroundOnError,
				theme.ColorNameSuccess: theme.ColorNameForegroundOnSuccess,
				theme.ColorNameWarning: theme.ColorNameForegroundOnWarning,
				theme.ColorNamePrimary: theme.ColorNameForegroundOnPrimary,
			} {
				if r := contrast(col(on), over(col(fill), bg)); r < 4.5 {
					t.Errorf("%s text on a %s button is %.2f:1; WCAG AA needs 4.5:1", on, fill, r)
				}
			}
			// A usage bar's fill against its track and the card around it:
			// WCAG's 3:1 for what is not text (its words say the same).
			for _, s := range []client.State{client.StateOK, client.StateWarning, client.StateCritical} {
				fill := col(stateColor(s))
				for sname, surface := range map[string]color.Color{"track": over(col(theme.ColorNameInputBackground), bg), "background": bg} {
					if r := contrast(fill, surface); r < 3 {
						t.Errorf("a %v usage bar on its %s is %.2f:1; WCAG needs 3:1", s, sname, r)
					}
				}
			}
			if r := contrast(col(theme.ColorNameDisabled), over(col(theme.ColorNameDisabledButton), bg)); r < 4.5 {
				t.Errorf("a disabled button's text is %.2f:1; WCAG AA needs 4.5:1", r)
			}
		})
	}
}

// TestContrastFormula checks the ratio against WCAG's own examples, so the
// contrast test measures what it claims.
func TestContrastFormula(t *testing.T) {
	for _, c := range []struct {
		fg, bg color.Color
		want   float64
	}{
		{color.Black, color.White, 21},
		{color.NRGBA{R: 0x77, G: 0x77, B: 0x77, A: 0xff}, color.White, 4.48},
		{color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}, color.White, 4.54},
	} {
		if got := contrast(c.fg, c.bg); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast(%v, %v) = %s, want %.2f", c.fg, c.bg, fmt.Sprintf("%.2f", got), c.want)
		}
	}
}
