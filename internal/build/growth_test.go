package build

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// grower makes a book whose hostile part has size n: its files, the
// first being the book.
type grower func(n int) []file

type file struct {
	name string
	data []byte
}

// book is a Markdown book with the given front matter lines and body.
func book(frontMatter, body string) file {
	if !strings.HasPrefix(frontMatter, "title:") {
		frontMatter = "title: 书\n" + frontMatter
	}
	return file{"b.md", []byte("---\n" + frontMatter + "---\n\n" + body)}
}

// smallPNG is a 4 × 3 grey PNG.
func smallPNG() []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// growthCases are inputs that once took time growing with the square or
// the cube of their size. Each is built at n and 4n; n is chosen so that
// the old code took over a second at 4n.
var growthCases = []struct {
	name string
	n    int
	make grower
}{
	{"long heading", 2500, func(n int) []file {
		return []file{book("", "# "+strings.Repeat("汉", n)+"\n\n正文。\n")}
	}},
	{"long title", 2500, func(n int) []file {
		return []file{book("title: "+strings.Repeat("题", n)+"\nsubtitle: "+strings.Repeat("副", n)+"\n", "正文。\n")}
	}},
	{"long caption", 2500, func(n int) []file {
		return []file{book("", "正文。\n\n!["+strings.Repeat("图", n)+"](a.png)\n"), {"a.png", smallPNG()}}
	}},
	{"long author", 2500, func(n int) []file {
		return []file{book("author: "+strings.Repeat("著", n)+"\n", "正文。\n")}
	}},
	{"many authors", 2500, func(n int) []file {
		var b strings.Builder
		b.WriteString("author:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - 作者%d\n", i)
		}
		return []file{book(b.String(), "正文。\n")}
	}},
	// A paragraph of n sentences on one line: set as one paragraph
	// whose lines are fixed as the line search goes.
	{"long line", 1000, func(n int) []file {
		return []file{book("", strings.Repeat("中国式现代化是人口规模巨大的现代化，Latin words 2024。", n)+"\n")}
	}},
	// A URL set over many lines: each line's link annotation held the
	// whole URL.
	{"long URL", 10000, func(n int) []file {
		return []file{book("", "见 https://example.com/"+strings.Repeat("ab/", n)+" 。\n")}
	}},
	// One word with no break in it: the line search looked for a break
	// to its end from each of its letters.
	{"long word", 100000, func(n int) []file {
		return []file{book("", strings.Repeat("a", n)+"\n")}
	}},
	// Headings of one text: each id tried every suffix before its own.
	{"same heading", 5000, func(n int) []file {
		return []file{book("", strings.Repeat("## 小结\n\n正文。\n\n", n))}
	}},
	// Linked images on one line: each link's column was counted from
	// the line's start.
	{"linked images", 5000, func(n int) []file {
		return []file{book("", strings.Repeat("[![图](a.png)](https://example.com/) ", n)+"\n"), {"a.png", smallPNG()}}
	}},
	// HTML spans nested past the limit: each end tag copied all it held
	// into its parent.
	{"nested spans", 3000, func(n int) []file {
		return []file{book("", strings.Repeat("<span>字", n)+"\n")}
	}},
	// Emphasis nested past the limit with text at each level: each
	// level's text was copied into its parent's.
	{"nested emphasis", 2000, func(n int) []file {
		return []file{book("", strings.Repeat("*字 ", n)+"字"+strings.Repeat(" 字*", n)+"\n")}
	}},
	{"many headings", 1000, func(n int) []file {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "## 第%d节\n\n", i)
		}
		return []file{book("", b.String())}
	}},
}

// buildTimed writes files into a new folder and builds the first,
// returning the time taken and the bytes allocated.
func buildTimed(t *testing.T, files []file) (time.Duration, uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	buildIn(t, t.TempDir(), files)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return took, after.TotalAlloc - before.TotalAlloc
}

// buildIn writes files into dir and builds the first into dir/out.
func buildIn(t *testing.T, dir string, files []file) {
	t.Helper()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	if err := Run(filepath.Join(dir, files[0].name), testOptions(filepath.Join(dir, "out"), &stdout, &stderr)); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
}

// TestGrowthIsLinear builds each growth case at n and 4n and fails when
// the larger takes more than ten times as long (linear time takes four
// times; the square sixteen, the cube sixty-four), with two seconds to
// spare for a busy machine, or allocates more than ten times as much
// (with 64 MB to spare for what every build allocates).
func TestGrowthIsLinear(t *testing.T) {
	for _, c := range growthCases {
		t.Run(c.name, func(t *testing.T) {
			small, smallAlloc := buildTimed(t, c.make(c.n))
			large, largeAlloc := buildTimed(t, c.make(4*c.n))
			t.Logf("n=%d: %v, %d MB allocated; 4n: %v, %d MB", c.n, small, smallAlloc>>20, large, largeAlloc>>20)
			if large > 10*small+2*time.Second {
				t.Errorf("n=%d took %v, 4n took %v: more than linear growth", c.n, small, large)
			}
			if largeAlloc > 10*smallAlloc+64<<20 {
				t.Errorf("n=%d allocated %d MB, 4n %d MB: more than linear growth", c.n, smallAlloc>>20, largeAlloc>>20)
			}
		})
	}
}
