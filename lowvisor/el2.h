/* SPDX-License-Identifier: GPL-2.0 */
/* Interfaces between the EL2 assembly (hyp_vectors/) and the EL2 C code. */
#ifndef SV_LOWVISOR_EL2_H
#define SV_LOWVISOR_EL2_H

#include "splitvisor_abi.h"
#include "entry.h"

/* What the exit path does with the frame sv_el2_trap() hands back. */
#define SV_ACT_RETURN	0	/* restore the frame and ERET */
#define SV_ACT_RESET	1	/* ... then give EL2 back (x1, x2, x3, x4) */

struct sv_el2_ret {
	struct sv_el2_regs *regs;	/* frame to restore */
	u64 action;			/* SV_ACT_* */
};

struct sv_el2_ret sv_el2_trap(struct sv_el2_regs *regs, u64 vec);


/* tlb.c */
int sv_hc_flush_ipa(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs);

/* switch.c */
int sv_hc_vcpu_run(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs);
void sv_switch_to_host(struct sv_el2_cpu *cpu, struct sv_vcpu *vcpu);
void sv_load_host_ctl(struct sv_el2_cpu *cpu);

#endif
