// SPDX-License-Identifier: GPL-2.0
/*
 * The lowvisor's C half: everything that runs at EL2 after the vectors have
 * saved the interrupted context. Today the host is the only thing that runs
 * below EL2, so every entry is a host call or an unexpected exception.
 */
#include "el2.h"
#include "sysreg.h"
#include "stage2.h"
#include "tlb.h"

typedef int (*sv_hcall_fn)(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs);

static struct sv_el2_cpu *this_cpu(void)
{
	return (struct sv_el2_cpu *)read_sysreg(tpidr_el2);
}

static int sv_hc_ping(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	regs->x[0] = SV_RET_OK;
	regs->x[1] = SV_ABI_REVISION;
	regs->x[2] = cpu->cpu;
	regs->x[3] = read_sysreg(mpidr_el1);
	return SV_ACT_RETURN;
}

/*
 * Give EL2 back: the control registers go back to the stub's values here;
 * the MMU, TCR/MAIR and VBAR change in the exit path (__sv_reset_tail) once
 * nothing at EL2 touches memory any more.
 */
static int sv_hc_reset(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	const struct sv_el2_stub_regs *s = &cpu->stub;

	/* Vector tables are 2 KiB aligned (VBAR_EL2[10:0] are RES0). */
	if (regs->x[1] & 0x7ff) {
		regs->x[0] = SV_RET_INVALID;
		return SV_ACT_RETURN;
	}
	write_sysreg(s->hcr, hcr_el2);
	write_sysreg(s->cptr, cptr_el2);
	write_sysreg(s->mdcr, mdcr_el2);
	write_sysreg(s->hstr, hstr_el2);
	write_sysreg(s->cnthctl, cnthctl_el2);
	write_sysreg(s->vtcr, vtcr_el2);
	write_sysreg(s->vttbr, vttbr_el2);
	write_sysreg(s->cntvoff, cntvoff_el2);
	isb();
	regs->x[0] = SV_RET_OK;
	regs->x[2] = s->sctlr;
	regs->x[3] = s->tcr;
	regs->x[4] = s->mair;
	return SV_ACT_RESET;
}

static int sv_hc_test_fault(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	u64 v;

	/* Never returns: the data abort goes through sv_el2_panic(). */
	asm volatile("ldr %0, [%1]" : "=r" (v) : "r" (SV_EL2_UNMAPPED_VA));
	regs->x[1] = v;
	regs->x[0] = SV_RET_OK;
	return SV_ACT_RETURN;
}

/* The TLB maintenance calls: x1 a VTTBR value; the sequences are tlb.h's. */
static int sv_hc_flush_vmid(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	sv_tlb_flush_vmid(cpu->caps, regs->x[1]);
	regs->x[0] = SV_RET_OK;
	return SV_ACT_RETURN;
}

static int sv_hc_flush_cpu_ctxt(struct sv_el2_cpu *cpu,
				struct sv_el2_regs *regs)
{
	sv_tlb_flush_cpu_ctxt(cpu->caps, regs->x[1]);
	regs->x[0] = SV_RET_OK;
	return SV_ACT_RETURN;
}

static int sv_hc_flush_guests(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	sv_tlb_flush_guests();
	regs->x[0] = SV_RET_OK;
	return SV_ACT_RETURN;
}

/* EL2 translations, after the highvisor unmapped something. */
static int sv_hc_flush_el2(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	dsb(ishst);
	sv_tlbi("alle2is");
	dsb(ish);
	isb();
	regs->x[0] = SV_RET_OK;
	return SV_ACT_RETURN;
}

static const sv_hcall_fn sv_hcalls[SV_HC_NR] = {
	[SV_HC_PING]		= sv_hc_ping,
	[SV_HC_RESET]		= sv_hc_reset,
	[SV_HC_TEST_FAULT]	= sv_hc_test_fault,
	[SV_HC_VCPU_RUN]	= sv_hc_vcpu_run,
	[SV_HC_FLUSH_VMID]	= sv_hc_flush_vmid,
	[SV_HC_FLUSH_EL2]	= sv_hc_flush_el2,
	[SV_HC_FLUSH_GUESTS]	= sv_hc_flush_guests,
	[SV_HC_FLUSH_CPU_CTXT]	= sv_hc_flush_cpu_ctxt,
	[SV_HC_FLUSH_IPA]	= sv_hc_flush_ipa,
};

static int sv_handle_hcall(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	u64 fn = SV_HC_FN(regs->x[0]);

	if (regs->x[0] < SV_HC_ID(0) || fn >= SV_HC_NR || !sv_hcalls[fn]) {
		regs->x[0] = (u64)SV_RET_NOT_SUPPORTED;
		return SV_ACT_RETURN;
	}
	return sv_hcalls[fn](cpu, regs);
}

/*
 * Reached from the init vectors with the MMU just turned on. x8-x10 hold
 * the stub's SCTLR/TCR/MAIR_EL2 as found (see __sv_init).
 */
static void sv_el2_init(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
{
	struct sv_el2_stub_regs *s = &cpu->stub;

	s->sctlr = regs->x[8];
	s->tcr = regs->x[9];
	s->mair = regs->x[10];
	s->hcr = read_sysreg(hcr_el2);
	s->cptr = read_sysreg(cptr_el2);
	s->mdcr = read_sysreg(mdcr_el2);
	s->hstr = read_sysreg(hstr_el2);
	s->cnthctl = read_sysreg(cnthctl_el2);
	s->vtcr = read_sysreg(vtcr_el2);
	s->vttbr = read_sysreg(vttbr_el2);
	s->cntvoff = read_sysreg(cntvoff_el2);
	s->vpidr = read_sysreg(vpidr_el2);
	s->vmpidr = read_sysreg(vmpidr_el2);
	/* ICC_SRE_EL2 only exists with the GICv3 system-register interface. */
	cpu->host_icc_sre = 0;
	if (cpu->caps & SV_CAP_GICV3_SYSREG)
		cpu->host_icc_sre = read_sysreg(s3_4_c12_c9_5);

	sv_load_host_ctl(cpu);
	write_sysreg(cpu->runtime_vbar, vbar_el2);
	/* The new traps and vectors apply from the ERET on (ARM ARM D1.10). */
	isb();

	cpu->fault.count = 0;
	cpu->host_ctxt.running_vcpu = 0;
	cpu->in_guest = 0;
	regs->x[0] = SV_RET_OK;
}

/*
 * Make the host take an Undefined Instruction exception at the instruction
 * that trapped, as it would on a CPU without EL2, so an unexpected trap from
 * the host is reported by Linux instead of looping here.
 */
static void sv_inject_undef(struct sv_el2_regs *regs)
{
	u64 mode = regs->spsr & PSR_MODE_MASK;
	u64 offset;

	if (mode == PSR_MODE_EL1h)
		offset = 0x200;
	else if (mode == PSR_MODE_EL1t)
		offset = 0x000;
	else if (mode == PSR_MODE_EL0t)
		offset = 0x400;
	else
		offset = 0x600;

	write_sysreg(regs->elr, elr_el1);
	write_sysreg(regs->spsr, spsr_el1);
	write_sysreg(ESR_IL, esr_el1);
	regs->elr = read_sysreg(vbar_el1) + offset;
	regs->spsr = PSR_DAIF | PSR_MODE_EL1h;
}

static void sv_record_fault(struct sv_el2_cpu *cpu, u64 vec)
{
	struct sv_el2_fault *f = &cpu->fault;

	f->count++;
	f->vector = vec;
	f->esr = read_sysreg(esr_el2);
	f->elr = read_sysreg(elr_el2);
	f->far = read_sysreg(far_el2);
	f->par = read_sysreg(par_el1);
	f->spsr = read_sysreg(spsr_el2);
}

/*
 * An exception taken at EL2 itself. Whatever EL2 was doing is abandoned:
 * the host's frame (always the first one on this CPU's stack) is restored
 * with the fault as the result of its call, so EL2 never hangs.
 */
static struct sv_el2_ret sv_el2_panic(struct sv_el2_cpu *cpu, u64 vec)
{
	struct sv_el2_regs *host = (struct sv_el2_regs *)cpu->stack_top - 1;

	sv_record_fault(cpu, vec);
	/* Mid world switch: the host must not come back to guest state. */
	if (cpu->host_ctxt.running_vcpu) {
		cpu->in_guest = 0;
		sv_switch_to_host(cpu, (struct sv_vcpu *)
				  cpu->host_ctxt.running_vcpu);
	}
	host->x[0] = (u64)SV_RET_EL2_FAULT;
	host->x[1] = cpu->fault.esr;
	host->x[2] = cpu->fault.elr;
	host->x[3] = cpu->fault.far;
	return (struct sv_el2_ret){ host, SV_ACT_RETURN };
}

struct sv_el2_ret sv_el2_trap(struct sv_el2_regs *regs, u64 vec)
{
	struct sv_el2_cpu *cpu = this_cpu();
	int act = SV_ACT_RETURN;

	switch (vec) {
	case SV_VEC_INIT:
		sv_el2_init(cpu, regs);
		break;
	case SV_VEC_LOW64_SYNC:
		if (ESR_EC(read_sysreg(esr_el2)) == ESR_EC_HVC64) {
			act = sv_handle_hcall(cpu, regs);
			break;
		}
		fallthrough;
	case SV_VEC_LOW32_SYNC:
		sv_record_fault(cpu, vec);
		sv_inject_undef(regs);
		break;
	case SV_VEC_LOW64_IRQ:
	case SV_VEC_LOW64_FIQ:
	case SV_VEC_LOW64_SERR:
		/* Not routed here while the host runs (HCR_EL2.{IMO,FMO,AMO}=0) */
		sv_record_fault(cpu, vec);
		break;
	default:
		return sv_el2_panic(cpu, vec);
	}
	return (struct sv_el2_ret){ regs, act };
}
