/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The assembly half of the world switch (hyp_vectors/guest.S, fpsimd.S),
 * as the C half calls it: in the split-mode image, and in the module's
 * VHE build (highvisor/vhe_entry.S).
 */
#ifndef SV_LOWVISOR_ENTRY_H
#define SV_LOWVISOR_ENTRY_H

#include "splitvisor_abi.h"

void __sv_fpsimd_save(struct sv_fpsimd *fp);
void __sv_fpsimd_load(const struct sv_fpsimd *fp);
/* Returns the vector slot the guest left by, | SV_EXIT_SERROR_PENDING. */
u64 __sv_guest_enter(struct sv_vcpu *vcpu, struct sv_el2_cpu *cpu);

#ifdef SV_VHE
/* vhe_entry.S: the vector tables, one per SV_VECTORS_* kind. */
extern char __sv_vhe_vectors[];
/* vhe.c, called by vhe_entry.S for an exception taken at EL2. */
void __noreturn sv_vhe_el2_panic(struct sv_el2_regs *regs, u64 vec);
#endif

#endif
