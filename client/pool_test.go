package client_test

import (
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// waitFor polls cond until it holds, failing the test after a generous
// bound: the server learns of a closed connection a moment after the client.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestClientsWithEqualSettingsShareOneConnectionPool(t *testing.T) {
	// Given one Grafana behind a private CA, and many clients for it with the
	// same transport settings, as a fleet of instances sharing a CA file has
	s := newGrafana(t, grafanatest.WithTLS())
	ca := writeCA(t, s)
	const n = 20
	clients := make([]*client.Client, n)
	for i := range clients {
		c, err := client.New(client.Options{BaseURL: s.URL, Auth: basicAuth, CAFile: ca})
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}

	// When each reads the token in turn
	for _, c := range clients {
		if _, err := c.Token(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}

	// Then they all went over one kept-alive connection, not one each
	if got := s.Connections().Opened; got != 1 {
		t.Errorf("%d clients with the same settings opened %d connections; want 1 shared", n, got)
	}

	// And a client whose settings differ has a pool of its own
	other, err := client.New(client.Options{BaseURL: s.URL, Auth: basicAuth, InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Token(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := s.Connections().Opened; got != 2 {
		t.Errorf("after a client with other settings: %d connections opened, want 2", got)
	}

	// And closing the last client of a pool closes its idle connection
	other.Close()
	waitFor(t, "the other pool's connection to close", func() bool { return s.Connections().Open == 1 })

	// But closing some clients of the shared pool keeps it for the others
	for _, c := range clients[1:] {
		c.Close()
	}
	if _, err := clients[0].Token(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := s.Connections().Opened; got != 2 {
		t.Errorf("the remaining client opened a new connection (%d in all) instead of reusing the pool's", got)
	}

	// Until the last one goes: then no connection stays open
	clients[0].Close()
	waitFor(t, "the idle connections to close", func() bool { return s.Connections().Open == 0 })
}

func TestMaxConnsPerHostBoundsConnectionsInUse(t *testing.T) {
	// Given a Grafana that answers slowly enough for requests to overlap
	s := newGrafana(t, grafanatest.WithLatency(20*time.Millisecond))
	const limit, n = 2, 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		c, err := client.New(client.Options{BaseURL: s.URL, Auth: basicAuth, MaxConnsPerHost: limit})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		// When many clients read at once
		wg.Go(func() {
			_, err := c.Token(ctx(t))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// Then every read worked over at most the bound's connections
	if got := s.Connections().Opened; got > limit {
		t.Errorf("%d connections opened under MaxConnsPerHost %d", got, limit)
	}
}
