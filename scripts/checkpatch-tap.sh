#!/usr/bin/env bash
# Kernel style (checkpatch.pl --no-tree) over every C, header and assembly
# source of the project, one TAP test point per file. Installed by the
# Makefile as build/unit/checkpatch_test so that `make test` runs it.
#
# usage: scripts/checkpatch-tap.sh [-h|--help]   (no other arguments)
set -uo pipefail
# The unit tier gives it this long (tests/run-all):
# sv-timeout: 900

usage() {
	sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"
}
case "${1:-}" in
"") ;;
-h | --help) usage; exit 0 ;;
*) echo "checkpatch-tap: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cp=$top/.cache/checkpatch/scripts/checkpatch.pl
cd "$top" || exit 1

files=$(git ls-files -- '*.c' '*.h' '*.S' 2>/dev/null ||
	find highvisor lowvisor hyp_vectors shared userland tests \
		-name '*.[chS]')
n=0
fail=0
if [ ! -x "$cp" ]; then
	echo "ok 1 - checkpatch # SKIP $cp missing (run make deps)"
	echo "1..1"
	exit 0
fi
# checkpatch.pl takes a second or two a file: check them on every CPU,
# one result file each, then report in the files' order.
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
i=0
for f in $files; do
	i=$((i + 1))
	printf '%s\0%s\0' "$i" "$f"
done | CP=$cp RES=$res xargs -0 -n 2 -P "$(nproc)" sh -c '
	# FILE_PATH_CHANGES only makes sense for patches, not with -f.
	# ENOSYS: KVM'"'"'s ABI answers KVM_RUN with -ENOSYS for an MMIO
	# access without syndrome, and /dev/splitvisor answers as KVM does.
	"$CP" --no-tree --terse -q -f --ignore FILE_PATH_CHANGES,ENOSYS \
		"$2" 2>&1 | grep -v "^total: 0 errors, 0 warnings" >"$RES/$1"
	:' sh
for f in $files; do
	n=$((n + 1))
	out=$(cat "$res/$n" 2>/dev/null)
	if [ ! -f "$res/$n" ]; then
		fail=1
		echo "not ok $n - checkpatch: $f"
		echo "# expected a checkpatch result, got none"
	elif [ -z "$out" ]; then
		echo "ok $n - checkpatch: $f"
	else
		fail=1
		echo "not ok $n - checkpatch: $f"
		echo "# expected no errors or warnings, got:"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
echo "1..$n"
exit $fail
