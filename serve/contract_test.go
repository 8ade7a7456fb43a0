package serve

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"go.yaml.in/yaml/v3"

	"github.com/licensedesk/licensedesk/client/grafanatest"
)

// The shipped files that query what serve exposes.
const (
	rulesFile     = "../packaging/prometheus/licensedesk-rules.yml"
	dashboardFile = "../packaging/grafana/licensedesk-dashboard.json"
)

// targetLabels are the labels Prometheus gives every series of a scrape
// from the target itself; with honor_labels the exposed instance wins.
var targetLabels = []string{"job", "instance"}

// everyCase is a fleet with one instance for each reason the rules watch,
// so that every series and every reason code appears in a scrape.
func everyCase(t *testing.T) *fleet {
	now := time.Now()
	f := newFleet(t)
	f.add("healthy", "Healthy")
	claims := func(edit func(*grafanatest.Claims)) grafanatest.Option {
		c := grafanatest.DefaultClaims(now)
		edit(&c)
		return grafanatest.WithClaims(c)
	}
	f.add("license-expiring", "License expiring", claims(func(c *grafanatest.Claims) { c.LicenseExpiry = now.AddDate(0, 0, 10) }))
	f.add("license-expired", "License expired", claims(func(c *grafanatest.Claims) { c.LicenseExpiry = now.AddDate(0, 0, -3) }))
	f.add("token-expiring", "Token expiring", claims(func(c *grafanatest.Claims) { c.TokenExpiry = now.Add(20 * time.Hour) }))
	f.add("token-expired", "Token expired", claims(func(c *grafanatest.Claims) { c.TokenExpiry = now.Add(-time.Hour) }))
	f.add("trial-ending", "Trial ending", grafanatest.WithClaims(grafanatest.TrialClaims(now, now.AddDate(0, 0, 5))))
	f.add("trial-ended", "Trial ended", grafanatest.WithClaims(grafanatest.TrialClaims(now, now.AddDate(0, 0, -1))))
	f.add("users-near", "Users near", claims(func(c *grafanatest.Claims) { c.IncludedUsers = 10 }),
		grafanatest.WithStats(grafanatest.Stats{ActiveUsers: 9}))
	f.add("users-over", "Users over", claims(func(c *grafanatest.Claims) { c.IncludedUsers = 10 }),
		grafanatest.WithStats(grafanatest.Stats{ActiveUsers: 12}))
	f.add("stalled", "Stalled", grafanatest.WithClaims(grafanatest.StalledRenewalClaims(now, 5*24*time.Hour)), grafanatest.WithOffline())
	f.add("wrong-url", "Wrong URL", claims(func(c *grafanatest.Claims) { c.Subject = "https://elsewhere.example.com/" }))
	f.add("locked", "Locked")
	f.setSecret("locked", "not-the-password")
	newest, stale := grafanatest.NewHAPair(now, 2*24*time.Hour)
	for id, s := range map[string]*grafanatest.Server{"ha-1": newest, "ha-2": stale} {
		t.Cleanup(s.Close)
		f.servers[id] = s
		f.list = append(f.list, f.instanceFor(id, "HA "+id, s))
	}
	f.save()
	return f
}

// exposed scrapes serve over every case and returns each family's labels.
func exposed(t *testing.T) (labels map[string][]string, codes []string) {
	f := everyCase(t)
	r := f.start(Options{Interval: time.Hour})
	r.waitReady(t)
	fams := r.scrape(t)
	labels = map[string][]string{}
	for name, fam := range fams {
		names := slices.Clone(targetLabels)
		for _, m := range fam.Metric {
			for _, l := range m.Label {
				if !slices.Contains(names, l.GetName()) {
					names = append(names, l.GetName())
				}
			}
		}
		if fam.GetType() == dto.MetricType_HISTOGRAM {
			labels[name+"_bucket"] = append(slices.Clone(names), "le")
			labels[name+"_sum"], labels[name+"_count"] = names, names
		}
		labels[name] = names
	}
	for _, m := range fams["licensedesk_instance_reason"].GetMetric() {
		codes = append(codes, label(m, "code"))
	}
	return labels, codes
}

var (
	metricName = regexp.MustCompile(`\blicensedesk_[a-z0-9_]+\b`)
	selector   = regexp.MustCompile(`\b(licensedesk_[a-z0-9_]+)\s*\{([^}]*)\}`)
	matcher    = regexp.MustCompile(`(\w+)\s*(?:=~|!~|!=|=)\s*(?:"([^"]*)"|'([^']*)')`)
	grouping   = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)`)
	legendRef  = regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`)
)

// query is one PromQL expression a shipped file holds, with the labels its
// result is shown by (a dashboard's legend).
type query struct {
	where, expr, legend string
}

func ruleQueries(t *testing.T) []query {
	data, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Rules []struct {
				Alert       string            `yaml:"alert"`
				Expr        string            `yaml:"expr"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", rulesFile, err)
	}
	var out []query
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			out = append(out, query{where: r.Alert, expr: r.Expr})
			for key, text := range r.Annotations { // annotations query series too
				out = append(out, query{where: r.Alert + " " + key, expr: text})
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no rules", rulesFile)
	}
	return out
}

func dashboardQueries(t *testing.T) []query {
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s is not JSON: %v", dashboardFile, err)
	}
	var out []query
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if expr, ok := v["expr"].(string); ok {
				legend, _ := v["legendFormat"].(string)
				out = append(out, query{where: path, expr: expr, legend: legend})
			}
			if title, ok := v["title"].(string); ok {
				path += " / " + title
			}
			for _, child := range v {
				walk(path, child)
			}
		case []any:
			for _, child := range v {
				walk(path, child)
			}
		}
	}
	walk("dashboard", doc)
	if len(out) == 0 {
		t.Fatalf("%s holds no queries", dashboardFile)
	}
	return out
}

func TestRulesAndDashboardUseOnlyWhatServeExposes(t *testing.T) {
	labels, codes := exposed(t)
	queries := append(ruleQueries(t), dashboardQueries(t)...)
	usedCodes := map[string]bool{}
	for _, q := range queries {
		names := metricName.FindAllString(q.expr, -1)
		for _, name := range names {
			if labels[name] == nil {
				t.Errorf("%s: %s queries %s, which serve does not expose", q.where, q.expr, name)
			}
		}
		var used []string
		for _, sel := range selector.FindAllStringSubmatch(q.expr, -1) {
			for _, m := range matcher.FindAllStringSubmatch(sel[2], -1) {
				used = append(used, m[1])
				if sel[1] == "licensedesk_instance_reason" && m[1] == "code" {
					usedCodes[m[2]+m[3]] = true
				}
			}
		}
		for _, g := range grouping.FindAllStringSubmatch(q.expr, -1) {
			for _, l := range strings.Split(g[1], ",") {
				if l = strings.TrimSpace(l); l != "" {
					used = append(used, l)
				}
			}
		}
		for _, m := range legendRef.FindAllStringSubmatch(q.legend, -1) {
			used = append(used, m[1])
		}
		for _, l := range used {
			for _, name := range names {
				if labels[name] != nil && !slices.Contains(labels[name], l) {
					t.Errorf("%s: %s uses the label %q, which %s does not have (it has %v)", q.where, q.expr, l, name, labels[name])
				}
			}
		}
	}
	for code := range usedCodes {
		if !slices.Contains(codes, code) {
			t.Errorf("the rules watch licensedesk_instance_reason{code=%q}, which serve never exposed over a fleet of every case (it exposed %v)", code, codes)
		}
	}
	if len(usedCodes) == 0 {
		t.Error("no rule watches licensedesk_instance_reason: the rules should follow the exporter's own warn windows")
	}
}
