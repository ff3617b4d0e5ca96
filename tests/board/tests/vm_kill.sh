# shellcheck shell=sh
# SIGKILL of VMMs whose vCPUs are running: every stage-2 table, VMID and EL2
# mapping the VMs held comes back, and the module unloads afterwards.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

field() { sed -n "s/^$1: *\([0-9]*\).*/\1/p" $D/status; }
# EL2-mapped pages that are not page tables (tables stay until unload).
el2_data() { sed -n 's/^el2_pages: \([0-9]*\) (\([0-9]*\) of them tables)/\1 \2/p' $D/status |
	{ read -r all tables; echo $((all - tables)); }; }

t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
el2_base=$(el2_data)

pids=
for i in 1 2 3; do
	splitvm --device /dev/splitvisor --kernel /bin/spin.guest >/dev/null 2>&1 &
	pids="$pids $!"
done
i=0
while [ $i -lt 100 ] && [ "$(field vms)" != 3 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
t_check "three VMMs running" "3" "$(field vms)"
t_check "three VMIDs in use" "3" "$(field vmids)"
tables=$(field s2_tables)
t_check "their guests have stage-2 tables" "yes" "$([ "${tables:-0}" -gt 0 ] && echo yes || echo "no: $tables")"
# One page of EL2-mapped vCPU state per VM (in VHE mode, not mapped: the
# kernel is EL2).
t_check "EL2 maps one vCPU page per VM" "$((el2_base + 3))" "$(el2_data)"
t_check "rmmod refused while they run" "refused" \
	"$(rmmod splitvisor 2>/dev/null && echo unloaded || echo refused)"

for p in $pids; do kill -9 "$p"; done
for p in $pids; do wait "$p" 2>/dev/null; done
t_check "no VM left after SIGKILL" "0" "$(field vms)"
t_check "no VMID left" "0" "$(field vmids)"
t_check "no stage-2 table left" "0" "$(field s2_tables)"
t_check "no guest page left referenced" "0" "$(field page_refs)"
t_check "EL2 mappings back to the module's own" "$el2_base" "$(el2_data)"
t_check "EL2 fine afterwards: every CPU pings" "$(grep -c '^processor' /proc/cpuinfo)" \
	"$(grep -c '^cpu[0-9]*: \(ok abi=\|vhe kernel at EL2\)' $D/ping)"
sv_mark
t_cmd "rmmod" rmmod splitvisor
t_check "no EL2 page left allocated" "0" \
	"$(sv_dmesg_since_mark | grep -c 'EL2 pages still allocated')"
t_done
