// Command iconsgen draws Licensedesk's icons: the app icon at every size the
// desktops need, a Windows .ico and the tray icons, into the assets folder.
//
// Run it through go generate in assets/ after changing the drawing; the PNGs
// are committed so that builds need no generator.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
)

// Sizes of the hicolor theme's app icons and of the .ico's images.
var (
	hicolorSizes = []int{16, 32, 48, 64, 128, 256, 512}
	icoSizes     = []int{16, 20, 24, 32, 40, 48, 64, 256}
)

const traySize = 64

func main() {
	out := flag.String("out", ".", "assets folder to write into")
	flag.Parse()
	if err := generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, "iconsgen:", err)
		os.Exit(1)
	}
}

// files returns every icon file by its path under the assets folder.
func files() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, n := range hicolorSizes {
		b, err := encodePNG(render(n, appIcon(n)))
		if err != nil {
			return nil, err
		}
		out[filepath.Join("hicolor", fmt.Sprintf("%dx%d.png", n, n))] = b
		if n == 512 {
			out["icon.png"] = b
		}
	}
	var imgs []*image.NRGBA
	for _, n := range icoSizes {
		imgs = append(imgs, render(n, appIcon(n)))
	}
	ico, err := encodeICO(imgs)
	if err != nil {
		return nil, err
	}
	out["icon.ico"] = ico
	for _, s := range states {
		b, err := encodePNG(render(traySize, trayIcon(traySize, s)))
		if err != nil {
			return nil, err
		}
		out["tray-"+s.name+".png"] = b
	}
	return out, nil
}

func generate(dir string) error {
	fs, err := files()
	if err != nil {
		return err
	}
	for name, b := range fs {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
