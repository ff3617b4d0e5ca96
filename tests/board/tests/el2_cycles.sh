# shellcheck shell=sh
# 50 load/unload cycles: every one must bring EL2 up and down on all CPUs,
# and the memory the module takes must all come back.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor
ncpu=$(grep -c '^processor' /proc/cpuinfo)
CYCLES=$(sv_arg cycles); CYCLES=${CYCLES:-50}
# The module counts every page it gives EL2 and says at unload if any is
# left: that is the exact check. MemFree and slab catch gross leaks outside
# that accounting. Their noise is large: MemFree moved by up to 6 MB either
# way over 50 cycles on 6.12 with 4 CPUs (per-CPU free lists), slab by a
# few hundred kB (module loader, sysfs, debugfs caches), so the bounds are
# loose on purpose.
SLACK_KB=8192
SLAB_SLACK_KB=512

meminfo() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }
# drop_caches empties the page cache; compaction also drains the per-CPU
# free lists, which MemFree does not count and which hold megabytes.
settle() { sync; echo 3 > /proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/compact_memory; sleep 1; }

# Warm-up cycles first: the module loader's and sysfs/debugfs slab caches
# grow over the first loads and then stay put; that is not ours to count.
for i in 1 2 3 4 5 6 7 8 9 10; do insmod "$SV_MODULE" && rmmod splitvisor; done
settle
settle
free0=$(meminfo MemFree); slab0=$(meminfo SUnreclaim)
sv_mark

bad=0
i=0
while [ $i -lt $CYCLES ]; do
	i=$((i + 1))
	if ! insmod "$SV_MODULE"; then
		bad="cycle $i: insmod failed"; break
	fi
	up=$(grep -c '^cpu[0-9]*: ok abi=[0-9]*' $D/ping)
	if [ "$up" != "$ncpu" ]; then
		bad="cycle $i: $up of $ncpu CPUs answered the ping"; rmmod splitvisor; break
	fi
	if ! rmmod splitvisor; then
		bad="cycle $i: rmmod failed"; break
	fi
done
t_check "$CYCLES load/ping/unload cycles" "0" "$bad"
log=$(sv_dmesg_since_mark)
t_check "every unload handed EL2 back" "$CYCLES" \
	"$(echo "$log" | grep -c "unloaded; EL2 is back with Linux's hyp stub")"
t_check "no unload left EL2 pages allocated" "0" \
	"$(echo "$log" | grep -c 'EL2 pages still allocated')"

settle
free1=$(meminfo MemFree); slab1=$(meminfo SUnreclaim)
lost=$((free0 - free1))
t_diag "MemFree before $free0 kB, after $free1 kB; SUnreclaim before $slab0 kB, after $slab1 kB"
if [ "$lost" -le "$SLACK_KB" ]; then
	t_ok "MemFree back within $SLACK_KB kB after $CYCLES cycles (lost $lost kB)"
else
	t_fail "MemFree back within $SLACK_KB kB after $CYCLES cycles" \
		"expected at most $SLACK_KB kB less, got $lost kB less"
fi
grew=$((slab1 - slab0))
if [ "$grew" -le "$SLAB_SLACK_KB" ]; then
	t_ok "unreclaimable slab back within $SLAB_SLACK_KB kB (grew $grew kB)"
else
	t_fail "unreclaimable slab back within $SLAB_SLACK_KB kB" \
		"expected at most $SLAB_SLACK_KB kB growth, got $grew kB"
fi
t_done
