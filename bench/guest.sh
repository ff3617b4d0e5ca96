# shellcheck shell=sh
# sv-mem: 1024
# In-board half of `make bench`: the guest micro-benchmarks (microbench
# payload) and the first touch of 512 MiB of guest RAM (memtouch payload)
# under splitvm, on /dev/splitvisor, or on /dev/kvm on a board where KVM
# owns EL2 (sv.refuse=kvm). The board needs 1024 MiB (the sv-mem line
# above, which bench/run also reports): memtouch's guest has 576 MiB of
# RAM and touches 512 MiB of it. Kernel arguments set by bench/run:
#   sv.bench_runs=N     run the payload N times per configuration [1]
#   sv.bench_gic=3|2    the in-kernel vGIC version to ask for [3]
#   sv.bench_sections=1 print the text symbols of /proc/kallsyms (booted
#                       with nokaslr: the kernel's and the module's) and
#                       the module's section addresses, for PROFILE=1
# Each payload run happens twice: with an in-kernel vGIC (splitvm --vgic;
# a hypervisor without one refuses it, which is reported as
# "# BENCHCFG cfg=vgic unavailable ...") and without one. In each, after
# microbench (run with --thp off, so that its stage2_fault row is the
# first touch of a 4 KiB page on every hypervisor), memtouch runs twice:
# --thp off (row touch_512m_4k) and --thp on (touch_512m_thp). Output,
# one "# " line each, for bench/summary.py:
#   HOST thp_enabled=always|madvise|never thp_defrag=...
#   BENCHCFG cfg=vgic|novgic device=... [unavailable reason=...]
#   BENCH cfg=... run=i device=... name=... (the payload's BENCH line)
#   EXITS cfg=... run=i device=... name=... key=delta ... (--exit-stats)
#   MMU cfg=... run=i device=splitvisor name=touch_... s2_page_maps=n
#       s2_block_maps=n (splitvisor's stage-2 maps during that splitvm run)
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
# The THP row is only honest where the host gives huge pages: say what
# the policy is (splitvm --thp on refuses "never").
thp=/sys/kernel/mm/transparent_hugepage
echo "# HOST thp_enabled=$(sed 's/.*\[\(.*\)\].*/\1/' $thp/enabled 2>/dev/null || echo none) thp_defrag=$(sed 's/.*\[\(.*\)\].*/\1/' $thp/defrag 2>/dev/null || echo none)"

# s2 [name]: splitvisor's stage-2 map counters (debugfs status), or
# their change since the last call when a name is given, as an MMU line.
s2_prev=
s2() {
	_now=$(sed -n 's/^\(s2_page_maps\|s2_block_maps\): /\1=/p' \
		/sys/kernel/debug/splitvisor/status | tr '\n' ' ')
	if [ -n "${1:-}" ]; then
		_line=
		for _kv in $_now; do
			_k=${_kv%%=*}
			_was=$(printf '%s\n' "$s2_prev" | tr ' ' '\n' |
				sed -n "s/^$_k=//p")
			_line="$_line $_k=$((${_kv#*=} - ${_was:-0}))"
		done
		echo "# MMU $1$_line"
	fi
	s2_prev=$_now
}

# memtouch cfg run vopt thp: the first touch of 512 MiB, one backing.
memtouch() {
	[ $dev = /dev/kvm ] || s2
	# shellcheck disable=SC2086 # vopt is two words or none
	_out=$(splitvm --device $dev $3 --mem 576 --thp "$4" --exit-stats \
		--timeout 900 --kernel /bin/memtouch.guest 2>&1)
	_rc=$?
	t_check "memtouch --thp $4 on $dev ($1, run $(($2 + 1)) of $runs)" 0 "$_rc"
	[ "$_rc" = 0 ] || t_diag "$_out"
	printf '%s\n' "$_out" | sed -n \
		-e 's/^\(BENCH\|EXITS\) /# \1 cfg='"$1"' run='"$2"' device='"${dev#/dev/}"' /p'
	[ $dev = /dev/kvm ] ||
		s2 "cfg=$1 run=$2 device=${dev#/dev/} name=$(printf '%s\n' "$_out" |
			sed -n 's/^BENCH name=\([^ ]*\) .*/\1/p')"
}

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
		out=$(splitvm --device $dev $vopt --thp off --exit-stats \
			--timeout 900 --kernel /bin/microbench.guest 2>&1)
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
		# Not in the profile boot: the plugin profiles microbench only.
		if [ "$(sv_arg bench_sections)" != 1 ]; then
			memtouch $cfg $i "$vopt" off
			memtouch $cfg $i "$vopt" on
		fi
		i=$((i + 1))
	done
done
[ $dev = /dev/kvm ] || t_cmd "rmmod splitvisor" rmmod splitvisor
t_done
