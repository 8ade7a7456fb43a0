package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/config"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// writeCheckPrometheus prints node_exporter's textfile-collector format.
func writeCheckPrometheus(w io.Writer, statuses []app.Status, now time.Time) error {
	var b strings.Builder
	// series writes one metric's samples, each labelled by instance and name
	// and by what label adds ("kind", "code"); each may yield several.
	series := func(name, help, label string, samples func(app.Status) []sample) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		for _, st := range statuses {
			for _, s := range samples(st) {
				extra := ""
				if label != "" {
					extra = fmt.Sprintf(",%s=\"%s\"", label, escapeLabel(s.label))
				}
				fmt.Fprintf(&b, "%s{instance=\"%s\",name=\"%s\"%s} %s\n", name,
					escapeLabel(st.Instance.ID), escapeLabel(st.Instance.Name), extra, formatFloat(s.value))
			}
		}
	}
	metric := func(name, help string, value func(app.Status) (float64, bool)) {
		series(name, help, "", func(st app.Status) []sample {
			if v, ok := value(st); ok {
				return []sample{{value: v}}
			}
			return nil
		})
	}
	metric("licensedesk_license_expiry_timestamp_seconds",
		"License expiry (lexp) as a Unix time; absent when Grafana did not report it.",
		func(st app.Status) (float64, bool) { return unixOf(st.Eval.License) })
	metric("licensedesk_token_expiry_timestamp_seconds",
		"License token expiry (exp) as a Unix time; absent when Grafana did not report it.",
		func(st app.Status) (float64, bool) { return unixOf(st.Eval.Token) })
	metric("licensedesk_trial_expiry_timestamp_seconds",
		"Trial end (trial_exp) as a Unix time; absent when the license is not a trial.",
		func(st app.Status) (float64, bool) { return unixOf(st.Eval.Trial) })
	metric("licensedesk_token_issued_timestamp_seconds",
		"When the license token was issued or last renewed (iat), as a Unix time; absent when Grafana did not report it.",
		func(st app.Status) (float64, bool) {
			if st.Token == nil || st.Token.IssuedAt.IsZero() {
				return 0, false
			}
			return float64(st.Token.IssuedAt.Unix()), true
		})
	series("licensedesk_users_active", "Active users as Grafana counts them against the license's limit of their kind.", "kind",
		func(st app.Status) []sample { return usageSamples(st, func(u client.Usage) int64 { return u.Active }) })
	series("licensedesk_users_included", "Users of the kind the license includes.", "kind",
		func(st app.Status) []sample {
			return usageSamples(st, func(u client.Usage) int64 { return u.Included })
		})
	metric("licensedesk_instance_state",
		"Worst license state of the instance: 0 ok, 1 warning, 2 critical, 3 unknown.",
		func(st app.Status) (float64, bool) { return float64(stateCode(st.Eval.State)), true })
	metric("licensedesk_instance_tls_verified",
		"1 when the instance's TLS certificate is verified; 0 when it is not (insecure_skip_verify) or TLS is not used (plain http).",
		func(st app.Status) (float64, bool) {
			if st.Instance.TLS() == config.TLSVerified {
				return 1, true
			}
			return 0, true
		})
	series("licensedesk_instance_reason", "1 for each reason the instance needs attention, by its stable code.", "code",
		func(st app.Status) []sample {
			var out []sample
			seen := map[client.ReasonCode]bool{}
			for _, r := range st.Eval.Reasons {
				if !seen[r.Code] { // one series per code, however many reasons share it
					seen[r.Code] = true
					out = append(out, sample{label: string(r.Code), value: 1})
				}
			}
			return out
		})
	fmt.Fprintf(&b, "# HELP licensedesk_check_timestamp_seconds When licensedesk last checked, as a Unix time.\n")
	fmt.Fprintf(&b, "# TYPE licensedesk_check_timestamp_seconds gauge\n")
	fmt.Fprintf(&b, "licensedesk_check_timestamp_seconds %s\n", formatFloat(float64(now.Unix())))
	_, err := io.WriteString(w, b.String())
	return err
}

// sample is one value of a series, with its extra label's value.
type sample struct {
	label string
	value float64
}

func usageSamples(st app.Status, value func(client.Usage) int64) []sample {
	var out []sample
	for _, u := range st.Eval.Usage {
		out = append(out, sample{label: u.Kind, value: float64(value(u))})
	}
	return out
}

func unixOf(e client.Expiry) (float64, bool) {
	if !e.Reported() {
		return 0, false
	}
	return float64(e.At.Unix()), true
}

// stateCode is the number a monitoring system expects for a state.
func stateCode(s client.State) int {
	switch s {
	case client.StateOK:
		return 0
	case client.StateWarning:
		return 1
	case client.StateCritical:
		return 2
	}
	return 3
}

func formatFloat(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// escapeLabel escapes a Prometheus label value: backslash, double quote and newline.
func escapeLabel(s string) string {
	// Control characters are shown escaped, as on every terminal line.
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(words.ForTerminal(s))
}
