#!/usr/bin/env bash
# report.sh: runs the benchmarks (fleet check, window, memory, ten thousand
# instances read by the engine and by check, the whole window over ten
# thousand, serve), prints their figures and verdicts, and rewrites
# BENCHMARKS.md from them. `make bench` runs it. Speed is only reported
# here, never asserted by a test.
#
# The figures are kept in bench/results.txt, each step's with its date, commit
# and the machine's load average before and after it. BENCH_ONLY names the
# steps to run again (fleet window memory scale windowfleet serve); the
# others keep their recorded figures, so one figure can be measured again
# when the machine is quiet without re-running the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=en_US.UTF-8
steps_all="fleet window memory scale windowfleet serve"
steps=${BENCH_ONLY:-$steps_all}
store=bench/results.txt
for s in $steps; do
  case " $steps_all " in *" $s "*) ;; *) echo "report.sh: no step $s (steps: $steps_all)" >&2; exit 2 ;; esac
done
if [ "$steps" != "$steps_all" ]; then
  for s in $steps_all; do
    case " $steps " in *" $s "*) continue ;; esac
    grep -q "^step\.$s\.date=" "$store" 2>/dev/null ||
      { echo "report.sh: $store has no figures of $s yet: run every step (without BENCH_ONLY)" >&2; exit 2; }
  done
fi
# The fleet check is compared with a loop of real curl calls.
if ! command -v curl >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends curl >/dev/null
fi
results=$(mktemp)
trap 'rm -f "$results"' EXIT
export BENCH_RESULTS=$results
load() { cut -d' ' -f1 /proc/loadavg; }
# The commit measured; "+changes" when tracked files other than the figures differ from it.
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no -- . ':!BENCHMARKS.md' ':!bench/results.txt' 2>/dev/null)" ]; then
  commit="$commit+changes"
fi

# step NAME PREFIXES COMMAND...: runs one benchmark, then replaces its
# figures (the lines starting with PREFIXES) and its date, commit and load
# in the store.
step() {
  local name=$1 prefixes=$2; shift 2
  local before; before=$(load)
  : >"$results"
  "$@"
  local keep; keep=$(mktemp)
  grep -v -E "^(step\.$name\.|${prefixes//,/|})" "$store" 2>/dev/null >"$keep" || true
  {
    cat "$keep" "$results"
    echo "step.$name.date=$(date -u +%Y-%m-%d)"
    echo "step.$name.commit=$commit"
    echo "step.$name.load=$before → $(load)"
  } >"$store"
  rm -f "$keep"
}
run() { case " $steps " in *" $1 "*) return 0 ;; esac; return 1; }

# gobench NAME BENCHTIME TIMEOUT: one go benchmark of this package, its
# figures printed (and recorded through BENCH_RESULTS).
gobench() {
  go test ./bench/ -run '^$' -bench "^$1\$" -benchtime "$2" -timeout "$3" 2>/dev/null |
    grep -v '^\(goos\|goarch\|pkg\|cpu\|PASS\|ok \)'
}

if run fleet; then
  echo "== 1. Fleet check"
  step fleet 'fleet\.' gobench BenchmarkFleetCheck 5x 20m
fi
if run window; then
  echo "== 2. The window"
  step window 'window10\.,window10000\.' gobench BenchmarkWindow 1x 20m
fi
if run memory; then
  echo "== 3. Memory"
  step memory 'memory\.' ./bench/memory.sh
fi
if run scale; then
  echo "== 4. Ten thousand instances"
  step scale 'scale\.' gobench BenchmarkFleetScale 1x 30m
fi
if run windowfleet; then
  echo "== 5. The whole window over ten thousand instances"
  step windowfleet 'windowfleet\.' gobench BenchmarkWindowFleet 1x 30m
fi
if run serve; then
  echo "== 6. Fleet mode"
  step serve 'serve1000\.,serve10000\.' gobench BenchmarkServe 1x 30m
fi

get() {
  local v; v=$(grep "^$1=" "$store" | tail -n 1 | cut -d= -f2-)
  [ -n "$v" ] || { echo "report.sh: no figure $1 in $store: a benchmark failed" >&2; exit 1; }
  printf '%s' "$v"
}
# verdict VALUE OP LIMIT: "met" or "missed".
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? v <= l : v >= l; print ok ? "met" : "missed" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
# when STEP: "on DATE, commit C, load average A → B on the N cores".
when() { printf 'on %s, commit %s, load average %s on the %s cores' "$(get "step.$1.date")" "$(get "step.$1.commit")" "$(get "step.$1.load")" "$(nproc)"; }

n=$(get fleet.n)
fleet_wall=$(get fleet.wall_s) bound=$(get fleet.bound_s) bound_ratio=$(get fleet.bound_ratio)
curl_s=$(get fleet.curl_s) curl_sample=$(get fleet.curl_sample) curl_sample_s=$(get fleet.curl_sample_s) speedup=$(get fleet.speedup)
w10_first=$(get window10.first_frame_ms) w10k_first=$(get window10000.first_frame_ms)
w10_heap=$(get window10.heap_mib) w10k_heap=$(get window10000.heap_mib)
w10_key=$(get window10.keystroke_ms) w10k_key=$(get window10000.keystroke_ms)
w10_keyp=$(get window10.keystroke_paint_ms) w10k_keyp=$(get window10000.keystroke_paint_ms)
min_mib=$(mib "$(get memory.minimal_kib)") idle=$(get memory.idle_s)
app9_mib=$(mib "$(get memory.app9_kib)") ratio9=$(get memory.ratio9)
app200_mib=$(mib "$(get memory.app200_kib)") ratio200=$(get memory.ratio200)
sn=$(get scale.n) s_lat=$(get scale.latency_ms)
w_conc=$(get scale.watch_concurrency) w_pass=$(get scale.watch_pass_s) w_bound=$(get scale.watch_bound_s) w_ratio=$(get scale.watch_ratio)
w_peak=$(get scale.watch_peak_mib) w_fds=$(get scale.watch_peak_fds) w_held=$(get scale.watch_held_mib)
w_idle_s=$(get scale.watch_idle_s) w_idle_fds=$(get scale.watch_idle_fds) w_idle_mib=$(get scale.watch_idle_mib)
c_limit=$(get scale.check_limit) c_conc=$(get scale.check_concurrency) c_wall=$(get scale.check_wall_s) c_bound=$(get scale.check_bound_s)
c_ratio=$(get scale.check_ratio) c_peak=$(get scale.check_peak_mib) c_fds=$(get scale.check_peak_fds)
wf_n=$(get windowfleet.n) wf_lat=$(get windowfleet.latency_ms) wf_conc=$(get windowfleet.concurrency)
wf_pass=$(get windowfleet.pass_s) wf_bound=$(get windowfleet.bound_s) wf_ratio=$(get windowfleet.ratio) wf_started=$(get windowfleet.started_s)
wf_peak=$(get windowfleet.peak_mib) wf_limit=$(get windowfleet.limit_mib) wf_settle=$(get windowfleet.settle_s)
wf_settled=$(get windowfleet.settled_mib) wf_fds=$(get windowfleet.peak_fds) wf_settled_fds=$(get windowfleet.settled_fds)
# serve_row N: one row of section 6's table.
serve_row() {
  local p=serve$1
  printf '| %s instances (%s emulated Grafanas) | %s s | ceil(%s / 16) × 50 ms = %s s | %s× (≤ 1.25× — %s) | %s ms (worst %s), %s KiB | %s ms (worst %s), %s KiB | %s MiB (peak %s) |\n' \
    "$(get "$p.n")" "$(get "$p.servers")" "$(get "$p.cycle_s")" "$(get "$p.n")" "$(get "$p.bound_s")" \
    "$(get "$p.bound_ratio")" "$(verdict "$(get "$p.bound_ratio")" '<=' 1.25)" \
    "$(get "$p.scrape_ms")" "$(get "$p.scrape_worst_ms")" "$(get "$p.metrics_kib")" \
    "$(get "$p.scrape_gzip_ms")" "$(get "$p.scrape_gzip_worst_ms")" "$(get "$p.gzip_kib")" \
    "$(get "$p.rss_mib")" "$(get "$p.peak_mib")"
}

echo
echo "== Summary"
printf 'fleet check with usage, %s instances × %s ms: %s s; ideal bound %s s → %s× (target ≤ 1.25×, %s); curl loop %s s → %s× faster (target ≥ 15×, %s); load %s\n' \
  "$n" "$(get fleet.latency_ms)" "$fleet_wall" "$bound" "$bound_ratio" "$(verdict "$bound_ratio" '<=' 1.25)" \
  "$curl_s" "$speedup" "$(verdict "$speedup" '>=' 15)" "$(get step.fleet.load)"
printf 'window, 10 → 10,000 instances: first frame %s → %s ms (%s×), heap %s → %s MiB (%s×), filter keystroke %s → %s ms\n' \
  "$w10_first" "$w10k_first" "$(ratio "$w10k_first" "$w10_first")" "$w10_heap" "$w10k_heap" "$(ratio "$w10k_heap" "$w10_heap")" "$w10_key" "$w10k_key"
printf 'memory, idle: minimal Fyne window %s MiB; licensedesk with 9 instances %s MiB → %s× (target ≤ 1.3×, %s), with 200 %s MiB → %s× (target ≤ 1.45×, %s); load %s\n' \
  "$min_mib" "$app9_mib" "$ratio9" "$(verdict "$ratio9" '<=' 1.3)" "$app200_mib" "$ratio200" "$(verdict "$ratio200" '<=' 1.45)" "$(get step.memory.load)"
printf 'fleet at scale, %s instances × %s ms: window engine first pass %s s, %s× ideal (target ≤ 1.25×, %s), peak %s MiB, %s descriptors; check under ulimit -n %s %s s, %s× ideal, peak %s MiB, %s descriptors; load %s\n' \
  "$sn" "$s_lat" "$w_pass" "$w_ratio" "$(verdict "$w_ratio" '<=' 1.25)" "$w_peak" "$w_fds" \
  "$c_limit" "$c_wall" "$c_ratio" "$c_peak" "$c_fds" "$(get step.scale.load)"
printf 'the whole window, %s instances × %s ms: peak %s MiB (target ≤ %s MiB, %s), first pass %s s, %s× ideal (target ≤ 1.25×, %s); load %s\n' \
  "$wf_n" "$wf_lat" "$wf_peak" "$wf_limit" "$(verdict "$wf_peak" '<=' "$wf_limit")" "$wf_pass" "$wf_ratio" "$(verdict "$wf_ratio" '<=' 1.25)" \
  "$(get step.windowfleet.load)"
for s in 1000 10000; do
  printf 'serve, %s instances: one full check %s× ideal (target ≤ 1.25×, %s), scrape %s ms plain, %s ms gzipped, %s MiB resident; load %s\n' \
    "$s" "$(get "serve$s.bound_ratio")" "$(verdict "$(get "serve$s.bound_ratio")" '<=' 1.25)" "$(get "serve$s.scrape_ms")" \
    "$(get "serve$s.scrape_gzip_ms")" "$(get "serve$s.rss_mib")" "$(get step.serve.load)"
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
cat >BENCHMARKS.md <<EOF
# Benchmarks

Measured by \`make bench\` (bench/report.sh) on $(nproc) cores ($cpu), $mem, $(go version | awk '{ print $3 }'),
$(uname -sr). Every figure below is rewritten by each run; none is asserted by a test. The
cores are shared with other work: each section says when it was measured and the load average
(one minute, as \`uptime\` shows it) before and after; a load above the core count stretches
every time below. \`BENCH_ONLY=serve bench/report.sh\` measures one section again and keeps the
others' figures (bench/results.txt).

## 1. Fleet check

Measured $(when fleet).
\`licensedesk check --format json\` (the command line's run function, in one process) over $n
emulated Grafanas (client/grafanatest on loopback, one server each), every one answering after
$(get fleet.latency_ms) ms, at check's default concurrency of $(get fleet.concurrency), reading each instance's usage
(refresh-stats) beside its token as check does by default. The time is the median of $(get fleet.runs) checks
($(get fleet.wall_min_s) to $(get fleet.wall_max_s) s).

| | time | ratio | target |
|---|---:|---:|---|
| licensedesk check | $fleet_wall s | | |
| ideal bound: ceil($n / $(get fleet.concurrency)) × $(get fleet.latency_ms) ms | $bound s | $bound_ratio× the bound | ≤ 1.25× — $(verdict "$bound_ratio" '<=' 1.25) |
| a sequential loop of \`curl\`, one call per instance | $curl_s s | check is $speedup× faster | ≥ 15× — $(verdict "$speedup" '>=' 15) |

The curl loop was timed over $curl_sample instances ($curl_sample_s s, real \`curl\` processes, one
after another) and scaled to $n.

## 2. The window

Measured $(when window).
The real window (\`ui.Run\`) on Fyne's test driver, which paints in software, over 10 and over
10,000 instances. Every instance points at an emulated Grafana that never answers, so the
refresh the window starts stays in flight and no status lands while the figures are taken
(sections 4 and 5 read ten thousand instances with their answers landing).
One window of each size; the keystroke is the mean of 10, the repaint of 3.

| | 10 instances | 10,000 instances | ratio |
|---|---:|---:|---:|
| time to first frame (build the window, paint it once) | $w10_first ms | $w10k_first ms | $(ratio "$w10k_first" "$w10_first")× |
| heap in use with the window open (after GC) | $w10_heap MiB | $w10k_heap MiB | $(ratio "$w10k_heap" "$w10_heap")× |
| one keystroke in the filter box (filter, sort, list update) | $w10_key ms | $w10k_key ms | |
| the same keystroke and a full repaint in software | $w10_keyp ms | $w10k_keyp ms | |

The heap includes the engine's state for every instance. The repaint itself hardly grows with
the list, which draws only the rows in view. The test driver paints in software: read these as a
comparison between the two sizes, not as the GL driver's frame times.

## 3. Memory

Measured $(when memory).
Resident size (VmRSS from /proc) after $idle s idle, each program alone under its own Xvfb
display with software GL, built the same way (\`-tags migrated_fynedo -trimpath\`). The window
watches emulated Grafanas (client/grafanatest) that run in a process of their own
(bench/grafanafleet), so their memory is not counted; every third license is in warning.

| program | resident size | ratio | target |
|---|---:|---:|---|
| bench/minimalfyne: one window, one label — the floor for any Fyne app | $min_mib MiB | 1× | |
| \`licensedesk\` watching 9 instances | $app9_mib MiB | $ratio9× | ≤ 1.3× — $(verdict "$ratio9" '<=' 1.3) |
| \`licensedesk\` watching 200 instances | $app200_mib MiB | $ratio200× | ≤ 1.45× — $(verdict "$ratio200" '<=' 1.45) |

Before the changes of issue 14 the same script measured 198.2 MiB (1.50×) and 211.2 MiB (1.60×).

Where the rest goes (heap profiles and /proc/PID/smaps of both programs): Fyne parses its
bundled emoji font (4 MiB) again for every text style a window uses, so each style costs about
5 MiB of heap: the window uses two (regular and bold) and loads the monospace one only when Raw
JSON is opened. Building the window and reading every instance leave the Go heap and glibc's
heap with freed memory the runtime returns only slowly: the window hands both back once the
statuses have been quiet for 3 s, and when it hides to the tray (where it also drops the
detail pane's field list). What is left above the floor is the window's text textures in the
GL driver's heap, the larger binary, and about 25 KiB of heap per instance read.

## 4. Ten thousand instances

Measured $(when scale).
$sn emulated Grafanas (client/grafanatest on loopback, one server each, in the benchmark's own
process), every one answering after $s_lat ms, read by a process of its own: its peak resident
size (VmHWM) and its open descriptors are read from /proc every 5 ms.

| | time | ideal bound | ratio | peak resident | peak descriptors |
|---|---:|---:|---:|---:|---:|
| the window's engine: first pass | $w_pass s | ceil($sn / $w_conc) × $s_lat ms = $w_bound s | $w_ratio× (≤ 1.25× — $(verdict "$w_ratio" '<=' 1.25)) | $w_peak MiB | $w_fds |
| \`licensedesk check --format json\` under \`ulimit -n $c_limit\` | $c_wall s | ceil($sn / $c_conc) × $s_lat ms = $c_bound s | $c_ratio× | $c_peak MiB | $c_fds of $c_limit |

The window's engine is app.Service with watch.Monitor at the monitor's concurrency of $w_conc and its
notifier, and a subscriber that keeps every status as the window's list does; the window itself
(Fyne) is not in it: section 5 measures the whole window. After its first pass the engine held
$w_held MiB; $w_idle_s s later, with no read in flight, $w_idle_fds descriptors and $w_idle_mib MiB. \`check\` is the
real binary at its default concurrency of $c_conc, without its overall deadline (\`--deadline 0\`,
so the time is the whole fleet's), and read every instance.

Before the changes of issue 11's item 5 (commit 4222db6, the monitor without its notifier) the
same fleet took 323.3 s for the engine's first pass (2.59×) and 122.2 s for check (3.91×), with
54 and 73 descriptors; commit 7ce1ee7, before the shared connection pool, left 985 of 2,000
instances unread under \`ulimit -n 1024\`.

## 5. The whole window over ten thousand instances

Measured $(when windowfleet).
The real \`licensedesk\` window (Fyne's GL driver in software under its own Xvfb display, in a
D-Bus session of its own, a throwaway HOME) over $wf_n emulated Grafanas (client/grafanatest on
loopback, one server each, in the benchmark's process), every one answering after $wf_lat ms. The
window reads them all with its monitor (concurrency $wf_conc); the benchmark counts each emulator's
token reads until every instance has been read once, lets the window settle for $wf_settle s, and reads
the window's peak resident size (VmHWM) from /proc.

| | figure | bound | verdict |
|---|---:|---:|---|
| peak resident size, every instance read | $wf_peak MiB | ≤ $wf_limit MiB | $(verdict "$wf_peak" '<=' "$wf_limit") |
| first pass: first request to the last instance's first answer | $wf_pass s | ≤ 1.25 × ceil($wf_n / $wf_conc) × $wf_lat ms = 1.25 × $wf_bound s | $wf_ratio× — $(verdict "$wf_ratio" '<=' 1.25) |
| resident size $wf_settle s after the pass | $wf_settled MiB | | |
| descriptors: most seen, and after the pass | $wf_fds, $wf_settled_fds | | |

The process was started $wf_started s before the last instance's first answer. Where the memory
went before issue 11's fix (heap profiles and smaps of the window during a pass): every status
was queued to the UI goroutine on its own and re-laid every row in view (Fyne's RefreshItem),
so statuses piled up in the queue; and the status line and the rows on screen were redrawn with
new words several times a second, while Fyne keeps a texture of every text it drew for a
minute, so the GL driver's heap grew by about 75 MiB over a pass. The window now takes the
statuses in batches, repaints only the row showing an instance, and re-sorts the list and
rewrites the status line at most once a second while statuses pour in: on the same machine, at
load 1.6, the window before the fix peaked at 420.7 MiB (missed) and held 415.5 MiB after the pass.

## 6. Fleet mode: \`licensedesk serve\`

Measured $(when serve).
The real \`licensedesk serve\` binary over emulated Grafanas (client/grafanatest on loopback, in
the benchmark's process; at 10,000 two instances share each emulator, as the descriptor limit
asks, and each Grafana has a license of its own), every one answering after 50 ms, at serve's
default concurrency of 16. One full check is serve's own \`licensedesk_check_duration_seconds\`;
a scrape is timed from the request to the last byte of /metrics, the median of $(get serve10000.scrapes) scrapes after 3
untimed ones, plain and with \`Accept-Encoding: gzip\` as Prometheus asks; the resident size
(VmRSS, VmHWM) is read after the check and the scrapes.

| fleet | one full check | ideal bound | ratio | scrape, plain | scrape, gzip | resident |
|---|---:|---:|---:|---:|---:|---:|
$(serve_row 1000)
$(serve_row 10000)

A scrape never reads a Grafana: serve renders the results once per check, and compresses them
once too; a gzipped scrape compresses only the exporter's own series (Go and process
collectors), which follow the check's in the same gzip stream.
EOF
echo
echo "BENCHMARKS.md rewritten."
