# shellcheck shell=sh
# 50 load/unload cycles: every one must bring EL2 up and down on all CPUs,
# and the memory the module takes must all come back.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor
ncpu=$(grep -c '^processor' /proc/cpuinfo)
CYCLES=50
# A leak of one page per CPU per cycle would be $CYCLES * ncpu * 4 KiB.
SLACK_KB=512

meminfo() { sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo; }
settle() { sync; echo 3 > /proc/sys/vm/drop_caches; sleep 1; }

# One warm-up cycle so that first-use allocations are not counted.
insmod "$SV_MODULE" && rmmod splitvisor
settle
free0=$(meminfo MemFree); slab0=$(meminfo SUnreclaim)

bad=0
i=0
while [ $i -lt $CYCLES ]; do
	i=$((i + 1))
	if ! insmod "$SV_MODULE"; then
		bad="cycle $i: insmod failed"; break
	fi
	up=$(grep -c '^cpu[0-9]*: ok abi=1' $D/ping)
	if [ "$up" != "$ncpu" ]; then
		bad="cycle $i: $up of $ncpu CPUs answered the ping"; rmmod splitvisor; break
	fi
	if ! rmmod splitvisor; then
		bad="cycle $i: rmmod failed"; break
	fi
done
t_check "$CYCLES load/ping/unload cycles" "0" "$bad"

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
if [ "$grew" -le 128 ]; then
	t_ok "unreclaimable slab back within 128 kB (grew $grew kB)"
else
	t_fail "unreclaimable slab back within 128 kB" "expected <= 128 kB growth, got $grew kB"
fi
t_done
