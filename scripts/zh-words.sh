#!/usr/bin/env bash
# Regenerates internal/layout/data/zh-words.txt.gz, the word list that
# lets headings break between words: the 50,000 most frequent words of
# two to four Han characters in jieba's dictionary (MIT licence; see
# internal/layout/data/LICENSE-jieba), most frequent first, one a line.
# It reads the dictionary from Debian's python3-jieba package.
set -euo pipefail
cd "$(dirname "$0")/.."
DICT=/usr/lib/python3/dist-packages/jieba/dict.txt
if [ ! -f "$DICT" ]; then
	echo "zh-words: $DICT is missing (Debian package: python3-jieba)" >&2
	exit 1
fi
python3 - "$DICT" <<'PY' | gzip -9 -n > internal/layout/data/zh-words.txt.gz
import sys
words = []
for line in open(sys.argv[1], encoding="utf-8"):
    w, f = line.split()[:2]
    if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w):
        words.append((-int(f), w))
words.sort()
sys.stdout.write("".join(w + "\n" for _, w in words[:50000]))
PY
