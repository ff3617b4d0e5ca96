// SPDX-License-Identifier: GPL-2.0
/*
 * The world switch, C half: host EL1 state out, guest state in, EL2
 * controls for the guest, enter; then the mirror image. The GPRs move in
 * hyp_vectors/guest.S, V0-V31 in hyp_vectors/fpsimd.S.
 */
#include "debug_sr.h"
#include "el2.h"
#include "sysreg.h"

/*
 * The EL1 (and EL0 thread) registers both worlds own, in enum sv_sysreg
 * order; save and restore list the same registers line for line.
 */
static void sv_el1_save(struct sv_el1_state *s)
{
	s->sys[SV_SCTLR_EL1]      = read_sysreg(sctlr_el1);
	s->sys[SV_CPACR_EL1]      = read_sysreg(cpacr_el1);
	s->sys[SV_TTBR0_EL1]      = read_sysreg(ttbr0_el1);
	s->sys[SV_TTBR1_EL1]      = read_sysreg(ttbr1_el1);
	s->sys[SV_TCR_EL1]        = read_sysreg(tcr_el1);
	s->sys[SV_ESR_EL1]        = read_sysreg(esr_el1);
	s->sys[SV_AFSR0_EL1]      = read_sysreg(afsr0_el1);
	s->sys[SV_AFSR1_EL1]      = read_sysreg(afsr1_el1);
	s->sys[SV_FAR_EL1]        = read_sysreg(far_el1);
	s->sys[SV_MAIR_EL1]       = read_sysreg(mair_el1);
	s->sys[SV_AMAIR_EL1]      = read_sysreg(amair_el1);
	s->sys[SV_VBAR_EL1]       = read_sysreg(vbar_el1);
	s->sys[SV_CONTEXTIDR_EL1] = read_sysreg(contextidr_el1);
	s->sys[SV_CNTKCTL_EL1]    = read_sysreg(cntkctl_el1);
	s->sys[SV_PAR_EL1]        = read_sysreg(par_el1);
	s->sys[SV_TPIDR_EL1]      = read_sysreg(tpidr_el1);
	s->sys[SV_SP_EL1]         = read_sysreg(sp_el1);
	s->sys[SV_ELR_EL1]        = read_sysreg(elr_el1);
	s->sys[SV_SPSR_EL1]       = read_sysreg(spsr_el1);
	s->sys[SV_CSSELR_EL1]     = read_sysreg(csselr_el1);
	s->sys[SV_TPIDR_EL0]      = read_sysreg(tpidr_el0);
	s->sys[SV_TPIDRRO_EL0]    = read_sysreg(tpidrro_el0);
	s->sys[SV_SP_EL0]         = read_sysreg(sp_el0);
	s->sys[SV_CNTV_CTL_EL0]   = read_sysreg(cntv_ctl_el0);
	s->sys[SV_CNTV_CVAL_EL0]  = read_sysreg(cntv_cval_el0);
}

static void sv_el1_restore(const struct sv_el1_state *s)
{
	write_sysreg(s->sys[SV_SCTLR_EL1],      sctlr_el1);
	write_sysreg(s->sys[SV_CPACR_EL1],      cpacr_el1);
	write_sysreg(s->sys[SV_TTBR0_EL1],      ttbr0_el1);
	write_sysreg(s->sys[SV_TTBR1_EL1],      ttbr1_el1);
	write_sysreg(s->sys[SV_TCR_EL1],        tcr_el1);
	write_sysreg(s->sys[SV_ESR_EL1],        esr_el1);
	write_sysreg(s->sys[SV_AFSR0_EL1],      afsr0_el1);
	write_sysreg(s->sys[SV_AFSR1_EL1],      afsr1_el1);
	write_sysreg(s->sys[SV_FAR_EL1],        far_el1);
	write_sysreg(s->sys[SV_MAIR_EL1],       mair_el1);
	write_sysreg(s->sys[SV_AMAIR_EL1],      amair_el1);
	write_sysreg(s->sys[SV_VBAR_EL1],       vbar_el1);
	write_sysreg(s->sys[SV_CONTEXTIDR_EL1], contextidr_el1);
	write_sysreg(s->sys[SV_CNTKCTL_EL1],    cntkctl_el1);
	write_sysreg(s->sys[SV_PAR_EL1],        par_el1);
	write_sysreg(s->sys[SV_TPIDR_EL1],      tpidr_el1);
	write_sysreg(s->sys[SV_SP_EL1],         sp_el1);
	write_sysreg(s->sys[SV_ELR_EL1],        elr_el1);
	write_sysreg(s->sys[SV_SPSR_EL1],       spsr_el1);
	write_sysreg(s->sys[SV_CSSELR_EL1],     csselr_el1);
	write_sysreg(s->sys[SV_TPIDR_EL0],      tpidr_el0);
	write_sysreg(s->sys[SV_TPIDRRO_EL0],    tpidrro_el0);
	write_sysreg(s->sys[SV_SP_EL0],         sp_el0);
	write_sysreg(s->sys[SV_CNTV_CTL_EL0],   cntv_ctl_el0);
	write_sysreg(s->sys[SV_CNTV_CVAL_EL0],  cntv_cval_el0);
}

#define MDCR_HPMN_MASK		0x1fULL
#define ICC_SRE_EL2_ENABLE	(1ULL << 3)
#define CPTR_TFP		(1ULL << 10)
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_DABT_LOW		0x24
#define ESR_FSC_TYPE(esr)	((esr) & 0x3c)
#define ESR_FSC_PERM		0x0c
#define ESR_S1PTW		(1ULL << 7)

/*
 * HPFAR_EL2 is only valid for some stage-2 faults (ARM ARM D13.2.55): for a
 * permission fault outside a stage-1 walk, translate FAR ourselves while
 * the guest's stage-1 registers are still live. PAR_EL1 is the guest's,
 * already saved by the caller.
 */
static void sv_fault_ipa(struct sv_vcpu_fault *f)
{
	u64 ec = ESR_EC(f->esr), par;

	f->par_fail = 0;
	if (ec != ESR_EC_IABT_LOW && ec != ESR_EC_DABT_LOW)
		return;
	f->far = read_sysreg(far_el2);
	f->hpfar = read_sysreg(hpfar_el2);
	if (ESR_FSC_TYPE(f->esr) != ESR_FSC_PERM || (f->esr & ESR_S1PTW))
		return;
	asm volatile("at s1e1r, %0" : : "r" (f->far));
	isb();
	par = read_sysreg(par_el1);
	if (par & 1) {
		/* The guest changed its tables meanwhile: just run it again. */
		f->par_fail = 1;
		return;
	}
	f->hpfar = ((par >> 12) & ((1ULL << 36) - 1)) << 4;
}

static u64 sv_exit_code(u64 vec)
{
	switch (vec) {
	case SV_VEC_LOW64_SYNC:
		return SV_EXIT_SYNC;
	case SV_VEC_LOW64_IRQ:
		return SV_EXIT_IRQ;
	case SV_VEC_LOW64_FIQ:
		return SV_EXIT_FIQ;
	case SV_VEC_LOW64_SERR:
		return SV_EXIT_SERROR;
	default:
		return SV_EXIT_AARCH32;
	}
}

/*
 * The EL2 controls while the host runs: no traps, no stage 2. Where the
 * host keeps what Linux set up at boot (MDCR_EL2: HPMN, debug and
 * profiling access; CNTVOFF_EL2; VPIDR/VMPIDR_EL2 = the real MIDR and
 * MPIDR), the stub's values saved at init are put back.
 */
void sv_load_host_ctl(struct sv_el2_cpu *cpu)
{
	const struct sv_el2_stub_regs *s = &cpu->stub;

	if (cpu->host_icc_sre & ICC_SRE_EL2_ENABLE)
		write_sysreg(cpu->host_icc_sre, s3_4_c12_c9_5);
	write_sysreg(cpu->host_hcr, hcr_el2);
	write_sysreg(0, vttbr_el2);
	write_sysreg(cpu->vtcr, vtcr_el2);
	write_sysreg(cpu->host_cptr, cptr_el2);
	write_sysreg(s->mdcr, mdcr_el2);
	write_sysreg(cpu->host_hstr, hstr_el2);
	write_sysreg(cpu->host_cnthctl, cnthctl_el2);
	write_sysreg(s->cntvoff, cntvoff_el2);
	write_sysreg(s->vpidr, vpidr_el2);
	write_sysreg(s->vmpidr, vmpidr_el2);
}

/*
 * Back to the host's view of EL1 and EL2. Also the panic path's way out
 * when EL2 faults half-way through a switch.
 */
void sv_switch_to_host(struct sv_el2_cpu *cpu)
{
	sv_load_host_ctl(cpu);
	sv_el1_restore(&cpu->host);
	sv_debug_restore_host(cpu);
	cpu->vcpu = 0;
}

int sv_hc_vcpu_run(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	struct sv_vcpu *vcpu = (struct sv_vcpu *)regs->x[1];
	const struct sv_vcpu_cfg *c = &vcpu->cfg;
	u64 vec;

	sv_el1_save(&cpu->host);
	cpu->vcpu = vcpu;
	sv_el1_restore(&vcpu->el1);
	sv_debug_switch_to_guest(cpu, vcpu);
	/*
	 * The guest's FP/SIMD registers only once it has used them (until
	 * then CPTR_EL2.TFP traps its first access to the host, which then
	 * saves the host task's FP state with kernel_neon_begin()).
	 */
	if (!(c->cptr & CPTR_TFP))
		__sv_fpsimd_load(&vcpu->fp);
	write_sysreg(c->vtcr, vtcr_el2);
	write_sysreg(c->vttbr, vttbr_el2);
	write_sysreg(c->vpidr, vpidr_el2);
	write_sysreg(c->vmpidr, vmpidr_el2);
	write_sysreg(c->cntvoff, cntvoff_el2);
	write_sysreg(c->cptr, cptr_el2);
	/* HPMN stays the host's: counters past it are EL2's (D13.2.78). */
	write_sysreg(c->mdcr | (cpu->stub.mdcr & MDCR_HPMN_MASK), mdcr_el2);
	write_sysreg(c->cnthctl, cnthctl_el2);
	/*
	 * ICC_SRE_EL1 is not switched: with ICC_SRE_EL2.Enable clear the
	 * guest's accesses to it trap instead of changing the host's GIC
	 * system-register interface (GICv3 D.8, as KVM does).
	 */
	if (cpu->host_icc_sre & ICC_SRE_EL2_ENABLE)
		write_sysreg(cpu->host_icc_sre & ~ICC_SRE_EL2_ENABLE,
			     s3_4_c12_c9_5);
	write_sysreg(c->hcr, hcr_el2);

	vec = __sv_guest_enter(vcpu, cpu);

	vcpu->exits++;
	vcpu->fault.esr = read_sysreg(esr_el2);
	if (!(c->cptr & CPTR_TFP))
		__sv_fpsimd_save(&vcpu->fp);
	sv_el1_save(&vcpu->el1);
	sv_debug_save_guest(vcpu);
	if (vec == SV_VEC_LOW64_SYNC)
		sv_fault_ipa(&vcpu->fault);
	sv_switch_to_host(cpu);
	/*
	 * The host's EL1 state must be in place before the ERET back to it,
	 * which is itself the context synchronization event (ARM ARM D1.10).
	 */
	regs->x[0] = SV_RET_OK;
	regs->x[1] = sv_exit_code(vec);
	return SV_ACT_RETURN;
}
