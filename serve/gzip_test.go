package serve

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// scrapeWith reads /metrics sending acceptEncoding as it is (none when
// ""), without Go's transparent decompression, and returns the answer's
// Content-Encoding and body as sent.
func scrapeWith(t *testing.T, r *running, acceptEncoding string) (string, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, r.url+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %v", resp.StatusCode, err)
	}
	return resp.Header.Get("Content-Encoding"), body
}

// A scraper that accepts gzip (Prometheus does) gets the series compressed,
// in one gzip member that any gunzip reads whole: the results of the last
// check, then the exporter's own series of the moment. One that does not,
// or refuses gzip with q=0, gets the same text plain.
func TestScrapeIsGzippedWhenTheScraperAcceptsIt(t *testing.T) {
	f := threeStates(t)
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)
	checked := r.snap.Load().metrics

	encoding, body := scrapeWith(t, r, "gzip")
	if encoding != "gzip" {
		t.Fatalf("a scrape accepting gzip was answered with Content-Encoding %q", encoding)
	}
	compressed := bytes.NewReader(body)
	zr, err := gzip.NewReader(compressed)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false) // one member, as readers that stop after the first see it
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("the gzipped scrape does not decompress: %v", err)
	}
	if compressed.Len() != 0 {
		t.Errorf("%d bytes follow the gzip member", compressed.Len())
	}
	if len(body) >= len(text)/2 {
		t.Errorf("the gzipped scrape is %d bytes for %d of text: not compressed", len(body), len(text))
	}
	if !bytes.HasPrefix(text, checked) {
		t.Error("the gzipped scrape does not start with the last check's series")
	}
	fams := parseMetrics(t, text)
	for _, name := range []string{"licensedesk_up", "licensedesk_check_duration_seconds", "go_goroutines"} {
		if fams[name] == nil {
			t.Errorf("the gzipped scrape lacks %s", name)
		}
	}

	for _, accept := range []string{"", "identity", "gzip;q=0, identity"} {
		encoding, body := scrapeWith(t, r, accept)
		if encoding != "" || !bytes.HasPrefix(body, checked) {
			t.Errorf("Accept-Encoding %q: answered with Content-Encoding %q and %d bytes, want the plain text", accept, encoding, len(body))
		}
		parseMetrics(t, body)
	}
}

// Before the first check there is nothing precompressed: the gzipped scrape
// holds the exporter's own series alone.
func TestScrapeBeforeTheFirstCheckIsGzippedToo(t *testing.T) {
	e := New(nil, Options{})
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept-Encoding", "deflate, gzip;q=0.5")
	rec := httptest.NewRecorder()
	e.metricsHandler().ServeHTTP(rec, req)
	if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", got)
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("the gzipped scrape does not decompress: %v", err)
	}
	if fams := parseMetrics(t, text); fams["go_goroutines"] == nil || fams["licensedesk_up"] != nil {
		t.Errorf("before the first check the scrape should hold the own series alone: %d families", len(fams))
	}
}
