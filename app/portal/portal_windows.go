//go:build windows

package portal

import (
	"context"
	"fmt"
	"runtime"
	"unicode/utf16"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows users get the system's Open and Save As dialogs (comdlg32's
// GetOpenFileNameW and GetSaveFileNameW, which Windows shows in the
// Explorer style of its Common Item Dialog), owned by the window so they
// stay in front of it and it waits for them.
var (
	comdlg32             = windows.NewLazySystemDLL("comdlg32.dll")
	getOpenFileName      = comdlg32.NewProc("GetOpenFileNameW")
	getSaveFileName      = comdlg32.NewProc("GetSaveFileNameW")
	commDlgExtendedError = comdlg32.NewProc("CommDlgExtendedError")
)

// openFileName is OPENFILENAMEW, laid out as the C struct on 64 and 32 bits.
type openFileName struct {
	structSize    uint32
	owner         uintptr
	instance      uintptr
	filter        *uint16
	customFilter  *uint16
	maxCustFilter uint32
	filterIndex   uint32
	file          *uint16
	maxFile       uint32
	fileTitle     *uint16
	maxFileTitle  uint32
	initialDir    *uint16
	title         *uint16
	flags         uint32
	fileOffset    uint16
	fileExtension uint16
	defExt        *uint16
	custData      uintptr
	hook          uintptr
	templateName  *uint16
	reserved      uintptr
	reserved2     uint32
	flagsEx       uint32
}

// OPENFILENAMEW flags.
const (
	ofnOverwritePrompt = 0x00000002
	ofnHideReadOnly    = 0x00000004
	ofnNoChangeDir     = 0x00000008
	ofnPathMustExist   = 0x00000800
	ofnFileMustExist   = 0x00001000
	ofnExplorer        = 0x00080000
	ofnEnableSizing    = 0x00800000
)

// maxPath is the chosen path's buffer, in UTF-16 units: long paths fit.
const maxPath = 32768

// OpenFile shows the system's Open dialog and returns the file chosen; ""
// when the user cancelled. It blocks until the user chooses, so it runs off
// the UI goroutine; ErrUnavailable means the dialog could not be shown.
func OpenFile(ctx context.Context, r Request) (string, error) {
	return show(ctx, getOpenFileName, r, ofnFileMustExist)
}

// SaveFile shows the system's Save As dialog, which asks before it
// replaces a file, and returns the path chosen; "" when the user cancelled.
func SaveFile(ctx context.Context, r Request) (string, error) {
	return show(ctx, getSaveFileName, r, ofnOverwritePrompt)
}

func show(ctx context.Context, proc *windows.LazyProc, r Request, flags uint32) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if proc.Find() != nil || commDlgExtendedError.Find() != nil {
		return "", ErrUnavailable
	}
	// The dialog runs its own message loop on this thread, and its folder
	// view wants COM in a single-threaded apartment there.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// S_FALSE (1) says COM was already initialized here; it still counts.
	if err := windows.CoInitializeEx(0, windows.COINIT_APARTMENTTHREADED|windows.COINIT_DISABLE_OLE1DDE); err == nil || err == windows.Errno(1) {
		defer windows.CoUninitialize()
	}

	file := make([]uint16, maxPath)
	copy(file[:maxPath-1], utf16.Encode([]rune(r.Name)))
	ofn := openFileName{
		owner:   r.HWND,
		filter:  &filterSpec(r)[0],
		file:    &file[0],
		maxFile: maxPath,
		title:   utf16Ptr(r.Title),
		flags:   flags | ofnExplorer | ofnEnableSizing | ofnPathMustExist | ofnNoChangeDir | ofnHideReadOnly,
	}
	ofn.structSize = uint32(unsafe.Sizeof(ofn))
	ofn.filterIndex = 1
	if r.Folder != "" {
		ofn.initialDir = utf16Ptr(r.Folder)
	}
	if len(r.Extensions) > 0 {
		ofn.defExt = utf16Ptr(trimDot(r.Extensions[0]))
	}
	ok, _, _ := proc.Call(uintptr(unsafe.Pointer(&ofn)))
	runtime.KeepAlive(&ofn)
	if ok == 0 {
		code, _, _ := commDlgExtendedError.Call()
		if code == 0 {
			return "", nil // the user cancelled
		}
		return "", fmt.Errorf("the system file dialog failed (code %#x): %w", code, ErrUnavailable)
	}
	return windows.UTF16ToString(file), nil
}

// utf16Ptr is s as a NUL-terminated UTF-16 string; nil for "". A NUL in s
// ends it there.
func utf16Ptr(s string) *uint16 {
	if s == "" {
		return nil
	}
	u := append(utf16.Encode([]rune(s)), 0)
	return &u[0]
}
