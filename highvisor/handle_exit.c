// SPDX-License-Identifier: GPL-2.0
/*
 * What the highvisor does when a guest exits: one handler per exception
 * class (the handlers live with what they emulate), and the exit counters.
 */
#include "splitvisor.h"

#include <linux/sched.h>
#include <linux/seq_file.h>
#include <asm/kvm_arm.h>

#include "esr.h"
#include "stats.h"
#include "vm.h"

static int sv_exit_abort(struct sv_vcpu_host *v, u64 esr)
{
	const struct sv_vcpu_fault *f = &v->hyp->fault;
	sv_ipa_t ipa = { (f->hpfar >> 4) << 12 | (f->far & 0xfff) };
	bool iabt = ESR_EC(esr) == ESR_EC_IABT_LOW;
	bool write = !iabt && (esr & ESR_DABT_WNR) && !(esr & ESR_DABT_S1PTW);
	bool is_mmio;
	int ret;

	if (f->par_fail)
		return 1;	/* FAR did not translate: let the guest retry */
	/* Beyond the VM's IPA space: nothing is there, not even MMIO. */
	if (ipa.ipa >> v->vm->ipa_bits) {
		sv_inject_abort(v, iabt, f->far);
		return 1;
	}
	ret = sv_s2_handle_fault(v->vm, ipa, write, iabt, &is_mmio);
	if (ret == -EPERM) {
		/* As KVM: the VMM gets EFAULT from KVM_RUN. */
		pr_info_ratelimited("VM %llu vCPU %u: guest write to IPA 0x%llx, which the VMM maps read-only\n",
				    v->vm->id, v->id, ipa.ipa);
		return -EFAULT;
	}
	if (ret) {
		pr_warn_ratelimited("VM %llu vCPU %u: cannot back IPA 0x%llx (error %d)\n",
				    v->vm->id, v->id, ipa.ipa, ret);
		return ret;
	}
	if (!is_mmio)
		return 1;
	/*
	 * Instructions or page tables outside memory: nothing the VMM can
	 * emulate (no syndrome). As KVM 6.1's kvm_handle_guest_abort(): the
	 * guest gets an external abort at the VA, a prefetch abort for an
	 * instruction fetch (also one whose stage-1 walk got here), a data
	 * abort for a load or store whose walk did.
	 */
	if (iabt || (esr & ESR_DABT_S1PTW)) {
		sv_inject_abort(v, iabt, f->far);
		return 1;
	}
	/* Cache maintenance on an MMIO address does nothing: skip it. */
	if (esr & ESR_DABT_CM) {
		sv_skip_insn(v);
		return 1;
	}
	ret = sv_mmio_exit(v, esr, ipa);
	if (!ret)
		sv_stat_inc(exits_mmio_user);
	return ret;
}

/*
 * First FP/SIMD access (CPTR_EL2.TFP): from now on the guest's FP state
 * is switched; the instruction runs again.
 */
static int sv_exit_fp(struct sv_vcpu_host *v, u64 esr)
{
	v->fp_active = true;
	v->hyp->cfg.cptr &= ~CPTR_EL2_TFP;
	return 1;
}

/* WFI/WFE: no interrupts to wait for yet; give the CPU away. */
static int sv_exit_wfx(struct sv_vcpu_host *v, u64 esr)
{
	sv_skip_insn(v);
	cond_resched();
	return 1;
}

static int sv_exit_undef(struct sv_vcpu_host *v, u64 esr)
{
	pr_debug("VM %llu vCPU %u: UNDEF for EC 0x%llx at PC 0x%llx\n",
		 v->vm->id, v->id, ESR_EC(esr), v->hyp->ctxt.regs.elr);
	sv_inject_undef(v);
	return 1;
}

/*
 * Everything not listed (SVE, pointer auth, ...) is UNDEF for the guest
 * (sv_handle_exit() in vm.h).
 */
const sv_exit_fn sv_exit_handlers[64] = {
	[ESR_EC_WFX]		= sv_exit_wfx,
	[ESR_EC_FP]		= sv_exit_fp,
	[ESR_EC_HVC64]		= sv_exit_hvc,
	[ESR_EC_SMC64]		= sv_exit_smc,
	[ESR_EC_SYS64]		= sv_exit_sysreg,
	[ESR_EC_IABT_LOW]	= sv_exit_abort,
	[ESR_EC_DABT_LOW]	= sv_exit_abort,
	[ESR_EC_BREAKPT_LOW]	= sv_exit_debug,
	[ESR_EC_SOFTSTP_LOW]	= sv_exit_debug,
	[ESR_EC_WATCHPT_LOW]	= sv_exit_debug,
	[ESR_EC_BRK64]		= sv_exit_debug,
};

static int sv_internal_error(struct sv_vcpu_host *v, u64 code)
{
	v->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	v->run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	v->run->internal.ndata = 2;
	v->run->internal.data[0] = code;
	v->run->internal.data[1] = v->hyp->fault.esr;
	return 0;
}

/*
 * A physical SError was pending as the guest left: it was taken at EL2
 * right then (hyp_vectors/guest.S), so it is the guest's. As KVM
 * (handle_exit_early(), kvm_inject_vabt()): the guest gets a virtual
 * SError, and the trap it took meanwhile is not handled: it comes back to
 * the same instruction, except for an HVC, whose ELR is already past it.
 */
static int sv_exit_serror(struct sv_vcpu_host *v, u64 exit_code)
{
	u64 ec = ESR_EC(v->hyp->fault.esr);

	v->hyp->cfg.hcr |= HCR_VSE;
	if (SV_EXIT_CODE(exit_code) == SV_EXIT_SYNC && ec == ESR_EC_HVC64)
		v->hyp->ctxt.regs.elr -= 4;
	pr_info_ratelimited("VM %llu vCPU %u: SError from the guest, handed back to it as a virtual SError\n",
			    v->vm->id, v->id);
	return 1;
}

/* Every exit but a trap with a handler (sv_handle_exit() in vm.h). */
int __sv_handle_exit(struct sv_vcpu_host *v, u64 exit_code)
{
	u64 esr = v->hyp->fault.esr;

	if (exit_code & SV_EXIT_SERROR_PENDING)
		return sv_exit_serror(v, exit_code);
	switch (exit_code) {
	case SV_EXIT_SYNC:
		return sv_exit_undef(v, esr);
	case SV_EXIT_IRQ:
	case SV_EXIT_FIQ:
		/* The host took it when interrupts came back on. */
		return 1;
	case SV_EXIT_SERROR:
		/* Taken from the guest with HCR_EL2.AMO: the guest's. */
		return sv_exit_serror(v, exit_code);
	default:
		pr_warn_ratelimited("VM %llu vCPU %u: unexpected exit %llu (ESR 0x%llx)\n",
				    v->vm->id, v->id, exit_code, esr);
		return sv_internal_error(v, exit_code);
	}
}
