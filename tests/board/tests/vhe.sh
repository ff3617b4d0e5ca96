# shellcheck shell=sh
# A kernel running at EL2 (VHE): the module loads in VHE mode and says so;
# kvm_tests.sh and vmm.sh then run guests in that mode.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

sv_mark
t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
t_check "status says VHE mode" "mode: vhe" "$(grep '^mode:' $D/status)"
t_check "dmesg says VHE mode" "1" \
	"$(sv_dmesg_since_mark | grep -c 'kernel runs at EL2 (VHE): loaded in VHE mode')"
t_check "every CPU reports the kernel at EL2" "$(grep -c '^processor' /proc/cpuinfo)" \
	"$(grep -c '^cpu[0-9]*: vhe' $D/ping)"
t_check "KVM_GET_API_VERSION answers in VHE mode" "api_version=12" "$(svctl version 2>&1)"
t_check "every CPU has its workarounds worked out" "$(grep -c '^processor' /proc/cpuinfo)" \
	"$(grep -c '^cpu[0-9]*: midr=' $D/caps)"
# A CPU that goes offline and comes back gets its workarounds again, and
# runs a guest (the per-CPU state of VHE mode comes from a hotplug
# callback).
if [ -e /sys/devices/system/cpu/cpu1/online ]; then
	echo 0 >/sys/devices/system/cpu/cpu1/online
	echo 1 >/sys/devices/system/cpu/cpu1/online
	t_check "cpu1 back online" "1" "$(cat /sys/devices/system/cpu/cpu1/online)"
	t_check "a guest runs on cpu1" "hello from the guest" \
		"$(taskset -c 1 splitvm --kernel /bin/hello.guest --timeout 30 2>&1)"
else
	t_skip "CPU hotplug" "one CPU"
fi
# The guests themselves: kvm_tests.sh and vmm.sh on this board.
t_done
