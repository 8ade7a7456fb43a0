package serve

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
)

// A scrape that accepts gzip gets one, as Prometheus asks for it: ten
// thousand instances make about 8 MB of text, a tenth of that compressed.
// Compressing it at every scrape would cost more than the scrape itself, so
// the snapshot's series are compressed once per check (precompressed), and
// a scrape compresses only the exporter's own series, which follow them in
// the same gzip stream: a deflate stream may go on after a sync flush with
// blocks compressed on their own, and the stream's checksum is continued
// over the own series (RFC 1950, 1951, 1952).

// precompressed is the snapshot's series as the start of a deflate stream,
// ending with a sync flush (not a final block), with the CRC-32 and length
// of what it holds.
type precompressed struct {
	deflated []byte
	crc      uint32
	size     int
}

func precompress(text []byte) (precompressed, error) {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return precompressed{}, err
	}
	if _, err := fw.Write(text); err != nil {
		return precompressed{}, err
	}
	// A sync flush ends the blocks on a byte boundary without a final
	// block: the scrape's own series follow.
	if err := fw.Flush(); err != nil {
		return precompressed{}, err
	}
	return precompressed{deflated: buf.Bytes(), crc: crc32.ChecksumIEEE(text), size: len(text)}, nil
}

// gzipHeader is a gzip member's header: deflate, no name, no time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// writeGzip writes one gzip member holding pre's text, then tail.
func writeGzip(w io.Writer, pre precompressed, tail []byte) error {
	if _, err := w.Write(gzipHeader); err != nil {
		return err
	}
	if _, err := w.Write(pre.deflated); err != nil {
		return err
	}
	fw, err := flate.NewWriter(w, flate.BestSpeed)
	if err != nil {
		return err
	}
	if _, err := fw.Write(tail); err != nil {
		return err
	}
	if err := fw.Close(); err != nil { // the final block
		return err
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc32.Update(pre.crc, crc32.IEEETable, tail))
	binary.LittleEndian.PutUint32(trailer[4:], uint32(pre.size+len(tail)))
	_, err = w.Write(trailer[:])
	return err
}

// acceptsGzip says whether an Accept-Encoding header allows gzip (and does
// not refuse it with q=0).
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		name, q, ok := strings.Cut(strings.TrimSpace(params), "=")
		if !ok || strings.TrimSpace(name) != "q" {
			return true
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
		return err != nil || v > 0
	}
	return false
}
