// SPDX-License-Identifier: GPL-2.0
/*
 * TLB maintenance by IPA: what the highvisor asks for after it changed a
 * few stage-2 entries, so that other VMIDs' and this VMID's other entries
 * survive (KVM 6.1: __kvm_tlb_flush_vmid_ipa in hyp/nvhe/tlb.c).
 */
#include "el2.h"
#include "tlb.h"

/*
 * x1 = a VTTBR value (its VMID), x2 = first IPA, x3 = number of 4 KiB pages.
 * Every page's stage-2 entries (a block's too: a TLBI by any address in a
 * block removes the block's entry) and then every stage-1 and combined
 * entry of the VMID: those may hold a translation through the old stage-2
 * entry and cannot be invalidated by IPA (ARM ARM D5.10.2, as KVM).
 */
int sv_hc_flush_ipa(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	u64 n = regs->x[3];

	if (!n || n > SV_FLUSH_IPA_MAX_PAGES || (regs->x[2] >> 48)) {
		regs->x[0] = SV_RET_INVALID;
		return SV_ACT_RETURN;
	}
	sv_tlb_flush_ipa(cpu->caps, regs->x[1], regs->x[2] >> 12, n);
	regs->x[0] = SV_RET_OK;
	return SV_ACT_RETURN;
}
