package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The committed icons must be what the generator draws, so a change to the
// drawing is never shipped half-done. A small tolerance absorbs the float
// rounding that differs between CPU architectures.
func TestCommittedIconsAreUpToDate(t *testing.T) {
	want, err := files()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range want {
		if filepath.Ext(name) != ".png" {
			continue
		}
		got, err := os.ReadFile(filepath.Join("..", "..", "assets", name))
		if err != nil {
			t.Fatalf("assets/%s: %v (run go generate ./assets)", name, err)
		}
		if d := maxDiff(t, decode(t, got), decode(t, b)); d > 3 {
			t.Errorf("assets/%s differs from the generator by up to %d levels: run go generate ./assets", name, d)
		}
	}
	ico, err := os.ReadFile(filepath.Join("..", "..", "assets", "icon.ico"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ico) != len(want["icon.ico"]) {
		t.Errorf("assets/icon.ico is %d bytes, the generator makes %d: run go generate ./assets", len(ico), len(want["icon.ico"]))
	}
}

// A tray icon must say its state to someone who cannot tell red from green:
// with colour removed, every pair of badges must still differ clearly.
func TestTrayIconsDifferWithoutColour(t *testing.T) {
	gray := map[string]*image.Gray{}
	for _, s := range states {
		img := render(traySize, trayIcon(traySize, s))
		g := image.NewGray(img.Bounds())
		for i := range g.Pix {
			// Luma only; binarize below keeps just the light/dark pattern.
			r, gg, b := img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2]
			g.Pix[i] = uint8((299*int(r) + 587*int(gg) + 114*int(b)) / 1000)
		}
		gray[s.name] = binarize(g)
	}
	for i, a := range states {
		for _, b := range states[i+1:] {
			differ := 0
			for p := range gray[a.name].Pix {
				if gray[a.name].Pix[p] != gray[b.name].Pix[p] {
					differ++
				}
			}
			// 64×64 = 4096 pixels; the symbols alone cover a few hundred.
			if differ < 150 {
				t.Errorf("tray icons %s and %s differ in only %d pixels without colour", a.name, b.name, differ)
			}
		}
	}
}

// binarize keeps the light/dark pattern: pixels above the icon's mean are white.
func binarize(g *image.Gray) *image.Gray {
	sum := 0
	for _, v := range g.Pix {
		sum += int(v)
	}
	mean := uint8(sum / len(g.Pix))
	out := image.NewGray(g.Bounds())
	for i, v := range g.Pix {
		if v > mean {
			out.Pix[i] = 255
		}
	}
	return out
}

func TestICOHoldsEverySize(t *testing.T) {
	want, err := files()
	if err != nil {
		t.Fatal(err)
	}
	ico := want["icon.ico"]
	var hdr [3]uint16
	if err := binary.Read(bytes.NewReader(ico), binary.LittleEndian, &hdr); err != nil {
		t.Fatal(err)
	}
	if hdr[0] != 0 || hdr[1] != 1 || int(hdr[2]) != len(icoSizes) {
		t.Fatalf("ico header %v, want [0 1 %d]", hdr, len(icoSizes))
	}
	for i, n := range icoSizes {
		e := ico[6+16*i : 6+16*(i+1)]
		if w := int(e[0]); w != n%256 {
			t.Errorf("entry %d: width byte %d, want %d", i, w, n%256)
		}
		size := binary.LittleEndian.Uint32(e[8:])
		off := binary.LittleEndian.Uint32(e[12:])
		data := ico[off : off+size]
		if n == 256 {
			if img := decode(t, data); img.Bounds().Dx() != 256 {
				t.Errorf("256 px entry decodes to %v", img.Bounds())
			}
			continue
		}
		if w, h := int32(binary.LittleEndian.Uint32(data[4:])), int32(binary.LittleEndian.Uint32(data[8:])); w != int32(n) || h != int32(2*n) {
			t.Errorf("entry %d: bitmap %dx%d, want %dx%d", i, w, h, n, 2*n)
		}
	}
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func maxDiff(t *testing.T, a, b image.Image) int {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("sizes differ: %v and %v", a.Bounds(), b.Bounds())
	}
	worst := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8), int(a1>>8) - int(a2>>8)} {
				worst = max(worst, d, -d)
			}
		}
	}
	return worst
}
