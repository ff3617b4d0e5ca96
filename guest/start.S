/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry and EL1 exception vectors. splitvm enters _start at EL1h
 * with the MMU off and DAIF masked, x0 = DTB address (0 for now).
 */
#include "guest.h"

/* SCTLR_EL1: RES1 bits, SP alignment checks, I-cache on; MMU off. */
#define SCTLR_EL1_RES1		0x30d00800
#define SCTLR_EL1_SA		(1 << 3)
#define SCTLR_EL1_SA0		(1 << 4)
#define SCTLR_EL1_I		(1 << 12)
#define GUEST_SCTLR		(SCTLR_EL1_RES1 | SCTLR_EL1_SA | \
				 SCTLR_EL1_SA0 | SCTLR_EL1_I)

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	ldr	x9, =GUEST_SCTLR
	msr	sctlr_el1, x9
	adrp	x9, __stack_top
	add	x9, x9, :lo12:__stack_top
	mov	sp, x9
	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	stp	xzr, xzr, [x9], #16
	b	1b
2:	adrp	x9, guest_boot_x0
	str	x19, [x9, :lo12:guest_boot_x0]
	bl	main
	bl	guest_exit
3:	wfi
	b	3b
	.ltorg

/*
 * struct guest_regs on the stack: x0..x30, ELR, SPSR, ESR, FAR. The C
 * handler may change x0..x30, ELR and SPSR before the return.
 */
.macro ventry idx
	.balign	0x80
	sub	sp, sp, #GUEST_REGS_SIZE
	stp	x0, x1, [sp, #16 * 0]
	mov	x1, #\idx
	b	guest_vector_common
.endm

	.text
	.balign	0x800
	.global	guest_vectors
guest_vectors:
	ventry	0	/* current EL, SP_EL0: sync */
	ventry	1	/* IRQ */
	ventry	2	/* FIQ */
	ventry	3	/* SError */
	ventry	4	/* current EL, SP_ELx: sync */
	ventry	5	/* IRQ */
	ventry	6	/* FIQ */
	ventry	7	/* SError */
	ventry	8	/* lower EL, AArch64: sync */
	ventry	9	/* IRQ */
	ventry	10	/* FIQ */
	ventry	11	/* SError */
	ventry	12	/* lower EL, AArch32: sync */
	ventry	13	/* IRQ */
	ventry	14	/* FIQ */
	ventry	15	/* SError */

guest_vector_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #GUEST_REGS_ELR - 8]
	mrs	x3, spsr_el1
	mrs	x4, esr_el1
	stp	x3, x4, [sp, #GUEST_REGS_SPSR]
	mrs	x5, far_el1
	str	x5, [sp, #GUEST_REGS_FAR]
	mov	x0, sp
	bl	guest_handle_exception
	ldp	x30, x2, [sp, #GUEST_REGS_ELR - 8]
	msr	elr_el1, x2
	ldr	x3, [sp, #GUEST_REGS_SPSR]
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldp	x0, x1, [sp, #16 * 0]
	add	sp, sp, #GUEST_REGS_SIZE
	eret
