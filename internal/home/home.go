// Package home finds the folders paiban ships with, fonts/ and styles/,
// whatever folder it is started from.
package home

import (
	"os"
	"path/filepath"
	"runtime"
)

// EnvVar names the folder holding fonts/ and styles/ when they are not
// beside the program.
const EnvVar = "PAIBAN_HOME"

// Find returns the folder called name ("fonts" or "styles") paiban ships
// with, looked for in this order:
//
//   - beside the program: bin/paiban finds ../name (the layout of the
//     source tree and of an unpacked release), then name beside it;
//   - $PAIBAN_HOME/name;
//   - the source tree the program was built from, which is where
//     `go install ./cmd/paiban` and `go run` leave them.
//
// It returns "" when none exists, and the places it looked, for a
// message.
func Find(name string) (dir string, tried []string) {
	var places []string
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			bin := filepath.Dir(exe)
			places = append(places, filepath.Join(bin, "..", name), filepath.Join(bin, name))
		}
	}
	if h := os.Getenv(EnvVar); h != "" {
		places = append(places, filepath.Join(h, name))
	}
	if src := sourceRoot(); src != "" {
		places = append(places, filepath.Join(src, name))
	}
	for _, p := range places {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return filepath.Clean(p), nil
		}
	}
	for _, p := range places {
		tried = append(tried, filepath.Clean(p))
	}
	return "", tried
}

// sourceRoot is the root of the source tree this file was compiled from,
// or "" when the build recorded no such path (go build -trimpath).
func sourceRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	// This file is ROOT/internal/home/home.go.
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}
