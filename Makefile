# KI-Check build, run and test. `make help` lists the targets.
# Everything a target needs is installed by scripts/ when missing.

GO       ?= go
PKG      := github.com/ki-reise/kicheck
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -s -w -X $(PKG)/internal/buildinfo.Version=$(VERSION) \
            -X $(PKG)/internal/buildinfo.Commit=$(COMMIT) \
            -X $(PKG)/internal/buildinfo.Date=$(DATE)
OLLAMA    = $(shell scripts/ollama.sh)

.PHONY: help run build cli test race vet windows deb screenshots bench bench-compare fuzz deps-gui deps-test clean

help:
	@echo "make run          build and open KI-Check (installs Fyne's system packages when missing)"
	@echo "make test         run the whole test suite (installs what the tests need, builds the pinned Ollama)"
	@echo "make build        build ./kicheck (GUI and command line)"
	@echo "make cli          build ./kicheck-cli without cgo and without the GUI (servers, CI)"
	@echo "make windows      cross-compile dist/kicheck.exe (GUI, mingw-w64) and dist/kicheck-cli.exe for windows/amd64,"
	@echo "                  pack dist/kicheck.msi (wixl), sign all three when KICHECK_SIGN_* is set (docs/rollout.md)"
	@echo "make deb          build dist/kicheck_VERSION_ARCH.deb (GUI, desktop entry and icon from FyneApp.toml)"
	@echo "make screenshots  walk through every screen under Xvfb, write docs/screenshots/*.png"
	@echo "make bench        run the benchmarks (speed and memory goals)"
	@echo "make bench-compare OLD=commit NEW=commit"
	@echo "                  the quick benchmarks of make bench at two commits, alternating, before -> after (bench/compare.sh)"
	@echo "make race         run the tests of internal/ with the race detector (slower; not part of make test)"
	@echo "make fuzz         fuzz the parsers briefly"

deps-gui:
	@scripts/deps.sh gui

deps-test:
	@scripts/deps.sh test

build: deps-gui
	$(GO) build -ldflags '$(LDFLAGS)' -o kicheck ./app

cli:
	CGO_ENABLED=0 $(GO) build -tags nogui -ldflags '$(LDFLAGS)' -o kicheck-cli ./app

run: build
	./kicheck

vet:
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) vet -tags nogui ./app/ $$($(GO) list ./internal/... | grep -v /internal/ui)

# The whole suite: unit and integration tests (real SQLite, real Ollama,
# real ssh-keygen), the headless and Windows builds, and the GUI opened for
# real under Xvfb.
test: deps-test vet
	KICHECK_OLLAMA=$(OLLAMA) KICHECK_REQUIRE_OLLAMA=1 KICHECK_REQUIRE_SOFFICE=1 KICHECK_REQUIRE_A11Y=1 KICHECK_REQUIRE_POSTGRES=1 $(GO) test -count=1 -timeout 30m ./...
	# The OS credential store for real: GNOME Keyring in a private D-Bus session.
	KICHECK_OLLAMA=$(OLLAMA) KICHECK_REQUIRE_OLLAMA=1 scripts/secret-service.sh $(GO) test -count=1 -timeout 30m -run 'SecretService|CloudPathEndToEnd' ./internal/cloud/ ./app/
	CGO_ENABLED=0 $(GO) test -count=1 -tags nogui ./app/
	$(MAKE) cli windows
	scripts/gui-smoke.sh
	# Keyboard alone under Xvfb with real key presses (Tab, Enter, Esc, Ctrl/Alt+digit), issue 19.
	scripts/a11y-xvfb.sh
	# The Windows build for real: signed MSI installed, run and removed under Wine.
	KICHECK_VERSION='$(VERSION)' scripts/wine-test.sh
	scripts/deb-test.sh '$(VERSION)'

windows: deps-test
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -ldflags '$(LDFLAGS) -H=windowsgui' -o dist/kicheck.exe ./app
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 \
		$(GO) build -tags nogui -ldflags '$(LDFLAGS)' -o dist/kicheck-cli.exe ./app
	# dist/kicheck.msi; signs exe and msi when KICHECK_SIGN_* is set (docs/rollout.md).
	scripts/msi.sh '$(VERSION)'

# dist/kicheck_VERSION_ARCH.deb with the desktop entry and icon from FyneApp.toml.
deb: build
	scripts/deb.sh '$(VERSION)'

screenshots: deps-test build
	scripts/screenshots.sh

# Speed and memory goals. Each figure is a ratio against a reference
# measured in the same run (these machines are shared and noisy).
bench: deps-test
	bench/bandwidth.sh 7
	$(GO) test -run '^$$' -bench . -benchtime 30x ./internal/hardware/
	$(GO) test -run '^$$' -bench . -benchtime 10x ./internal/quiz/
	$(GO) test -run '^$$' -bench '^Benchmark(Intake|VerifyOnly|Fleet|VerifyRealCheckReport)$$' -benchtime 5x ./internal/collect/
	# PostgreSQL (issue 15): serve intake vs SQLite, overview at 1,000,000 reports (KICHECK_BENCH_PG_REPORTS), size per 100,000
	KICHECK_REQUIRE_POSTGRES=1 $(GO) test -run '^$$' -bench '^Benchmark(ServeIntake|FleetPostgres|DatabaseSize)$$' -benchtime 1x -timeout 60m ./internal/collect/
	# Land view over 218 municipalities' summaries (issue 15): goal under 100 ms
	$(GO) test -run '^$$' -bench LandView -benchtime 20x ./internal/aggregate/
	# Peak RSS of serve and collect under the attacks of issue 20 (goal: < 300 MB each).
	$(MAKE) cli
	$(GO) run ./bench/intakemem -bin ./kicheck-cli
	$(GO) test -run '^$$' -bench Discover ./internal/runtime/
	$(GO) test -run '^$$' -bench GeneratorAccuracy -benchtime 1x -v ./internal/load/
	KICHECK_OLLAMA=$(OLLAMA) $(GO) test -run '^$$' -bench MeasurementQuality -benchtime 1x -timeout 30m ./internal/bench/
	$(GO) test -run '^$$' -bench BandwidthCause -benchtime 1x -v ./internal/probe/
	$(GO) test -run '^$$' -bench VerdictSteadyOverProbes -benchtime 1x -timeout 20m -v ./app/
	# Issue 22's configurations: 1 and 4 GB, Q8_0 and Q4_K_M, one thread and all, 5 rounds each (about 13 minutes on the 2-core VM)
	KICHECK_OLLAMA=$(OLLAMA) KICHECK_ACCURACY_QUICK=1 KICHECK_ACCURACY_SIZES=1,4 $(GO) test -run '^$$' -bench PredictionAccuracy -benchtime 1x -timeout 50m -v ./internal/fit/
	KICHECK_OLLAMA=$(OLLAMA) $(GO) test -run '^$$' -bench DecodeVsBandwidth -benchtime 1x -timeout 30m ./internal/loadprofile/

# The quick benchmarks of `make bench` (no network, Ollama or PostgreSQL) at
# two commits, run alternately in one sitting; benchstat's before -> after
# table with the ratio and whether it is beyond noise (docs/benchmarks.md).
bench-compare:
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make bench-compare OLD=commit NEW=commit" >&2; exit 2; }
	bench/compare.sh '$(OLD)' '$(NEW)'

# The race detector over every package below internal/ (GUI tests included:
# they run fyne.Do on their own UI loop, see internal/ui/uiloop_test.go).
race: deps-test
	KICHECK_OLLAMA=$(OLLAMA) KICHECK_REQUIRE_OLLAMA=1 $(GO) test -race -count=1 -timeout 40m ./internal/... ./app/

# Short fuzzing of every parser that reads outside files.
fuzz:
	for f in FuzzParseGIFT FuzzParseBundle FuzzParseMoodleXML; do $(GO) test ./internal/quiz -run XXX -fuzz $$f -fuzztime 30s || exit 1; done
	for f in FuzzIntake FuzzEnvelope FuzzArchive FuzzRedactDSN; do $(GO) test ./internal/collect -run XXX -fuzz $$f -fuzztime 30s || exit 1; done
	$(GO) test ./internal/report -run XXX -fuzz FuzzVerify -fuzztime 30s
	$(GO) test ./internal/hotspot -run XXX -fuzz FuzzReadSheet -fuzztime 30s
	$(GO) test ./internal/moochub -run XXX -fuzz FuzzParse -fuzztime 30s
	$(GO) test ./internal/offers -run XXX -fuzz FuzzReadCSV -fuzztime 30s
	$(GO) test ./internal/policy -run XXX -fuzz FuzzParse -fuzztime 30s
	$(GO) test ./internal/aggregate -run XXX -fuzz FuzzParse -fuzztime 30s

clean:
	rm -rf kicheck kicheck-cli dist
