# shellcheck shell=sh
# sv-timeout: 2400
# sv-mem: 2048
# The conformance tier: Linux 6.1's own arm64 KVM selftests (built
# unmodified by `make selftests`, copied by tests/board/run into /selftests)
# against /dev/splitvisor, or against Linux's own KVM on a board where KVM
# owns EL2 (sv.refuse=kvm). The selftests open /dev/kvm: on splitvisor
# boards that name is a symlink to /dev/splitvisor made here, inside the
# board's initramfs only.
#
# One test point per selftest, judged against /selftests/expectations
# (tests/conformance/expectations, whose header explains the format):
#   result as expected, pass     ok N - NAME
#   as expected, skip            ok N - NAME # SKIP <why, from the file>
#   as expected, fail            not ok N - NAME: <failure line> # TODO <why>
#   anything else                not ok N - NAME: expected X, got Y (...): <line>
# so a test doing better than the file says fails the point until the file
# is updated. <line> is the test's own failure line; the last lines of its
# output follow as "# | " diagnostics. A line
# "SV-SELFTEST: NAME RESULT SECONDS" per test feeds tests/conformance/matrix.
#
# Kernel command line: sv.selftests=a,b,c runs only these tests.
. "$SV_LIB"
ST=/selftests
EXP=$ST/expectations

# name, timeout (s), arguments: the long tests run at reduced iterations
# through their own flags, measured on a57-kvm-6.1 under QEMU TCG. A name
# TEST:VARIANT runs TEST again with other arguments, as its own test point
# and expectations line:
#   dirty_log_test     one log mode (dirty-log), 3 host iterations (the
#                      least it takes), one guest mode (-m 5: 40-bit IPA,
#                      4K pages, the library's default); all modes of all
#                      log modes took over 300 s; this 189 s on a
#                      loaded host
#   memslot_perf_test  32 slots (KVM's 32764 take ~50 s to set up), 1 s, one
#                      run, the two move tests (3, 4): map, unmap and RW wait
#                      for the guest with alarm(2), which QEMU on a loaded
#                      host misses (SIGALRM), and RW writes all 512 MiB
#   demand_paging, dirty_log_perf, kvm_page_table, memslot_modification:
#                      16 MiB per vCPU instead of 1 GiB
#   demand_paging_test:uffd  the same with userfaultfd (-u MISSING): every
#                      stage-2 fault waits for the test's handler thread
#   debug-exceptions   100 single-steps instead of 10000
#   arch_timer         2 iterations instead of 5
#   set_memory_region_test  no flag: adds KVM_CAP_NR_MEMSLOTS slots, 32764
#                      on KVM: 280 s on a loaded host
#   rseq_test          has no flag: its 100000 task migrations did not end
#                      within 900 s on a57-kvm-6.1 (loaded host); on
#                      splitvisor they took 291 s, over 300 s on a loaded
#                      host: 1200 s
# The board gets 2 GiB (sv-mem above): dirty_log_test's guest writes
# across its 1 GiB.
TESTS="
aarch32_id_regs			120
arch_timer			300	-i 2
debug-exceptions		300	-i 100
get-reg-list			120
hypercalls			120
psci_test			120
vcpu_width_config		120
vgic_init			300
vgic_irq			300
demand_paging_test		300	-b 16M
demand_paging_test:uffd		300	-u MISSING -b 16M
dirty_log_test			600	-M dirty-log -i 3 -m 5
dirty_log_perf_test		300	-i 2 -b 16M
kvm_create_max_vcpus		300
kvm_page_table_test		300	-b 16M
memslot_modification_stress_test 300	-i 10 -b 16M
memslot_perf_test		300	-s 32 -l 1 -r 1 -f 3 -e 4 -d
rseq_test			1200
set_memory_region_test		600
steal_time			300
kvm_binary_stats_test		120
"

if [ "$(sv_arg refuse)" = kvm ]; then
	DEVKIND=kvm
	[ -c /dev/kvm ] || { t_fail "/dev/kvm exists" "no /dev/kvm on this KVM board"; t_done; exit 1; }
else
	DEVKIND=splitvisor
	if ! grep -q '^splitvisor ' /proc/modules; then
		t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
	fi
	[ -c /dev/splitvisor ] || { t_fail "/dev/splitvisor exists"; t_done; exit 1; }
	ln -sf /dev/splitvisor /dev/kvm
fi
if [ ! -d $ST ] || [ ! -f $EXP ]; then
	t_fail "selftests in $ST" "no $ST or $EXP (make selftests)"
	t_done
	exit 1
fi

# expect NAME: prints "RESULT WHY" for this board and device: the last
# line of the file whose test column is NAME or NAME@GLOB with GLOB
# matching the board name.
expect() {
	_col=2
	[ $DEVKIND = kvm ] && _col=3
	_r=
	while read -r _t _sv _kvm _why; do
		case "$_t" in "" | "#"*) continue ;; esac
		case "$_t" in
		"$1") ;;
		"$1@"*)
			# shellcheck disable=SC2254 # the glob is meant
			case "$SV_BOARD" in ${_t#*@}) ;; *) continue ;; esac ;;
		*) continue ;;
		esac
		[ $_col = 2 ] && _r="$_sv $_why" || _r="$_kvm $_why"
	done <$EXP
	echo "${_r:-unlisted (no line for it in tests/conformance/expectations)}"
}

# failure_line OUT ERR: the test's own failure line: from its stderr the
# assertion's "file:line: condition" and its message lines (joined by
# " / "), else the last line of stderr, else of stdout (a skip's reason). The library's
# backtrace asks for addr2line, which the board lacks: that line is noise.
failure_line() {
	awk '
		/addr2line: not found/ { next }
		FILENAME == ARGV[1] { if (NF) lastout = $0; next }
		/==== Test Assertion Failure ====/ {
			getline loc
			sub(/^[ \t]+/, "", loc)
			inassert = 1
			next
		}
		!NF { next }
		{ lasterr = $0 }
		inassert && !/^[ \t]*(pid=|[0-9]+[ \t]+0x)/ {
			sub(/^[ \t]+/, "")
			msg = msg (msg == "" ? "" : " / ") $0
		}
		END {
			sub(/^[ \t]+/, "", lasterr)
			sub(/^[ \t]+/, "", lastout)
			if (loc != "")
				print loc (msg != "" ? ": " msg : "")
			else
				print lasterr != "" ? lasterr : lastout
		}' "$1" "$2" | cut -c 1-240
}

# tail_of OUT ERR: the end of a test's output as "# | " lines.
tail_of() {
	{ tail -n 8 "$1"; grep -v 'addr2line: not found' "$2" | tail -n 12; } |
		sed 's/^/# | /'
}

only=$(sv_arg selftests | tr ',' ' ')
# Some tests map more guest memory than the board has RAM (dirty_log_test:
# 1 GiB) and touch little of it: let the mmap succeed, as on a big host.
echo 1 >/proc/sys/vm/overcommit_memory
sv_mark
echo "$TESTS" | while read -r name tmo args; do
	[ -n "$name" ] || continue
	if [ -n "$only" ]; then
		case " $only " in *" $name "*) ;; *) continue ;; esac
	fi
	bin=${name%%:*}
	out=/tmp/st-$name.out
	err=/tmp/st-$name.err
	: >"$err"
	if [ ! -x "$ST/$bin" ]; then
		echo "not built" >"$out"
		rc=127
		secs=0
	else
		t0=$(date +%s)
		# shellcheck disable=SC2086 # args are meant to split
		(cd /tmp && timeout "$tmo" "$ST/$bin" $args) </dev/null >"$out" 2>"$err"
		rc=$?
		secs=$(($(date +%s) - t0))
	fi
	case $rc in
	0) got=pass ;;
	4) got=skip ;;
	*) got=fail ;;
	esac
	if [ $rc != 0 ] && [ "$secs" -ge "$tmo" ]; then
		line="timed out after ${tmo}s ($args)"
	elif [ $rc = 127 ] && [ "$secs" = 0 ]; then
		line="$ST/$bin not built"
	else
		line=$(failure_line "$out" "$err")
		[ $rc -le 128 ] || [ $rc -ge 160 ] ||
			line="killed by signal $((rc - 128)) after: $line"
	fi
	echo "SV-SELFTEST: $name $got ${secs}s"
	e=$(expect "$name")
	want=${e%% *}
	why=${e#* }
	if [ "$got" = "$want" ]; then
		case $got in
		pass) t_ok "$name" ;;
		skip) t_skip "$name" "$line; $why" ;;
		fail) SV_T_N=$((SV_T_N + 1))
		      echo "not ok $SV_T_N - $name: $line # TODO $why"
		      tail_of "$out" "$err" ;;
		esac
	else
		if [ "$got" = pass ]; then
			line="better than expected: update tests/conformance/expectations"
		fi
		t_fail "$name: expected $want, got $got (exit status $rc, ${secs}s): $line"
		tail_of "$out" "$err"
	fi
	echo "$SV_T_N" >/tmp/st-count
done
SV_T_N=$(cat /tmp/st-count 2>/dev/null || echo 0)

# Every selftest built must be in the table above, or it would never run.
for f in "$ST"/*; do
	n=${f##*/}
	[ "$n" != expectations ] || continue
	echo "$TESTS" | grep -q "^${n}[[:space:]]" ||
		t_fail "$n: in the table of kvm_selftests.sh" "built but never run"
done

if [ $DEVKIND = splitvisor ]; then
	D=/sys/kernel/debug/splitvisor
	t_check "no VM left" "vms: 0" "$(grep -o '^vms: [0-9]*' $D/status)"
	t_check "no guest page left referenced" "page_refs: 0" \
		"$(grep -o '^page_refs: [0-9]*' $D/status)"
	t_check "no stage-2 table left" "s2_tables: 0" \
		"$(grep -o '^s2_tables: [0-9]*' $D/status)"
	t_cmd "rmmod works after the selftests" rmmod splitvisor
fi
t_done
