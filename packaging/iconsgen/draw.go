package main

import (
	"image"
	"image/color"
	"math"
)

// The icons are drawn from signed distance functions: each shape says how far
// a point lies outside it (negative inside), so one drawing renders crisp and
// anti-aliased at 16 px and at 512 px alike.

type vec struct{ x, y float64 }

func (a vec) sub(b vec) vec       { return vec{a.x - b.x, a.y - b.y} }
func (a vec) add(b vec) vec       { return vec{a.x + b.x, a.y + b.y} }
func (a vec) mul(k float64) vec   { return vec{a.x * k, a.y * k} }
func (a vec) dot(b vec) float64   { return a.x*b.x + a.y*b.y }
func (a vec) length() float64     { return math.Hypot(a.x, a.y) }
func (a vec) cross(b vec) float64 { return a.x*b.y - a.y*b.x }

// shape is a signed distance function in icon units (the icon spans 0..1).
type shape func(p vec) float64

func circle(c vec, r float64) shape {
	return func(p vec) float64 { return p.sub(c).length() - r }
}

// roundRect is the rectangle from a to b with corners rounded by r.
func roundRect(a, b vec, r float64) shape {
	c := a.add(b).mul(0.5)
	h := vec{(b.x - a.x) / 2, (b.y - a.y) / 2}
	return func(p vec) float64 {
		q := vec{math.Abs(p.x-c.x) - h.x + r, math.Abs(p.y-c.y) - h.y + r}
		out := vec{math.Max(q.x, 0), math.Max(q.y, 0)}.length()
		return out + math.Min(math.Max(q.x, q.y), 0) - r
	}
}

// stroke is a polyline drawn with round caps and joins, w wide.
func stroke(w float64, pts ...vec) shape {
	return func(p vec) float64 {
		d := math.Inf(1)
		for i := 0; i+1 < len(pts); i++ {
			a, b := pts[i], pts[i+1]
			pa, ba := p.sub(a), b.sub(a)
			t := math.Max(0, math.Min(1, pa.dot(ba)/ba.dot(ba)))
			d = math.Min(d, pa.sub(ba.mul(t)).length())
		}
		if len(pts) == 1 {
			d = p.sub(pts[0]).length()
		}
		return d - w/2
	}
}

// arc is the points of a circular arc from angle a0 to a1 (radians, y down).
func arc(c vec, r, a0, a1 float64, n int) []vec {
	pts := make([]vec, n+1)
	for i := range pts {
		a := a0 + (a1-a0)*float64(i)/float64(n)
		pts[i] = vec{c.x + r*math.Cos(a), c.y + r*math.Sin(a)}
	}
	return pts
}

// polygon is the convex or concave polygon through pts, rounded by r.
func polygon(r float64, pts ...vec) shape {
	return func(p vec) float64 {
		d := p.sub(pts[0]).dot(p.sub(pts[0]))
		s := 1.0
		for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
			e, w := pts[j].sub(pts[i]), p.sub(pts[i])
			b := w.sub(e.mul(math.Max(0, math.Min(1, w.dot(e)/e.dot(e)))))
			d = math.Min(d, b.dot(b))
			c1, c2, c3 := p.y >= pts[i].y, p.y < pts[j].y, e.cross(w) > 0
			if (c1 && c2 && c3) || (!c1 && !c2 && !c3) {
				s = -s
			}
		}
		return s*math.Sqrt(d) - r
	}
}

// regular is a regular n-gon around c with circumradius R, first vertex at angle a0.
func regular(c vec, R float64, n int, a0, r float64) shape {
	pts := make([]vec, n)
	for i := range pts {
		a := a0 + 2*math.Pi*float64(i)/float64(n)
		pts[i] = vec{c.x + R*math.Cos(a), c.y + R*math.Sin(a)}
	}
	return polygon(r, pts...)
}

func union(ss ...shape) shape {
	return func(p vec) float64 {
		d := math.Inf(1)
		for _, s := range ss {
			d = math.Min(d, s(p))
		}
		return d
	}
}

// minus is a with b cut out.
func minus(a, b shape) shape {
	return func(p vec) float64 { return math.Max(a(p), -b(p)) }
}

// grow makes s thicker by r (a halo around it).
func grow(s shape, r float64) shape {
	return func(p vec) float64 { return s(p) - r }
}

func move(s shape, d vec) shape {
	return func(p vec) float64 { return s(p.sub(d)) }
}

// paint gives the colour at a point, straight (not premultiplied) alpha in 0..1.
type paint func(p vec) [4]float64

func solid(c color.NRGBA) paint {
	v := [4]float64{float64(c.R) / 255, float64(c.G) / 255, float64(c.B) / 255, float64(c.A) / 255}
	return func(vec) [4]float64 { return v }
}

// linear blends from c0 at a to c1 at b.
func linear(a, b vec, c0, c1 color.NRGBA) paint {
	p0, p1 := solid(c0)(vec{}), solid(c1)(vec{})
	ab := b.sub(a)
	return func(p vec) [4]float64 {
		t := math.Max(0, math.Min(1, p.sub(a).dot(ab)/ab.dot(ab)))
		var out [4]float64
		for i := range out {
			out[i] = p0[i] + (p1[i]-p0[i])*t
		}
		return out
	}
}

// layer is one shape filled with a paint; soft > 0 blurs its edge over that
// many icon units (used for shadows).
type layer struct {
	s       shape
	p       paint
	opacity float64
	soft    float64
}

func fill(s shape, p paint) layer { return layer{s: s, p: p, opacity: 1} }

func shadow(s shape, off vec, blur, opacity float64) layer {
	return layer{s: move(s, off), p: solid(color.NRGBA{0, 0, 20, 255}), opacity: opacity, soft: blur}
}

// render draws the layers, bottom first, into an n×n image. Each pixel's
// coverage comes from the distance at its centre: one pixel of smooth edge.
func render(n int, layers []layer) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	px := 1 / float64(n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			p := vec{(float64(x) + 0.5) * px, (float64(y) + 0.5) * px}
			var acc [4]float64 // premultiplied
			for _, l := range layers {
				d := l.s(p)
				var cov float64
				if l.soft > 0 {
					cov = smoothstep(l.soft, -l.soft*0.3, d)
				} else {
					cov = clamp(0.5 - d/px)
				}
				if cov <= 0 {
					continue
				}
				c := l.p(p)
				a := c[3] * cov * l.opacity
				for i := 0; i < 3; i++ {
					acc[i] = c[i]*a + acc[i]*(1-a)
				}
				acc[3] = a + acc[3]*(1-a)
			}
			if acc[3] <= 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: to8(acc[0] / acc[3]), G: to8(acc[1] / acc[3]), B: to8(acc[2] / acc[3]), A: to8(acc[3]),
			})
		}
	}
	return img
}

func clamp(v float64) float64 { return math.Max(0, math.Min(1, v)) }

func smoothstep(e0, e1, x float64) float64 {
	t := clamp((x - e0) / (e1 - e0))
	return t * t * (3 - 2*t)
}

func to8(v float64) uint8 { return uint8(math.Round(clamp(v) * 255)) }
