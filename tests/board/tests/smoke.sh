# shellcheck shell=sh
# Board smoke test: the kernel booted where and how the board says.
# Expectations come from the kernel command line (set by tests/board/run):
#   sv.expect_el=1|2  exception level the CPUs must start at; defaults to
#                     2 if sv.virt=on, 1 if sv.virt=off
#   sv.smp=N          configured CPU count
#   sv.gic=2|3        configured GIC version
#   sv.expect_vhe=1   the kernel must run at EL2 with VHE (otherwise, when
#                     EL2 is expected, it must not: ARMv8.0 boards)
# shellcheck source=/dev/null
. /tests/lib.sh

t_diag "kernel $(uname -r) booted to /init"

expect_el=$(sv_arg expect_el)
if [ -z "$expect_el" ]; then
	case "$(sv_arg virt)" in
	off) expect_el=1 ;;
	*) expect_el=2 ;;
	esac
fi
el_line=$(dmesg | grep -o 'CPU: All CPU(s) started at EL[0-9]\|CPU: CPUs started in inconsistent modes')
case "$expect_el" in
2)
	case "$el_line" in
	*"started at EL2"*) t_ok "all CPUs started at EL2" ;;
	*) t_fail "all CPUs started at EL2" "dmesg says: '${el_line:-nothing}'" ;;
	esac
	;;
*)
	case "$el_line" in
	*"started at EL1"* | "") t_ok "CPUs started at EL1 (no EL2)" ;;
	*) t_fail "CPUs started at EL1 (no EL2)" "dmesg says: '$el_line'" ;;
	esac
	;;
esac
vhe_line=$(dmesg | grep -o 'CPU features: detected: Virtualization Host Extensions')
if [ "$(sv_arg expect_vhe)" = 1 ]; then
	if [ -n "$vhe_line" ]; then
		t_ok "kernel uses VHE"
	else
		t_fail "kernel uses VHE" "no 'Virtualization Host Extensions' in dmesg"
	fi
elif [ "$expect_el" = 2 ]; then
	if [ -z "$vhe_line" ]; then
		t_ok "kernel does not use VHE (nVHE: EL2 is free)"
	else
		t_fail "kernel does not use VHE (nVHE: EL2 is free)" "dmesg: $vhe_line"
	fi
fi
t_diag "$(dmesg | grep -e 'kvm \[' -e 'Virtualization Host' -e 'started at EL' |
	sed 's/^\[[^]]*\] //')"

smp=$(sv_arg smp)
if [ -n "$smp" ]; then
	t_check "nproc equals configured SMP" "$smp" "$(nproc)"
	online=$(cat /sys/devices/system/cpu/online)
	if [ "$smp" -gt 1 ]; then
		t_check "online CPUs are 0-$((smp - 1))" "0-$((smp - 1))" "$online"
	else
		t_check "online CPUs are 0" "0" "$online"
	fi
else
	t_skip "nproc equals configured SMP" "no sv.smp on the command line"
fi

gic=$(sv_arg gic)
case "$gic" in
3) want=GICv3 ;;
2) want='GICv2\|GIC-0' ;;
*) want= ;;
esac
if [ -n "$want" ]; then
	if grep -q "$want" /proc/interrupts; then
		t_ok "interrupt controller is GICv$gic"
	else
		t_fail "interrupt controller is GICv$gic" \
			"no '$want' in /proc/interrupts: $(head -n 3 /proc/interrupts | tail -n 1)"
	fi
else
	t_skip "interrupt controller matches board" "no sv.gic on the command line"
fi

t_done
