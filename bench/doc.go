// Package bench measures Licensedesk's speed and memory against stated bounds; `make bench` runs it and rewrites BENCHMARKS.md.
//
// The figures come from go test benchmarks in this package (the fleet check,
// the window, and ten thousand instances read by the window's engine and by
// check under a descriptor limit, each in a child process) and from memory.sh (resident size of the real window under
// Xvfb against a minimal Fyne program, minimalfyne). Each benchmark prints
// its figures and, when BENCH_RESULTS names a file, appends them there as
// key=value lines for report.sh. Nothing here asserts a time: speed is only
// reported.
package bench
