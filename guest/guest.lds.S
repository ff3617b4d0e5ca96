/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest payloads: linked at the start of guest RAM, where splitvm loads
 * their PT_LOAD segments (p_paddr = VMA: the MMU stays off). Run through
 * the C preprocessor for guest.h (and layout.h).
 */
#include "guest.h"

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);
	data PT_LOAD FLAGS(6);
}

SECTIONS
{
	. = SV_RAM_BASE;
	.text : {
		*(.text.boot)
		*(.text .text.*)
	} :text
	.rodata : {
		*(.rodata .rodata.*)
	} :text
	. = ALIGN(4096);
	.data : {
		*(.data .data.*)
	} :data
	. = ALIGN(16);
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	} :data
	.stack (NOLOAD) : {
		. = ALIGN(16);
		. += GUEST_STACK_SIZE;
		__stack_top = .;
	} :data
	/DISCARD/ : {
		*(.comment)
		*(.note .note.*)
		*(.eh_frame .eh_frame_hdr)
	}
}
