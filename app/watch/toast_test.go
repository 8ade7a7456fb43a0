package watch

import (
	"encoding/base64"
	"encoding/binary"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/licensedesk/licensedesk/client"
)

// decodeCommand reads -EncodedCommand back as PowerShell does.
func decodeCommand(t *testing.T, enc string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(b)%2 != 0 {
		t.Fatalf("-EncodedCommand is not base64 of UTF-16: %v", err)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func TestAToastNeverRunsTheWordsItShows(t *testing.T) {
	// Names come from imported lists and contexts, messages from servers:
	// each of these would run or break Fyne's script, where they sat
	// between double quotes.
	title := "QA \"quoted\" `tick` $env:USERNAME: license expired"
	body := "Grafana answered 500 (“$(Start-Process calc.exe) server said no” + (Start-Process calc.exe) + '\n$x')\x00"
	args, env := toastCommand(Message{Title: title, Body: body, State: client.StateCritical}, `C:\Users\ada\AppData\Local\licensedesk\icon.png`, DesktopEntry)

	if args[0] != "powershell.exe" || args[len(args)-2] != "-EncodedCommand" {
		t.Fatalf("the command is %q", args)
	}
	script := decodeCommand(t, args[len(args)-1])
	if script != toastScript {
		t.Fatalf("the encoded command reads back as\n%s", script)
	}
	line := strings.Join(args[:len(args)-1], " ") + "\n" + script // the base64 itself is checked by reading it back
	for _, part := range []string{"QA", "USERNAME", "Start-Process", "calc.exe", "said no", "expired"} {
		if strings.Contains(line, part) {
			t.Errorf("%q of the words shown is on PowerShell's command line or in its script", part)
		}
	}

	got := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
	}
	want := map[string]string{
		"LICENSEDESK_TOAST_TITLE":    title,
		"LICENSEDESK_TOAST_BODY":     strings.TrimSuffix(body, "\x00"),
		"LICENSEDESK_TOAST_ICON":     `file:///C:\Users\ada\AppData\Local\licensedesk\icon.png`,
		"LICENSEDESK_TOAST_DURATION": "long",
		"LICENSEDESK_TOAST_APP":      DesktopEntry,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	// The script reads exactly the variables it is given, and nothing of
	// the message is put into it any other way.
	read := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$env:(\w+)`).FindAllStringSubmatch(toastScript, -1) {
		read[m[1]] = true
	}
	for k := range want {
		if !read[k] {
			t.Errorf("the script never reads %s", k)
		}
	}
	if len(read) != len(want) {
		t.Errorf("the script reads %v, but is given %d variables", read, len(want))
	}
}

func TestARecoveryToastIsShort(t *testing.T) {
	_, env := toastCommand(Message{Title: "Prod EU: OK again", State: client.StateOK}, "", DesktopEntry)
	var duration, icon string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "LICENSEDESK_TOAST_DURATION="); ok {
			duration = v
		}
		if v, ok := strings.CutPrefix(kv, "LICENSEDESK_TOAST_ICON="); ok {
			icon = v
		}
	}
	if duration != "short" || icon != "" {
		t.Errorf("a recovery's toast lasts %q with icon %q; want short, and no icon when none was written", duration, icon)
	}
}
