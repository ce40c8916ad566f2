package build

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/paiban/paiban/internal/validators"
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
	var all []markPair
	for _, epub := range []string{buildAll(t)["xinzhi-shengchanli"].epub, showcaseEPUB(t)} {
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

// markScript frames, in red, the first few of each of the marks ，。、
// in the page, leaving a pixel between the frame and the mark's box.
const markScript = `document.fonts.ready.then(function () {
  var seen = {};
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  var range = document.createRange();
  for (var n = walker.nextNode(); n; n = walker.nextNode()) {
    for (var i = 0; i < n.data.length; i++) {
      var c = n.data[i];
      if ("，。、".indexOf(c) < 0 || (seen[c] = (seen[c] || 0) + 1) > 3) continue;
      range.setStart(n, i); range.setEnd(n, i + 1);
      var r = range.getBoundingClientRect();
      var box = document.createElement("div");
      box.style.cssText = "position: fixed; border: 1px solid rgb(255, 0, 0); pointer-events: none; writing-mode: horizontal-tb";
      box.style.left = (r.left - 2) + "px"; box.style.top = (r.top - 2) + "px";
      box.style.width = (r.width + 2) + "px"; box.style.height = (r.height + 2) + "px";
      document.body.appendChild(box);
    }
  }
});
`

// markInk renders the first text file of an EPUB at 390 × 844 CSS pixels
// (in a frame, since Chromium's screenshots of a vertical page show the
// middle of its scroll width) and returns, for each mark markScript
// frames, where the ink's centre lies in its box: 0,0 at the box's top
// left, 1,1 at its bottom right. The screenshot is kept as name.png in
// PAIBAN_SCREENSHOTS when set.
func markInk(t *testing.T, epubPath, name string) [][2]float64 {
	t.Helper()
	dir, entries := unpackEPUB(t, epubPath)
	page := filepath.Join(dir, "EPUB", "xhtml", "chapter01.xhtml")
	body := strings.Replace(entries["EPUB/xhtml/chapter01.xhtml"], "</body>", `<script src="marks.js"></script></body>`, 1)
	frame := filepath.Join(dir, "frame.html")
	for path, data := range map[string]string{page: body, filepath.Join(dir, "EPUB", "xhtml", "marks.js"): markScript,
		frame: `<!DOCTYPE html><html><body style="margin: 0"><iframe src="EPUB/xhtml/chapter01.xhtml" style="display: block; width: 390px; height: 844px; border: 0"></iframe></body></html>`} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shot := filepath.Join(dir, "shot.png")
	if msg, err := chromium(t, "--hide-scrollbars", "--window-size=390,844", "--screenshot="+shot, "file://"+frame).CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, msg)
	}
	if keep := os.Getenv("PAIBAN_SCREENSHOTS"); keep != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(filepath.Join(keep, name+".png"), data, 0o644)
	}
	img := readPNG(t, shot)
	var centres [][2]float64
	for _, box := range redFrames(img) {
		inner := box.Inset(2)
		var sx, sy, n float64
		for y := inner.Min.Y; y < inner.Max.Y; y++ {
			for x := inner.Min.X; x < inner.Max.X; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				if r < 0x8000 && g < 0x8000 && b < 0x8000 {
					sx, sy, n = sx+float64(x), sy+float64(y), n+1
				}
			}
		}
		if n == 0 {
			t.Errorf("no ink in the mark framed at %v", box)
			continue
		}
		centres = append(centres, [2]float64{(sx/n - float64(inner.Min.X)) / float64(inner.Dx()), (sy/n - float64(inner.Min.Y)) / float64(inner.Dy())})
	}
	return centres
}

// redFrames returns the bounds of the red frames in img.
func redFrames(img image.Image) []image.Rectangle {
	b := img.Bounds()
	red := func(p image.Point) bool {
		r, g, bl, _ := img.At(p.X, p.Y).RGBA()
		return r > 0xC000 && g < 0x4000 && bl < 0x4000
	}
	seen := map[image.Point]bool{}
	var frames []image.Rectangle
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			p := image.Pt(x, y)
			if seen[p] || !red(p) {
				continue
			}
			// Flood the frame's pixels from its first one.
			box := image.Rectangle{p, p.Add(image.Pt(1, 1))}
			stack := []image.Point{p}
			seen[p] = true
			for len(stack) > 0 {
				q := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				box = box.Union(image.Rectangle{q, q.Add(image.Pt(1, 1))})
				for _, d := range []image.Point{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					if r := q.Add(d); r.In(b) && !seen[r] && red(r) {
						seen[r] = true
						stack = append(stack, r)
					}
				}
			}
			if box.Dx() > 6 && box.Dy() > 6 {
				frames = append(frames, box)
			}
		}
	}
	return frames
}

// TestEPUBVertical builds a book with --epub-writing vertical and checks,
// on a Chromium screenshot at a phone's size, that the commas and full
// stops take their vertical forms, in the top right of their cell, where
// the same book set horizontally has them in the bottom left.
func TestEPUBVertical(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	src := filepath.Join(t.TempDir(), "chapters.md")
	if err := os.WriteFile(src, []byte(chaptersBook), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, writing := range []string{WritingHorizontal, WritingVertical} {
		t.Run(writing, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			opt := testOptions(out, &stdout, &stderr)
			opt.Formats, opt.EPUBWriting = []string{"epub"}, writing
			if err := Run(src, opt); err != nil {
				t.Fatal(err)
			}
			epubPath := filepath.Join(out, "chapters.epub")
			if writing == WritingVertical {
				validators.EPUB(t, epubPath)
				if opf := epubEntries(t, epubPath)["EPUB/package.opf"]; !strings.Contains(opf, `page-progression-direction="rtl"`) {
					t.Error("the spine does not turn pages right to left")
				}
			}
			centres := markInk(t, epubPath, "marks-"+writing)
			if len(centres) < 4 {
				t.Fatalf("only %d marks found on the screenshot", len(centres))
			}
			for _, c := range centres {
				right, top := c[0] > 0.5, c[1] < 0.5
				if writing == WritingVertical && !(right && top) || writing == WritingHorizontal && (right || top) {
					t.Errorf("a mark's ink is centred at %.2f, %.2f of its cell: want the %s", c[0], c[1],
						map[string]string{WritingVertical: "top right", WritingHorizontal: "bottom left"}[writing])
				}
			}
		})
	}
}

func TestEPUBWritingUnknown(t *testing.T) {
	var stdout, stderr bytes.Buffer
	opt := testOptions(t.TempDir(), &stdout, &stderr)
	opt.EPUBWriting = "sideways"
	err := Run(filepath.Join(root, "source", "xinzhi-shengchanli.md"), opt)
	if err == nil || !strings.Contains(err.Error(), `"sideways"`) || !strings.Contains(err.Error(), "vertical") {
		t.Errorf("an unknown writing: %v, want an error naming it and the choices", err)
	}
}

var (
	showcaseOnce sync.Once
	showcasePath string
	showcaseErr  error
)

// showcaseEPUB builds the showcase's EPUB once for the package's screen
// tests and returns its path.
func showcaseEPUB(t *testing.T) string {
	t.Helper()
	showcaseOnce.Do(func() {
		out, err := os.MkdirTemp("", "paiban-showcase-")
		if err != nil {
			showcaseErr = err
			return
		}
		var stdout, stderr bytes.Buffer
		opt := testOptions(out, &stdout, &stderr)
		opt.Formats = []string{"epub"}
		showcaseErr = Run(filepath.Join(root, "source", "showcase"), opt)
		showcasePath = filepath.Join(out, "showcase.epub")
	})
	if showcaseErr != nil {
		t.Fatal(showcaseErr)
	}
	return showcasePath
}

var measured = regexp.MustCompile(`(?s)<pre id="measured">(.*?)</pre>`)

// measureChapters opens every text file of an EPUB (all but the cover) in
// headless
// Chromium with script added at the end of its body, and returns, by
// file name, the JSON the script leaves in a pre element with the id
// "measured". A script that lays a page out at several widths sets the
// width of the html element, as a screen that narrow would.
func measureChapters(t *testing.T, epubPath, script string) map[string]json.RawMessage {
	t.Helper()
	dir, entries := unpackEPUB(t, epubPath)
	if err := os.WriteFile(filepath.Join(dir, "EPUB", "xhtml", "measure.js"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string]json.RawMessage{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, body := range entries {
		if !strings.HasPrefix(name, "EPUB/xhtml/") || !strings.HasSuffix(name, ".xhtml") || name == "EPUB/xhtml/cover.xhtml" {
			continue
		}
		page := filepath.Join(dir, filepath.FromSlash(name))
		body = strings.Replace(body, "</body>", `<script src="measure.js"></script></body>`, 1)
		if err := os.WriteFile(page, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			var out, msg bytes.Buffer
			cmd := chromium(t, "--window-size=600,900", "--dump-dom", "file://"+page)
			cmd.Stdout, cmd.Stderr = &out, &msg
			if err := cmd.Run(); err != nil {
				t.Errorf("chromium: %v\n%s", err, msg.String())
				return
			}
			m := measured.FindSubmatch(out.Bytes())
			if m == nil {
				t.Errorf("%s: the page reported nothing", name)
				return
			}
			mu.Lock()
			got[filepath.Base(name)] = json.RawMessage(html.UnescapeString(string(m[1])))
			mu.Unlock()
		})
	}
	wg.Wait()
	return got
}

// report is the end of a measuring script: it leaves its result in the
// page for measureChapters.
const report = `
function report(result) {
  var out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
}
`

// noteRefScript lays the page out at every even width from 320 to 600
// CSS pixels and records, for each note reference, whether it begins a
// line (it stands left of the character before it), the size of its box,
// and whether the box's padding moves anything: the height of its
// paragraph or its own place.
const noteRefScript = report + `document.fonts.ready.then(function () {
  var refs = Array.prototype.slice.call(document.querySelectorAll('a[role="doc-noteref"]'));
  var range = document.createRange();
  function before(a) {
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    walker.currentNode = a;
    for (var n = walker.previousNode(); n; n = walker.previousNode())
      for (var i = n.data.length - 1; i >= 0; i--)
        if (!/[\s\u2060]/.test(n.data[i])) { range.setStart(n, i); range.setEnd(n, i + 1); return range.getBoundingClientRect(); }
    return null;
  }
  function own(a) { range.selectNodeContents(a); return range.getBoundingClientRect(); }
  var res = {placements: 0, starts: [], minWidth: 1e9, minHeight: 1e9, moved: []};
  for (var w = 320; w <= 600; w += 2) {
    document.documentElement.style.width = w + "px";
    refs.forEach(function (a) {
      var prev = before(a), mark = own(a), box = a.getBoundingClientRect();
      res.placements++;
      if (prev && mark.left < prev.left) res.starts.push(w + "px " + a.textContent);
      res.minWidth = Math.min(res.minWidth, box.width);
      res.minHeight = Math.min(res.minHeight, box.height);
      var p = a.parentElement.closest("p, li, dd, td, th, h1, h2, h3, h4, h5, h6") || a.parentElement;
      var height = p.getBoundingClientRect().height;
      a.style.padding = "0"; a.style.margin = "0";
      var height0 = p.getBoundingClientRect().height, mark0 = own(a);
      a.style.padding = ""; a.style.margin = "";
      if (Math.abs(height - height0) > 0.5 || Math.abs(mark.left - mark0.left) > 0.5 || Math.abs(mark.top - mark0.top) > 0.5)
        res.moved.push(w + "px " + a.textContent);
    });
  }
  report(res);
});
`

// TestEPUBNoteRefs lays out the chapters of the article and the showcase
// in Chromium at every even width from 320 to 600 CSS pixels: no note
// reference may begin a line, away from the character it marks, and each
// must be a tap target of at least 24 × 24 pixels (WCAG 2.2's minimum)
// whose padding moves nothing on the page.
func TestEPUBNoteRefs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	total, starts := 0, 0
	for _, epub := range []string{buildAll(t)["xinzhi-shengchanli"].epub, showcaseEPUB(t)} {
		for name, raw := range measureChapters(t, epub, noteRefScript) {
			var r struct {
				Placements          int
				Starts, Moved       []string
				MinWidth, MinHeight float64
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if r.Placements == 0 {
				continue
			}
			total += r.Placements
			starts += len(r.Starts)
			if len(r.Starts) > 0 {
				t.Errorf("%s %s: %d note references begin a line: %s", filepath.Base(epub), name, len(r.Starts), strings.Join(r.Starts, ", "))
			}
			if len(r.Moved) > 0 {
				t.Errorf("%s %s: a note reference's padding moves the text: %s", filepath.Base(epub), name, strings.Join(r.Moved, ", "))
			}
			if r.MinWidth < 24 || r.MinHeight < 24 {
				t.Errorf("%s %s: a note reference's box is %.1f × %.1f px, want at least 24 × 24", filepath.Base(epub), name, r.MinWidth, r.MinHeight)
			}
		}
	}
	if total < 500 {
		t.Errorf("only %d placements of note references measured", total)
	}
	t.Logf("%d placements of note references, %d beginning a line", total, starts)
}

// listsBook has lists whose markers grow wide: twelve items numbered
// （1）–（12） inside a numbered list, twelve more inside those (① on),
// and bullets.
var listsBook = func() string {
	var b strings.Builder
	b.WriteString("---\ntitle: 列表\n---\n\n# 列表\n\n1. 第一层的一项\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "   %d. 第二层的第%d项，写得长一些，让它在窄屏上折成两行以上，看续行是否与首行的文字对齐。\n", i, i)
	}
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "      %d. 第三层的第%d项\n", i, i)
	}
	b.WriteString("2. 第一层的又一项\n\n- 圆点\n  - 空心圆点\n")
	return b.String()
}()

// markerScript records, for each list marker, whether its text
// overflows its box, leaves less than a quarter em before the item's
// text, or takes more than one line.
const markerScript = report + `document.fonts.ready.then(function () {
  var range = document.createRange(), res = {markers: 0, bad: []};
  document.querySelectorAll(".marker").forEach(function (m) {
    // As readers that do not trim punctuation (Calibre's) set it: their
    // full-width brackets did not fit where Chromium's halved ones did.
    m.style.textSpacingTrim = "space-all";
    var box = m.getBoundingClientRect();
    range.selectNodeContents(m);
    var text = range.getBoundingClientRect(), lines = {};
    Array.prototype.forEach.call(range.getClientRects(), function (r) { lines[Math.round(r.top)] = true; });
    var gap = parseFloat(getComputedStyle(m).fontSize) / 4;
    res.markers++;
    if (text.left < box.left - 0.5 || text.right > box.right - gap + 0.5 || Object.keys(lines).length > 1)
      res.bad.push(m.textContent + " " + text.width.toFixed(1) + " px in " + box.width.toFixed(1));
  });
  report(res);
});
`

// TestEPUBListMarkers lays out lists numbered up to （12） and ⑫ in
// Chromium at 390 px: every marker's text lies within its box, on one
// line, a quarter em or more clear of the item's text.
func TestEPUBListMarkers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	src := filepath.Join(t.TempDir(), "lists.md")
	if err := os.WriteFile(src, []byte(listsBook), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	opt := testOptions(out, &stdout, &stderr)
	opt.Formats = []string{"epub"}
	if err := Run(src, opt); err != nil {
		t.Fatal(err)
	}
	validators.EPUB(t, filepath.Join(out, "lists.epub"), "HTM-022") // a span for each marker
	total, bad := 0, 0
	for _, epub := range []string{filepath.Join(out, "lists.epub"), showcaseEPUB(t)} {
		for name, raw := range measureChapters(t, epub, markerScript) {
			var r struct {
				Markers int
				Bad     []string
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			total += r.Markers
			bad += len(r.Bad)
			if len(r.Bad) > 0 {
				t.Errorf("%s %s: %d markers overflow their box: %s", filepath.Base(epub), name, len(r.Bad), strings.Join(r.Bad, ", "))
			}
		}
	}
	if total < 30 {
		t.Errorf("only %d list markers measured", total)
	}
	t.Logf("%d list markers, %d overflowing", total, bad)
}

// popupScript shows each note as Calibre's pop-up does (the note and its
// ancestors, everything else hidden) and records the blank above the
// note's text, in ems of the body text beyond the body's own margin, and
// any border the note or its ancestors draw: a rule above a lone note.
const popupScript = report + `document.fonts.ready.then(function () {
  var res = {notes: 0, blank: 0, rules: []};
  var em = parseFloat(getComputedStyle(document.body).fontSize);
  var bodyTop = parseFloat(getComputedStyle(document.body).marginTop);
  document.querySelectorAll('aside[role="doc-footnote"]').forEach(function (aside) {
    var keep = new Set();
    for (var e = aside; e; e = e.parentElement) keep.add(e);
    var hidden = [];
    document.body.querySelectorAll("*").forEach(function (e) {
      if (!keep.has(e) && !aside.contains(e)) { hidden.push([e, e.style.display]); e.style.display = "none"; }
    });
    window.scrollTo(0, 0);
    var range = document.createRange();
    range.selectNodeContents(aside.querySelector("p") || aside);
    var text = range.getClientRects()[0];
    res.notes++;
    res.blank = Math.max(res.blank, (text.top - bodyTop) / em);
    keep.forEach(function (e) {
      var s = getComputedStyle(e);
      ["Top", "Right", "Bottom", "Left"].forEach(function (side) {
        if (e !== document.documentElement && e !== document.body && s["border" + side + "Style"] !== "none" && parseFloat(s["border" + side + "Width"]) > 0)
          res.rules.push(aside.id + ": " + e.tagName.toLowerCase() + "." + e.className + " border-" + side.toLowerCase());
      });
    });
    hidden.forEach(function (h) { h[0].style.display = h[1]; });
  });
  report(res);
});
`

// TestEPUBNotePopup shows the article's and the showcase's notes as
// Calibre's pop-up does, in Chromium at 390 px: no rule above a note,
// and no more than an em of blank above its text.
func TestEPUBNotePopup(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	notes := 0
	worst := 0.0
	for _, epub := range []string{buildAll(t)["xinzhi-shengchanli"].epub, showcaseEPUB(t)} {
		for name, raw := range measureChapters(t, epub, popupScript) {
			var r struct {
				Notes int
				Blank float64
				Rules []string
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			notes += r.Notes
			worst = max(worst, r.Blank)
			if len(r.Rules) > 0 {
				t.Errorf("%s %s: rules around a note in its pop-up: %s", filepath.Base(epub), name, strings.Join(r.Rules, ", "))
			}
			if r.Blank > 1 {
				t.Errorf("%s %s: %.2f em blank above a note in its pop-up, want at most 1", filepath.Base(epub), name, r.Blank)
			}
		}
	}
	if notes < 5 {
		t.Errorf("only %d notes shown", notes)
	}
	t.Logf("%d notes, at most %.2f em blank above one", notes, worst)
}

// titleScript lays the page out at every tenth width from 320 to 600 CSS
// pixels and at 390, a phone's, and records each part of a title (a
// .phrase) that is broken across lines though it fits on one, and each
// block quotation not indented alike on both sides.
const titleScript = report + `document.fonts.ready.then(function () {
  var range = document.createRange(), res = {phrases: 0, lines: 0, broken: [], quotes: 0, lopsided: []};
  var widths = [390];
  for (var w = 320; w <= 600; w += 10) widths.push(w);
  widths.forEach(function (w) {
    document.documentElement.style.width = w + "px";
    document.querySelectorAll(".phrase").forEach(function (p) {
      range.selectNodeContents(p);
      var tops = {};
      Array.prototype.forEach.call(range.getClientRects(), function (r) { tops[Math.round(r.top)] = true; });
      var fits = p.scrollWidth <= p.parentElement.clientWidth;
      res.phrases++;
      if (fits && Object.keys(tops).length > 1) res.broken.push(w + "px " + p.textContent);
    });
    document.querySelectorAll("h1").forEach(function (h) {
      if (h.querySelector(".phrase")) res.lines = Math.max(res.lines, Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)));
    });
    document.querySelectorAll("blockquote").forEach(function (q) {
      var b = q.getBoundingClientRect(), c = q.parentElement.getBoundingClientRect();
      var em = parseFloat(getComputedStyle(q).fontSize), left = b.left - c.left, right = c.right - b.right;
      res.quotes++;
      if (left < 1.5 * em || Math.abs(left - right) > 0.5) res.lopsided.push(w + "px " + left.toFixed(1) + " px left, " + right.toFixed(1) + " right");
    });
  });
  report(res);
});
`

// TestEPUBTitleAndQuotes lays out the article's title page, whose title
// has two parts (聚焦推动高质量发展 加快发展新质生产力), and the two-chapter
// book's quotation in Chromium at widths from 320 to 600 px: the title
// breaks only at the space between its parts (at 390 px it takes two
// lines), and quotations are indented alike on both sides.
func TestEPUBTitleAndQuotes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	books := buildTestBooks(t)
	var phrases, quotes, lines int
	for _, b := range []*built{books["xinzhi-shengchanli"], books["chapters"]} {
		for name, raw := range measureChapters(t, b.epub, titleScript) {
			var r struct {
				Phrases, Lines, Quotes int
				Broken, Lopsided       []string
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			phrases += r.Phrases
			quotes += r.Quotes
			lines = max(lines, r.Lines)
			if len(r.Broken) > 0 {
				t.Errorf("%s: parts of the title broken across lines: %s", name, strings.Join(r.Broken, ", "))
			}
			if len(r.Lopsided) > 0 {
				t.Errorf("%s: quotations not indented alike on both sides: %s", name, strings.Join(r.Lopsided, ", "))
			}
		}
	}
	if phrases == 0 || quotes == 0 || lines < 2 {
		t.Errorf("%d parts of titles, %d quotations measured, the title on at most %d lines: want some, and two lines at 320 px", phrases, quotes, lines)
	}
}
