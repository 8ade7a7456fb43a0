// Package grafanatest is an in-process Grafana Enterprise licensing API on loopback, for tests, the demo mode and benchmarks.
//
// New starts a Server on 127.0.0.1 that answers the licensing endpoints the
// way DESIGN.md describes, plus /api/health and /api/frontend/settings:
//
//	s := grafanatest.New()
//	defer s.Close()
//	// s.URL is the root URL; admin/admin is a Server Admin.
//
// New panics when the server cannot start, which suits tests; Start returns
// the error instead, for demo mode and anything else that must say why.
//
// Defaults: a healthy license (DefaultClaims) whose sub is the root URL;
// users admin/admin (RoleServerAdmin), reader/reader (RoleLicensingReader)
// and viewer/viewer (RoleViewer); bearer tokens glsa_admin_00000000,
// glsa_reader_00000000 and glsa_viewer_00000000 with the same roles; Grafana
// 11.2.2, Enterprise edition.
//
// The token's status is computed on every read: 4 NotFound when no license
// is loaded, 1 Valid for an AWS Marketplace license (it has no sub or lexp),
// 6 InvalidSubject when sub does not match the root URL, 5 Expired when
// lexp <= now, else 1 Valid (SetForcedStatus overrides it).
//
// Shapes beyond a healthy license: TrialClaims, AWSMarketplaceClaims,
// StalledRenewalClaims (with WithOffline), NewHAPair (two nodes, one stale),
// and a user limit through Claims.IncludedUsers with WithStats.
//
// Root URLs (the sub claim and the instance sent on delete) are compared the
// way an administrator expects: scheme and host case-insensitively, a default
// port (:80 for http, :443 for https) equal to none, and trailing slashes
// ignored, so "HTTPS://Grafana.example.com:443" matches
// "https://grafana.example.com/". Paths are compared case-sensitively. A sub
// holding "*" is a glob whose "*" matches within one host label or path
// segment; an "hmac:" sub cannot be checked without Grafana's secret and is
// taken as matching.
//
// Faults (SetFault) stand in for broken proxies, hung servers and bad
// networks; they apply before authentication, to any path or one path
// relative to the root URL. Every request is logged (Requests) with whether
// it carried an Authorization header, never the header itself; Connections
// counts the connections clients opened, to see them shared and closed.
//
// The server never panics on any input and reads at most 1 MiB of a
// request body. Close ends hung requests and returns promptly.
package grafanatest
