package app

import "testing"

// The demo keeps its window state apart from the user's: Fyne stores
// preferences per app id.
func TestTheDemoRunsUnderAnAppIDOfItsOwn(t *testing.T) {
	user, demo := GUIContext{}.AppID(), GUIContext{Demo: true}.AppID()
	if user != "io.github.licensedesk" || demo == user {
		t.Errorf("user app id %q, demo app id %q: the demo would share the user's preferences", user, demo)
	}
}
