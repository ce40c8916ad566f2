// Package remote fetches the images a book names by http(s) URL, once:
// each is kept in a cache folder, keyed by its URL, so that later builds
// (and builds without a network) find it there.
package remote

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Defaults for a Fetcher.
const (
	DefaultTimeout  = 20 * time.Second
	DefaultMaxBytes = 20 << 20
)

// ErrOffline is returned for a URL not in the cache when the fetcher may
// not use the network.
var ErrOffline = errors.New("offline, and not in the cache")

// Fetcher gets files by URL through its cache.
type Fetcher struct {
	// CacheDir holds the files fetched; "" keeps nothing.
	CacheDir string
	// Offline forbids the network: only the cache answers.
	Offline bool
	// Timeout bounds each fetch, connection to last byte; MaxBytes the
	// size of a file. Zero means the default.
	Timeout  time.Duration
	MaxBytes int64
	// Client makes the requests; nil means http.DefaultClient's transport.
	Client *http.Client
	// AllowLocal lets URLs reach loopback, private and link-local
	// addresses, which are refused by default: a book from someone else
	// must not make the machine that builds it fetch from its own
	// network (an intranet page, a cloud's metadata service) into the
	// editions. Tests serving images on loopback set it.
	AllowLocal bool
	// exempt is a host:port let through the check, so that a test can
	// stand a local server in for a public one.
	exempt string
}

// errLocal is the reason a URL on the builder's own network is refused.
var errLocal = errors.New("its host is on a loopback, private or link-local network, which paiban does not fetch from")

// checkHost refuses u when its host is, or resolves to, an address on the
// building machine's own network. The check is made on every redirect too.
func (f *Fetcher) checkHost(ctx context.Context, u *url.URL) error {
	if f.AllowLocal || u.Host == f.exempt && f.exempt != "" {
		return nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		if localAddress(ip) {
			return errLocal
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if localAddress(a.IP) {
			return errLocal
		}
	}
	return nil
}

// localAddress says whether ip is not on the public internet.
func localAddress(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast()
}

// CacheDir is where paiban keeps what it fetched: $XDG_CACHE_HOME/paiban,
// or the system's user cache folder (~/.cache/paiban on Linux).
func CacheDir() string {
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		var err error
		if base, err = os.UserCacheDir(); err != nil {
			return ""
		}
	}
	return filepath.Join(base, "paiban")
}

// Get returns the body of the http or https URL u, from the cache when it
// is there. fromCache says which.
func (f *Fetcher) Get(ctx context.Context, u string) (data []byte, fromCache bool, err error) {
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return nil, false, fmt.Errorf("not an http or https URL")
	}
	path := f.cachePath(u)
	if path != "" {
		if b, err := os.ReadFile(path); err == nil {
			return b, true, nil
		}
	}
	if f.Offline {
		return nil, false, ErrOffline
	}
	b, err := f.fetch(ctx, u)
	if err != nil {
		return nil, false, err
	}
	if path != "" {
		f.store(path, b) // a cache that cannot be written only costs time
	}
	return b, false, nil
}

// cachePath is the file the cache keeps u in.
func (f *Fetcher) cachePath(u string) string {
	if f.CacheDir == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(f.CacheDir, "images", hex.EncodeToString(sum[:]))
}

// fetch gets u from the network within the time-out and size limit.
func (f *Fetcher) fetch(ctx context.Context, u string) ([]byte, error) {
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "paiban")
	if err := f.checkHost(ctx, req.URL); err != nil {
		return nil, shortError(err, timeout)
	}
	client := http.Client{Transport: http.DefaultTransport}
	if f.Client != nil {
		client = *f.Client
	}
	check := client.CheckRedirect
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if err := f.checkHost(r.Context(), r.URL); err != nil {
			return err
		}
		if check != nil {
			return check(r, via)
		}
		if len(via) >= 10 { // as net/http's default
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, shortError(err, timeout)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%d bytes, more than the %s paiban fetches", resp.ContentLength, size(limit))
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, shortError(err, timeout)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than the %s paiban fetches", size(limit))
	}
	return b, nil
}

// size writes a size in bytes as megabytes, or kilobytes below one.
func size(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d MB", n>>20)
}

// shortError says what went wrong without the URL, which the message
// about the image gives.
func shortError(err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) || os.IsTimeout(err) {
		return fmt.Errorf("no answer within %s", timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return errors.New(strings.TrimSpace(err.Error()))
}

// store writes b to path through a temporary file, so that a build
// stopped midway leaves no half file for the next one.
func (f *Fetcher) store(path string, b []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fetch-*")
	if err != nil {
		return
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if err := errors.Join(err, tmp.Close()); err != nil {
		return
	}
	_ = os.Rename(tmp.Name(), path)
}
