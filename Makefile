# make       builds every book in source/ into out/ (NAME.md, or a folder NAME/
#            with book.yaml, SUMMARY.md or book.toml -> NAME.pdf, NAME.epub)
# make test  runs every test, installing the tools the tests read outputs with
# make fuzz  runs the fuzz targets for FUZZTIME each (default 5m)
# make same  checks that the working tree writes the same bytes as HEAD
#            (scripts/same-output.sh; REV=... to compare with another commit)
# make bench runs the per-stage Go benchmarks, then times whole builds of
#            generated books against Typst (scripts/bench.sh; docs/performance.md)

GO      ?= go
BOOKS   := $(wildcard source/*.md)
# Books kept as folders: source/NAME/ with book.yaml (paiban init), or as
# GitBook (SUMMARY.md) or mdBook (book.toml) keep them.
DIRBOOKS := $(sort $(patsubst source/%/,%,$(dir $(wildcard source/*/book.yaml source/*/SUMMARY.md source/*/book.toml))))
OUTPUTS := $(BOOKS:source/%.md=out/%.pdf) $(BOOKS:source/%.md=out/%.epub) \
           $(DIRBOOKS:%=out/%.pdf) $(DIRBOOKS:%=out/%.epub)
GOSRC   := $(shell find cmd internal -name '*.go' ! -name '*_test.go') embed.go go.mod go.sum
# The large faces scripts/fetch-fonts.sh fetches from Debian once
# (fonts/README.md), and the rest of the fonts folder.
FETCHED := fonts/NotoSerifCJK-Regular.ttc fonts/HanaMinB.ttf
FONTS   := $(sort $(wildcard fonts/*) $(FETCHED))
STYLES  := $(wildcard styles/*.yaml)

.PHONY: all test fuzz bench same tools fonts clean

all: $(OUTPUTS)

# The styles are built into the program too.
bin/paiban: $(GOSRC) $(STYLES) styles/epub.css
	$(GO) build -o $@ ./cmd/paiban

# One run writes both editions of a book (a grouped pattern rule).
out/%.pdf out/%.epub: source/%.md bin/paiban $(FONTS) $(STYLES)
	bin/paiban build -o out $<

# A folder book depends on every file in its folder, images in subfolders too.
.SECONDEXPANSION:
out/%.pdf out/%.epub: source/%/ $$(shell find source/$$* -type f) bin/paiban $(FONTS) $(STYLES)
	bin/paiban build -o out source/$*

tools:
	@scripts/install-tools.sh

fonts: $(FETCHED)

$(FETCHED) &: scripts/fetch-fonts.sh
	@scripts/fetch-fonts.sh
	@touch $(FETCHED)

# A package's tests take a minute or two on an idle machine; the time-out
# is far above that, so that a busy one does not fail a good run, and
# still ends a hung one.
# PAIBAN_FETCHED_FONTS and PAIBAN_ACE make the tests that need a fetched
# face or Ace by DAISY (scripts/install-tools.sh) fail rather than skip
# without it.
test: tools fonts
	$(GO) vet ./...
	PAIBAN_FETCHED_FONTS=1 PAIBAN_ACE=1 $(GO) test -timeout 30m ./...
	$(MAKE) fuzz FUZZTIME=5s

# The fuzz targets, each for FUZZTIME (make fuzz FUZZTIME=1h for a long
# run). Minimizing an input is capped too (scripts/fuzz.sh): a build of one
# takes tens of milliseconds, so the default minute would stall the run.
FUZZTIME ?= 5m
FUZZ     := internal/markdown:FuzzParse internal/build:FuzzBuild internal/build:FuzzEPUBXML \
            internal/layout:FuzzLineSearch
fuzz:
	@GO=$(GO) scripts/fuzz.sh $(FUZZTIME) $(FUZZ)

same: fonts
	scripts/same-output.sh $(REV)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	scripts/bench.sh

clean:
	rm -rf bin out
