package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
)

// encodeICO writes a Windows icon holding imgs: 256 px and larger as PNG, the
// smaller ones as 32-bit bitmaps, which every Windows tool and NSIS can read.
func encodeICO(imgs []*image.NRGBA) ([]byte, error) {
	var dir, data bytes.Buffer
	le := binary.LittleEndian
	_ = binary.Write(&dir, le, [3]uint16{0, 1, uint16(len(imgs))})
	offset := 6 + 16*len(imgs)
	for _, img := range imgs {
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		if w != h || w > 256 {
			return nil, fmt.Errorf("icon image %dx%d: want square, at most 256", w, h)
		}
		var b []byte
		if w >= 256 {
			var err error
			if b, err = encodePNG(img); err != nil {
				return nil, err
			}
		} else {
			b = dib(img)
		}
		dim := uint8(w % 256) // 0 means 256
		dir.Write([]byte{dim, dim, 0, 0})
		_ = binary.Write(&dir, le, [2]uint16{1, 32})
		_ = binary.Write(&dir, le, [2]uint32{uint32(len(b)), uint32(offset)})
		data.Write(b)
		offset += len(b)
	}
	return append(dir.Bytes(), data.Bytes()...), nil
}

// dib is img as an icon bitmap: a BITMAPINFOHEADER of double height, the BGRA
// rows bottom-up, then the 1-bit AND mask (all zero: the alpha channel rules).
func dib(img *image.NRGBA) []byte {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	maskStride := ((w + 31) / 32) * 4
	var b bytes.Buffer
	le := binary.LittleEndian
	_ = binary.Write(&b, le, struct {
		Size          uint32
		Width, Height int32
		Planes, Bits  uint16
		Compression   uint32
		ImageSize     uint32
		XPPM, YPPM    int32
		Used, Import  uint32
	}{40, int32(w), int32(2 * h), 1, 32, 0, uint32(w*h*4 + maskStride*h), 0, 0, 0, 0})
	for y := h - 1; y >= 0; y-- {
		for x := 0; x < w; x++ {
			c := img.NRGBAAt(x, y)
			b.Write([]byte{c.B, c.G, c.R, c.A})
		}
	}
	b.Write(make([]byte, maskStride*h))
	return b.Bytes()
}
