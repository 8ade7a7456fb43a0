package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/licensedesk/licensedesk/client"
)

// The license card and the header must agree on how long ago a license expired.
func TestExpiredCardAgreesWithTheHeader(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tok := &client.Token{Status: client.StatusExpired, HasStatus: true,
		LicenseExpiry: now.Add(-3*24*time.Hour - 20*time.Hour), TokenExpiry: now.Add(5 * 24 * time.Hour)}
	ev := client.Evaluate(tok, now, client.Policy{})

	card := expiryText(ev.License, time.UTC)
	if !strings.Contains(card, "expired 3 days ago") || !strings.Contains(ev.Message, "expired 3 days ago") {
		t.Errorf("card %q and header %q should both say expired 3 days ago", card, ev.Message)
	}
}
