#!/bin/sh
# Checks that a change leaves the editions byte for byte as they were:
# builds a set of books with paiban at REV (default HEAD) and with the
# working tree, in both print styles, and compares every PDF, EPUB and
# layout dump. A refactoring must pass it; a change that means to alter
# the output shows here what it altered.
#
#   scripts/same-output.sh [REV]
set -e
cd "$(dirname "$0")/.."
rev=${1:-HEAD}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Books that between them use every construct: the article, the showcase,
# the every-construct document, a dense mixed text, a GitBook and an
# mdBook folder.
books="source/xinzhi-shengchanli.md source/showcase
internal/build/testdata/constructs/book.md testdata/mixed/dense.md
testdata/books/gitbook testdata/books/mdbook"

mkdir "$tmp/old"
git archive "$rev" | tar -x -C "$tmp/old"
(cd "$tmp/old" && ${GO:-go} build -o "$tmp/paiban-old" ./cmd/paiban)
${GO:-go} build -o "$tmp/paiban-new" ./cmd/paiban

# Fixed date, no network, an empty image cache: the outputs depend on the
# program and the sources only.
export SOURCE_DATE_EPOCH=1714435200 XDG_CACHE_HOME="$tmp/cache"
styles() { if [ "$1" = old ]; then echo "$tmp/old/styles"; else echo styles; fi; }
status=0
for which in old new; do
	for st in a4-handout a5-book; do
		for b in $books; do
			[ -e "$b" ] || continue
			name=$(basename "$b" .md)
			out="$tmp/$which/out-$st"
			mkdir -p "$out"
			# Each program with its own styles; both with these fonts,
			# the fetched ones included.
			"$tmp/paiban-$which" build -q --offline --style "$st" \
				--fonts fonts --styles "$(styles $which)" -o "$out" \
				--dump-layout "$out/$name.jsonl" "$b" 2>/dev/null ||
				echo "$which $st $b: build failed" >>"$tmp/failed-$which"
		done
	done
done
cat "$tmp"/failed-* 2>/dev/null || true
n=0
for f in "$tmp"/old/out-*/*; do
	rel=${f#"$tmp"/old/}
	n=$((n + 1))
	if ! cmp -s "$f" "$tmp/new/$rel"; then
		echo "differs: $rel"
		status=1
	fi
done
for f in "$tmp"/new/out-*/*; do
	rel=${f#"$tmp"/new/}
	[ -e "$tmp/old/$rel" ] || { echo "new only: $rel"; status=1; }
done
[ $status = 0 ] && echo "same: $n files against $rev"
exit $status
