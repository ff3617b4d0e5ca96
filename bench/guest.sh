# shellcheck shell=sh
# In-board half of `make bench`: the guest micro-benchmarks (microbench
# payload) under splitvm, on /dev/splitvisor, or on /dev/kvm on a board
# where KVM owns EL2 (sv.refuse=kvm). Prints the payload's BENCH lines and,
# on splitvisor, the exit counters the run added, as "# EXITS key=delta".
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

if [ "$(sv_arg refuse)" = kvm ]; then
	dev=/dev/kvm
else
	dev=/dev/splitvisor
	t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
fi
before=$(cat $D/exits 2>/dev/null)
out=$(splitvm --device $dev --timeout 900 --kernel /bin/microbench.guest 2>&1)
rc=$?
after=$(cat $D/exits 2>/dev/null)
t_check "microbench on $dev" "0" "$rc"
printf '%s\n' "$out" | sed -n 's/^BENCH /# BENCH device='"${dev#/dev/}"' /p'
[ "$rc" = 0 ] || t_diag "$out"
if [ -n "$after" ]; then
	printf '%s\n--\n%s\n' "$before" "$after" | awk -F': ' '
		$0 == "--" { after = 1; next }
		!after { b[$1] = $2; next }
		{ printf "# EXITS %s=%d\n", $1, $2 - b[$1] }'
	t_cmd "rmmod splitvisor" rmmod splitvisor
fi
t_done
