// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO emulation through the test device: stores and loads of 1, 2, 4
 * and 8 bytes round-trip through the scratch register; narrow loads of
 * the pattern register are zero-extended into W and X registers (and
 * sign-extended, for positive values: negative ones are mmio_sext.c's);
 * stores of WZR/XZR write zero. Every destination register
 * is filled with garbage first, so that a hypervisor that leaves stale
 * upper bits is caught.
 */
#include "guest.h"

#define SCRATCH		((u64)SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH)
#define PAT		((u64)SV_TESTDEV_BASE + SV_TESTDEV_PATTERN)

static int checks, failed;

/* Like GUEST_ASSERT_EQ, but goes on: every check is run and reported. */
#define CHECK_EQ(actual, expected)					\
	check_eq(__LINE__, #actual, (u64)(actual), (u64)(expected))

static void check_eq(int line, const char *what, u64 a, u64 e)
{
	checks++;
	if (a == e)
		return;
	failed++;
	guest_printf("FAILED %s:%d: %s\n", __FILE__, line, what);
	guest_printf("  expected: 0x%016lx\n  actual:   0x%016lx\n", e, a);
}

static void scratch_round_trips(void)
{
	MMIO_STORE_X(0x1122334455667788UL, SCRATCH);
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0x1122334455667788UL);
	CHECK_EQ(MMIO_LOAD_W("ldr", SCRATCH), 0x55667788);
	CHECK_EQ(MMIO_LOAD_W("ldrh", SCRATCH), 0x7788);
	CHECK_EQ(MMIO_LOAD_W("ldrb", SCRATCH), 0x88);

	/* A store of N bytes sets the register to exactly those N bytes. */
	MMIO_STORE_W("strb", 0xa5, SCRATCH);
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0xa5);
	CHECK_EQ(MMIO_LOAD_W("ldrb", SCRATCH), 0xa5);
	MMIO_STORE_W("strh", 0xbeef, SCRATCH);
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0xbeef);
	CHECK_EQ(MMIO_LOAD_W("ldrh", SCRATCH), 0xbeef);
	MMIO_STORE_W("str", 0xdeadbeef, SCRATCH);
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0xdeadbeef);
	CHECK_EQ(MMIO_LOAD_W("ldr", SCRATCH), 0xdeadbeef);

	/* The bits above the access size must not reach the device. */
	MMIO_STORE_W("str", 0xffffffff12345678UL, SCRATCH);
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0x12345678);
	MMIO_STORE_W("strh", 0xffffffffffff9abcUL, SCRATCH);
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0x9abc);
	MMIO_STORE_W("strb", 0x1234, SCRATCH);
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0x34);
}

static void zero_register_stores(void)
{
	MMIO_STORE_X(~0UL, SCRATCH);
	asm volatile("strb wzr, [%0]" : : "r"(SCRATCH) : "memory");
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0);
	MMIO_STORE_X(~0UL, SCRATCH);
	asm volatile("strh wzr, [%0]" : : "r"(SCRATCH) : "memory");
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0);
	MMIO_STORE_X(~0UL, SCRATCH);
	asm volatile("str wzr, [%0]" : : "r"(SCRATCH) : "memory");
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0);
	MMIO_STORE_X(~0UL, SCRATCH);
	asm volatile("str xzr, [%0]" : : "r"(SCRATCH) : "memory");
	CHECK_EQ(MMIO_LOAD_X("ldr", SCRATCH), 0);
}

static void pattern_loads(void)
{
	u64 sp0, sp1;

	/* Zero-extending loads at each offset; W loads clear bits 63:32. */
	CHECK_EQ(MMIO_LOAD_X("ldr", PAT), SV_TESTDEV_PATTERN_VAL);
	CHECK_EQ(MMIO_LOAD_W("ldr", PAT), 0x89abcdef);
	CHECK_EQ(MMIO_LOAD_W("ldr", PAT + 4), 0x01234567);
	CHECK_EQ(MMIO_LOAD_W("ldrh", PAT), 0xcdef);
	CHECK_EQ(MMIO_LOAD_W("ldrh", PAT + 2), 0x89ab);
	CHECK_EQ(MMIO_LOAD_W("ldrh", PAT + 6), 0x0123);
	CHECK_EQ(MMIO_LOAD_W("ldrb", PAT), 0xef);
	CHECK_EQ(MMIO_LOAD_W("ldrb", PAT + 1), 0xcd);
	CHECK_EQ(MMIO_LOAD_W("ldrb", PAT + 7), 0x01);

	/*
	 * Sign-extending loads of positive values (negative ones are in
	 * mmio_sext.c).
	 */
	CHECK_EQ(MMIO_LOAD_W("ldrsb", PAT + 7), 0x01);
	CHECK_EQ(MMIO_LOAD_X("ldrsb", PAT + 7), 0x01);
	CHECK_EQ(MMIO_LOAD_W("ldrsh", PAT + 6), 0x0123);
	CHECK_EQ(MMIO_LOAD_X("ldrsh", PAT + 6), 0x0123);
	CHECK_EQ(MMIO_LOAD_X("ldrsw", PAT + 4), 0x01234567);

	/* Base register plus immediate offset. */
	{
		u64 v = MMIO_GARBAGE;

		asm volatile("ldrsw %0, [%1, #4]"
			     : "+r"(v) : "r"(PAT) : "memory");
		CHECK_EQ(v, 0x01234567);
	}

	/* Writes to the pattern are ignored. */
	MMIO_STORE_X(0, PAT);
	CHECK_EQ(MMIO_LOAD_X("ldr", PAT), SV_TESTDEV_PATTERN_VAL);

	/* A load into XZR is discarded (register 31 is not SP here). */
	asm volatile("mov %0, sp\n\t"
		     "ldr xzr, [%2]\n\t"
		     "mov %1, sp"
		     : "=&r"(sp0), "=&r"(sp1) : "r"(PAT) : "memory");
	CHECK_EQ(sp1, sp0);
}

int main(void)
{
	scratch_round_trips();
	zero_register_stores();
	pattern_loads();
	if (failed) {
		guest_printf("mmio: %d of %d checks failed\n", failed, checks);
		return 1;
	}
	guest_printf("mmio: %d checks passed\n", checks);
	GUEST_DONE();
}
