package markdown

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paiban/paiban/internal/doc"
	"github.com/paiban/paiban/internal/remote"
)

// gifBytes is a GIF of two frames of w×h pixels.
func gifBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	pal := color.Palette{color.White, color.Black}
	a := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	b := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	b.SetColorIndex(0, 0, 1)
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{a, b}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRemoteImages builds a book whose figures are named by URL against a
// local server: PNG, WebP and GIF arrive (the WebP and GIF as PNG); a
// 404, an answer slower than the time-out and a body over the size limit
// become placeholders with warnings, and so does everything when offline
// with an empty cache. The second build takes them from the cache.
func TestRemoteImages(t *testing.T) {
	webp, err := os.ReadFile(filepath.Join("testdata", "images", "blue-purple-pink.lossy.webp"))
	if err != nil {
		t.Fatal(err)
	}
	const limit = 64 << 10
	bodies := map[string][]byte{
		"/a.png":   pngBytes(t, 30, 20),
		"/b.webp":  webp,
		"/c.gif":   gifBytes(t, 12, 8),
		"/big.png": bytes.Repeat([]byte("x"), limit+1),
	}
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/slow.png":
			<-r.Context().Done() // no answer until the fetcher gives up
			return
		case "/big.png":
			// No Content-Length: the limit must hold while reading.
			w.(http.Flusher).Flush()
		}
		b, ok := bodies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()

	src := fm
	for _, p := range []string{"a.png", "b.webp", "c.gif", "a.png", "missing.png", "slow.png", "big.png"} {
		src += "![" + p + "](" + srv.URL + "/" + p + ")\n\n"
	}
	dir := writeFiles(t, map[string]string{"book.md": src})
	book := filepath.Join(dir, "book.md")
	cache := t.TempDir()
	read := func(offline bool, cache string) *doc.Document {
		t.Helper()
		// The time-out is long enough for a local answer on a busy
		// machine: only slow.png, which never answers, reaches it.
		d, err := Read(book, Options{Remote: &remote.Fetcher{CacheDir: cache, Offline: offline, Timeout: 2 * time.Second, MaxBytes: limit, AllowLocal: true}})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	images := func(d *doc.Document) []string {
		var out []string
		for _, b := range d.Blocks {
			img := b.(*doc.Figure).Image
			if img.Missing != "" {
				out = append(out, "placeholder")
			} else {
				out = append(out, img.Format+" "+img.Name)
			}
		}
		return out
	}
	want := []string{"png images/a.png", "png images/b.png", "png images/c.png", "png images/a.png", "placeholder", "placeholder", "placeholder"}
	d := read(false, cache)
	if got := images(d); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("first build: %q, want %q", got, want)
	}
	if img := d.Blocks[2].(*doc.Figure).Image; img.Width != 12 || img.Height != 8 {
		t.Errorf("GIF converted to %d×%d", img.Width, img.Height)
	}
	var warnings []string
	for _, w := range d.Warnings {
		warnings = append(warnings, w.Msg)
	}
	for i, frag := range []string{"/missing.png\" could not be fetched: the server answered 404 Not Found", "/slow.png\" could not be fetched: no answer within 2s", "/big.png\" could not be fetched: more than the 64 KB paiban fetches"} {
		if i >= len(warnings) || !strings.Contains(warnings[i], frag) {
			t.Errorf("warning %d: %q, want one with %q", i, warnings, frag)
		}
	}
	if len(warnings) != 3 {
		t.Errorf("warnings %q, want 3", warnings)
	}

	// Again: what was fetched comes from the cache.
	if got := images(read(false, cache)); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("second build: %q, want %q", got, want)
	}
	mu.Lock()
	for _, p := range []string{"/a.png", "/b.webp", "/c.gif"} {
		if hits[p] != 1 {
			t.Errorf("%s fetched %d times, want once", p, hits[p])
		}
	}
	mu.Unlock()

	// Offline: the cache still answers; an empty cache gives placeholders.
	if got := images(read(true, cache)); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("offline with the cache: %q, want %q", got, want)
	}
	d = read(true, t.TempDir())
	for i, got := range images(d) {
		if got != "placeholder" {
			t.Errorf("offline, empty cache: figure %d is %s", i+1, got)
		}
	}
	if len(d.Warnings) != 7 || !strings.Contains(d.Warnings[0].Msg, "offline") {
		t.Errorf("offline warnings %v", d.Warnings)
	}
}

// TestImageFormats reads figures in WebP, BMP, TIFF and GIF files of the
// book's folder: each becomes a PNG of its size.
func TestImageFormats(t *testing.T) {
	dir := t.TempDir()
	src := fm
	for _, name := range []string{"blue-purple-pink.lossy.webp", "bmp_1bpp.bmp", "bw-deflate.tiff"} {
		b, err := os.ReadFile(filepath.Join("testdata", "images", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
		src += "![" + name + "](" + name + ")\n\n"
	}
	os.WriteFile(filepath.Join(dir, "anim.gif"), gifBytes(t, 5, 4), 0o644)
	src += "![gif](anim.gif)\n"
	d, err := Parse(filepath.Join(dir, "book.md"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Blocks {
		img := b.(*doc.Figure).Image
		m, format, err := image.Decode(bytes.NewReader(img.Data))
		if err != nil || format != "png" || img.Format != "png" || m.Bounds().Dx() != img.Width || m.Bounds().Dy() != img.Height || img.Width == 0 {
			t.Errorf("%s: %s %d×%d, data %s %v (%v)", img.Path, img.Format, img.Width, img.Height, format, m.Bounds(), err)
		}
	}
}

// TestBadgesKeepTheirSpace: images on lines of their own in one
// paragraph, as READMEs put their badges, keep a space between them, so
// that alt texts set in their place do not run together.
func TestBadgesKeepTheirSpace(t *testing.T) {
	src := fm + "[![License: MIT](https://x.test/a.svg)](https://x.test/l)\n![Stars](https://x.test/b.svg)\n![构建](https://x.test/c.svg)\n"
	d, err := Parse(filepath.Join(t.TempDir(), "b.md"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := markup(d.Blocks[0].(*doc.Paragraph).Content)
	want := "<a https://x.test/l><img https://x.test/a.svg License: MIT></a> <img https://x.test/b.svg Stars><img https://x.test/c.svg 构建>"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
