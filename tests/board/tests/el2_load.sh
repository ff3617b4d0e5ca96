# shellcheck shell=sh
# Load, ping EL2 on every CPU, unload, load again: split-mode boards.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor
ncpu=$(grep -c '^processor' /proc/cpuinfo)

load_and_ping() {	# $1: which load
	sv_mark
	t_cmd "$1: insmod splitvisor" insmod "$SV_MODULE" || return 1
	t_check "$1: mode" "mode: split" "$(grep '^mode:' $D/status)"
	t_check "$1: EL2 up on every CPU" "$ncpu" "$(grep -c '^cpu[0-9]*: up err=0' $D/status)"
	t_check "$1: ping answered at EL2 by every online CPU" "$ncpu" \
		"$(grep -c '^cpu[0-9]*: ok abi=[0-9]* mpidr=' $D/ping)"
	# Each CPU answers with its own MPIDR: nothing is answered by proxy.
	t_check "$1: each CPU answered with a distinct MPIDR" "$ncpu" \
		"$(sed -n 's/.*mpidr=//p' $D/ping | sort -u | wc -l)"
	t_check "$1: dmesg reports the takeover" "1" \
		"$(sv_dmesg_since_mark | grep -c "EL2 taken over on $ncpu CPUs")"
	grep -q '^image: [0-9]* bytes' $D/status && t_ok "$1: image size reported" ||
		t_fail "$1: image size reported" "$(cat $D/status)"
}

unload() {	# $1: which load
	sv_mark
	t_cmd "$1: rmmod splitvisor" rmmod splitvisor || return 1
	t_check "$1: EL2 handed back to the hyp stub" "1" \
		"$(sv_dmesg_since_mark | grep -c "unloaded; EL2 is back with Linux's hyp stub")"
	t_check "$1: no 'did not come back' errors" "0" \
		"$(sv_dmesg_since_mark | grep -c 'did not come back\|EL2 reset failed')"
}

load_and_ping "first load"
unload "first load"
load_and_ping "second load"
unload "second load"
t_check "module gone" "0" "$(grep -c '^splitvisor ' /proc/modules)"
t_done
