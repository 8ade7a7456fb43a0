package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestIconsDecodeAtTheirSize(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		size int
	}{
		"icon":          {Icon, 512},
		"tray-ok":       {TrayOK, 64},
		"tray-warning":  {TrayWarning, 64},
		"tray-critical": {TrayCritical, 64},
		"tray-unknown":  {TrayUnknown, 64},
	} {
		t.Run(name, func(t *testing.T) {
			img, err := png.Decode(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatalf("embedded %s is not a PNG: %v", name, err)
			}
			if b := img.Bounds(); b.Dx() != tc.size || b.Dy() != tc.size {
				t.Fatalf("%s is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), tc.size, tc.size)
			}
			// The centre is the card: a blank or transparent icon would be invisible in a tray or menu.
			if _, _, _, a := img.At(tc.size/2, tc.size/2).RGBA(); a < 0xff00 {
				t.Errorf("%s is not opaque at its centre (alpha %#x)", name, a)
			}
		})
	}
}
