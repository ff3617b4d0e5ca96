#!/usr/bin/env bash
# Installs what building and testing splitvisor needs, idempotently.
#
# usage: scripts/setup.sh [--check] [--kernels "6.1 6.12"] [--no-checkpatch]
#                         [--no-source]
#   --check          install nothing: say what is missing, exit 1 if
#                    anything is
#   --kernels LIST   only these kernels (make shell fetches the one of
#                    its board) [6.1 6.12]
#   --no-checkpatch  no checkpatch.pl (only the unit tests use it)
#   --no-source      no linux-source-6.1 tree (only the KVM selftests of
#                    the conformance tier are built from it)
#   -h, --help       this text
#
# What it installs (Debian 12 "bookworm", as root or through sudo):
#   - Debian packages: the arm64 cross compiler, QEMU, kbuild helpers and
#     the like (the list is PKGS below; about 120 packages with their
#     dependencies, ~0.55 GiB on disk);
#   - into $CACHE (default .cache/, gitignored, ~250 MB): Debian's arm64
#     kernel images (vmlinuz) with their headers for 6.1 and 6.12,
#     busybox-static:arm64 and checkpatch.pl. The kernels' module trees
#     and the .deb files are not kept: nothing here uses them.
# The kernel ABI (6.1.0-N, 6.12.M+debN) is resolved from the archive's
# meta-packages every time, never hard-coded; a kernel the archive no
# longer points at is removed from the cache.
#
# Debian's 6.12 kernel for bookworm (linux-image-6.12-arm64) is only in
# the bookworm-security suite, which debootstrap does not put into the
# apt sources. On bookworm the script adds that suite itself (the file
# /etc/apt/sources.list.d/splitvisor-bookworm-security.list; it is the
# security suite every Debian installer enables) unless SV_NO_APT_SOURCES=1,
# in which case it stops and says what to add.
# Environment: CACHE, SV_NO_APT_SOURCES.
# Exit status: 0 ready, 1 --check found something missing, 2 bad usage,
# 3 an error it explains, other: a command failed (named on stderr).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CACHE:-$top/.cache}

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

check_only=0
kernels="6.1 6.12"
with_checkpatch=1
with_source=1
while [ $# -gt 0 ]; do
	case "$1" in
	--check) check_only=1; shift ;;
	--kernels)
		[ $# -ge 2 ] || { echo "setup: --kernels needs a list" >&2; exit 2; }
		kernels=$2
		shift 2
		;;
	--no-checkpatch) with_checkpatch=0; shift ;;
	--no-source) with_source=0; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "setup: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
for k in $kernels; do
	case "$k" in 6.1 | 6.12) ;; *) echo "setup: --kernels: no kernel '$k' (6.1 or 6.12)" >&2; exit 2 ;; esac
done
[ -n "$kernels" ] || { echo "setup: --kernels: empty list" >&2; exit 2; }

t0=$(date +%s)
# Never end silently: set -e stops at a failed command, this says which
# (-E: in functions and command substitutions too). die() has said why
# already: its status 3 is not reported again.
set -E
trap 'rc=$?; [ "$rc" = 3 ] ||
	echo "setup: error: line $LINENO: \"$BASH_COMMAND\" failed (status $rc)" >&2' ERR
log() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 3; }
as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "needs root for '$*': run as root, or install sudo"
	fi
}
command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
	die "this set-up needs a Debian 12 (bookworm) system with apt and dpkg"

PKGS="make git procps gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	linux-kbuild-6.1 cpio device-tree-compiler kmod bc bison flex
	libelf-dev libssl-dev perl python3 gzip xz-utils gnuplot-nox"
SECURITY_LINE="deb http://deb.debian.org/debian-security bookworm-security main"
SECURITY_LIST=/etc/apt/sources.list.d/splitvisor-bookworm-security.list

step() { log "$* ($(($(date +%s) - t0)) s)"; }

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return 0
	step "apt-get update"
	as_root apt-get update -qq || log "apt-get update reported errors; continuing"
	apt_updated=1
}

codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")

# --- what is missing --------------------------------------------------------
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ "$check_only" = 1 ]; then
	rc=0
	dpkg --print-foreign-architectures | grep -qx arm64 ||
		{ log "missing: dpkg architecture arm64"; rc=1; }
	[ -z "$missing" ] || { log "missing packages:$missing"; rc=1; }
	want="busybox/bin/busybox"
	for k in $kernels; do
		want+=" kernel-$k/vmlinuz kernel-$k/build"
	done
	[ "$with_checkpatch" = 0 ] || want+=" checkpatch/scripts/checkpatch.pl"
	[ "$with_source" = 0 ] || want+=" linux-src/.sv-version"
	for c in $want; do
		[ -e "$CACHE/$c" ] || { log "missing: $CACHE/$c"; rc=1; }
	done
	[ "$rc" = 1 ] || log "nothing missing"
	exit "$rc"
fi
mkdir -p "$CACHE"

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	step "adding dpkg architecture arm64 (for Debian's arm64 kernels and busybox)"
	as_root dpkg --add-architecture arm64
	apt_updated=
fi

if [ -n "$missing" ]; then
	apt_update
	step "installing$missing and their dependencies (a few minutes the first time)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null ||
		die "apt-get install failed for:$missing (see the apt output above)"
fi

# --- kernels ------------------------------------------------------------------
# The suite an arm64 package's candidate comes from, e.g. "bookworm-security".
pkg_suite() {
	apt-cache policy "$1" 2>/dev/null | awk '
		/^  Candidate:/ { cand = $2; next }
		cand != "" && $1 == cand { want = 1; next }
		want && /^ +[0-9]+ / { split($3, a, "/"); print a[1]; exit }'
}

# The kernel a meta-package currently points at: prints "<abi-name>".
# e.g. linux-image-arm64 -> linux-image-6.1.0-56-arm64 -> 6.1.0-56-arm64
# Prints nothing (and succeeds) when it does not resolve: the callers
# decide, and set -e must not end the script silently here.
resolve_dep() {
	{ apt-cache depends "$1:arm64" 2>/dev/null || true; } |
		sed -n 's/^ *Depends: linux-image-\(.*-arm64\)\(:arm64\)\?$/\1/p' |
		{ grep -v -e -rt- -e cloud -e 16k || true; } | head -n 1
}

# Makes bookworm-security available (see the header), or says what to add.
need_security_suite() {
	local meta=$1
	local what="$meta:arm64 (Debian's Linux 6.12 for bookworm) is only in the bookworm-security suite, component main"
	if [ "$codename" != bookworm ]; then
		die "cannot resolve $meta:arm64 on '${codename:-unknown}': $what of Debian 12; splitvisor's set-up needs Debian 12 (bookworm)"
	fi
	if [ "${SV_NO_APT_SOURCES:-0}" = 1 ] || [ -e "$SECURITY_LIST" ]; then
		die "cannot resolve $meta:arm64: $what. Add this line to /etc/apt/sources.list (or a file in /etc/apt/sources.list.d/), run apt-get update, and run the set-up again:
    $SECURITY_LINE"
	fi
	step "$what, which the apt sources lack: adding '$SECURITY_LINE' as $SECURITY_LIST"
	echo "$SECURITY_LINE" | as_root tee "$SECURITY_LIST" >/dev/null
	apt_updated=
	apt_update
}

resolve_kver() {
	local meta=$1 dep
	dep=$(resolve_dep "$meta")
	if [ -z "$dep" ] && [ -z "$apt_updated" ]; then
		apt_update
		dep=$(resolve_dep "$meta")
	fi
	if [ -z "$dep" ] && [ "$meta" = linux-image-6.12-arm64 ]; then
		need_security_suite "$meta" >&2
		dep=$(resolve_dep "$meta")
	fi
	[ -n "$dep" ] || die "cannot resolve $meta:arm64 (Debian 12 has it in bookworm main and bookworm-security): check that 'dpkg --print-foreign-architectures' lists arm64 and that the apt sources have a bookworm main line, then run apt-get update"
	echo "$dep"
}

# fetch_kernel <series> <meta-package>: vmlinuz + headers into
# $CACHE/linux-<abi>/ and a stable symlink $CACHE/kernel-<series>.
# Kept: root/boot/vmlinuz-*, root/usr/src/linux-headers-* (the module
# build), kver (the ABI name), version (the package version) and origin
# (the suite); the modules tree and the .deb files are deleted.
fetch_kernel() {
	local series=$1 meta=$2 kver dir common kbuild suite
	kver=$(resolve_kver "$meta")
	dir=$CACHE/linux-$kver
	if [ -f "$dir/.complete" ]; then
		# Caches made before the module trees and .debs were dropped.
		if [ ! -f "$dir/version" ]; then
			ls "$dir"/debs/linux-image-*.deb >/dev/null 2>&1 &&
				dpkg-deb -f "$dir"/debs/linux-image-*.deb Version >"$dir/version"
			pkg_suite "linux-image-$kver:arm64" >"$dir/origin"
		fi
		rm -rf "$dir/root/lib" "$dir/root/usr/lib" "$dir/root/usr/share" "$dir/debs"
		ln -sfn "linux-$kver" "$CACHE/kernel-$series"
		return 0
	fi
	suite=$(pkg_suite "linux-image-$kver:arm64")
	step "fetching kernel $series: linux-image-$kver:arm64 from ${suite:-?} (~70 MB download)"
	rm -rf "$dir"
	mkdir -p "$dir/debs"
	common=$({ apt-cache depends "linux-headers-$kver:arm64" || true; } |
		sed -n 's/^ *Depends: <\?\(linux-headers-[^:>]*-common\).*/\1/p' | head -n 1)
	kbuild=$({ apt-cache depends "linux-headers-$kver:arm64" || true; } |
		sed -n 's/^ *Depends: <\?\(linux-kbuild-[^:>]*\).*/\1/p' | head -n 1)
	[ -n "$common" ] && [ -n "$kbuild" ] ||
		die "cannot resolve the headers of $kver (linux-headers-$kver:arm64 and its -common and linux-kbuild dependencies, same suite as the image: ${suite:-?})"
	(cd "$dir/debs" && apt-get download -q -o APT::Sandbox::User=root "linux-image-$kver:arm64" \
		"linux-headers-$kver:arm64" "$common" >/dev/null) ||
		die "apt-get download of linux-image-$kver:arm64 linux-headers-$kver:arm64 $common failed"
	dpkg-query -W -f='${Status}' "$kbuild" 2>/dev/null | grep -q "ok installed" || {
		apt_update
		step "installing $kbuild (native kbuild tools for the $kver headers)"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "$kbuild" >/dev/null ||
			die "apt-get install $kbuild failed"
	}
	for d in "$dir"/debs/*.deb; do dpkg -x "$d" "$dir/root"; done
	dpkg-deb -f "$dir"/debs/linux-image-"$kver"_*.deb Version >"$dir/version"
	echo "${suite:-unknown}" >"$dir/origin"
	rm -rf "$dir/debs" "$dir/root/lib" "$dir/root/usr/lib" "$dir/root/usr/share"
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
	step "fetching busybox-static:arm64 (the board's initramfs)"
	rm -rf "$CACHE/busybox"
	mkdir -p "$CACHE/busybox/debs"
	(cd "$CACHE/busybox/debs" && apt-get download -q -o APT::Sandbox::User=root busybox-static:arm64 >/dev/null) ||
		die "apt-get download busybox-static:arm64 failed (it is in bookworm main)"
	dpkg -x "$CACHE"/busybox/debs/*.deb "$CACHE/busybox/root"
	mkdir -p "$CACHE/busybox/bin"
	cp "$CACHE/busybox/root/bin/busybox" "$CACHE/busybox/bin/busybox"
	rm -rf "$CACHE/busybox/debs" "$CACHE/busybox/root"
}

# checkpatch.pl and its data files, from Debian's linux-source-6.1.
fetch_checkpatch() {
	local d=$CACHE/checkpatch
	[ -x "$d/scripts/checkpatch.pl" ] && return 0
	rm -rf "$d"
	# The whole tree is there already when the selftests need it.
	if [ -f "$CACHE/linux-src/.sv-version" ]; then
		mkdir -p "$d/scripts"
		cp "$CACHE"/linux-src/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch} \
			"$d/scripts/"
		chmod +x "$d/scripts/checkpatch.pl"
		return 0
	fi
	step "fetching checkpatch.pl (from linux-source-6.1, ~140 MB download, 3 files kept)"
	mkdir -p "$d/debs"
	(cd "$d/debs" && apt-get download -q -o APT::Sandbox::User=root \
		linux-source-6.1 >/dev/null) ||
		die "apt-get download linux-source-6.1 failed (it is in bookworm main)"
	dpkg -x "$d"/debs/*.deb "$d/root"
	tar -xf "$d"/root/usr/src/linux-source-6.1.tar.xz -C "$d" \
		--strip-components=1 --wildcards \
		'linux-source-6.1/scripts/checkpatch.pl' \
		'linux-source-6.1/scripts/spelling.txt' \
		'linux-source-6.1/scripts/const_structs.checkpatch'
	rm -rf "$d/debs" "$d/root"
	chmod +x "$d/scripts/checkpatch.pl"
}

# The whole Debian linux-source-6.1 tree (the KVM selftests of the
# conformance tier are built from it; also there to read KVM 6.1's code).
# Kept pristine: builds from it write only into build/ (O=, OUTPUT=).
fetch_linux_source() {
	local d=$CACHE/linux-src
	[ -f "$d/.sv-version" ] && return 0
	step "fetching linux-source-6.1 (the KVM selftests are built from it; ~140 MB download, ~1.4 GB unpacked)"
	rm -rf "$d" "$d.tmp"
	mkdir -p "$d.tmp/debs"
	(cd "$d.tmp/debs" && apt-get download -q -o APT::Sandbox::User=root \
		linux-source-6.1 >/dev/null) ||
		die "apt-get download linux-source-6.1 failed (it is in bookworm main)"
	dpkg -x "$d.tmp"/debs/*.deb "$d.tmp/root"
	mkdir -p "$d.tmp/tree"
	tar -xf "$d.tmp"/root/usr/src/linux-source-6.1.tar.xz -C "$d.tmp/tree" \
		--strip-components=1
	dpkg-deb -f "$d.tmp"/debs/*.deb Version >"$d.tmp/tree/.sv-version"
	mv "$d.tmp/tree" "$d"
	rm -rf "$d.tmp"
}

# Both kernels from the same apt sources: make sure 6.12 resolves (adding
# bookworm-security if need be) before 6.1 is chosen, as that suite also
# carries the newer 6.1 kernels.
resolve_kver linux-image-6.12-arm64 >/dev/null
for k in $kernels; do
	case "$k" in
	6.1) fetch_kernel 6.1 linux-image-arm64 ;;
	# Linux 6.12 for bookworm: linux-image-6.12-arm64, in bookworm-security
	# (bookworm-backports carries 6.12 too, but under linux-image-arm64).
	6.12) fetch_kernel 6.12 linux-image-6.12-arm64 ;;
	esac
done
fetch_busybox
[ "$with_source" = 0 ] || fetch_linux_source
[ "$with_checkpatch" = 0 ] || fetch_checkpatch

# Kernels the archive no longer points at: only folders fetch_kernel made
# (they hold a kver file); anything else in the cache is left alone.
for d in "$CACHE"/linux-*; do
	[ -d "$d" ] && [ -f "$d/kver" ] || continue
	n=$(basename "$d")
	[ "$(readlink "$CACHE/kernel-6.1")" = "$n" ] ||
		[ "$(readlink "$CACHE/kernel-6.12")" = "$n" ] || {
		step "removing $n from the cache (no longer the current kernel)"
		rm -rf "$d"
	}
done

kdesc() {
	local k=$CACHE/kernel-$1
	echo "$1 = $(cat "$k/kver") $(cat "$k/version" 2>/dev/null || echo "?") from $(cat "$k/origin" 2>/dev/null || echo "?"); "
}
ready=
for k in $kernels; do
	ready+=$(kdesc "$k")
done
step "ready: ${ready}busybox$([ "$with_checkpatch" = 0 ] || echo ", checkpatch")$([ "$with_source" = 0 ] || echo ", linux-source-6.1")"
