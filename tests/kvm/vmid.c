// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_vmid: more VMs than there are VMIDs, all alive at once.
 *
 * NR_VMS VMs (8-bit VMIDs: 255 for guests) each store a value of their own
 * in their RAM at the same IPA, then keep reading it back and reporting it.
 * The host runs every VM once per round, for several rounds: each round
 * needs more VMIDs than exist, so VMIDs start over (splitvisor: a new
 * generation, every guest TLB entry flushed) at least once per round, and
 * a VM that ever saw another VM's memory through a stale translation
 * would report the wrong value. On splitvisor the debugfs rollover count
 * must have moved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define NR_VMS		300
#define ROUNDS		3
#define VMID_IO		0x12000000	/* [x9]: the value read back */
#define STATUS		"/sys/kernel/debug/splitvisor/status"

/* x1 = this VM's value. */
asm(HX_GUEST_BEGIN
"	.globl	vmid_main\n"
"vmid_main:\n"
"	ldr	x9, =" HX_XSTR(VMID_IO) "\n"
"	ldr	x3, =" HX_XSTR(HX_DATA) "\n"
"	str	x1, [x3]\n"
"1:	ldr	x4, [x3]\n"
"	str	x4, [x9]\n"
"	b	1b\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(vmid_main);

struct vmid_vm {
	struct hx_vm vm;
	struct hx_vcpu v;
	u64 seen;
};

static long vmid_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		      void *p)
{
	struct vmid_vm *g = p;

	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.phys_addr != VMID_IO)
		return -2;
	g->seen = hx_mmio_data(run);
	return 1;
}

/* "vmids: N (rollovers M)" from splitvisor's debugfs; -1 if absent. */
static long vmid_rollovers(void)
{
	FILE *f = fopen(STATUS, "r");
	char line[128];
	long n = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "vmids: %*u (rollovers %ld)", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

static u64 value_of(int i)
{
	return 0x564d494400000000ULL | (u64)i;	/* "VMID" | i */
}

int main(int argc, char **argv)
{
	struct vmid_vm *g = calloc(NR_VMS, sizeof(*g));
	long before = vmid_rollovers();
	char buf[256];
	struct hx_stop st;
	int i, r, made = 0, bad;

	hx_init(argc, argv, "kvm_vmid", NULL);
	for (i = 0; g && i < NR_VMS; i++, made++) {
		if (hx_vm_create(&g[i].vm))
			break;
		if (hx_vcpu_create(&g[i].vm, &g[i].v, 0) ||
		    hx_vcpu_start(&g[i].v, vmid_main) ||
		    hx_set_reg(&g[i].v, HX_REG_X(1), value_of(i))) {
			hx_vm_destroy(&g[i].vm);
			break;
		}
	}
	if (!tap_check(made == NR_VMS, "%d VMs with a vCPU each, alive at once",
		       NR_VMS)) {
		tap_diag("expected %d, got %d", NR_VMS, made);
		return tap_done();
	}

	for (r = 0; r < ROUNDS; r++) {
		bad = -1;
		for (i = 0; i < NR_VMS; i++) {
			g[i].seen = 0;
			hx_run(&g[i].v, vmid_exit, &g[i], &st);
			if (st.kind != HX_STOP_USER || g[i].seen != value_of(i)) {
				bad = i;
				break;
			}
		}
		if (!tap_check(bad < 0,
			       "round %d: each of the %d VMs reads back only its own memory",
			       r, NR_VMS)) {
			tap_diag("VM %d: expected 0x%llx, got 0x%llx (%s)", bad,
				 (unsigned long long)value_of(bad),
				 (unsigned long long)g[bad].seen,
				 hx_stop_str(&g[bad].v, &st, buf, sizeof(buf)));
			break;
		}
	}

	if (hx_is_kvm) {
		tap_skip("KVM manages its own VMIDs", "VMIDs started over");
	} else {
		long after = vmid_rollovers();

		if (!tap_check(before >= 0 && after >= before + ROUNDS,
			       "VMIDs started over at least once per round"))
			tap_diag("expected at least %ld rollovers, got %ld (before %ld)",
				 before + ROUNDS, after, before);
	}
	for (i = 0; i < NR_VMS; i++) {
		hx_vcpu_destroy(&g[i].v);
		hx_vm_destroy(&g[i].vm);
	}
	free(g);
	return tap_done();
}
