package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// output is a file to write and what goes in it.
type output struct {
	path string
	data []byte
}

// writeAtomic replaces path with what write writes, only when write
// succeeds, so a failed build leaves the old file intact.
func writeAtomic(path string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return replaceFiles(output{path, buf.Bytes()})
}

// replaceFiles replaces all the files or none: each is written in full
// to a temporary file beside it, and only when every one is written are
// they renamed into place. A disk that fills up leaves the old editions
// as a pair, not a new PDF beside an old EPUB.
func replaceFiles(outs ...output) error {
	tmps := make([]string, 0, len(outs))
	clean := func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	for _, o := range outs {
		removeStale(o.path)
		tmp, err := writeTemp(o.path, o.data)
		if err != nil {
			clean()
			return fmt.Errorf("%s: %w (nothing was replaced)", o.path, err)
		}
		tmps = append(tmps, tmp)
	}
	for i, o := range outs {
		if err := os.Rename(tmps[i], o.path); err != nil {
			clean()
			return fmt.Errorf("%s: %w", o.path, unwrapPath(err))
		}
	}
	return nil
}

// The temporary file for OUT is .OUT.NNNN.paiban-tmp, its name cut so
// that it is no longer than OUT's would be if OUT is long: a name of 240
// bytes must not fail as a temporary file's "file name too long".
const (
	tempSuffix = ".paiban-tmp"
	tempRoom   = 1 + 1 + 10 + len(tempSuffix) // the dots and CreateTemp's number
	maxName    = 255                          // bytes in a file name, on every common file system
)

// tempBase is the part of path's name its temporary files carry.
func tempBase(path string) string {
	base := filepath.Base(path)
	if len(base) > maxName-tempRoom {
		cut := maxName - tempRoom
		for cut > 0 && !utf8.RuneStart(base[cut]) {
			cut--
		}
		base = base[:cut]
	}
	return base
}

func writeTemp(path string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+tempBase(path)+".*"+tempSuffix)
	if err != nil {
		return "", unwrapPath(err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", unwrapPath(err)
	}
	return tmp.Name(), nil
}

// staleAfter is how old a temporary file must be before another build
// takes it for one left by a build that was killed (SIGKILL runs no
// deferred code). A build writes and renames its files within seconds,
// so a younger one may belong to a build running beside this one.
const staleAfter = 10 * time.Minute

// removeStale removes temporary files of path left by killed builds, and
// nothing else: not another build's file still being written, nor the
// user's .NAME.pdf.bak or an editor's swap file.
func removeStale(path string) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+globEscape(tempBase(path))+".*"+tempSuffix))
	for _, f := range stale {
		if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(f)
		}
	}
}

// unwrapPath drops the path of a temporary file from an error: the
// message names the output instead.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// globEscape quotes the characters filepath.Match treats specially.
func globEscape(s string) string {
	return globSpecial.Replace(s)
}

var globSpecial = strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
