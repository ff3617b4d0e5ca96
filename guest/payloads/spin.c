// SPDX-License-Identifier: GPL-2.0
/* Never exits: for splitvm --timeout. */
#include "guest.h"

int main(void)
{
	guest_puts("spin: spinning forever\n");
	for (;;)
		asm volatile("" : : : "memory");
}
