#!/usr/bin/env bash
# Whole-process benchmark: builds the article and generated books of
# 50, 300 and 1,000 A4 pages (plus the 300,000- and 1,000,000-character
# books the performance targets name) with paiban, and the same books'
# PDFs with Typst when it can be installed, and prints a Markdown table:
# median wall time of RUNS runs, peak RSS (from /usr/bin/time -v) and
# output sizes.
#
#   scripts/bench.sh            RUNS=5 by default; BENCH_DIR=/tmp/paiban-bench
#   PEERS=0 scripts/bench.sh    paiban only
#
# Typst comes from npm (@myriaddreamin/typst-ts-node-compiler, run by
# scripts/bench-typst.mjs); without node and npm, or offline, the Typst
# columns stay empty. XeLaTeX is not measured: it needs a TeX install.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PEERS=${PEERS:-1}
W=${BENCH_DIR:-${TMPDIR:-/tmp}/paiban-bench}
TYPST_PKG=@myriaddreamin/typst-ts-node-compiler@0.7.0
mkdir -p "$W/books" "$W/out" "$W/typst-out"

if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is missing (Debian package: time)" >&2
	exit 1
fi
go build -o "$W/paiban" ./cmd/paiban
go build -o "$W/genbook" ./cmd/genbook

cp source/xinzhi-shengchanli.md "$W/books/article.md"
"$W/genbook" -pages 50 -chapters 5 -o "$W/books/pages50.md"
"$W/genbook" -pages 300 -chapters 30 -o "$W/books/pages300.md"
"$W/genbook" -pages 1000 -chapters 80 -o "$W/books/pages1000.md"
"$W/genbook" -chars 300000 -chapters 50 -o "$W/books/chars300k.md"
"$W/genbook" -chars 1000000 -chapters 50 -o "$W/books/chars1m.md"
BOOKS=${BOOKS:-article pages50 pages300 pages1000 chars300k chars1m}

typst=""
if [ "$PEERS" = 1 ] && command -v node >/dev/null && command -v npm >/dev/null; then
	if [ ! -d "$W/typst/node_modules/@myriaddreamin/typst-ts-node-compiler" ]; then
		npm install --silent --no-audit --no-fund --prefix "$W/typst" "$TYPST_PKG" >&2 ||
			echo "bench: could not install $TYPST_PKG; measuring paiban only" >&2
	fi
	if [ -d "$W/typst/node_modules/@myriaddreamin/typst-ts-node-compiler" ]; then
		typst="$W/typst/node_modules"
	fi
fi

# measure NAME CMD...: runs CMD $RUNS times; sets wall (median seconds)
# and rss (largest peak RSS in MiB).
measure() {
	local name=$1 i t0 t1
	shift
	local walls=() rsss=()
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s%N)
		if ! /usr/bin/time -v -o "$W/time.txt" "$@" >/dev/null 2>"$W/$name.err"; then
			echo "bench: $name failed:" >&2
			cat "$W/$name.err" >&2
			exit 1
		fi
		t1=$(date +%s%N)
		walls+=("$(((t1 - t0) / 1000000))")
		rsss+=("$(awk '/Maximum resident set size/ {print $NF}' "$W/time.txt")")
	done
	wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1000}')
	rss=$(printf '%s\n' "${rsss[@]}" | sort -n | tail -1 | awk '{printf "%.0f", $1/1024}')
}

size() { stat -c %s "$1" | awk '{printf "%.0f", $1/1024}'; }
pages() { if command -v pdfinfo >/dev/null; then pdfinfo "$1" | awk '/^Pages:/ {print $2}'; else echo "?"; fi; }

echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); $(date -u +%Y-%m-%d); go $(go env GOVERSION); runs: $RUNS"
echo
echo "| book | Han chars (distinct) | pages | paiban PDF+EPUB | peak RSS | ms/page | PDF KiB | EPUB KiB | Typst PDF | Typst RSS | Typst PDF KiB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
declare -A W_PB W_TY PG
for b in $BOOKS; do
	src="$W/books/$b.md"
	chars=$(python3 -c 'import sys; s=open(sys.argv[1],encoding="utf8").read(); h=[c for c in s if "\u4e00"<=c<="\u9fff"]; print(f"{len(h):,} ({len(set(h)):,})")' "$src" 2>/dev/null || echo "?")
	measure "$b" "$W/paiban" build -o "$W/out" "$src"
	W_PB[$b]=$wall
	pb_wall=$wall pb_rss=$rss
	PG[$b]=$(pages "$W/out/$b.pdf")
	perpage=$(awk -v w="$pb_wall" -v p="${PG[$b]}" 'BEGIN {if (p > 0) printf "%.2f", 1000*w/p; else print "?"}')
	ty="–" tyrss="–" tysize="–"
	if [ -n "$typst" ]; then
		measure "$b-typst" env NODE_PATH="$typst" node scripts/bench-typst.mjs "$src" "$W/typst-out/$b.pdf" fonts
		W_TY[$b]=$wall
		ty="$wall s" tyrss="$rss MiB" tysize=$(size "$W/typst-out/$b.pdf")
	fi
	echo "| $b | $chars | ${PG[$b]} | $pb_wall s | $pb_rss MiB | $perpage | $(size "$W/out/$b.pdf") | $(size "$W/out/$b.epub") | $ty | $tyrss | $tysize |"
done

echo
if [ -n "${W_PB[article]:-}" ]; then
	awk -v a="${W_PB[article]}" -v t="${W_TY[article]:-}" 'BEGIN {
		if (t == "") { print "article: paiban " a " s (no Typst to compare with)"; exit }
		printf "article: paiban PDF+EPUB %s s vs Typst PDF %s s / 5 = %.3f s: %s\n", a, t, t/5, (a <= t/5 ? "target met" : "target missed") }'
fi
if [ -n "${W_PB[chars1m]:-}" ]; then
	awk -v w="${W_PB[chars1m]}" 'BEGIN { printf "1,000,000 characters: %s s (target 1.5 s): %s\n", w, (w <= 1.5 ? "met" : "missed") }'
fi
if [ -n "${W_PB[pages1000]:-}" ] && [ -n "${W_PB[pages50]:-}" ]; then
	awk -v w1="${W_PB[pages1000]}" -v p1="${PG[pages1000]}" -v w0="${W_PB[pages50]}" -v p0="${PG[pages50]}" 'BEGIN {
		r = (w1/p1) / (w0/p0); printf "time per page, %d pages vs %d pages: %.2fx (target 1.3x): %s\n", p1, p0, r, (r <= 1.3 ? "met" : "missed") }'
fi
