// Package verdict is the one home of what an instance's state comes to, in
// the words every front-end shows: the Status the service publishes, the
// evaluation of a failed read, the judgement of a renewal, upload or
// removal (Judge), a renew-all's summary, and the plain words for errors
// (Explain, Reason). The window, tray, notifications, command line and
// exporter call these; none composes a verdict of its own.
package verdict
