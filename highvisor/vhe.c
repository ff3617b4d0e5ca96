// SPDX-License-Identifier: GPL-2.0
/*
 * VHE mode: the kernel itself runs at EL2 (ARMv8.1+ CPUs with VHE), so
 * there is no lowvisor to install and the world switch is a function
 * call. It is made of the split-mode image's phases (lowvisor/include/),
 * compiled here with SV_VHE and vhe/sysreg.h, whose accessors reach the
 * guest's EL1 registers through their _EL12 aliases; the GPRs move in
 * hyp_vectors/guest.S, assembled into the module by vhe_entry.S.
 *
 * The order is KVM 6.1's __kvm_vcpu_run_vhe() (hyp/vhe/switch.c). As in
 * KVM VHE, the guest's EL1 and EL0 thread registers stay in the CPU from
 * a vCPU's first run after it was loaded until it is put (or until the
 * highvisor needs them in memory: sv_hyp_sysregs_to_memory()); the host
 * does not use them in VHE mode, as it runs in the EL2&0 regime.
 */
#include "splitvisor.h"

#include <linux/cpuhotplug.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <asm/daifflags.h>
#include <asm/kvm_arm.h>

#include "errata.h"
#include "hyp_ops.h"

#include "sysreg-sr.h"
#include "timer-sr.h"
#include "stage2.h"
#include "tlb.h"
#include "traps.h"
#include "fault.h"
#include "debug_sr.h"
#include "entry.h"

/* Each CPU's world-switch state; vhe_entry.S finds it through this. */
struct sv_el2_cpu __percpu *sv_vhe_cpus;
static int sv_vhe_hp_state;
/* The vCPU whose EL1 registers this CPU holds (KVM's SYSREGS_ON_CPU). */
static DEFINE_PER_CPU(struct sv_vcpu *, sv_vhe_loaded);

/*
 * With HCR_EL2.E2H set, CNTHCTL_EL2's EL1PCTEN and EL1PCEN sit 10 bits up
 * (ARM ARM D13.8.2); struct sv_vcpu_cfg holds the split-mode layout.
 */
#define SV_CNTHCTL_EL1_MASK	0x3ULL
#define SV_CNTHCTL_E2H_SHIFT	10

/*
 * The guest's EL2 controls (KVM VHE's __activate_traps()). CPTR_EL2, in
 * the CPACR_EL1 layout with E2H: trace and activity monitors trapped, no
 * SVE or SME, and FP/SIMD trapped until the guest has used it.
 */
static void sv_vhe_activate_traps(struct sv_el2_cpu *cpu,
				  const struct sv_vcpu_cfg *c, bool fp)
{
	u64 cptr = cpu->host_cptr | CPACR_EL1_TTA | CPTR_EL2_TAM;
	u64 cnthctl = cpu->host_cnthctl &
		      ~(SV_CNTHCTL_EL1_MASK << SV_CNTHCTL_E2H_SHIFT);

	cptr &= ~(CPACR_EL1_ZEN_EL0EN | CPACR_EL1_ZEN_EL1EN |
		  CPACR_EL1_SMEN_EL0EN | CPACR_EL1_SMEN_EL1EN);
	if (!fp)
		cptr &= ~(CPACR_EL1_FPEN_EL0EN | CPACR_EL1_FPEN_EL1EN);
	cnthctl |= (c->cnthctl & SV_CNTHCTL_EL1_MASK) << SV_CNTHCTL_E2H_SHIFT;

	/* TGE clears here: stage 2 is already loaded (stage2.h). */
	write_sysreg(c->hcr | HCR_E2H, hcr_el2);
	sv_activate_traps_common(cpu, c);
	write_sysreg(cptr, cpacr_el1);
	write_sysreg(cnthctl, cnthctl_el2);
	if (cpu->caps & SV_CAP_GICV3_SYSREG)
		write_icc_sre_el2(cpu->host_icc_sre & ~SV_ICC_SRE_EL2_ENABLE);
}

/*
 * Back to the host's controls, MDSCR_EL1 and debug registers; also the
 * panic path's. With the speculative-AT errata (A76 #1165522, A55 #1530923) the
 * host's HCR_EL2 (TGE set) must be in effect before its EL2&0 regime is
 * used again (KVM VHE's __deactivate_traps()).
 */
static void sv_vhe_switch_to_host(struct sv_el2_cpu *cpu,
				  struct sv_vcpu *vcpu)
{
	const struct sv_cpu_ctxt *host = &cpu->host_ctxt;

	sv_save_vse(vcpu);
	sv_deactivate_traps_common(cpu, &vcpu->cfg);
	write_sysreg(cpu->host_hcr, hcr_el2);
	if (cpu->caps & SV_CAP_WA_SPECULATIVE_AT)
		isb();
	write_sysreg(cpu->host_cptr, cpacr_el1);
	write_sysreg(cpu->host_cnthctl, cnthctl_el2);
	if (cpu->caps & SV_CAP_GICV3_SYSREG)
		write_icc_sre_el2(cpu->host_icc_sre);
	write_sysreg(host->sys[SV_MDSCR_EL1], mdscr_el1);
	sv_debug_restore_host(cpu);
}

/* Preemption off (struct sv_hyp_ops.vcpu_put). */
static void sv_vhe_vcpu_put(struct sv_vcpu *vcpu)
{
	struct sv_el2_cpu *cpu = this_cpu_ptr(sv_vhe_cpus);
	unsigned long flags;

	if (__this_cpu_read(sv_vhe_loaded) != vcpu)
		return;
	local_irq_save(flags);
	sv_sysreg_save_el1_state(&vcpu->ctxt);
	sv_sysreg_save_user_state(&vcpu->ctxt);
	sv_sysreg_restore_user_state(&cpu->host_ctxt);
	__this_cpu_write(sv_vhe_loaded, NULL);
	local_irq_restore(flags);
}
NOKPROBE_SYMBOL(sv_vhe_vcpu_put);

/*
 * Interrupts off. The guest's EL1 and EL0 thread registers into the CPU,
 * the host task's EL0 thread registers kept for sv_vhe_vcpu_put() (KVM's
 * kvm_vcpu_load_sysregs_vhe()). SCTLR and TCR go in directly, as KVM's
 * __sysreg_restore_el1_state() does with VHE: HCR_EL2.TGE is still set,
 * and stage 2 and TGE change only later, in the run (the order the
 * speculative-AT errata need: stage 1, stage 2, TGE).
 */
static void sv_vhe_load(struct sv_el2_cpu *cpu, struct sv_vcpu *vcpu)
{
	struct sv_vcpu *other = __this_cpu_read(sv_vhe_loaded);

	/* Never expected: every load is matched by a put first. */
	if (unlikely(other))
		sv_vhe_vcpu_put(other);
	sv_sysreg_save_user_state(&cpu->host_ctxt);
	sv_sysreg_restore_el1_state(&vcpu->ctxt,
				    cpu->caps & ~SV_CAP_WA_SPECULATIVE_AT);
	sv_sysreg_restore_user_state(&vcpu->ctxt);
	__this_cpu_write(sv_vhe_loaded, vcpu);
}

/*
 * The hot path. Interrupts are off (the caller); here every exception is
 * masked as well, as KVM's __kvm_vcpu_run() does, until the host's
 * controls are back.
 */
static int sv_vhe_vcpu_run(struct sv_vcpu *vcpu, u64 hyp_el2va, u64 flags,
			   u64 *exit)
{
	struct sv_el2_cpu *cpu = this_cpu_ptr(sv_vhe_cpus);
	struct sv_cpu_ctxt *host = &cpu->host_ctxt;
	struct sv_cpu_ctxt *guest = &vcpu->ctxt;
	const struct sv_vcpu_cfg *c = &vcpu->cfg;
	bool fp = !(c->cptr & CPTR_EL2_TFP);
	u64 caps = cpu->caps, daif, code;

	if (unlikely(!sv_guest_pstate_ok(guest->regs.spsr))) {
		pr_err_ratelimited("vCPU run refused: PSTATE 0x%llx would enter EL2\n",
				   guest->regs.spsr);
		return -EIO;
	}
	daif = read_sysreg(daif);
	write_sysreg(DAIF_MASK, daif);

	/* The host's EL2 controls as they are now: restored as they were. */
	cpu->host_hcr = read_sysreg(hcr_el2);
	cpu->host_cptr = read_sysreg(cpacr_el1);
	cpu->host_cnthctl = read_sysreg(cnthctl_el2);
	cpu->host_hstr = read_sysreg(hstr_el2);
	cpu->stub.mdcr = read_sysreg(mdcr_el2);
	cpu->runtime_vbar = read_sysreg(vbar_el1);
	if (caps & SV_CAP_GICV3_SYSREG)
		cpu->host_icc_sre = read_sysreg_s(SYS_ICC_SRE_EL2);
	/* guest.S switches SP_EL0; the panic path restores it from here. */
	host->sys[SV_SP_EL0] = read_sysreg(sp_el0);
	host->sys[SV_MDSCR_EL1] = read_sysreg(mdscr_el1);
	host->running_vcpu = (u64)vcpu;

	if (__this_cpu_read(sv_vhe_loaded) != vcpu)
		sv_vhe_load(cpu, vcpu);
	write_sysreg(guest->sys[SV_MDSCR_EL1], mdscr_el1);
	sv_timer_restore_state(guest, c->cntvoff);
	write_sysreg(c->vmpidr, vmpidr_el2);
	/* kernel_neon_begin() saved the host task's FP/SIMD (vcpu.c). */
	if (fp)
		__sv_fpsimd_load(&vcpu->fp);
	sv_load_stage2(c->vtcr, c->vttbr, caps);
	sv_vhe_activate_traps(cpu, c, fp);
	sv_debug_switch_to_guest(cpu, vcpu);

	/* The ERET synchronizes VBAR_EL2 with everything else. */
	write_sysreg(cpu->guest_vbar, vbar_el1);
	code = __sv_guest_enter(vcpu, cpu);
	write_sysreg(cpu->runtime_vbar, vbar_el1);

	vcpu->fault.esr = read_sysreg(esr_el2);
	sv_debug_save_guest(vcpu);
	guest->sys[SV_MDSCR_EL1] = read_sysreg(mdscr_el1);
	if (SV_EXIT_CODE(code) == SV_VEC_LOW64_SYNC ||
	    SV_EXIT_CODE(code) == SV_VEC_LOW32_SYNC)
		sv_get_fault_info(&vcpu->fault, caps);
	sv_timer_save_state(guest);
	if (fp)
		__sv_fpsimd_save(&vcpu->fp);
	sv_vhe_switch_to_host(cpu, vcpu);
	host->running_vcpu = 0;

	write_sysreg(daif, daif);
	/* The host's controls in effect before it runs anything else. */
	isb();
	*exit = sv_exit_code(code);
	return 0;
}
NOKPROBE_SYMBOL(sv_vhe_vcpu_run);

/*
 * An exception taken at EL2 while a guest's vectors were in: a bug in the
 * switch. EL2 never hangs silently: the host's controls go back and the
 * kernel panics with what EL2 saw, as KVM's hyp_panic().
 */
void __noreturn sv_vhe_el2_panic(struct sv_el2_regs *regs, u64 vec)
{
	struct sv_el2_cpu *cpu = this_cpu_ptr(sv_vhe_cpus);
	struct sv_vcpu *vcpu = (struct sv_vcpu *)cpu->host_ctxt.running_vcpu;
	u64 esr = read_sysreg(esr_el2), far = read_sysreg(far_el2);

	if (vcpu)
		sv_vhe_switch_to_host(cpu, vcpu);
	write_sysreg(cpu->runtime_vbar, vbar_el1);
	isb();
	panic("splitvisor: exception at EL2 in a VHE world switch: vector %llu ESR 0x%llx ELR %pS FAR 0x%llx SPSR 0x%llx vCPU %p\n",
	      vec, esr, (void *)regs->elr, far, regs->spsr, vcpu);
}
NOKPROBE_SYMBOL(sv_vhe_el2_panic);

/*
 * TLB maintenance: the sequences are tlb.h's, run here with interrupts off
 * (HCR_EL2.TGE is clear for their duration, stage2.h).
 */
static int sv_vhe_flush(u32 fn, void (*flush)(u64 caps, u64 vttbr),
			u64 vttbr)
{
	unsigned long flags;

	if (sv_skip_tlbi(fn))
		return 0;
	local_irq_save(flags);
	flush(this_cpu_ptr(sv_vhe_cpus)->caps, vttbr);
	local_irq_restore(flags);
	return 0;
}

static int sv_vhe_flush_vmid(u64 vttbr)
{
	return sv_vhe_flush(SV_HC_FLUSH_VMID, sv_tlb_flush_vmid, vttbr);
}

static int sv_vhe_flush_guests(void)
{
	if (sv_skip_tlbi(SV_HC_FLUSH_GUESTS))
		return 0;
	sv_tlb_flush_guests();
	return 0;
}

static int sv_vhe_flush_cpu_ctxt(u64 vttbr)
{
	return sv_vhe_flush(SV_HC_FLUSH_CPU_CTXT, sv_tlb_flush_cpu_ctxt, vttbr);
}

static int sv_vhe_flush_ipa(u64 vttbr, u64 ipa, u64 pages)
{
	unsigned long flags;

	if (!pages || pages > SV_FLUSH_IPA_MAX_PAGES || (ipa >> 48))
		return -EINVAL;
	if (sv_skip_tlbi(SV_HC_FLUSH_IPA))
		return 0;
	local_irq_save(flags);
	sv_tlb_flush_ipa(this_cpu_ptr(sv_vhe_cpus)->caps, vttbr, ipa >> 12,
			 pages);
	local_irq_restore(flags);
	return 0;
}

/* Nothing of splitvisor's is mapped at EL2 in VHE mode but the kernel. */
static int sv_vhe_flush_el2(void)
{
	return 0;
}

const struct sv_hyp_ops sv_vhe_ops = {
	.vcpu_run	= sv_vhe_vcpu_run,
	.flush_vmid	= sv_vhe_flush_vmid,
	.flush_guests	= sv_vhe_flush_guests,
	.flush_cpu_ctxt	= sv_vhe_flush_cpu_ctxt,
	.flush_ipa	= sv_vhe_flush_ipa,
	.flush_el2	= sv_vhe_flush_el2,
	.vcpu_put	= sv_vhe_vcpu_put,
};

/* Each CPU's workarounds and vectors, worked out on it as it comes up. */
static int sv_vhe_cpu_online(unsigned int cpu)
{
	struct sv_el2_cpu *el2 = per_cpu_ptr(sv_vhe_cpus, cpu);

	local_irq_disable();
	sv_cpu_caps_probe(cpu, el2, (u64)__sv_vhe_vectors);
	local_irq_enable();
	sv.cpus[cpu].el2 = el2;
	sv.cpus[cpu].up = true;
	return 0;
}

static int sv_vhe_cpu_offline(unsigned int cpu)
{
	sv.cpus[cpu].up = false;
	return 0;
}

int sv_vhe_init(void)
{
	int ret;

	sv.cpus = kcalloc(nr_cpu_ids, sizeof(*sv.cpus), GFP_KERNEL);
	sv_vhe_cpus = alloc_percpu(struct sv_el2_cpu);
	if (!sv.cpus || !sv_vhe_cpus) {
		ret = -ENOMEM;
		goto err;
	}
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "splitvisor/vhe:online",
				sv_vhe_cpu_online, sv_vhe_cpu_offline);
	if (ret < 0)
		goto err;
	sv_vhe_hp_state = ret;
	return 0;

err:
	free_percpu(sv_vhe_cpus);
	sv_vhe_cpus = NULL;
	kfree(sv.cpus);
	sv.cpus = NULL;
	return ret;
}

void sv_vhe_exit(void)
{
	if (sv_vhe_hp_state > 0)
		cpuhp_remove_state(sv_vhe_hp_state);
	sv_vhe_hp_state = 0;
	free_percpu(sv_vhe_cpus);
	sv_vhe_cpus = NULL;
	kfree(sv.cpus);
	sv.cpus = NULL;
}
