#!/bin/sh
# The tools' command line on the board (they are arm64 programs; the
# scripts are checked on the host by tests/host/cli_test): -h/--help print
# the usage on stdout with status 0, --version the version, an unknown
# option fails with a message on stderr.
. /tests/lib.sh

# cli DESC EXPECTED_STATUS STDOUT_RE STDERR_RE CMD...
cli() {
	_d=$1 _want=$2 _ore=$3 _ere=$4
	shift 4
	"$@" >/tmp/cli.out 2>/tmp/cli.err
	_rc=$?
	_why=
	[ "$_rc" = "$_want" ] || _why="expected exit status $_want, got $_rc"
	[ -z "$_ore" ] || grep -qE "$_ore" /tmp/cli.out ||
		_why="$_why; expected stdout /$_ore/, got '$(head -c 200 /tmp/cli.out)'"
	[ -z "$_ere" ] || grep -qE "$_ere" /tmp/cli.err ||
		_why="$_why; expected stderr /$_ere/, got '$(head -c 200 /tmp/cli.err)'"
	if [ -z "$_why" ]; then t_ok "$_d"; else t_fail "$_d" "$* : $_why"; fi
}

for tool in svctl splitvm; do
	cli "$tool --help: usage, status 0" 0 "^usage: $tool" "" $tool --help
	cli "$tool -h: usage, status 0" 0 "^usage: $tool" "" $tool -h
	cli "$tool --version: name and version" 0 "^$tool [0-9]+\.[0-9]+\.[0-9]+$" "" \
		$tool --version
done
# splitvm: bad usage is status 1 (its documented VMM error); svctl: 2.
cli "splitvm --no-such-option: fails and says so" 1 "" "no-such-option" \
	splitvm --no-such-option
cli "splitvm --thp maybe: a bad value fails and names it" 1 "" \
	"^splitvm: --thp: 'maybe' is neither on nor off$" \
	splitvm --thp maybe --kernel /bin/hello.guest
cli "splitvm --thp without a value: fails and says so" 1 "" \
	"^splitvm: --thp: missing argument$" splitvm --kernel /bin/hello.guest --thp
cli "splitvm --help lists --thp" 0 "^  --thp on.off " "" splitvm --help
cli "svctl --no-such-option: fails with usage" 2 "" "^usage: svctl" \
	svctl --no-such-option
t_done
