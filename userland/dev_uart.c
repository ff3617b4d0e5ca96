// SPDX-License-Identifier: GPL-2.0
/*
 * A PL011 subset for guest output: a write of DR prints its low byte on
 * splitvm's stdout, FR reads 0 (transmit FIFO never full, never busy).
 * Every other register reads 0 and ignores writes, as does a guest that
 * only polls FR and writes DR.
 */
#include <stdio.h>

#include "splitvm.h"

static int uart_access(struct sv_mmio_dev *dev, uint64_t offset,
		       bool is_write, uint8_t *data, unsigned int len)
{
	(void)dev;
	(void)len;
	if (is_write && offset == SV_UART_DR) {
		putchar(data[0]);
		if (data[0] == '\n')
			fflush(stdout);
	}
	/* Reads: data is already zeroed, so FR = 0 = ready. */
	return 0;
}

static struct sv_mmio_dev uart = {
	.name = "uart",
	.size = SV_UART_SIZE,
	.access = uart_access,
};

int dev_uart_add(struct sv_vm *vm, uint64_t base)
{
	uart.base = base;
	return sv_vm_add_mmio(vm, &uart);
}
