package remote

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLocalAddresses checks which addresses count as the building
// machine's own network.
func TestLocalAddresses(t *testing.T) {
	for _, c := range []struct {
		ip    string
		local bool
	}{
		{"127.0.0.1", true}, {"::1", true}, {"10.1.2.3", true}, {"172.16.0.1", true},
		{"192.168.1.1", true}, {"169.254.169.254", true}, {"fe80::1", true}, {"fd00::1", true},
		{"0.0.0.0", true}, {"224.0.0.1", true},
		{"8.8.8.8", false}, {"1.1.1.1", false}, {"2001:4860:4860::8888", false}, {"172.32.0.1", false},
	} {
		if got := localAddress(net.ParseIP(c.ip)); got != c.local {
			t.Errorf("localAddress(%s) = %v, want %v", c.ip, got, c.local)
		}
	}
}

// TestLocalURLsRefused checks that a URL on loopback, given as an
// address or as a name, is refused before anything is asked of it, and
// fetched when AllowLocal says so.
func TestLocalURLsRefused(t *testing.T) {
	asked := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked++
		w.Write([]byte("image"))
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, u := range []string{srv.URL + "/a.png", "http://localhost" + port + "/a.png", "http://169.254.169.254/latest/meta-data/"} {
		_, _, err := (&Fetcher{}).Get(context.Background(), u)
		if err == nil || !strings.Contains(err.Error(), "loopback, private or link-local") {
			t.Errorf("%s: error %v, want a refusal", u, err)
		}
	}
	if asked != 0 {
		t.Errorf("the local server was asked %d times", asked)
	}
	b, _, err := (&Fetcher{AllowLocal: true}).Get(context.Background(), srv.URL+"/a.png")
	if err != nil || string(b) != "image" {
		t.Errorf("with AllowLocal: %q, %v", b, err)
	}
}

// TestRedirectToLocalRefused checks that a redirect cannot lead a fetch
// onto the local network: the check runs on every hop.
func TestRedirectToLocalRefused(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the redirect's target was asked")
	}))
	defer target.Close()
	first := httptest.NewServer(http.RedirectHandler(target.URL+"/secret", http.StatusFound))
	defer first.Close()
	// The first server is exempt from the check, as a public host would
	// pass it; the redirect to the second is refused.
	f := &Fetcher{exempt: first.Listener.Addr().String()}
	_, _, err := f.Get(context.Background(), first.URL+"/a.png")
	if err == nil || !strings.Contains(err.Error(), "loopback, private or link-local") {
		t.Errorf("error %v, want the redirect refused", err)
	}
}
