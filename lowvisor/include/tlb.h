/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guests' TLB maintenance, in KVM's sequences (hyp/nvhe/tlb.c and
 * hyp/vhe/tlb.c): the split-mode image runs them for a host call, a VHE
 * build as plain calls (interrupts off: stage2.h). The highvisor's table
 * updates are visible to the walkers before a TLBI (DSB ISHST), and a
 * broadcast one is complete on every CPU before the call returns (DSB
 * ISH, ISB); ARM ARM D5.10.2.
 */
#ifndef SV_LOWVISOR_TLB_H
#define SV_LOWVISOR_TLB_H

#include "splitvisor_abi.h"
#include "sysreg.h"
#include "stage2.h"

#define sv_tlbi(op)	({ asm volatile("tlbi " op : : : "memory"); })

/* Stage-1 and stage-2 TLB entries of one VMID, every CPU. */
static inline void sv_tlb_flush_vmid(u64 caps, u64 vttbr)
{
	struct sv_tlb_ctxt cxt = { 0 };

	dsb(ishst);
	/* TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2. */
	sv_tlb_switch_to_guest(caps, vttbr, &cxt);
	sv_tlbi("vmalls12e1is");
	dsb(ish);
	isb();
	sv_tlb_switch_to_host(caps, &cxt);
}

/*
 * This CPU only: a different vCPU of the same VM (same VMID) is about to
 * run here, and must not hit the stage-1 entries or stale instructions of
 * the one that ran before (KVM's __kvm_flush_cpu_context(), called for
 * the last-vCPU-ran rule).
 */
static inline void sv_tlb_flush_cpu_ctxt(u64 caps, u64 vttbr)
{
	struct sv_tlb_ctxt cxt = { 0 };

	sv_tlb_switch_to_guest(caps, vttbr, &cxt);
	sv_tlbi("vmalle1");
	asm volatile("ic iallu");
	dsb(nsh);
	isb();
	sv_tlb_switch_to_host(caps, &cxt);
}

/*
 * Stage-2 entries of n pages from IPA page number ipa_pn on, and the
 * VMID's combined stage-1+2 ones, every CPU (KVM 6.1's
 * __kvm_tlb_flush_vmid_ipa()). 1 <= n <= SV_FLUSH_IPA_MAX_PAGES.
 */
static inline void sv_tlb_flush_ipa(u64 caps, u64 vttbr, u64 ipa_pn, u64 n)
{
	struct sv_tlb_ctxt cxt = { 0 };

	dsb(ishst);
	/* TLBI IPAS2E1IS and VMALLE1IS act on the VMID in VTTBR_EL2. */
	sv_tlb_switch_to_guest(caps, vttbr, &cxt);
	for (; n; n--, ipa_pn++)
		asm volatile("tlbi ipas2e1is, %0" : : "r" (ipa_pn) : "memory");
	/*
	 * The stage-2 invalidation must be complete before the stage-1 one,
	 * or a walk could refill a combined entry from the old stage 2.
	 */
	dsb(ish);
	sv_tlbi("vmalle1is");
	dsb(ish);
	isb();
	sv_tlb_switch_to_host(caps, &cxt);
}

/*
 * Every guest's TLB entries: the VMID space starts over. No I-cache
 * maintenance: VIPT and PIPT I-caches do not tag lines by VMID; only a
 * VPIPT one would (CTR_EL0.L1Ip), and no ARMv8.0 core has one. ALLE1IS
 * means the EL1&0 regime whatever HCR_EL2.TGE says, so VHE needs no
 * switch either (KVM's __kvm_flush_vm_context()).
 */
static inline void sv_tlb_flush_guests(void)
{
	dsb(ishst);
	sv_tlbi("alle1is");
	dsb(ish);
	isb();
}

#endif
