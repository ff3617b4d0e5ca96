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
 * Two registers in adjacent sys[] slots (enum sv_sysreg lists them in
 * pairs), read or written together so that the compiler moves both with
 * one STP or LDP: a round trip moves about a hundred registers. The _el1
 * forms take the name without "_el1", which a VHE build maps to the _EL12
 * aliases (read_sysreg_el1()); the plain ones registers without an alias.
 */
/* The compiler would sink the second load past the first MSR: ask for LDP. */
static inline void sv_ldp(const u64 *p, u64 *a, u64 *b)
{
	asm("ldp %x0, %x1, %2" : "=r" (*a), "=r" (*b)
	    : "Ump" (*(const __uint128_t *)p));
}

#define sv_save_pair(ctxt, i, RD, r0, r1) ({				\
	u64 __r0 = RD(r0), __r1 = RD(r1);				\
	(ctxt)->sys[i] = __r0;						\
	(ctxt)->sys[(i) + 1] = __r1;					\
})
#define sv_restore_pair(ctxt, i, WR, r0, r1) ({				\
	u64 __r0, __r1;							\
	sv_ldp(&(ctxt)->sys[i], &__r0, &__r1);				\
	WR(__r0, r0);							\
	WR(__r1, r1);							\
})
#define sv_save_el1_pair(ctxt, i, r0, r1)				\
	sv_save_pair(ctxt, i, read_sysreg_el1, r0, r1)
#define sv_restore_el1_pair(ctxt, i, r0, r1)				\
	sv_restore_pair(ctxt, i, write_sysreg_el1, r0, r1)

/*
 * Registers both worlds own in common, the same in a VHE build (KVM's
 * __sysreg_save_common_state()): SP_EL0, which Linux points at the
 * current task, and MDSCR_EL1. With the guest's MDSCR_EL1 in place (MDE,
 * KDE and SS clear unless the guest or the VMM asked for them), the host's
 * breakpoints, watchpoints and software step cannot fire in the guest,
 * whatever the debug registers hold; the rest of the debug state is
 * switched only when in use (debug_sr.h).
 */
static inline void sv_sysreg_save_common_state(struct sv_cpu_ctxt *ctxt)
{
	sv_save_pair(ctxt, SV_SP_EL0, read_sysreg, sp_el0, mdscr_el1);
}

static inline void sv_sysreg_restore_common_state(const struct sv_cpu_ctxt *ctxt)
{
	sv_restore_pair(ctxt, SV_SP_EL0, write_sysreg, sp_el0, mdscr_el1);
}

/* EL0 thread registers: the same in a VHE build, which leaves EL1's. */
static inline void sv_sysreg_save_user_state(struct sv_cpu_ctxt *ctxt)
{
	sv_save_pair(ctxt, SV_TPIDR_EL0, read_sysreg, tpidr_el0, tpidrro_el0);
}

static inline void sv_sysreg_restore_user_state(const struct sv_cpu_ctxt *ctxt)
{
	sv_restore_pair(ctxt, SV_TPIDR_EL0, write_sysreg, tpidr_el0,
			tpidrro_el0);
}

static inline void sv_sysreg_save_el1_state(struct sv_cpu_ctxt *ctxt)
{
	sv_save_el1_pair(ctxt, SV_SCTLR_EL1, sctlr, tcr);
	sv_save_el1_pair(ctxt, SV_CPACR_EL1, cpacr, ttbr0);
	sv_save_el1_pair(ctxt, SV_TTBR1_EL1, ttbr1, esr);
	sv_save_el1_pair(ctxt, SV_AFSR0_EL1, afsr0, afsr1);
	sv_save_el1_pair(ctxt, SV_FAR_EL1, far, mair);
	sv_save_el1_pair(ctxt, SV_AMAIR_EL1, amair, vbar);
	sv_save_el1_pair(ctxt, SV_CONTEXTIDR_EL1, contextidr, cntkctl);
	sv_save_el1_pair(ctxt, SV_ELR_EL1, elr, spsr);
	sv_save_pair(ctxt, SV_PAR_EL1, read_sysreg, par_el1, tpidr_el1);
	sv_save_pair(ctxt, SV_SP_EL1, read_sysreg, sp_el1, csselr_el1);
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
	if (!(caps & SV_CAP_WA_SPECULATIVE_AT)) {
		sv_restore_el1_pair(ctxt, SV_SCTLR_EL1, sctlr, tcr);
	} else if (!sv_ctxt_is_host(ctxt)) {
		/* SCTLR and the real TCR come after stage 2: traps.h. */
		write_sysreg_el1(ctxt->sys[SV_TCR_EL1] | TCR_EPD0 | TCR_EPD1,
				 tcr);
		isb();
	}
	sv_restore_el1_pair(ctxt, SV_CPACR_EL1, cpacr, ttbr0);
	sv_restore_el1_pair(ctxt, SV_TTBR1_EL1, ttbr1, esr);
	sv_restore_el1_pair(ctxt, SV_AFSR0_EL1, afsr0, afsr1);
	sv_restore_el1_pair(ctxt, SV_FAR_EL1, far, mair);
	sv_restore_el1_pair(ctxt, SV_AMAIR_EL1, amair, vbar);
	sv_restore_el1_pair(ctxt, SV_CONTEXTIDR_EL1, contextidr, cntkctl);
	sv_restore_pair(ctxt, SV_PAR_EL1, write_sysreg, par_el1, tpidr_el1);
	if ((caps & SV_CAP_WA_SPECULATIVE_AT) && sv_ctxt_is_host(ctxt)) {
		/* Stage 2 is off (traps.h): the host's regime may come back. */
		isb();
		write_sysreg_el1(ctxt->sys[SV_SCTLR_EL1], sctlr);
		isb();
		write_sysreg_el1(ctxt->sys[SV_TCR_EL1],   tcr);
	}
	sv_restore_el1_pair(ctxt, SV_ELR_EL1, elr, spsr);
	sv_restore_pair(ctxt, SV_SP_EL1, write_sysreg, sp_el1, csselr_el1);
}

/*
 * Where the guest resumes. Never at EL2 or above: as KVM, a PSTATE that
 * would return to AArch64 EL2/EL3 is refused here (the highvisor also
 * validates it on KVM_SET_ONE_REG, but EL2 trusts no one). AArch32 is
 * only possible at EL0 (HCR_EL2.RW: EL1 is AArch64).
 */
static inline bool sv_guest_pstate_ok(u64 pstate)
{
	u64 mode = pstate & (PSR_MODE_MASK | PSR_MODE32_BIT);

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

/*
 * The host's side, at a guest entry. Most of the host's EL1 state belongs
 * to the thread that runs the vCPU or to the CPU, and stays as it is
 * until that thread leaves the CPU: the translation regime (SCTLR, TCR,
 * TTBRn with the ASID, MAIR, AMAIR), VBAR, CONTEXTIDR, TPIDR_EL1 (the
 * per-CPU offset), CNTKCTL, CPACR, the EL0 thread registers. Linux changes
 * them only in a context switch, on the way to user space, or in paths
 * that never run in a vCPU thread's KVM_RUN (suspend, kexec, EFI calls);
 * with SW_TTBR0_PAN, TTBR0 and the TTBR1 ASID are the reserved ones at
 * every entry, as no entry happens inside a uaccess region. The rest of
 * EL1 (ESR, FAR, AFSRn, PAR, ELR, SPSR) holds nothing the host reads
 * after the call. So EL2 saves all of it when the highvisor says the run
 * is the first since the vCPU was loaded on this CPU (all: the run call's
 * SV_RUN_HOST_SAVE, set at every load, sched_in included) and otherwise
 * only what moves from one run to the next: SP_EL1 (the call's stack)
 * and the common state, SP_EL0 and MDSCR_EL1 (a perf breakpoint
 * installed by IPI may change it at any time). Saving it all at every
 * entry, as KVM nVHE does, costs a round trip about 36 instructions more.
 */
static inline void sv_sysreg_save_host_state(struct sv_cpu_ctxt *host,
					     bool all)
{
	if (all) {
		sv_sysreg_save_state(host);
		return;
	}
	sv_save_pair(host, SV_SP_EL1, read_sysreg, sp_el1, csselr_el1);
	sv_sysreg_save_common_state(host);
}

static inline void sv_sysreg_restore_state(const struct sv_cpu_ctxt *ctxt,
					   u64 caps)
{
	sv_sysreg_restore_el1_state(ctxt, caps);
	sv_sysreg_restore_common_state(ctxt);
	sv_sysreg_restore_user_state(ctxt);
}

#endif
