/* SPDX-License-Identifier: GPL-2.0 */
/*
 * World-switch phases for the EL1 system registers, one struct
 * sv_cpu_ctxt each way: the same code saves and restores the host and the
 * guest. Split mode compiles this in the lowvisor; a VHE build compiles
 * it in the kernel, where read_sysreg_el1() reaches the _EL12 aliases.
 * Modelled on KVM's hyp/include/hyp/sysreg-sr.h.
 */
#ifndef SV_LOWVISOR_SYSREG_SR_H
#define SV_LOWVISOR_SYSREG_SR_H

#include "splitvisor_abi.h"
#include "sysreg.h"

static inline bool sv_ctxt_is_host(const struct sv_cpu_ctxt *ctxt)
{
	return ctxt->running_vcpu != 0;
}

/*
 * Registers both worlds own in common. Today nothing: the debug state
 * (MDSCR_EL1, MDCCINT_EL1) is switched in lowvisor/debug_sr.c.
 */
static inline void sv_sysreg_save_common_state(struct sv_cpu_ctxt *ctxt)
{
}

static inline void sv_sysreg_restore_common_state(const struct sv_cpu_ctxt *ctxt)
{
}

/* EL0 thread registers: the same in a VHE build, which leaves EL1's. */
static inline void sv_sysreg_save_user_state(struct sv_cpu_ctxt *ctxt)
{
	ctxt->sys[SV_TPIDR_EL0]   = read_sysreg(tpidr_el0);
	ctxt->sys[SV_TPIDRRO_EL0] = read_sysreg(tpidrro_el0);
}

static inline void sv_sysreg_restore_user_state(const struct sv_cpu_ctxt *ctxt)
{
	write_sysreg(ctxt->sys[SV_TPIDR_EL0],   tpidr_el0);
	write_sysreg(ctxt->sys[SV_TPIDRRO_EL0], tpidrro_el0);
}

static inline void sv_sysreg_save_el1_state(struct sv_cpu_ctxt *ctxt)
{
	ctxt->sys[SV_CSSELR_EL1]     = read_sysreg(csselr_el1);
	ctxt->sys[SV_SCTLR_EL1]      = read_sysreg_el1(sctlr);
	ctxt->sys[SV_CPACR_EL1]      = read_sysreg_el1(cpacr);
	ctxt->sys[SV_TTBR0_EL1]      = read_sysreg_el1(ttbr0);
	ctxt->sys[SV_TTBR1_EL1]      = read_sysreg_el1(ttbr1);
	ctxt->sys[SV_TCR_EL1]        = read_sysreg_el1(tcr);
	ctxt->sys[SV_ESR_EL1]        = read_sysreg_el1(esr);
	ctxt->sys[SV_AFSR0_EL1]      = read_sysreg_el1(afsr0);
	ctxt->sys[SV_AFSR1_EL1]      = read_sysreg_el1(afsr1);
	ctxt->sys[SV_FAR_EL1]        = read_sysreg_el1(far);
	ctxt->sys[SV_MAIR_EL1]       = read_sysreg_el1(mair);
	ctxt->sys[SV_VBAR_EL1]       = read_sysreg_el1(vbar);
	ctxt->sys[SV_CONTEXTIDR_EL1] = read_sysreg_el1(contextidr);
	ctxt->sys[SV_AMAIR_EL1]      = read_sysreg_el1(amair);
	ctxt->sys[SV_CNTKCTL_EL1]    = read_sysreg_el1(cntkctl);
	ctxt->sys[SV_PAR_EL1]        = read_sysreg(par_el1);
	ctxt->sys[SV_TPIDR_EL1]      = read_sysreg(tpidr_el1);
	ctxt->sys[SV_SP_EL1]         = read_sysreg(sp_el1);
	ctxt->sys[SV_ELR_EL1]        = read_sysreg_el1(elr);
	ctxt->sys[SV_SPSR_EL1]       = read_sysreg_el1(spsr);
	ctxt->sys[SV_SP_EL0]         = read_sysreg(sp_el0);
}

/*
 * With the speculative-AT erratum (Cortex-A57 #1319537, A72 #1319367) an
 * AT or a speculative walk may use a mix of the old and new EL1&0 regime
 * while SCTLR_EL1/TCR_EL1 and stage 2 change. KVM's order, reproduced
 * here and in traps.h:
 *   to a guest: the guest's TCR with EPD0|EPD1 (no walks), the rest of
 *   EL1, stage 2 on, ISB, the guest's SCTLR, ISB, its real TCR;
 *   to the host: EPD0|EPD1 and SCTLR.M set while still on the guest's
 *   stage 2, stage 2 off, ISB, the host's SCTLR, ISB, its TCR.
 * The host's SCTLR_EL1.M is always set, so the walks stay disabled by EPD
 * rather than by turning the MMU off.
 */
static inline void sv_sysreg_restore_el1_state(const struct sv_cpu_ctxt *ctxt,
					       u64 caps)
{
	write_sysreg(ctxt->sys[SV_CSSELR_EL1], csselr_el1);
	if (!(caps & SV_CAP_WA_SPECULATIVE_AT)) {
		write_sysreg_el1(ctxt->sys[SV_SCTLR_EL1], sctlr);
		write_sysreg_el1(ctxt->sys[SV_TCR_EL1],   tcr);
	} else if (!sv_ctxt_is_host(ctxt)) {
		/* SCTLR and the real TCR come after stage 2: traps.h. */
		write_sysreg_el1(ctxt->sys[SV_TCR_EL1] | TCR_EPD0 | TCR_EPD1,
				 tcr);
		isb();
	}
	write_sysreg_el1(ctxt->sys[SV_CPACR_EL1],      cpacr);
	write_sysreg_el1(ctxt->sys[SV_TTBR0_EL1],      ttbr0);
	write_sysreg_el1(ctxt->sys[SV_TTBR1_EL1],      ttbr1);
	write_sysreg_el1(ctxt->sys[SV_ESR_EL1],        esr);
	write_sysreg_el1(ctxt->sys[SV_AFSR0_EL1],      afsr0);
	write_sysreg_el1(ctxt->sys[SV_AFSR1_EL1],      afsr1);
	write_sysreg_el1(ctxt->sys[SV_FAR_EL1],        far);
	write_sysreg_el1(ctxt->sys[SV_MAIR_EL1],       mair);
	write_sysreg_el1(ctxt->sys[SV_VBAR_EL1],       vbar);
	write_sysreg_el1(ctxt->sys[SV_CONTEXTIDR_EL1], contextidr);
	write_sysreg_el1(ctxt->sys[SV_AMAIR_EL1],      amair);
	write_sysreg_el1(ctxt->sys[SV_CNTKCTL_EL1],    cntkctl);
	write_sysreg(ctxt->sys[SV_PAR_EL1],            par_el1);
	write_sysreg(ctxt->sys[SV_TPIDR_EL1],          tpidr_el1);
	if ((caps & SV_CAP_WA_SPECULATIVE_AT) && sv_ctxt_is_host(ctxt)) {
		/* Stage 2 is off (traps.h): the host's regime may come back. */
		isb();
		write_sysreg_el1(ctxt->sys[SV_SCTLR_EL1], sctlr);
		isb();
		write_sysreg_el1(ctxt->sys[SV_TCR_EL1],   tcr);
	}
	write_sysreg(ctxt->sys[SV_SP_EL1],             sp_el1);
	write_sysreg_el1(ctxt->sys[SV_ELR_EL1],        elr);
	write_sysreg_el1(ctxt->sys[SV_SPSR_EL1],       spsr);
	write_sysreg(ctxt->sys[SV_SP_EL0],             sp_el0);
}

/*
 * Where the guest resumes. Never at EL2 or above: as KVM, a PSTATE that
 * would return to AArch64 EL2/EL3 is refused here (the highvisor also
 * validates it on KVM_SET_ONE_REG, but EL2 trusts no one). AArch32 is
 * only possible at EL0 (HCR_EL2.RW: EL1 is AArch64).
 */
static inline bool sv_guest_pstate_ok(u64 pstate)
{
	u64 mode = pstate & PSR_MODE_MASK;

	if (pstate & PSR_MODE32_BIT)
		return mode == PSR_AA32_MODE_USR;
	return mode == PSR_MODE_EL0t || mode == PSR_MODE_EL1t ||
	       mode == PSR_MODE_EL1h;
}

static inline void sv_sysreg_save_state(struct sv_cpu_ctxt *ctxt)
{
	sv_sysreg_save_el1_state(ctxt);
	sv_sysreg_save_common_state(ctxt);
	sv_sysreg_save_user_state(ctxt);
}

static inline void sv_sysreg_restore_state(const struct sv_cpu_ctxt *ctxt,
					   u64 caps)
{
	sv_sysreg_restore_el1_state(ctxt, caps);
	sv_sysreg_restore_common_state(ctxt);
	sv_sysreg_restore_user_state(ctxt);
}

#endif
