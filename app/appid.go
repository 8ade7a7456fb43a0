package app

// AppID is the window's Fyne app id, as FyneApp.toml names it; Fyne keeps
// the window's preferences (size, split, sort, selection) under it.
const AppID = "io.github.licensedesk"

// AppID is the Fyne app id this window runs under: the demo has one of its
// own, so trying it never overwrites the user's remembered window state,
// nor takes the user's window's place as the one running Licensedesk.
func (c GUIContext) AppID() string {
	if c.Demo {
		return AppID + ".demo"
	}
	return AppID
}
