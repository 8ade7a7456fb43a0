package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/licensedesk/licensedesk/client"
)

// A burst of statuses, as the first pass over a large fleet announces them,
// reaches the window as one batch: one call on the UI goroutine for all of
// them rather than one each (which piled up faster than the window applied
// them), and the rows on screen show their new states as soon as it runs,
// not only at the next re-sort.
func TestBurstOfStatusesReachesTheWindowAsOneBatch(t *testing.T) {
	h := newHarness(t)
	srv := h.server()
	const n = 12
	for i := range n {
		h.add(fmt.Sprintf("grafana-%02d", i), fmt.Sprintf("Grafana %02d", i), srv, "admin")
	}
	d := h.open()
	for len(h.queue) > 0 {
		(<-h.queue)()
	}
	for i := range n {
		if st := h.svc.Refresh(context.Background(), fmt.Sprintf("grafana-%02d", i)); st.Eval.State != client.StateOK {
			t.Fatalf("grafana-%02d read %s: %v", i, st.Eval.State, st.Err)
		}
	}
	if q := len(h.queue); q != 1 {
		t.Fatalf("%d statuses queued %d calls on the UI goroutine, want one for all of them", n, q)
	}
	(<-h.queue)()
	if len(d.list.shown) == 0 {
		t.Fatal("no row of the list is on screen")
	}
	for id, row := range d.list.shown {
		if !strings.HasPrefix(row.state.Text, client.StateOK.Title()) {
			t.Errorf("the row of %s shows %q right after the batch, want its new state %q", id, row.state.Text, client.StateOK.Title())
		}
	}
	h.waitFor("the status line to count every instance ok", func() bool {
		return strings.Contains(d.statusTxt.Text, fmt.Sprintf("%d ok", n))
	})
}
