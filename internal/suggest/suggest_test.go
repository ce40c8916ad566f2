package suggest

import "testing"

func TestNearest(t *testing.T) {
	cases := []struct {
		s    string
		in   []string
		want string
	}{
		{"auther", []string{"title", "author", "date"}, "author"},
		{"a5book", []string{"a4-handout", "a5-book"}, "a5-book"},
		{"a4_handout", []string{"a4-handout", "a5-book"}, "a4-handout"},
		{"标题", []string{"标题", "作者"}, "标题"},
		{"x", nil, ""},
	}
	for _, c := range cases {
		if got := Nearest(c.s, c.in); got != c.want {
			t.Errorf("Nearest(%q, %q) = %q, want %q", c.s, c.in, got, c.want)
		}
	}
}
