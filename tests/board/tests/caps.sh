# shellcheck shell=sh
# Per-CPU errata flags and EL2 vectors (debugfs "caps") against the CPU the
# board emulates: a workaround only where the kernel's own MIDR lists put
# it (cpu_errata.c, proton-pack.c), the vectors the kernel's view of
# Spectre-v2 implies. Then every vector kind a test may force is run with
# guests, so the hardened paths execute even where the CPU needs none.
. "$SV_LIB"
D=/sys/kernel/debug/splitvisor

cpuinfo() { sed -n "s/^$1[[:space:]]*: //p" /proc/cpuinfo | head -n 1; }
part=$(cpuinfo "CPU part")
rv=$(( $(cpuinfo "CPU variant") * 16 + $(cpuinfo "CPU revision") ))
v2=$(cut -c1-12 /sys/devices/system/cpu/vulnerabilities/spectre_v2)

t_cmd "insmod splitvisor" insmod "$SV_MODULE" || { t_done; exit 1; }
ncpu=$(grep -c '^processor' /proc/cpuinfo)
t_check "one caps line per CPU" "$ncpu" "$(grep -c '^cpu[0-9]*: midr=' $D/caps)"
line=$(grep '^cpu0: ' $D/caps)
t_diag "CPU part $part, r${rv}: $line"
has() { case "$line" in *" $1 "*) echo yes ;; *) echo no ;; esac; }

case "$part" in
0xd07) spec_at=yes; [ "$rv" -le $((0x12)) ] && e834220=yes || e834220=no ;;
0xd08) spec_at=yes; e834220=no ;;
*) spec_at=no; e834220=no ;;
esac
t_check "speculative-AT workaround (A57 #1319537, A72 #1319367) iff the CPU has it" \
	"$spec_at" "$(has speculative_at)"
t_check "#834220 workaround (A57 r0p0-r1p2) iff the CPU has it" \
	"$e834220" "$(has 834220)"
# No firmware ARCH_WORKAROUND_1 here (QEMU): vulnerable or unaffected, the
# guest vectors are the direct ones, as KVM's on the same host.
case "$v2" in
Mitigation*) t_diag "spectre_v2 mitigated by this host: vectors ${line##*vectors=}" ;;
*) t_check "Spectre-v2 '$v2' on the host: direct vectors for guests" \
	"direct" "$(echo "$line" | sed -n 's/.*vectors=\([a-z_0-9]*\).*/\1/p')" ;;
esac
t_cmd "rmmod" rmmod splitvisor

# Each vector kind with guests in it; the firmware kinds only where the
# firmware answers for them (never on QEMU: then the CPU's own kind stays).
for kind in 1 2 3 0; do
	t_cmd "insmod force_vectors=$kind" insmod "$SV_MODULE" force_vectors=$kind || continue
	got=$(sed -n 's/^cpu0: .*vectors=\([a-z_0-9]*\).*/\1/p' $D/caps)
	case $kind in
	1) t_check "force_vectors=1: the BHB-loop vectors" "bhb_loop" "$got" ;;
	2|3) t_check "force_vectors=$kind without firmware support: refused" \
		"$(echo "$line" | sed -n 's/.*vectors=\([a-z_0-9]*\).*/\1/p')" "$got" ;;
	0) t_check "force_vectors=0: the direct vectors" "direct" "$got" ;;
	esac
	out=$(splitvm --device /dev/splitvisor --kernel /bin/hello.guest --timeout 30 2>&1)
	t_check "vectors $got: a guest runs" "hello from the guest" "$out"
	timeout 300 kvm_s1mmu >/tmp/s1.out 2>&1
	t_check "vectors $got: kvm_s1mmu passes" "0" "$?" || tail -n 20 /tmp/s1.out | sed 's/^/# | /'
	t_cmd "rmmod" rmmod splitvisor
done
t_done
