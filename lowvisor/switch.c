// SPDX-License-Identifier: GPL-2.0
/*
 * The split-mode world switch: one sequence of the phases in
 * lowvisor/include/ (sysreg-sr.h, timer-sr.h, stage2.h, traps.h,
 * fault.h), which a VHE build can compose differently. The GPRs move in
 * hyp_vectors/guest.S, V0-V31 in hyp_vectors/fpsimd.S. The order is KVM's
 * nVHE __kvm_vcpu_run(): every EL1 register of the guest is in place
 * before stage 2 is turned on (speculative-AT errata), and the mirror
 * image on the way out.
 */
#include "el2.h"
#include "sysreg.h"
#include "sysreg-sr.h"
#include "timer-sr.h"
#include "stage2.h"
#include "traps.h"
#include "fault.h"
#include "debug_sr.h"

#define CPTR_TFP		(1ULL << 10)

/*
 * The EL2 controls while the host runs: no traps, no stage 2. Where the
 * host keeps what Linux set up at boot (MDCR_EL2: HPMN, debug and
 * profiling access; CNTVOFF_EL2; VPIDR/VMPIDR_EL2 = the real MIDR and
 * MPIDR), the stub's values saved at init are put back. At init only:
 * a guest's exit restores just what its entry changed.
 */
void sv_load_host_ctl(struct sv_el2_cpu *cpu)
{
	const struct sv_el2_stub_regs *s = &cpu->stub;

	if (cpu->caps & SV_CAP_GICV3_SYSREG)
		write_icc_sre_el2(cpu->host_icc_sre);
	write_sysreg(cpu->host_hcr, hcr_el2);
	sv_load_host_stage2();
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
void sv_switch_to_host(struct sv_el2_cpu *cpu, struct sv_vcpu *vcpu)
{
	struct sv_cpu_ctxt *host = &cpu->host_ctxt;

	sv_deactivate_traps(cpu, vcpu);
	if (cpu->guest_vbar != cpu->runtime_vbar)
		write_sysreg(cpu->runtime_vbar, vbar_el2);
	sv_load_host_stage2();
	sv_sysreg_restore_state(host, cpu->caps);
	sv_debug_restore_host(cpu);
	write_sysreg(cpu->stub.cntvoff, cntvoff_el2);
	write_sysreg(cpu->stub.vmpidr, vmpidr_el2);
	host->running_vcpu = 0;
}

int sv_hc_vcpu_run(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	struct sv_vcpu *vcpu = (struct sv_vcpu *)regs->x[1];
	struct sv_cpu_ctxt *host = &cpu->host_ctxt;
	struct sv_cpu_ctxt *guest = &vcpu->ctxt;
	const struct sv_vcpu_cfg *c = &vcpu->cfg;
	bool fp = !(c->cptr & CPTR_TFP);
	u64 exit;

	if (!sv_guest_pstate_ok(guest->regs.spsr)) {
		regs->x[0] = SV_RET_INVALID;
		return SV_ACT_RETURN;
	}

	host->running_vcpu = (u64)vcpu;
	sv_sysreg_save_host_state(host, regs->x[2] & SV_RUN_HOST_SAVE);

	sv_sysreg_restore_state(guest, cpu->caps);
	sv_timer_restore_state(guest, c->cntvoff);
	write_sysreg(c->vmpidr, vmpidr_el2);
	/*
	 * The guest's FP/SIMD registers only once it has used them (until
	 * then CPTR_EL2.TFP traps its first access to the host, which then
	 * saves the host task's FP state with kernel_neon_begin()).
	 */
	if (fp)
		__sv_fpsimd_load(&vcpu->fp);
	sv_load_stage2(c->vtcr, c->vttbr, cpu->caps);
	sv_activate_traps(cpu, vcpu);
	if (cpu->guest_vbar != cpu->runtime_vbar)
		write_sysreg(cpu->guest_vbar, vbar_el2);
	sv_debug_switch_to_guest(cpu, vcpu);

	exit = __sv_guest_enter(vcpu, cpu);

	vcpu->fault.esr = read_sysreg(esr_el2);
	sv_debug_save_guest(vcpu);
	sv_sysreg_save_state(guest);
	if (SV_EXIT_CODE(exit) == SV_VEC_LOW64_SYNC ||
	    SV_EXIT_CODE(exit) == SV_VEC_LOW32_SYNC)
		sv_get_fault_info(&vcpu->fault, cpu->caps);
	sv_timer_save_state(guest);
	if (fp)
		__sv_fpsimd_save(&vcpu->fp);
	sv_switch_to_host(cpu, vcpu);
	/*
	 * The host's EL1 state must be in place before the ERET back to it,
	 * which is itself the context synchronization event (ARM ARM D1.10).
	 */
	regs->x[0] = SV_RET_OK;
	regs->x[1] = sv_exit_code(exit);
	return SV_ACT_RETURN;
}
