/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL2 exception vectors, the GPR save/restore around sv_el2_trap(), the
 * init path taken with the MMU off, and the two routines that talk to
 * Linux's hyp stub (reading its vectors, handing EL2 back).
 */
#include "splitvisor_abi.h"
#include "sv_asm_offsets.h"
#include "esr.h"

#define SCTLR_ELX_M	(1 << 0)
#define SCTLR_ELX_C	(1 << 2)
#define SCTLR_ELX_I	(1 << 12)

	.text

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
	mrs	x0, tpidr_el2
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

/* A slot that needs no stack: the init vectors' host-call slot. */
.macro	sv_slot_branch	target
	.balign	0x80
.Lslot\@:
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

/*
 * Common path of every slot.
 * x1: slot number; x0, x1 of the interrupted context already at [sp].
 * Exceptions from a running guest go to guest.S, all others are saved
 * here and handed to sv_el2_trap().
 */
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
	stp	x2, x3, [sp, #SV_REGS_X0 + 8 * 2]
	stp	x4, x5, [sp, #SV_REGS_X0 + 8 * 4]
	stp	x6, x7, [sp, #SV_REGS_X0 + 8 * 6]
	stp	x8, x9, [sp, #SV_REGS_X0 + 8 * 8]
	stp	x10, x11, [sp, #SV_REGS_X0 + 8 * 10]
	stp	x12, x13, [sp, #SV_REGS_X0 + 8 * 12]
	stp	x14, x15, [sp, #SV_REGS_X0 + 8 * 14]
	stp	x16, x17, [sp, #SV_REGS_X0 + 8 * 16]
	sv_frame_save_kept

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
 * SError at EL2. Inside guest.S's one-instruction window it is the
 * guest's, consumed on purpose (KVM's abort_guest_exit_start/end
 * exception-table entries): resume at the fixup, which restores the exit
 * syndrome and flags the exit. Anywhere else it is unexpected: panic path.
 * x1: slot number; x0, x1 already at [sp].
 */
__sv_el2_serror:
	mrs	x0, elr_el2
	adr	x1, __sv_serror_window
	cmp	x0, x1
	adr	x1, __sv_serror_window_end
	ccmp	x0, x1, #4, ne			// Z set if ELR is either one
	b.ne	1f
	adr	x0, __sv_serror_fixup
	msr	elr_el2, x0
	ldp	x0, x1, [sp, #SV_REGS_X0]
	add	sp, sp, #SV_REGS_SIZE
	eret
	dsb	nsh
	isb
1:	mov	x1, #SV_VEC_CUR_SPX_SERR
	b	__sv_trap

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
