/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runtime vector tables' assembler macros, shared by the split-mode
 * image (vectors.S) and the VHE build in the module (highvisor/
 * vhe_entry.S, which defines SV_VHE). Each build provides __sv_trap (a
 * slot's common path) and guest.S's __sv_el2_serror. Included by
 * those files, never assembled on its own.
 */
#ifndef SV_HYP_VECTORS_MACROS_S
#define SV_HYP_VECTORS_MACROS_S

#include "splitvisor_abi.h"
#include "sv_asm_offsets.h"

/*
 * \reg = this CPU's struct sv_el2_cpu; \tmp is clobbered in VHE mode.
 * Split mode keeps it in TPIDR_EL2. In VHE mode TPIDR_EL2 is the kernel's
 * per-CPU offset, and sv_vhe_cpus the module's per-CPU allocation.
 */
.macro	sv_this_cpu	reg, tmp
#ifdef SV_VHE
	ldr	\reg, =sv_vhe_cpus
	ldr	\reg, [\reg]
	mrs	\tmp, tpidr_el2
	add	\reg, \reg, \tmp
#else
	mrs	\reg, tpidr_el2
#endif
.endm

/*
 * One architectural vector slot: push a frame, remember which slot fired,
 * and go to the common path. Slots are 0x80 bytes (ARM ARM D1.10.2).
 * ESB (a NOP without RAS) as KVM's vectors. "kind" is one of
 * SV_VECTORS_*: what the slot does against branch-predictor attacks
 * before the first indirect branch (KVM's hyp_ventry,
 * arch/arm64/kvm/hyp/hyp-entry.S):
 *   BHB_LOOP  k taken branches overwrite the branch history (k per CPU,
 *             from its MIDR: the kernel's spectre_bhb_loop_affected()),
 *             then a speculation barrier (SB is DSB NSH; ISB on v8.0);
 *   FW_WA1/3  SMCCC ARCH_WORKAROUND_1 or _3 to EL3 firmware, which
 *             invalidates the branch predictor; SMCCC 1.1 lets it
 *             clobber x0-x3 only.
 */
.macro	sv_slot	vec, target=__sv_trap, kind=SV_VECTORS_DIRECT
	.balign	0x80
.Lslot\@:
	hint	#16				// ESB
	sub	sp, sp, #SV_REGS_SIZE
	stp	x0, x1, [sp, #SV_REGS_X0]
	.if	\kind == SV_VECTORS_BHB_LOOP
	sv_this_cpu	x0, x1
	ldr	x0, [x0, #SV_CPU_BHB_LOOP_K]
.Lbhb\@:
	b	. + 4
	subs	x0, x0, #1
	b.ne	.Lbhb\@
	dsb	nsh
	isb
	.elseif	\kind == SV_VECTORS_FW_WA1 || \kind == SV_VECTORS_FW_WA3
	stp	x2, x3, [sp, #SV_REGS_X0 + 8 * 2]
	.if	\kind == SV_VECTORS_FW_WA1
	mov	w0, #SV_SMCCC_ARCH_WA_1
	.else
	mov	w0, #SV_SMCCC_ARCH_WA_3
	.endif
	smc	#0
	ldp	x2, x3, [sp, #SV_REGS_X0 + 8 * 2]
	.endif
	mov	x1, #\vec
	b	\target
	.if	. - .Lslot\@ > 0x80
	.error	"vector slot larger than 0x80 bytes"
	.endif
.endm

/* One runtime vector table of the given kind: 16 slots, 2 KiB. */
.macro	sv_vectors	kind
	.balign	SV_VECTORS_SIZE
.Ltable\@:
	sv_slot	0, kind=\kind				// Synchronous, current EL, SP0
	sv_slot	1, kind=\kind				// IRQ, current EL, SP0
	sv_slot	2, kind=\kind				// FIQ, current EL, SP0
	sv_slot	3, kind=\kind				// SError, current EL, SP0
	sv_slot	SV_VEC_CUR_SPX_SYNC, kind=\kind		// Synchronous, current EL, SPx
	sv_slot	5, kind=\kind				// IRQ, current EL, SPx
	sv_slot	6, kind=\kind				// FIQ, current EL, SPx
	sv_slot	SV_VEC_CUR_SPX_SERR, __sv_el2_serror, \kind	// SError, current EL, SPx
	sv_slot	SV_VEC_LOW64_SYNC, kind=\kind		// Synchronous, lower EL, AArch64
	sv_slot	SV_VEC_LOW64_IRQ, kind=\kind		// IRQ, lower EL, AArch64
	sv_slot	SV_VEC_LOW64_FIQ, kind=\kind		// FIQ, lower EL, AArch64
	sv_slot	SV_VEC_LOW64_SERR, kind=\kind		// SError, lower EL, AArch64
	sv_slot	SV_VEC_LOW32_SYNC, kind=\kind		// Synchronous, lower EL, AArch32
	sv_slot	SV_VEC_LOW32_IRQ, kind=\kind		// IRQ, lower EL, AArch32
	sv_slot	SV_VEC_LOW32_FIQ, kind=\kind		// FIQ, lower EL, AArch32
	sv_slot	SV_VEC_LOW32_SERR, kind=\kind		// SError, lower EL, AArch32
	.org	.Ltable\@ + SV_VECTORS_SIZE
.endm

/*
 * The part of a host's frame every call keeps: x18-x30 (x18 the platform
 * register, x19-x29 callee-saved, x30 the caller's LR), ELR_EL2 and
 * SPSR_EL2. x2, x3 are scratch: saved before, restored after.
 */
.macro	sv_frame_save_kept
	stp	x18, x19, [sp, #SV_REGS_X0 + 8 * 18]
	stp	x20, x21, [sp, #SV_REGS_X0 + 8 * 20]
	stp	x22, x23, [sp, #SV_REGS_X0 + 8 * 22]
	stp	x24, x25, [sp, #SV_REGS_X0 + 8 * 24]
	stp	x26, x27, [sp, #SV_REGS_X0 + 8 * 26]
	stp	x28, x29, [sp, #SV_REGS_X0 + 8 * 28]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	str	x30, [sp, #SV_REGS_X30]
	stp	x2, x3, [sp, #SV_REGS_ELR]
.endm

.macro	sv_frame_restore_kept
	ldp	x2, x3, [sp, #SV_REGS_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x18, x19, [sp, #SV_REGS_X0 + 8 * 18]
	ldp	x20, x21, [sp, #SV_REGS_X0 + 8 * 20]
	ldp	x22, x23, [sp, #SV_REGS_X0 + 8 * 22]
	ldp	x24, x25, [sp, #SV_REGS_X0 + 8 * 24]
	ldp	x26, x27, [sp, #SV_REGS_X0 + 8 * 26]
	ldp	x28, x29, [sp, #SV_REGS_X0 + 8 * 28]
	ldr	x30, [sp, #SV_REGS_X30]
.endm

/* The whole frame: x2-x17 as well (x0, x1 are in it already). */
.macro	sv_frame_save_all
	stp	x2, x3, [sp, #SV_REGS_X0 + 8 * 2]
	stp	x4, x5, [sp, #SV_REGS_X0 + 8 * 4]
	stp	x6, x7, [sp, #SV_REGS_X0 + 8 * 6]
	stp	x8, x9, [sp, #SV_REGS_X0 + 8 * 8]
	stp	x10, x11, [sp, #SV_REGS_X0 + 8 * 10]
	stp	x12, x13, [sp, #SV_REGS_X0 + 8 * 12]
	stp	x14, x15, [sp, #SV_REGS_X0 + 8 * 14]
	stp	x16, x17, [sp, #SV_REGS_X0 + 8 * 16]
	sv_frame_save_kept
.endm

#endif
