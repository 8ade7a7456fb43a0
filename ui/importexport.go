package ui

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/verdict"
	"github.com/licensedesk/licensedesk/client"
	"github.com/licensedesk/licensedesk/internal/words"
)

// exportedListNote is what an import of an exported list says last: such a
// list never holds a secret.
const exportedListNote = "Exported lists hold no passwords or tokens: edit each new instance to enter its secret, or set its token_env/password_env."

// importInstances imports an exported list; when a Grafana command-line
// tool's config file is in its default place, it first offers its contexts.
func (d *desk) importInstances() {
	if found := d.env.contextFiles(); len(found) > 0 {
		d.chooseImport(found)
		return
	}
	d.importList()
}

// importList adds the instances of an exported list; secrets are never in
// such a list, so each needs its password or token entered afterwards.
func (d *desk) importList() {
	req := fileRequest{title: "Choose the instance list to import", filterName: instanceLists, extensions: []string{".json"}}
	d.env.openFile(req, func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showErr(d.env.win, "Cannot open the file", err)
			return
		}
		if r == nil {
			return
		}
		d.env.background(func() func() {
			defer r.Close()
			plan, err := d.env.svc.ReadImport(r)
			return func() {
				if err != nil {
					d.importFailed(r.URI().Name(), err)
					return
				}
				d.confirmImport(r.URI().Name(), plan, exportedListNote)
			}
		})
	})
}

// importFailed says that nothing was imported from name, and why.
func (d *desk) importFailed(name string, err error) {
	e := explain(err)
	showFailure(d.env.win, "Import failed", fmt.Sprintf("Nothing was imported from %s. %s %s", name, e.What, e.Do))
}

// confirmImport shows, before anything is written, each instance the import
// adds, where its secret would go and what the source held that it cannot
// carry, and adds them once the user agrees; after says last what becomes
// of the secrets.
func (d *desk) confirmImport(name string, plan *app.ImportPlan, after string) {
	var b strings.Builder
	for _, inst := range plan.Add {
		fmt.Fprintf(&b, "• %s: %s\n", inst.DisplayName(), inst.SecretRoute())
		for _, note := range plan.Notes[inst.ID] {
			fmt.Fprintf(&b, "    – %s\n", words.Sentence(note))
		}
	}
	if len(plan.Skipped) > 0 {
		fmt.Fprintf(&b, "\nSkipped, already configured: %s\n", strings.Join(plan.Skipped, ", "))
	}
	for i, left := range plan.Left {
		if i == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", words.Sentence(left))
	}
	if len(plan.Add) == 0 {
		dialog.ShowInformation("Import", strings.TrimSpace(fmt.Sprintf("%s holds no new instances.\n%s", name, b.String())), d.env.win)
		return
	}
	b.WriteString("\n" + after)
	text := widget.NewLabel(b.String())
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(560, 220))
	showConfirm(d.env.win, confirmation{title: fmt.Sprintf("Import %s from %s?", words.Plural(len(plan.Add), "instance"), name),
		content: scroll, action: "Import", icon: theme.DownloadIcon(), safe: true, do: func() {
			d.env.background(func() func() {
				n, err := d.env.svc.ApplyImport(plan)
				return func() {
					if err != nil {
						d.importFailed(name, err)
						return
					}
					d.list.SetStatuses(d.env.svc.Statuses())
					var added []string
					for _, inst := range plan.Add {
						if _, ok := d.env.svc.Instance(inst.ID); ok {
							added = append(added, inst.ID)
						}
					}
					d.readNow(added)
					dialog.ShowInformation("Import", fmt.Sprintf("Added %s from %s.", words.Plural(n, "instance"), name), d.env.win)
				}
			})
		}})
}

// instanceLists names the files that import and export instance lists.
const instanceLists = "Instance lists (JSON)"

// showExportMenu offers the two exports: the instance list and the status table.
func (d *desk) showExportMenu() {
	menu := fyne.NewMenu("",
		fyne.NewMenuItem("Instance list (JSON, without secrets)…", d.exportInstances),
		fyne.NewMenuItem("Status table (CSV)…", d.exportCSV),
	)
	b := d.toolbar[tbExport]
	if d.bar.hides(b) { // in the More menu of a narrow window
		b = d.bar.more.btn
	}
	c := d.env.win.Canvas()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b).AddXY(0, b.Size().Height)
	widget.ShowPopUpMenuAtPosition(menu, c, pos)
}

// saveFile asks where to save, writes there off the UI goroutine, and
// says where the file went; what names the content ("The status table"),
// and kind the files offered ("Instance lists (JSON)"), of name's extension,
// which the chooser adds to a name typed without one.
func (d *desk) saveFile(name, kind, what string, write func(w io.Writer) error) {
	req := fileRequest{title: "Save " + name, name: name, filterName: kind, extensions: []string{filepath.Ext(name)}}
	d.env.saveFile(req, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			showErr(d.env.win, "Cannot save the file", err)
			return
		}
		if w == nil {
			return
		}
		d.writeExport(w, what, write)
	})
}

// writeExport writes an export off the UI goroutine, then says where it
// went, or why it did not.
func (d *desk) writeExport(w fyne.URIWriteCloser, what string, write func(w io.Writer) error) {
	d.env.background(func() func() {
		err := write(w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		return func() {
			if err != nil {
				showFailure(d.env.win, "Export failed", words.Sentence("could not write "+w.URI().Name()+": "+err.Error()))
				return
			}
			dialog.ShowInformation("Exported", what+" was saved to "+localPath(w.URI())+".", d.env.win)
		}
	})
}

func (d *desk) exportInstances() {
	n := len(d.env.svc.Instances())
	d.saveFile("licensedesk-instances.json", instanceLists, "The instance list ("+words.Plural(n, "instance")+", without passwords or tokens)", d.env.svc.ExportInstances)
}

func (d *desk) exportCSV() {
	sts := d.env.svc.Statuses()
	d.saveFile("licensedesk-status.csv", "Status tables (CSV)", "The status table ("+words.Plural(len(sts), "instance")+")", func(w io.Writer) error { return writeStatusCSV(w, sts) })
}

// csvHeader names the status table's columns; dates are RFC 3339 in UTC so
// a spreadsheet or script reads them the same anywhere.
var csvHeader = []string{"id", "name", "url", "state", "message", "license_expires", "license_days_left",
	"token_expires", "token_days_left", "company", "licensed_url", "read_at", "error"}

// writeStatusCSV writes one row per instance; never a secret.
func writeStatusCSV(w io.Writer, sts []app.Status) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, st := range sts {
		var company, sub, errText string
		if st.Token != nil {
			company, sub = st.Token.Company, st.Token.Subject
		}
		if st.Err != nil {
			errText = verdict.Reason(st.Err)
		}
		row := []string{st.Instance.ID, st.Instance.Name, client.SanitizeURL(st.Instance.URL), st.Eval.State.String(), st.Eval.Message,
			csvTime(st.Eval.License.At), csvDays(st.Eval.License), csvTime(st.Eval.Token.At), csvDays(st.Eval.Token),
			company, sub, csvTime(st.ReadAt), errText}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func csvDays(e client.Expiry) string {
	if !e.Reported() {
		return ""
	}
	return strconv.Itoa(e.DaysLeft)
}
