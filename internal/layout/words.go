package layout

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"math"
	"strings"
	"sync"
)

// Word boundaries in Chinese text, for breaking headings between words
// rather than inside one (成/果, 科/教) when the punctuation gives no
// good place. Chinese has no spaces, so the words come from a dictionary:
// the 50,000 most frequent words of two to four characters in jieba's
// (MIT licence, data/LICENSE-jieba; scripts/zh-words.sh makes the list),
// most frequent first. A text is cut where the most probable sequence of
// words ends one, jieba's method without its model for unknown words,
// with a word's probability taken from its rank (Zipf's law).
//
// github.com/go-ego/gse segments as well, but its module is 44 MB with
// dictionaries of 15 MB for Chinese that take seconds to load (52 s on a
// busy two-core machine), for a build that takes about one; this list is
// 240 KB compressed and is read in some 20 ms of CPU time, once, when a
// heading first needs it (docs/typesetting.md §5.3).

//go:embed data/zh-words.txt.gz
var zhWordsGz []byte

// maxWord is the longest word in the list, in characters.
const maxWord = 4

var zhWords struct {
	once sync.Once
	rank map[string]int32
}

// wordRank returns a word's rank in the list (0 most frequent), or -1.
func wordRank(w string) int32 {
	zhWords.once.Do(loadWords)
	if r, ok := zhWords.rank[w]; ok {
		return r
	}
	return -1
}

func loadWords() {
	zhWords.rank = map[string]int32{}
	zr, err := gzip.NewReader(bytes.NewReader(zhWordsGz))
	if err != nil {
		return // no list: every junction is a word boundary
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		zhWords.rank[sc.Text()] = int32(len(zhWords.rank))
	}
}

// wordCost is the cost of a word of the list at rank r in a segmentation
// (minus its log probability, up to a constant); a single character not
// in it costs as much as a word beyond the list's end.
func wordCost(r int32) float64 {
	if r < 0 {
		return math.Log(float64(len(zhWords.rank))) + 3
	}
	return math.Log(float64(r) + 10)
}

// wordStarts segments runes, a run of Han characters, and reports for
// each index whether a word starts there.
func wordStarts(runes []rune) []bool {
	n := len(runes)
	cost := make([]float64, n+1)
	next := make([]int, n+1)
	var w strings.Builder
	for i := n - 1; i >= 0; i-- {
		cost[i] = math.Inf(1)
		w.Reset()
		for l := 1; l <= maxWord && i+l <= n; l++ {
			w.WriteRune(runes[i+l-1])
			r := wordRank(w.String())
			if l > 1 && r < 0 {
				continue
			}
			if c := wordCost(r) + cost[i+l]; c < cost[i] {
				cost[i], next[i] = c, i+l
			}
		}
	}
	starts := make([]bool, n)
	for i := 0; i < n; i = next[i] {
		starts[i] = true
	}
	return starts
}
