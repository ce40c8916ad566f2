//go:build !unix

package fonts

import "os"

// readFont returns the contents of a font file.
func readFont(path string) ([]byte, error) { return os.ReadFile(path) }
