# Build, install and check peft-perf.
#
#   make install PREFIX=/usr/local   (DESTDIR is honoured, for packaging)
#   make uninstall PREFIX=/usr/local
#   make test                        (swift test)
#   make lint                        (man page and swift format)

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
RELEASE_FLAGS = -c release --static-swift-stdlib --product peft-perf

bindir = $(DESTDIR)$(PREFIX)/bin
mandir = $(DESTDIR)$(PREFIX)/share/man/man1
bashdir = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
zshdir = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
fishdir = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: all build install uninstall test lint

all: build

build:
	$(SWIFT) build $(RELEASE_FLAGS)

install: build
	install -d "$(bindir)" "$(mandir)" "$(bashdir)" "$(zshdir)" "$(fishdir)"
	install -m 755 "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/peft-perf" "$(bindir)/peft-perf"
	install -m 644 man/peft-perf.1 "$(mandir)/peft-perf.1"
	install -m 644 completions/peft-perf.bash "$(bashdir)/peft-perf"
	install -m 644 completions/_peft-perf "$(zshdir)/_peft-perf"
	install -m 644 completions/peft-perf.fish "$(fishdir)/peft-perf.fish"

uninstall:
	rm -f "$(bindir)/peft-perf" "$(mandir)/peft-perf.1" "$(bashdir)/peft-perf" \
		"$(zshdir)/_peft-perf" "$(fishdir)/peft-perf.fish"

test:
	$(SWIFT) test

# groff exits 0 even when it warns, so any output at all fails the lint.
lint:
	@out=$$(groff -man -ww -z man/peft-perf.1 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; echo "make lint: groff warned about man/peft-perf.1" >&2; exit 1; fi
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
