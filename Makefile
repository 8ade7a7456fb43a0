# Licensedesk: the verbs. `make demo` opens the app on demo instances; `make test` runs every test.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin

VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
COMMIT  := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/licensedesk/licensedesk/app.Version=$(VERSION) -X github.com/licensedesk/licensedesk/app.Commit=$(COMMIT)
GOFLAGS_BUILD := -tags migrated_fynedo -trimpath
TEST_TIMEOUT ?= 40m

.PHONY: deps build run demo test bench lint screenshot package-linux package-windows dist fuzz clean

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
	timeout $(TEST_TIMEOUT) ./scripts/session.sh go test -race -tags integration -timeout $(TEST_TIMEOUT) ./...

bench: deps
	go test -run '^$$' -bench . -benchmem ./...

lint:
	go vet ./...
	test -z "$$(gofmt -l .)"

clean:
	rm -rf licensedesk licensedesk.exe dist build
