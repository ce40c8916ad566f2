package build

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// pairScript measures, once the fonts have loaded, the rendered width of
// every two adjacent full-width marks on one line, in ems of their font
// size, and appends the widths to the page as JSON.
const pairScript = `document.fonts.ready.then(function () {
  var marks = "，。、；：？！“”‘’（）《》〈〉「」『』【】〔〕";
  var chars = [], pairs = [];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (var n = walker.nextNode(); n; n = walker.nextNode())
    for (var i = 0; i < n.data.length; i++) chars.push({node: n, i: i});
  var range = document.createRange();
  function box(x) { range.setStart(x.node, x.i); range.setEnd(x.node, x.i + 1); return range.getBoundingClientRect(); }
  function ch(x) { return x.node.data[x.i]; }
  for (var k = 0; k + 1 < chars.length; k++) {
    var a = chars[k], b = chars[k + 1];
    if (marks.indexOf(ch(a)) < 0 || marks.indexOf(ch(b)) < 0) continue;
    var ra = box(a), rb = box(b);
    if (Math.abs(ra.top - rb.top) > 2) continue; // not on one line
    var size = parseFloat(getComputedStyle(a.node.parentElement).fontSize);
    pairs.push({pair: ch(a) + ch(b), em: (Math.max(ra.right, rb.right) - Math.min(ra.left, rb.left)) / size});
  }
  var out = document.createElement("pre");
  out.id = "pair-widths";
  out.textContent = JSON.stringify(pairs);
  document.body.appendChild(out);
});
`

type markPair struct {
	Pair string  `json:"pair"`
	Em   float64 `json:"em"`
}

var pairWidths = regexp.MustCompile(`(?s)<pre id="pair-widths">(.*?)</pre>`)

// markPairWidths renders every text file of an EPUB in headless Chromium
// at a phone's width, 390 CSS pixels, and returns the widths of its
// adjacent marks.
func markPairWidths(t *testing.T, epubPath string) []markPair {
	t.Helper()
	dir, entries := unpackEPUB(t, epubPath)
	var pairs []markPair
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, body := range entries {
		if !strings.HasPrefix(name, "EPUB/xhtml/chapter") {
			continue
		}
		page := filepath.Join(dir, filepath.FromSlash(name))
		body = strings.Replace(body, "</body>", `<script src="pairs.js"></script></body>`, 1)
		if err := os.WriteFile(page, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(filepath.Dir(page), "pairs.js"), []byte(pairScript), 0o644); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			var out, msg bytes.Buffer
			cmd := chromium(t, "--window-size=390,844", "--dump-dom", "file://"+page)
			cmd.Stdout, cmd.Stderr = &out, &msg
			if err := cmd.Run(); err != nil {
				t.Errorf("chromium: %v\n%s", err, msg.String())
				return
			}
			m := pairWidths.FindSubmatch(out.Bytes())
			var got []markPair
			if m == nil {
				t.Errorf("%s: the page reported no widths", name)
			} else if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			mu.Lock()
			pairs = append(pairs, got...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return pairs
}

// TestEPUBMarkPairs measures adjacent full-width marks (。” ：“ ”，) as
// Chromium sets them in the article and the showcase: the font subsets
// keep the faces' halt and chws features, which text-spacing-trim
// applies, so that a pair takes about 1.5 em as in print, not 2.
func TestEPUBMarkPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	article := buildAll(t)["xinzhi-shengchanli"].epub
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	opt := testOptions(out, &stdout, &stderr)
	opt.Formats = []string{"epub"}
	if err := Run(filepath.Join(root, "source", "showcase"), opt); err != nil {
		t.Fatal(err)
	}
	var all []markPair
	for _, epub := range []string{article, filepath.Join(out, "showcase.epub")} {
		all = append(all, markPairWidths(t, epub)...)
	}
	if len(all) < 15 {
		t.Fatalf("only %d pairs of adjacent marks measured: %v", len(all), all)
	}
	sum := 0.0
	for _, p := range all {
		sum += p.Em
		if p.Em > 1.6 {
			t.Errorf("%s is %.2f em wide, want at most 1.6", p.Pair, p.Em)
		}
	}
	if mean := sum / float64(len(all)); mean > 1.6 {
		t.Errorf("adjacent marks are %.2f em wide on average, want at most 1.6 (print sets them in 1.5)", mean)
	} else {
		t.Logf("%d pairs of adjacent marks, %.2f em wide on average", len(all), mean)
	}
}
