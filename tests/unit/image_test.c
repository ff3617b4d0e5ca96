// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for highvisor/image.c: the EL2 image header check and the
 * R_AARCH64_RELATIVE relocation pass.
 *
 * Synthetic images are built in a page-aligned buffer of IMG_MEM bytes:
 *
 *   0x0000  struct sv_image_header
 *   0x0800  init vectors      0x1000  runtime vectors    0x1800  read_vbar
 *   0x2000  text_end          0x3000  rodata_end, rela records from here
 *   0x3100  file_size         0x5000  mem_size
 *
 * The last test loads the real build/lowvisor/lowvisor.bin when it exists.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "tap.h"

#define IMG_FILE		0x3100ULL
#define IMG_MEM			0x5000ULL
#define IMG_TEXT_END		0x2000ULL
#define IMG_RODATA_END		0x3000ULL
#define IMG_INIT_VEC		0x0800ULL
#define IMG_RUNTIME_VEC		0x1000ULL
#define IMG_READ_VBAR		0x1800ULL
#define IMG_RELA		0x3000ULL
#define RELA_SIZE		24ULL
#define MAX_RELA		((IMG_FILE - IMG_RELA) / RELA_SIZE)

#define R_AARCH64_NONE		0
#define R_AARCH64_ABS64		257
#define R_AARCH64_GLOB_DAT	1025
#define R_AARCH64_JUMP_SLOT	1026
#define R_AARCH64_RELATIVE	1027

#define BASE			0x0000000087650000ULL
#define REAL_IMAGE		"build/lowvisor/lowvisor.bin"
#define REAL_BASE		0x40000000ULL

/* Filler for the image body, so that writes and stray reads show. */
#define FILL			0x11

static unsigned char *img_new(unsigned int nr_rela)
{
	unsigned char *img = aligned_alloc(4096, IMG_MEM);
	struct sv_image_header h = {
		.magic		= SV_IMAGE_MAGIC,
		.abi_revision	= SV_ABI_REVISION,
		.header_size	= sizeof(struct sv_image_header),
		.file_size	= IMG_FILE,
		.mem_size	= IMG_MEM,
		.text_end	= IMG_TEXT_END,
		.rodata_end	= IMG_RODATA_END,
		.init_vectors	= IMG_INIT_VEC,
		.runtime_vectors = IMG_RUNTIME_VEC,
		.read_vbar	= IMG_READ_VBAR,
		.rela_start	= IMG_RELA,
		.rela_end	= IMG_RELA + nr_rela * RELA_SIZE,
	};

	if (!img) {
		perror("img_new");
		exit(2);
	}
	memset(img, FILL, IMG_FILE);
	memset(img + IMG_FILE, 0, IMG_MEM - IMG_FILE);
	memset(img + IMG_RELA, 0, nr_rela * RELA_SIZE);
	memcpy(img, &h, sizeof(h));
	return img;
}

static struct sv_image_header *hdr(unsigned char *img)
{
	return (struct sv_image_header *)img;
}

static void put64(unsigned char *img, u64 off, u64 v)
{
	memcpy(img + off, &v, sizeof(v));
}

static u64 get64(const unsigned char *img, u64 off)
{
	u64 v;

	memcpy(&v, img + off, sizeof(v));
	return v;
}

static void put_rela(unsigned char *img, unsigned int i, u64 offset, u64 info,
		     u64 addend)
{
	u64 at = IMG_RELA + i * RELA_SIZE;

	put64(img, at, offset);
	put64(img, at + 8, info);
	put64(img, at + 16, addend);
}

static bool why_set(const char *why)
{
	return why && *why;
}

/* --- sv_image_check --------------------------------------------------------- */

struct field {
	size_t off, width;	/* width 0: no edit */
};

#define FIELD(f)	((struct field){ offsetof(struct sv_image_header, f), \
					 sizeof(((struct sv_image_header *)0)->f) })

struct edit {
	struct field f;
	u64 value;
};

struct hdr_case {
	const char *name;
	struct edit e[2];
	long size_delta;	/* size passed = file_size + size_delta */
	int expected;
};

static const struct hdr_case hdr_cases[] = {
	/* Consistent variations, all accepted. */
	{ "valid header", { }, 0, 0 },
	{ "no rodata (rodata_end == text_end)",
	  { { FIELD(rodata_end), IMG_TEXT_END } }, 0, 0 },
	{ "rodata up to mem_size", { { FIELD(rodata_end), IMG_MEM } }, 0, 0 },
	{ "vectors in the last 2 KiB of text",
	  { { FIELD(init_vectors), IMG_TEXT_END - 0x800 },
	    { FIELD(runtime_vectors), IMG_TEXT_END - 0x800 } }, 0, 0 },
	{ "empty rela range", { { FIELD(rela_end), IMG_RELA } }, 0, 0 },
	{ "rela range ending at file_size",
	  { { FIELD(rela_start), IMG_FILE - 10 * RELA_SIZE },
	    { FIELD(rela_end), IMG_FILE } }, 0, 0 },
	{ "mem_size == file_size (no bss)",
	  { { FIELD(file_size), 0x4000 }, { FIELD(mem_size), 0x4000 } },
	  0x4000 - (long)IMG_FILE, 0 },

	/* Everything below is refused. */
	{ "bad magic (one bit off)",
	  { { FIELD(magic), SV_IMAGE_MAGIC ^ 1 } }, 0, -ENOEXEC },
	{ "byte-swapped magic",
	  { { FIELD(magic), __builtin_bswap64(SV_IMAGE_MAGIC) } }, 0,
	  -ENOEXEC },
	{ "header_size smaller than the header",
	  { { FIELD(header_size), sizeof(struct sv_image_header) - 8 } }, 0,
	  -ENOEXEC },
	{ "header_size larger than the header",
	  { { FIELD(header_size), sizeof(struct sv_image_header) + 8 } }, 0,
	  -ENOEXEC },
	{ "header_size 0", { { FIELD(header_size), 0 } }, 0, -ENOEXEC },
	{ "file_size one less than the size given", { }, 1, -ENOEXEC },
	{ "file_size one more than the size given", { }, -1, -ENOEXEC },
	{ "file_size 0", { { FIELD(file_size), 0 } }, 0, -ENOEXEC },
	{ "mem_size < file_size",
	  { { FIELD(mem_size), IMG_RODATA_END } }, 0, -ENOEXEC },
	{ "mem_size not a page multiple (+8)",
	  { { FIELD(mem_size), IMG_MEM + 8 } }, 0, -ENOEXEC },
	{ "mem_size not a page multiple (+2 KiB)",
	  { { FIELD(mem_size), IMG_MEM + 0x800 } }, 0, -ENOEXEC },
	{ "text_end not a page multiple",
	  { { FIELD(text_end), IMG_TEXT_END + 0x800 } }, 0, -ENOEXEC },
	{ "rodata_end not a page multiple",
	  { { FIELD(rodata_end), IMG_RODATA_END + 0x800 } }, 0, -ENOEXEC },
	{ "text_end > rodata_end",
	  { { FIELD(text_end), IMG_RODATA_END + 0x1000 } }, 0, -ENOEXEC },
	{ "rodata_end > mem_size",
	  { { FIELD(rodata_end), IMG_MEM + 0x1000 } }, 0, -ENOEXEC },
	{ "init vectors only 1 KiB aligned",
	  { { FIELD(init_vectors), IMG_INIT_VEC + 0x400 } }, 0, -ENOEXEC },
	{ "init vectors only 128-byte aligned",
	  { { FIELD(init_vectors), IMG_INIT_VEC + 0x80 } }, 0, -ENOEXEC },
	{ "runtime vectors only 1 KiB aligned",
	  { { FIELD(runtime_vectors), IMG_RUNTIME_VEC + 0x400 } }, 0,
	  -ENOEXEC },
	{ "init vectors at text_end",
	  { { FIELD(init_vectors), IMG_TEXT_END } }, 0, -ENOEXEC },
	{ "runtime vectors at text_end",
	  { { FIELD(runtime_vectors), IMG_TEXT_END } }, 0, -ENOEXEC },
	{ "runtime vectors in rodata",
	  { { FIELD(runtime_vectors), IMG_TEXT_END + 0x800 } }, 0, -ENOEXEC },
	{ "init vectors far beyond the image",
	  { { FIELD(init_vectors), 0x7ffffffff800ULL } }, 0, -ENOEXEC },
	{ "read_vbar at text_end",
	  { { FIELD(read_vbar), IMG_TEXT_END } }, 0, -ENOEXEC },
	{ "rela_end past file_size",
	  { { FIELD(rela_end), IMG_RELA + (MAX_RELA + 1) * RELA_SIZE } }, 0,
	  -ENOEXEC },
	{ "rela range entirely past file_size",
	  { { FIELD(rela_start), IMG_MEM - 0x1000 },
	    { FIELD(rela_end), IMG_MEM - 0x1000 + RELA_SIZE } }, 0, -ENOEXEC },
	{ "rela_start > rela_end",
	  { { FIELD(rela_start), IMG_RELA + RELA_SIZE },
	    { FIELD(rela_end), IMG_RELA } }, 0, -ENOEXEC },
	{ "rela_start near 2^64",
	  { { FIELD(rela_start), 0xffffffffffffffe8ULL },
	    { FIELD(rela_end), IMG_RELA } }, 0, -ENOEXEC },
	{ "rela_start not 8-byte aligned",
	  { { FIELD(rela_start), IMG_RELA + 4 },
	    { FIELD(rela_end), IMG_RELA + 4 + RELA_SIZE } }, 0, -ENOEXEC },
	{ "rela range of 16 bytes (not 24-byte records)",
	  { { FIELD(rela_end), IMG_RELA + 16 } }, 0, -ENOEXEC },
	{ "rela range of 32 bytes (not 24-byte records)",
	  { { FIELD(rela_end), IMG_RELA + 32 } }, 0, -ENOEXEC },
	{ "rela range of 2 records + 8 bytes",
	  { { FIELD(rela_end), IMG_RELA + 2 * RELA_SIZE + 8 } }, 0,
	  -ENOEXEC },
};

static void apply_edit(unsigned char *img, const struct edit *e)
{
	u32 v32 = (u32)e->value;

	if (e->f.width == sizeof(u64))
		put64(img, e->f.off, e->value);
	else if (e->f.width == sizeof(u32))
		memcpy(img + e->f.off, &v32, sizeof(v32));
}

static void test_check_table(void)
{
	char d[200];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hdr_cases); i++) {
		const struct hdr_case *c = &hdr_cases[i];
		unsigned char *img = img_new(4);
		const char *why = NULL;
		int ret;

		apply_edit(img, &c->e[0]);
		apply_edit(img, &c->e[1]);
		ret = sv_image_check(img, IMG_FILE + c->size_delta,
				     SV_ABI_REVISION, &why);
		snprintf(d, sizeof(d), "check, %s: %s", c->name,
			 c->expected ? "-ENOEXEC" : "accepted");
		CHECK_EQ_INT(d, c->expected, ret);
		if (c->expected) {
			snprintf(d, sizeof(d), "check, %s: says why", c->name);
			CHECK_STR(d, why_set(why), "a reason", why);
		}
		free(img);
	}
}

static void test_check_messages(void)
{
	const char *why_magic = NULL, *why_short = NULL, *why_abi = NULL;
	const char *why_abi2 = NULL, *why_bad = NULL;
	unsigned char *img = img_new(0);

	hdr(img)->magic = 0;
	CHECK_EQ_INT("check, magic 0: -ENOEXEC", -ENOEXEC,
		     sv_image_check(img, IMG_FILE, SV_ABI_REVISION, &why_magic));
	hdr(img)->magic = SV_IMAGE_MAGIC;
	CHECK_EQ_INT("check, blob shorter than the header: -ENOEXEC", -ENOEXEC,
		     sv_image_check(img, 16, SV_ABI_REVISION, &why_short));
	CHECK_EQ_INT("check, empty blob: -ENOEXEC", -ENOEXEC,
		     sv_image_check(img, 0, SV_ABI_REVISION, &why_short));
	CHECK_STR("check, short blob: says why", why_set(why_short),
		  "a reason", why_short);

	hdr(img)->abi_revision = SV_ABI_REVISION + 1;
	CHECK_EQ_INT("check, image built for the next ABI revision: -ENOEXEC",
		     -ENOEXEC,
		     sv_image_check(img, IMG_FILE, SV_ABI_REVISION, &why_abi));
	hdr(img)->abi_revision = SV_ABI_REVISION;
	CHECK_EQ_INT("check, module expecting another ABI revision: -ENOEXEC",
		     -ENOEXEC,
		     sv_image_check(img, IMG_FILE, SV_ABI_REVISION + 1, &why_abi2));
	hdr(img)->abi_revision = 0;
	CHECK_EQ_INT("check, revision 0 image with a module expecting 0: accepted",
		     0, sv_image_check(img, IMG_FILE, 0, &why_bad));
	hdr(img)->abi_revision = SV_ABI_REVISION;

	CHECK_STR("check: the bad-magic reason is given", why_set(why_magic),
		  "a reason", why_magic);
	CHECK_STR("check: the ABI reason mentions the ABI",
		  why_abi && strstr(why_abi, "ABI"), "a string containing \"ABI\"",
		  why_abi);
	CHECK_STR("check: the ABI reason is the same both ways",
		  why_abi && why_abi2 && !strcmp(why_abi, why_abi2), why_abi,
		  why_abi2);
	CHECK_STR("check: the ABI reason differs from the bad-magic one",
		  why_abi && why_magic && strcmp(why_abi, why_magic),
		  "anything but the bad-magic reason", why_abi);
	CHECK_STR("check: the bad-magic reason does not blame the ABI",
		  why_magic && !strstr(why_magic, "ABI"),
		  "a string without \"ABI\"", why_magic);

	why_bad = NULL;
	hdr(img)->mem_size = IMG_MEM + 8;
	CHECK_EQ_INT("check, inconsistent header: -ENOEXEC", -ENOEXEC,
		     sv_image_check(img, IMG_FILE, SV_ABI_REVISION, &why_bad));
	CHECK_STR("check: an inconsistent header is not blamed on the ABI",
		  why_bad && why_abi && strcmp(why_bad, why_abi),
		  "anything but the ABI reason", why_bad);
	CHECK_STR("check: an inconsistent header is not blamed on the magic",
		  why_bad && why_magic && strcmp(why_bad, why_magic),
		  "anything but the bad-magic reason", why_bad);
	free(img);
}

/* --- sv_image_relocate ------------------------------------------------------- */

static void test_relocate_good(void)
{
	unsigned char *img = img_new(6), *want = malloc(IMG_MEM);
	const char *why = NULL;
	int ret;

	/* Previous contents of the targets, which RELA records ignore. */
	put64(img, 0x2000, 0x2222222222222222ULL);
	put64(img, 0x1000, 0x3333333333333333ULL);
	put_rela(img, 0, 0x2000, R_AARCH64_RELATIVE, 0x10);
	put_rela(img, 1, 0xdeadbeefULL, R_AARCH64_NONE, 0xffffffffffffffffULL);
	put_rela(img, 2, 0x2008, R_AARCH64_RELATIVE, 0);
	put_rela(img, 3, IMG_FILE - 8, R_AARCH64_RELATIVE, IMG_MEM - 8);
	put_rela(img, 4, 0x1000, R_AARCH64_RELATIVE, IMG_MEM - 1);
	put_rela(img, 5, 0, R_AARCH64_NONE, 0);
	CHECK_EQ_INT("relocate image with RELATIVE and NONE records: check passes",
		     0, sv_image_check(img, IMG_FILE, SV_ABI_REVISION, &why));

	memcpy(want, img, IMG_MEM);
	put64(want, 0x2000, BASE + 0x10);
	put64(want, 0x2008, BASE);
	put64(want, IMG_FILE - 8, BASE + IMG_MEM - 8);
	put64(want, 0x1000, BASE + IMG_MEM - 1);

	ret = sv_image_relocate(img, hdr(img), (sv_el2va_t){ BASE }, &why);
	CHECK_EQ_INT("relocate: success", 0, ret);
	CHECK_EQ_U64("relocate: RELATIVE at 0x2000 writes base + 0x10",
		     BASE + 0x10, get64(img, 0x2000));
	CHECK_EQ_U64("relocate: RELATIVE at 0x2008 writes base + 0", BASE,
		     get64(img, 0x2008));
	CHECK_EQ_U64("relocate: RELATIVE at the last word of the file",
		     BASE + IMG_MEM - 8, get64(img, IMG_FILE - 8));
	CHECK_EQ_U64("relocate: RELATIVE with addend mem_size - 1",
		     BASE + IMG_MEM - 1, get64(img, 0x1000));
	CHECK(!memcmp(img, want, IMG_MEM),
	      "relocate: nothing else changed (NONE records ignored)");
	free(want);
	free(img);

	img = img_new(0);
	want = malloc(IMG_MEM);
	memcpy(want, img, IMG_MEM);
	CHECK_EQ_INT("relocate with no records: success", 0,
		     sv_image_relocate(img, hdr(img), (sv_el2va_t){ BASE },
				       &why));
	CHECK(!memcmp(img, want, IMG_MEM),
	      "relocate with no records: image unchanged");
	free(want);
	free(img);
}

struct rela_case {
	const char *name;
	u64 offset, info, addend;
};

static const struct rela_case bad_relas[] = {
	{ "type R_AARCH64_ABS64", 0x2000, R_AARCH64_ABS64, 0x10 },
	{ "type R_AARCH64_GLOB_DAT", 0x2000, R_AARCH64_GLOB_DAT, 0x10 },
	{ "type R_AARCH64_JUMP_SLOT", 0x2000, R_AARCH64_JUMP_SLOT, 0x10 },
	{ "type 0xffffffff", 0x2000, 0xffffffffULL, 0x10 },
	{ "RELATIVE with symbol index 1", 0x2000,
	  (1ULL << 32) | R_AARCH64_RELATIVE, 0x10 },
	{ "RELATIVE with symbol index 0xffffffff", 0x2000,
	  0xffffffff00000000ULL | R_AARCH64_RELATIVE, 0x10 },
	{ "offset 4-byte aligned only", 0x2004, R_AARCH64_RELATIVE, 0x10 },
	{ "offset odd", 0x2001, R_AARCH64_RELATIVE, 0x10 },
	{ "offset at file_size", IMG_FILE, R_AARCH64_RELATIVE, 0x10 },
	{ "offset straddling file_size", IMG_FILE - 4, R_AARCH64_RELATIVE,
	  0x10 },
	{ "offset in .bss (past file_size)", IMG_MEM - 8, R_AARCH64_RELATIVE,
	  0x10 },
	{ "offset near 2^64", 0xfffffffffffffff8ULL, R_AARCH64_RELATIVE, 0x10 },
	{ "addend == mem_size", 0x2000, R_AARCH64_RELATIVE, IMG_MEM },
	{ "addend near 2^64", 0x2000, R_AARCH64_RELATIVE,
	  0xffffffffffff0000ULL },
};

static void test_relocate_bad(void)
{
	unsigned char *want = malloc(IMG_MEM);
	char d[200];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_relas); i++) {
		const struct rela_case *c = &bad_relas[i];
		unsigned char *img = img_new(1);
		const char *why = NULL;
		int ret;

		put_rela(img, 0, c->offset, c->info, c->addend);
		memcpy(want, img, IMG_MEM);
		ret = sv_image_relocate(img, hdr(img), (sv_el2va_t){ BASE },
					&why);
		snprintf(d, sizeof(d), "relocate, %s: -ENOEXEC", c->name);
		CHECK_EQ_INT(d, -ENOEXEC, ret);
		snprintf(d, sizeof(d), "relocate, %s: says why, writes nothing",
			 c->name);
		CHECK_STR(d, why_set(why) && !memcmp(img, want, IMG_MEM),
			  "a reason and an unchanged image", why);
		free(img);
	}
	free(want);
}

/* A bad record after good ones still fails the whole pass. */
static void test_relocate_bad_last(void)
{
	unsigned char *img = img_new(3);
	const char *why = NULL;

	put_rela(img, 0, 0x2000, R_AARCH64_RELATIVE, 0x10);
	put_rela(img, 1, 0x2008, R_AARCH64_NONE, 0);
	put_rela(img, 2, 0x2010, R_AARCH64_ABS64, 0x10);
	CHECK_EQ_INT("relocate, bad record after good ones: -ENOEXEC", -ENOEXEC,
		     sv_image_relocate(img, hdr(img), (sv_el2va_t){ BASE }, &why));
	free(img);
}

/* --- the real image -------------------------------------------------------- */

static unsigned char *read_file(const char *path, size_t *size)
{
	unsigned char *buf = NULL;
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END))
		goto out;
	n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc(n ? n : 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*size = n;
out:
	fclose(f);
	return buf;
}

static void test_real_image(void)
{
	struct sv_image_header h;
	unsigned char *file, *img = NULL, *target = NULL;
	const char *why = NULL;
	size_t size = 0, i;
	u64 off, bad = 0, nr_rel = 0, changed = 0;
	int ret;

	file = read_file(REAL_IMAGE, &size);
	if (!file) {
		tap_skip("real image", "not built");
		return;
	}
	ret = sv_image_check(file, size, SV_ABI_REVISION, &why);
	if (!CHECK_EQ_INT("real image: sv_image_check accepts it with SV_ABI_REVISION",
			  0, ret)) {
		tap_diag("reason: %s", why ? why : "(none)");
		goto out;
	}
	CHECK_EQ_INT("real image: refused by a module of another ABI revision",
		     -ENOEXEC,
		     sv_image_check(file, size, SV_ABI_REVISION + 1, &why));
	memcpy(&h, file, sizeof(h));
	if (!CHECK(h.mem_size <= (64ULL << 20),
		   "real image: mem_size (0x%llx) is at most 64 MiB",
		   (unsigned long long)h.mem_size))
		goto out;

	img = aligned_alloc(4096, h.mem_size);
	target = calloc(1, h.file_size);
	if (!img || !target) {
		perror("test_real_image");
		exit(2);
	}
	memcpy(img, file, size);
	memset(img + size, 0, h.mem_size - size);
	for (off = h.rela_start; off < h.rela_end; off += RELA_SIZE) {
		u64 r_off = get64(file, off);

		if ((get64(file, off + 8) & 0xffffffff) != R_AARCH64_RELATIVE)
			continue;
		nr_rel++;
		if (r_off <= h.file_size - 8)
			memset(target + r_off, 1, 8);
	}

	ret = sv_image_relocate(img, &h, (sv_el2va_t){ REAL_BASE }, &why);
	if (!CHECK_EQ_INT("real image: relocation at 0x40000000 succeeds", 0,
			  ret)) {
		tap_diag("reason: %s", why ? why : "(none)");
		goto out;
	}
	for (off = h.rela_start; off < h.rela_end; off += RELA_SIZE) {
		u64 r_off = get64(file, off), v;

		if ((get64(file, off + 8) & 0xffffffff) != R_AARCH64_RELATIVE)
			continue;
		v = get64(img, r_off);
		if (v < REAL_BASE || v >= REAL_BASE + h.mem_size) {
			if (!bad++)
				tap_diag("at 0x%llx: 0x%llx",
					 (unsigned long long)r_off,
					 (unsigned long long)v);
		}
	}
	tap_diag("%llu R_AARCH64_RELATIVE records",
		 (unsigned long long)nr_rel);
	if (!CHECK_EQ_U64("real image: every relocated value is inside [base, base + mem_size)",
			  0, bad))
		tap_diag("(count of values outside 0x%llx..0x%llx)",
			 REAL_BASE, REAL_BASE + h.mem_size);
	for (i = 0; i < size; i++)
		if (!target[i] && img[i] != file[i])
			changed++;
	CHECK_EQ_U64("real image: no byte outside the relocation targets changed",
		     0, changed);
out:
	free(target);
	free(img);
	free(file);
}

int main(void)
{
	test_check_table();
	test_check_messages();
	test_relocate_good();
	test_relocate_bad();
	test_relocate_bad_last();
	test_real_image();
	return tap_done();
}
