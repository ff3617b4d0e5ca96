// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_sysregs: the register ABI KVM clients rely on, on /dev/splitvisor and
 * on Linux's KVM alike. KVM_GET_REG_LIST holds every register KVM 6.1
 * lists for a vCPU without SVE, PMU or pointer auth; each reads, and takes
 * back what it read; each class writes and rejects as KVM 6.1 does (ID
 * registers, invariant registers, OSLSR_EL1, the firmware registers, the
 * cache geometry); what the guest reads is what ONE_REG says; and
 * KVM_SET_GUEST_DEBUG single-steps the guest, stops at its BRK, and arms
 * hardware breakpoints and watchpoints for the VMM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>

#include "harness.h"

/* ID registers the guest reads, in this order, into the data area. */
#define NGID		12
#define D_GID(i)	((i) * 8)
#define D_OSLSR		0x100
#define D_MDSCR		0x108
#define D_WDATA		0x200		/* the watchpoint's target */
#define D_GDBG		0x300		/* the guest's own breakpoint: results */

asm(HX_GUEST_BEGIN
"	.globl	sr_read_ids\n"
"sr_read_ids:\n"
"	nop\n"
"	mrs	x1, id_aa64pfr0_el1\n"
"	str	x1, [x0, #0]\n"
"	mrs	x1, id_aa64pfr1_el1\n"
"	str	x1, [x0, #8]\n"
"	mrs	x1, id_aa64dfr0_el1\n"
"	str	x1, [x0, #16]\n"
"	mrs	x1, id_aa64isar0_el1\n"
"	str	x1, [x0, #24]\n"
"	mrs	x1, id_aa64isar1_el1\n"
"	str	x1, [x0, #32]\n"
"	mrs	x1, id_aa64mmfr0_el1\n"
"	str	x1, [x0, #40]\n"
"	mrs	x1, id_aa64mmfr1_el1\n"
"	str	x1, [x0, #48]\n"
"	mrs	x1, id_aa64mmfr2_el1\n"
"	str	x1, [x0, #56]\n"
"	mrs	x1, s3_0_c0_c4_2\n"		/* unallocated: RAZ */
"	str	x1, [x0, #64]\n"
"	mrs	x1, id_afr0_el1\n"		/* hidden: RAZ */
"	str	x1, [x0, #72]\n"
"	mrs	x1, id_isar0_el1\n"
"	str	x1, [x0, #80]\n"
"	mrs	x1, id_dfr0_el1\n"
"	str	x1, [x0, #88]\n"
"	mrs	x1, oslsr_el1\n"
"	str	x1, [x0, #" HX_XSTR(D_OSLSR) "]\n"
"	mrs	x1, mdscr_el1\n"
"	str	x1, [x0, #" HX_XSTR(D_MDSCR) "]\n"
"	hx_done\n"
"	hx_pool\n"
/*
 * Every entry point starts with a NOP: the previous test's last exit (an
 * MMIO write to the harness) completes, PC + 4, on the next KVM_RUN.
 *
 * Stepped by the VMM: six instructions, the third a debug register write
 * the hypervisor traps and emulates, then done. The first NOP is that
 * completed write's step.
 */
"	.globl	sr_step\n"
"sr_step:\n"
"	nop\n"
"	mov	x1, #4\n"
"	msr	dbgbvr0_el1, x1\n"
"	mrs	x2, dbgbvr0_el1\n"
"	add	x2, x2, #1\n"
"	nop\n"
"	.globl	sr_step_end\n"
"sr_step_end:\n"
"	hx_done\n"
"	hx_pool\n"
"	.globl	sr_brk\n"
"sr_brk:\n"
"	nop\n"
"	.globl	sr_brk_at\n"
"sr_brk_at:\n"
"	brk	#0x123\n"
"	hx_done\n"
"	hx_pool\n"
/* Hardware breakpoint at sr_hwbp_at, watchpoint on D_WDATA: the VMM's. */
"	.globl	sr_hw\n"
"sr_hw:\n"
"	nop\n"
"	.globl	sr_hwbp_at\n"
"sr_hwbp_at:\n"
"	nop\n"
"	mov	x1, #0x55\n"
"	.globl	sr_wp_at\n"
"sr_wp_at:\n"
"	str	x1, [x0, #" HX_XSTR(D_WDATA) "]\n"
"	hx_done\n"
"	hx_pool\n"
/* SMCCC_ARCH_FEATURES of the three workarounds, then PSCI_VERSION. */
"	.globl	sr_smccc\n"
"sr_smccc:\n"
"	nop\n"
"	mov	x19, x0\n"
"	.irp	fn, 0x80008000, 0x80007fff, 0x80003fff\n"
"	ldr	x0, =0x80000001\n"
"	ldr	x1, =\\fn\n"
"	hvc	#0\n"
"	str	x0, [x19], #8\n"
"	.endr\n"
"	ldr	x0, =0x84000000\n"
"	hvc	#0\n"
"	str	x0, [x19], #8\n"
"	hx_done\n"
"	hx_pool\n"
/* TRNG (DEN0098): VERSION, FEATURES(RND64), RND64(192), RND64(193), UUID. */
"	.globl	sr_trng\n"
"sr_trng:\n"
"	nop\n"
"	mov	x19, x0\n"
"	ldr	x0, =0x84000050\n"
"	hvc	#0\n"
"	str	x0, [x19, #0]\n"
"	ldr	x0, =0x84000051\n"
"	ldr	x1, =0xc4000053\n"
"	hvc	#0\n"
"	str	x0, [x19, #8]\n"
"	ldr	x0, =0xc4000053\n"
"	mov	x1, #192\n"
"	hvc	#0\n"
"	str	x0, [x19, #16]\n"
"	orr	x1, x1, x2\n"
"	orr	x1, x1, x3\n"
"	str	x1, [x19, #24]\n"
"	ldr	x0, =0xc4000053\n"
"	mov	x1, #193\n"
"	hvc	#0\n"
"	str	x0, [x19, #32]\n"
"	ldr	x0, =0x84000052\n"
"	hvc	#0\n"
"	str	x0, [x19, #40]\n"
"	str	x3, [x19, #48]\n"
"	hx_done\n"
"	hx_pool\n"
/*
 * The guest's own hardware breakpoint: taken at EL1 (EC 0x31) by its own
 * vector, which counts it and returns with PSTATE.D set; then with its OS
 * Lock set, the same kind of breakpoint must not fire.
 */
"	.balign	2048\n"
"sr_gvec:\n"
"	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
"	.balign	0x80\n"
"	.if \\n == 4\n"
"	add	x20, x20, #1\n"
"	mrs	x21, elr_el1\n"
"	mrs	x22, esr_el1\n"
"	mrs	x9, spsr_el1\n"
"	orr	x9, x9, #(1 << 9)\n"		/* D: do not take it again */
"	msr	spsr_el1, x9\n"
"	eret\n"
"	.else\n"
"	mrs	x17, esr_el1\n"
"	hx_value x17\n"
"	hx_fail	90\n"
"	.endif\n"
"	.endr\n"
"	.globl	sr_gdbg\n"
"sr_gdbg:\n"
"	nop\n"
"	adr	x9, sr_gvec\n"
"	msr	vbar_el1, x9\n"
"	mov	x20, #0\n"
"	msr	oslar_el1, xzr\n"
"	adr	x9, sr_gbp_at\n"
"	msr	dbgbvr0_el1, x9\n"
"	mov	x9, #(1 | 1 << 1 | 0xf << 5)\n"	/* E, PMC = EL1, BAS */
"	msr	dbgbcr0_el1, x9\n"
"	mov	x9, #(1 << 13 | 1 << 15)\n"		/* KDE, MDE */
"	msr	mdscr_el1, x9\n"
"	isb\n"
"	msr	daifclr, #8\n"
"	isb\n"
"	.globl	sr_gbp_at\n"
"sr_gbp_at:\n"
"	nop\n"
"	str	x20, [x0, #" HX_XSTR(D_GDBG) "]\n"
"	str	x21, [x0, #(" HX_XSTR(D_GDBG) " + 8)]\n"
"	str	x22, [x0, #(" HX_XSTR(D_GDBG) " + 16)]\n"
"	msr	daifset, #8\n"
"	mov	x9, #1\n"
"	msr	oslar_el1, x9\n"
"	adr	x9, sr_gbp_at2\n"
"	msr	dbgbvr0_el1, x9\n"
"	isb\n"
"	msr	daifclr, #8\n"
"	isb\n"
"sr_gbp_at2:\n"
"	nop\n"
"	msr	daifset, #8\n"
"	str	x20, [x0, #(" HX_XSTR(D_GDBG) " + 24)]\n"
"	hx_done\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(sr_read_ids);
HX_GUEST_SYM(sr_step);
HX_GUEST_SYM(sr_step_end);
HX_GUEST_SYM(sr_brk);
HX_GUEST_SYM(sr_brk_at);
HX_GUEST_SYM(sr_hw);
HX_GUEST_SYM(sr_hwbp_at);
HX_GUEST_SYM(sr_wp_at);
HX_GUEST_SYM(sr_gdbg);
HX_GUEST_SYM(sr_smccc);
HX_GUEST_SYM(sr_trng);
HX_GUEST_SYM(sr_gbp_at);

#define SYS(op0, op1, crn, crm, op2)	HX_SYSREG(op0, op1, crn, crm, op2)
#define FW(n)		(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW | (n))
#define BMAP(n)		(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
			 KVM_REG_ARM_FW_FEAT_BMAP | (n))

#define EC_BREAKPT_LOW	0x30
#define EC_SOFTSTP_LOW	0x32
#define EC_WATCHPT_LOW	0x34
#define EC_BRK64	0x3c

/* KVM 6.1's list (get-reg-list base_regs + vregs): REF_MAX ids at most. */
#define REF_MAX		300
static __u64 ref[REF_MAX];
static unsigned int nref;

static void ref_add(u64 id)
{
	if (nref < REF_MAX)
		ref[nref++] = id;
}

static void ref_build(void)
{
	static const u64 fixed[] = {
		/* invariant */
		SYS(3, 0, 0, 0, 0), SYS(3, 0, 0, 0, 6), SYS(3, 1, 0, 0, 1),
		SYS(3, 1, 0, 0, 7), SYS(3, 3, 0, 0, 1),
		SYS(2, 0, 0, 2, 0), SYS(2, 0, 0, 2, 2),	/* MDCCINT, MDSCR */
		SYS(2, 0, 1, 1, 4), SYS(2, 4, 0, 7, 0),	/* OSLSR, DBGVCR32 */
		SYS(3, 0, 0, 0, 5),			/* MPIDR */
		SYS(3, 0, 1, 0, 0), SYS(3, 0, 1, 0, 1), SYS(3, 0, 1, 0, 2),
		SYS(3, 0, 2, 0, 0), SYS(3, 0, 2, 0, 1), SYS(3, 0, 2, 0, 2),
		SYS(3, 0, 5, 1, 0), SYS(3, 0, 5, 1, 1), SYS(3, 0, 5, 2, 0),
		SYS(3, 0, 6, 0, 0), SYS(3, 0, 7, 4, 0), SYS(3, 0, 10, 2, 0),
		SYS(3, 0, 10, 3, 0), SYS(3, 0, 12, 0, 0), SYS(3, 0, 12, 1, 1),
		SYS(3, 0, 13, 0, 1), SYS(3, 0, 13, 0, 4), SYS(3, 0, 14, 1, 0),
		SYS(3, 2, 0, 0, 0), SYS(3, 3, 13, 0, 2), SYS(3, 3, 13, 0, 3),
		SYS(3, 4, 3, 0, 0), SYS(3, 4, 5, 0, 1), SYS(3, 4, 5, 3, 0),
		KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CNT,
		KVM_REG_ARM_TIMER_CVAL,
		FW(0), FW(1), FW(2), FW(3), BMAP(0), BMAP(1), BMAP(2),
	};
	unsigned int i, j;

	for (i = 0; i < 31; i++)
		ref_add(HX_REG_X(i));
	ref_add(HX_REG_SP_EL0);
	ref_add(HX_REG_PC);
	ref_add(HX_REG_PSTATE);
	ref_add(HX_REG_SP_EL1);
	ref_add(HX_REG_ELR_EL1);
	for (i = 0; i < KVM_NR_SPSR; i++)
		ref_add(HX_CORE_REG(spsr[i]) | KVM_REG_SIZE_U64);
	for (i = 0; i < 32; i++)
		ref_add(HX_REG_V(i));
	ref_add(HX_REG_FPSR);
	ref_add(HX_REG_FPCR);
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		ref_add(fixed[i]);
	for (i = 0; i < 16; i++)
		for (j = 4; j < 8; j++)
			ref_add(SYS(2, 0, 0, i, j));
	for (i = 1; i < 8; i++)
		for (j = 0; j < 8; j++)
			ref_add(SYS(3, 0, 0, i, j));
}

static bool in_list(const __u64 *l, u64 n, u64 id)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (l[i] == id)
			return true;
	return false;
}

static int one_reg(struct hx_vcpu *v, unsigned long req, u64 id, void *p)
{
	struct kvm_one_reg r = { .id = id, .addr = (u64)(unsigned long)p };

	return ioctl(v->fd, req, &r) < 0 ? errno : 0;
}

static u64 get(struct hx_vcpu *v, u64 id)
{
	u64 val = 0xbadbadbadULL;

	one_reg(v, KVM_GET_ONE_REG, id, &val);
	return val;
}

/* KVM_SET_ONE_REG of val: must fail with err (0: succeed). */
static void set_expect(struct hx_vcpu *v, u64 id, u64 val, int err,
		       const char *what)
{
	int got = one_reg(v, KVM_SET_ONE_REG, id, &val);

	if (!tap_check(got == err, "%s: %s", what, err ? hx_errno_name(err) :
		       "accepted"))
		tap_diag("expected %s, got %s", err ? hx_errno_name(err) : "0",
			 got ? hx_errno_name(got) : "0");
}

static struct kvm_reg_list *list_regs(struct hx_vcpu *v)
{
	struct kvm_reg_list probe = { .n = 0 }, *l;
	int ret = ioctl(v->fd, KVM_GET_REG_LIST, &probe);

	tap_check(ret < 0 && errno == E2BIG && probe.n > 0,
		  "KVM_GET_REG_LIST with n = 0: E2BIG and the count");
	l = calloc(1, sizeof(*l) + (probe.n + 1) * sizeof(u64));
	if (!l)
		return NULL;
	l->n = probe.n;
	if (!tap_check(ioctl(v->fd, KVM_GET_REG_LIST, l) == 0,
		       "KVM_GET_REG_LIST with room for %llu", probe.n)) {
		free(l);
		return NULL;
	}
	return l;
}

static void check_list(struct hx_vcpu *v, struct kvm_reg_list *l)
{
	unsigned int missing = 0, extra = 0, dups = 0, bad_get = 0;
	unsigned int bad_set = 0;
	u64 i, first_missing = 0, first_extra = 0, first_bad = 0;
	u64 buf[2];

	for (i = 0; i < nref; i++)
		if (!in_list(l->reg, l->n, ref[i]) && !missing++)
			first_missing = ref[i];
	if (!tap_check(!missing, "all %u registers KVM 6.1 lists are listed", nref))
		tap_diag("%u missing, the first 0x%llx", missing,
			 (unsigned long long)first_missing);
	for (i = 0; i < l->n; i++) {
		u64 id = l->reg[i];

		if (in_list(l->reg, i, id))
			dups++;
		if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM_DEMUX &&
		    !in_list(ref, nref, id) && !extra++)
			first_extra = id;
		if (one_reg(v, KVM_GET_ONE_REG, id, buf)) {
			if (!bad_get++)
				first_bad = id;
			continue;
		}
		if (one_reg(v, KVM_SET_ONE_REG, id, buf) && !bad_set++)
			first_bad = id;
	}
	tap_check_eq(0, dups, "no register listed twice");
	/* Newer KVMs list more (e.g. 6.12's); splitvisor lists what 6.1 does. */
	if (hx_is_kvm)
		tap_diag("%u registers beyond KVM 6.1's list (first 0x%llx)",
			 extra, (unsigned long long)first_extra);
	else if (!tap_check(!extra, "no register beyond KVM 6.1's list"))
		tap_diag("%u extra, the first 0x%llx", extra,
			 (unsigned long long)first_extra);
	if (!tap_check(!bad_get && !bad_set,
		       "each of the %llu listed registers reads, and takes back what it read",
		       l->n))
		tap_diag("%u failed get, %u failed set, the first 0x%llx",
			 bad_get, bad_set, (unsigned long long)first_bad);
}

/* The running kernel is 6.1 (for what later KVMs changed on purpose). */
static bool kvm_is_61(void)
{
	struct utsname u;

	return !uname(&u) && !strncmp(u.release, "6.1.", 4);
}

/* A register takes back its own value, and refuses it with bits "bad" set. */
static void keep_refuse(struct hx_vcpu *v, u64 id, const char *name, u64 bad)
{
	u64 val = get(v, id);
	char what[96];

	snprintf(what, sizeof(what), "%s set to its value 0x%llx", name,
		 (unsigned long long)val);
	set_expect(v, id, val, 0, what);
	snprintf(what, sizeof(what), "%s with 0x%llx set (no such level or service)",
		 name, (unsigned long long)bad);
	set_expect(v, id, val | bad, EINVAL, what);
}

static const struct {
	u64 id;
	const char *name;
	u64 bad;
} fw_regs[] = {
	{ FW(1), "SMCCC_ARCH_WORKAROUND_1", 0x20 },
	{ FW(2), "SMCCC_ARCH_WORKAROUND_2", 0x20 },
	{ FW(3), "SMCCC_ARCH_WORKAROUND_3", 0x20 },
	{ BMAP(0), "KVM_REG_ARM_STD_BMAP", 1ULL << 63 },
	{ BMAP(1), "KVM_REG_ARM_STD_HYP_BMAP", 1ULL << 63 },
	{ BMAP(2), "KVM_REG_ARM_VENDOR_HYP_BMAP", 1ULL << 63 },
};

static void check_classes(struct hx_vcpu *v, struct kvm_reg_list *l)
{
	u64 val, pfr0, id, i;
	u32 v32 = 0;
	int err;

	/* Reset values KVM 6.1 gives (kvm_reset_sys_regs()). */
	tap_check_eq(0x00c50078, get(v, SYS(3, 0, 1, 0, 0)), "SCTLR_EL1 resets to 0x00c50078");
	tap_check_eq(0x8, get(v, SYS(2, 0, 1, 1, 4)),
		     "OSLSR_EL1 resets to OSLM = 0b10, OS Lock clear");
	tap_check_eq(0x700, get(v, SYS(3, 4, 5, 3, 0)), "FPEXC32_EL2 resets to 0x700");
	tap_check_eq(0, get(v, SYS(2, 0, 0, 2, 2)), "MDSCR_EL1 resets to 0");
	tap_check_eq(0x80000000, get(v, SYS(3, 0, 0, 0, 5)),
		     "MPIDR_EL1 of vCPU 0: bit 31 only");

	/* ID registers: only the value they have. */
	id = SYS(3, 0, 0, 6, 0);
	val = get(v, id);
	set_expect(v, id, val ^ 0x10, EINVAL, "ID_AA64ISAR0_EL1 changed");
	tap_check_eq(val, get(v, id), "ID_AA64ISAR0_EL1 unchanged after the refused write");
	id = SYS(3, 0, 0, 4, 2);
	tap_check_eq(0, get(v, id), "unallocated ID register (3,0,0,4,2) reads 0");
	set_expect(v, id, 1, EINVAL, "unallocated ID register set to 1");
	set_expect(v, SYS(3, 0, 0, 1, 3), 0x1badc0de, EINVAL, "ID_AFR0_EL1 (RAZ) set to non-zero");
	pfr0 = get(v, SYS(3, 0, 0, 4, 0));
	set_expect(v, SYS(3, 0, 0, 4, 0), (pfr0 & ~(0xfULL << 56)) | 2ULL << 56,
		   EINVAL, "ID_AA64PFR0_EL1.CSV2 = 2");
	set_expect(v, SYS(3, 0, 0, 4, 0), pfr0 ^ 0x10, EINVAL,
		   "ID_AA64PFR0_EL1.EL1 changed");
	if (pfr0 >> 56 & 0xf)
		set_expect(v, SYS(3, 0, 0, 4, 0), pfr0 & ~(0xfULL << 56), 0,
			   "ID_AA64PFR0_EL1.CSV2 lowered to 0");
	/* Invariant registers. */
	set_expect(v, SYS(3, 0, 0, 0, 0), get(v, SYS(3, 0, 0, 0, 0)) ^ 1, EINVAL,
		   "MIDR_EL1 changed");
	set_expect(v, SYS(3, 3, 0, 0, 1), get(v, SYS(3, 3, 0, 0, 1)) ^ 1, EINVAL,
		   "CTR_EL0 changed");
	/* OSLSR_EL1: only OSLK. */
	set_expect(v, SYS(2, 0, 1, 1, 4), 0xa, 0, "OSLSR_EL1 with OSLK set");
	tap_check_eq(0xa, get(v, SYS(2, 0, 1, 1, 4)), "OSLSR_EL1 reads back 0xa");
	set_expect(v, SYS(2, 0, 1, 1, 4), 0x0, EINVAL, "OSLSR_EL1 with OSLM changed");
	set_expect(v, SYS(2, 0, 1, 1, 4), 0x8, 0, "OSLSR_EL1 OS Lock cleared");
	/* Plain storage: anything goes. */
	set_expect(v, SYS(2, 0, 0, 5, 4), 0xffff000012345678ULL, 0, "DBGBVR5_EL1 set");
	tap_check_eq(0xffff000012345678ULL, get(v, SYS(2, 0, 0, 5, 4)),
		     "DBGBVR5_EL1 reads back");
	set_expect(v, SYS(2, 0, 0, 15, 7), 0x1e5, 0, "DBGWCR15_EL1 set");
	tap_check_eq(0x1e5, get(v, SYS(2, 0, 0, 15, 7)), "DBGWCR15_EL1 reads back");
	set_expect(v, SYS(3, 0, 1, 0, 1), 0x1234, 0, "ACTLR_EL1 set");
	tap_check_eq(0x1234, get(v, SYS(3, 0, 1, 0, 1)), "ACTLR_EL1 reads back");
	set_expect(v, SYS(3, 0, 12, 1, 1), 0x5, 0, "DISR_EL1 set");
	tap_check_eq(0x5, get(v, SYS(3, 0, 12, 1, 1)), "DISR_EL1 reads back");
	/* Sizes and encodings (KVM 6.1 index_to_params()). */
	tap_check_eq(ENOENT, one_reg(v, KVM_GET_ONE_REG,
				     (SYS(3, 0, 1, 0, 0) & ~KVM_REG_SIZE_MASK) |
				     KVM_REG_SIZE_U32, &val),
		     "SCTLR_EL1 as 32 bits: ENOENT");
	tap_check_eq(ENOENT, one_reg(v, KVM_GET_ONE_REG,
				     SYS(3, 0, 1, 0, 0) | 0x10000000, &val),
		     "a system register id with stray bits: ENOENT");

	/* Firmware registers (KVM 6.1 kvm_arm_set_fw_reg()). */
	val = get(v, FW(0));
	tap_check_eq(1, val >> 16, "PSCI_VERSION: major 1 with KVM_ARM_VCPU_PSCI_0_2");
	set_expect(v, FW(0), 0, EINVAL, "PSCI_VERSION 0.1 with the 0.2 feature");
	set_expect(v, FW(0), 2, 0, "PSCI_VERSION 0.2");
	tap_check_eq(2, get(v, FW(0)), "PSCI_VERSION reads back 0.2");
	set_expect(v, FW(0), 0x10000, 0, "PSCI_VERSION 1.0");
	set_expect(v, FW(0), 3, EINVAL, "PSCI_VERSION 0.3");
	tap_check_eq(ENOENT, one_reg(v, KVM_SET_ONE_REG,
				     (FW(0) & ~KVM_REG_SIZE_MASK) |
				     KVM_REG_SIZE_U32, &v32),
		     "PSCI_VERSION set as 32 bits: ENOENT");
	for (i = 0; i < ARRAY_SIZE(fw_regs); i++)
		keep_refuse(v, fw_regs[i].id, fw_regs[i].name, fw_regs[i].bad);
	set_expect(v, FW(1), 3, EINVAL, "SMCCC_ARCH_WORKAROUND_1 above NOT_REQUIRED");
	set_expect(v, FW(2), 0x10, EINVAL,
		   "SMCCC_ARCH_WORKAROUND_2 ENABLED without AVAIL");
	tap_check_eq(ENOENT, one_reg(v, KVM_GET_ONE_REG, FW(0x99), &val),
		     "an unknown firmware register: ENOENT");

	/* Cache geometry: listed caches read, cannot change. */
	for (i = 0; i < l->n; i++) {
		if ((l->reg[i] & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM_DEMUX)
			continue;
		tap_check_eq(0, one_reg(v, KVM_GET_ONE_REG, l->reg[i], &v32),
			     "CCSIDR of the first listed cache reads");
		v32 ^= 1;
		err = one_reg(v, KVM_SET_ONE_REG, l->reg[i], &v32);
		/* Linux 6.3 made the cache geometry settable (api.rst). */
		if (hx_is_kvm && !kvm_is_61())
			tap_diag("this KVM answers a changed CCSIDR with %s",
				 err ? hx_errno_name(err) : "0 (settable, 6.3+)");
		else
			tap_check_eq(EINVAL, err, "CCSIDR changed: EINVAL (as KVM 6.1)");
		break;
	}
}

/* The guest reads ID registers, OSLSR and MDSCR as ONE_REG says. */
static void check_guest_view(struct hx_vcpu *v, struct hx_vm *vm)
{
	static const u64 ids[NGID] = {
		SYS(3, 0, 0, 4, 0), SYS(3, 0, 0, 4, 1), SYS(3, 0, 0, 5, 0),
		SYS(3, 0, 0, 6, 0), SYS(3, 0, 0, 6, 1), SYS(3, 0, 0, 7, 0),
		SYS(3, 0, 0, 7, 1), SYS(3, 0, 0, 7, 2), SYS(3, 0, 0, 4, 2),
		SYS(3, 0, 0, 1, 3), SYS(3, 0, 0, 2, 0), SYS(3, 0, 0, 1, 2),
	};
	u64 *d = hx_gpa_to_hva(vm, HX_DATA);
	unsigned int i, bad = 0;
	struct hx_stop st;

	if (hx_vcpu_start(v, sr_read_ids) ||
	    hx_set_reg(v, SYS(2, 0, 1, 1, 4), 0xa) ||
	    hx_set_reg(v, SYS(2, 0, 0, 2, 2), 0x1000))
		return;
	hx_run(v, NULL, NULL, &st);
	if (!hx_check_done(v, &st, "guest reads its ID registers"))
		return;
	for (i = 0; i < NGID; i++) {
		if (d[i] == get(v, ids[i]))
			continue;
		if (!bad++)
			tap_diag("register 0x%llx: guest 0x%llx, ONE_REG 0x%llx",
				 (unsigned long long)ids[i],
				 (unsigned long long)d[i],
				 (unsigned long long)get(v, ids[i]));
	}
	tap_check_eq(0, bad, "the guest's ID registers are ONE_REG's (%u of them)",
		     NGID);
	tap_check_eq(0xa, d[D_OSLSR / 8], "guest OSLSR_EL1 = what the VMM set");
	tap_check_eq(0x1000, d[D_MDSCR / 8], "guest MDSCR_EL1 = what the VMM set");
	hx_set_reg(v, SYS(2, 0, 1, 1, 4), 0x8);
	hx_set_reg(v, SYS(2, 0, 0, 2, 2), 0);
}

static int guest_debug(struct hx_vcpu *v, struct kvm_guest_debug *dbg)
{
	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, dbg) < 0 ? errno : 0;
}

static long stop_at_debug(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
			  void *ctx __maybe_unused)
{
	return run->exit_reason == KVM_EXIT_DEBUG ? 1 : HX_CONTINUE;
}

static u64 debug_ec(struct hx_vcpu *v)
{
	return HX_ESR_EC(v->run->debug.arch.hsr);
}

static void check_single_step(struct hx_vcpu *v)
{
	struct kvm_guest_debug dbg = {
		.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP,
	};
	u64 start = hx_gpa(sr_step), pc = 0;
	unsigned int steps = 0, bad = 0;
	struct hx_stop st;

	if (hx_vcpu_start(v, sr_step) || guest_debug(v, &dbg))
		return;
	while (steps < 16) {
		hx_run(v, stop_at_debug, NULL, &st);
		if (st.kind != HX_STOP_USER)
			break;
		steps++;
		pc = get(v, HX_REG_PC);
		if ((debug_ec(v) != EC_SOFTSTP_LOW || pc != start + 4 * steps) &&
		    !bad++)
			tap_diag("step %u: EC 0x%llx at PC 0x%llx, expected 0x%x at 0x%llx",
				 steps, (unsigned long long)debug_ec(v),
				 (unsigned long long)pc, EC_SOFTSTP_LOW,
				 (unsigned long long)(start + 4 * steps));
		if (pc == hx_gpa(sr_step_end))
			break;
	}
	tap_check(!bad && pc == hx_gpa(sr_step_end) && steps == 6,
		  "single step: one KVM_EXIT_DEBUG per instruction, an emulated one included (%u steps)",
		  steps);
	dbg.control = 0;
	guest_debug(v, &dbg);
	hx_run(v, NULL, NULL, &st);
	hx_check_done(v, &st, "single step off: the guest runs to its end");
	tap_check_eq(5, get(v, HX_REG_X(2)),
		     "stepped guest: the trapped debug register write took effect");
}

static void check_sw_bp(struct hx_vcpu *v)
{
	struct kvm_guest_debug dbg = {
		.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP,
	};
	struct hx_stop st;

	if (hx_vcpu_start(v, sr_brk) || guest_debug(v, &dbg))
		return;
	hx_run(v, stop_at_debug, NULL, &st);
	if (!tap_check(st.kind == HX_STOP_USER && debug_ec(v) == EC_BRK64 &&
		       (v->run->debug.arch.hsr & 0xffff) == 0x123,
		       "BRK #0x123 with USE_SW_BP: KVM_EXIT_DEBUG, EC 0x3c, comment 0x123"))
		tap_diag("stop %d, hsr 0x%x", st.kind, v->run->debug.arch.hsr);
	tap_check_eq(hx_gpa(sr_brk_at), get(v, HX_REG_PC), "BRK: PC at the BRK");
	tap_check(v->run->flags & KVM_DEBUG_ARCH_HSR_HIGH_VALID,
		  "KVM_DEBUG_ARCH_HSR_HIGH_VALID set");
	hx_set_reg(v, HX_REG_PC, hx_gpa(sr_brk_at) + 4);
	dbg.control = 0;
	guest_debug(v, &dbg);
	hx_run(v, NULL, NULL, &st);
	hx_check_done(v, &st, "past the BRK, debug off: the guest runs to its end");
}

static void check_hw(struct hx_vcpu *v)
{
	struct kvm_guest_debug dbg = {
		.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW,
	};
	struct hx_stop st;

	/* E, PMC = EL1, BAS = 0xf: an EL1 instruction address match. */
	dbg.arch.dbg_bcr[0] = 1 | 1 << 1 | 0xf << 5;
	dbg.arch.dbg_bvr[0] = hx_gpa(sr_hwbp_at);
	/* E, PAC = EL1, LSC = store, BAS = 8 bytes. */
	dbg.arch.dbg_wcr[0] = 1 | 1 << 1 | 2 << 3 | 0xff << 5;
	dbg.arch.dbg_wvr[0] = HX_DATA + D_WDATA;
	if (hx_vcpu_start(v, sr_hw) || guest_debug(v, &dbg))
		return;
	hx_run(v, stop_at_debug, NULL, &st);
	tap_check(st.kind == HX_STOP_USER && debug_ec(v) == EC_BREAKPT_LOW &&
		  get(v, HX_REG_PC) == hx_gpa(sr_hwbp_at),
		  "VMM hardware breakpoint: KVM_EXIT_DEBUG, EC 0x30, at its address");
	/* Past the breakpoint: the VMM drops it, keeps the watchpoint. */
	dbg.arch.dbg_bcr[0] = 0;
	guest_debug(v, &dbg);
	hx_run(v, stop_at_debug, NULL, &st);
	if (!tap_check(st.kind == HX_STOP_USER && debug_ec(v) == EC_WATCHPT_LOW &&
		       v->run->debug.arch.far == HX_DATA + D_WDATA,
		       "VMM watchpoint: KVM_EXIT_DEBUG, EC 0x34, FAR = the address"))
		tap_diag("EC 0x%llx, FAR 0x%llx, PC 0x%llx",
			 (unsigned long long)debug_ec(v),
			 (unsigned long long)v->run->debug.arch.far,
			 (unsigned long long)get(v, HX_REG_PC));
	tap_check_eq(hx_gpa(sr_wp_at), get(v, HX_REG_PC),
		     "watchpoint: PC at the store, not yet done");
	dbg.control = 0;
	guest_debug(v, &dbg);
	hx_run(v, NULL, NULL, &st);
	hx_check_done(v, &st, "debug off: the store completes, the guest ends");
}

/*
 * What the guest is told matches the firmware registers: a workaround
 * level maps to SMCCC_ARCH_FEATURES as in KVM 6.1 kvm_hvc_call_handler()
 * (NOT_AVAIL/UNKNOWN: -1, AVAIL: 0; NOT_REQUIRED: 1, "unaffected", for
 * WORKAROUND_1/3 and -2 for WORKAROUND_2), and PSCI_VERSION is the one
 * the VMM chose.
 */
static void check_guest_firmware(struct hx_vcpu *v, struct hx_vm *vm)
{
	/* By register level; WORKAROUND_2 has UNKNOWN at 1 and AVAIL at 2. */
	static const long feat13[] = { -1, 0, 1 }, feat2[] = { -1, -1, 0, -2 };
	u64 *d = hx_gpa_to_hva(vm, HX_DATA);
	struct hx_stop st;
	u64 i, lvl;
	long want;

	if (hx_vcpu_start(v, sr_smccc) || hx_set_reg(v, FW(0), 2))
		return;
	hx_run(v, NULL, NULL, &st);
	if (!hx_check_done(v, &st, "guest asks SMCCC_ARCH_FEATURES and PSCI_VERSION"))
		return;
	for (i = 1; i <= 3; i++) {
		lvl = get(v, FW(i)) & 0xf;
		if (i == 2)
			want = lvl < ARRAY_SIZE(feat2) ? feat2[lvl] : 99;
		else
			want = lvl < ARRAY_SIZE(feat13) ? feat13[lvl] : 99;
		tap_check_eq(want, d[i - 1],
			     "SMCCC_ARCH_FEATURES(WORKAROUND_%llu) matches its register (level %llu)",
			     (unsigned long long)i, (unsigned long long)lvl);
	}
	tap_check_eq(2, d[3], "PSCI_VERSION: 0.2, as the VMM set it");
	hx_set_reg(v, FW(0), 0x10000);
}

/*
 * TRNG 1.0 is offered by default (KVM_REG_ARM_STD_BMAP bit 0, as KVM), and
 * a VMM clearing the bit before the VM runs takes it away from the guest;
 * once a vCPU ran, the bitmap is fixed (EBUSY).
 */
static void check_trng(struct hx_vcpu *v, struct hx_vm *vm)
{
	struct hx_vcpu v2;
	struct hx_vm vm2;
	struct hx_stop st;
	u64 *d;

	tap_check_eq(1, get(v, BMAP(0)) & 1, "KVM_REG_ARM_STD_BMAP offers TRNG 1.0 by default");
	if (hx_vcpu_start(v, sr_trng))
		return;
	hx_run(v, NULL, NULL, &st);
	if (!hx_check_done(v, &st, "guest calls TRNG"))
		return;
	d = hx_gpa_to_hva(vm, HX_DATA);
	tap_check_eq(0x10000, d[0], "TRNG_VERSION: 1.0");
	tap_check_eq(0, d[1], "TRNG_FEATURES(RND64): implemented");
	tap_check(d[2] == 0 && d[3], "TRNG_RND64 of 192 bits: success, random bits");
	tap_check_eq(-2ULL, d[4], "TRNG_RND64 of 193 bits: INVALID_PARAMETERS");
	tap_check_eq(0x00e0210d, d[5], "TRNG_GET_UUID: KVM's UUID, first word");
	tap_check_eq(0x4c5a4e55, d[6], "TRNG_GET_UUID: last word");

	if (hx_vm_create(&vm2) || hx_vcpu_create(&vm2, &v2, 0)) {
		tap_check(false, "a second VM and vCPU");
		return;
	}
	set_expect(&v2, BMAP(0), 0, 0, "KVM_REG_ARM_STD_BMAP cleared before the VM runs");
	if (!hx_vcpu_start(&v2, sr_trng)) {
		hx_run(&v2, NULL, NULL, &st);
		d = hx_gpa_to_hva(&vm2, HX_DATA);
		if (hx_check_done(&v2, &st, "guest calls TRNG without it"))
			tap_check_eq(-1ULL, d[0], "TRNG_VERSION: NOT_SUPPORTED once the bitmap lacks it");
	}
	set_expect(&v2, BMAP(0), 1, EBUSY, "KVM_REG_ARM_STD_BMAP changed after the VM ran");
	hx_vcpu_destroy(&v2);
	hx_vm_destroy(&vm2);
}

/* The guest's own breakpoint works for it; its OS Lock turns it off. */
static void check_guest_breakpoint(struct hx_vcpu *v, struct hx_vm *vm)
{
	u64 *d = hx_gpa_to_hva(vm, HX_DATA + D_GDBG);
	struct hx_stop st;

	if (hx_vcpu_start(v, sr_gdbg))
		return;
	hx_run(v, NULL, NULL, &st);
	if (!hx_check_done(v, &st, "guest programs its own hardware breakpoint"))
		return;
	tap_check_eq(1, d[0], "the guest's breakpoint fired once, in the guest");
	tap_check_eq(hx_gpa(sr_gbp_at), d[1], "... at its address");
	tap_check_eq(0x31, HX_ESR_EC(d[2]), "... as a breakpoint from EL1 (EC 0x31)");
	tap_check_eq(1, d[3], "with the guest's OS Lock set, its breakpoint does not fire");
	hx_set_reg(v, SYS(2, 0, 1, 1, 4), 0x8);
	hx_set_reg(v, SYS(2, 0, 0, 2, 2), 0);
	hx_set_reg(v, SYS(2, 0, 0, 0, 5), 0);
}

static void check_debug_abi(struct hx_vcpu *v)
{
	struct kvm_guest_debug dbg = { .control = 1U << 30 };
	u64 dfr0 = get(v, SYS(3, 0, 0, 5, 0));

	tap_check_eq(EINVAL, guest_debug(v, &dbg),
		     "KVM_SET_GUEST_DEBUG with an unknown control bit: EINVAL");
	tap_check_eq(1, ioctl(hx_dev_fd, KVM_CHECK_EXTENSION,
			      KVM_CAP_SET_GUEST_DEBUG),
		     "KVM_CAP_SET_GUEST_DEBUG = 1");
	tap_check_eq((dfr0 >> 12 & 0xf) + 1,
		     ioctl(hx_dev_fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_GUEST_DEBUG_HW_BPS),
		     "KVM_CAP_GUEST_DEBUG_HW_BPS = ID_AA64DFR0_EL1.BRPs + 1");
	tap_check_eq((dfr0 >> 20 & 0xf) + 1,
		     ioctl(hx_dev_fd, KVM_CHECK_EXTENSION,
			   KVM_CAP_GUEST_DEBUG_HW_WPS),
		     "KVM_CAP_GUEST_DEBUG_HW_WPS = ID_AA64DFR0_EL1.WRPs + 1");
	tap_check_eq(6, dfr0 & 0xf, "ID_AA64DFR0_EL1.DebugVer = 6 (Armv8.0, as KVM)");
}

/* The errnos of KVM 6.1 for devices and attributes that do not exist. */
static void check_errnos(struct hx_vm *vm, struct hx_vcpu *v)
{
	struct kvm_create_device cd = { .type = 0xffff };
	struct kvm_device_attr attr = { .group = 0x7777 };
	int ret;

	ret = ioctl(vm->fd, KVM_CREATE_DEVICE, &cd);
	tap_check_errno(ret, errno, ENODEV, "KVM_CREATE_DEVICE of an unknown type: ENODEV");
	ret = ioctl(v->fd, KVM_HAS_DEVICE_ATTR, &attr);
	tap_check_errno(ret, errno, ENXIO, "vCPU KVM_HAS_DEVICE_ATTR, unknown group: ENXIO");
	ret = ioctl(v->fd, KVM_SET_DEVICE_ATTR, &attr);
	tap_check_errno(ret, errno, ENXIO, "vCPU KVM_SET_DEVICE_ATTR, unknown group: ENXIO");
	ret = ioctl(v->fd, KVM_GET_DEVICE_ATTR, &attr);
	tap_check_errno(ret, errno, ENXIO, "vCPU KVM_GET_DEVICE_ATTR, unknown group: ENXIO");
}

int main(int argc, char **argv)
{
	struct kvm_reg_list *l;
	struct hx_vcpu v;
	struct hx_vm vm;

	hx_init(argc, argv, "kvm_sysregs", NULL);
	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0)) {
		tap_check(false, "VM and vCPU set up");
		return tap_done();
	}
	ref_build();
	l = list_regs(&v);
	if (l) {
		check_list(&v, l);
		check_classes(&v, l);
		free(l);
	}
	check_errnos(&vm, &v);
	check_guest_view(&v, &vm);
	check_debug_abi(&v);
	check_guest_firmware(&v, &vm);
	check_trng(&v, &vm);
	check_guest_breakpoint(&v, &vm);
	check_single_step(&v);
	check_sw_bp(&v);
	check_hw(&v);
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
	return tap_done();
}
