package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/licensedesk/licensedesk/app"
	"github.com/licensedesk/licensedesk/app/contexts"
)

// The two sources Import… offers when a Grafana CLI's config file exists.
const (
	importFromList     = "A Licensedesk JSON file"
	importFromContexts = "Grafana CLI contexts (grafanactl / gcx)"
)

// chooseImport asks what to import from: an exported list, or the contexts
// of the config files found, which it names.
func (d *desk) chooseImport(found []contexts.Source) {
	choice := widget.NewRadioGroup([]string{importFromList, importFromContexts}, nil)
	choice.Required = true
	choice.SetSelected(importFromContexts)
	var paths []string
	for _, src := range found {
		paths = append(paths, fmt.Sprintf("%s: %s", src.Tool, src.Path))
	}
	where := &widget.Label{Text: strings.Join(paths, "\n"), Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	content := container.NewVBox(confirmText("Import instances from:"), choice, where)
	showConfirm(d.env.win, confirmation{title: "Import instances", content: content, action: "Continue",
		icon: theme.NavigateNextIcon(), safe: true, do: func() {
			if choice.Selected == importFromList {
				d.importList()
				return
			}
			d.importContexts(found)
		}})
}

// importContexts reads the contexts of the files found into one plan, all
// or nothing, and shows it as any import is shown before it is written.
func (d *desk) importContexts(found []contexts.Source) {
	var tools []string
	for _, src := range found {
		tools = append(tools, string(src.Tool))
	}
	name := strings.Join(tools, " and ")
	existing := d.env.svc.Instances()
	d.env.background(func() func() {
		plan, err := readContexts(existing, found)
		return func() {
			if err != nil {
				d.importFailed(name, err)
				return
			}
			d.confirmImport(name, plan, plan.SecretsNote())
		}
	})
}

// readContexts reads every file found and plans their contexts together,
// so a context both tools know is imported once.
func readContexts(existing []app.Instance, found []contexts.Source) (*app.ImportPlan, error) {
	files := make([]*contexts.File, 0, len(found))
	for _, src := range found {
		f, err := contexts.ReadFile(src.Path)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return contexts.Plan(existing, files...)
}
