// SPDX-License-Identifier: GPL-2.0
/* The smallest payload: one line on the UART, then exit(0). */
#include "guest.h"

int main(void)
{
	guest_puts("hello from the guest\n");
	GUEST_DONE();
}
