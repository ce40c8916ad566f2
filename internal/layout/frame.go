package layout

import (
	"errors"
	"fmt"
	"math"

	"github.com/paiban/paiban/internal/fonts"
	"github.com/paiban/paiban/internal/style"
)

// frame is what a style fixes for the whole book: the faces each kind of
// text is set in, the page and its type area, the body and note sizes and
// the line pitch. It is made once and never changes; the parts of the
// layout (paragraph setting, pagination, the contents) read it.
type frame struct {
	st *style.Style
	// The faces of body text, strong emphasis, headings, quotations and
	// code; emLatin sets emphasised Latin, fallback is tried in order for
	// a character a face lacks.
	body, strong, headingF, kai, mono faceSet
	emLatin                           *fonts.Face
	fallback                          []*fonts.Face
	profile                           Profile

	em, pitch    float64 // body size and line pitch, pt
	pageW, pageH float64
	// measure is the type area's width, top its upper edge and bodyH its
	// height, a whole number of line pitches.
	measure, top, bodyH          float64
	noteSize, notePitch, noteGap float64
}

// newFrame reads the frame of a book from the options' style and faces.
func newFrame(opt Options) (*frame, error) {
	st := opt.Style
	if st == nil {
		return nil, errors.New("layout: no style")
	}
	fr := &frame{
		st:        st,
		em:        st.BodySize,
		pitch:     st.BodySize * st.LinePitch,
		pageW:     st.PageWidthMM * style.PointsPerMM,
		pageH:     st.PageHeightMM * style.PointsPerMM,
		noteSize:  st.NoteSize,
		notePitch: st.NoteSize * st.NotePitch,
	}
	if err := fr.loadFaces(opt.Faces); err != nil {
		return nil, err
	}
	if st.LineBreaking == "strict" {
		fr.profile = ProfileStrict
	}
	// The measure is a whole number of body ems (clreq §2.3.5 item 3),
	// centred between the side margins.
	avail := fr.pageW - (st.MarginLeftMM+st.MarginRightMM)*style.PointsPerMM
	fr.measure = math.Floor(avail/fr.em+eps) * fr.em
	fr.top = st.MarginTopMM * style.PointsPerMM
	// The body area holds a whole number of lines.
	bodyAvail := fr.pageH - fr.top - st.MarginBotMM*style.PointsPerMM
	fr.bodyH = math.Floor(bodyAvail/fr.pitch+eps) * fr.pitch
	fr.noteGap = fr.pitch
	return fr, nil
}

// loadFaces picks the style's faces from the loaded ones, with the
// stand-ins the style allows for those it does not name.
func (fr *frame) loadFaces(loaded map[string]*fonts.Face) error {
	st := fr.st
	var errs []error
	must := func(name string) *fonts.Face {
		if name == "" {
			return nil
		}
		f := loaded[name]
		if f == nil {
			errs = append(errs, fmt.Errorf("layout: font %s of style %s is not loaded", name, st.Name))
		}
		return f
	}
	serif, sans, latin := must(st.Fonts.Face(style.Serif)), must(st.Fonts.Face(style.Sans)), must(st.Fonts.Face(style.Latin))
	kai, mono := must(st.Fonts.Face(style.Kai)), must(st.Fonts.Face(style.Mono))
	latinItalic, latinBold := must(st.Fonts.Face(style.LatinItalic)), must(st.Fonts.Face(style.LatinBold))
	fallback := []*fonts.Face{serif, sans, latin}
	for _, name := range st.Fonts.Fallback {
		// A fallback face that is not there (not fetched) is left out;
		// the build says so beside any character left without a face.
		if f := loaded[name]; f != nil {
			fallback = append(fallback, f)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if latinItalic == nil {
		latinItalic = latin
	}
	if latinBold == nil {
		latinBold = sans
	}
	if kai == nil {
		kai = serif
	}
	if mono == nil {
		mono = serif
	}
	fr.body = faceSet{cjk: serif, latin: latin}
	fr.strong = faceSet{cjk: sans, latin: latinBold}
	fr.headingF = faceSet{cjk: sans, latin: sans}
	fr.kai = faceSet{cjk: kai, latin: latin}
	fr.mono = faceSet{cjk: mono, latin: mono}
	fr.emLatin, fr.fallback = latinItalic, fallback
	return nil
}

// leftFor is the left edge of the measure on page idx (0-based): with
// duplex printing the margins mirror, the inner one on the binding side.
func (fr *frame) leftFor(idx int) float64 {
	st := fr.st
	avail := fr.pageW - (st.MarginLeftMM+st.MarginRightMM)*style.PointsPerMM
	margin := st.MarginLeftMM
	if st.Duplex && idx%2 == 1 {
		margin = st.MarginRightMM
	}
	return margin*style.PointsPerMM + (avail-fr.measure)/2
}

// baseline is the baseline of a body line inside its grid slot: the em box
// centred in the line pitch.
func (fr *frame) baseline(size float64) float64 {
	return (fr.pitch-size)/2 + emAscent*size
}

// captionSize is the size of figure and table captions: between the body
// and the note sizes (五号 under a 小四 body).
func (fr *frame) captionSize() float64 { return (fr.em + fr.noteSize) / 2 }

// noteNumberWidth is the hanging indent of a footnote: its number and a
// half-em gap (docs/typesetting.md §5.5).
func (fr *frame) noteNumberWidth() float64 { return 1.5 * fr.noteSize }

// figureSize scales an image of w×h pixels to fit width points and
// maxFigureShare of the body height, never past its natural size.
func (fr *frame) figureSize(w, h int, width float64) (float64, float64) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	nw, nh := float64(w)*72/figureDPI, float64(h)*72/figureDPI
	s := min(1, width/nw, maxFigureShare*fr.bodyH/nh)
	return nw * s, nh * s
}

// styleOf is the plain style of text in faces f at size.
func styleOf(f faceSet, size float64) runStyle {
	return runStyle{faces: f, size: size}
}
