/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a stage 2 (VTCR_EL2, VTTBR_EL2), for running a guest and for
 * TLB maintenance by VMID, with the speculative-AT sequence KVM uses
 * around the VMID switch (hyp/nvhe/tlb.c). Shared by the split-mode image
 * and the VHE build.
 */
#ifndef SV_LOWVISOR_STAGE2_H
#define SV_LOWVISOR_STAGE2_H

#include "splitvisor_abi.h"
#include "sysreg.h"

static inline void sv_load_stage2(u64 vtcr, u64 vttbr, u64 caps)
{
	write_sysreg(vtcr, vtcr_el2);
	write_sysreg(vttbr, vttbr_el2);
	/*
	 * With the speculative-AT errata the new stage 2 must really be in
	 * place before anything switches to the guest's EL1&0 regime (KVM's
	 * __load_stage2(), ARM64_WORKAROUND_SPECULATIVE_AT).
	 */
	if (caps & SV_CAP_WA_SPECULATIVE_AT)
		isb();
}

/* The host runs without stage 2: VMID 0, no tables. */
static inline void sv_load_host_stage2(void)
{
	write_sysreg(0, vttbr_el2);
}

#ifdef SV_VHE
/*
 * VHE mode: the kernel runs with HCR_EL2.{E2H,TGE} = {1,1}, where
 * TLBI ...E1 would act on its own EL2&0 regime, so TGE is cleared around
 * them (E2H cannot change under a running kernel); the caller has
 * interrupts off. With the speculative-AT errata (A76 #1165522, A55
 * #1530923) the EL1&0 regime the last guest left is not trusted while TGE
 * is clear: no walks (EPD0|EPD1), stage 1 on, and stage 2 in place
 * before TGE changes (KVM's hyp/vhe/tlb.c).
 */
struct sv_tlb_ctxt {
	u64 hcr, tcr, sctlr;
};

static inline void sv_tlb_switch_to_guest(u64 caps, u64 vttbr,
					  struct sv_tlb_ctxt *cxt)
{
	if (caps & SV_CAP_WA_SPECULATIVE_AT) {
		cxt->tcr = read_sysreg_el1(tcr);
		write_sysreg_el1(cxt->tcr | TCR_EPD0 | TCR_EPD1, tcr);
		cxt->sctlr = read_sysreg_el1(sctlr);
		write_sysreg_el1(cxt->sctlr | SCTLR_ELX_M, sctlr);
	}
	write_sysreg(vttbr, vttbr_el2);
	if (caps & SV_CAP_WA_SPECULATIVE_AT)
		isb();
	cxt->hcr = read_sysreg(hcr_el2);
	write_sysreg(cxt->hcr & ~HCR_TGE, hcr_el2);
	/* The new VMID and TGE in effect before the TLBI (D5.10.2). */
	isb();
}

static inline void sv_tlb_switch_to_host(u64 caps, struct sv_tlb_ctxt *cxt)
{
	sv_load_host_stage2();
	write_sysreg(cxt->hcr, hcr_el2);
	isb();
	if (caps & SV_CAP_WA_SPECULATIVE_AT) {
		write_sysreg_el1(cxt->tcr, tcr);
		write_sysreg_el1(cxt->sctlr, sctlr);
	}
}
#else
struct sv_tlb_ctxt {
	u64 tcr;
};

/*
 * Make vttbr's VMID current so TLBI ...E1IS act on it, while the host's
 * EL1&0 regime stays live. On CPUs with the speculative-AT erratum
 * (A57 #1319537, A72 #1319367) a speculative host stage-1 walk with the
 * guest's VMID in VTTBR_EL2 would fill the TLB with host translations
 * tagged as the guest's: EPD0|EPD1 stop those walks first (the host's
 * SCTLR_EL1.M is set, so TCR alone is enough).
 */
static inline void sv_tlb_switch_to_guest(u64 caps, u64 vttbr,
					  struct sv_tlb_ctxt *cxt)
{
	if (caps & SV_CAP_WA_SPECULATIVE_AT) {
		cxt->tcr = read_sysreg_el1(tcr);
		write_sysreg_el1(cxt->tcr | TCR_EPD0 | TCR_EPD1, tcr);
		isb();
	}
	write_sysreg(vttbr, vttbr_el2);
	/* The new VMID must be in effect before the TLBI (D5.10.2). */
	isb();
}

static inline void sv_tlb_switch_to_host(u64 caps, struct sv_tlb_ctxt *cxt)
{
	sv_load_host_stage2();
	if (caps & SV_CAP_WA_SPECULATIVE_AT) {
		/* The host's VMID is back before its walks are. */
		isb();
		write_sysreg_el1(cxt->tcr, tcr);
	}
	isb();
}

#endif

#endif
