// SPDX-License-Identifier: GPL-2.0
/*
 * A load pair from the test device: the data abort has no valid
 * instruction syndrome (ISV = 0), which the hypervisor cannot emulate;
 * splitvm must report it and exit 1.
 */
#include "guest.h"

int main(void)
{
	u64 a, b;

	guest_puts("mmio_nisv: ldp from the test device\n");
	asm volatile("ldp %0, %1, [%2]"
		     : "=r"(a), "=r"(b)
		     : "r"((u64)SV_TESTDEV_BASE + SV_TESTDEV_PATTERN)
		     : "memory");
	guest_printf("mmio_nisv: the ldp returned 0x%lx 0x%lx\n", a, b);
	return 2;
}
