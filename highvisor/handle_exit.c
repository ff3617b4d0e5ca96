// SPDX-License-Identifier: GPL-2.0
/*
 * What the highvisor does when a guest exits: one handler per exception
 * class (the handlers live with what they emulate), and the exit counters.
 */
#include "splitvisor.h"

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <asm/kvm_arm.h>

#include "esr.h"
#include "vm.h"

/* Counters since load, for tests and the bench (debugfs "exits"). */
static atomic64_t sv_exits_by_ec[64];
static atomic64_t sv_exits_irq, sv_exits_mmio_user, sv_exits_other;
static atomic64_t sv_el2_null_calls;
/* By kvm_run.exit_reason, each time KVM_RUN returns to the VMM. */
#define SV_NR_EXIT_REASONS	64
static atomic64_t sv_vmm_exits[SV_NR_EXIT_REASONS];

static const char * const sv_exit_reason_names[SV_NR_EXIT_REASONS] = {
	[KVM_EXIT_MMIO]			= "mmio",
	[KVM_EXIT_INTR]			= "intr",
	[KVM_EXIT_FAIL_ENTRY]		= "fail_entry",
	[KVM_EXIT_INTERNAL_ERROR]	= "internal_error",
	[KVM_EXIT_SYSTEM_EVENT]		= "system_event",
};

void sv_exit_counters_vmm(u32 reason)
{
	if (reason < SV_NR_EXIT_REASONS)
		atomic64_inc(&sv_vmm_exits[reason]);
}

/* A vCPU goes: keep what EL2 answered for it without an exit. */
void sv_exit_counters_retire(struct sv_vcpu_host *v)
{
	atomic64_add(v->ctxt->el2_hcalls, &sv_el2_null_calls);
}

static int sv_exit_abort(struct sv_vcpu_host *v, u64 esr)
{
	const struct sv_vcpu_fault *f = &v->ctxt->fault;
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
	if (iabt) {
		sv_inject_abort(v, true, f->far);
		return 1;
	}
	if (esr & ESR_DABT_S1PTW) {
		pr_warn_ratelimited("VM %llu vCPU %u: guest page tables at IPA 0x%llx are not memory\n",
				    v->vm->id, v->id, ipa.ipa);
		return -EFAULT;
	}
	/* Cache maintenance on an MMIO address does nothing: skip it. */
	if (esr & ESR_DABT_CM) {
		sv_skip_insn(v);
		return 1;
	}
	ret = sv_mmio_exit(v, esr, ipa);
	if (!ret)
		atomic64_inc(&sv_exits_mmio_user);
	return ret;
}

/*
 * First FP/SIMD access (CPTR_EL2.TFP): from now on the guest's FP state
 * is switched; the instruction runs again.
 */
static int sv_exit_fp(struct sv_vcpu_host *v, u64 esr)
{
	v->fp_active = true;
	v->ctxt->cfg.cptr &= ~CPTR_EL2_TFP;
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
		 v->vm->id, v->id, ESR_EC(esr), v->ctxt->regs.elr);
	sv_inject_undef(v);
	return 1;
}

typedef int (*sv_exit_fn)(struct sv_vcpu_host *v, u64 esr);

/* Everything not listed (SVE, pointer auth, ...) is UNDEF for the guest. */
static const sv_exit_fn sv_exit_handlers[64] = {
	[ESR_EC_WFX]		= sv_exit_wfx,
	[ESR_EC_FP]		= sv_exit_fp,
	[ESR_EC_HVC64]		= sv_exit_hvc,
	[ESR_EC_SMC64]		= sv_exit_smc,
	[ESR_EC_SYS64]		= sv_exit_sysreg,
	[ESR_EC_IABT_LOW]	= sv_exit_abort,
	[ESR_EC_DABT_LOW]	= sv_exit_abort,
};

static int sv_internal_error(struct sv_vcpu_host *v, u64 code)
{
	v->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	v->run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	v->run->internal.ndata = 2;
	v->run->internal.data[0] = code;
	v->run->internal.data[1] = v->ctxt->fault.esr;
	return 0;
}

/* >0: run the guest again; 0: back to the VMM (kvm_run says why); <0. */
int sv_handle_exit(struct sv_vcpu_host *v, u64 exit_code)
{
	u64 esr = v->ctxt->fault.esr;
	sv_exit_fn fn;
	int ec;

	switch (exit_code) {
	case SV_EXIT_SYNC:
		ec = ESR_EC(esr);
		atomic64_inc(&sv_exits_by_ec[ec]);
		if (!sv_is_setway(esr))
			v->sw_flushed = false;
		fn = sv_exit_handlers[ec] ?: sv_exit_undef;
		return fn(v, esr);
	case SV_EXIT_IRQ:
	case SV_EXIT_FIQ:
		/* The host took it when interrupts came back on. */
		atomic64_inc(&sv_exits_irq);
		return 1;
	default:
		atomic64_inc(&sv_exits_other);
		pr_warn_ratelimited("VM %llu vCPU %u: unexpected exit %llu (ESR 0x%llx)\n",
				    v->vm->id, v->id, exit_code, esr);
		return sv_internal_error(v, exit_code);
	}
}

void sv_exit_counters_show(struct seq_file *m)
{
	int ec;

	for (ec = 0; ec < 64; ec++)
		if (atomic64_read(&sv_exits_by_ec[ec]))
			seq_printf(m, "ec_0x%02x: %lld\n", ec,
				   atomic64_read(&sv_exits_by_ec[ec]));
	seq_printf(m, "irq: %lld\n", atomic64_read(&sv_exits_irq));
	seq_printf(m, "mmio_user: %lld\n", atomic64_read(&sv_exits_mmio_user));
	seq_printf(m, "other: %lld\n", atomic64_read(&sv_exits_other));
	seq_printf(m, "el2_null_calls: %lld\n",
		   atomic64_read(&sv_el2_null_calls));
	for (ec = 0; ec < SV_NR_EXIT_REASONS; ec++)
		if (sv_exit_reason_names[ec])
			seq_printf(m, "vmm_%s: %lld\n", sv_exit_reason_names[ec],
				   atomic64_read(&sv_vmm_exits[ec]));
}
