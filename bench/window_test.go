package bench

import (
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client/grafanatest"
	"github.com/licensedesk/licensedesk/ui"
)

// BenchmarkWindow opens the real window (ui.Run on Fyne's test driver,
// which paints in software) over 10 and over 10,000 instances and reports
// the time to the first painted frame, the heap the window holds, and the
// cost of one keystroke in the filter box.
//
// The instances point at one emulated Grafana that never answers, under a
// ten-minute timeout: the refresh the window starts stays in flight, so
// every instance shows "checking" and no status update lands while the
// figures are taken (the test driver runs fyne.Do at once, on the caller's
// goroutine, where the real driver queues it). The server is left hung
// until the process ends for the same reason.
func BenchmarkWindow(b *testing.B) {
	b.Setenv("LANG", "en_US.UTF-8")
	hung := grafanatest.New(grafanatest.WithFault(grafanatest.Fault{Kind: grafanatest.FaultHang}))
	for _, n := range []int{10, 10000} {
		b.Run("instances="+strconv.Itoa(n), func(b *testing.B) {
			var first, keystroke, keyPaint time.Duration
			var heap, windowHeap uint64
			for range b.N {
				f, k, kp, h, wh := openWindow(b, hung, n)
				first, keystroke, keyPaint, heap, windowHeap = first+f, keystroke+k, keyPaint+kp, heap+h, windowHeap+wh
			}
			per := time.Duration(b.N)
			first, keystroke, keyPaint = first/per, keystroke/per, keyPaint/per
			heap, windowHeap = heap/uint64(b.N), windowHeap/uint64(b.N)
			b.ReportMetric(float64(first.Microseconds())/1000, "first-frame-ms")
			b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
			b.ReportMetric(float64(keystroke.Microseconds())/1000, "keystroke-ms")
			fmt.Printf("window with %5d instances: first frame %7.1f ms, heap in use %6.1f MiB (window %6.1f MiB), "+
				"filter keystroke %6.2f ms (%6.2f ms with a repaint)\n",
				n, ms(first), mib(heap), mib(windowHeap), ms(keystroke), ms(keyPaint))
			if err := Record("window"+strconv.Itoa(n), map[string]string{
				"first_frame_ms": fmt.Sprintf("%.1f", ms(first)), "heap_mib": fmt.Sprintf("%.1f", mib(heap)),
				"window_heap_mib": fmt.Sprintf("%.1f", mib(windowHeap)),
				"keystroke_ms":    fmt.Sprintf("%.2f", ms(keystroke)), "keystroke_paint_ms": fmt.Sprintf("%.2f", ms(keyPaint)),
			}); err != nil {
				b.Fatal(err)
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mib(n uint64) float64       { return float64(n) / (1 << 20) }

// openWindow builds a service over n instances, opens the window and takes
// the figures. heap is all heap in use with the window open; windowHeap the
// part the window added.
func openWindow(b *testing.B, hung *grafanatest.Server, n int) (first, keystroke, keyPaint time.Duration, heap, windowHeap uint64) {
	b.StopTimer()
	a := test.NewTempApp(b)
	list := make([]app.Instance, n)
	secrets := vault.NewMemory()
	for i := range list {
		id := fmt.Sprintf("grafana-%05d", i)
		list[i] = app.Instance{ID: id, Name: fmt.Sprintf("Grafana %s %d", region(i), i), URL: hung.URL + "/",
			Auth: app.AuthBasic, Username: "admin", TimeoutSeconds: 600}
		secrets.Set(vault.KeyFor(list[i]), "admin")
	}
	cfgFile := filepath.Join(b.TempDir(), "instances.json")
	if err := config.NewStore(cfgFile).Save(list); err != nil {
		b.Fatal(err)
	}
	svc, err := app.NewService(app.Config{StorePath: cfgFile, Secrets: secrets})
	if err != nil {
		b.Fatal(err)
	}
	before := heapInUse()

	b.StartTimer()
	start := time.Now()
	if err := ui.Run(a, app.GUIContext{Service: svc, Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	var w fyne.Window
	for _, win := range a.Driver().AllWindows() {
		if strings.HasPrefix(win.Title(), "Licensedesk") {
			w = win
		}
	}
	if w == nil {
		b.Fatal("ui.Run opened no Licensedesk window")
	}
	w.Canvas().Capture()
	first = time.Since(start)
	b.StopTimer()

	heap = heapInUse()
	if heap > before {
		windowHeap = heap - before
	}
	filter := findFilter(b, w.Canvas().Content())
	w.Canvas().Focus(filter)
	// A keystroke narrows the whole list; clearing the box (untimed) brings
	// every row back for the next one. Averaged, as one is a few ms.
	const keystrokes, paints = 10, 3
	for range keystrokes {
		start = time.Now()
		test.Type(filter, "9")
		keystroke += time.Since(start)
		filter.(interface{ SetText(string) }).SetText("")
	}
	for range paints {
		start = time.Now()
		test.Type(filter, "9")
		w.Canvas().Capture()
		keyPaint += time.Since(start)
		filter.(interface{ SetText(string) }).SetText("")
	}
	keystroke /= keystrokes
	keyPaint /= paints
	w.Close()
	return first, keystroke, keyPaint, heap, windowHeap
}

func region(i int) string {
	return [...]string{"EU", "US", "APAC", "LATAM"}[i%4]
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// findFilter finds the list's filter box: the focusable widget whose
// placeholder starts with "Filter".
func findFilter(b *testing.B, root fyne.CanvasObject) fyne.Focusable {
	for _, o := range test.LaidOutObjects(root) {
		v := reflect.ValueOf(o)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			continue
		}
		ph := v.Elem().FieldByName("PlaceHolder")
		if !ph.IsValid() || ph.Kind() != reflect.String || !strings.HasPrefix(ph.String(), "Filter") {
			continue
		}
		_, settable := o.(interface{ SetText(string) })
		if f, ok := o.(fyne.Focusable); ok && settable {
			return f
		}
	}
	b.Fatal("the window has no filter box")
	return nil
}
