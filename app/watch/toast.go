package watch

import (
	"encoding/base64"
	"encoding/binary"
	"strings"
	"unicode/utf16"

	"github.com/licensedesk/licensedesk/client"
)

// Windows shows notifications as toasts, which a program without a
// registered COM activator sends through PowerShell. Fyne 2.7 does so by
// writing the title and text into its script between double quotes, where
// PowerShell still expands $variables, $(commands) and curly quotes: an
// instance's name or a server's error message would run as code on the
// administrator's computer. Here the script is a constant and the words
// reach it only through environment variables, which PowerShell never reads
// as code; the script goes on the command line encoded (-EncodedCommand),
// so no temporary file or path needs quoting either.

// toastScript shows one toast from $env:LICENSEDESK_TOAST_*.
const toastScript = `$ErrorActionPreference = 'Stop'
[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null
$template = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastImageAndText02)
$toastXml = [xml] $template.GetXml()
$toastXml.GetElementsByTagName('text')[0].AppendChild($toastXml.CreateTextNode($env:LICENSEDESK_TOAST_TITLE)) > $null
$toastXml.GetElementsByTagName('text')[1].AppendChild($toastXml.CreateTextNode($env:LICENSEDESK_TOAST_BODY)) > $null
$toastXml.GetElementsByTagName('image')[0].SetAttribute('src', $env:LICENSEDESK_TOAST_ICON) > $null
$toastXml.DocumentElement.SetAttribute('duration', $env:LICENSEDESK_TOAST_DURATION) > $null
$xml = New-Object Windows.Data.Xml.Dom.XmlDocument
$xml.LoadXml($toastXml.OuterXml)
$toast = [Windows.UI.Notifications.ToastNotification]::new($xml)
[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($env:LICENSEDESK_TOAST_APP).Show($toast)
`

// toastCommand is the PowerShell command line and the environment
// variables that show m as a toast from appID, with the icon at iconPath
// ("" for none). A critical or warning toast stays the long time (about 25
// seconds), a recovery the short one, as Timeout has it on Linux.
func toastCommand(m Message, iconPath, appID string) (args, env []string) {
	duration := "long"
	if m.State == client.StateOK {
		duration = "short"
	}
	icon := ""
	if iconPath != "" {
		icon = "file:///" + iconPath
	}
	args = []string{"powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
		"-EncodedCommand", encodeCommand(toastScript)}
	env = []string{
		"LICENSEDESK_TOAST_TITLE=" + envSafe(m.Title),
		"LICENSEDESK_TOAST_BODY=" + envSafe(m.Body),
		"LICENSEDESK_TOAST_ICON=" + envSafe(icon),
		"LICENSEDESK_TOAST_DURATION=" + duration,
		"LICENSEDESK_TOAST_APP=" + envSafe(appID),
	}
	return args, env
}

// encodeCommand is script as PowerShell's -EncodedCommand takes it: UTF-16LE
// in base64.
func encodeCommand(script string) string {
	u := utf16.Encode([]rune(script))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// envSafe is s without NULs, which no environment variable can hold.
func envSafe(s string) string { return strings.ReplaceAll(s, "\x00", "") }
