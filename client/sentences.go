package client

import (
	"time"
)

// TokenSentence words the token's expiry as a read does, e.g. "Token valid
// for 6 days — until 6 Dec 2026" or "Token expired 3 days ago — on 23 Nov
// 2026"; "" when Grafana reported none. An action's result quotes it, so a
// renewal says the same as the read that follows it.
func (e Evaluation) TokenSentence(now time.Time) string {
	if !e.Token.Reported() {
		return ""
	}
	return joinSentence(describe(tokenWords, e.Token, now))
}

// LicenseSentence words the license's expiry as a read does; "" when Grafana reported none.
func (e Evaluation) LicenseSentence(now time.Time) string {
	if !e.License.Reported() {
		return ""
	}
	return joinSentence(describe(licenseWords, e.License, now))
}
