package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// newTestService builds a service over list, every instance signing in with secret.
func newTestService(t *testing.T, secret string, list ...Instance) (*Service, *vault.Memory) {
	t.Helper()
	return newTunedService(t, nil, secret, list...)
}

// newTunedService is newTestService with tune adjusting the Config first.
func newTunedService(t *testing.T, tune func(*Config), secret string, list ...Instance) (*Service, *vault.Memory) {
	t.Helper()
	secrets := vault.NewMemory()
	for _, inst := range list {
		secrets.Set(vault.KeyFor(inst), secret)
	}
	cfg := Config{StorePath: saveConfig(t, list...), Secrets: secrets}
	if tune != nil {
		tune(&cfg)
	}
	svc, err := NewService(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc, secrets
}

func TestServiceKeepsTheLastGoodTokenWhenAReadFails(t *testing.T) {
	srv := emulator(t)
	svc, _ := newTestService(t, "admin", basicInstance("prod-eu", "Prod EU", srv))
	ctx := context.Background()

	first := svc.Refresh(ctx, "prod-eu")
	if first.Err != nil || first.Token == nil || first.Eval.State != client.StateOK || first.HTTPStatus != 200 {
		t.Fatalf("first read: err %v, state %v, status %d", first.Err, first.Eval.State, first.HTTPStatus)
	}

	srv.SetFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 500, Path: "/api/licensing/token"})
	second := svc.Refresh(ctx, "prod-eu")

	if second.Err == nil || !second.Stale || second.Token != first.Token {
		t.Fatalf("failed read: err %v, stale %v, token kept %v", second.Err, second.Stale, second.Token == first.Token)
	}
	if second.Eval.State != client.StateUnknown {
		t.Errorf("state = %v, want unknown while the token cannot be read", second.Eval.State)
	}
	if !second.Eval.License.Reported() || !second.Eval.License.At.Equal(first.Eval.License.At) {
		t.Errorf("the stale token's license expiry is not shown: %+v", second.Eval.License)
	}
	if !strings.Contains(second.Eval.Message, "500") || !strings.Contains(second.Eval.Message, "showing the token read on") {
		t.Errorf("message = %q, want the reason and that an earlier token is shown", second.Eval.Message)
	}
	var apiErr *client.APIError
	if !errors.As(second.Err, &apiErr) || second.HTTPStatus != 500 {
		t.Errorf("err = %v (status %d), want a 500 *client.APIError", second.Err, second.HTTPStatus)
	}
	if !second.ReadAt.Equal(first.ReadAt) || !second.CheckedAt.After(first.CheckedAt) && !second.CheckedAt.Equal(first.CheckedAt) {
		t.Errorf("ReadAt should stay at the last success, CheckedAt move on: %v %v", second.ReadAt, second.CheckedAt)
	}

	srv.ClearFaults()
	third := svc.Refresh(ctx, "prod-eu")
	if third.Err != nil || third.Stale || third.Eval.State != client.StateOK {
		t.Errorf("after recovery: err %v, stale %v, state %v", third.Err, third.Stale, third.Eval.State)
	}
}

func TestServiceReadsHealthAndStatsBestEffort(t *testing.T) {
	srv := emulator(t, grafanatest.WithVersion("10.4.3"), grafanatest.WithStats(grafanatest.Stats{ActiveUsers: 77}))
	svc, _ := newTestService(t, "admin", basicInstance("prod-eu", "Prod EU", srv))

	st := svc.Refresh(context.Background(), "prod-eu")
	if st.Health == nil || st.Health.Version != "10.4.3" || st.Stats == nil || st.Stats.ActiveUsers != 77 {
		t.Fatalf("health %+v, stats %+v", st.Health, st.Stats)
	}

	srv.SetFault(grafanatest.Fault{Kind: grafanatest.FaultHTML, Path: "/api/health"})
	srv.AddFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 500, Path: "/api/licensing/refresh-stats"})
	st = svc.Refresh(context.Background(), "prod-eu")
	if st.Err != nil || st.Eval.State != client.StateOK {
		t.Errorf("a failing health or stats call failed the read: %v", st.Err)
	}
	if st.Health == nil || st.Stats == nil {
		t.Error("the last known health and stats were dropped")
	}
}

func TestServiceShowsTheFrontendLicenseExpiryWithoutLicensingRead(t *testing.T) {
	srv := emulator(t)
	inst := basicInstance("reporting", "Reporting", srv)
	inst.Username = "viewer"
	svc, _ := newTestService(t, "viewer", inst)

	st := svc.Refresh(context.Background(), "reporting")

	if st.Eval.State != client.StateUnknown || st.HTTPStatus != 403 {
		t.Fatalf("state %v, status %d; want unknown after a 403", st.Eval.State, st.HTTPStatus)
	}
	claims, _ := srv.Claims()
	if !st.Eval.License.Reported() || !st.Eval.License.At.Equal(claims.LicenseExpiry.Truncate(time.Second)) {
		t.Errorf("license expiry %v, want %v from the frontend settings", st.Eval.License.At, claims.LicenseExpiry)
	}
	if !strings.Contains(st.Eval.Message, "permissions") {
		t.Errorf("message %q should say what permission is missing", st.Eval.Message)
	}
}

func TestServiceRefreshAllReportsProgressInOrder(t *testing.T) {
	var list []Instance
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		list = append(list, basicInstance(id, strings.ToUpper(id), emulator(t)))
	}
	svc, _ := newTunedService(t, func(c *Config) { c.Concurrency = 2 }, "admin", list...)

	var mu sync.Mutex
	var dones []int
	seen := map[string]bool{}
	got := svc.RefreshAll(context.Background(), nil, func(done, total int, st Status) {
		mu.Lock()
		defer mu.Unlock()
		if total != 5 {
			t.Errorf("total = %d, want 5", total)
		}
		dones = append(dones, done)
		seen[st.Instance.ID] = true
	})

	if len(got) != 5 {
		t.Fatalf("got %d statuses", len(got))
	}
	for i, st := range got {
		if st.Instance.ID != list[i].ID || st.Eval.State != client.StateOK {
			t.Errorf("status %d = %s %v (%v), want %s ok", i, st.Instance.ID, st.Eval.State, st.Err, list[i].ID)
		}
	}
	if fmtInts(dones) != "1 2 3 4 5" {
		t.Errorf("progress done counts = %v, want 1..5", dones)
	}
	if len(seen) != 5 {
		t.Errorf("progress saw %d instances", len(seen))
	}
	some := svc.RefreshAll(context.Background(), []string{"d", "b"}, nil)
	if len(some) != 2 || some[0].Instance.ID != "d" || some[1].Instance.ID != "b" {
		t.Errorf("RefreshAll of d,b returned %v", some)
	}
}

func fmtInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = itoa(int64(n))
	}
	return strings.Join(s, " ")
}

func TestServiceSubscribeIsNotifiedOfEveryChange(t *testing.T) {
	srv := emulator(t)
	svc, _ := newTestService(t, "admin", basicInstance("prod-eu", "Prod EU", srv))
	var mu sync.Mutex
	var got []Status
	unsubscribe := svc.Subscribe(func(st Status) {
		mu.Lock()
		got = append(got, st)
		mu.Unlock()
	})
	ctx := context.Background()

	svc.Refresh(ctx, "prod-eu")
	svc.Renew(ctx, "prod-eu")
	svc.AddInstance(Instance{Name: "Staging", URL: srv.URL + "/", Auth: AuthBasic, Username: "admin"}, "admin")
	svc.RefreshAll(ctx, nil, nil)
	svc.RemoveInstance("staging")
	svc.SetPolicy(client.Policy{LicenseWarnDays: 400})
	unsubscribe()
	svc.Refresh(ctx, "prod-eu")

	mu.Lock()
	defer mu.Unlock()
	var trail []string
	for _, st := range got {
		e := st.Instance.ID + ":" + st.Eval.State.String()
		if st.Removed {
			e = st.Instance.ID + ":removed"
		}
		trail = append(trail, e)
	}
	// Staging is served by prod-eu's Grafana: the two are HA peers, so a
	// read of Refresh all tells the other's status too, once both are read
	// (three or four statuses, as the reads finish).
	head := []string{"prod-eu:ok", "prod-eu:ok", "staging:unknown"}
	tail := []string{"staging:removed", "prod-eu:warning"}
	if n := len(trail) - len(head) - len(tail); n < 3 || n > 4 {
		t.Fatalf("notifications = %v, want %v, 3 or 4 from Refresh all, then %v", trail, head, tail)
	}
	if !slices.Equal(trail[:len(head)], head) || !slices.Equal(trail[len(trail)-len(tail):], tail) {
		t.Errorf("notifications = %v, want %v first and %v last", trail, head, tail)
	}
}

// TestServiceReadTellsItsPeers: a node read before its peer is judged
// again when the peer's read shows it serves an older token, and
// subscribers hear of it.
func TestServiceReadTellsItsPeers(t *testing.T) {
	newest, stale := grafanatest.NewHAPair(time.Now(), 2*24*time.Hour)
	t.Cleanup(newest.Close)
	t.Cleanup(stale.Close)
	svc, _ := newTestService(t, "admin", basicInstance("node-a", "Node A", newest), basicInstance("node-b", "Node B", stale))
	var mu sync.Mutex
	heard := map[string]Status{}
	defer svc.Subscribe(func(st Status) {
		mu.Lock()
		heard[st.Instance.ID] = st
		mu.Unlock()
	})()
	ctx := context.Background()

	if st := svc.Refresh(ctx, "node-b"); st.Eval.State != client.StateOK || st.Peers != nil {
		t.Fatalf("node B alone: %v, peers %v", st.Eval.State, st.Peers)
	}
	svc.Refresh(ctx, "node-a")

	mu.Lock()
	defer mu.Unlock()
	b := heard["node-b"]
	if !slices.Equal(b.Peers, []string{"node-a"}) || b.Eval.State != client.StateWarning || b.Eval.Reasons[0].Code != client.ReasonStaleToken {
		t.Errorf("after node A's read, subscribers last heard of node B: %v, peers %v, %q", b.Eval.State, b.Peers, b.Eval.Message)
	}

	// Node A's next read fails: its token is no longer fresh, so node B is
	// not judged by it any more, and subscribers hear so at once.
	newest.SetFault(grafanatest.Fault{Kind: grafanatest.FaultStatus, Status: 502, Body: "Bad Gateway\n"})
	mu.Unlock()
	svc.Refresh(ctx, "node-a")
	mu.Lock()
	if b := heard["node-b"]; b.Peers != nil || b.Eval.State != client.StateOK {
		t.Errorf("after node A's failed read, subscribers last heard of node B: %v, peers %v, %q", b.Eval.State, b.Peers, b.Eval.Message)
	}
}

func TestServiceActionsReturnTypedErrors(t *testing.T) {
	srv := emulator(t, grafanatest.WithOffline())
	svc, _ := newTestService(t, "admin", basicInstance("plant", "Plant", srv))
	ctx := context.Background()

	_, err := svc.Renew(ctx, "plant")
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Op != client.OpRenew {
		t.Errorf("renew of an offline instance: %v, want a 500 APIError", err)
	}
	if st := svc.Status("plant"); st.HTTPStatus != 500 {
		t.Errorf("HTTP status after the failed renew = %d, want 500", st.HTTPStatus)
	}

	_, err = svc.Upload(ctx, "plant", "not.a.jwt")
	if !client.IsStatus(err, 400) {
		t.Errorf("upload of junk: %v, want a 400 APIError", err)
	}

	_, err = svc.Delete(ctx, "plant", "https://wrong.example/")
	if !client.IsStatus(err, 422) {
		t.Errorf("delete with a wrong root URL: %v, want a 422 APIError", err)
	}
	if _, loaded := srv.Claims(); !loaded {
		t.Error("the license went away after a refused delete")
	}

	st, err := svc.Delete(ctx, "plant", srv.RootURL())
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	if st.Token == nil || st.Token.Status != client.StatusNotFound || st.Eval.State != client.StateCritical {
		t.Errorf("after delete the status should show no license: %+v", st.Eval)
	}

	_, err = svc.Renew(ctx, "nope")
	if !errors.Is(err, ErrUnknownInstance) {
		t.Errorf("renew of an unknown id: %v", err)
	}
}

func TestServiceRecordsActionsInTheHistory(t *testing.T) {
	srv := emulator(t)
	inst := basicInstance("prod-eu", "Prod EU", srv)
	path := saveConfig(t, inst)
	secrets := vault.NewMemory()
	secrets.Set(vault.KeyFor(inst), "admin")
	svc, _ := NewService(Config{StorePath: path, Secrets: secrets, History: history.OpenHistory(history.HistoryPath(path)), Source: history.SourceCLI})

	svc.Renew(context.Background(), "prod-eu")
	srv.SetOffline(true)
	svc.Renew(context.Background(), "prod-eu")

	entries, err := svc.History().Read("prod-eu")
	if err != nil || len(entries) != 2 {
		t.Fatalf("history: %v, %d entries", err, len(entries))
	}
	if entries[0].Outcome != history.OutcomeFailed || entries[1].Outcome != history.OutcomeOK || entries[1].Source != history.SourceCLI {
		t.Errorf("entries = %+v", entries)
	}
}

func TestServiceRebuildsTheClientWhenTheInstanceChanges(t *testing.T) {
	a, b := emulator(t), emulator(t, grafanatest.WithVersion("9.5.0"))
	svc, secrets := newTestService(t, "admin", basicInstance("x", "X", a))
	ctx := context.Background()
	if st := svc.Refresh(ctx, "x"); st.Health == nil || st.Health.Version != "11.2.2" {
		t.Fatalf("first read: %+v", st.Health)
	}

	moved := basicInstance("x", "X", b)
	if err := svc.UpdateInstance(moved, nil); err != nil {
		t.Fatal(err)
	}
	if st := svc.Refresh(ctx, "x"); st.Health == nil || st.Health.Version != "9.5.0" || st.Err != nil {
		t.Errorf("after moving the URL: %+v, %v", st.Health, st.Err)
	}

	wrong := "nope"
	svc.UpdateInstance(moved, &wrong)
	if st := svc.Refresh(ctx, "x"); st.HTTPStatus != 401 {
		t.Errorf("after changing the secret: status %d, want 401", st.HTTPStatus)
	}
	if got, _ := secrets.Get(vault.KeyFor(moved)); got != "nope" {
		t.Errorf("secret = %q", got)
	}
}

func TestServiceStartsOnACorruptStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "instances.json")
	os.WriteFile(path, []byte("{not json"), 0o600)

	svc, err := NewService(Config{StorePath: path, Secrets: vault.NewMemory()})

	if err != nil || svc.LoadWarning() == "" || len(svc.Instances()) != 0 {
		t.Fatalf("err %v, warning %q, instances %d", err, svc.LoadWarning(), len(svc.Instances()))
	}
	if err := svc.AddInstance(Instance{Name: "New", URL: "https://n.example/", Auth: AuthBearer}, ""); err != nil {
		t.Errorf("adding after a corrupt load: %v", err)
	}
	matches, _ := filepath.Glob(path + ".corrupt-*")
	if len(matches) != 1 {
		t.Errorf("the damaged file was not kept aside: %v", matches)
	}
}

func TestServiceConcurrentWritersLoseNothing(t *testing.T) {
	path := saveConfig(t)
	a, _ := NewService(Config{StorePath: path})
	b, _ := NewService(Config{StorePath: path})
	var wg sync.WaitGroup
	for i := range 10 {
		for _, svc := range []*Service{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				inst := Instance{Name: "N", URL: "https://n.example/", Auth: AuthBearer}
				inst.ID = "i" + itoa(int64(i)) + map[*Service]string{a: "a", b: "b"}[svc]
				if err := svc.AddInstance(inst, ""); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	list, err := config.NewStore(path).Load()
	if err != nil || len(list) != 20 {
		t.Errorf("after 20 concurrent adds the file holds %d instances (%v)", len(list), err)
	}
}

func TestServicePolicyOverridesWarnDays(t *testing.T) {
	now := time.Now()
	c := grafanatest.DefaultClaims(now)
	c.LicenseExpiry = now.Add(45 * 24 * time.Hour)
	srv := emulator(t, grafanatest.WithClaims(c))
	svc, _ := newTestService(t, "admin", basicInstance("x", "X", srv))

	if st := svc.Refresh(context.Background(), "x"); st.Eval.State != client.StateOK {
		t.Fatalf("state %v, want ok with 45 days left and 30 warn days", st.Eval.State)
	}
	svc.SetPolicy(client.Policy{LicenseWarnDays: 60})
	if st := svc.Status("x"); st.Eval.State != client.StateWarning || st.Eval.License.WarnDays != 60 {
		t.Errorf("state %v (warn days %d), want warning under a 60-day policy", st.Eval.State, st.Eval.License.WarnDays)
	}
}

func TestServiceTestConnectionSavesNothing(t *testing.T) {
	srv := emulator(t)
	svc, secrets := newTestService(t, "admin")
	inst := basicInstance("new", "New", srv)

	good := svc.TestConnection(context.Background(), inst, "admin")
	bad := svc.TestConnection(context.Background(), inst, "wrong")

	if good.Err != nil || good.Eval.State != client.StateOK {
		t.Errorf("good credentials: %v", good.Err)
	}
	if bad.HTTPStatus != 401 || bad.Eval.State != client.StateUnknown {
		t.Errorf("bad credentials: status %d, state %v", bad.HTTPStatus, bad.Eval.State)
	}
	if len(svc.Instances()) != 0 {
		t.Error("testing a connection saved the instance")
	}
	if _, err := secrets.Get(vault.KeyFor(inst)); !errors.Is(err, vault.ErrNoSecret) {
		t.Error("testing a connection stored the secret")
	}
}

func TestServiceMissingSecretIsExplained(t *testing.T) {
	srv := emulator(t)
	path := saveConfig(t, basicInstance("x", "X", srv))
	svc, _ := NewService(Config{StorePath: path, Secrets: vault.NewMemory()})

	st := svc.Refresh(context.Background(), "x")

	if st.Eval.State != client.StateUnknown || !errors.Is(st.Err, vault.ErrNoSecret) || !strings.Contains(st.Eval.Message, "password") {
		t.Errorf("state %v, err %v, message %q", st.Eval.State, st.Err, st.Eval.Message)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent without a secret", n)
	}
}

func TestServiceRefreshAllBoundsConcurrency(t *testing.T) {
	srv := emulator(t, grafanatest.WithLatency(150*time.Millisecond))
	var list []Instance
	for i := range 8 {
		list = append(list, basicInstance("i"+itoa(int64(i)), "I", srv))
	}
	svc, _ := newTunedService(t, func(c *Config) { c.Concurrency = 2; c.TokenOnly = true }, "admin", list...)

	stop := make(chan struct{})
	peak := make(chan int)
	go func() {
		most := 0
		for {
			select {
			case <-stop:
				peak <- most
				return
			default:
				most = max(most, srv.InFlight())
				time.Sleep(5 * time.Millisecond)
			}
		}
	}()
	got := svc.RefreshAll(context.Background(), nil, nil)
	close(stop)

	if most := <-peak; most > 2 {
		t.Errorf("%d requests were in flight at once with a concurrency of 2", most)
	}
	for _, st := range got {
		if st.Eval.State != client.StateOK {
			t.Errorf("%s: %v %v", st.Instance.ID, st.Eval.State, st.Err)
		}
	}
	if n := srv.RequestCount("/api/licensing/refresh-stats") + srv.RequestCount("/api/health"); n != 0 {
		t.Errorf("a token-only refresh made %d health or stats calls", n)
	}
}

func TestServiceExplainsAGrafanaTooOldForTheLicensingAPI(t *testing.T) {
	srv := emulator(t, grafanatest.WithVersion("7.3.10"))
	svc, _ := newTestService(t, "admin", basicInstance("old", "Old", srv))

	st := svc.Refresh(context.Background(), "old")

	if st.Eval.State != client.StateUnknown || !strings.Contains(st.Eval.Message, "Grafana 7.3.10 is older than 7.4") {
		t.Errorf("state %v, message %q", st.Eval.State, st.Eval.Message)
	}
}

// brokenKeyring fails as a locked or missing Secret Service does.
type brokenKeyring struct{}

func (brokenKeyring) Get(vault.Key) (string, error) { return "", vault.ErrKeyringUnavailable }
func (brokenKeyring) Set(vault.Key, string) error   { return vault.ErrKeyringUnavailable }
func (brokenKeyring) Delete(vault.Key) error        { return vault.ErrKeyringUnavailable }

func TestServiceKeepsASecretForTheSessionWhenTheKeyringIsMissing(t *testing.T) {
	const secret = "Zq9-session-only"
	srv := emulator(t, grafanatest.WithUser("ops", secret, grafanatest.RoleServerAdmin))
	svc, err := NewService(Config{StorePath: saveConfig(t), Secrets: brokenKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	inst := basicInstance("prod-eu", "Prod EU", srv)
	inst.Username = "ops"

	err = svc.AddInstance(inst, secret)
	if !errors.Is(err, vault.ErrKeyringUnavailable) {
		t.Fatalf("add with a missing keyring: %v, want ErrKeyringUnavailable", err)
	}
	if _, ok := svc.Instance("prod-eu"); ok {
		t.Fatal("the instance was saved without its secret: adding must be all or nothing")
	}
	if list, _ := config.NewStore(svc.cfg.StorePath).Load(); len(list) != 0 {
		t.Fatalf("instances.json holds %d instances after a failed add", len(list))
	}

	if err := svc.AddInstanceForSession(inst, secret); err != nil {
		t.Fatal(err)
	}
	if st := svc.Refresh(context.Background(), "prod-eu"); st.Err != nil || st.Eval.State != client.StateOK {
		t.Errorf("with the session secret: %v", st.Err)
	}
	data, _ := os.ReadFile(svc.cfg.StorePath)
	if strings.Contains(string(data), secret) {
		t.Errorf("the secret reached instances.json:\n%s", data)
	}
}

func TestServiceHistoryGivesAFailedActionItsOwnHTTPStatus(t *testing.T) {
	srv := emulator(t)
	inst := basicInstance("prod-eu", "Prod EU", srv)
	path := saveConfig(t, inst)
	secrets := vault.NewMemory()
	secrets.Set(vault.KeyFor(inst), "admin")
	svc, _ := NewService(Config{StorePath: path, Secrets: secrets, History: history.OpenHistory(history.HistoryPath(path))})
	ctx := context.Background()
	if st := svc.Refresh(ctx, "prod-eu"); st.HTTPStatus != 200 {
		t.Fatalf("first read: status %d, err %v", st.HTTPStatus, st.Err)
	}

	// The renew fails before any request: the history must not show the
	// earlier read's 200 beside it.
	if err := svc.UpdateInstance(basicInstance("prod-eu", "Prod EU", srv), new(string)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Renew(ctx, "prod-eu"); !errors.Is(err, vault.ErrNoSecret) {
		t.Fatalf("renew without a secret: %v", err)
	}
	entries, err := svc.History().Read("prod-eu")
	if err != nil || len(entries) != 1 {
		t.Fatalf("history: %v, %d entries", err, len(entries))
	}
	if e := entries[0]; e.Outcome != history.OutcomeFailed || e.HTTPStatus != 0 {
		t.Errorf("entry = %+v; want failed with no HTTP status, as nothing answered", e)
	}
}

// TestServiceClosesTheConnectionsOfAClientItDrops: removing an instance
// releases its kept-alive connection instead of leaving it open. Its CA
// file is its own, so no other test's client shares its transport.
func TestServiceClosesTheConnectionsOfAClientItDrops(t *testing.T) {
	srv := emulator(t, grafanatest.WithTLS())
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	inst := basicInstance("x", "X", srv)
	inst.CAFile = ca
	svc, _ := newTunedService(t, func(c *Config) { c.TokenOnly = true }, "admin", inst)
	if st := svc.Refresh(context.Background(), "x"); st.Err != nil {
		t.Fatal(st.Err)
	}
	if open := srv.Connections().Open; open != 1 {
		t.Fatalf("%d connections open after a read; want the one kept alive", open)
	}

	if err := svc.RemoveInstance("x"); err != nil {
		t.Fatal(err)
	}

	// At once when no other client shares the pool; when others do (other
	// tests' services), within the pool's idle timeout of 2 s.
	deadline := time.Now().Add(5 * time.Second)
	for srv.Connections().Open != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open after the instance was removed", srv.Connections().Open)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
