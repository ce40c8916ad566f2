// Package paiban holds what the program carries inside itself: the page
// styles and the EPUB style sheet, a few kilobytes, so that paiban runs
// from any folder. The fonts (56 MB) are found on disk instead (see
// internal/home).
package paiban

import "embed"

// Styles holds styles/*.yaml and styles/epub.css.
//
//go:embed styles/*.yaml styles/epub.css
var Styles embed.FS
