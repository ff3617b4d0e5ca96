// SPDX-License-Identifier: GPL-2.0
/*
 * The EL2 image is linked at 0 as a PIE. Before it runs, the highvisor
 * checks its header against what this module was built for and applies its
 * R_AARCH64_RELATIVE records for the EL2 address it will run at. Pure
 * logic, shared with the host unit tests.
 */
#include "image.h"

#define R_AARCH64_NONE		0
#define R_AARCH64_RELATIVE	1027

struct sv_rela {
	u64 offset;
	u64 info;
	u64 addend;
};

int sv_image_check(const void *blob, size_t size, u32 expect_revision,
		   const char **why)
{
	const struct sv_image_header *h = blob;

	if (size < sizeof(*h) || h->magic != SV_IMAGE_MAGIC) {
		*why = "not a splitvisor EL2 image (bad magic)";
		return -ENOEXEC;
	}
	if (h->abi_revision != expect_revision) {
		*why = "EL2 image ABI revision does not match the module";
		return -ENOEXEC;
	}
	if (h->header_size != sizeof(*h) || h->file_size != size ||
	    h->mem_size < h->file_size || h->mem_size & 0xfff ||
	    h->text_end & 0xfff || h->rodata_end & 0xfff ||
	    h->text_end > h->rodata_end || h->rodata_end > h->mem_size ||
	    h->init_vectors & 0x7ff || h->runtime_vectors & 0x7ff ||
	    h->init_vectors >= h->text_end ||
	    h->runtime_vectors >= h->text_end || h->read_vbar >= h->text_end ||
	    h->rela_start & 7 || h->rela_start > h->rela_end ||
	    h->rela_end > h->file_size ||
	    (h->rela_end - h->rela_start) % sizeof(struct sv_rela)) {
		*why = "EL2 image header is inconsistent";
		return -ENOEXEC;
	}
	return 0;
}

int sv_image_relocate(void *image, const struct sv_image_header *hdr,
		      sv_el2va_t base, const char **why)
{
	const struct sv_rela *r = (const void *)((char *)image + hdr->rela_start);
	const struct sv_rela *end = (const void *)((char *)image + hdr->rela_end);

	for (; r < end; r++) {
		u64 type = r->info & 0xffffffff;
		u64 value = base.va + r->addend;

		if (type == R_AARCH64_NONE)
			continue;
		if (type != R_AARCH64_RELATIVE || r->info >> 32 ||
		    r->offset > hdr->file_size - sizeof(u64) ||
		    r->offset & 7 || r->addend >= hdr->mem_size) {
			*why = "EL2 image has a relocation it cannot apply";
			return -ENOEXEC;
		}
		memcpy((char *)image + r->offset, &value, sizeof(value));
	}
	return 0;
}
