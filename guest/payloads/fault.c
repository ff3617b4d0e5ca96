// SPDX-License-Identifier: GPL-2.0
/*
 * An undefined instruction nobody expects: the runtime reports ESR_EL1
 * (EC 0, IL: 0x02000000), ELR_EL1 and FAR_EL1, and exits 0x7f.
 */
#include "guest.h"

int main(void)
{
	guest_puts("fault: executing UDF #0\n");
	asm volatile("udf #0");
	guest_puts("fault: survived UDF\n");
	return 2;
}
