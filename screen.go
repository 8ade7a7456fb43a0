package main

import (
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/licensedesk/licensedesk/ui"
)

// screen reports the usable area (without panels and docks) of the primary
// monitor and the scale Fyne will draw it at, so the window can open within
// it. It asks GLFW, which Fyne has set up by the time a window exists, and
// runs on the main thread as GLFW wants.
func screen() (ui.Screen, bool) {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return ui.Screen{}, false
	}
	_, _, w, h := m.GetWorkarea()
	if w <= 0 || h <= 0 {
		if mode := m.GetVideoMode(); mode != nil {
			w, h = mode.Width, mode.Height
		}
	}
	if w <= 0 || h <= 0 {
		return ui.Screen{}, false
	}
	widthMM, _ := m.GetPhysicalSize()
	return ui.Screen{Width: w, Height: h, Scale: fyneScale(widthMM, w)}, true
}

// fyneScale repeats how Fyne 2.7's GLFW driver picks a window's scale: the
// user's (FYNE_SCALE, else Fyne's settings) times the monitor's DPI over
// 120, at least 1, rounded to a tenth. It is a first guess: once the window
// is shown, its canvas says the real scale and the size is checked again.
func fyneScale(widthMM, widthPx int) float32 {
	user := float32(1)
	if env := os.Getenv("FYNE_SCALE"); env != "" && env != "auto" {
		if v, err := strconv.ParseFloat(env, 32); err == nil && v > 0 {
			user = float32(v)
		}
	} else if s := fyne.CurrentApp().Settings().Scale(); env != "auto" && s > 0 {
		user = s
	}
	detected := float32(1)
	off := os.Getenv("FYNE_DISABLE_DPI_DETECTION")
	if runtime.GOOS != "darwin" && os.Getenv("WAYLAND_DISPLAY") == "" && widthMM > 0 &&
		!strings.EqualFold(off, "true") && !strings.EqualFold(off, "t") && off != "1" {
		dpi := float32(widthPx) / (float32(widthMM) / 25.4)
		if dpi >= 10 && dpi <= 1000 {
			detected = max(dpi/120, 1)
		}
	}
	return float32(math.Round(float64(user*detected*10)) / 10)
}
