# shellcheck shell=sh
# An exception taken at EL2 on purpose (SV_HC_TEST_FAULT loads from an
# unmapped EL2 address) comes back to the host as a report, on every CPU.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor
ncpu=$(grep -c '^processor' /proc/cpuinfo)

t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
cpu=0
while [ $cpu -lt "$ncpu" ]; do
	sv_mark
	t_cmd "cpu$cpu: EL2 fault returns to the host" sh -c "echo $cpu > $D/fault"
	line=$(sv_dmesg_since_mark | grep "CPU$cpu: test fault: exception at EL2")
	# EC 0x25: data abort taken without a change in exception level.
	case "$line" in
	*"(EC 0x25) ELR_EL2=lowvisor+0x"*"FAR_EL2=0xfffffffff000"*)
		t_ok "cpu$cpu: dmesg reports ESR (EC 0x25), ELR and FAR" ;;
	*)	t_fail "cpu$cpu: dmesg reports ESR (EC 0x25), ELR and FAR" \
			"expected 'CPU$cpu: test fault: exception at EL2 ... (EC 0x25) ... FAR_EL2=0xfffffffff000', got '$line'" ;;
	esac
	t_check "cpu$cpu: fault record" "cpu$cpu: count=1 vector=4" \
		"$(grep "^cpu$cpu:" $D/fault | cut -d' ' -f1-3)"
	t_check "cpu$cpu: still pings after the fault" "1" \
		"$(grep -c "^cpu$cpu: ok abi=[0-9]*" $D/ping)"
	cpu=$((cpu + 1))
done
sv_mark
t_cmd "a bad CPU number is refused" sh -c "! echo 99 > $D/fault"
t_cmd "rmmod after faults" rmmod splitvisor
t_check "EL2 handed back" "1" \
	"$(sv_dmesg_since_mark | grep -c "EL2 is back with Linux's hyp stub")"
t_done
