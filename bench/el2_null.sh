# shellcheck shell=sh
# In-board half of `make bench`: the host->EL2 null call (SV_HC_PING) round
# trip, timed by the module (debugfs bench). Prints one "# BENCH" line.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
line=$(cat $D/bench)
case "$line" in
name=hvc_el2_null*) t_ok "hvc_el2_null measured"; echo "# BENCH mode=$(sed -n 's/^mode: //p' $D/status) $line" ;;
*) t_fail "hvc_el2_null measured" "expected 'name=hvc_el2_null ...', got '$line'" ;;
esac
t_check "EL2 counted the calls" "yes" \
	"$(awk '/^cpu0:/ { sub("hcalls=", "", $4); print ($4 >= 256 * 64) ? "yes" : "no: " $4 }' $D/status)"
t_cmd "rmmod splitvisor" rmmod splitvisor
t_done
