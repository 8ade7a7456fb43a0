package ui

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/watch"
	"github.com/licensedesk/licensedesk/client"
)

// sentLog records what reached the desktop.
type sentLog struct {
	mu   sync.Mutex
	sent []watch.Message
}

func (l *sentLog) send(n watch.Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = append(l.sent, n)
}

func (l *sentLog) take() []watch.Message {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.sent
	l.sent = nil
	return out
}

func note(name, what string, s client.State) watch.Notification {
	return watch.Notification{InstanceID: strings.ToLower(name), Title: name + ": " + what, Body: "Details.", State: s}
}

// fleet is a count as the tray would make it: needing of total need attention.
func fleet(needing, total int) func() watch.Attention {
	return func() watch.Attention {
		return watch.Attention{Total: total, Needing: needing, ByState: map[client.State]int{client.StateWarning: needing}}
	}
}

func TestNotificationsThatComeTogetherBecomeOneSummary(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &sentLog{}
		s := newNotifySender(log.send, fleet(9, 12))
		defer s.close()

		// Given a first start that finds many instances in trouble at once.
		s.add(note("Prod US", "license expires in 12 days", client.StateWarning))
		s.add(note("Legacy DC", "license expired 3 days ago", client.StateCritical))
		s.add(note("Staging US", "token expires in 1 day", client.StateWarning))
		s.add(note("Dev Sandbox", "license could not be read", client.StateUnknown))
		for i := range 5 {
			s.add(note("Edge "+itoa(i), "license expires in 20 days", client.StateWarning))
		}
		time.Sleep(notifyGather / 2)
		synctest.Wait()
		if got := log.take(); len(got) != 0 {
			t.Fatalf("%d notifications went out before the burst was gathered", len(got))
		}
		time.Sleep(notifyGather)
		synctest.Wait()

		// Then one summary names the worst first and counts the rest.
		got := log.take()
		if len(got) != 1 {
			t.Fatalf("%d notifications, want one summary", len(got))
		}
		if got[0].Title != "9 of 12 instances need attention" {
			t.Errorf("title %q", got[0].Title)
		}
		lines := strings.Split(got[0].Body, "\n")
		want := []string{"Legacy DC: license expired 3 days ago", "Dev Sandbox: license could not be read", "Prod US: license expires in 12 days"}
		if len(lines) != watch.SummaryLines+1 || strings.Join(lines[:3], "\n") != strings.Join(want, "\n") {
			t.Errorf("summary body:\n%s", got[0].Body)
		}
		if last := lines[len(lines)-1]; last != "…and 3 more. Open Licensedesk to see them all." {
			t.Errorf("the summary ends %q", last)
		}

		// Given a few later, when they come, then each goes out as itself.
		s.add(note("Prod US", "license OK again", client.StateOK))
		s.add(note("Prod EU", "license expires in 29 days", client.StateWarning))
		time.Sleep(2 * notifyGather)
		synctest.Wait()
		got = log.take()
		if len(got) != 2 || got[0].Title != "Prod US: license OK again" || got[1].Body != "Details." {
			t.Errorf("got %d: %+v", len(got), got)
		}
	})
}

func TestClosingTheSenderDeliversWhatIsGathering(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		log := &sentLog{}
		s := newNotifySender(log.send, fleet(1, 1))
		s.add(note("Prod US", "license expires in 12 days", client.StateWarning))
		synctest.Wait()
		s.close()
		if got := log.take(); len(got) != 1 || got[0].Title != "Prod US: license expires in 12 days" {
			t.Errorf("closing lost or changed the notification: %+v", got)
		}
	})
}

func TestSummaryTitleSaysWhetherInstancesRecovered(t *testing.T) {
	var ok []watch.Notification
	for i := range 4 {
		ok = append(ok, note("I"+itoa(i), "license OK again", client.StateOK))
	}
	if got := composeNotifications(ok, watch.Attention{}, 3)[0].Title; got != "4 instances are OK again" {
		t.Errorf("recoveries: %q", got)
	}
}

// A summary's title is the tray's count of the fleet, whatever the batch
// holds: announced instances that recovered since, and a batch that mixes
// recoveries with trouble, never make the two disagree.
func TestSummaryTitleIsTheTraysCount(t *testing.T) {
	now := time.Now()
	status := func(id string, s client.State) app.Status {
		return app.Status{Instance: app.Instance{ID: id, Name: id}, CheckedAt: now, Eval: client.Evaluation{State: s, Message: "x"}}
	}
	// Four were announced in trouble; two of them (a, b) recovered before
	// the batch went out, and one more (z) is in trouble but muted.
	sts := []app.Status{status("a", client.StateOK), status("b", client.StateOK), status("c", client.StateWarning),
		status("d", client.StateCritical), status("z", client.StateWarning), status("e", client.StateOK)}
	var batch []watch.Notification
	for _, id := range []string{"a", "b", "c", "d"} {
		batch = append(batch, note(id, "license expires in 3 days", client.StateWarning))
	}
	mixed := append(slices.Clone(batch[:3]), note("e", "license OK again", client.StateOK))
	tray := watch.TrayModel(sts).Summary
	for name, b := range map[string][]watch.Notification{"in trouble": batch, "mixed": mixed} {
		if got := composeNotifications(b, watch.CountAttention(sts), 3)[0].Title; got != tray || got != "3 of 6 instances need attention" {
			t.Errorf("%s: the summary says %q, the tray %q", name, got, tray)
		}
	}
}
