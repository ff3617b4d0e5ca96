// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_regs: register torture across exits.
 *
 * The guest loads patterns into x0-x30, V0-V31, FPSR, FPCR and the EL1
 * system registers a guest may set freely with its MMU off, snapshots
 * them all (the baseline), then loops: HVC (SMCCC_VERSION), MMIO write,
 * MMIO read, and after every exit snapshots everything again and compares
 * it with the baseline, reporting the first difference. At the end the
 * host reads every register with KVM_GET_ONE_REG and compares it with the
 * guest's baseline and the pattern. Around every KVM_RUN the host itself
 * holds its own patterns in V0-V31/FPSR/FPCR, which must survive.
 *
 * Variants: "full" (the above), "nofp" (the guest never touches FP/SIMD:
 * the host's FP state and the guest's ONE_REG-set V registers must stay
 * as they are), "entry" (the host sets every register with
 * KVM_SET_ONE_REG before the first run and the guest checks them first
 * thing).
 *
 * Registers the guest needs for itself: only SP (SP_EL1 = the data area,
 * HX_DATA, where snapshots are stored with SP-relative stores that need
 * no other register). x27 holds the address of the MMIO register; it is a
 * pattern like any other and is checked too. An SMCCC call may change
 * x0-x3 only (SMCCC 1.1): after the HVC, x0 must be SMCCC 1.1 (0x10001)
 * and x1-x3 either unchanged or 0 (KVM zeroes them); they are reloaded
 * afterwards.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"

/* A register snapshot ("frame"), byte offsets. */
#define F_X(n)		((n) * 8)
#define F_SP		0xf8
#define F_Q(n)		(0x100 + (n) * 16)
#define F_FPSR		0x300
#define F_FPCR		0x308
#define F_SYS(i)	(0x310 + (i) * 8)
#define NSYS		22
#define F_WORDS		((0x310 + NSYS * 8) / 8)

/* The data area (SP_EL1 = HX_DATA): snapshot, patterns, baseline, control. */
#define A_DUMP		0x000
#define A_T		0x400
#define A_B		0x800
#define CTL_N		0xc00	/* iterations to run (host) */
#define CTL_I		0xc08	/* iterations started (guest) */
#define CTL_KIND	0xc10	/* kind of the exit before a failed check */
#define CTL_IDX		0xc18	/* word of the failed check */
#define CTL_SKIP	0xc20	/* bitmap of words not to check (2 words) */

#define KIND_HVC	0
#define KIND_WRITE	1
#define KIND_READ	2
#define KIND_ENTRY	3

/* x27: the test's MMIO register; [x27] read/write, [x27 + 8] final. */
#define REGS_IO		0x10010000

#define GUEST_FPSR	0x8eULL		/* DZC OFC UFC IDC */
#define GUEST_FPCR	0x04400000ULL	/* AHP, RMode = RP */
#define HOST_FPSR	0x08000011ULL	/* IOC IXC QC */
#define HOST_FPCR	0x03800000ULL	/* DN FZ, RMode = RM */
#define ENTRY_FPSR	0x08000087ULL	/* IOC DZC OFC IDC QC */
#define ENTRY_FPCR	0x02c00000ULL	/* DN, RMode = RZ */

#define ID_TIMER_CTL	KVM_REG_ARM_TIMER_CTL
#define ID_TIMER_CVAL	KVM_REG_ARM_TIMER_CVAL

/*
 * The system registers, in frame order: the names for the guest's MRS/MSR
 * (the table sysregs[] below follows the same order; main() checks it).
 */
#define SYSREG_NAMES							\
	"tpidr_el0, tpidrro_el0, tpidr_el1, contextidr_el1, mair_el1, "	\
	"amair_el1, tcr_el1, ttbr0_el1, ttbr1_el1, vbar_el1, esr_el1, "	\
	"far_el1, afsr0_el1, afsr1_el1, par_el1, elr_el1, spsr_el1, "	\
	"sp_el0, csselr_el1, cntkctl_el1, cntv_cval_el0, cntv_ctl_el0"

#define SYS_VBAR	9
#define SYS_SP_EL0	17

/* --- guest -------------------------------------------------------------- */

asm(HX_GUEST_BEGIN
/* Every register to the snapshot at [sp]; fp: V0-V31, FPSR, FPCR too. */
".macro regs_dump fp\n"
"	stp	x0, x1, [sp, #0]\n"
"	stp	x2, x3, [sp, #16]\n"
"	stp	x4, x5, [sp, #32]\n"
"	stp	x6, x7, [sp, #48]\n"
"	stp	x8, x9, [sp, #64]\n"
"	stp	x10, x11, [sp, #80]\n"
"	stp	x12, x13, [sp, #96]\n"
"	stp	x14, x15, [sp, #112]\n"
"	stp	x16, x17, [sp, #128]\n"
"	stp	x18, x19, [sp, #144]\n"
"	stp	x20, x21, [sp, #160]\n"
"	stp	x22, x23, [sp, #176]\n"
"	stp	x24, x25, [sp, #192]\n"
"	stp	x26, x27, [sp, #208]\n"
"	stp	x28, x29, [sp, #224]\n"
"	str	x30, [sp, #240]\n"
"	mov	x9, sp\n"
"	str	x9, [sp, #" HX_XSTR(F_SP) "]\n"
"	.if \\fp\n"
"	add	x9, sp, #" HX_XSTR(F_Q(0)) "\n"
"	stp	q0, q1, [x9, #0]\n"
"	stp	q2, q3, [x9, #32]\n"
"	stp	q4, q5, [x9, #64]\n"
"	stp	q6, q7, [x9, #96]\n"
"	stp	q8, q9, [x9, #128]\n"
"	stp	q10, q11, [x9, #160]\n"
"	stp	q12, q13, [x9, #192]\n"
"	stp	q14, q15, [x9, #224]\n"
"	stp	q16, q17, [x9, #256]\n"
"	stp	q18, q19, [x9, #288]\n"
"	stp	q20, q21, [x9, #320]\n"
"	stp	q22, q23, [x9, #352]\n"
"	stp	q24, q25, [x9, #384]\n"
"	stp	q26, q27, [x9, #416]\n"
"	stp	q28, q29, [x9, #448]\n"
"	stp	q30, q31, [x9, #480]\n"
"	mrs	x9, fpsr\n"
"	str	x9, [sp, #" HX_XSTR(F_FPSR) "]\n"
"	mrs	x9, fpcr\n"
"	str	x9, [sp, #" HX_XSTR(F_FPCR) "]\n"
"	.endif\n"
"	.set	.Lsys, 0\n"
"	.irp	reg, " SYSREG_NAMES "\n"
"	mrs	x9, \\reg\n"
"	str	x9, [sp, #(" HX_XSTR(F_SYS(0)) " + .Lsys * 8)]\n"
"	.set	.Lsys, .Lsys + 1\n"
"	.endr\n"
".endm\n"
/* x0-x30 from the baseline; NZCV is left alone. */
".macro regs_restore\n"
"	add	x30, sp, #" HX_XSTR(A_B) "\n"
"	ldp	x0, x1, [x30, #0]\n"
"	ldp	x2, x3, [x30, #16]\n"
"	ldp	x4, x5, [x30, #32]\n"
"	ldp	x6, x7, [x30, #48]\n"
"	ldp	x8, x9, [x30, #64]\n"
"	ldp	x10, x11, [x30, #80]\n"
"	ldp	x12, x13, [x30, #96]\n"
"	ldp	x14, x15, [x30, #112]\n"
"	ldp	x16, x17, [x30, #128]\n"
"	ldp	x18, x19, [x30, #144]\n"
"	ldp	x20, x21, [x30, #160]\n"
"	ldp	x22, x23, [x30, #176]\n"
"	ldp	x24, x25, [x30, #192]\n"
"	ldp	x26, x27, [x30, #208]\n"
"	ldp	x28, x29, [x30, #224]\n"
"	ldr	x30, [x30, #240]\n"
".endm\n"
/* The patterns T into the registers (x10 = T); the GPRs last. */
".macro regs_load fp\n"
"	.if \\fp\n"
"	mov	x9, #(3 << 20)\n"	/* CPACR_EL1.FPEN: no FP traps */
"	msr	cpacr_el1, x9\n"
"	isb\n"
"	.endif\n"
"	add	x10, sp, #" HX_XSTR(A_T) "\n"
"	.set	.Lsys, 0\n"
"	.irp	reg, " SYSREG_NAMES "\n"
"	ldr	x9, [x10, #(" HX_XSTR(F_SYS(0)) " + .Lsys * 8)]\n"
"	msr	\\reg, x9\n"
"	.set	.Lsys, .Lsys + 1\n"
"	.endr\n"
/* SP_EL0 once more, through SPSel, as a guest kernel would. */
"	msr	spsel, #0\n"
"	ldr	x9, [x10, #" HX_XSTR(F_SYS(SYS_SP_EL0)) "]\n"
"	mov	sp, x9\n"
"	msr	spsel, #1\n"
"	.if \\fp\n"
"	ldr	x9, [x10, #" HX_XSTR(F_FPSR) "]\n"
"	msr	fpsr, x9\n"
"	ldr	x9, [x10, #" HX_XSTR(F_FPCR) "]\n"
"	msr	fpcr, x9\n"
"	add	x9, x10, #" HX_XSTR(F_Q(0)) "\n"
"	ldp	q0, q1, [x9, #0]\n"
"	ldp	q2, q3, [x9, #32]\n"
"	ldp	q4, q5, [x9, #64]\n"
"	ldp	q6, q7, [x9, #96]\n"
"	ldp	q8, q9, [x9, #128]\n"
"	ldp	q10, q11, [x9, #160]\n"
"	ldp	q12, q13, [x9, #192]\n"
"	ldp	q14, q15, [x9, #224]\n"
"	ldp	q16, q17, [x9, #256]\n"
"	ldp	q18, q19, [x9, #288]\n"
"	ldp	q20, q21, [x9, #320]\n"
"	ldp	q22, q23, [x9, #352]\n"
"	ldp	q24, q25, [x9, #384]\n"
"	ldp	q26, q27, [x9, #416]\n"
"	ldp	q28, q29, [x9, #448]\n"
"	ldp	q30, q31, [x9, #480]\n"
"	.endif\n"
"	ldp	x0, x1, [x10, #0]\n"
"	ldp	x2, x3, [x10, #16]\n"
"	ldp	x4, x5, [x10, #32]\n"
"	ldp	x6, x7, [x10, #48]\n"
"	ldp	x8, x9, [x10, #64]\n"
"	ldp	x12, x13, [x10, #96]\n"
"	ldp	x14, x15, [x10, #112]\n"
"	ldp	x16, x17, [x10, #128]\n"
"	ldp	x18, x19, [x10, #144]\n"
"	ldp	x20, x21, [x10, #160]\n"
"	ldp	x22, x23, [x10, #176]\n"
"	ldp	x24, x25, [x10, #192]\n"
"	ldp	x26, x27, [x10, #208]\n"
"	ldp	x28, x29, [x10, #224]\n"
"	ldr	x30, [x10, #240]\n"
"	ldr	x11, [x10, #88]\n"
"	ldr	x10, [x10, #80]\n"
".endm\n"
/*
 * Baseline = snapshot, then N iterations of: HVC, MMIO write [x27] = x26,
 * MMIO read x25 = [x27] (i % 3), each followed by a snapshot and a check.
 * Finally every register holds its pattern again at the store to
 * [x27 + 8], where the host reads them all.
 */
".macro regs_body fp, sfx\n"
"	regs_dump \\fp\n"
"	mov	x9, sp\n"
"	add	x11, sp, #" HX_XSTR(A_B) "\n"
"	mov	x12, #" HX_XSTR(F_WORDS) "\n"
".Lcopy\\sfx:\n"
"	ldr	x13, [x9], #8\n"
"	str	x13, [x11], #8\n"
"	subs	x12, x12, #1\n"
"	b.ne	.Lcopy\\sfx\n"
"	str	xzr, [sp, #" HX_XSTR(CTL_I) "]\n"
".Lloop\\sfx:\n"
"	ldr	x9, [sp, #" HX_XSTR(CTL_I) "]\n"
"	ldr	x10, [sp, #" HX_XSTR(CTL_N) "]\n"
"	cmp	x9, x10\n"
"	b.hs	.Lfinish\\sfx\n"
"	add	x11, x9, #1\n"
"	str	x11, [sp, #" HX_XSTR(CTL_I) "]\n"
"	mov	x11, #3\n"
"	udiv	x12, x9, x11\n"
"	msub	x12, x12, x11, x9\n"
"	cmp	x12, #1\n"
"	regs_restore\n"
"	b.lo	.Lhvc\\sfx\n"
"	b.eq	.Lwrite\\sfx\n"
"	ldr	x25, [x27]\n"
"	regs_dump \\fp\n"
"	mov	x0, #" HX_XSTR(KIND_READ) "\n"
"	bl	regs_check\n"
"	b	.Lloop\\sfx\n"
".Lwrite\\sfx:\n"
"	str	x26, [x27]\n"
"	regs_dump \\fp\n"
"	mov	x0, #" HX_XSTR(KIND_WRITE) "\n"
"	bl	regs_check\n"
"	b	.Lloop\\sfx\n"
".Lhvc\\sfx:\n"
"	movz	x0, #0x8000, lsl #16\n"
"	hvc	#0\n"
"	regs_dump \\fp\n"
"	mov	x0, #" HX_XSTR(KIND_HVC) "\n"
"	bl	regs_check\n"
"	b	.Lloop\\sfx\n"
".Lfinish\\sfx:\n"
"	regs_restore\n"
"	.globl	regs_final_\\sfx\n"
"regs_final_\\sfx:\n"
"	str	x24, [x27, #8]\n"
"	b	.\n"
".endm\n"
"\n"
"	.balign	8\n"
"	.globl	regs_full\n"
"regs_full:\n"
"	regs_load 1\n"
"	regs_body 1, full\n"
"\n"
"	.globl	regs_nofp\n"
"regs_nofp:\n"
"	regs_load 0\n"
"	regs_body 0, nofp\n"
"\n"
/* Everything the host set, snapshot and checked against A_B at once. */
"	.globl	regs_entry\n"
"regs_entry:\n"
"	regs_dump 1\n"
"	mov	x0, #" HX_XSTR(KIND_ENTRY) "\n"
"	bl	regs_check\n"
"	hx_done\n"
"\n"
/*
 * Snapshot vs baseline, word by word (x0 = kind of the last exit). After
 * an HVC: x0 = SMCCC 1.1, x1-x3 unchanged or 0. Skipped words: CTL_SKIP.
 * Leaf; clobbers x9-x17.
 */
"regs_check:\n"
"	mov	x9, sp\n"
"	add	x10, sp, #" HX_XSTR(A_B) "\n"
"	mov	x11, #0\n"
"1:	ldr	x12, [x9, x11, lsl #3]\n"
"	ldr	x13, [x10, x11, lsl #3]\n"
"	lsr	x14, x11, #6\n"
"	add	x15, sp, #" HX_XSTR(CTL_SKIP) "\n"
"	ldr	x14, [x15, x14, lsl #3]\n"
"	lsr	x14, x14, x11\n"
"	tbnz	x14, #0, 4f\n"
"	cmp	x0, #" HX_XSTR(KIND_HVC) "\n"
"	b.ne	3f\n"
"	cbnz	x11, 2f\n"
"	movz	x13, #(" HX_XSTR(HX_SMCCC_1_1) " & 0xffff)\n"
"	movk	x13, #(" HX_XSTR(HX_SMCCC_1_1) " >> 16), lsl #16\n"
"	b	3f\n"
"2:	cmp	x11, #3\n"
"	b.hi	3f\n"
"	cbz	x12, 4f\n"
"3:	cmp	x12, x13\n"
"	b.ne	5f\n"
"4:	add	x11, x11, #1\n"
"	cmp	x11, #" HX_XSTR(F_WORDS) "\n"
"	b.lo	1b\n"
"	ret\n"
"5:	str	x0, [sp, #" HX_XSTR(CTL_KIND) "]\n"
"	str	x11, [sp, #" HX_XSTR(CTL_IDX) "]\n"
"	hx_value x13\n"
"	hx_value x12\n"
"	hx_fail_reg x11\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(regs_full);
HX_GUEST_SYM(regs_nofp);
HX_GUEST_SYM(regs_entry);
HX_GUEST_SYM(regs_final_full);
HX_GUEST_SYM(regs_final_nofp);
HX_GUEST_SYM(hx_vectors);

/* --- host ----------------------------------------------------------------- */

struct frame {
	u64 x[31];
	u64 sp;
	u64 q[32][2];
	u64 fpsr;
	u64 fpcr;
	u64 sys[NSYS];
};

_Static_assert(offsetof(struct frame, sp) == F_SP, "frame");
_Static_assert(offsetof(struct frame, q) == F_Q(0), "frame");
_Static_assert(offsetof(struct frame, fpsr) == F_FPSR, "frame");
_Static_assert(offsetof(struct frame, sys) == F_SYS(0), "frame");
_Static_assert(sizeof(struct frame) == F_WORDS * 8, "frame");
_Static_assert(sizeof(struct frame) <= A_T - A_DUMP, "frame");

struct sysreg {
	const char *name;
	u64 id;
	bool exact;
	u64 pat[2];
};

/*
 * Name, ONE_REG id, whether the architecture makes it hold any value
 * written (AMAIR, AFSR0/1 are IMPLEMENTATION DEFINED and may be RAZ/WI, as
 * on QEMU), and two patterns (variants full/nofp, entry). VBAR_EL1's
 * pattern is the harness's vector table, set at run time.
 */
static const struct sysreg sysregs[NSYS] = {
	{ "tpidr_el0", HX_SYSREG(3, 3, 13, 0, 2), true,
	  { 0x0123456789abcdefULL, 0x8877665544332211ULL } },
	{ "tpidrro_el0", HX_SYSREG(3, 3, 13, 0, 3), true,
	  { 0x1122334455667788ULL, 0xfedcba9876543210ULL } },
	{ "tpidr_el1", HX_SYSREG(3, 0, 13, 0, 4), true,
	  { 0xa5a5a5a55a5a5a5aULL, 0x5a5a5a5aa5a5a5a5ULL } },
	{ "contextidr_el1", HX_SYSREG(3, 0, 13, 0, 1), true,
	  { 0xc0ffee01ULL, 0x0badcafeULL } },
	{ "mair_el1", HX_SYSREG(3, 0, 10, 2, 0), true,
	  { 0xff44040c00bbaa08ULL, 0x04ffbb440c0800aaULL } },
	{ "amair_el1", HX_SYSREG(3, 0, 10, 3, 0), false,
	  { 0x1111222233334444ULL, 0x4444333322221111ULL } },
	{ "tcr_el1", HX_SYSREG(3, 0, 2, 0, 2), true,
	  { 0x00000022b5993519ULL, 0x00000041b5103510ULL } },
	{ "ttbr0_el1", HX_SYSREG(3, 0, 2, 0, 0), true,
	  { 0x1234000045678000ULL, 0x00ab000012345000ULL } },
	{ "ttbr1_el1", HX_SYSREG(3, 0, 2, 0, 1), true,
	  { 0xabcd000089abc000ULL, 0x00cd0000789ab000ULL } },
	{ "vbar_el1", HX_SYSREG(3, 0, 12, 0, 0), true,
	  { 0, 0 } },
	{ "esr_el1", HX_SYSREG(3, 0, 5, 2, 0), true,
	  { 0x5e00abcdULL, 0x96000045ULL } },
	{ "far_el1", HX_SYSREG(3, 0, 6, 0, 0), true,
	  { 0xdeadbeefcafef00dULL, 0x0000ffff12345678ULL } },
	{ "afsr0_el1", HX_SYSREG(3, 0, 5, 1, 0), false,
	  { 0x0102030405060708ULL, 0x0807060504030201ULL } },
	{ "afsr1_el1", HX_SYSREG(3, 0, 5, 1, 1), false,
	  { 0x1020304050607080ULL, 0x8070605040302010ULL } },
	{ "par_el1", HX_SYSREG(3, 0, 7, 4, 0), true,
	  { 0xff00001234567980ULL, 0x4400000abcdef980ULL } },
	{ "elr_el1", HX_REG_ELR_EL1, true,
	  { 0x0000000040001234ULL, 0xffff000012345678ULL } },
	{ "spsr_el1", HX_REG_SPSR_EL1, true,
	  { 0xa00003c4ULL, 0x600003c5ULL } },
	{ "sp_el0", HX_REG_SP_EL0, true,
	  { 0x0000aaaabbbbccc0ULL, 0x0000111122223330ULL } },
	{ "csselr_el1", HX_SYSREG(3, 2, 0, 0, 0), true,
	  { 0x2ULL, 0x1ULL } },
	{ "cntkctl_el1", HX_SYSREG(3, 0, 14, 1, 0), true,
	  { 0x3a3ULL, 0x2f1ULL } },
	{ "cntv_cval_el0", ID_TIMER_CVAL, true,
	  { 0xfedcba9876543210ULL, 0x0123456789abcdefULL } },
	{ "cntv_ctl_el0", ID_TIMER_CTL, true,
	  { 0x2ULL, 0x2ULL } },
};

/* Name, ONE_REG id and which half (V registers) of frame word w. */
static void word_info(unsigned int w, char *name, size_t len, u64 *id,
		      int *half)
{
	*half = -1;
	if (w < 31) {
		snprintf(name, len, "x%u", w);
		*id = HX_REG_X(w);
	} else if (w == 31) {
		snprintf(name, len, "sp_el1");
		*id = HX_REG_SP_EL1;
	} else if (w < F_FPSR / 8) {
		*half = (w - 32) % 2;
		snprintf(name, len, "v%u[%s]", (w - 32) / 2,
			 *half ? "127:64" : "63:0");
		*id = HX_REG_V((w - 32) / 2);
	} else if (w == F_FPSR / 8) {
		snprintf(name, len, "fpsr");
		*id = HX_REG_FPSR;
	} else if (w == F_FPCR / 8) {
		snprintf(name, len, "fpcr");
		*id = HX_REG_FPCR;
	} else {
		snprintf(name, len, "%s", sysregs[w - F_SYS(0) / 8].name);
		*id = sysregs[w - F_SYS(0) / 8].id;
	}
}

static bool word_is_fp(unsigned int w)
{
	return w >= F_Q(0) / 8 && w <= F_FPCR / 8;
}

static bool word_exact(unsigned int w)
{
	return w < F_SYS(0) / 8 || sysregs[w - F_SYS(0) / 8].exact;
}

struct regs_ctx {
	const struct frame *t;
	unsigned long writes, reads, bad;
	char first_bad[256];
};

static long regs_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		      void *p)
{
	struct regs_ctx *c = p;
	u64 addr = run->mmio.phys_addr;

	if (run->exit_reason != KVM_EXIT_MMIO)
		return -2;
	if (addr == REGS_IO + 8 && run->mmio.is_write)
		return 1;	/* the final store */
	if (addr != REGS_IO || run->mmio.len != 8)
		return -3;
	if (run->mmio.is_write) {
		c->writes++;
		if (hx_mmio_data(run) != c->t->x[26] && !c->bad++)
			snprintf(c->first_bad, sizeof(c->first_bad),
				 "MMIO write %lu: expected data 0x%llx (x26), got 0x%llx",
				 c->writes,
				 (unsigned long long)c->t->x[26],
				 (unsigned long long)hx_mmio_data(run));
	} else {
		c->reads++;
		hx_mmio_set(run, c->t->x[25]);
	}
	return HX_CONTINUE;
}

static const char *const kind_names[] = {
	"HVC", "MMIO write", "MMIO read", "entry",
};

/* The run's stop: the final store, or a diagnosis. */
static bool check_run(const char *var, struct hx_vcpu *v, struct hx_stop *st,
		      const u64 *ctl, unsigned long n)
{
	char buf[512], name[32];
	u64 id;
	int half;
	bool ok = st->kind == HX_STOP_USER && st->code == 1 && ctl[1] == n;

	tap_check(ok,
		  "%s: %lu iterations of HVC / MMIO write / MMIO read exits, every register checked after each",
		  var, n);
	if (ok)
		return true;
	if (st->kind == HX_STOP_FAIL && st->code < F_WORDS) {
		word_info(st->code, name, sizeof(name), &id, &half);
		tap_diag("after a %s exit (iteration %llu): %s expected 0x%llx, got 0x%llx",
			 kind_names[ctl[2] & 3],
			 (unsigned long long)ctl[1], name,
			 (unsigned long long)v->values[0],
			 (unsigned long long)v->values[1]);
	} else {
		tap_diag("%s", hx_stop_str(v, st, buf, sizeof(buf)));
		tap_diag("iterations started: %llu of %lu",
			 (unsigned long long)ctl[1], n);
	}
	return false;
}

static void fill_fp(struct hx_fpstate *fp, u64 *seed, u64 fpsr, u64 fpcr)
{
	int i;

	for (i = 0; i < 32; i++) {
		fp->v[i][0] = hx_rand(seed);
		fp->v[i][1] = hx_rand(seed);
	}
	fp->fpsr = fpsr;
	fp->fpcr = fpcr;
}

static void check_host_fp(const char *var, struct hx_vcpu *v)
{
	int i;

	if (tap_check(v->fp_bad == 0,
		      "%s: host V0-V31/FPSR/FPCR preserved across %lu KVM_RUN calls",
		      var, v->fp_runs))
		return;
	tap_diag("changed on %lu of %lu runs; first time:", v->fp_bad,
		 v->fp_runs);
	for (i = 0; i < 32; i++)
		if (memcmp(v->fp_seen.v[i], v->fp_host.v[i], 16))
			tap_diag("v%d: expected 0x%016llx%016llx, got 0x%016llx%016llx",
				 i, (unsigned long long)v->fp_host.v[i][1],
				 (unsigned long long)v->fp_host.v[i][0],
				 (unsigned long long)v->fp_seen.v[i][1],
				 (unsigned long long)v->fp_seen.v[i][0]);
	if (v->fp_seen.fpsr != v->fp_host.fpsr)
		tap_diag("fpsr: expected 0x%llx, got 0x%llx",
			 (unsigned long long)v->fp_host.fpsr,
			 (unsigned long long)v->fp_seen.fpsr);
	if (v->fp_seen.fpcr != v->fp_host.fpcr)
		tap_diag("fpcr: expected 0x%llx, got 0x%llx",
			 (unsigned long long)v->fp_host.fpcr,
			 (unsigned long long)v->fp_seen.fpcr);
}

/* A frame word read back with KVM_GET_ONE_REG. */
static int get_word(struct hx_vcpu *v, unsigned int w, u64 *val)
{
	char name[32];
	u64 id, q[2];
	int half;

	word_info(w, name, sizeof(name), &id, &half);
	if (half < 0)
		return hx_get_reg(v, id, val);
	if (hx_get_reg128(v, id, q))
		return -1;
	*val = q[half];
	return 0;
}

/*
 * Per register: the guest's baseline b is the pattern t (for registers
 * that must hold any value), and KVM_GET_ONE_REG gives b. V registers are
 * one test point each (both halves).
 */
static void check_regs_final(const char *var, struct hx_vcpu *v,
			     const struct frame *t, const struct frame *b,
			     bool fp)
{
	const u64 *tw = (const u64 *)t, *bw = (const u64 *)b;
	unsigned int w, k;

	for (w = 0; w < F_WORDS; w++) {
		char name[32], diag[512] = "";
		u64 id, got[2] = { 0, 0 };
		unsigned int nw = 1;
		int half, len = 0;
		bool ok = true;

		if (!fp && word_is_fp(w))
			continue;
		word_info(w, name, sizeof(name), &id, &half);
		if (half == 0) {
			nw = 2;
			name[strcspn(name, "[")] = 0;
		}
		for (k = 0; k < nw; k++) {
			if (get_word(v, w + k, &got[k])) {
				ok = false;
				len += snprintf(diag + len, sizeof(diag) - len,
						"KVM_GET_ONE_REG failed\n");
				continue;
			}
			if (word_exact(w) && bw[w + k] != tw[w + k]) {
				ok = false;
				len += snprintf(diag + len, sizeof(diag) - len,
						"guest read back 0x%llx after writing 0x%llx\n",
						(unsigned long long)bw[w + k],
						(unsigned long long)tw[w + k]);
			}
			if (got[k] != bw[w + k]) {
				ok = false;
				len += snprintf(diag + len, sizeof(diag) - len,
						"expected 0x%llx (as the guest saw it), got 0x%llx from KVM_GET_ONE_REG\n",
						(unsigned long long)bw[w + k],
						(unsigned long long)got[k]);
			}
		}
		if (!tap_check(ok, "%s: %s holds its pattern (guest and KVM_GET_ONE_REG)",
			       var, name))
			tap_diag("%s", diag);
		w += nw - 1;
	}
}

static void fill_patterns(struct frame *t, u64 *seed, int which, bool fp)
{
	int i;

	for (i = 0; i < 31; i++)
		t->x[i] = hx_rand(seed);
	t->x[27] = REGS_IO;
	t->sp = HX_DATA;
	if (fp) {
		for (i = 0; i < 32; i++) {
			t->q[i][0] = hx_rand(seed);
			t->q[i][1] = hx_rand(seed);
		}
		t->fpsr = which ? ENTRY_FPSR : GUEST_FPSR;
		t->fpcr = which ? ENTRY_FPCR : GUEST_FPCR;
	}
	for (i = 0; i < NSYS; i++)
		t->sys[i] = sysregs[i].pat[which];
	t->sys[SYS_VBAR] = hx_gpa(hx_vectors);
}

static void loop_variant(const char *var, bool fp, unsigned long n)
{
	struct frame *t, *b;
	struct regs_ctx c = { 0 };
	struct hx_fpstate unused;
	struct hx_vcpu v;
	struct hx_stop st;
	struct hx_vm vm;
	u64 *ctl, pc = 0, pstate = 0, seed = fp ? 1 : 2;
	unsigned long exp_w, exp_r;
	bool ok;
	int i;

	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0) ||
	    hx_vcpu_start(&v, fp ? regs_full : regs_nofp) ||
	    hx_set_reg(&v, HX_REG_SP_EL1, HX_DATA)) {
		tap_check(false, "%s: VM and vCPU set up", var);
		return;
	}
	t = hx_gpa_to_hva(&vm, HX_DATA + A_T);
	b = hx_gpa_to_hva(&vm, HX_DATA + A_B);
	ctl = hx_gpa_to_hva(&vm, HX_DATA + CTL_N);
	fill_patterns(t, &seed, 0, fp);
	ctl[0] = n;

	/* The guest never loads these in nofp: they must stay. */
	fill_fp(&unused, &seed, 0x10, 0x01000000);
	if (!fp) {
		for (i = 0; i < 32; i++)
			hx_set_reg128(&v, HX_REG_V(i), unused.v[i]);
		hx_set_reg(&v, HX_REG_FPSR, unused.fpsr);
		hx_set_reg(&v, HX_REG_FPCR, unused.fpcr);
	}

	v.fp_check = true;
	fill_fp(&v.fp_host, &seed, HOST_FPSR, HOST_FPCR);
	c.t = t;
	hx_run(&v, regs_exit, &c, &st);

	check_run(var, &v, &st, ctl, n);
	exp_w = n / 3 + (n % 3 > 1);
	exp_r = n / 3;
	ok = c.writes == exp_w && !c.bad;
	if (!tap_check(ok, "%s: %lu MMIO writes exited with x26 as data", var,
		       exp_w)) {
		tap_diag("%lu writes, expected %lu", c.writes, exp_w);
		if (c.bad)
			tap_diag("%s (%lu bad)", c.first_bad, c.bad);
	}
	tap_check_eq(exp_r, c.reads, "%s: %lu MMIO reads exited to the host",
		     var, exp_r);
	check_host_fp(var, &v);
	if (st.kind != HX_STOP_USER || st.code != 1) {
		tap_skip("the guest did not reach its final store",
			 "%s: final register values", var);
		goto out;
	}
	check_regs_final(var, &v, t, b, fp);
	if (!fp) {
		u64 q[2], fpsr = 0, fpcr = 0;
		int bad = 0;

		for (i = 0; i < 32; i++) {
			if (hx_get_reg128(&v, HX_REG_V(i), q) ||
			    memcmp(q, unused.v[i], 16)) {
				if (!bad++)
					tap_diag("v%d: expected 0x%016llx%016llx, got 0x%016llx%016llx",
						 i,
						 (unsigned long long)unused.v[i][1],
						 (unsigned long long)unused.v[i][0],
						 (unsigned long long)q[1],
						 (unsigned long long)q[0]);
			}
		}
		hx_get_reg(&v, HX_REG_FPSR, &fpsr);
		hx_get_reg(&v, HX_REG_FPCR, &fpcr);
		bad += fpsr != unused.fpsr || fpcr != unused.fpcr;
		if (!tap_check(!bad,
			       "%s: V0-V31/FPSR/FPCR the guest never used keep their KVM_SET_ONE_REG values",
			       var))
			tap_diag("%d registers differ; fpsr 0x%llx fpcr 0x%llx",
				 bad, (unsigned long long)fpsr,
				 (unsigned long long)fpcr);
	}
	hx_get_reg(&v, HX_REG_PC, &pc);
	hx_get_reg(&v, HX_REG_PSTATE, &pstate);
	tap_check_eq(hx_gpa(fp ? regs_final_full : regs_final_nofp), pc,
		     "%s: PC is at the final MMIO store", var);
	tap_check_eq(HX_PSR_MODE_EL1H | HX_PSR_DAIF,
		     pstate & (HX_PSR_MODE_MASK | HX_PSR_DAIF),
		     "%s: PSTATE is EL1h with DAIF masked", var);
out:
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

/* Every register set with KVM_SET_ONE_REG, checked by the guest. */
static void entry_variant(void)
{
	const char *var = "entry";
	struct frame t = { 0 }, *b, *dump;
	struct hx_vcpu v;
	struct hx_stop st;
	struct hx_vm vm;
	u64 seed = 3, *ctl, *tw = (u64 *)&t, *dw;
	unsigned int w;
	int i, err = 0;

	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0) ||
	    hx_vcpu_start(&v, regs_entry)) {
		tap_check(false, "%s: VM and vCPU set up", var);
		return;
	}
	fill_patterns(&t, &seed, 1, true);
	for (i = 0; i < 31; i++)
		err |= hx_set_reg(&v, HX_REG_X(i), t.x[i]);
	err |= hx_set_reg(&v, HX_REG_SP_EL1, t.sp);
	for (i = 0; i < 32; i++)
		err |= hx_set_reg128(&v, HX_REG_V(i), t.q[i]);
	err |= hx_set_reg(&v, HX_REG_FPSR, t.fpsr);
	err |= hx_set_reg(&v, HX_REG_FPCR, t.fpcr);
	for (i = 0; i < NSYS; i++)
		err |= hx_set_reg(&v, sysregs[i].id, t.sys[i]);
	/* CPACR_EL1.FPEN = 0b11: the guest's first act is an FP store. */
	err |= hx_set_reg(&v, HX_SYSREG(3, 0, 1, 0, 2), 3 << 20);
	tap_check(!err, "%s: KVM_SET_ONE_REG of x0-x30, SP_EL1, V0-V31, FPSR, FPCR and %d system registers",
		  var, NSYS);

	b = hx_gpa_to_hva(&vm, HX_DATA + A_B);
	dump = hx_gpa_to_hva(&vm, HX_DATA + A_DUMP);
	ctl = hx_gpa_to_hva(&vm, HX_DATA + CTL_N);
	*b = t;
	/* What the CPU may not keep (IMPLEMENTATION DEFINED): not checked. */
	for (i = 0; i < NSYS; i++)
		if (!sysregs[i].exact) {
			w = F_SYS(i) / 8;
			ctl[(CTL_SKIP - CTL_N) / 8 + w / 64] |= 1ULL << (w % 64);
		}

	hx_run(&v, NULL, NULL, &st);
	if (!hx_check_done(&v, &st, "%s: the guest found every host-set register on entry",
			   var) && st.kind == HX_STOP_FAIL && st.code < F_WORDS) {
		char name[32];
		u64 id;
		int half;

		word_info(st.code, name, sizeof(name), &id, &half);
		tap_diag("first difference: %s", name);
	}
	dw = (u64 *)dump;
	for (w = 0; w < F_WORDS; w++) {
		char name[32];
		u64 id;
		int half;

		word_info(w, name, sizeof(name), &id, &half);
		if (half == 0)
			name[strcspn(name, "[")] = 0;
		if (!word_exact(w)) {
			tap_skip("IMPLEMENTATION DEFINED, may be RAZ/WI",
				 "%s: guest sees host-set %s", var, name);
			continue;
		}
		if (half == 0) {
			bool ok = dw[w] == tw[w] && dw[w + 1] == tw[w + 1];

			if (!tap_check(ok, "%s: guest sees host-set %s", var,
				       name))
				tap_diag("expected 0x%016llx%016llx, got 0x%016llx%016llx",
					 (unsigned long long)tw[w + 1],
					 (unsigned long long)tw[w],
					 (unsigned long long)dw[w + 1],
					 (unsigned long long)dw[w]);
			w++;
			continue;
		}
		tap_check_eq(tw[w], dw[w], "%s: guest sees host-set %s", var,
			     name);
	}
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

/* sysregs[] and SYSREG_NAMES (the guest's list) in the same order. */
static bool sysreg_order_ok(void)
{
	char names[] = SYSREG_NAMES, *tok, *save = NULL;
	int i = 0;

	for (tok = strtok_r(names, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save), i++)
		if (i >= NSYS || strcmp(tok, sysregs[i].name))
			return false;
	return i == NSYS;
}

int main(int argc, char **argv)
{
	unsigned long n = 2000;

	hx_init(argc, argv, "kvm_regs", &n);
	if (!tap_check(sysreg_order_ok(),
		       "the guest's system register list matches the host's table"))
		return tap_done();
	loop_variant("full", true, n);
	loop_variant("nofp", false, n);
	entry_variant();
	return tap_done();
}
