package layout

// The emphasis dots (着重号) under Han characters: their diameter and
// their distance below the em box, in ems of the text (GB/T 15834 §4.15:
// a dot under each character, horizontal text).
const (
	dotSize = 0.14
	dotGap  = 0.06
)
