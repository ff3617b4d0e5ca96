# shellcheck shell=sh
# The tests/kvm programs on /dev/splitvisor, or on Linux's own KVM
# (/dev/kvm, nVHE) on a board where KVM owns EL2 (sv.refuse=kvm): the same
# programs against the reference. Each program's TAP test points become
# test points of this script ("kvm_regs: ..."), its diagnostics follow, and
# a last point per program checks that it ran to its plan and exited 0. On
# splitvisor, afterwards no VM may be left, rmmod must work and debugfs
# must be gone.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor
DEV=/dev/splitvisor
[ "$(sv_arg refuse)" = kvm ] && DEV=/dev/kvm
PROGS="kvm_regs kvm_hostile kvm_mmio kvm_isolation kvm_ioctl kvm_vmid kvm_memslot kvm_tlbi kvm_s1mmu kvm_smccc kvm_sysregs kvm_memory kvm_pmu"
TMO=600		# seconds per program (KVM under TCG is slow)
# sv.kvm_progs=a,b on the kernel command line: only those (for development).
[ -n "$(sv_arg kvm_progs)" ] && PROGS=$(sv_arg kvm_progs | tr ',' ' ')

# kvm_prog NAME: runs /bin/NAME --device $DEV and re-emits its TAP.
kvm_prog() {
	_p=$1
	if [ ! -x "/bin/$_p" ]; then
		t_fail "$_p: present in /bin" "not built? (make userland)"
		return
	fi
	timeout "$TMO" "$_p" --device "$DEV" >/tmp/"$_p".out 2>&1
	_rc=$?
	_n=0
	_plan=
	while IFS= read -r _l; do
		case "$_l" in
		"not ok "*)
			_n=$((_n + 1))
			_d=${_l#not ok }
			t_fail "$_p: ${_d#* - }" ;;
		"ok "*)
			_n=$((_n + 1))
			_d=${_l#ok }
			SV_T_N=$((SV_T_N + 1))
			echo "ok $SV_T_N - $_p: ${_d#* - }" ;;
		"1.."*)
			_plan=${_l#1..} ;;
		"#"*)
			echo "$_l" ;;
		*)
			echo "# $_p: $_l" ;;
		esac
	done </tmp/"$_p".out
	if [ "$_rc" = 0 ] && [ "$_plan" = "$_n" ]; then
		t_ok "$_p: exit status 0, $_n test points as planned"
	else
		t_fail "$_p: exit status 0, all planned test points" \
			"exit status $_rc (124: timeout after ${TMO}s), plan '${_plan}', $_n test points"
		tail -n 20 /tmp/"$_p".out | sed 's/^/# | /'
	fi
}

if [ $DEV = /dev/kvm ]; then
	[ -c $DEV ] || { t_fail "$DEV exists" "no $DEV on this board"; t_done; exit 1; }
elif grep -q '^splitvisor ' /proc/modules; then
	t_diag "splitvisor was loaded by an earlier script"
else
	t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
fi
# 2 MiB huge pages for kvm_memory's hugetlbfs- and THP-backed slots.
echo 8 >/proc/sys/vm/nr_hugepages 2>/dev/null
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
sv_mark
for p in $PROGS; do
	kvm_prog "$p"
done
if [ $DEV = /dev/kvm ]; then
	t_check "no hyp panic or KVM errors in the kernel log" "0" \
		"$(sv_dmesg_since_mark | grep -ciE 'hyp panic|kvm.*(error|BUG)')"
	t_done
	exit 0
fi
t_check "no VM left" "vms: 0" "$(grep -o '^vms: [0-9]*' $D/status)"
t_check "no VMID left" "vmids: 0" "$(grep -o '^vmids: [0-9]*' $D/status)"
t_check "no guest page left referenced" "page_refs: 0" \
	"$(grep -o '^page_refs: [0-9]*' $D/status)"
t_check "no stage-2 table left" "s2_tables: 0" \
	"$(grep -o '^s2_tables: [0-9]*' $D/status)"
t_check "no WARN or BUG in the kernel log" "0" \
	"$(sv_dmesg_since_mark | grep -cE 'WARNING:|BUG:|cut here')"
t_check "no hypervisor errors in the kernel log" "0" \
	"$(sv_dmesg_since_mark | grep -ciE 'hyp panic|splitvisor.*(error|fault|unexpected)')"
t_cmd "rmmod works after the tests" rmmod splitvisor
t_check "debugfs directory gone" "gone" \
	"$([ -e $D ] && echo "still there" || echo gone)"
t_done
