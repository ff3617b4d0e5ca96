// SPDX-License-Identifier: GPL-2.0
/*
 * TLB maintenance by IPA: what the highvisor asks for after it changed a
 * few stage-2 entries, so that other VMIDs' and this VMID's other entries
 * survive (KVM 6.1: __kvm_tlb_flush_vmid_ipa in hyp/nvhe/tlb.c).
 */
#include "el2.h"
#include "sysreg.h"
#include "stage2.h"

/* A range wider than this is cheaper as one whole-VMID invalidation. */
#define SV_FLUSH_IPA_MAX_PAGES	512

/*
 * x1 = a VTTBR value (its VMID), x2 = first IPA, x3 = number of 4 KiB pages.
 * Every page's stage-2 entries (a block's too: a TLBI by any address in a
 * block removes the block's entry) and then every stage-1 and combined
 * entry of the VMID: those may hold a translation through the old stage-2
 * entry and cannot be invalidated by IPA (ARM ARM D5.10.2, as KVM).
 */
int sv_hc_flush_ipa(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	struct sv_tlb_ctxt cxt = { 0 };
	u64 ipa = regs->x[2] >> 12, n = regs->x[3];

	if (!n || n > SV_FLUSH_IPA_MAX_PAGES || (regs->x[2] >> 48)) {
		regs->x[0] = SV_RET_INVALID;
		return SV_ACT_RETURN;
	}
	/* The highvisor's table updates before the invalidation (D5.10.2). */
	dsb(ishst);
	/* TLBI IPAS2E1IS and VMALLE1IS act on the VMID in VTTBR_EL2. */
	sv_tlb_switch_to_guest(cpu->caps, regs->x[1], &cxt);
	for (; n; n--, ipa++)
		asm volatile("tlbi ipas2e1is, %0" : : "r" (ipa) : "memory");
	/*
	 * The stage-2 invalidation must be complete before the stage-1 one,
	 * or a walk could refill a combined entry from the old stage 2.
	 */
	dsb(ish);
	asm volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
	sv_tlb_switch_to_host(cpu->caps, &cxt);
	regs->x[0] = SV_RET_OK;
	return SV_ACT_RETURN;
}
