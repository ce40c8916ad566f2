package fonts

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// Open loads the face a style's font entry names:
//   - a file in dir, "NotoSerifSC-Regular.ttf";
//   - an absolute path, "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";
//   - either followed by "#N" or "#NAME" to choose a face of a .ttc or
//     .otc collection: "NotoSerifCJK-Regular.ttc#2",
//     "NotoSerifCJK-Regular.ttc#Noto Serif CJK SC";
//   - a family, full or PostScript name of a font installed on the system
//     (see SystemDirs): "Noto Serif CJK SC".
func Open(dir, entry string) (*Face, error) {
	file, sel := splitEntry(entry)
	path := File(dir, entry)
	if _, err := os.Stat(path); err == nil {
		return LoadFace(path, sel)
	} else if filepath.IsAbs(file) || looksLikeFile(file) {
		return nil, err // it names the file
	}
	path, sel, err := FindSystemFont(entry)
	if err != nil {
		return nil, fmt.Errorf("neither a file in %s nor %w", dir, err)
	}
	return LoadFace(path, sel)
}

// File is the path of the font file an entry names if it names a file
// (see Open); for a family installed on the system, it is where the
// file would be in dir.
func File(dir, entry string) string {
	file, _ := splitEntry(entry)
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(dir, file)
}

// splitEntry parts an entry into the file and the face chosen after '#'.
func splitEntry(entry string) (file, sel string) {
	if i := strings.LastIndexByte(entry, '#'); i > 0 {
		return entry[:i], entry[i+1:]
	}
	return entry, ""
}

// looksLikeFile reports whether an entry names a file rather than a
// family: it has a font file's extension or a path separator.
func looksLikeFile(s string) bool {
	return hasFontExt(s) || strings.ContainsRune(s, '/') || strings.ContainsRune(s, filepath.Separator)
}

func hasFontExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ttf", ".otf", ".ttc", ".otc":
		return true
	}
	return false
}

// SystemDirs are the folders searched for a font named by family, in
// order: fontconfig's default folders on Unix (fonts.conf(5)), and the
// system and user font folders of macOS and Windows. Tests replace it.
var SystemDirs = systemDirs()

func systemDirs() []string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return []string{"/System/Library/Fonts", "/Library/Fonts", filepath.Join(home, "Library/Fonts")}
	case "windows":
		return []string{filepath.Join(os.Getenv("WINDIR"), "Fonts"), filepath.Join(os.Getenv("LOCALAPPDATA"), "Microsoft/Windows/Fonts")}
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		data = filepath.Join(home, ".local/share")
	}
	return []string{"/usr/share/fonts", "/usr/local/share/fonts", filepath.Join(data, "fonts"), filepath.Join(home, ".fonts")}
}

// systemFont is one face installed on the system.
type systemFont struct {
	path  string
	index int
	names []string // family, typographic family, full and PostScript names
	style string   // subfamily: Regular, Bold…
}

var (
	systemOnce  sync.Once
	systemFaces []systemFont
)

// FindSystemFont returns the file and face of the installed font whose
// family, full or PostScript name is name (in any case). Of a family's
// faces the Regular one is taken, else the first found.
func FindSystemFont(name string) (path, sel string, err error) {
	systemOnce.Do(func() { systemFaces = scanSystemFonts(SystemDirs) })
	var best *systemFont
	for i := range systemFaces {
		f := &systemFaces[i]
		if !slices.ContainsFunc(f.names, func(n string) bool { return strings.EqualFold(n, name) }) {
			continue
		}
		if best == nil || strings.EqualFold(f.style, "Regular") && !strings.EqualFold(best.style, "Regular") {
			best = f
		}
	}
	if best == nil {
		return "", "", fmt.Errorf("the name of a font installed in %s", strings.Join(SystemDirs, ", "))
	}
	return best.path, fmt.Sprint(best.index), nil
}

// scanSystemFonts reads the names of every face in the font files under
// dirs.
func scanSystemFonts(dirs []string) []systemFont {
	var out []systemFont
	var buf sfnt.Buffer
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !hasFontExt(d.Name()) {
				return nil
			}
			out = append(out, faceNames(path, &buf)...)
			return nil
		})
	}
	return out
}

// faceNames lists the faces of one font file, reading little more than
// its name tables; a file that does not parse lists none.
func faceNames(path string, buf *sfnt.Buffer) []systemFont {
	file, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer file.Close()
	c, err := sfnt.ParseCollectionReaderAt(file)
	if err != nil {
		return nil
	}
	var out []systemFont
	for i := range c.NumFonts() {
		sf, err := c.Font(i)
		if err != nil {
			continue
		}
		f := systemFont{path: path, index: i}
		for _, id := range []sfnt.NameID{sfnt.NameIDFamily, sfnt.NameIDTypographicFamily, sfnt.NameIDFull, sfnt.NameIDPostScript} {
			if n, err := sf.Name(buf, id); err == nil && n != "" {
				f.names = append(f.names, n)
			}
		}
		f.style, _ = sf.Name(buf, sfnt.NameIDSubfamily)
		out = append(out, f)
	}
	return out
}
