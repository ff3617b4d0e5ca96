# shellcheck shell=sh
# In-board half of `make bench`: the guest micro-benchmarks (microbench
# payload) under splitvm, on /dev/splitvisor, or on /dev/kvm on a board
# where KVM owns EL2 (sv.refuse=kvm). Kernel arguments set by bench/run:
#   sv.bench_runs=N     run the payload N times per configuration [1]
#   sv.bench_gic=3|2    the in-kernel vGIC version to ask for [3]
#   sv.bench_sections=1 print the text symbols of /proc/kallsyms (booted
#                       with nokaslr: the kernel's and the module's) and
#                       the module's section addresses, for PROFILE=1
# Each payload run happens twice: with an in-kernel vGIC (splitvm --vgic;
# a hypervisor without one refuses it, which is reported as
# "# BENCHCFG cfg=vgic unavailable ...") and without one. Output, one
# "# " line each, for bench/summary.py:
#   BENCHCFG cfg=vgic|novgic device=... [unavailable reason=...]
#   BENCH cfg=... run=i device=... name=... (the payload's BENCH line)
#   EXITS cfg=... run=i device=... name=... key=delta ... (--exit-stats)
#   PROFILE cfg=... run=i window=n name=... ops=n
#   SECTION name=.text addr=0x... (sv.bench_sections=1)
#   KSYM <addr> <type> <name> [module] (sv.bench_sections=1)
. "$SV_LIB"

runs=$(sv_arg bench_runs)
runs=${runs:-1}
gic=$(sv_arg bench_gic)
gic=${gic:-3}
if [ "$(sv_arg refuse)" = kvm ]; then
	dev=/dev/kvm
else
	dev=/dev/splitvisor
	t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
fi
if [ "$(sv_arg bench_sections)" = 1 ]; then
	if [ -d /sys/module/splitvisor/sections ]; then
		for s in /sys/module/splitvisor/sections/.*; do
			[ -f "$s" ] && echo "# SECTION name=${s##*/} addr=$(cat "$s")"
		done
	fi
	awk '$2 ~ /^[tTwW]$/ { print "# KSYM " $0 }' /proc/kallsyms
fi

for cfg in vgic novgic; do
	vopt=
	[ $cfg = novgic ] || vopt="--vgic v$gic"
	i=0
	while [ $i -lt "$runs" ]; do
		# shellcheck disable=SC2086 # vopt is two words or none
		out=$(splitvm --device $dev $vopt --exit-stats --timeout 900 \
			--kernel /bin/microbench.guest 2>&1)
		rc=$?
		if [ $cfg = vgic ] && [ $i = 0 ] && [ $rc != 0 ] &&
			printf '%s\n' "$out" | grep -q KVM_CREATE_DEVICE; then
			why=$(printf '%s\n' "$out" | grep KVM_CREATE_DEVICE | head -n 1)
			echo "# BENCHCFG cfg=$cfg device=${dev#/dev/} unavailable reason=$why"
			t_skip "microbench on $dev with an in-kernel vGICv$gic" "$why"
			break
		fi
		[ $i = 0 ] && echo "# BENCHCFG cfg=$cfg device=${dev#/dev/} gic=v$gic"
		t_check "microbench on $dev ($cfg, run $((i + 1)) of $runs)" 0 "$rc"
		[ "$rc" = 0 ] || t_diag "$out"
		printf '%s\n' "$out" | sed -n \
			-e 's/^\(BENCH\|EXITS\|PROFILE\) /# \1 cfg='$cfg' run='$i' device='"${dev#/dev/}"' /p'
		i=$((i + 1))
	done
done
[ $dev = /dev/kvm ] || t_cmd "rmmod splitvisor" rmmod splitvisor
t_done
