/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct sv_image_header, at offset 0 of the EL2 image. The offsets are
 * absolute symbols from lowvisor.lds, so they need no relocation.
 */
#include "splitvisor_abi.h"
#include "sv_asm_offsets.h"

	.section .sv.header, "a"
	.balign 8
__sv_image_header:
	.quad	SV_IMAGE_MAGIC
	.long	SV_ABI_REVISION
	.long	SV_HDR_SIZE
	.quad	__sv_off_file_end
	.quad	__sv_off_mem_end
	.quad	__sv_off_text_end
	.quad	__sv_off_rodata_end
	.quad	__sv_off_init_vectors
	.quad	__sv_off_runtime_vectors
	.quad	__sv_off_read_vbar
	.quad	__sv_off_rela_start
	.quad	__sv_off_rela_end
	.if	. - __sv_image_header != SV_HDR_SIZE
	.error	"image header does not match struct sv_image_header"
	.endif
