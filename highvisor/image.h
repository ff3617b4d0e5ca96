/* SPDX-License-Identifier: GPL-2.0 */
/* Checking and relocating the embedded EL2 image. */
#ifndef SV_IMAGE_H
#define SV_IMAGE_H

#include "sv_types.h"
#include "splitvisor_abi.h"

int sv_image_check(const void *blob, size_t size, u32 expect_revision,
		   const char **why);
int sv_image_relocate(void *image, const struct sv_image_header *hdr,
		      sv_el2va_t base, const char **why);

#endif
