#!/bin/sh
# Fetches the bundled faces too large to keep in the repository
# (fonts/README.md says which and why): each is taken from a Debian
# package and checked against the sha256 the README gives. A face already
# present with the right checksum is left alone, so after the first run no
# build needs the network.
set -e
cd "$(dirname "$0")/.."

# file, package, version, path inside the package, sha256
FACES='
NotoSerifCJK-Regular.ttc fonts-noto-cjk 1:20220127+repack1-1 usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc a04178ec485dffdff7cc0c0c20e1fce9202d7e2160d805e8e44a4c8841c58481
HanaMinB.ttf fonts-hanazono 20170904-2.1 usr/share/fonts/truetype/hanazono/HanaMinB.ttf 829543436cdf7b4c6730e2af5806fa406f8ddf0d4b656e0cd49c58d4db1c8d3c
'

ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# download PACKAGE VERSION: the pinned version, else the current one
# (the checksum of the face decides whether it will do).
download() {
	apt-get download -q "$1=$2" >/dev/null 2>&1 && return 0
	apt-get download -q "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq && apt-get download -q "$1" >/dev/null 2>&1 && return 0
	fi
	echo "fetch-fonts: cannot download the Debian package $1 (try: sudo apt-get update)" >&2
	return 1
}

echo "$FACES" | while read -r file pkg version path sum; do
	[ -n "$file" ] || continue
	ok "fonts/$file" "$sum" && continue
	echo "fetching fonts/$file from Debian's $pkg" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && download "$pkg" "$version")
	dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -xO "./$path" >"$tmp/face"
	if ! ok "$tmp/face" "$sum"; then
		echo "fetch-fonts: $file from $pkg has sha256 $(sha256sum "$tmp/face" | cut -d' ' -f1), not $sum" >&2
		exit 1
	fi
	mv "$tmp/face" "fonts/$file"
	rm -rf "$tmp"
done
