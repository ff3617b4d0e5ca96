// SPDX-License-Identifier: GPL-2.0
/*
 * Sign-extending MMIO loads of negative values (LDRSB/LDRSH/LDRSW into W
 * and X registers): the hypervisor must sign-extend the VMM's data as
 * the ESR's SSE and SF bits say. Every load is checked; the exit code
 * tells the failures apart:
 *   0  all sign-extended correctly
 *   2  the only failures are values that came back zero-extended (the
 *      sign extension was dropped, as Linux KVM does up to at least 6.12)
 *   1  anything else
 */
#include "guest.h"

#define SCRATCH		((u64)SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH)
#define PAT		((u64)SV_TESTDEV_BASE + SV_TESTDEV_PATTERN)

static int checks, zero_extended, other;

/* size: bytes loaded; w: into a W register (bits 63:32 must be 0). */
#define CHECK_SEXT(actual, expected, size, w)				\
	check_sext(__LINE__, #actual, actual, expected, size, w)

static void check_sext(int line, const char *what, u64 a, u64 e,
		       int size, bool w)
{
	u64 zext = e & ((1UL << (8 * size)) - 1);

	checks++;
	if (a == e)
		return;
	if (a == zext && e != zext) {
		zero_extended++;
		guest_printf("ZERO-EXTENDED %s:%d: %s\n", __FILE__, line, what);
	} else {
		other++;
		guest_printf("FAILED %s:%d: %s\n", __FILE__, line, what);
	}
	guest_printf("  expected: 0x%016lx (%s)\n  actual:   0x%016lx\n", e,
		     w ? "W register" : "X register", a);
}

int main(void)
{
	CHECK_SEXT(MMIO_LOAD_W("ldrsb", PAT), 0xffffffef, 1, true);
	CHECK_SEXT(MMIO_LOAD_X("ldrsb", PAT), 0xffffffffffffffefUL, 1, false);
	CHECK_SEXT(MMIO_LOAD_W("ldrsh", PAT), 0xffffcdef, 2, true);
	CHECK_SEXT(MMIO_LOAD_X("ldrsh", PAT), 0xffffffffffffcdefUL, 2, false);
	CHECK_SEXT(MMIO_LOAD_X("ldrsw", PAT), 0xffffffff89abcdefUL, 4, false);
	CHECK_SEXT(MMIO_LOAD_W("ldrsb", PAT + 1), 0xffffffcd, 1, true);
	CHECK_SEXT(MMIO_LOAD_X("ldrsh", PAT + 2), 0xffffffffffff89abUL, 2,
		   false);

	MMIO_STORE_W("strb", 0x80, SCRATCH);
	CHECK_SEXT(MMIO_LOAD_W("ldrsb", SCRATCH), 0xffffff80, 1, true);
	CHECK_SEXT(MMIO_LOAD_X("ldrsb", SCRATCH), 0xffffffffffffff80UL, 1,
		   false);
	MMIO_STORE_W("str", 0x80000000, SCRATCH);
	CHECK_SEXT(MMIO_LOAD_X("ldrsw", SCRATCH), 0xffffffff80000000UL, 4,
		   false);

	if (other) {
		guest_printf("mmio_sext: %d of %d checks failed\n",
			     other + zero_extended, checks);
		return 1;
	}
	if (zero_extended) {
		guest_printf("mmio_sext: %d of %d loads came back zero-extended instead of sign-extended\n",
			     zero_extended, checks);
		return 2;
	}
	guest_printf("mmio_sext: %d checks passed\n", checks);
	GUEST_DONE();
}
