// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for highvisor/sys_regs.h: the register encodings (trap
 * ISS, ONE_REG id), the sorted-table lookup the system-register table
 * relies on, and which ID register values a VMM may write. Expected values
 * are spelled out from the ARM ARM and uapi asm/kvm.h, not from the header.
 */
#include <stdio.h>

#include "sys_regs.h"
#include "tap.h"

/* ARM64_SYS_REG(op0, op1, crn, crm, op2) of uapi asm/kvm.h, by hand. */
static u64 kvm_id(u64 op0, u64 op1, u64 crn, u64 crm, u64 op2)
{
	return 0x6000000000000000ULL | 0x0030000000000000ULL |
	       0x0000000000130000ULL |
	       op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
}

/* ISS of a trapped MRS (ARM ARM D13.2.37: Op0 21:20, Op2 19:17, ...). */
static u64 iss(u64 op0, u64 op1, u64 crn, u64 crm, u64 op2, u64 rt)
{
	return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 |
	       crm << 1 | 1;
}

struct ent {
	u32 enc;
	int payload;
};

static void test_encodings(void)
{
	u32 sctlr = SV_ENC(3, 0, 1, 0, 0);

	CHECK_EQ_U64("ONE_REG id of SCTLR_EL1", 0x603000000013c080ULL,
		     sv_id_from_enc(sctlr));
	CHECK_EQ_U64("ONE_REG id of DBGWCR15_EL1", kvm_id(2, 0, 0, 15, 7),
		     sv_id_from_enc(SV_ENC(2, 0, 0, 15, 7)));
	CHECK_EQ_U64("id -> encoding -> id", kvm_id(3, 4, 5, 3, 0),
		     sv_id_from_enc(sv_enc_from_id(kvm_id(3, 4, 5, 3, 0))));
	CHECK_EQ_U64("trapped MRS x7, SCTLR_EL1", sctlr,
		     sv_enc_from_iss(iss(3, 0, 1, 0, 0, 7)));
	CHECK_EQ_U64("trapped MRS of (2,0,0,15,6)", SV_ENC(2, 0, 0, 15, 6),
		     sv_enc_from_iss(iss(2, 0, 0, 15, 6, 30)));
	CHECK_EQ_U64("fields back out of an encoding", 0x34567ULL,
		     SV_ENC_OP0(SV_ENC(3, 4, 5, 6, 7)) << 16 |
		     SV_ENC_OP1(SV_ENC(3, 4, 5, 6, 7)) << 12 |
		     SV_ENC_CRN(SV_ENC(3, 4, 5, 6, 7)) << 8 |
		     SV_ENC_CRM(SV_ENC(3, 4, 5, 6, 7)) << 4 |
		     SV_ENC_OP2(SV_ENC(3, 4, 5, 6, 7)));
	/* Table order (op0, op1, CRn, CRm, op2) is numeric order. */
	CHECK(SV_ENC(2, 7, 15, 15, 7) < SV_ENC(3, 0, 0, 0, 0) &&
	      SV_ENC(3, 0, 0, 15, 7) < SV_ENC(3, 0, 1, 0, 0) &&
	      SV_ENC(3, 0, 1, 0, 7) < SV_ENC(3, 0, 1, 1, 0),
	      "encodings sort as KVM's table (op0, op1, CRn, CRm, op2)");
}

static void test_lookup(void)
{
	struct ent t[] = {
		{ SV_ENC(1, 0, 7, 6, 2), 0 }, { SV_ENC(2, 0, 0, 0, 4), 1 },
		{ SV_ENC(2, 0, 0, 2, 2), 2 }, { SV_ENC(3, 0, 0, 4, 0), 3 },
		{ SV_ENC(3, 0, 1, 0, 0), 4 }, { SV_ENC(3, 4, 5, 3, 0), 5 },
	};
	int n = ARRAY_SIZE(t), i, bad = 0;

	for (i = 0; i < n; i++)
		if (sv_sys_reg_index(&t[0].enc, sizeof(t[0]), n, t[i].enc) != i)
			bad++;
	CHECK_EQ_INT("every entry found at its index", 0, bad);
	CHECK_EQ_INT("an encoding between two entries: -1", -1,
		     sv_sys_reg_index(&t[0].enc, sizeof(t[0]), n,
				      SV_ENC(3, 0, 0, 4, 1)));
	CHECK_EQ_INT("below the first: -1", -1,
		     sv_sys_reg_index(&t[0].enc, sizeof(t[0]), n, 0));
	CHECK_EQ_INT("above the last: -1", -1,
		     sv_sys_reg_index(&t[0].enc, sizeof(t[0]), n, 0xffff));
	CHECK_EQ_INT("empty table: -1", -1,
		     sv_sys_reg_index(&t[0].enc, sizeof(t[0]), 0, t[0].enc));
	CHECK_EQ_INT("a sorted table is sorted", 0,
		     sv_sys_reg_unsorted(&t[0].enc, sizeof(t[0]), n));
	t[3].enc = SV_ENC(3, 0, 1, 0, 0);	/* duplicate of t[4] */
	CHECK_EQ_INT("a duplicate is reported at the second copy", 4,
		     sv_sys_reg_unsorted(&t[0].enc, sizeof(t[0]), n));
	t[3].enc = SV_ENC(3, 0, 0, 4, 0);
	t[1].enc = SV_ENC(2, 0, 0, 3, 4);	/* now above t[2] */
	CHECK_EQ_INT("an entry out of order is reported", 2,
		     sv_sys_reg_unsorted(&t[0].enc, sizeof(t[0]), n));
}

static void test_id_check(void)
{
	const u64 csv = 0xffULL << 56;	/* two writable fields */
	u64 cur = 0x0100000000001111ULL, max = 0x1100000000000000ULL;

	CHECK_EQ_INT("the value it has", 0, sv_id_reg_check(cur, cur, csv, max));
	CHECK_EQ_INT("a read-only field changed", -EINVAL,
		     sv_id_reg_check(cur, cur ^ 0x10, csv, max));
	CHECK_EQ_INT("a writable field lowered", 0,
		     sv_id_reg_check(cur, cur & ~(0xfULL << 56), csv, max));
	CHECK_EQ_INT("a writable field raised up to its maximum", 0,
		     sv_id_reg_check(cur, cur | 1ULL << 60, csv, max));
	CHECK_EQ_INT("a writable field raised past its maximum", -EINVAL,
		     sv_id_reg_check(cur, cur | 2ULL << 60, csv, max));
	CHECK_EQ_INT("no writable field: only the same value", -EINVAL,
		     sv_id_reg_check(cur, cur & ~(0xfULL << 56), 0, 0));
}

int main(void)
{
	test_encodings();
	test_lookup();
	test_id_check();
	return tap_done();
}
