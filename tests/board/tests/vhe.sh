# shellcheck shell=sh
# A kernel running at EL2 (VHE): the module loads in VHE mode and says so.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

sv_mark
t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
t_check "status says VHE mode" "mode: vhe" "$(grep '^mode:' $D/status)"
t_check "dmesg says VHE mode" "1" \
	"$(sv_dmesg_since_mark | grep -c 'kernel runs at EL2 (VHE): loaded in VHE mode')"
t_check "every CPU reports the kernel at EL2" "$(grep -c '^processor' /proc/cpuinfo)" \
	"$(grep -c '^cpu[0-9]*: vhe' $D/ping)"
t_cmd "rmmod splitvisor" rmmod splitvisor
t_done
