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
	msg="KVM is initialised and takes EL2 whenever it runs a VM: boot with kvm-arm.mode=none|EL2 is not Linux's hyp stub \(it answered 0x[0-9a-f]*\): is KVM using it\? Boot with kvm-arm.mode=none" ;;
noel2)	errno="No such device"
	msg="EL2 is not implemented on this CPU" ;;
*)	t_fail "sv.refuse= names the case" "expected kvm or noel2, got '$why'"; t_done; exit 1 ;;
esac

sv_insmod_refused "$errno" "$msg"
if [ "$why" = kvm ]; then
	# KVM's EL2 was only asked a question it answers harmlessly: KVM
	# still creates a VM (on 6.1 that is when it takes EL2).
	out=$(svctl --device /dev/kvm create-vm 2>&1)
	case "$out" in
	vm_fd=[0-9]*) t_ok "KVM still works: KVM_CREATE_VM on /dev/kvm" ;;
	*) t_fail "KVM still works: KVM_CREATE_VM on /dev/kvm" "expected 'vm_fd=N', got '$out'" ;;
	esac
	t_check "no 'hyp panic' or KVM errors" "0" \
		"$(sv_dmesg_since_mark | grep -ci 'hyp panic\|kvm.*error')"
fi
t_done
