package ui

import (
	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
)

// outcome is what the last action on an instance came to, shown until the
// next one: a headline and advice, coloured by the verdict they left.
type outcome struct {
	success bool
	state   client.State // the verdict after the action; a failed call is critical
	what    string
	do      string
}

// outcomeOf shows an action's result as verdict.Judge judged it.
func outcomeOf(r verdict.Result) *outcome {
	what := r.Headline
	if r.Detail != "" {
		what += " " + r.Detail
	}
	return &outcome{success: r.Success, state: r.State, what: what, do: r.Advice}
}

// withNote adds a sentence to what the outcome tells.
func (o *outcome) withNote(note string) *outcome {
	out := *o
	if out.do != "" {
		out.do += " " + note
	} else {
		out.what += " " + note
	}
	return &out
}

// failed is the outcome of a call that did not go through.
func failed(err error) *outcome {
	e := explain(err)
	return &outcome{state: client.StateCritical, what: e.What, do: e.Do}
}

func (d *DetailPane) showOutcome(st app.Status, out *outcome) {
	if out != nil && out != d.lastOut {
		d.scroll.ScrollToTop() // the outcome sits at the top: show it
	}
	d.lastOut = out
	switch {
	case out != nil:
		d.showResult(out)
	case st.Err != nil:
		d.showResult(failed(st.Err))
	default:
		d.outcomeBox.Hide()
		return
	}
	showIf(d.outcomeDo, d.outcomeDo.Text != "")
	d.outcomeBox.Show()
}

// showResult shows an outcome with the icon and colour of its state: a
// green check only for a success that leaves the instance OK.
func (d *DetailPane) showResult(out *outcome) {
	state := out.state
	if !out.success && state == client.StateOK {
		state = client.StateWarning // not done, though nothing else is wrong
	}
	if out.success && state == client.StateOK {
		d.outcomeIcon.SetResource(stateIcon(client.StateOK))
	} else if state == client.StateWarning {
		d.outcomeIcon.SetResource(stateIcon(client.StateWarning))
	} else {
		d.outcomeIcon.SetResource(stateIcon(client.StateCritical))
		state = client.StateCritical
	}
	d.outcomeWhat.Importance = stateImportance(state)
	d.outcomeWhat.SetText(out.what)
	if out.do != "" {
		d.outcomeDo.SetText("What to do: " + out.do)
	} else {
		d.outcomeDo.SetText("")
	}
}
