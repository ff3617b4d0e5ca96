// SPDX-License-Identifier: GPL-2.0
/* A failing GUEST_ASSERT_EQ: prints file:line, expected and actual, exit 1. */
#include "guest.h"

/* Not static: the compiler cannot fold the failing check away. */
u64 two = 2;

int main(void)
{
	GUEST_ASSERT(two == 2);
	GUEST_ASSERT_EQ(two + 1, 4);
	guest_puts("assert: not reached\n");
	return 3;
}
