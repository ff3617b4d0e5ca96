// SPDX-License-Identifier: GPL-2.0
/* Exceptions the highvisor makes the guest take at its EL1. */
#include "splitvisor.h"

#include <asm/ptrace.h>

#include "esr.h"
#include "hyp_ops.h"
#include "vm.h"

/*
 * Take a synchronous exception to the guest's EL1, as the CPU would:
 * ELR/SPSR/ESR/FAR_EL1, PSTATE to EL1h with DAIF masked, PC to the vector.
 */
void sv_inject_sync(struct sv_vcpu_host *v, u64 esr, u64 far)
{
	struct sv_vcpu *c = v->hyp;
	u64 mode = c->ctxt.regs.spsr & PSR_MODE_MASK;
	/* From AArch32 EL0: the lower-EL AArch32 vectors (D1.10.2). */
	u64 offset = c->ctxt.regs.spsr & PSR_MODE32_BIT ? 0x600 :
		     mode == PSR_MODE_EL1h ? 0x200 :
		     mode == PSR_MODE_EL1t ? 0x000 : 0x400;

	sv_hyp_sysregs_to_memory(c);
	c->ctxt.sys[SV_ELR_EL1] = c->ctxt.regs.elr;
	c->ctxt.sys[SV_SPSR_EL1] = c->ctxt.regs.spsr;
	c->ctxt.sys[SV_ESR_EL1] = esr;
	c->ctxt.sys[SV_FAR_EL1] = far;
	c->ctxt.regs.spsr = PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT |
		       PSR_MODE_EL1h;
	c->ctxt.regs.elr = c->ctxt.sys[SV_VBAR_EL1] + offset;
}

void sv_inject_undef(struct sv_vcpu_host *v)
{
	sv_inject_sync(v, (u64)ESR_EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL, 0);
}

/* A synchronous external abort on an instruction fetch or data access. */
void sv_inject_abort(struct sv_vcpu_host *v, bool iabt, u64 far)
{
	bool from_el1 = (v->hyp->ctxt.regs.spsr & PSR_MODE_MASK) != PSR_MODE_EL0t;
	u64 ec;

	if (iabt)
		ec = from_el1 ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	else
		ec = from_el1 ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	sv_inject_sync(v, ec << ESR_EC_SHIFT | ESR_IL | ESR_FSC_EXTABT, far);
}
