# shellcheck shell=sh
# A lowvisor whose ABI revision does not match is refused before EL2 is
# touched (expect_abi= makes the module expect another revision).
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

# ENOEXEC: busybox words it "invalid module format".
sv_insmod_refused "Exec format error|invalid module format" \
	"ABI revision does not match the module \(module expects 999\)" \
	expect_abi=999
t_cmd "a matching module loads afterwards" insmod "$SV_MODULE"
t_check "and pings" "$(grep -c '^processor' /proc/cpuinfo)" \
	"$(grep -c '^cpu[0-9]*: ok abi=[0-9]*' $D/ping)"
t_cmd "rmmod" rmmod splitvisor
t_done
