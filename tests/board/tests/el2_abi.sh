# shellcheck shell=sh
# A lowvisor whose ABI revision does not match is refused before EL2 is
# touched (expect_abi= makes the module expect another revision).
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

sv_mark
out=$(insmod "$SV_MODULE" expect_abi=999 2>&1)
rc=$?
t_check "insmod with a mismatched ABI fails" "1" "$([ $rc -ne 0 ] && echo 1 || echo 0)"
# ENOEXEC: busybox words it "invalid module format".
case "$out" in
*"Exec format error"* | *"invalid module format"*) t_ok "insmod fails with ENOEXEC" ;;
*) t_fail "insmod fails with ENOEXEC" "expected 'Exec format error' or 'invalid module format', got '$out'" ;;
esac
# busybox tries finit_module and then init_module: one line per attempt.
n=$(sv_dmesg_since_mark | grep -c 'ABI revision does not match the module (module expects 999)')
t_check "dmesg names the mismatch" "yes" "$([ "$n" -ge 1 ] && echo yes || echo "no ($n lines)")"
t_check "nothing loaded" "0" "$(grep -c '^splitvisor ' /proc/modules)"
t_cmd "a matching module loads afterwards" insmod "$SV_MODULE"
t_check "and pings" "$(grep -c '^processor' /proc/cpuinfo)" \
	"$(grep -c '^cpu[0-9]*: ok abi=1' $D/ping)"
t_cmd "rmmod" rmmod splitvisor
t_done
