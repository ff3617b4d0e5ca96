/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VHE mode's EL2 entry and exit, built into the module: the kernel already
 * runs at EL2, so these are the split-mode image's own guest entry and
 * exit (hyp_vectors/guest.S), FP/SIMD moves (fpsimd.S) and vector tables
 * (vectors_macros.S), assembled with SV_VHE. VBAR_EL2 points here only while
 * vhe.c runs a guest, with every exception masked.
 */
#define SV_VHE 1

#include "vectors_macros.S"
#include "guest.S"
#include "fpsimd.S"

	.text

/* One table per SV_VECTORS_* kind, as the split-mode image's. */
	.balign	SV_VECTORS_SIZE
	.globl	__sv_vhe_vectors
__sv_vhe_vectors:
	sv_vectors	SV_VECTORS_DIRECT
	sv_vectors	SV_VECTORS_BHB_LOOP
	sv_vectors	SV_VECTORS_FW_WA1
	sv_vectors	SV_VECTORS_FW_WA3
	.org	__sv_vhe_vectors + SV_NR_VECTORS * SV_VECTORS_SIZE

/*
 * Common path of every slot. x1: slot number; x0, x1 of the interrupted
 * context at [sp]. Lower-EL exceptions can only be the guest's (these
 * vectors are in only while it runs); one taken at EL2 is a bug in the
 * switch: the whole frame goes to sv_vhe_el2_panic() with the kernel's
 * SP_EL0 (its current task) back in place.
 */
	.globl	__sv_trap
__sv_trap:
	cmp	x1, #SV_VEC_LOW64_SYNC
	b.eq	__sv_guest_sync
	b.hi	__sv_guest_exit
	sv_frame_save_all
	sv_this_cpu	x2, x3
	ldr	x3, [x2, #SV_CPU_HOST_SP_EL0]
	msr	sp_el0, x3
	// void sv_vhe_el2_panic(struct sv_el2_regs *regs, u64 vec)
	mov	x0, sp
	bl	sv_vhe_el2_panic
	b	.

	.ltorg
