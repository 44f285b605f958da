#!/usr/bin/env bash
# Builds the pinned Ollama that the test suite runs against, once per machine.
# The binary goes to $KICHECK_TOOLS (default: ~/.cache/kicheck-tools) so a
# second `make test` reuses it. Built with -O3 -march=native: a plain build
# uses SSE2 only and decodes about 2.5x slower than Ollama's release builds.
set -euo pipefail
OLLAMA_VERSION=v0.6.5
tools=${KICHECK_TOOLS:-$HOME/.cache/kicheck-tools}
bin=$tools/ollama-$OLLAMA_VERSION/bin/ollama
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
if ! dpkg -s nlohmann-json3-dev >/dev/null 2>&1 || ! command -v g++ >/dev/null; then
  echo "ollama.sh: installing g++ and nlohmann-json3-dev (needed to build Ollama's runner)" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd=sudo
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq g++ nlohmann-json3-dev >&2
fi
echo "ollama.sh: building Ollama $OLLAMA_VERSION with -O3 -march=native (about two minutes)" >&2
mkdir -p "$(dirname "$bin")"
GOBIN="$(dirname "$bin")" CGO_ENABLED=1 \
  CGO_CFLAGS="-O3 -march=native" CGO_CXXFLAGS="-O3 -march=native" \
  go install "github.com/ollama/ollama@$OLLAMA_VERSION" >&2
echo "$bin"
