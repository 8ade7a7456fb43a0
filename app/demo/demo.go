// Package demo runs Licensedesk on built-in emulated Grafana instances, one
// in each state the product shows, with a throwaway store and in-memory
// secrets: trying the app touches neither the user's config nor their
// keyring. Only main wires it in, so the core never imports the emulator.
package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/app/history"
	"github.com/licensedesk/licensedesk/app/vault"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// Demo is a set of emulated Grafana instances on loopback, one in each state
// the product shows, with a throwaway store and in-memory secrets: trying
// the app touches neither the user's config nor their keyring.
type Demo struct {
	dir      string
	svc      *app.Service
	servers  []*grafanatest.Server
	licenses map[string]string // instance id → path of a fresh license.jwt for it
}

// demoInstance describes one demo instance and the state it is meant to show.
type demoInstance struct {
	id, name       string
	company, slug  string // the license holder, and its grafana.com org
	auth, username string
	secret         string
	want           client.State
	why            string // what the instance demonstrates
	// claims, when set, changes the instance's healthy license.
	claims func(c *grafanatest.Claims, now time.Time)
	opts   []grafanatest.Option // emulator options beyond the license
	// stats, when set, are the active user counts instead of demoStats.
	stats *grafanatest.Stats
	// peerOf, when set, is the id of an instance listed before this one
	// whose Grafana this one is an HA node of: it shares that Grafana's
	// root_url and licensed URL.
	peerOf string
}

// demoStats are the active users of an instance well within its limit.
var demoStats = grafanatest.Stats{ActiveUsers: 180, ActiveAdminsAndEditors: 22, ActiveViewers: 158}

const demoDay = 24 * time.Hour

// demoClaims is a healthy license for company as of now; the server fills in sub.
func demoClaims(now time.Time, company, slug string) grafanatest.Claims {
	c := grafanatest.DefaultClaims(now)
	c.Company, c.Account, c.Slug = company, slug, slug
	c.DetailsURL = "https://grafana.com/orgs/" + slug + "/licenses"
	c.IncludedUsers = 250
	return c
}

// options are the emulator's options for the instance as of now; root,
// when set, is the root_url (and licensed URL) of the HA pair it belongs to.
func (spec demoInstance) options(now time.Time, root string) []grafanatest.Option {
	c := demoClaims(now, spec.company, spec.slug)
	if spec.claims != nil {
		spec.claims(&c, now)
	}
	stats := demoStats
	if spec.stats != nil {
		stats = *spec.stats
	}
	opts := []grafanatest.Option{grafanatest.WithStats(stats)}
	if root != "" {
		c.Subject = root
		opts = append(opts, grafanatest.WithRootURL(root))
	}
	return append(append(opts, grafanatest.WithClaims(c)), spec.opts...)
}

// demoInstances are the demo's instances, in the order the window lists them.
var demoInstances = []demoInstance{
	{
		id: "prod-eu", name: "Prod EU", company: "Nordwind Logistics GmbH", slug: "nordwind",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateOK, why: "healthy",
	},
	{
		id: "prod-us", name: "Prod US", company: "Acme Analytics Inc.", slug: "acme",
		auth: app.AuthBearer, secret: "glsa_admin_00000000",
		want: client.StateWarning, why: "license expires in 12 days",
		claims: func(c *grafanatest.Claims, now time.Time) {
			c.LicenseExpiry = now.Add(12*demoDay + time.Hour)
		},
	},
	{
		id: "legacy-dc", name: "Legacy DC", company: "Harbor Freight Systems", slug: "harbor",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateCritical, why: "license expired",
		claims: func(c *grafanatest.Claims, now time.Time) {
			c.LicenseIssued = now.AddDate(-1, 0, -3)
			c.LicenseExpiry = now.Add(-3 * demoDay)
		},
		opts: []grafanatest.Option{grafanatest.WithVersion("10.4.3")},
	},
	{
		id: "staging-us", name: "Staging US", company: "Acme Analytics Inc.", slug: "acme",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateWarning, why: "token expires within 2 days",
		claims: func(c *grafanatest.Claims, now time.Time) {
			c.IssuedAt = now.Add(-6 * demoDay)
			c.TokenExpiry = now.Add(demoDay + 2*time.Hour)
		},
	},
	{
		id: "analytics-apac", name: "Analytics APAC", company: "Kiwi Telecom Ltd", slug: "kiwitel",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateCritical, why: "license issued for another root URL (status 6)",
		claims: func(c *grafanatest.Claims, _ time.Time) {
			c.Subject = "https://grafana.apac.kiwitel.example/"
		},
	},
	{
		id: "dev-sandbox", name: "Dev Sandbox", company: "Nordwind Logistics GmbH", slug: "nordwind",
		auth: app.AuthBasic, username: "admin", secret: "not-the-password",
		want: client.StateUnknown, why: "wrong password (401)",
	},
	{
		id: "reporting", name: "Reporting", company: "Bluefin Insurance", slug: "bluefin",
		auth: app.AuthBasic, username: "viewer", secret: "viewer",
		want: client.StateUnknown, why: "user lacks the licensing permissions (403)",
	},
	{
		id: "plant-offline", name: "Plant Floor (air-gapped)", company: "Harbor Freight Systems", slug: "harbor",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateOK, why: "cannot reach grafana.com: renew fails, upload works",
		opts: []grafanatest.Option{grafanatest.WithOffline()},
	},
	{
		id: "remote-office", name: "Remote Office", company: "Bluefin Insurance", slug: "bluefin",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateOK, why: "slow network (2 s per answer)",
		opts: []grafanatest.Option{grafanatest.WithLatency(2 * time.Second)},
	},
	{
		id: "trial-lab", name: "Trial Lab", company: "Orbital Robotics AB", slug: "orbital",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateWarning, why: "trial ends in 5 days",
		claims: func(c *grafanatest.Claims, now time.Time) {
			c.Trial, c.TrialExpiry = true, now.Add(5*demoDay+time.Hour)
			c.IncludedUsers = 25
		},
		stats: &grafanatest.Stats{ActiveUsers: 14, ActiveAdminsAndEditors: 4, ActiveViewers: 10},
	},
	{
		id: "support-portal", name: "Support Portal", company: "Bluefin Insurance", slug: "bluefin",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateCritical, why: "180 of 150 users, 12 of them for 120 anonymous devices (120 %)",
		claims: func(c *grafanatest.Claims, _ time.Time) {
			c.IncludedUsers, c.AnonymousRatio = 150, 10
		},
		stats: &grafanatest.Stats{ActiveUsers: 168, ActiveAdminsAndEditors: 31, ActiveViewers: 137, ActiveAnonymousDevices: 120},
	},
	{
		id: "edge-proxy", name: "Edge (proxy blocks renewal)", company: "Harbor Freight Systems", slug: "harbor",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateWarning, why: "token not renewed for 6 days",
		claims: func(c *grafanatest.Claims, now time.Time) {
			c.IssuedAt = now.Add(-6*demoDay - 3*time.Hour)
			c.TokenExpiry = now.Add(7 * demoDay) // a long-lived token: only its age tells
		},
		opts: []grafanatest.Option{grafanatest.WithOffline()},
	},
	{
		id: "aws-analytics", name: "Analytics (AWS Marketplace)", company: "Kiwi Telecom Ltd", slug: "kiwitel",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateOK, why: "AWS Marketplace license: no licensed URL, no license expiry",
		claims: func(c *grafanatest.Claims, now time.Time) {
			aws := grafanatest.AWSMarketplaceClaims(now)
			c.Issuer, c.Subject, c.LicenseExpiry, c.DetailsURL = aws.Issuer, aws.Subject, aws.LicenseExpiry, aws.DetailsURL
			c.LicenseID, c.Account, c.Slug = aws.LicenseID, aws.Account, aws.Slug
		},
	},
	{
		id: "prod-ha-a", name: "Prod HA · node A", company: "Nordwind Logistics GmbH", slug: "nordwind",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateOK, why: "HA node serving the current token",
		claims: func(c *grafanatest.Claims, _ time.Time) { c.LicenseID = "20877" },
	},
	{
		id: "prod-ha-b", name: "Prod HA · node B", company: "Nordwind Logistics GmbH", slug: "nordwind",
		auth: app.AuthBasic, username: "admin", secret: "admin",
		want: client.StateWarning, why: "HA node serving a token 2 days older than node A's",
		claims: func(c *grafanatest.Claims, now time.Time) {
			c.LicenseID = "20877"
			c.IssuedAt = now.Add(-2*demoDay - time.Hour)
			c.TokenExpiry = now.Add(5 * demoDay)
		},
		peerOf: "prod-ha-a",
	},
}

// Start starts the demo instances and a service over them; tune, when set,
// adjusts the service's configuration (the command line's check does).
// Close it when done. A failure (no free port, say) is an error, never a
// panic.
func Start(tune func(*app.Config)) (app.DemoSession, error) {
	dir, err := os.MkdirTemp("", "licensedesk-demo-")
	if err != nil {
		return nil, fmt.Errorf("cannot create the demo's temporary folder: %w", err)
	}
	d := &Demo{dir: dir, licenses: map[string]string{}}
	if err := d.start(tune); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func (d *Demo) start(tune func(*app.Config)) error {
	now := time.Now()
	secrets := vault.NewMemory()
	var list []app.Instance
	byID := map[string]*grafanatest.Server{}
	for _, spec := range demoInstances {
		root := ""
		if peer := byID[spec.peerOf]; peer != nil {
			root = peer.RootURL()
		}
		srv, err := grafanatest.Start(spec.options(now, root)...)
		if err != nil {
			return fmt.Errorf("cannot start the demo instance %q: %w", spec.name, err)
		}
		d.servers = append(d.servers, srv)
		byID[spec.id] = srv
		inst := app.Instance{
			ID: spec.id, Name: spec.name, URL: srv.URL + "/",
			Auth: spec.auth, Username: spec.username,
		}
		list = append(list, inst)
		if err := secrets.Set(vault.KeyFor(inst), spec.secret); err != nil {
			return err
		}
		// A fresh year-long license for this instance, to try Upload with.
		c := demoClaims(now, spec.company, "demo")
		c.Subject = srv.RootURL()
		path := filepath.Join(d.dir, spec.id+".license.jwt")
		if err := os.WriteFile(path, []byte(grafanatest.IssueJWT(c)+"\n"), 0o600); err != nil {
			return fmt.Errorf("cannot write the demo license file: %w", err)
		}
		d.licenses[spec.id] = path
	}
	store := filepath.Join(d.dir, "instances.json")
	if err := config.NewStore(store).Save(list); err != nil {
		return err
	}
	cfg := app.Config{
		StorePath: store,
		Secrets:   secrets,
		UserAgent: "licensedesk-demo/" + app.Version,
		History:   history.OpenHistory(history.HistoryPath(store)),
		Source:    history.SourceWindow,
	}
	if tune != nil {
		tune(&cfg)
	}
	svc, err := app.NewService(cfg)
	if err != nil {
		return err
	}
	d.svc = svc
	return nil
}

// Service is the engine over the demo instances.
func (d *Demo) Service() *app.Service { return d.svc }

// StorePath is the demo's temporary instances.json.
func (d *Demo) StorePath() string { return filepath.Join(d.dir, "instances.json") }

// LicenseFile is a valid license.jwt for the demo's expired instance
// ("legacy-dc"): uploading it there turns the instance healthy.
func (d *Demo) LicenseFile() string { return d.licenses["legacy-dc"] }

// LicenseFileFor is a valid license.jwt for the demo instance id, or "".
func (d *Demo) LicenseFileFor(id string) string { return d.licenses[id] }

// Close stops the emulated instances and removes the temporary folder. It
// may be called more than once.
func (d *Demo) Close() error {
	for _, s := range d.servers {
		s.Close()
	}
	d.servers = nil
	if d.dir == "" {
		return nil
	}
	err := os.RemoveAll(d.dir)
	d.dir = ""
	if err != nil {
		return errors.New("could not remove the demo's temporary folder: " + err.Error())
	}
	return nil
}
