// Package launch is how the window's process starts beside another: one
// window per instance list (a second launch brings the running window
// forward and ends), and the demo in a process of its own, so trying it
// never touches the user's instances, settings or window.
package launch
