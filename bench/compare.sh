#!/usr/bin/env bash
# Compares the quick Go benchmarks of `make bench` between two commits, run
# in one sitting on one machine: it checks both commits out in temporary git
# worktrees, builds each package's test binary once per commit, and then runs
# the benchmarks ALTERNATELY (round 1: old, new; round 2: old, new; …), one
# sample per run, so that a busy neighbour or a warming CPU hits both sides
# alike. It prints benchstat's before → after table (median, 95 % interval,
# change, p-value; "~" where the difference is within the noise) and a short
# table with the ratio new/old per figure and a verdict.
#
#   bench/compare.sh OLD NEW          (or: make bench-compare OLD=… NEW=…)
#
# OLD and NEW are anything git names a commit by (a hash, a branch, a tag).
# Environment:
#   KICHECK_COMPARE_ROUNDS  rounds, each one sample per side (default 6: benchstat
#                           gives a 95 % interval from 6 samples on; at least 5)
#   KICHECK_COMPARE_ONLY    a regular expression on the package, to run part of the list
#   KICHECK_COMPARE_OUT     folder for the raw results old.txt, new.txt, load.txt
#                           (default: a temporary folder that is removed)
#
# Which benchmarks: those of `make bench` that need no network, no Ollama and
# no PostgreSQL and finish in minutes (hardware, quiz, collect intake/verify/
# fleet, the Land view, runtime discovery, the load generator's accuracy). Left
# out: the 1,000,000-report PostgreSQL figures, the Ollama measurements
# (MeasurementQuality, PredictionAccuracy, DecodeVsBandwidth) and the
# bandwidth experiments (bandwidth.sh, BandwidthCause, VerdictSteadyOverProbes),
# which measure this machine's memory rather than KI-Check's code, the two
# larger sizes of BenchmarkFleet (minutes of filling per run), and
# intakemem (peak RSS of a server, not a Go benchmark). A benchmark that only
# one commit has is run on that side alone and shows in the table without a
# comparison.
#
# benchstat (golang.org/x/perf/cmd/benchstat, pinned below) is installed into
# $KICHECK_TOOLS (default ~/.cache/kicheck-tools) on first use; where it cannot
# be installed, the script prints its own table: medians, ratio, and "beyond
# noise" only where the two sides' samples do not overlap at all.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: bench/compare.sh OLD NEW   (two commits, e.g. 4033f5b main)" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
repo=$(pwd)
rounds=${KICHECK_COMPARE_ROUNDS:-6}
if ! [ "$rounds" -ge 5 ] 2>/dev/null; then
  echo "compare.sh: KICHECK_COMPARE_ROUNDS must be a number of at least 5 (got '$rounds')" >&2
  exit 2
fi
only=${KICHECK_COMPARE_ONLY:-.}

# package, benchmark pattern, -benchtime (as in the Makefile's bench target),
# separated by spaces (the patterns hold | and no space)
benches=(
  "internal/hardware . 30x"
  "internal/quiz . 10x"
  "internal/collect ^Benchmark(Intake|VerifyOnly|VerifyRealCheckReport)$ 5x"
  # The fleet at its first size only: filling the larger ones (100,000
  # devices; 260,000 reports) takes minutes per run, before anything is timed.
  "internal/collect ^BenchmarkFleet$/^100k_reports_5k_devices$ 5x"
  "internal/aggregate LandView 20x"
  "internal/runtime Discover 1s"
  "internal/load GeneratorAccuracy 1x"
)

BENCHSTAT_VERSION=v0.0.0-20260908200009-22c9c6c9d4da
tools=${KICHECK_TOOLS:-$HOME/.cache/kicheck-tools}
benchstat=$tools/benchstat-$BENCHSTAT_VERSION/benchstat
if [ ! -x "$benchstat" ]; then
  echo "compare.sh: installing benchstat $BENCHSTAT_VERSION into $(dirname "$benchstat")" >&2
  if ! GOBIN="$(dirname "$benchstat")" go install "golang.org/x/perf/cmd/benchstat@$BENCHSTAT_VERSION" >&2; then
    echo "compare.sh: benchstat could not be installed; printing the script's own table" >&2
    benchstat=""
  fi
fi

oldrev=$(git rev-parse --verify "$1^{commit}")
newrev=$(git rev-parse --verify "$2^{commit}")
tmp=$(mktemp -d)
cleanup() {
  git -C "$repo" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true
  git -C "$repo" worktree remove --force "$tmp/new" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
out=${KICHECK_COMPARE_OUT:-$tmp/out}
mkdir -p "$out"
: >"$out/old.txt"
: >"$out/new.txt"
: >"$out/load.txt"

echo "old: $(git log -1 --format='%h %ad %s' --date=iso "$oldrev" | cut -c1-100)"
echo "new: $(git log -1 --format='%h %ad %s' --date=iso "$newrev" | cut -c1-100)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), go $(go env GOVERSION)"
git worktree add --detach --quiet "$tmp/old" "$oldrev"
git worktree add --detach --quiet "$tmp/new" "$newrev"

# Build every test binary first, so that compiling never overlaps a
# measurement; a package or benchmark missing on one side is noted.
runs=()
for entry in "${benches[@]}"; do
  read -r pkg pattern benchtime <<<"$entry"
  [[ $pkg =~ $only ]] || continue
  for side in old new; do
    bin=$tmp/bin/$side/$(echo "$pkg" | tr / _).test
    mkdir -p "$(dirname "$bin")"
    if [ ! -d "$tmp/$side/$pkg" ]; then
      echo "$side: $pkg does not exist, skipped"
      continue
    fi
    if [ ! -x "$bin" ]; then
      echo "build $side $pkg" >&2
      (cd "$tmp/$side" && go test -c -o "$bin" "./$pkg/")
    fi
    # -test.list matches the top level only: the pattern up to its first '/'.
    if [ -z "$("$bin" -test.list "${pattern%%/*}" 2>/dev/null | grep '^Benchmark' || true)" ]; then
      echo "$side: $pkg has no benchmark matching $pattern, skipped"
      continue
    fi
    runs+=("$side $pkg $pattern $benchtime $bin")
  done
done

load() { cut -d' ' -f1-3 /proc/loadavg; }
start=$(date +%s)
echo "rounds: $rounds, each run one sample (-count 1), alternating old and new per package"
for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds  load average $(load)" | tee -a "$out/load.txt" >&2
  for run in "${runs[@]}"; do
    read -r side pkg pattern benchtime bin <<<"$run"
    # From the package folder, as go test runs it (testdata is relative).
    if ! (cd "$tmp/$side/$pkg" && "$bin" -test.run '^$' -test.bench "$pattern" \
      -test.benchtime "$benchtime" -test.benchmem -test.count 1 -test.timeout 20m) >"$tmp/run.txt" 2>&1; then
      echo "compare.sh: $side $pkg failed in round $r:" >&2
      tail -20 "$tmp/run.txt" >&2
      exit 1
    fi
    grep -E '^(goos|goarch|pkg|cpu):|^Benchmark' "$tmp/run.txt" >>"$out/$side.txt"
  done
done
echo "after the last round: load average $(load); $(( $(date +%s) - start )) s of benchmarks" | tee -a "$out/load.txt"
echo

if [ -n "$benchstat" ]; then
  (cd "$out" && "$benchstat" old.txt new.txt)
  echo
  # The short table: ratio new/old of each figure and whether it is beyond
  # noise (benchstat's test: p < 0.05 and the change not shown as "~").
  (cd "$out" && "$benchstat" -format csv old.txt new.txt 2>/dev/null) | awk -F, '
    BEGIN { printf "%-58s %-12s %8s  %s\n", "figure", "unit", "new/old", "verdict" }
    /^pkg:/ { pkg = $0; sub(/.*\/kicheck\//, "", pkg); next }
    /^,(old|new)\.txt/ { side = ($4 == "" ? $2 : ""); next }  # ",old.txt,,new.txt,,,"; one file: ",new.txt,"
    /^,/ { unit = $2; next }                  # ",sec/op,CI,…"
    NF >= 6 && $1 != "" && $1 != "geomean" && $2 != "" && $4 != "" {
      ratio = ($2 == 0) ? "-" : sprintf("%.3f", $4 / $2)
      verdict = ($6 == "~") ? "noise" : ($6 ~ /^\+/ ? "beyond noise: higher" : "beyond noise: lower")
      printf "%-58s %-12s %8s  %s (%s, %s)\n", pkg " " $1, unit, ratio, verdict, $6, $7
      next
    }
    NF >= 3 && $1 != "" && $1 != "geomean" && $1 !~ /:/ {
      printf "%-58s %-12s %8s  %s\n", pkg " " $1, unit, "-", (side == "new.txt" || $2 == "" ? "new only" : "old only")
    }'
else
  cd "$out"
  awk '
    /^pkg:/ { pkg = $2; sub(/.*\/kicheck\//, "", pkg); next }
    /^Benchmark/ {
      name = $1; sub(/-[0-9]+$/, "", name)
      for (i = 3; i + 1 <= NF; i += 2) {
        key = pkg " " name " " $(i + 1)
        n[FILENAME, key]++; v[FILENAME, key, n[FILENAME, key]] = $i; keys[key] = 1
      }
    }
    function med(f, k,   m, a, i, j, t) {
      m = n[f, k]; if (m == 0) return ""
      for (i = 1; i <= m; i++) a[i] = v[f, k, i] + 0
      for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      lo[f] = a[1]; hi[f] = a[m]
      return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    END {
      printf "%-70s %12s %12s %8s  %s\n", "figure (unit)", "old median", "new median", "new/old", "verdict"
      for (k in keys) {
        o = med("old.txt", k); olo = lo["old.txt"]; ohi = hi["old.txt"]
        w = med("new.txt", k); wlo = lo["new.txt"]; whi = hi["new.txt"]
        if (o == "" || w == "") { printf "%-70s %12s %12s %8s  %s\n", k, o, w, "-", "one side only"; continue }
        verdict = (wlo > ohi) ? "beyond noise: higher" : (whi < olo) ? "beyond noise: lower" : "noise (ranges overlap)"
        printf "%-70s %12.4g %12.4g %8s  %s\n", k, o, w, (o == 0 ? "-" : sprintf("%.3f", w / o)), verdict
      }
    }' old.txt new.txt | sort
fi
