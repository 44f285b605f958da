#!/usr/bin/env bash
# Compares the Go bandwidth probe (internal/probe) with a STREAM-style C read
# kernel on all cores, alternating the two N times in one run, and prints
# the medians and their ratio (goal: Go reaches >= 90 % of the C reference).
#
#   bench/bandwidth.sh [N=7]
#
# Needs gcc with OpenMP (Debian: gcc; libgomp comes with it).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O3 -march=native -fopenmp bench/stream.c -o "$tmp/stream"
KICHECK_STREAM="$tmp/stream" KICHECK_STREAM_ROUNDS="$rounds" \
  go test -run '^$' -bench 'BandwidthVsStream' -benchtime 1x -v ./internal/probe |
  grep -E 'rounds alternating|BenchmarkBandwidthVsStream|^ok|FAIL'
