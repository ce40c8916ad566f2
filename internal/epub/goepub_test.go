package epub

import (
	"bytes"
	"encoding/xml"
	"io"
	"runtime/debug"
	"strings"
	"testing"
)

// goepubVersion is the version of go-epub this binary was built with.
func goepubVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/go-shiori/go-epub" {
				if d.Replace != nil {
					d = d.Replace
				}
				return d.Version
			}
		}
	}
	return "(version unknown)"
}

// TestGoEPUB pins what the adapter (goepub.go) relies on in go-epub's
// output, so that an upgrade that changes it fails here with a message
// saying what changed, rather than somewhere in a build: the entries'
// names, the manifest, the spine, each font and image written as given, each body
// placeholder once inside one html element, and the content documents
// well-formed, with their language, once finished.
func TestGoEPUB(t *testing.T) {
	v := goepubVersion()
	d := sampleBook()
	b := &book{doc: d, opt: options(t), lang: "zh-CN", id: identifier(d.Meta)}
	if err := b.prepare(); err != nil {
		t.Fatal(err)
	}
	zipped, err := b.assemble()
	if err != nil {
		t.Fatalf("go-epub %s: %v", v, err)
	}
	c, err := readContainer(zipped)
	if err != nil {
		t.Fatalf("go-epub %s no longer writes the container the adapter reads: %v", v, err)
	}
	for _, name := range []string{packagePath, navPath, ncxPath} {
		if c.files[name] == nil {
			t.Errorf("go-epub %s no longer writes %s", v, name)
		}
	}
	if err := c.check(b.expectedFiles()); err != nil {
		t.Fatalf("go-epub %s: the files or the manifest changed: %v", v, err)
	}
	// The spine is the sections in the order they were added.
	idOf := map[string]string{}
	for _, it := range c.items {
		idOf[it.Href] = it.ID
	}
	var want, got []string
	for _, s := range b.spine() {
		want = append(want, idOf["xhtml/"+s])
	}
	for _, v := range b.views {
		want = append(want, idOf["xhtml/"+v.name])
	}
	for _, it := range c.spine.Items {
		got = append(got, it.IDRef)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || c.spine.Direction != "" {
		t.Errorf("go-epub %s writes the spine %q (direction %q), want the sections in the order added: %q", v, got, c.spine.Direction, want)
	}
	// Text documents are the placeholder once, in go-epub's page around it.
	for name := range b.bodies() {
		if n := bytes.Count(c.files[name], []byte("<html ")); n != 1 {
			t.Errorf("go-epub %s writes %d html start tags <html … in %s, want 1 (finishDocument adds lang there)", v, n, name)
		}
	}
	if err := c.fill(b.binaries(), b.bodies()); err != nil {
		t.Fatalf("go-epub %s no longer writes the files as given: %v", v, err)
	}
	for name, data := range c.files {
		if !strings.HasPrefix(name, xhtmlDir) {
			continue
		}
		done, err := b.finishDocument(data, true)
		if err != nil {
			t.Fatalf("go-epub %s: %s: %v", v, name, err)
		}
		if !bytes.Contains(done, []byte(`<html lang="zh-CN" xml:lang="zh-CN"`)) {
			t.Errorf("go-epub %s: %s has no language once finished", v, name)
		}
		dec := xml.NewDecoder(bytes.NewReader(done))
		dec.Strict = true
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("go-epub %s: %s is not well-formed once finished: %v", v, name, err)
				break
			}
		}
	}
}
