// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO the VMM emulates: a stage-2 data abort outside memory becomes a
 * KVM_EXIT_MMIO from the syndrome (ESR_EL2.ISV), and the next KVM_RUN
 * completes it.
 */
#include "splitvisor.h"

#include <linux/string.h>

#include "esr.h"
#include "vm.h"

void sv_mmio_complete(struct sv_vcpu_host *v)
{
	struct sv_mmio_pending *p = &v->mmio;
	u64 val = 0;

	if (!p->is_write) {
		memcpy(&val, v->run->mmio.data, p->len);
		if (p->sign_extend && p->len < 8) {
			u32 shift = 64 - 8 * p->len;

			val = (u64)((s64)(val << shift) >> shift);
		}
		if (!p->reg64)
			val = (u32)val;
		sv_set_reg(v, p->reg, val);
	}
	sv_skip_insn(v);
	p->active = false;
}

int sv_mmio_exit(struct sv_vcpu_host *v, u64 esr, sv_ipa_t ipa)
{
	struct kvm_run *run = v->run;
	struct sv_mmio_pending *p = &v->mmio;
	u64 val;

	if (!(esr & ESR_DABT_ISV)) {
		/*
		 * Load/store pair, writeback or similar: no syndrome to
		 * emulate from. KVM answers -ENOSYS here too.
		 */
		pr_warn_ratelimited("VM %llu vCPU %u: MMIO at IPA 0x%llx without a valid syndrome (ESR 0x%llx, PC 0x%llx)\n",
				    v->vm->id, v->id, ipa.ipa, esr,
				    v->hyp->ctxt.regs.elr);
		return -ENOSYS;
	}
	p->active = true;
	p->is_write = esr & ESR_DABT_WNR;
	p->len = 1 << ESR_DABT_SAS(esr);
	p->sign_extend = esr & ESR_DABT_SSE;
	p->reg64 = esr & ESR_DABT_SF;
	p->reg = ESR_DABT_SRT(esr);

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = ipa.ipa;
	run->mmio.len = p->len;
	run->mmio.is_write = p->is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (p->is_write) {
		val = sv_get_reg(v, p->reg);
		memcpy(run->mmio.data, &val, p->len);
	}
	return 0;
}
