#!/bin/sh
# Installs the programs the tests read the outputs back with (Debian
# packages, and Ace by DAISY from npm), only when one is missing.
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
# npm installs Ace.
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
	echo "installing:$need" >&2
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# Ace by DAISY, the EPUB accessibility checker, in the user's cache folder,
# where the tests look for it (internal/validators). It drives the system's
# Chromium: puppeteer must not download a browser of its own.
ACE_VERSION=1.4.6
ace="${XDG_CACHE_HOME:-$HOME/.cache}/paiban/ace"
if ! grep -qs "\"version\": \"$ACE_VERSION\"" "$ace/node_modules/@daisy/ace-cli/package.json" ||
	[ ! -x "$ace/node_modules/.bin/ace-cli" ]; then
	echo "installing: @daisy/ace-cli@$ACE_VERSION in $ace" >&2
	mkdir -p "$ace"
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$ace" --no-audit --no-fund --loglevel=error \
		"@daisy/ace-cli@$ACE_VERSION" >/dev/null
fi
