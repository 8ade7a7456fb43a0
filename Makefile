# Licensedesk: the verbs. `make demo` opens the app on demo instances; `make test` runs every test.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin

VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT  := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/licensedesk/licensedesk/app.Version=$(VERSION) -X github.com/licensedesk/licensedesk/app.Commit=$(COMMIT)
GOFLAGS_BUILD := -tags migrated_fynedo -trimpath
TEST_TIMEOUT ?= 40m

.PHONY: deps build run demo test bench lint screenshot fuzz fuzz-short clean

deps:
	./scripts/deps.sh

build: deps
	go build $(GOFLAGS_BUILD) -ldflags "$(LDFLAGS)" -o licensedesk .

run: build
	./licensedesk

demo: build
	./licensedesk --demo

test: deps
	go vet ./...
	# the Windows and macOS code (file dialogs, notifications, keyring, launch,
	# the console launcher), vetted for those systems (Fyne itself needs cgo
	# and Apple's SDK on macOS, so ui is vetted for Windows only)
	GOOS=windows CGO_ENABLED=0 go vet ./app/portal ./app/watch ./app/launch ./app/vault ./ui ./packaging/windows/console
	GOOS=darwin CGO_ENABLED=0 go vet ./app/portal ./app/watch
	promtool check rules packaging/prometheus/licensedesk-rules.yml
	cd packaging/prometheus && promtool test rules licensedesk-rules_test.yml
	timeout $(TEST_TIMEOUT) ./scripts/session.sh go test -race -tags integration -timeout $(TEST_TIMEOUT) ./...

# The figures of BENCHMARKS.md (fleet check, window, memory, ten thousand instances, the whole window over ten thousand, serve), printed and written there; BENCH_ONLY=STEP measures one again.
bench: deps
	./bench/report.sh

# Fuzz each target for FUZZTIME; plain `go test` (make test, CI) runs their seed corpora.
FUZZTIME ?= 30s
FUZZ_TARGETS := client:FuzzParseToken client:FuzzDecodeJWT client:FuzzEvaluate app:FuzzStoreLoad
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "== $${t#*:} ($(FUZZTIME))"; \
	  go test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) ./$${t%%:*}/; \
	done

# A short fuzzing pass (CI), a few seconds per target. It counts runs rather
# than time: Go 1.26's fuzzer can fail a timed run with "context deadline
# exceeded" and no failing input when a busy machine keeps a worker from
# stopping in time (golang/go#75804, fixed in Go 1.27); a count has no
# deadline to race. PACKAGE:TARGET:RUNS
FUZZ_SHORT := client:FuzzParseToken:20000x client:FuzzDecodeJWT:20000x client:FuzzEvaluate:15000x app:FuzzStoreLoad:2000x
fuzz-short:
	@set -e; for t in $(FUZZ_SHORT); do \
	  pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; runs=$${rest#*:}; \
	  echo "== $$name ($$runs)"; \
	  go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $$runs ./$$pkg/; \
	done

screenshot: build
	./scripts/screenshots.sh ./licensedesk

lint:
	go vet ./...
	test -z "$$(gofmt -l .)"

clean:
	rm -rf licensedesk licensedesk.exe dist build

# ---- Installers (README.md, "Packaging"). Not part of `make test` or CI:
# cold cgo builds take minutes (Windows about 5), so these are separate verbs.
# Outputs go to dist/, intermediate files to build/pkg/. Release builds use
# -tags migrated_fynedo,release -trimpath -ldflags "-s -w -X …" via `fyne package --release`.
GOARCH_HOST := $(shell go env GOARCH 2>/dev/null || echo amd64)
BUILD_NUMBER := $(shell sed -n 's/^ *Build *= *\([0-9]*\).*/\1/p' FyneApp.toml)
PKG := build/pkg
DEB := dist/licensedesk_$(VERSION)-$(BUILD_NUMBER)_$(shell dpkg --print-architecture 2>/dev/null || echo $(GOARCH_HOST)).deb
WIN_EXE := $(PKG)/windows/licensedesk.exe
WIN_COM := $(PKG)/windows/licensedesk.com
# Signing for package-windows: make package-windows SIGN_PKCS12=cert.p12 SIGN_PASSWORD=…
export SIGN_PKCS12 SIGN_PASSWORD SIGN_TIMESTAMP_URL

.PHONY: icons package-linux package-windows package-test package-test-linux package-test-windows dist

icons:
	go generate ./assets

package-linux: deps
	./packaging/deps.sh linux
	./packaging/fyne-package.sh linux $(PKG)/linux
	mkdir -p dist
	cp $(PKG)/linux/Licensedesk.tar.xz dist/licensedesk-$(VERSION)-linux-$(GOARCH_HOST).tar.xz
	./packaging/linux/tarball.sh dist/licensedesk-$(VERSION)-linux-$(GOARCH_HOST).tar.xz
	./packaging/linux/deb.sh dist/licensedesk-$(VERSION)-linux-$(GOARCH_HOST).tar.xz dist

package-windows: deps
	./packaging/deps.sh windows
	./packaging/fyne-package.sh windows $(PKG)/windows
	./packaging/windows/installer.sh $(WIN_EXE) dist

# The checks test what package-linux / package-windows built, building only
# what is missing; after a change, run the package target again first.
# Packages are built from the committed HEAD; PACKAGE_WORKTREE=1 packages the
# working tree as it is (its --version then says "commit <hash>-dirty").
$(DEB):
	$(MAKE) package-linux

# package-windows writes licensedesk.com after licensedesk.exe, so with the
# .com there both are.
$(WIN_EXE) $(WIN_COM):
	$(MAKE) package-windows

package-test-linux: $(DEB)
	./packaging/deps.sh linux check-linux
	./packaging/linux/test.sh dist

package-test-windows: $(WIN_COM)
	./packaging/deps.sh windows check-windows
	./packaging/windows/test.sh $(WIN_EXE)

package-test: package-test-linux package-test-windows

# Every installer this machine can build (not macOS: see .github/workflows/release.yml).
dist:
	rm -rf dist
	$(MAKE) package-linux package-windows
	cd dist && sha256sum -- $$(ls | grep -vx SHA256SUMS) > SHA256SUMS
	cat dist/SHA256SUMS
