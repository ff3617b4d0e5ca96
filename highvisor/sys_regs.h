/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one system-register table (sys_regs.c): its descriptor, and the pure
 * logic around it (encodings, lookup, which ID fields a VMM may change),
 * which also builds natively for the host unit tests.
 */
#ifndef SV_SYS_REGS_H
#define SV_SYS_REGS_H

#include "sv_types.h"

/*
 * One encoding for a register, whichever way it is named: op0, op1, CRn,
 * CRm, op2 packed in that order, so that numeric order is KVM's table
 * order (sys_regs.c in KVM 6.1 keeps its table sorted the same way).
 */
#define SV_ENC(op0, op1, crn, crm, op2)					\
	((u32)(op0) << 14 | (u32)(op1) << 11 | (u32)(crn) << 7 |	\
	 (u32)(crm) << 3 | (u32)(op2))
#define SV_ENC_OP0(e)		((e) >> 14 & 3)
#define SV_ENC_OP1(e)		((e) >> 11 & 7)
#define SV_ENC_CRN(e)		((e) >> 7 & 15)
#define SV_ENC_CRM(e)		((e) >> 3 & 15)
#define SV_ENC_OP2(e)		((e) & 7)

/* From the ISS of a trapped MSR/MRS/SYS (EC 0x18, ARM ARM D13.2.37). */
static inline u32 sv_enc_from_iss(u64 iss)
{
	return SV_ENC(iss >> 20 & 3, iss >> 14 & 7, iss >> 10 & 15,
		      iss >> 1 & 15, iss >> 17 & 7);
}

/*
 * From a KVM_REG_ARM64_SYSREG ONE_REG id: the low 16 bits are the same
 * fields in the same order (uapi asm/kvm.h, KVM_REG_ARM64_SYSREG_*).
 */
static inline u32 sv_enc_from_id(u64 id)
{
	return id & 0xffff;
}

static inline u64 sv_id_from_enc(u32 enc)
{
	/* KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | enc */
	return 0x6000000000000000ULL | 0x0030000000000000ULL |
	       0x0000000000130000ULL | enc;
}

/* Visibility (KVM's REG_HIDDEN, REG_RAZ, REG_USER_WI). */
#define SV_REG_HIDDEN		(1U << 0)	/* not in REG_LIST, no ONE_REG */
#define SV_REG_RAZ		(1U << 1)	/* the guest and the VMM read 0 */
#define SV_REG_USER_WI		(1U << 2)	/* VMM writes are ignored */

struct sv_vcpu_host;

/* A trapped access: the value written, or the value to read. */
struct sv_sr_params {
	u64 val;
	bool write;
};

/*
 * One register of the table in sys_regs.c (its first member is the
 * encoding, for the lookup below). pmu.c provides the PMU's accessors.
 */
struct sv_sys_reg {
	u32 enc;	/* SV_ENC() */
	/* Trap: true = done (PC moves on), false = UNDEF was injected. */
	bool (*access)(struct sv_vcpu_host *v, struct sv_sr_params *p,
		       const struct sv_sys_reg *r);
	int (*get)(struct sv_vcpu_host *v, const struct sv_sys_reg *r,
		   u64 *val);
	int (*set)(struct sv_vcpu_host *v, const struct sv_sys_reg *r,
		   u64 val);
	void (*reset)(struct sv_vcpu_host *v, const struct sv_sys_reg *r);
	unsigned int (*visibility)(const struct sv_vcpu_host *v,
				   const struct sv_sys_reg *r);
	int reg;	/* storage, SV_R_*; -1: none */
	u64 val;	/* reset value, or the debug register number */
};

/* Index of enc in a table sorted by enc, or -1. */
static inline int sv_sys_reg_index(const u32 *encs, size_t stride, int n,
				   u32 enc)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		u32 e = *(const u32 *)((const char *)encs + mid * stride);

		if (e == enc)
			return mid;
		if (e < enc)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* 0 if strictly ascending, else the index of the first entry out of order. */
static inline int sv_sys_reg_unsorted(const u32 *encs, size_t stride, int n)
{
	int i;

	for (i = 1; i < n; i++) {
		u32 a = *(const u32 *)((const char *)encs + (i - 1) * stride);
		u32 b = *(const u32 *)((const char *)encs + i * stride);

		if (a >= b)
			return i;
	}
	return 0;
}

/*
 * A VMM writing an ID register: only the fields in writable may differ
 * from cur, and each of them (unsigned, 4 bits) may only go as high as
 * max allows (KVM 6.1: "what a VMM may lower"). Returns 0 or -EINVAL.
 */
static inline int sv_id_reg_check(u64 cur, u64 val, u64 writable, u64 max)
{
	int shift;

	if ((cur ^ val) & ~writable)
		return -EINVAL;
	for (shift = 0; shift < 64; shift += 4) {
		u64 m = 0xfULL << shift;

		if ((writable & m) && (val & m) > (max & m))
			return -EINVAL;
	}
	return 0;
}

#endif
