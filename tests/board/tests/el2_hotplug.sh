# shellcheck shell=sh
# CPU offline/online while loaded: EL2 is handed back on the way down and
# taken again (and pings) on the way up.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor
C=/sys/devices/system/cpu
ncpu=$(grep -c '^processor' /proc/cpuinfo)

if [ "$ncpu" -lt 2 ]; then
	t_skip "CPU hotplug" "needs 2 CPUs"; t_done; exit 0
fi
last=$((ncpu - 1))
t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }

for cpu in 1 "$last"; do
	t_cmd "cpu$cpu offline" sh -c "echo 0 > $C/cpu$cpu/online"
	t_check "cpu$cpu: EL2 given back when it went offline" "cpu$cpu: down err=0" \
		"$(grep "^cpu$cpu:" $D/status | cut -d' ' -f1-3)"
	t_check "the other CPUs still ping" "$((ncpu - 1))" \
		"$(grep -c '^cpu[0-9]*: ok abi=[0-9]*' $D/ping)"
	t_cmd "cpu$cpu online" sh -c "echo 1 > $C/cpu$cpu/online"
	t_check "cpu$cpu: EL2 up again" "cpu$cpu: up err=0" \
		"$(grep "^cpu$cpu:" $D/status | cut -d' ' -f1-3)"
	t_check "cpu$cpu: ping from the re-onlined CPU" "1" \
		"$(grep -c "^cpu$cpu: ok abi=[0-9]*" $D/ping)"
done

# Offline while loaded, unload, online: the CPU comes back with the stub
# and a fresh load takes it like any other.
t_cmd "cpu1 offline" sh -c "echo 0 > $C/cpu1/online"
t_cmd "rmmod with cpu1 offline" rmmod splitvisor
t_cmd "cpu1 online without splitvisor" sh -c "echo 1 > $C/cpu1/online"
t_cmd "insmod again" insmod "$SV_MODULE"
t_check "all CPUs ping" "$ncpu" "$(grep -c '^cpu[0-9]*: ok abi=[0-9]*' $D/ping)"
t_cmd "rmmod" rmmod splitvisor
t_done
