//go:build unix

package fonts

import (
	"os"
	"syscall"
)

// readFont returns the contents of a font file mapped read-only into
// memory, or read into memory when it cannot be mapped. A build reads a
// small part of each face (the cmap, the metrics and the glyphs it draws),
// so mapping spares copying tens of megabytes of CJK fonts per run. The
// mapping lasts as long as the process: faces are loaded once per process,
// and slices of Data may be held anywhere.
func readFont(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := fi.Size()
	if !fi.Mode().IsRegular() || size <= 0 || size != int64(int(size)) {
		return os.ReadFile(path)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return os.ReadFile(path)
	}
	return data, nil
}
