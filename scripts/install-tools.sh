#!/bin/sh
# Installs the programs the tests read the outputs back with (Debian
# packages), only when one is missing.
set -e
need=""
command -v pdftotext >/dev/null 2>&1 || need="$need poppler-utils"
command -v qpdf >/dev/null 2>&1 || need="$need qpdf"
command -v mutool >/dev/null 2>&1 || need="$need mupdf-tools"
dpkg -s epubcheck >/dev/null 2>&1 || need="$need epubcheck"
command -v groff >/dev/null 2>&1 || need="$need groff-base"
# Reading systems the EPUB tests render with.
command -v ebook-convert >/dev/null 2>&1 || need="$need calibre"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -z "$need" ] && exit 0
echo "installing:$need" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
