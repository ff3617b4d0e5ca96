/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering the guest and coming back: the GPR half of the world switch.
 * The C half (lowvisor/switch.c) moves the EL1 system registers, FP/SIMD
 * and EL2 controls around these two.
 */
#include "splitvisor_abi.h"
#include "sv_asm_offsets.h"

#define VCPU_X(n)	(SV_VCPU_REGS + SV_REGS_X0 + 8 * (n))
#define VCPU_ELR	(SV_VCPU_REGS + SV_REGS_ELR)

	.text

// u64 __sv_guest_enter(struct sv_vcpu *vcpu, struct sv_el2_cpu *cpu)
// x0: vcpu, x1: this CPU's state. Returns, through __sv_guest_exit, the
// vector slot the guest left by. Preserves x19-x30 and SP like a C call.
	.globl	__sv_guest_enter
__sv_guest_enter:
	add	x2, x1, #SV_CPU_EL2_CTX
	stp	x19, x20, [x2, #8 * 0]
	stp	x21, x22, [x2, #8 * 2]
	stp	x23, x24, [x2, #8 * 4]
	stp	x25, x26, [x2, #8 * 6]
	stp	x27, x28, [x2, #8 * 8]
	stp	x29, x30, [x2, #8 * 10]
	mov	x3, sp
	str	x3, [x2, #8 * 12]
	mov	x3, #1
	str	x3, [x1, #SV_CPU_IN_GUEST]

	ldp	x2, x3, [x0, #VCPU_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #VCPU_X(2)]
	ldp	x4, x5, [x0, #VCPU_X(4)]
	ldp	x6, x7, [x0, #VCPU_X(6)]
	ldp	x8, x9, [x0, #VCPU_X(8)]
	ldp	x10, x11, [x0, #VCPU_X(10)]
	ldp	x12, x13, [x0, #VCPU_X(12)]
	ldp	x14, x15, [x0, #VCPU_X(14)]
	ldp	x16, x17, [x0, #VCPU_X(16)]
	ldp	x18, x19, [x0, #VCPU_X(18)]
	ldp	x20, x21, [x0, #VCPU_X(20)]
	ldp	x22, x23, [x0, #VCPU_X(22)]
	ldp	x24, x25, [x0, #VCPU_X(24)]
	ldp	x26, x27, [x0, #VCPU_X(26)]
	ldp	x28, x29, [x0, #VCPU_X(28)]
	ldr	x30, [x0, #VCPU_X(30)]
	ldp	x0, x1, [x0, #VCPU_X(0)]
	// ERET is a context synchronization event: every EL2 control and
	// EL1 register the C half wrote takes effect for the guest here.
	eret

// Reached from __sv_trap for an exception from the guest.
// x1: vector slot; the guest's x0, x1 are in the frame at [sp].
	.globl	__sv_guest_exit
__sv_guest_exit:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #SV_CPU_VCPU]
	stp	x2, x3, [x0, #VCPU_X(2)]
	stp	x4, x5, [x0, #VCPU_X(4)]
	stp	x6, x7, [x0, #VCPU_X(6)]
	stp	x8, x9, [x0, #VCPU_X(8)]
	stp	x10, x11, [x0, #VCPU_X(10)]
	stp	x12, x13, [x0, #VCPU_X(12)]
	stp	x14, x15, [x0, #VCPU_X(14)]
	stp	x16, x17, [x0, #VCPU_X(16)]
	stp	x18, x19, [x0, #VCPU_X(18)]
	stp	x20, x21, [x0, #VCPU_X(20)]
	stp	x22, x23, [x0, #VCPU_X(22)]
	stp	x24, x25, [x0, #VCPU_X(24)]
	stp	x26, x27, [x0, #VCPU_X(26)]
	stp	x28, x29, [x0, #VCPU_X(28)]
	str	x30, [x0, #VCPU_X(30)]
	ldp	x2, x3, [sp, #SV_REGS_X0]
	stp	x2, x3, [x0, #VCPU_X(0)]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_ELR]

	mrs	x2, tpidr_el2
	str	xzr, [x2, #SV_CPU_IN_GUEST]
	add	x2, x2, #SV_CPU_EL2_CTX
	ldp	x19, x20, [x2, #8 * 0]
	ldp	x21, x22, [x2, #8 * 2]
	ldp	x23, x24, [x2, #8 * 4]
	ldp	x25, x26, [x2, #8 * 6]
	ldp	x27, x28, [x2, #8 * 8]
	ldp	x29, x30, [x2, #8 * 10]
	ldr	x3, [x2, #8 * 12]
	mov	sp, x3
	mov	x0, x1
	ret

// The guest's HVC, before anything is saved: SV_GUEST_HC_NULL is answered
// here; everything else is a full exit.
// x1: SV_VEC_LOW64_SYNC; the guest's x0, x1 are in the frame at [sp].
	.globl	__sv_guest_sync
__sv_guest_sync:
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x16			// EC: HVC from AArch64
	b.ne	__sv_guest_exit
	ldr	x0, [sp, #SV_REGS_X0]
	movz	x1, #(SV_GUEST_HC_NULL & 0xffff)
	movk	x1, #(SV_GUEST_HC_NULL >> 16), lsl #16
	cmp	x0, x1
	mov	x1, #SV_VEC_LOW64_SYNC
	b.ne	__sv_guest_exit
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #SV_CPU_VCPU]
	ldr	x1, [x0, #SV_VCPU_EL2_HCALLS]
	add	x1, x1, #1
	str	x1, [x0, #SV_VCPU_EL2_HCALLS]
	mov	x0, #0
	ldr	x1, [sp, #SV_REGS_X0 + 8]
	add	sp, sp, #SV_REGS_SIZE
	eret
