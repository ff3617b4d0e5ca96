// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for highvisor/pgtable.c, the EL2 stage-1 and guest
 * stage-2 table builder.
 *
 * The tables come from a fake allocator: each table is an aligned_alloc'd
 * host page that gets a fake "physical address" FAKE_PA_BASE + slot * 4 KiB,
 * and table_va() translates such a PA back by slot. Slots are never reused
 * and pages are only released at the end of a test, so a double free, a
 * free of an unknown pointer or a walk through a freed or made-up PA is
 * caught and counted. Allocation failure can be injected after N successful
 * allocations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"
#include "splitvisor_abi.h"
#include "tap.h"

#define PAGE			SV_PAGE_SIZE
#define FAKE_SLOTS		1024
#define FAKE_PA_BASE		0x0000c0de00000000ULL
#define VA_LIMIT		(1ULL << 48)

/* The expected descriptor bits, spelled out independently of pgtable.h. */
#define D_VALID			0x1ULL
#define D_PAGE			0x2ULL
#define D_ATTRIDX_MASK		0x1cULL
#define D_AP1			0x40ULL
#define D_AP2			0x80ULL
#define D_SH_MASK		0x300ULL
#define D_AF			0x400ULL
#define D_XN			0x0040000000000000ULL
#define D_OA_MASK		0x0000fffffffff000ULL

enum { SLOT_UNUSED, SLOT_LIVE, SLOT_FREED };

struct fake_mem {
	struct sv_pgt_ops ops;
	void *page[FAKE_SLOTS];
	unsigned char state[FAKE_SLOTS];
	unsigned char head[FAKE_SLOTS];	/* first slot of an allocation */
	unsigned int next;		/* next slot; slots are never reused */
	long fail_after;		/* successful allocations allowed; <0: any */
	unsigned long allocs;		/* successful allocations */
	unsigned long failed_allocs;
	unsigned long frees;
	unsigned long live;
	unsigned long bad_frees;	/* double free or unknown pointer */
	unsigned long bad_pas;		/* table_va() of a PA never handed out */
	void *scratch;			/* what table_va() returns for those */
};

/*
 * 2^order pages take 2^order consecutive slots (so fake PAs stay
 * contiguous), the first one aligned to the block size like the kernel's.
 */
static void *fake_alloc_table(void *ctx, unsigned int order, sv_pa_t *pa)
{
	struct fake_mem *fm = ctx;
	unsigned int n = 1U << order, first, i;
	char *p;

	first = (fm->next + n - 1) & ~(n - 1);
	if ((fm->fail_after >= 0 && fm->allocs >= (unsigned long)fm->fail_after) ||
	    first + n > FAKE_SLOTS) {
		fm->failed_allocs++;
		return NULL;
	}
	p = aligned_alloc(PAGE * n, PAGE * n);
	if (!p) {
		fm->failed_allocs++;
		return NULL;
	}
	memset(p, 0, PAGE * n);
	for (i = 0; i < n; i++) {
		fm->page[first + i] = p + i * PAGE;
		fm->state[first + i] = SLOT_LIVE;
	}
	fm->head[first] = 1;
	pa->pa = FAKE_PA_BASE + (u64)first * PAGE;
	fm->next = first + n;
	fm->allocs++;
	fm->live += n;
	return p;
}

static void fake_free_table(void *ctx, void *table, unsigned int order)
{
	struct fake_mem *fm = ctx;
	unsigned int n = 1U << order, i, j;

	for (i = 0; i + n <= fm->next; i++) {
		if (fm->page[i] != table || fm->state[i] != SLOT_LIVE)
			continue;
		for (j = 0; j < n; j++) {
			if (fm->state[i + j] != SLOT_LIVE)
				break;
			fm->state[i + j] = SLOT_FREED;
		}
		if (j < n)
			break;
		/* Poison: a later walk through it would go astray. */
		memset(table, 0xa5, PAGE * n);
		fm->frees++;
		fm->live -= n;
		return;
	}
	fm->bad_frees++;
}

static int fake_slot(const struct fake_mem *fm, u64 pa)
{
	u64 slot;

	if (pa < FAKE_PA_BASE || (pa - FAKE_PA_BASE) % PAGE)
		return -1;
	slot = (pa - FAKE_PA_BASE) / PAGE;
	if (slot >= fm->next || fm->state[slot] != SLOT_LIVE)
		return -1;
	return (int)slot;
}

static void *fake_table_va(void *ctx, sv_pa_t pa)
{
	struct fake_mem *fm = ctx;
	int slot = fake_slot(fm, pa.pa);

	if (slot < 0) {
		fm->bad_pas++;
		memset(fm->scratch, 0, PAGE);
		return fm->scratch;
	}
	return fm->page[slot];
}

static struct fake_mem *fake_new(long fail_after)
{
	struct fake_mem *fm = calloc(1, sizeof(*fm));

	if (fm)
		fm->scratch = aligned_alloc(PAGE, PAGE);
	if (!fm || !fm->scratch) {
		perror("fake_new");
		exit(2);
	}
	fm->ops.alloc_table = fake_alloc_table;
	fm->ops.free_table = fake_free_table;
	fm->ops.table_va = fake_table_va;
	fm->ops.ctx = fm;
	fm->fail_after = fail_after;
	return fm;
}

/* One test point on the allocator's own books, then releases everything. */
static void fake_fini(struct fake_mem *fm, const char *test)
{
	unsigned int i;

	if (!tap_result(!fm->bad_frees && !fm->bad_pas,
			"%s: no double/unknown free, no walk through an unknown PA",
			test)) {
		tap_diag("expected 0 bad frees and 0 unknown PAs, got %lu and %lu",
			 fm->bad_frees, fm->bad_pas);
	}
	for (i = 0; i < fm->next; i++)
		if (fm->head[i])
			free(fm->page[i]);
	free(fm->scratch);
	free(fm);
}

/* pgt->nr_tables and the allocator's live count agree and equal n. */
static bool check_tables(struct fake_mem *fm, const struct sv_pgt *pgt,
			 unsigned long n, const char *desc)
{
	bool ok = pgt->nr_tables == n && fm->live == n;

	if (!tap_result(ok, "%s", desc))
		tap_diag("expected nr_tables %lu and %lu live tables, got %lu and %lu",
			 n, n, pgt->nr_tables, fm->live);
	return ok;
}

static void pgt_new(struct fake_mem *fm, struct sv_pgt *pgt)
{
	memset(pgt, 0, sizeof(*pgt));
	if (sv_pgt_init(pgt, &fm->ops, SV_PGT_EL2, SV_VA_BITS)) {
		printf("Bail out! sv_pgt_init failed with memory available\n");
		exit(2);
	}
}

static int map(struct sv_pgt *pgt, u64 va, u64 pa, u64 size, unsigned int prot)
{
	return sv_pgt_map(pgt, va, (sv_pa_t){ pa }, size, prot);
}

static int lookup(const struct sv_pgt *pgt, u64 va, u64 *desc)
{
	return sv_pgt_lookup(pgt, va, desc);
}

static unsigned int idx(u64 va, int level)
{
	return (va >> (39 - 9 * level)) & 511;
}

/*
 * Every page of [va, va + size) looks up to the descriptor for pa + off,
 * and the pages right below and above are not mapped.
 */
static void check_range(const struct sv_pgt *pgt, u64 va, u64 pa, u64 size,
			unsigned int prot, const char *desc)
{
	u64 off, d, want;
	int ret;

	for (off = 0; off < size; off += PAGE) {
		want = sv_pgt_page_desc((sv_pa_t){ pa + off }, prot);
		d = 0;
		ret = lookup(pgt, va + off, &d);
		if (ret || d != want) {
			tap_result(false, "%s: every page maps to pa + offset", desc);
			tap_diag("va 0x%llx: expected 0 and 0x%016llx, got %d and 0x%016llx",
				 (unsigned long long)(va + off),
				 (unsigned long long)want, ret,
				 (unsigned long long)d);
			return;
		}
	}
	tap_result(true, "%s: every page maps to pa + offset", desc);
	CHECK(lookup(pgt, va - PAGE, &d) == -ENOENT &&
	      lookup(pgt, va + size, &d) == -ENOENT,
	      "%s: the pages just outside the range are not mapped", desc);
}

/* --- descriptors ---------------------------------------------------------- */

struct desc_case {
	const char *name;
	unsigned int prot;
	u64 expected;		/* for pa 0x123456789000 */
	bool ro, xn, device;
};

static const struct desc_case desc_cases[] = {
	{ "normal R",   SV_PROT_R, 0x00401234567897c3ULL, true, true, false },
	{ "normal RX",  SV_PROT_R | SV_PROT_X, 0x00001234567897c3ULL,
	  true, false, false },
	{ "normal RW",  SV_PROT_R | SV_PROT_W, 0x0040123456789743ULL,
	  false, true, false },
	{ "device R",   SV_PROT_R | SV_PROT_DEVICE, 0x00401234567894c7ULL,
	  true, true, true },
	{ "device RW",  SV_PROT_R | SV_PROT_W | SV_PROT_DEVICE,
	  0x0040123456789447ULL, false, true, true },
	/* Device memory is never executable, whatever was asked. */
	{ "device RX",  SV_PROT_R | SV_PROT_X | SV_PROT_DEVICE,
	  0x00401234567894c7ULL, true, true, true },
};

static void test_desc_bits(void)
{
	const u64 pa = 0x0000123456789000ULL;
	char d[160];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(desc_cases); i++) {
		const struct desc_case *c = &desc_cases[i];
		u64 v = sv_pgt_page_desc((sv_pa_t){ pa }, c->prot);

		snprintf(d, sizeof(d), "desc %s: whole descriptor", c->name);
		CHECK_EQ_U64(d, c->expected, v);
		snprintf(d, sizeof(d), "desc %s: bits 1:0 = valid + page (0b11)",
			 c->name);
		CHECK_EQ_U64(d, D_VALID | D_PAGE, v & 3);
		snprintf(d, sizeof(d), "desc %s: AttrIndx = %d", c->name,
			 c->device ? 1 : 0);
		CHECK_EQ_U64(d, c->device ? 1 : 0, (v & D_ATTRIDX_MASK) >> 2);
		snprintf(d, sizeof(d), "desc %s: AF set", c->name);
		CHECK_EQ_U64(d, D_AF, v & D_AF);
		snprintf(d, sizeof(d), "desc %s: AP[1] (RES1 at EL2) set", c->name);
		CHECK_EQ_U64(d, D_AP1, v & D_AP1);
		snprintf(d, sizeof(d), "desc %s: AP[2] %s", c->name,
			 c->ro ? "set (read-only)" : "clear (writable)");
		CHECK_EQ_U64(d, c->ro ? D_AP2 : 0, v & D_AP2);
		snprintf(d, sizeof(d), "desc %s: XN %s", c->name,
			 c->xn ? "set" : "clear");
		CHECK_EQ_U64(d, c->xn ? D_XN : 0, v & D_XN);
		if (!c->device) {
			snprintf(d, sizeof(d), "desc %s: SH inner shareable (0b11)",
				 c->name);
			CHECK_EQ_U64(d, D_SH_MASK, v & D_SH_MASK);
		}
		snprintf(d, sizeof(d), "desc %s: output address", c->name);
		CHECK_EQ_U64(d, pa, v & D_OA_MASK);
	}
}

/* What sv_pgt_map stores is exactly sv_pgt_page_desc(), for every prot. */
static void test_desc_consistency(void)
{
	struct fake_mem *fm = fake_new(-1);
	struct sv_pgt pgt;
	char d[160];
	size_t i;

	pgt_new(fm, &pgt);
	for (i = 0; i < ARRAY_SIZE(desc_cases); i++) {
		const struct desc_case *c = &desc_cases[i];
		u64 va = 0x40000000ULL + i * PAGE;
		u64 pa = 0x0000fedcba000000ULL + i * 0x10000;
		u64 got = 0;
		int ret = map(&pgt, va, pa, PAGE, c->prot);

		snprintf(d, sizeof(d), "map %s page", c->name);
		CHECK_EQ_INT(d, 0, ret);
		ret = lookup(&pgt, va, &got);
		snprintf(d, sizeof(d), "lookup of the %s page finds it", c->name);
		CHECK_EQ_INT(d, 0, ret);
		snprintf(d, sizeof(d),
			 "lookup of the %s page returns sv_pgt_page_desc(pa, prot)",
			 c->name);
		CHECK_EQ_U64(d, sv_pgt_page_desc((sv_pa_t){ pa }, c->prot), got);
	}
	sv_pgt_destroy(&pgt);
	fake_fini(fm, "desc consistency");
}

/* --- init, lookup, table layout -------------------------------------------- */

static void test_init(void)
{
	struct fake_mem *fm = fake_new(-1);
	struct sv_pgt pgt;
	int ret;

	memset(&pgt, 0, sizeof(pgt));
	ret = sv_pgt_init(&pgt, &fm->ops, SV_PGT_EL2, SV_VA_BITS);
	CHECK_EQ_INT("init succeeds", 0, ret);
	check_tables(fm, &pgt, 1, "init allocates the root table only");
	CHECK(pgt.root && fake_table_va(fm, pgt.root_pa) == pgt.root,
	      "root_pa is the PA of root");
	sv_pgt_destroy(&pgt);
	check_tables(fm, &pgt, 0, "destroy of an empty table frees the root");
	CHECK(pgt.root == NULL, "destroy clears root");
	fake_fini(fm, "init");
}

static void test_lookup(void)
{
	struct fake_mem *fm = fake_new(-1);
	const u64 va = 0x40000000ULL, pa = 0x80000000ULL;
	const u64 sentinel = 0x5a5a5a5a5a5a5a5aULL;
	struct sv_pgt pgt;
	u64 d = 0, want = sv_pgt_page_desc((sv_pa_t){ pa }, SV_PROT_R);

	pgt_new(fm, &pgt);
	CHECK_EQ_INT("lookup in an empty table: -ENOENT", -ENOENT,
		     lookup(&pgt, va, &d));
	CHECK_EQ_INT("map one R page", 0, map(&pgt, va, pa, PAGE, SV_PROT_R));
	d = 0;
	CHECK_EQ_INT("lookup of the mapped page succeeds", 0,
		     lookup(&pgt, va, &d));
	CHECK_EQ_U64("lookup of the mapped page returns its descriptor",
		     want, d);
	d = 0;
	CHECK_EQ_INT("lookup of an address inside the page succeeds", 0,
		     lookup(&pgt, va + 0x123, &d));
	CHECK_EQ_U64("lookup inside the page returns the page's descriptor",
		     want, d);
	d = sentinel;
	CHECK_EQ_INT("lookup of the next page (same level-3 table): -ENOENT",
		     -ENOENT, lookup(&pgt, va + PAGE, &d));
	CHECK_EQ_U64("a failed lookup leaves *desc alone", sentinel, d);
	CHECK_EQ_INT("lookup of the previous page (no level-3 table): -ENOENT",
		     -ENOENT, lookup(&pgt, va - PAGE, &d));
	CHECK_EQ_INT("lookup in another level-1 slot: -ENOENT", -ENOENT,
		     lookup(&pgt, va + (1ULL << 30), &d));
	CHECK_EQ_INT("lookup in another level-0 slot: -ENOENT", -ENOENT,
		     lookup(&pgt, 0x0000800000000000ULL | va, &d));
	CHECK_EQ_INT("lookup of SV_EL2_UNMAPPED_VA: -ENOENT", -ENOENT,
		     lookup(&pgt, SV_EL2_UNMAPPED_VA, &d));
	check_tables(fm, &pgt, 4, "lookups allocate nothing");
	CHECK_EQ_INT("lookup of a VA above 2^48 (mapped VA + 2^48): -ENOENT",
		     -ENOENT, lookup(&pgt, VA_LIMIT | va, &d));
	sv_pgt_destroy(&pgt);
	fake_fini(fm, "lookup");
}

/* Walk the tables by hand and compare with what was asked for. */
static void test_tree_shape(void)
{
	struct fake_mem *fm = fake_new(-1);
	const u64 va = 0x0000123456789000ULL, pa = 0x0000000987654000ULL;
	struct sv_pgt pgt;
	u64 *table, d = 0;
	int level, i, slot, others = 0;
	char desc[160];

	pgt_new(fm, &pgt);
	CHECK_EQ_INT("map one RW page at 0x123456789000", 0,
		     map(&pgt, va, pa, PAGE, SV_PROT_R | SV_PROT_W));
	table = pgt.root;
	for (level = 0; level < 3; level++) {
		u64 e = table[idx(va, level)];

		slot = fake_slot(fm, e & D_OA_MASK);
		snprintf(desc, sizeof(desc),
			 "level-%d entry %u is valid + table and points at a live table",
			 level, idx(va, level));
		if (!CHECK(slot >= 0 && (e & ~D_OA_MASK) == (D_VALID | D_PAGE),
			   "%s", desc)) {
			tap_diag("entry 0x%016llx", (unsigned long long)e);
			goto out;
		}
		for (i = 0; i < 512; i++)
			if ((unsigned int)i != idx(va, level) && table[i])
				others++;
		table = fm->page[slot];
	}
	CHECK_EQ_U64("level-3 entry is sv_pgt_page_desc(pa, RW)",
		     sv_pgt_page_desc((sv_pa_t){ pa }, SV_PROT_R | SV_PROT_W),
		     table[idx(va, 3)]);
	for (i = 0; i < 512; i++)
		if ((unsigned int)i != idx(va, 3) && table[i])
			others++;
	CHECK_EQ_U64("no other entry is set in any of the four tables", 0,
		     others);
	CHECK_EQ_INT("lookup agrees with the hand walk", 0,
		     lookup(&pgt, va, &d));
	CHECK_EQ_U64("lookup returns the level-3 entry", table[idx(va, 3)], d);
out:
	sv_pgt_destroy(&pgt);
	fake_fini(fm, "tree shape");
}

/* --- table counts ----------------------------------------------------------- */

struct range_case {
	const char *name;
	u64 va, size;
	unsigned long tables;	/* expected nr_tables, root included */
};

static const struct range_case range_cases[] = {
	{ "one page", 0x40000000ULL, PAGE, 4 },
	{ "4 pages within one level-3 table", 0x40001000ULL, 4 * PAGE, 4 },
	{ "4 pages across a level-3 table boundary (2 MiB)",
	  0x40200000ULL - 2 * PAGE, 4 * PAGE, 5 },
	{ "4 pages across a level-2 table boundary (1 GiB)",
	  0x80000000ULL - 2 * PAGE, 4 * PAGE, 6 },
	{ "4 pages across a level-1 table boundary (512 GiB)",
	  0x8000000000ULL - 2 * PAGE, 4 * PAGE, 7 },
	{ "513 pages from a 2 MiB boundary", 0x40000000ULL, 513 * PAGE, 5 },
	{ "the last page below 2^48", VA_LIMIT - PAGE, PAGE, 4 },
};

static void test_table_counts(void)
{
	char d[200];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(range_cases); i++) {
		const struct range_case *c = &range_cases[i];
		struct fake_mem *fm = fake_new(-1);
		const u64 pa = 0x0000004000000000ULL;
		struct sv_pgt pgt;

		pgt_new(fm, &pgt);
		snprintf(d, sizeof(d), "map %s", c->name);
		CHECK_EQ_INT(d, 0, map(&pgt, c->va, pa, c->size, SV_PROT_R));
		snprintf(d, sizeof(d), "map %s: %lu tables", c->name, c->tables);
		check_tables(fm, &pgt, c->tables, d);
		check_range(&pgt, c->va, pa, c->size, SV_PROT_R, c->name);
		sv_pgt_destroy(&pgt);
		snprintf(d, sizeof(d), "map %s: destroy frees all", c->name);
		check_tables(fm, &pgt, 0, d);
		fake_fini(fm, c->name);
	}
}

/* Tables are shared between mappings; only missing ones get allocated. */
static void test_table_sharing(void)
{
	struct fake_mem *fm = fake_new(-1);
	struct sv_pgt pgt;

	pgt_new(fm, &pgt);
	CHECK_EQ_INT("map a page at 1 GiB", 0,
		     map(&pgt, 0x40000000ULL, 0x1000000ULL, PAGE, SV_PROT_R));
	check_tables(fm, &pgt, 4, "first page: root + L1 + L2 + L3");
	CHECK_EQ_INT("map a page in the same level-3 table", 0,
		     map(&pgt, 0x401ff000ULL, 0x2000000ULL, PAGE, SV_PROT_R));
	check_tables(fm, &pgt, 4, "same level-3 table: no new table");
	CHECK_EQ_INT("map a page in the next level-3 table", 0,
		     map(&pgt, 0x40200000ULL, 0x3000000ULL, PAGE, SV_PROT_R));
	check_tables(fm, &pgt, 5, "next 2 MiB: one new level-3 table");
	CHECK_EQ_INT("map a page in the next level-2 table", 0,
		     map(&pgt, 0x80000000ULL, 0x4000000ULL, PAGE, SV_PROT_R));
	check_tables(fm, &pgt, 7, "next 1 GiB: new level-2 and level-3 tables");
	CHECK_EQ_INT("map a page in another level-0 slot", 0,
		     map(&pgt, 0x0000800000000000ULL, 0x5000000ULL, PAGE,
			 SV_PROT_R));
	check_tables(fm, &pgt, 10, "another 512 GiB: new L1 + L2 + L3");
	sv_pgt_destroy(&pgt);
	check_tables(fm, &pgt, 0, "destroy frees all ten tables");
	CHECK_EQ_U64("as many frees as allocations", fm->allocs, fm->frees);
	fake_fini(fm, "table sharing");
}

/* --- remapping ----------------------------------------------------------------- */

static void test_remap(void)
{
	struct fake_mem *fm = fake_new(-1);
	const u64 va = 0x40000000ULL, pa = 0x80000000ULL;
	const u64 want = sv_pgt_page_desc((sv_pa_t){ pa }, SV_PROT_R);
	struct sv_pgt pgt;
	u64 d = 0;

	pgt_new(fm, &pgt);
	CHECK_EQ_INT("map a page R", 0, map(&pgt, va, pa, PAGE, SV_PROT_R));
	CHECK_EQ_INT("map it again, same PA and prot: success", 0,
		     map(&pgt, va, pa, PAGE, SV_PROT_R));
	check_tables(fm, &pgt, 4, "the identical remap allocates nothing");
	CHECK_EQ_INT("map it again RW: -EEXIST", -EEXIST,
		     map(&pgt, va, pa, PAGE, SV_PROT_R | SV_PROT_W));
	CHECK_EQ_INT("map it again RX: -EEXIST", -EEXIST,
		     map(&pgt, va, pa, PAGE, SV_PROT_R | SV_PROT_X));
	CHECK_EQ_INT("map it again as device: -EEXIST", -EEXIST,
		     map(&pgt, va, pa, PAGE, SV_PROT_R | SV_PROT_DEVICE));
	CHECK_EQ_INT("map it again R to another PA: -EEXIST", -EEXIST,
		     map(&pgt, va, pa + PAGE, PAGE, SV_PROT_R));
	CHECK_EQ_INT("the page is still mapped", 0, lookup(&pgt, va, &d));
	CHECK_EQ_U64("a refused remap leaves the original descriptor", want, d);
	CHECK_EQ_INT("map a range overlapping the page identically: success", 0,
		     map(&pgt, va, pa, 3 * PAGE, SV_PROT_R));
	check_range(&pgt, va, pa, 3 * PAGE, SV_PROT_R, "overlapping remap");
	sv_pgt_destroy(&pgt);
	fake_fini(fm, "remap");
}

/* --- argument checks ---------------------------------------------------------- */

struct bad_case {
	const char *name;
	u64 va, pa, size;
	unsigned int prot;
	int expected;
};

#define R	SV_PROT_R
#define RW	(SV_PROT_R | SV_PROT_W)
#define RX	(SV_PROT_R | SV_PROT_X)
#define GOOD_VA	0x40000000ULL
#define GOOD_PA	0x80000000ULL

static const struct bad_case bad_cases[] = {
	{ "RWX", GOOD_VA, GOOD_PA, PAGE, SV_PROT_R | SV_PROT_W | SV_PROT_X,
	  -EINVAL },
	{ "WX without R", GOOD_VA, GOOD_PA, PAGE, SV_PROT_W | SV_PROT_X,
	  -EINVAL },
	{ "device RWX", GOOD_VA, GOOD_PA, PAGE,
	  SV_PROT_R | SV_PROT_W | SV_PROT_X | SV_PROT_DEVICE, -EINVAL },
	{ "prot 0", GOOD_VA, GOOD_PA, PAGE, 0, -EINVAL },
	{ "W without R", GOOD_VA, GOOD_PA, PAGE, SV_PROT_W, -EINVAL },
	{ "X without R", GOOD_VA, GOOD_PA, PAGE, SV_PROT_X, -EINVAL },
	{ "unaligned va", GOOD_VA + 0x800, GOOD_PA, PAGE, R, -EINVAL },
	{ "va off by one byte", GOOD_VA + 1, GOOD_PA, PAGE, R, -EINVAL },
	{ "unaligned pa", GOOD_VA, GOOD_PA + 0x10, PAGE, R, -EINVAL },
	{ "unaligned size", GOOD_VA, GOOD_PA, PAGE + 0x800, R, -EINVAL },
	{ "size 0", GOOD_VA, GOOD_PA, 0, R, -EINVAL },
	{ "va = 2^48", VA_LIMIT, GOOD_PA, PAGE, R, -ERANGE },
	{ "va high half (0xffff800000000000)", 0xffff800000000000ULL, GOOD_PA,
	  PAGE, R, -ERANGE },
	{ "range ending one page past 2^48", VA_LIMIT - PAGE, GOOD_PA,
	  2 * PAGE, R, -ERANGE },
	{ "va range wrapping around 2^64", 0xfffffffffffff000ULL, GOOD_PA,
	  2 * PAGE, R, -ERANGE },
	{ "va range ending exactly at 2^64", 0xfffffffffffff000ULL, GOOD_PA,
	  PAGE, R, -ERANGE },
	{ "size 2^64 - 4 KiB", 0, GOOD_PA, 0xfffffffffffff000ULL, R, -ERANGE },
	{ "pa = 2^48", GOOD_VA, 1ULL << 48, PAGE, R, -ERANGE },
	{ "pa range ending one page past 2^48", GOOD_VA, (1ULL << 48) - PAGE,
	  2 * PAGE, R, -ERANGE },
};

static void test_bad_args(void)
{
	struct fake_mem *fm = fake_new(-1);
	struct sv_pgt pgt;
	char d[200];
	size_t i;
	u64 got;

	pgt_new(fm, &pgt);
	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		snprintf(d, sizeof(d), "refused: %s", c->name);
		CHECK_EQ_INT(d, c->expected,
			     map(&pgt, c->va, c->pa, c->size, c->prot));
	}
	check_tables(fm, &pgt, 1, "the refused calls allocated no table");
	CHECK(lookup(&pgt, GOOD_VA, &got) == -ENOENT,
	      "nothing got mapped at the good VA by a refused call");

	CHECK_EQ_INT("accepted: the last VA page below 2^48", 0,
		     map(&pgt, VA_LIMIT - PAGE, GOOD_PA, PAGE, R));
	CHECK_EQ_INT("refused: pa range wrapping around 2^64", -ERANGE,
		     map(&pgt, GOOD_VA, 0xfffffffffffff000ULL, 2 * PAGE, R));
	CHECK_EQ_INT("accepted: the last PA page below 2^48", 0,
		     map(&pgt, GOOD_VA + 0x100000, (1ULL << 48) - PAGE, PAGE, R));
	sv_pgt_destroy(&pgt);
	check_tables(fm, &pgt, 0, "bad args: destroy frees all");
	fake_fini(fm, "bad args");
}

/* --- out of memory ------------------------------------------------------------- */

static void test_oom(void)
{
	const u64 va = 0x8000000000ULL - 2 * PAGE, pa = 0x10000000ULL;
	struct fake_mem *fm;
	struct sv_pgt pgt;
	char d[160];
	long n;
	int ret;
	u64 got;

	/* The root itself. */
	fm = fake_new(0);
	memset(&pgt, 0, sizeof(pgt));
	CHECK_EQ_INT("init with no memory: -ENOMEM", -ENOMEM,
		     sv_pgt_init(&pgt, &fm->ops, SV_PGT_EL2, SV_VA_BITS));
	CHECK(pgt.root == NULL, "init with no memory leaves root NULL");
	sv_pgt_destroy(&pgt);
	CHECK(fm->frees == 0 && fm->bad_frees == 0,
	      "destroy after a failed init frees nothing");
	fake_fini(fm, "oom at init");

	/* The level-3 table of a single page. */
	fm = fake_new(3);
	pgt_new(fm, &pgt);
	CHECK_EQ_INT("map when the level-3 table cannot be had: -ENOMEM",
		     -ENOMEM, map(&pgt, 0x40000000ULL, pa, PAGE, R));
	check_tables(fm, &pgt, 3, "after -ENOMEM: root, L1 and L2 remain, counted");
	CHECK_EQ_INT("the page is not mapped", -ENOENT,
		     lookup(&pgt, 0x40000000ULL, &got));
	sv_pgt_destroy(&pgt);
	check_tables(fm, &pgt, 0, "destroy after -ENOMEM frees everything");
	CHECK_EQ_U64("as many frees as allocations", fm->allocs, fm->frees);
	fake_fini(fm, "oom at level 3");

	/* Half way through a range, then again with memory. */
	fm = fake_new(5);
	pgt_new(fm, &pgt);
	CHECK_EQ_INT("range across 512 GiB with 5 tables (7 needed): -ENOMEM",
		     -ENOMEM, map(&pgt, va, pa, 4 * PAGE, R));
	check_tables(fm, &pgt, 5, "after -ENOMEM half way: 5 tables counted");
	fm->fail_after = -1;
	CHECK_EQ_INT("the same map with memory again: success", 0,
		     map(&pgt, va, pa, 4 * PAGE, R));
	check_tables(fm, &pgt, 7, "the retry allocates only the missing tables");
	check_range(&pgt, va, pa, 4 * PAGE, R, "retry after -ENOMEM");
	sv_pgt_destroy(&pgt);
	check_tables(fm, &pgt, 0, "destroy after the retry frees everything");
	fake_fini(fm, "oom half way");

	/* Every possible failure point of a walk that needs 6 new tables. */
	for (n = 1; n <= 7; n++) {
		fm = fake_new(n);
		pgt_new(fm, &pgt);
		ret = map(&pgt, va, pa, 4 * PAGE, R);
		snprintf(d, sizeof(d), "%ld of 7 tables available: map %s", n,
			 n < 7 ? "-ENOMEM" : "succeeds");
		CHECK_EQ_INT(d, n < 7 ? -ENOMEM : 0, ret);
		snprintf(d, sizeof(d), "%ld of 7 tables available: %ld counted",
			 n, n);
		check_tables(fm, &pgt, n, d);
		sv_pgt_destroy(&pgt);
		snprintf(d, sizeof(d), "%ld of 7 tables available: destroy frees all",
			 n);
		check_tables(fm, &pgt, 0, d);
		snprintf(d, sizeof(d), "oom sweep %ld", n);
		fake_fini(fm, d);
	}
}

/* --- destroy -------------------------------------------------------------------- */

static void test_destroy(void)
{
	struct fake_mem *fm = fake_new(-1);
	struct sv_pgt pgt;
	unsigned long frees;

	pgt_new(fm, &pgt);
	CHECK(!map(&pgt, 0x40000000ULL, 0x40000000ULL, 600 * PAGE, RX) &&
	      !map(&pgt, 0x7ffff000ULL, 0x7ffff000ULL, 2 * PAGE, RW) &&
	      !map(&pgt, 0x0000ffffc0000000ULL, 0x9000000ULL, PAGE,
		   SV_PROT_R | SV_PROT_DEVICE) &&
	      !map(&pgt, 0x0000008000000000ULL, 0x1000ULL, 3 * PAGE, R),
	      "build a table with four mappings in three level-0 slots");
	CHECK(pgt.nr_tables == fm->live && pgt.nr_tables > 4,
	      "nr_tables (%lu) equals the live tables (%lu)", pgt.nr_tables,
	      fm->live);
	sv_pgt_destroy(&pgt);
	check_tables(fm, &pgt, 0, "destroy frees every table");
	CHECK(pgt.root == NULL, "destroy clears root");
	CHECK_EQ_U64("as many frees as allocations", fm->allocs, fm->frees);
	frees = fm->frees;
	sv_pgt_destroy(&pgt);
	CHECK_EQ_U64("a second destroy frees nothing", frees, fm->frees);
	fake_fini(fm, "destroy");
}

/* A guest's stage 2: geometry, concatenated roots, descriptors, unmap. */
static void test_stage2(void)
{
	static const struct {
		unsigned int bits, start, order;
	} geo[] = {
		{ 32, 1, 0 }, { 39, 1, 0 },
		{ 40, 1, 1 }, { 41, 1, 2 }, { 42, 1, 3 }, { 43, 1, 4 },
		{ 44, 0, 0 }, { 48, 0, 0 },
	};
	struct fake_mem *fm = fake_new(-1);
	const u64 top = (1ULL << 40) - PAGE, pa = 0x123456789000ULL;
	struct sv_pgt pgt;
	unsigned long tables;
	char d[120];
	size_t i;
	u64 desc;

	for (i = 0; i < ARRAY_SIZE(geo); i++) {
		memset(&pgt, 0, sizeof(pgt));
		snprintf(d, sizeof(d), "%u-bit stage 2 initialises",
			 geo[i].bits);
		CHECK_EQ_INT(d, 0, sv_pgt_init(&pgt, &fm->ops, SV_PGT_S2,
					       geo[i].bits));
		snprintf(d, sizeof(d), "%u-bit stage 2 starts at level %u",
			 geo[i].bits, geo[i].start);
		CHECK_EQ_U64(d, geo[i].start, pgt.start_level);
		snprintf(d, sizeof(d), "%u-bit stage 2: root of %u tables",
			 geo[i].bits, 1U << geo[i].order);
		check_tables(fm, &pgt, 1UL << geo[i].order, d);
		sv_pgt_destroy(&pgt);
		snprintf(d, sizeof(d), "%u-bit stage 2: destroy frees the root",
			 geo[i].bits);
		check_tables(fm, &pgt, 0, d);
	}
	CHECK_EQ_INT("31-bit stage 2 refused", -EINVAL,
		     sv_pgt_init(&pgt, &fm->ops, SV_PGT_S2, 31));
	CHECK_EQ_INT("49-bit stage 2 refused", -EINVAL,
		     sv_pgt_init(&pgt, &fm->ops, SV_PGT_S2, 49));
	CHECK_EQ_INT("EL2 tables other than 48-bit refused", -EINVAL,
		     sv_pgt_init(&pgt, &fm->ops, SV_PGT_EL2, 40));

	memset(&pgt, 0, sizeof(pgt));
	CHECK_EQ_INT("40-bit stage 2 for mapping", 0,
		     sv_pgt_init(&pgt, &fm->ops, SV_PGT_S2, 40));
	CHECK_EQ_INT("map the last page below 2^40", 0,
		     map(&pgt, top, pa, PAGE, RW));
	/* Bit 39 selects the second of the two concatenated root tables. */
	CHECK_EQ_U64("it hangs off the last entry of the second root table",
		     1, pgt.root[1023] & SV_DESC_VALID);
	CHECK_EQ_U64("and not off the first root table", 0,
		     pgt.root[511] & SV_DESC_VALID);
	CHECK_EQ_INT("an IPA at 2^40 is out of range", -ERANGE,
		     map(&pgt, 1ULL << 40, pa, PAGE, RW));
	CHECK_EQ_INT("lookup at 2^40 finds nothing", -ENOENT,
		     lookup(&pgt, 1ULL << 40, &desc));
	CHECK_EQ_INT("lookup of the mapped page", 0, lookup(&pgt, top, &desc));
	CHECK_EQ_U64("stage-2 RW: AF, SH inner, MemAttr normal WB, S2AP RW, XN",
		     0x00401234567897ffULL, desc);
	CHECK_EQ_INT("stage 2 allows RWX", 0,
		     map(&pgt, 0x40000000ULL, pa, PAGE, RW | SV_PROT_X));
	lookup(&pgt, 0x40000000ULL, &desc);
	CHECK_EQ_U64("stage-2 RWX: no XN", 0x00001234567897ffULL, desc);
	CHECK_EQ_INT("map RX", 0, map(&pgt, 0x40001000ULL, pa, PAGE, RX));
	lookup(&pgt, 0x40001000ULL, &desc);
	CHECK_EQ_U64("stage-2 RX: S2AP read only", 0x000012345678977fULL,
		     desc);
	CHECK_EQ_INT("map device RW", 0,
		     map(&pgt, 0x09000000ULL, pa, PAGE, RW | SV_PROT_DEVICE));
	lookup(&pgt, 0x09000000ULL, &desc);
	CHECK_EQ_U64("stage-2 device: MemAttr Device-nGnRE, XN",
		     0x00401234567897c7ULL, desc);

	tables = pgt.nr_tables;
	CHECK_EQ_INT("unmap two pages, one of them never mapped", 0,
		     sv_pgt_unmap(&pgt, 0x40000000ULL, 2 * PAGE) ?:
		     sv_pgt_unmap(&pgt, 0x50000000ULL, PAGE));
	CHECK_EQ_INT("unmapped page: lookup finds nothing", -ENOENT,
		     lookup(&pgt, 0x40000000ULL, &desc));
	CHECK_EQ_INT("unmapped neighbour: lookup finds nothing", -ENOENT,
		     lookup(&pgt, 0x40001000ULL, &desc));
	CHECK_EQ_INT("a page mapped elsewhere stays", 0,
		     lookup(&pgt, top, &desc));
	check_tables(fm, &pgt, tables, "unmap keeps the tables until destroy");
	CHECK_EQ_INT("unmap of an unaligned range refused", -EINVAL,
		     sv_pgt_unmap(&pgt, 0x40000800ULL, PAGE));
	CHECK_EQ_INT("unmap past 2^40 refused", -ERANGE,
		     sv_pgt_unmap(&pgt, top, 2 * PAGE));
	sv_pgt_destroy(&pgt);
	check_tables(fm, &pgt, 0, "stage 2: destroy frees every table");
	fake_fini(fm, "stage 2");
}

/* --- stage-2 maps: break-before-make, blocks, walks --------------------------- */

/* What tlb_inval() saw: for each call, whether the entry was broken. */
static struct {
	struct sv_pgt *pgt;
	int calls, all_calls, not_broken;
	u64 last_in;
} bbm;

static void fake_tlb_inval(void *ctx, u64 in, bool all)
{
	u64 d;

	bbm.calls++;
	bbm.all_calls += all;
	bbm.last_in = in;
	/* Break-before-make: nothing may translate in any more. */
	if (!sv_pgt_lookup(bbm.pgt, in, &d))
		bbm.not_broken++;
}

static int count_leaf(u64 *ptep, u64 in, unsigned int level, void *arg)
{
	u64 *n = arg;

	n[0]++;
	n[1 + (level == 2)] += in;	/* sums of page and block IPAs */
	return 0;
}

static int clear_leaf(u64 *ptep, u64 in, unsigned int level, void *arg)
{
	*ptep = 0;
	return 0;
}

/* Pruned tables stay allocated for the caller; freed at the test's end. */
static void *pruned[8];
static int npruned;

static void table_gone(void *table, void *arg)
{
	int *n = arg;

	if (npruned < (int)ARRAY_SIZE(pruned))
		pruned[npruned++] = table;
	(*n)++;
}

static void test_s2_bbm(void)
{
	int gone, i;
	struct fake_mem *fm = fake_new(-1);
	const u64 ipa = 0x40000000ULL, blk = 0x40200000ULL;
	const u64 pa1 = 0x80000000ULL, pa2 = 0x90000000ULL;
	const u64 B = SV_BLOCK_SIZE;
	struct sv_pgt pgt;
	unsigned int level = 9;
	unsigned long tables;
	u64 desc = 0, n[3] = { 0 };

	fm->ops.tlb_inval = fake_tlb_inval;
	memset(&pgt, 0, sizeof(pgt));
	memset(&bbm, 0, sizeof(bbm));
	bbm.pgt = &pgt;
	if (!CHECK_EQ_INT("40-bit stage 2", 0,
			  sv_pgt_init(&pgt, &fm->ops, SV_PGT_S2, 40)))
		return;
	CHECK_EQ_INT("map a page", 0,
		     sv_pgt_s2_map(&pgt, ipa, (sv_pa_t){ pa1 }, PAGE, RW));
	CHECK_EQ_INT("a new page needs no TLB invalidation", 0, bbm.calls);
	CHECK_EQ_INT("the same page read-only and executable", 0,
		     sv_pgt_s2_map(&pgt, ipa, (sv_pa_t){ pa1 }, PAGE, RX));
	CHECK_EQ_INT("a permission change is made in place, without a break",
		     0, bbm.calls);
	lookup(&pgt, ipa, &desc);
	CHECK_EQ_U64("the page's new descriptor",
		     sv_pgt_s2_desc((sv_pa_t){ pa1 }, RX), desc);
	CHECK_EQ_INT("the same IPA to another page", 0,
		     sv_pgt_s2_map(&pgt, ipa, (sv_pa_t){ pa2 }, PAGE, RW));
	CHECK_EQ_INT("a new output address: one invalidation", 1, bbm.calls);
	CHECK_EQ_U64("... of that IPA", ipa, bbm.last_in);
	CHECK_EQ_INT("... after the entry was broken", 0, bbm.not_broken);
	lookup(&pgt, ipa, &desc);
	CHECK_EQ_U64("then made: the new page",
		     sv_pgt_s2_desc((sv_pa_t){ pa2 }, RW), desc);

	/* Collapse: a block where a level-3 table is. */
	tables = pgt.nr_tables;
	bbm.calls = 0;
	CHECK_EQ_INT("a 2 MiB block over the page's table", 0,
		     sv_pgt_s2_map(&pgt, ipa, (sv_pa_t){ pa1 }, B, RW));
	CHECK_EQ_INT("collapse: one invalidation of the whole VMID", 1,
		     bbm.all_calls);
	CHECK_EQ_INT("... after the table entry was broken", 0,
		     bbm.not_broken);
	check_tables(fm, &pgt, tables - 1, "collapse frees the level-3 table");
	CHECK_EQ_INT("lookup in the block", 0,
		     sv_pgt_lookup_level(&pgt, ipa + 5 * PAGE, &desc, &level));
	CHECK_EQ_U64("a level-2 entry", 2, level);
	CHECK_EQ_U64("a block descriptor (bit 1 clear) to the 2 MiB",
		     sv_pgt_s2_desc((sv_pa_t){ pa1 }, RW) & ~D_PAGE, desc);

	/* Split: a page inside the block. */
	bbm.calls = 0;
	CHECK_EQ_INT("a page inside the block", 0,
		     sv_pgt_s2_map(&pgt, ipa + PAGE, (sv_pa_t){ pa2 }, PAGE,
				   RW));
	CHECK_EQ_INT("split: one invalidation", 1, bbm.calls);
	CHECK_EQ_U64("... of the block", ipa, bbm.last_in);
	CHECK_EQ_INT("... after the block entry was broken", 0,
		     bbm.not_broken);
	check_tables(fm, &pgt, tables, "split allocates a level-3 table");
	CHECK_EQ_INT("the rest of the block faults again", -ENOENT,
		     lookup(&pgt, ipa, &desc));
	CHECK_EQ_INT("the new page", 0,
		     sv_pgt_lookup_level(&pgt, ipa + PAGE, &desc, &level));
	CHECK_EQ_U64("at level 3", 3, level);

	/* Walks visit only the valid leaves, blocks once. */
	CHECK_EQ_INT("another block", 0,
		     sv_pgt_s2_map(&pgt, blk, (sv_pa_t){ pa2 }, B, RW));
	sv_pgt_walk_leaves(&pgt, 0, 1ULL << 40, count_leaf, n);
	CHECK_EQ_U64("a walk of the whole IPA space finds two leaves", 2,
		     n[0]);
	CHECK_EQ_U64("the page", ipa + PAGE, n[1]);
	CHECK_EQ_U64("the block, once", blk, n[2]);
	memset(n, 0, sizeof(n));
	sv_pgt_walk_leaves(&pgt, blk + B - PAGE, blk + B, count_leaf, n);
	CHECK_EQ_U64("a walk of the block's last page finds the block", 1,
		     n[0]);
	CHECK_EQ_INT("unmap one page of the block", 0,
		     sv_pgt_unmap(&pgt, blk + PAGE, PAGE));
	CHECK_EQ_INT("unmap takes the whole block", -ENOENT,
		     lookup(&pgt, blk, &desc));

	/* Pruning: tables wholly inside the unmapped range go. */
	CHECK_EQ_INT("a page 1 GiB further", 0,
		     sv_pgt_s2_map(&pgt, ipa + (1ULL << 30), (sv_pa_t){ pa1 },
				   PAGE, RW));
	tables = pgt.nr_tables;
	gone = 0;
	CHECK_EQ_INT("prune-unmap the first 1 GiB", 0,
		     sv_pgt_walk_prune(&pgt, ipa, ipa + (1ULL << 30),
				       clear_leaf, table_gone, &gone));
	CHECK_EQ_INT("its level-2 and level-3 tables are handed back", 2,
		     gone);
	CHECK_EQ_U64("... and no longer counted", tables - 2, pgt.nr_tables);
	CHECK_EQ_INT("the page in the next 1 GiB stays", 0,
		     lookup(&pgt, ipa + (1ULL << 30), &desc));
	gone = 0;
	CHECK_EQ_INT("prune-unmap half of the next 1 GiB", 0,
		     sv_pgt_walk_prune(&pgt, ipa + (1ULL << 30),
				       ipa + (3ULL << 29), clear_leaf,
				       table_gone, &gone));
	CHECK_EQ_INT("only its level-3 table goes, not the level-2 one", 1,
		     gone);

	CHECK_EQ_INT("a block at an unaligned IPA", -EINVAL,
		     sv_pgt_s2_map(&pgt, blk + PAGE, (sv_pa_t){ pa2 }, B, RW));
	CHECK_EQ_INT("a block of an unaligned PA", -EINVAL,
		     sv_pgt_s2_map(&pgt, blk, (sv_pa_t){ pa2 + PAGE }, B, RW));
	CHECK_EQ_INT("a size that is neither page nor block", -EINVAL,
		     sv_pgt_s2_map(&pgt, blk, (sv_pa_t){ pa2 }, 2 * PAGE, RW));
	CHECK_EQ_INT("a block past 2^40", -ERANGE,
		     sv_pgt_s2_map(&pgt, 1ULL << 40, (sv_pa_t){ pa2 }, B, RW));
	sv_pgt_destroy(&pgt);
	for (i = 0; i < npruned; i++)
		fake_free_table(fm, pruned[i], 0);
	check_tables(fm, &pgt, 0, "stage 2 with blocks: destroy frees all");
	fake_fini(fm, "stage-2 break-before-make");
}

int main(void)
{
	test_desc_bits();
	test_desc_consistency();
	test_init();
	test_lookup();
	test_tree_shape();
	test_table_counts();
	test_table_sharing();
	test_remap();
	test_bad_args();
	test_oom();
	test_destroy();
	test_stage2();
	test_s2_bbm();
	return tap_done();
}
