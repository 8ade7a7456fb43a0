package grafanatest

import "time"

// The license shapes beyond a healthy one that Licensedesk judges. A user
// limit needs no helper: set Claims.IncludedUsers (or LimitBy "role_users"
// with IncludedAdmins and IncludedViewers), AnonymousRatio, and WithStats.

// AWSMarketplaceIssuer is the iss of a license bought through AWS Marketplace.
const AWSMarketplaceIssuer = "AWS/Marketplace"

// TrialClaims is a trial license as of now whose trial ends at end, while
// its license expiry (lexp) lies a year ahead: the trial end is what counts.
func TrialClaims(now, end time.Time) Claims {
	c := DefaultClaims(now)
	c.Trial, c.TrialExpiry = true, end.Truncate(time.Second)
	c.IncludedUsers = 10
	return c
}

// AWSMarketplaceClaims is a license bought through AWS Marketplace as of
// now: no licensed URL, no license expiry, the AWS account as account. A
// Server loaded with it reports status 1 Valid.
func AWSMarketplaceClaims(now time.Time) Claims {
	c := DefaultClaims(now)
	c.Issuer, c.Subject, c.LicenseExpiry = AWSMarketplaceIssuer, "", time.Time{}
	c.LicenseID, c.Account, c.Slug, c.Company = "aws-3f2a9c", "123456789012", "", "AWS account 123456789012"
	c.DetailsURL = ""
	return c
}

// StalledRenewalClaims is a license whose token was last renewed since ago
// and is still valid, as on a Grafana that lost its route to grafana.com:
// its token was issued for longer than the default lifetime (grafana.com
// does issue long-lived tokens). Pair it with WithOffline.
func StalledRenewalClaims(now time.Time, since time.Duration) Claims {
	c := DefaultClaims(now)
	c.IssuedAt = c.IssuedAt.Add(-since)
	c.TokenExpiry = c.IssuedAt.Add(since + DefaultTokenLifetime)
	return c
}

// NewHAPair starts two Grafana nodes behind one root_url that share one
// license (sub and lid), as HA nodes do: newest serves the current token,
// stale a different one (another jti) issued lag earlier, as a node does
// that loads an old token from disk after a failover. opts apply to both;
// the root_url is newest's. Close both when done.
func NewHAPair(now time.Time, lag time.Duration, opts ...Option) (newest, stale *Server) {
	c := DefaultClaims(now)
	newest = New(append(append([]Option(nil), opts...), WithClaims(c))...)
	c.Subject = newest.RootURL()
	old := c
	old.ID = newID()
	old.IssuedAt = c.IssuedAt.Add(-lag)
	old.TokenExpiry = old.IssuedAt.Add(lag + DefaultTokenLifetime) // still valid: only its age tells
	stale = New(append(append([]Option(nil), opts...), WithRootURL(c.Subject), WithClaims(old))...)
	return newest, stale
}
