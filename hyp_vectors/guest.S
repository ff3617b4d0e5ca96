/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering the guest and coming back: the GPR half of the world switch
 * (KVM's hyp/entry.S). The C half (lowvisor/switch.c) moves the EL1 system
 * registers, FP/SIMD and EL2 controls around these two.
 */
#include "splitvisor_abi.h"
#include "sv_asm_offsets.h"
#include "esr.h"
#include "vectors_macros.S"

#define VCPU_X(n)	(SV_VCPU_REGS + SV_REGS_X0 + 8 * (n))
#define VCPU_ELR	(SV_VCPU_REGS + SV_REGS_ELR)
#define HOST_X(n)	(SV_CPU_HOST_CTXT + SV_CTXT_REGS + SV_REGS_X0 + 8 * (n))
#define HOST_SP		(SV_CPU_HOST_CTXT + SV_CTXT_EL2_SP)
#define ISR_EL1_A_BIT	8

	.text

// u64 __sv_guest_enter(struct sv_vcpu *vcpu, struct sv_el2_cpu *cpu)
// x0: vcpu, x1: this CPU's state. Returns, through __sv_guest_exit, the
// vector slot the guest left by, | SV_EXIT_SERROR_PENDING. Preserves
// x19-x30 and SP like a C call.
	.globl	__sv_guest_enter
__sv_guest_enter:
	add	x2, x1, #HOST_X(19)
	stp	x19, x20, [x2, #8 * 0]
	stp	x21, x22, [x2, #8 * 2]
	stp	x23, x24, [x2, #8 * 4]
	stp	x25, x26, [x2, #8 * 6]
	stp	x27, x28, [x2, #8 * 8]
	stp	x29, x30, [x2, #8 * 10]
	mov	x3, sp
	str	x3, [x1, #HOST_SP]

	// An interrupt or SError already pending for the host: do not
	// enter, exit as for an IRQ (KVM's __guest_enter). Before RAS an
	// SError here is the host's and fatal anyway.
	mrs	x2, isr_el1
	cbz	x2, 1f
	mov	x0, #SV_VEC_LOW64_IRQ
	ret
1:
	mov	x3, #1
	str	x3, [x1, #SV_CPU_IN_GUEST]
#ifdef SV_VHE
	// The kernel's SP_EL0 is its current task, which C code (the stack
	// protector's canary included) reads at any time: it is switched
	// here only, as KVM's __guest_enter. The host's was stored by the
	// caller (sv_vhe_vcpu_run()), for the panic path too.
	ldr	x2, [x0, #SV_VCPU_SP_EL0]
	msr	sp_el0, x2
#endif

	// PSTATE was checked by sv_guest_pstate_ok() (no return to EL2).
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
	dsb	nsh				// SB: no straight-line speculation
	isb

// Reached from __sv_trap for an exception from the guest.
// x1: vector slot; the guest's x0, x1 are in the frame at [sp].
	.globl	__sv_guest_exit
__sv_guest_exit:
#ifdef SV_VHE
	str	x2, [sp, #SV_REGS_X0 + 8 * 2]	// a scratch register
	sv_this_cpu	x0, x2
	ldr	x0, [x0, #SV_CPU_VCPU]
	ldr	x2, [sp, #SV_REGS_X0 + 8 * 2]
#else
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #SV_CPU_VCPU]
#endif
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

	sv_this_cpu	x2, x3
#ifdef SV_VHE
	mrs	x3, sp_el0
	str	x3, [x0, #SV_VCPU_SP_EL0]
	ldr	x3, [x2, #SV_CPU_HOST_SP_EL0]
	msr	sp_el0, x3
#endif
	str	xzr, [x2, #SV_CPU_IN_GUEST]
	ldr	x3, [x2, #HOST_SP]
	add	x2, x2, #HOST_X(19)
	ldp	x19, x20, [x2, #8 * 0]
	ldp	x21, x22, [x2, #8 * 2]
	ldp	x23, x24, [x2, #8 * 4]
	ldp	x25, x26, [x2, #8 * 6]
	ldp	x27, x28, [x2, #8 * 8]
	ldp	x29, x30, [x2, #8 * 10]
	mov	sp, x3
	mov	x0, x1

	// An SError the guest caused must be taken now, while it is still
	// attributable to the guest, not later in the host (KVM's
	// __guest_exit, ARMv8.0 path): complete in-flight accesses (DSB),
	// keep ISR_EL1 from being read early (ISB), and only if ISR_EL1.A
	// says one is pending, open a one-instruction window for it.
	dsb	sy
	isb
	mrs	x2, isr_el1
	tbnz	x2, #ISR_EL1_A_BIT, 2f
	ret
2:	// Taking the SError overwrites ELR/ESR/SPSR_EL2: keep the exit's.
	mrs	x2, elr_el2
	mrs	x3, esr_el2
	mrs	x4, spsr_el2
	mov	x5, x0
	msr	daifclr, #4
	// The SError is taken at the earliest after the unmask, at the
	// latest after the ISB; vectors.S's __sv_el2_serror sends both
	// cases to the fixup.
	.globl	__sv_serror_window
__sv_serror_window:
	isb
	.globl	__sv_serror_window_end
__sv_serror_window_end:
	msr	daifset, #4
	ret
	.globl	__sv_serror_fixup
__sv_serror_fixup:
	msr	daifset, #4
	msr	elr_el2, x2
	msr	esr_el2, x3
	msr	spsr_el2, x4
	orr	x0, x5, #SV_EXIT_SERROR_PENDING
	ret

// The guest's HVC, before anything is saved: SMCCC ARCH_WORKAROUND_1/2/3
// and SV_GUEST_HC_NULL are answered here with x0 = 0 (KVM's el1_sync fast
// path: whatever the workaround needs was done by this CPU's vectors on
// the way in); everything else is a full exit. As SMCCC, only W0 is the
// function ID.
// x1: SV_VEC_LOW64_SYNC; the guest's x0, x1 are in the frame at [sp].
	.globl	__sv_guest_sync
__sv_guest_sync:
	mrs	x0, esr_el2
	lsr	x0, x0, #ESR_ELX_EC_SHIFT
	cmp	x0, #ESR_ELX_EC_HVC64
	b.ne	.Lexit
	ldr	w0, [sp, #SV_REGS_X0]
	eor	w1, w0, #SV_SMCCC_ARCH_WA_1
	cbz	w1, .Lanswer
	eor	w1, w1, #(SV_SMCCC_ARCH_WA_1 ^ SV_SMCCC_ARCH_WA_2)
	cbz	w1, .Lanswer
	eor	w1, w1, #(SV_SMCCC_ARCH_WA_2 ^ SV_SMCCC_ARCH_WA_3)
	cbz	w1, .Lanswer
	movz	w1, #(SV_GUEST_HC_NULL & 0xffff)
	movk	w1, #((SV_GUEST_HC_NULL >> 16) & 0xffff), lsl #16
	cmp	w0, w1
	b.eq	.Lanswer
.Lexit:
	mov	x1, #SV_VEC_LOW64_SYNC
	b	__sv_guest_exit
.Lanswer:
	mov	x0, #0
	ldr	x1, [sp, #SV_REGS_X0 + 8]
	add	sp, sp, #SV_REGS_SIZE
	eret
	dsb	nsh
	isb

/*
 * SError at EL2. Inside __sv_guest_exit's one-instruction window it is the
 * guest's, consumed on purpose (KVM's abort_guest_exit_start/end
 * exception-table entries): resume at the fixup, which restores the exit
 * syndrome and flags the exit. Anywhere else it is unexpected: panic path.
 * x1: slot number; x0, x1 already at [sp].
 */
	.globl	__sv_el2_serror
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
