package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/storage"

	"github.com/licensedesk/licensedesk/app/portal"
)

// fileRequest is what the window asks a file chooser for.
type fileRequest struct {
	title      string
	folder     string   // where to start; "" for the chooser's choice
	name       string   // for a save, the file name suggested
	filterName string   // names the filter
	extensions []string // offered extensions with the dot; nil offers every file
}

// chooser is the desktop's own file chooser (package portal), where there
// is one.
type chooser interface {
	OpenFile(ctx context.Context, r portal.Request) (string, error)
	SaveFile(ctx context.Context, r portal.Request) (string, error)
}

// desktopChooser asks the desktop: the XDG portal on Linux and the BSDs,
// the system dialogs on Windows and macOS.
type desktopChooser struct{}

func (desktopChooser) OpenFile(ctx context.Context, r portal.Request) (string, error) {
	return portal.OpenFile(ctx, r)
}

func (desktopChooser) SaveFile(ctx context.Context, r portal.Request) (string, error) {
	return portal.SaveFile(ctx, r)
}

// nativeRequest is req for the desktop's chooser, over the window's native
// handle, so the chooser opens in front of the window and belongs to it.
// The hover under the pointer ends first: while the chooser is open the
// window hears no pointer, so a tooltip and the button's highlight would
// stay on screen until the pointer came back.
func (e *env) nativeRequest(req fileRequest) portal.Request {
	if e.tips != nil {
		e.tips.release()
	}
	r := portal.Request{Title: req.title, Folder: req.folder, Name: req.name, FilterName: req.filterName, Extensions: req.extensions}
	if nw, ok := e.win.(driver.NativeWindow); ok {
		nw.RunNative(func(ctx any) {
			switch w := ctx.(type) {
			case driver.X11WindowContext:
				if w.WindowHandle != 0 {
					r.Parent = fmt.Sprintf("x11:%x", w.WindowHandle)
				}
			case driver.WindowsWindowContext:
				r.HWND = w.HWND
			}
		})
	}
	return r
}

// openFile asks the user for a file to read: the desktop's chooser where
// there is one, else Fyne's. done runs on the UI goroutine with the file
// open, or nil when the user cancelled; it closes the file.
func (e *env) openFile(req fileRequest, done func(fyne.URIReadCloser, error)) {
	if e.chooser == nil {
		e.fyneOpen(req, done)
		return
	}
	r := e.nativeRequest(req)
	e.background(func() func() {
		path, err := e.chooser.OpenFile(context.Background(), r)
		switch {
		case errors.Is(err, portal.ErrUnavailable):
			return func() { e.fyneOpen(req, done) }
		case err != nil || path == "":
			return func() { done(nil, err) }
		}
		rc, err := storage.Reader(storage.NewFileURI(path))
		return func() { done(rc, err) }
	})
}

// saveFile asks the user where to write, as openFile does.
func (e *env) saveFile(req fileRequest, done func(fyne.URIWriteCloser, error)) {
	if e.chooser == nil {
		e.fyneSave(req, done)
		return
	}
	r := e.nativeRequest(req)
	e.background(func() func() {
		path, err := e.chooser.SaveFile(context.Background(), r)
		switch {
		case errors.Is(err, portal.ErrUnavailable):
			return func() { e.fyneSave(req, done) }
		case err != nil || path == "":
			return func() { done(nil, err) }
		}
		wc, err := storage.Writer(storage.NewFileURI(path))
		return func() { done(wc, err) }
	})
}

// fyneOpen is Fyne's chooser, fitted to the window.
func (e *env) fyneOpen(req fileRequest, done func(fyne.URIReadCloser, error)) {
	d := dialog.NewFileOpen(done, e.win)
	if len(req.extensions) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(req.extensions))
	}
	e.showFyneChooser(d, req)
}

// fyneSave is Fyne's chooser for a save, fitted to the window.
func (e *env) fyneSave(req fileRequest, done func(fyne.URIWriteCloser, error)) {
	d := dialog.NewFileSave(done, e.win)
	if req.name != "" {
		d.SetFileName(req.name)
	}
	e.showFyneChooser(d, req)
}

// showFyneChooser shows d as large as the window allows and in list view,
// so long file names are not cut as in Fyne's grid of icons.
func (e *env) showFyneChooser(d *dialog.FileDialog, req fileRequest) {
	d.SetTitleText(req.title)
	d.SetView(dialog.ListView)
	if req.folder != "" {
		if dir, err := storage.ListerForURI(storage.NewFileURI(req.folder)); err == nil {
			d.SetLocation(dir)
		}
	}
	size := e.win.Canvas().Size()
	fitDialog(d, e.win, size.Width, size.Height)
	d.Show()
}

// localPath is a file URI's path as the system writes it: C:\Users\… on
// Windows, where a URI's path has forward slashes.
func localPath(u fyne.URI) string { return filepath.FromSlash(u.Path()) }
