# shellcheck shell=sh
# /dev/splitvisor answers the KVM system ioctls, and a VM keeps the module
# loaded: rmmod fails while a VM exists and works once its VMM is killed.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
t_check "KVM_GET_API_VERSION is 12" "api_version=12" "$(svctl version 2>&1)"
# KVM_CAP_IRQCHIP (0): no in-kernel interrupt controller yet, so 0 (KVM's
# answer for "no"); KVM_CAP_USER_MEMORY (3) is offered.
t_check "unsupported capability answers 0" "cap 0=0" "$(svctl cap 0 2>&1)"
t_check "supported capability answers 1" "cap 3=1" "$(svctl cap 3 2>&1)"
out=$(svctl create-vm 2>&1)
case "$out" in
vm_fd=[0-9]*) t_ok "KVM_CREATE_VM returns a VM fd" ;;
*) t_fail "KVM_CREATE_VM returns a VM fd" "expected 'vm_fd=N', got '$out'" ;;
esac
t_check "no VM left after its VMM exits" "vms: 0" "$(grep '^vms:' $D/status)"

svctl create-vm --hold >/tmp/hold.out 2>&1 &
holder=$!
i=0
while [ $i -lt 50 ] && ! grep -q vm_fd /tmp/hold.out; do sleep 0.1; i=$((i + 1)); done
t_check "a held VM is counted" "vms: 1" "$(grep '^vms:' $D/status)"
out=$(rmmod splitvisor 2>&1)
rc=$?
t_check "rmmod refused while a VM exists" "refused" \
	"$([ $rc -ne 0 ] && echo refused || echo "unloaded: $out")"
t_check "module still there" "1" "$(grep -c '^splitvisor ' /proc/modules)"
kill -9 $holder
wait $holder 2>/dev/null
t_check "VM released when its VMM is SIGKILLed" "vms: 0" "$(grep '^vms:' $D/status)"
t_cmd "rmmod works once the VM is gone" rmmod splitvisor
t_done
