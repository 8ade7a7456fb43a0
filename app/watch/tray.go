package watch

import (
	"cmp"
	"slices"
	"time"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// MaxTrayEntries is how many instances the tray menu lists by name; the
// rest are counted in TrayView.More, so dozens of failing instances still
// make a menu that fits on the screen.
const MaxTrayEntries = 10

// maxTrayLabel bounds one menu entry, in characters.
const maxTrayLabel = 72

// TrayEntry is one instance that needs attention, as the tray menu lists it.
type TrayEntry struct {
	InstanceID string
	Label      string // "Prod EU — license expires in 5 days"
	State      client.State
}

// TrayView is what the system tray shows for a set of statuses: an icon for
// the worst state, a one-line summary and the instances that need attention.
type TrayView struct {
	// State picks the icon: the worst state of the instances checked so
	// far; unknown while none is configured or none has been checked.
	State   client.State
	Summary string      // "2 of 9 instances need attention", "All 9 instances OK"
	Tooltip string      // the icon's tooltip: the summary with the count in each state
	Entries []TrayEntry // most urgent first, at most MaxTrayEntries
	More    int         // instances needing attention beyond Entries
}

// Equal says whether two views show the same, so the tray is rebuilt only
// when something visible changed.
func (v TrayView) Equal(o TrayView) bool {
	return v.State == o.State && v.Summary == o.Summary && v.Tooltip == o.Tooltip && v.More == o.More && slices.Equal(v.Entries, o.Entries)
}

// TrayModel builds the tray's view of statuses: the instances that need
// attention (NeedsAttention, the definition notifications share), critical
// first, then unreadable, then warning, the nearest date first within each.
// Instances never tried yet are neither listed nor counted in the icon, so
// a slow instance at start does not hide what the others already show.
func TrayModel(sts []app.Status) TrayView {
	a := CountAttention(sts)
	v := TrayView{State: a.Worst, Summary: a.Summary(), Tooltip: a.Tooltip()}
	var attention []app.Status
	for _, st := range sts {
		if NeedsAttention(st) {
			attention = append(attention, st)
		}
	}
	slices.SortStableFunc(attention, CompareUrgency)
	for i, st := range attention {
		if i == MaxTrayEntries {
			v.More = len(attention) - i
			break
		}
		v.Entries = append(v.Entries, TrayEntry{InstanceID: st.Instance.ID, Label: trayLabel(st), State: st.Eval.State})
	}
	return v
}

// CompareUrgency orders critical, unknown, warning, then the nearest
// date, then the name, so the tray menu and the window's list agree and do
// not reshuffle between checks.
func CompareUrgency(a, b app.Status) int {
	if c := cmp.Compare(b.Eval.State, a.Eval.State); c != 0 {
		return c
	}
	if c := CompareNearest(a.Eval, b.Eval); c != 0 {
		return c
	}
	if c := words.CompareFold(a.Instance.Name, b.Instance.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Instance.ID, b.Instance.ID)
}

// CompareNearest puts the evaluation whose license or token date comes
// first before the other; one without dates goes last.
func CompareNearest(a, b client.Evaluation) int {
	at, bt := nearestDate(a), nearestDate(b)
	switch {
	case at.IsZero() && bt.IsZero():
		return 0
	case at.IsZero():
		return 1
	case bt.IsZero():
		return -1
	}
	return at.Compare(bt)
}

func nearestDate(ev client.Evaluation) time.Time {
	lic, tok := ev.License.At, ev.Token.At
	switch {
	case lic.IsZero():
		return tok
	case tok.IsZero() || lic.Before(tok):
		return lic
	}
	return tok
}

// trayLabel is "Name — what is wrong", short enough for a menu.
func trayLabel(st app.Status) string {
	name := st.Instance.DisplayName()
	var what string
	switch {
	case st.Err != nil:
		what = FailureShort(st.Err)
	default:
		what = words.LowerFirst(st.Eval.Headline)
	}
	return words.Shorten(name+" — "+what, maxTrayLabel)
}
