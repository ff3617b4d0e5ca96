# shellcheck shell=sh
# Boards where splitvisor must refuse to load: sv.refuse=kvm (KVM owns EL2)
# or sv.refuse=noel2 (no EL2 at all). Clear message, meaningful errno, no
# oops (the runner checks the log), and the host keeps working.
. "$SV_LIB"
why=$(sv_arg refuse)

case "$why" in
kvm)	errno="Device or resource busy"
	# 6.1: KVM idles with the stub in EL2, found by its debugfs export;
	# 6.12: KVM holds EL2 from boot, found by the EL2 probe.
	msg="(KVM is initialised and takes EL2 whenever it runs a VM|EL2 is not Linux's hyp stub \(it answered 0x[0-9a-f]*\): is KVM using it\?) Boot with kvm-arm.mode=none|KVM is initialised and takes EL2 whenever it runs a VM: boot with kvm-arm.mode=none" ;;
noel2)	errno="No such device"
	msg="EL2 is not implemented on this CPU" ;;
*)	t_fail "sv.refuse= names the case" "expected kvm or noel2, got '$why'"; t_done; exit 1 ;;
esac

sv_mark
out=$(insmod "$SV_MODULE" 2>&1)
rc=$?
t_check "insmod fails" "1" "$([ $rc -ne 0 ] && echo 1 || echo 0)"
case "$out" in
*"$errno"*) t_ok "insmod says '$errno'" ;;
*) t_fail "insmod says '$errno'" "expected '$errno', got '$out'" ;;
esac
n=$(sv_dmesg_since_mark | grep -cE "splitvisor: .*($msg)")
t_check "dmesg explains why" "yes" "$([ "$n" -ge 1 ] && echo yes || echo "no ($n lines)")"
t_check "nothing loaded" "0" "$(grep -c '^splitvisor ' /proc/modules)"
if [ "$why" = kvm ]; then
	# KVM's EL2 was only asked a question it answers harmlessly.
	t_check "KVM still owns EL2 and works (/dev/kvm answers)" "1" \
		"$([ -c /dev/kvm ] && echo 1 || echo 0)"
	t_check "no 'hyp panic' or KVM errors" "0" \
		"$(sv_dmesg_since_mark | grep -ci 'hyp panic\|kvm.*error')"
fi
t_done
