// SPDX-License-Identifier: GPL-2.0
/*
 * Generates sv_asm_offsets.h for the EL2 assembly (the build turns the
 * "->" markers in this file's assembly output into #defines). The highvisor
 * static_asserts the same values against its own compiler's view of the
 * structs, so the two worlds cannot disagree on a layout.
 */
#include <stddef.h>
#include "splitvisor_abi.h"

#define DEFINE(sym, val) ({ \
	asm volatile("\n.ascii \"->" #sym " %0\"" : : "i" (val)); \
})

void sv_asm_offsets(void)
{
	DEFINE(SV_REGS_X0, offsetof(struct sv_el2_regs, x[0]));
	DEFINE(SV_REGS_X30, offsetof(struct sv_el2_regs, x[30]));
	DEFINE(SV_REGS_ELR, offsetof(struct sv_el2_regs, elr));
	DEFINE(SV_REGS_SPSR, offsetof(struct sv_el2_regs, spsr));
	DEFINE(SV_REGS_SIZE, sizeof(struct sv_el2_regs));
	DEFINE(SV_IP_MAIR, offsetof(struct sv_init_params, mair_el2));
	DEFINE(SV_IP_TCR, offsetof(struct sv_init_params, tcr_el2));
	DEFINE(SV_IP_TTBR0, offsetof(struct sv_init_params, ttbr0_el2));
	DEFINE(SV_IP_SCTLR, offsetof(struct sv_init_params, sctlr_el2));
	DEFINE(SV_IP_STACK_TOP, offsetof(struct sv_init_params, stack_top));
	DEFINE(SV_IP_CPU, offsetof(struct sv_init_params, cpu));
	DEFINE(SV_HDR_SIZE, sizeof(struct sv_image_header));
	DEFINE(SV_CPU_VCPU, offsetof(struct sv_el2_cpu, host_ctxt.running_vcpu));
	DEFINE(SV_CPU_IN_GUEST, offsetof(struct sv_el2_cpu, in_guest));
	DEFINE(SV_CPU_HOST_CTXT, offsetof(struct sv_el2_cpu, host_ctxt));
	DEFINE(SV_CPU_BHB_LOOP_K, offsetof(struct sv_el2_cpu, bhb_loop_k));
	DEFINE(SV_CTXT_REGS, offsetof(struct sv_cpu_ctxt, regs));
	DEFINE(SV_CTXT_EL2_SP, offsetof(struct sv_cpu_ctxt, el2_sp));
	DEFINE(SV_VCPU_REGS, offsetof(struct sv_vcpu, ctxt.regs));
	DEFINE(SV_VCPU_SP_EL0, offsetof(struct sv_vcpu, ctxt.sys[SV_SP_EL0]));
	DEFINE(SV_CPU_HOST_SP_EL0,
	       offsetof(struct sv_el2_cpu, host_ctxt.sys[SV_SP_EL0]));
	DEFINE(SV_FP_FPSR, offsetof(struct sv_fpsimd, fpsr));
	DEFINE(SV_FP_FPCR, offsetof(struct sv_fpsimd, fpcr));
}
