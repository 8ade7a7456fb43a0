package client

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// The kinds of user count a license limits.
const (
	UsageUsers            = "users"              // every active user (limit_by users)
	UsageAdminsAndEditors = "admins_and_editors" // limit_by role_users, or included_admins
	UsageViewers          = "viewers"            // limit_by role_users, or included_viewers
)

// Usage is one count of active users against the limit the license sets for it.
type Usage struct {
	Kind     string // UsageUsers, UsageAdminsAndEditors or UsageViewers
	Active   int64  // as Grafana counts against the limit, anonymous users included
	Included int64
	// Anonymous is the part of Active that counts anonymous devices
	// (floor(devices / anonymousRatio)); AnonymousDevices is how many there were.
	Anonymous, AnonymousDevices int64
	// Percent is Active of Included, rounded down to a tenth.
	Percent float64
	// State is warning from 80 %, critical above 100 %.
	State State
}

// usage counts stats against the token's limits as Grafana's license page
// does; nil when stats were not read or the license limits nothing.
func usage(t *Token, s *Stats) []Usage {
	if s == nil {
		return nil
	}
	byRole := t.LimitBy == "role_users" || (t.LimitBy == "" && (t.IncludedAdmins > 0 || t.IncludedViewers > 0))
	var out []Usage
	if byRole {
		for _, u := range []Usage{
			{Kind: UsageAdminsAndEditors, Active: s.ActiveAdminsAndEditors, Included: t.IncludedAdmins},
			{Kind: UsageViewers, Active: s.ActiveViewers, Included: t.IncludedViewers},
		} {
			if u.Included > 0 {
				out = append(out, u.judged())
			}
		}
		return out
	}
	if t.IncludedUsers <= 0 {
		return nil
	}
	u := Usage{Kind: UsageUsers, Active: max(s.ActiveUsers, 0), Included: t.IncludedUsers}
	if r := t.AnonymousRatio; r > 0 && s.ActiveAnonymousDevices > 0 {
		u.AnonymousDevices = s.ActiveAnonymousDevices
		// float64(MaxInt64) rounds up to 2^63; stay below it.
		u.Anonymous = int64(min(math.Floor(float64(s.ActiveAnonymousDevices)/r), math.MaxInt64/2))
		u.Active = min(u.Active, math.MaxInt64/2) + u.Anonymous
	}
	return append(out, u.judged())
}

// judged sets Percent and State; the thresholds are compared exactly, in
// 128-bit products, so no count is large enough to overflow them.
func (u Usage) judged() Usage {
	u.Active = max(u.Active, 0)
	u.Percent = math.Floor(float64(u.Active)/float64(u.Included)*1000) / 10
	switch {
	case u.Active > u.Included:
		u.State = StateCritical
	case !less(u.Active, 5, u.Included, 4): // active/included >= 4/5
		u.State = StateWarning
	}
	return u
}

// less reports whether a*x < b*y for non-negative a and b.
func less(a, x, b, y int64) bool {
	ahi, alo := bits.Mul64(uint64(a), uint64(x))
	bhi, blo := bits.Mul64(uint64(b), uint64(y))
	return ahi < bhi || ahi == bhi && alo < blo
}

var usageNames = map[string]string{
	UsageUsers: "Users", UsageAdminsAndEditors: "Admins and editors", UsageViewers: "Viewers",
}

// Name is what the count is of, as a heading: "Users", "Admins and editors", "Viewers".
func (u Usage) Name() string { return usageNames[u.Kind] }

// Count words the count against its limit: "12 active of 10 included
// (120 %)", naming the anonymous devices counted in it. A usage reason and
// the window's usage bars both say it so.
func (u Usage) Count() string {
	s := fmt.Sprintf("%d active of %d included (%s %%)", u.Active, u.Included, strconv.FormatFloat(u.Percent, 'f', -1, 64))
	if u.Anonymous > 0 {
		s += fmt.Sprintf(", %d of them counted for %d anonymous devices", u.Anonymous, u.AnonymousDevices)
	}
	return s
}

func (u Usage) reason() Reason {
	code, where := ReasonUsersNearLimit, "near"
	if u.State == StateCritical {
		code, where = ReasonUsersOverLimit, "over"
	}
	return newReason(code, u.State, fmt.Sprintf("%s %s the license limit", u.Name(), where), u.Count())
}
