package main

import (
	"image/color"
	"math"
)

// Colours: a deep blue tile, a white license card, an orange seal; the tray
// badges use the usual green, amber, red and grey, each with its own shape.
var (
	tileTop    = color.NRGBA{0x4C, 0x7D, 0xF8, 0xFF}
	tileBottom = color.NRGBA{0x25, 0x36, 0xA8, 0xFF}
	cardTop    = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	cardBottom = color.NRGBA{0xE8, 0xEE, 0xFC, 0xFF}
	inkTitle   = color.NRGBA{0x2E, 0x4F, 0xD0, 0xFF}
	inkLine    = color.NRGBA{0xB4, 0xC0, 0xE2, 0xFF}
	sealLight  = color.NRGBA{0xFF, 0xB4, 0x3C, 0xFF}
	sealDark   = color.NRGBA{0xF0, 0x62, 0x0A, 0xFF}
	white      = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// state is a tray badge: its colours, outline shape and symbol.
type state struct {
	name         string
	light, dark  color.NRGBA
	ink          color.NRGBA
	badge        func(c vec, r float64) shape
	symbol       func(c vec, r float64) shape
	symbolOffset float64 // moves the symbol down within the badge, in badge radii
}

var states = []state{
	{
		name: "ok", light: color.NRGBA{0x4C, 0xC7, 0x6A, 0xFF}, dark: color.NRGBA{0x1E, 0x8E, 0x3E, 0xFF}, ink: white,
		badge: circle, symbol: check,
	},
	{
		name: "warning", light: color.NRGBA{0xFF, 0xD0, 0x4A, 0xFF}, dark: color.NRGBA{0xF5, 0xA0, 0x0A, 0xFF},
		ink: color.NRGBA{0x3A, 0x26, 0x00, 0xFF},
		badge: func(c vec, r float64) shape {
			// An upward triangle whose centroid sits low, so it is raised a little.
			return regular(vec{c.x, c.y + 0.12*r}, 1.18*r, 3, -math.Pi/2, 0.1*r)
		},
		symbol: bang, symbolOffset: 0.12,
	},
	{
		name: "critical", light: color.NRGBA{0xFF, 0x5A, 0x5A, 0xFF}, dark: color.NRGBA{0xC6, 0x1C, 0x26, 0xFF}, ink: white,
		badge:  func(c vec, r float64) shape { return regular(c, 1.04*r, 8, math.Pi/8, 0.06*r) },
		symbol: cross,
	},
	{
		name: "unknown", light: color.NRGBA{0xA4, 0xAB, 0xB8, 0xFF}, dark: color.NRGBA{0x5E, 0x66, 0x75, 0xFF}, ink: white,
		badge: circle, symbol: question,
	},
}

func check(c vec, r float64) shape {
	return stroke(0.3*r, vec{c.x - 0.45*r, c.y + 0.02*r}, vec{c.x - 0.12*r, c.y + 0.35*r}, vec{c.x + 0.48*r, c.y - 0.33*r})
}

func cross(c vec, r float64) shape {
	k := 0.36 * r
	return union(
		stroke(0.28*r, vec{c.x - k, c.y - k}, vec{c.x + k, c.y + k}),
		stroke(0.28*r, vec{c.x - k, c.y + k}, vec{c.x + k, c.y - k}),
	)
}

func bang(c vec, r float64) shape {
	return union(
		stroke(0.26*r, vec{c.x, c.y - 0.48*r}, vec{c.x, c.y + 0.08*r}),
		circle(vec{c.x, c.y + 0.42*r}, 0.16*r),
	)
}

func question(c vec, r float64) shape {
	hook := arc(vec{c.x, c.y - 0.2*r}, 0.3*r, math.Pi*1.05, math.Pi*2.35, 24)
	end := hook[len(hook)-1]
	return union(
		stroke(0.24*r, append(hook, vec{end.x - 0.02*r, end.y + 0.05*r}, vec{c.x, c.y + 0.2*r})...),
		circle(vec{c.x, c.y + 0.5*r}, 0.15*r),
	)
}

// grid snaps icon units to whole pixels of an n-pixel icon, which keeps the
// straight edges of the small sizes sharp.
type grid struct {
	n     int
	small bool
}

func (g grid) at(v float64) float64 {
	if !g.small {
		return v
	}
	return math.Round(v*float64(g.n)) / float64(g.n)
}

func (g grid) pt(x, y float64) vec { return vec{g.at(x), g.at(y)} }

func tile(g grid, margin float64) layer {
	m := g.at(margin)
	return fill(roundRect(vec{m, m}, vec{1 - m, 1 - m}, 0.2), linear(vec{0.2, 0}, vec{0.8, 1}, tileTop, tileBottom))
}

// card is the license card with its shadow and printed lines, as many lines
// as the size can show legibly.
func card(g grid, a, b vec, lines int) []layer {
	a, b = g.pt(a.x, a.y), g.pt(b.x, b.y)
	w, h := b.x-a.x, b.y-a.y
	body := roundRect(a, b, 0.055)
	ls := []layer{
		shadow(body, vec{0, 0.022}, 0.05, 0.45),
		fill(body, linear(vec{0, a.y}, vec{0, b.y}, cardTop, cardBottom)),
	}
	x0 := a.x + 0.14*w
	rows := []struct {
		y, len, width float64
		ink           color.NRGBA
	}{
		{0.26, 0.50, 0.13, inkTitle},
		{0.49, 0.62, 0.085, inkLine},
		{0.68, 0.40, 0.085, inkLine},
	}
	for i, r := range rows {
		if i >= lines {
			break
		}
		y := g.at(a.y + r.y*h)
		ls = append(ls, fill(stroke(r.width*h, vec{x0, y}, vec{x0 + r.len*w, y}), solid(r.ink)))
	}
	return ls
}

// appIcon is the application icon at n pixels: the card on the tile with the
// orange seal of approval, simplified as the size shrinks.
func appIcon(n int) []layer {
	g := grid{n: n, small: n <= 48}
	lines := 3
	switch {
	case n <= 16:
		lines = 0
	case n <= 32:
		lines = 1
	case n <= 48:
		lines = 2
	}
	ls := []layer{tile(g, 1.0/16)}
	ls = append(ls, card(g, vec{0.17, 0.22}, vec{0.83, 0.66}, lines)...)

	c, r := vec{0.68, 0.635}, 0.145
	if n <= 16 {
		c, r = vec{10.5 / 16, 10.5 / 16}, 2.6/16
	}
	seal := circle(c, r)
	if n > 32 {
		// Ribbon tails under the seal, as on a certificate.
		tails := union(
			polygon(0.008, vec{c.x - 0.09, c.y}, vec{c.x - 0.015, c.y + 0.04}, vec{c.x - 0.06, c.y + 0.245}, vec{c.x - 0.1, c.y + 0.2}, vec{c.x - 0.15, c.y + 0.215}),
			polygon(0.008, vec{c.x + 0.09, c.y}, vec{c.x + 0.015, c.y + 0.04}, vec{c.x + 0.06, c.y + 0.245}, vec{c.x + 0.1, c.y + 0.2}, vec{c.x + 0.15, c.y + 0.215}),
		)
		ls = append(ls,
			shadow(union(seal, tails), vec{0, 0.015}, 0.035, 0.4),
			fill(tails, linear(vec{0, c.y}, vec{0, c.y + 0.24}, sealDark, color.NRGBA{0xC8, 0x4A, 0x05, 0xFF})),
		)
	}
	ring := 0.03
	if n <= 32 {
		ring = 1.5 / float64(n)
	}
	ls = append(ls,
		fill(grow(seal, ring), solid(white)),
		fill(seal, linear(vec{c.x - r, c.y - r}, vec{c.x + r, c.y + r}, sealLight, sealDark)),
	)
	if n > 48 {
		ls = append(ls, fill(circle(c, r*0.8), solid(color.NRGBA{0xFF, 0xFF, 0xFF, 0x30})))
		ls = append(ls, fill(circle(c, r*0.72), linear(vec{c.x - r, c.y - r}, vec{c.x + r, c.y + r}, sealLight, sealDark)))
	}
	if n > 16 {
		ls = append(ls, fill(check(c, r*0.78), solid(white)))
	}
	return ls
}

// trayIcon is a tray icon at n pixels: the same tile and card, overlaid with a
// large badge whose shape and symbol tell the state even without colour.
func trayIcon(n int, s state) []layer {
	g := grid{n: n, small: true}
	ls := []layer{tile(g, 1.0/32)}
	ls = append(ls, card(g, vec{0.12, 0.16}, vec{0.78, 0.58}, 2)...)
	c, r := vec{0.67, 0.67}, 0.27
	b := s.badge(c, r)
	ls = append(ls,
		shadow(b, vec{0, 0.02}, 0.04, 0.5),
		fill(grow(b, 0.045), solid(white)),
		fill(b, linear(vec{c.x, c.y - r}, vec{c.x, c.y + r}, s.light, s.dark)),
		fill(s.symbol(vec{c.x, c.y + s.symbolOffset*r}, r), solid(s.ink)),
	)
	return ls
}
