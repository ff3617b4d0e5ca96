# shellcheck shell=sh
# In-board helpers for splitvisor test scripts (busybox sh).
#
# Source it first:   . /tests/lib.sh      (also exported as $SV_LIB)
#
# TAP helpers; each prints one test point, numbered per script:
#   t_ok   DESC                 ok N - DESC
#   t_fail DESC [DETAIL]        not ok N - DESC, then DETAIL as "# " lines
#   t_check DESC EXPECTED ACTUAL   string compare, prints both on failure
#   t_skip DESC REASON          ok N - DESC # SKIP REASON
#   t_cmd  DESC CMD [ARGS...]   ok iff CMD exits 0; on failure its output
#                               (stdout+stderr) is printed as "# " lines
#   t_done                      prints the plan "1..N"; call it last
# t_check and t_cmd return 1 on failure (so "t_cmd ... || return" works);
# the others return 0.  Don't run test scripts under "set -e".
#
# Other helpers:
#   sv_mark                 remember the current end of the kernel log
#   sv_dmesg_since_mark     print the kernel log lines logged after sv_mark
#   sv_arg KEY              value of sv.KEY=VALUE on the kernel command line
#   t_diag TEXT...          print TEXT as "# " comment lines
#
# Environment set by /init: SV_MODULE (path of splitvisor.ko, may not
# exist), SV_BOARD (board name), SV_SMP (configured CPU count), SV_LIB.

SV_T_N=0
SV_MARK=0
SV_MARK_LINE=

t_diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

t_ok() {
	SV_T_N=$((SV_T_N + 1))
	echo "ok $SV_T_N - $1"
}

t_fail() {
	SV_T_N=$((SV_T_N + 1))
	echo "not ok $SV_T_N - $1"
	if [ -n "${2:-}" ]; then
		t_diag "$2"
	fi
	return 0
}

t_check() {
	if [ "$2" = "$3" ]; then
		t_ok "$1"
		return 0
	fi
	t_fail "$1" "expected '$2', got '$3'"
	return 1
}

t_skip() {
	SV_T_N=$((SV_T_N + 1))
	echo "ok $SV_T_N - $1 # SKIP ${2:-}"
}

t_cmd() {
	_t_desc=$1
	shift
	if _t_out=$("$@" 2>&1); then
		t_ok "$_t_desc"
		return 0
	else
		_t_rc=$?
	fi
	t_fail "$_t_desc" "command: $* (exit status $_t_rc)"
	if [ -n "$_t_out" ]; then
		t_diag "$_t_out"
	fi
	return 1
}

t_done() {
	echo "1..$SV_T_N"
}

sv_arg() {
	read -r _cl </proc/cmdline
	for _a in $_cl; do
		case "$_a" in
		"sv.$1="*)
			echo "${_a#*=}"
			return 0
			;;
		esac
	done
	return 0
}

# The mark is a line count plus the text of the last line, so that a
# wrapped ring buffer (lines dropped at the front) is still handled: if
# the remembered line moved, it is searched for; if it is gone, the whole
# log is printed.
sv_mark() {
	_m_log=$(dmesg)
	SV_MARK=$(printf '%s\n' "$_m_log" | grep -c '')
	SV_MARK_LINE=$(printf '%s\n' "$_m_log" | tail -n 1)
	[ -n "$_m_log" ] || SV_MARK=0
}

sv_dmesg_since_mark() {
	dmesg | awk -v n="$SV_MARK" -v last="$SV_MARK_LINE" '
		{ line[NR] = $0; if ($0 == last) at = NR }
		END {
			if (n == 0)
				start = 1
			else if (n <= NR && line[n] == last)
				start = n + 1
			else if (at)
				start = at + 1
			else
				start = 1
			for (i = start; i <= NR; i++)
				print line[i]
		}'
}

# sv_insmod_refused ERRNO_RE DMESG_RE [MODULE_ARGS...]: four test points
# for a load that must fail: insmod fails, its message matches ERRNO_RE
# (busybox's wording of the errno), the kernel log has a splitvisor line
# matching DMESG_RE (grep -E), and no module is left loaded.
sv_insmod_refused() {
	_r_errno=$1
	_r_msg=$2
	shift 2
	sv_mark
	_r_out=$(insmod "$SV_MODULE" "$@" 2>&1)
	_r_rc=$?
	t_check "insmod $* is refused" "refused" \
		"$([ $_r_rc -ne 0 ] && echo refused || echo "loaded: $_r_out")"
	if printf '%s\n' "$_r_out" | grep -qE "$_r_errno"; then
		t_ok "insmod says /$_r_errno/"
	else
		t_fail "insmod says /$_r_errno/" "expected /$_r_errno/, got '$_r_out'"
	fi
	# busybox tries finit_module, then init_module: a line per attempt.
	_r_n=$(sv_dmesg_since_mark | grep -cE "splitvisor: .*($_r_msg)")
	t_check "dmesg explains why" "yes" \
		"$([ "$_r_n" -ge 1 ] && echo yes || echo "no: /$_r_msg/ not in the log")"
	t_check "nothing loaded" "0" "$(grep -c '^splitvisor ' /proc/modules)"
}
