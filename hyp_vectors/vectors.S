/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL2 exception vectors, the GPR save/restore around sv_el2_trap(), the
 * init path taken with the MMU off, and the two routines that talk to
 * Linux's hyp stub (reading its vectors, handing EL2 back).
 */
#include "splitvisor_abi.h"
#include "sv_asm_offsets.h"
#include "esr.h"
#include "vectors_macros.S"

#define SCTLR_ELX_M	(1 << 0)
#define SCTLR_ELX_C	(1 << 2)
#define SCTLR_ELX_I	(1 << 12)

	.text

/* A slot that needs no stack: the init vectors' host-call slot. */
.macro	sv_slot_branch	target
	.balign	0x80
.Lslot\@:
	b	\target
	.if	. - .Lslot\@ > 0x80
	.error	"vector slot larger than 0x80 bytes"
	.endif
.endm

/*
 * Runtime vectors: SV_NR_VECTORS tables in SV_VECTORS_* order. The host
 * runs with the first (runtime_vbar); a guest with the one its CPU needs
 * (guest_vbar), as KVM switches between its host and hyp vectors.
 */
	.balign	SV_VECTORS_SIZE
	.globl	__sv_runtime_vectors
__sv_runtime_vectors:
	sv_vectors	SV_VECTORS_DIRECT
	sv_vectors	SV_VECTORS_BHB_LOOP
	sv_vectors	SV_VECTORS_FW_WA1
	sv_vectors	SV_VECTORS_FW_WA3
	// One table per SV_VECTORS_* kind, in order: fails if out of step.
	.org	__sv_runtime_vectors + SV_NR_VECTORS * SV_VECTORS_SIZE

/*
 * Init vectors: installed through the stub's HVC_SET_VECTORS, they accept
 * exactly one call, SV_HC_INIT. Exceptions at EL2 take the runtime path:
 * __sv_init sets up SP and TPIDR_EL2 before anything can fault.
 */
	.balign	0x800
	.globl	__sv_init_vectors
__sv_init_vectors:
	sv_slot	0				// Synchronous, current EL, SP0
	sv_slot	1				// IRQ, current EL, SP0
	sv_slot	2				// FIQ, current EL, SP0
	sv_slot	3				// SError, current EL, SP0
	sv_slot	SV_VEC_CUR_SPX_SYNC		// Synchronous, current EL, SPx
	sv_slot	5				// IRQ, current EL, SPx
	sv_slot	6				// FIQ, current EL, SPx
	sv_slot	7				// SError, current EL, SPx
	sv_slot_branch	__sv_init		// Synchronous, lower EL, AArch64
	sv_slot_branch	__sv_init_reject	// IRQ, lower EL, AArch64
	sv_slot_branch	__sv_init_reject	// FIQ, lower EL, AArch64
	sv_slot_branch	__sv_init_reject	// SError, lower EL, AArch64
	sv_slot_branch	__sv_init_reject	// Synchronous, lower EL, AArch32
	sv_slot_branch	__sv_init_reject	// IRQ, lower EL, AArch32
	sv_slot_branch	__sv_init_reject	// FIQ, lower EL, AArch32
	sv_slot_branch	__sv_init_reject	// SError, lower EL, AArch32

/*
 * Common path of every slot.
 * x1: slot number; x0, x1 of the interrupted context already at [sp].
 * Exceptions from a running guest go to guest.S, all others are saved
 * here and handed to sv_el2_trap().
 */
	.globl	__sv_trap
__sv_trap:
	cmp	x1, #SV_VEC_LOW64_SYNC
	b.lo	.Lfrom_el2
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #SV_CPU_IN_GUEST]
	cbz	x0, .Lfrom_el2
	cmp	x1, #SV_VEC_LOW64_SYNC
	b.eq	__sv_guest_sync
	b	__sv_guest_exit
.Lfrom_el2:
	cmp	x1, #SV_VEC_LOW64_SYNC
	b.ne	.Lsave_all
	mrs	x0, esr_el2
	lsr	x0, x0, #ESR_ELX_EC_SHIFT
	cmp	x0, #ESR_ELX_EC_HVC64
	b.ne	.Lsave_all
	ldr	x0, [sp, #SV_REGS_X0]
	movz	x1, #(SV_HC_ID(SV_HC_VCPU_RUN) & 0xffff)
	movk	x1, #(SV_HC_ID(SV_HC_VCPU_RUN) >> 16), lsl #16
	cmp	x0, x1
	b.eq	__sv_vcpu_run_entry
	mov	x1, #SV_VEC_LOW64_SYNC
.Lsave_all:
	sv_frame_save_all

	// struct sv_el2_ret sv_el2_trap(struct sv_el2_regs *regs, u64 vec)
	mov	x0, sp
	bl	sv_el2_trap
	// x0: frame to restore (the panic path may pick an outer one),
	// x1: SV_ACT_*
	mov	sp, x0
	sv_frame_restore_kept
	ldp	x2, x3, [sp, #SV_REGS_X0 + 8 * 2]
	ldp	x4, x5, [sp, #SV_REGS_X0 + 8 * 4]
	ldp	x6, x7, [sp, #SV_REGS_X0 + 8 * 6]
	ldp	x8, x9, [sp, #SV_REGS_X0 + 8 * 8]
	ldp	x10, x11, [sp, #SV_REGS_X0 + 8 * 10]
	ldp	x12, x13, [sp, #SV_REGS_X0 + 8 * 12]
	ldp	x14, x15, [sp, #SV_REGS_X0 + 8 * 14]
	ldp	x16, x17, [sp, #SV_REGS_X0 + 8 * 16]
	cbnz	x1, __sv_reset_tail
	ldp	x0, x1, [sp, #SV_REGS_X0]
	add	sp, sp, #SV_REGS_SIZE
	eret

/*
 * The host's run call (HVC SV_HC_VCPU_RUN, the one on every guest entry)
 * straight to sv_hc_vcpu_run(), without the dispatch. The host's call
 * (sv_hvc3()) clobbers x4-x17 and takes x0-x3 back, so only x18-x30, ELR
 * and SPSR are saved, in the same struct sv_el2_regs frame as every other
 * call: the panic path (sv_el2_panic()) returns to the host through that
 * frame and __sv_trap's restore, as for any call.
 * x0, x1 of the host at [sp].
 */
__sv_vcpu_run_entry:
	str	x2, [sp, #SV_REGS_X0 + 8 * 2]	// SV_RUN_*, before x2 is scratch
	sv_frame_save_kept

	// int sv_hc_vcpu_run(struct sv_el2_cpu *cpu, struct sv_el2_regs *regs)
	mrs	x0, tpidr_el2
	mov	x1, sp
	bl	sv_hc_vcpu_run

	sv_frame_restore_kept
	ldp	x0, x1, [sp, #SV_REGS_X0]
	mov	x2, xzr
	mov	x3, xzr
	add	sp, sp, #SV_REGS_SIZE
	eret

/*
 * SV_HC_RESET, after the frame is restored: hand EL2 back to the stub.
 * x0: OK, x1: PA of the stub's vectors, x2-x4: its SCTLR, TCR and MAIR
 * (put in the frame by sv_hc_reset()). x0-x17 are clobbered by contract.
 */
__sv_reset_tail:
	ldp	x0, x1, [sp, #SV_REGS_X0]
	ldr	x2, [sp, #SV_REGS_X0 + 8 * 2]
	ldp	x3, x4, [sp, #SV_REGS_X0 + 8 * 3]
	add	sp, sp, #SV_REGS_SIZE
	// EL2 VA == PA, so fetching continues at the same address with the
	// MMU off. The ISB makes the change visible before the next access.
	msr	sctlr_el2, x2
	isb
	msr	tcr_el2, x3
	msr	mair_el2, x4
	msr	vbar_el2, x1
	// Leave no translations of ours behind for the next owner of EL2.
	tlbi	alle2
	dsb	nsh
	isb
	eret

/*
 * Init path: entered from the init vectors' host-call slot.
 * x0: SV_HC_ID(SV_HC_INIT_FN), x1: PA of struct sv_init_params; or
 * x0: HVC_SET_VECTORS (0), x1: vectors to go back to after a failed init.
 * EL2 MMU off, SP_EL2 undefined. x2-x17: clobbered by contract.
 */
__sv_init:
	cbz	x0, __sv_init_undo
	ldr	x2, =SV_HC_ID(SV_HC_INIT_FN)
	cmp	x0, x2
	b.ne	__sv_init_reject
	ldp	x2, x3, [x1, #SV_IP_MAIR]
	ldp	x4, x5, [x1, #SV_IP_TTBR0]
	ldp	x6, x7, [x1, #SV_IP_STACK_TOP]
	// The stub's translation setup, saved by sv_el2_init() from x8-x10.
	mrs	x8, sctlr_el2
	mrs	x9, tcr_el2
	mrs	x10, mair_el2
	msr	mair_el2, x2
	msr	tcr_el2, x3
	msr	ttbr0_el2, x4
	isb
	// No stale EL2 translations or instructions from an earlier owner
	// of EL2 or an earlier image at these addresses; all local to this
	// PE, so NSH suffices (ARM ARM D5.10.2).
	tlbi	alle2
	ic	iallu
	dsb	nsh
	isb
	// Identity map: the next instruction is at the same VA.
	msr	sctlr_el2, x5
	isb
	mov	sp, x6
	msr	tpidr_el2, x7
	sub	sp, sp, #SV_REGS_SIZE
	stp	x0, x1, [sp, #SV_REGS_X0]
	mov	x1, #SV_VEC_INIT
	b	__sv_trap

__sv_init_reject:
	mov	x0, #SV_RET_NOT_SUPPORTED
	eret

/*
 * The stub's HVC_SET_VECTORS, so that the highvisor can hand EL2 back
 * after a failed SV_HC_INIT: EL2 MMU and caches off again, as the stub
 * runs, whatever point init reached. x1: new VBAR_EL2.
 */
__sv_init_undo:
	mrs	x2, sctlr_el2
	mov	x3, #(SCTLR_ELX_M | SCTLR_ELX_C | SCTLR_ELX_I)
	bic	x2, x2, x3
	msr	sctlr_el2, x2
	isb
	msr	vbar_el2, x1
	tlbi	alle2
	dsb	nsh
	isb
	mov	x0, #0
	eret

/*
 * Entered through the stub's HVC_SOFT_RESTART (Documentation/virt/kvm/arm/
 * hyp-abi.rst) at EL2 with the MMU off, while the stub's vectors are still
 * in VBAR_EL2 and the host's HVC is still in ELR_EL2/SPSR_EL2: returns the
 * stub's vector address to the host in x0, which is how the highvisor knows
 * what to put back on unload.
 */
	.globl	__sv_read_vbar
	.balign	8
__sv_read_vbar:
	mrs	x0, vbar_el2
	eret

	.ltorg
