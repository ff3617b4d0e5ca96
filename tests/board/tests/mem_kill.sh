# shellcheck shell=sh
# SIGKILL of VMMs in the middle of guest memory work: one whose vCPU waits
# in a stage-2 fault that a userfaultfd handler never resolves, one that
# reads the dirty log while its vCPU writes. Everything they held (VMs,
# VMIDs, stage-2 tables, page references) comes back, and no WARN.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

field() { sed -n "s/^$1: *\([0-9]*\).*/\1/p" $D/status; }

t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
sv_mark
kvm_memory --hold uffd >/tmp/hold_uffd.out 2>&1 &
p1=$!
kvm_memory --hold dirtylog >/tmp/hold_dirty.out 2>&1 &
p2=$!
i=0
while [ $i -lt 100 ] && [ "$(grep -c holding /tmp/hold_uffd.out /tmp/hold_dirty.out |
	awk -F: '{ n += $2 } END { print n }')" != 2 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
t_check "two VMMs holding" "2" "$(field vms)"
# handle_userfault() waits killable: the vCPU thread sleeps in state D.
t_check "the uffd VMM's vCPU waits in the fault (a thread in state D)" "yes" \
	"$(cat /proc/$p1/task/*/stat 2>/dev/null | awk '$3 == "D" { n++ } END { print (n ? "yes" : "no") }')"
tables=$(field s2_tables)
t_check "their guests have stage-2 tables" "yes" \
	"$([ "${tables:-0}" -gt 0 ] && echo yes || echo "no: $tables")"
kill -9 $p1 $p2
wait $p1 2>/dev/null
wait $p2 2>/dev/null
i=0
while [ $i -lt 50 ] && [ "$(field vms)" != 0 ]; do sleep 0.1; i=$((i + 1)); done
t_check "no VM left after SIGKILL" "0" "$(field vms)"
t_check "no VMID left" "0" "$(field vmids)"
t_check "no stage-2 table left" "0" "$(field s2_tables)"
t_check "no guest page left referenced" "0" "$(field page_refs)"
t_check "no WARN, BUG or hypervisor error in the kernel log" "0" \
	"$(sv_dmesg_since_mark | grep -cE 'WARNING:|BUG:|cut here|splitvisor.*(error|unexpected)')"
t_cmd "rmmod" rmmod splitvisor
t_done
