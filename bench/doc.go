// Package bench measures Licensedesk's speed and memory against stated bounds; `make bench` runs it and rewrites BENCHMARKS.md.
//
// The figures come from go test benchmarks in this package (the fleet check
// with usage read, the window on Fyne's test driver, ten thousand instances
// read by the window's engine and by check under a descriptor limit, the
// whole window under Xvfb over ten thousand instances, and serve at one and
// ten thousand, each measured in a process of its own where memory counts)
// and from memory.sh (resident size of the real window under Xvfb against a
// minimal Fyne program, minimalfyne). Each benchmark prints its figures and,
// when BENCH_RESULTS names a file, appends them there as key=value lines
// for report.sh, which keeps them in results.txt with the date, commit and
// load average of their step. Nothing here asserts a time: speed is only
// reported.
package bench
