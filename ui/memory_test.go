package ui

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestMemoryIsHandedBackOnceWorkSettles(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var freed atomic.Int32
		r := &releaser{delay: settleAfter, free: func() { freed.Add(1) }}
		for range 5 { // a burst of statuses
			r.poke()
			time.Sleep(settleAfter / 4)
		}
		synctest.Wait()
		if n := freed.Load(); n != 0 {
			t.Fatalf("memory was handed back %d times while statuses still came", n)
		}
		time.Sleep(settleAfter)
		synctest.Wait()
		if n := freed.Load(); n != 1 {
			t.Errorf("after the burst memory was handed back %d times, want once", n)
		}
	})
}

func TestHidingToTheTrayLetsGoOfTheDetails(t *testing.T) {
	h := newHarness(t)
	h.add("prod", "Prod", h.server(), "admin")
	d := h.open()
	h.desk.act.refresh("prod")
	h.waitFor("the read", func() bool { return h.idle("prod") && h.svc.Status("prod").Token != nil })
	h.selectInstance("prod")
	var freed atomic.Int32
	d.mem = &releaser{delay: time.Millisecond, free: func() { freed.Add(1) }}
	d.tray = &tray{gone: true} // a tray the desktop draws
	h.env.trayHost = func() bool { return true }
	if len(d.detail.fields.Objects) == 0 {
		t.Fatal("setup: the detail pane lists no fields")
	}

	d.closeWindow()
	h.waitFor("the window to hide", func() bool { return d.detail.id == "" })
	if len(d.detail.fields.Objects) != 0 || d.detail.rawText != "" {
		t.Error("the hidden window still holds the token's fields")
	}
	for deadline := time.Now().Add(20 * time.Second); freed.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the memory was never handed back after the window hid")
		}
	}

	d.reveal("")
	if d.detail.id != "prod" || len(d.detail.fields.Objects) == 0 {
		t.Errorf("the window came back without the selected instance (%q)", d.detail.id)
	}
}
