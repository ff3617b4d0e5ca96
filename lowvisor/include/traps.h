/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Activating and deactivating the EL2 traps around a guest: HCR, CPTR,
 * MDCR, HSTR, CNTHCTL and the PMU's EL0 controls, as KVM's
 * __activate_traps()/__deactivate_traps() (hyp/include/hyp/switch.h and
 * hyp/nvhe/switch.c) do for an ARMv8.0 guest.
 */
#ifndef SV_LOWVISOR_TRAPS_H
#define SV_LOWVISOR_TRAPS_H

#include "splitvisor_abi.h"
#include "sysreg.h"
#include "stage2.h"

#define SV_MDCR_HPMN_MASK	0x1fULL
#define SV_ICC_SRE_EL2_ENABLE	(1ULL << 3)
/* HSTR_EL2.T15: AArch32 EL0 accesses to impdef cp15 c15 trap (as KVM). */
#define SV_HSTR_GUEST		(1ULL << 15)
#define SV_HCR_VSE		(1ULL << 8)
/* PMUSERENR_EL0: EN|SW|CR|ER, so EL0 PMU accesses reach MDCR_EL2.TPM. */
#define SV_PMUSERENR_ALL	0xfULL
#define write_icc_sre_el2(v)	write_sysreg(v, s3_4_c12_c9_5)

static inline void sv_activate_traps_common(struct sv_el2_cpu *cpu,
					    const struct sv_vcpu_cfg *c)
{
	write_sysreg(SV_HSTR_GUEST, hstr_el2);
	/*
	 * PMSELR_EL0 = 0 so that it never selects the cycle counter, which
	 * could make a PMXEVCNTR_EL0 access UNDEF at EL1 instead of trapping;
	 * PMUSERENR_EL0 all-enabled so EL0 accesses trap to EL2, not EL1.
	 */
	if (cpu->caps & SV_CAP_PMUV3) {
		write_sysreg(0, pmselr_el0);
		cpu->host_pmuserenr = read_sysreg(pmuserenr_el0);
		write_sysreg(SV_PMUSERENR_ALL, pmuserenr_el0);
	}
	/* HPMN stays the host's: counters past it are EL2's (D13.2.78). */
	write_sysreg(c->mdcr | (cpu->stub.mdcr & SV_MDCR_HPMN_MASK), mdcr_el2);
	/*
	 * The guest's vPMU counters: host perf events with exclude_host,
	 * which the host's PMU driver leaves off (KVM nVHE's
	 * __pmu_switch_to_guest()). They do not count at EL2 (NSH clear).
	 */
	if (c->pmu_cnten)
		write_sysreg(c->pmu_cnten, pmcntenset_el0);
}

static inline void sv_deactivate_traps_common(struct sv_el2_cpu *cpu,
					      const struct sv_vcpu_cfg *c)
{
	if (c->pmu_cnten)
		write_sysreg(c->pmu_cnten, pmcntenclr_el0);
	write_sysreg(cpu->stub.mdcr, mdcr_el2);
	write_sysreg(cpu->host_hstr, hstr_el2);
	if (cpu->caps & SV_CAP_PMUV3)
		write_sysreg(cpu->host_pmuserenr, pmuserenr_el0);
}

/*
 * A virtual SError the guest has not taken yet stays pending for its next
 * run: HCR_EL2.VSE clears only when it is taken (D1.14.3).
 */
static inline void sv_save_vse(struct sv_vcpu *vcpu)
{
	if (vcpu->cfg.hcr & SV_HCR_VSE)
		vcpu->cfg.hcr = (vcpu->cfg.hcr & ~SV_HCR_VSE) |
				(read_sysreg(hcr_el2) & SV_HCR_VSE);
}

/*
 * Stage 2 is loaded (stage2.h) before this; HCR_EL2.VM turns it on. On
 * CPUs with the speculative-AT erratum the guest's SCTLR_EL1 and real
 * TCR_EL1 only go in now (see sysreg-sr.h for the whole sequence).
 */
static inline void sv_activate_traps(struct sv_el2_cpu *cpu,
				     struct sv_vcpu *vcpu)
{
	const struct sv_vcpu_cfg *c = &vcpu->cfg;

	write_sysreg(c->hcr, hcr_el2);
	sv_activate_traps_common(cpu, c);
	write_sysreg(c->cptr, cptr_el2);
	write_sysreg(c->cnthctl, cnthctl_el2);
	/*
	 * ICC_SRE_EL1 is not switched: with ICC_SRE_EL2.Enable clear the
	 * guest's accesses to it trap instead of changing the host's GIC
	 * system-register interface (GICv3 D.8, as KVM's vgic-v3-sr.c).
	 */
	if (cpu->caps & SV_CAP_GICV3_SYSREG)
		write_icc_sre_el2(cpu->host_icc_sre & ~SV_ICC_SRE_EL2_ENABLE);
	if (cpu->caps & SV_CAP_WA_SPECULATIVE_AT) {
		/* Stage 2 is configured and on before the guest's S1. */
		isb();
		write_sysreg_el1(vcpu->ctxt.sys[SV_SCTLR_EL1], sctlr);
		isb();
		write_sysreg_el1(vcpu->ctxt.sys[SV_TCR_EL1], tcr);
	}
}

/*
 * The mirror image. Still on the guest's stage 2: with the erratum, stop
 * EL1&0 walks (EPD) and force the MMU on before stage 2 goes away, so no
 * speculative walk sees a half-switched regime.
 */
static inline void sv_deactivate_traps(struct sv_el2_cpu *cpu,
				       struct sv_vcpu *vcpu)
{
	sv_save_vse(vcpu);
	if (cpu->caps & SV_CAP_WA_SPECULATIVE_AT) {
		write_sysreg_el1(read_sysreg_el1(tcr) | TCR_EPD0 | TCR_EPD1,
				 tcr);
		isb();
		write_sysreg_el1(read_sysreg_el1(sctlr) | SCTLR_ELX_M, sctlr);
		isb();
	}
	sv_deactivate_traps_common(cpu, &vcpu->cfg);
	write_sysreg(cpu->host_hcr, hcr_el2);
	write_sysreg(cpu->host_cptr, cptr_el2);
	write_sysreg(cpu->host_cnthctl, cnthctl_el2);
	if (cpu->caps & SV_CAP_GICV3_SYSREG)
		write_icc_sre_el2(cpu->host_icc_sre);
}

#endif
