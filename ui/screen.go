package ui

import "fyne.io/fyne/v2"

// Screen is the part of the monitor a window may take: its usable size in
// pixels (without panels and docks) and the scale Fyne draws at there, in
// pixels per Fyne unit.
type Screen struct {
	Width, Height int
	Scale         float32
}

// Option changes how Run opens the window.
type Option func(*options)

type options struct {
	screen  func() (Screen, bool)
	release func()
}

// WithScreen tells Run how to learn the screen's size, so the window opens
// within it at any scale. f is called on the main thread once a window
// exists; it reports false when it cannot tell.
func WithScreen(f func() (Screen, bool)) Option {
	return func(o *options) { o.screen = f }
}

// WithRelease gives Run a way to hand the C heap's free memory back to the
// system (glibc's malloc_trim); it runs, off the UI goroutine, whenever
// the window hands back the Go heap's.
func WithRelease(f func()) Option {
	return func(o *options) { o.release = f }
}

// Room the window leaves for its title bar and frame, as a share of the screen.
const (
	screenShareWidth  = 0.96
	screenShareHeight = 0.9
)

// fitSize is want, made small enough that the window and its frame fit on
// s: a size remembered on a bigger screen, or at a smaller scale, shrinks.
func fitSize(want fyne.Size, s Screen) fyne.Size {
	if s.Width <= 0 || s.Height <= 0 {
		return want
	}
	scale := s.Scale
	if scale <= 0 {
		scale = 1
	}
	w := float32(s.Width) / scale * screenShareWidth
	h := float32(s.Height) / scale * screenShareHeight
	return fyne.NewSize(min(want.Width, w), min(want.Height, h))
}

// fitWindow sizes w to want within the screen. Once the window is shown,
// its canvas knows the scale Fyne really chose, which may differ from the
// screen's guess; before, the canvas says 1.
func fitWindow(w fyne.Window, want fyne.Size, o options, shown bool) {
	if o.screen == nil {
		w.Resize(want)
		return
	}
	s, ok := o.screen()
	if !ok {
		w.Resize(want)
		return
	}
	if c := w.Canvas(); shown && c.Scale() > 0 {
		s.Scale = c.Scale()
	}
	w.Resize(fitSize(want, s))
}
