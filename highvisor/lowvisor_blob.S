/* SPDX-License-Identifier: GPL-2.0 */
/* The EL2 image, built by lowvisor/Makefile, carried as read-only data. */
	.section .rodata, "a"
	.balign 8
	.globl	sv_lowvisor_blob
	.globl	sv_lowvisor_blob_end
sv_lowvisor_blob:
	.incbin	SV_LOWVISOR_BIN
sv_lowvisor_blob_end:
