//go:build !windows

package launch

// allowForeground has nothing to pass on outside Windows: desktops there
// let the running window raise itself.
func allowForeground() {}
