#!/usr/bin/env bash
# Installs what building and testing splitvisor needs, idempotently:
#   - Debian packages (cross compiler, QEMU, kbuild helpers, ...)
#   - into $CACHE (gitignored): Debian's arm64 kernel images with their
#     matching headers for 6.1 and 6.12, and busybox-static:arm64.
# The kernel ABI (6.1.0-N, 6.12.M+debN) is resolved from the archive's
# meta-packages every time, never hard-coded.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$top/.cache}
mkdir -p "$CACHE"

log() { echo "setup: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

PKGS="make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	linux-kbuild-6.1 cpio device-tree-compiler kmod bc bison flex
	libelf-dev libssl-dev perl python3 gzip xz-utils gnuplot-nox"

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	log "apt-get update"
	as_root apt-get update -qq || log "apt-get update reported errors; continuing"
	apt_updated=1
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	log "adding dpkg architecture arm64"
	as_root dpkg --add-architecture arm64
	apt_update
fi

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	apt_update
	log "installing:$missing"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
fi

# The kernel that a meta-package currently points at: prints "<abi-name>".
# e.g. linux-image-arm64 -> linux-image-6.1.0-56-arm64 -> 6.1.0-56-arm64
resolve_kver() {
	local meta=$1 dep
	dep=$(apt-cache depends "$meta:arm64" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(.*-arm64\)\(:arm64\)\?$/\1/p' |
		grep -v -e -rt- -e cloud -e 16k | head -n 1)
	if [ -z "$dep" ]; then
		apt_update
		dep=$(apt-cache depends "$meta:arm64" 2>/dev/null |
			sed -n 's/^ *Depends: linux-image-\(.*-arm64\)\(:arm64\)\?$/\1/p' |
			grep -v -e -rt- -e cloud -e 16k | head -n 1)
	fi
	[ -n "$dep" ] || { echo "setup: cannot resolve $meta:arm64" >&2; return 1; }
	echo "$dep"
}

# fetch_kernel <series> <meta-package>: image + headers into
# $CACHE/kernel-<series>/ and a stable symlink $CACHE/kernel-<series>.
fetch_kernel() {
	local series=$1 meta=$2 kver dir common kbuild
	kver=$(resolve_kver "$meta")
	dir=$CACHE/linux-$kver
	if [ -f "$dir/.complete" ]; then
		ln -sfn "linux-$kver" "$CACHE/kernel-$series"
		return 0
	fi
	log "fetching kernel $kver"
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	common=$(apt-cache depends "linux-headers-$kver:arm64" |
		sed -n 's/^ *Depends: <\?\(linux-headers-[^:>]*-common\).*/\1/p' | head -n 1)
	kbuild=$(apt-cache depends "linux-headers-$kver:arm64" |
		sed -n 's/^ *Depends: <\?\(linux-kbuild-[^:>]*\).*/\1/p' | head -n 1)
	[ -n "$common" ] && [ -n "$kbuild" ] ||
		{ echo "setup: cannot resolve headers of $kver" >&2; return 1; }
	(cd "$dir/debs" && apt-get download -q -o APT::Sandbox::User=root "linux-image-$kver:arm64" \
		"linux-headers-$kver:arm64" "$common" >/dev/null)
	dpkg-query -W -f='${Status}' "$kbuild" 2>/dev/null | grep -q "ok installed" || {
		apt_update
		log "installing $kbuild"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "$kbuild" >/dev/null
	}
	for d in "$dir"/debs/*.deb; do dpkg -x "$d" "$dir/root"; done
	# The arm64 headers include the -common Makefile by absolute path.
	sed -i "s|include /usr/src/|include $dir/root/usr/src/|" \
		"$dir/root/usr/src/linux-headers-$kver/Makefile"
	# scripts/ and tools/ point into linux-kbuild-*, installed natively.
	for h in "$dir"/root/usr/src/linux-headers-*; do
		for l in scripts tools; do
			[ -L "$h/$l" ] && ln -sfn "/usr/lib/$kbuild/$l" "$h/$l"
		done
	done
	ln -sfn "root/usr/src/linux-headers-$kver" "$dir/build"
	ln -sfn "root/boot/vmlinuz-$kver" "$dir/vmlinuz"
	echo "$kver" > "$dir/kver"
	touch "$dir/.complete"
	ln -sfn "linux-$kver" "$CACHE/kernel-$series"
}

fetch_busybox() {
	[ -x "$CACHE/busybox/bin/busybox" ] && return 0
	log "fetching busybox-static:arm64"
	rm -rf "$CACHE/busybox"
	mkdir -p "$CACHE/busybox/debs"
	(cd "$CACHE/busybox/debs" && apt-get download -q -o APT::Sandbox::User=root busybox-static:arm64 >/dev/null)
	dpkg -x "$CACHE"/busybox/debs/*.deb "$CACHE/busybox/root"
	mkdir -p "$CACHE/busybox/bin"
	cp "$CACHE/busybox/root/bin/busybox" "$CACHE/busybox/bin/busybox"
}

# checkpatch.pl and its data files, from Debian's linux-source-6.1.
fetch_checkpatch() {
	local d=$CACHE/checkpatch
	[ -x "$d/scripts/checkpatch.pl" ] && return 0
	log "fetching checkpatch.pl (linux-source-6.1)"
	rm -rf "$d"
	mkdir -p "$d/debs"
	(cd "$d/debs" && apt-get download -q -o APT::Sandbox::User=root \
		linux-source-6.1 >/dev/null)
	dpkg -x "$d"/debs/*.deb "$d/root"
	tar -xf "$d"/root/usr/src/linux-source-6.1.tar.xz -C "$d" \
		--strip-components=1 --wildcards \
		'linux-source-6.1/scripts/checkpatch.pl' \
		'linux-source-6.1/scripts/spelling.txt' \
		'linux-source-6.1/scripts/const_structs.checkpatch'
	rm -rf "$d/debs" "$d/root"
	chmod +x "$d/scripts/checkpatch.pl"
}

fetch_kernel 6.1 linux-image-arm64
# Linux 6.12 is in bookworm itself (linux-6.12, security-supported);
# bookworm-backports carries it too under linux-image-arm64.
fetch_kernel 6.12 linux-image-6.12-arm64
fetch_busybox
fetch_checkpatch
log "ready: $(cat "$CACHE/kernel-6.1/kver"), $(cat "$CACHE/kernel-6.12/kver"), busybox"
