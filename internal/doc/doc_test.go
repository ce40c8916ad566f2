package doc

import "testing"

func TestListMarker(t *testing.T) {
	cases := []struct {
		ordered         bool
		start, i, depth int
		want            string
	}{
		{true, 1, 0, 0, "1."},
		{true, 1, 1, 1, "（2）"},
		{true, 1, 2, 2, "③"},
		{true, 20, 0, 2, "⑳"},
		{true, 21, 0, 2, "21."},
		{true, 5, 0, 3, "5."},
		{false, 1, 0, 0, "•"},
		{false, 1, 3, 1, "◦"},
		{false, 1, 0, 2, "•"},
	}
	for _, c := range cases {
		l := &List{Ordered: c.ordered, Start: c.start}
		if got := l.Marker(c.i, c.depth); got != c.want {
			t.Errorf("ordered=%v start=%d item %d depth %d: %q, want %q", c.ordered, c.start, c.i, c.depth, got, c.want)
		}
	}
}
