// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 stage-1 and guest stage-2 page tables. Pure logic: memory comes from
 * the caller's sv_pgt_ops, so the host unit tests run this file unchanged.
 */
#include "pgtable.h"

#ifdef __KERNEL__
#include <linux/compiler.h>
#include <asm/barrier.h>
#else
/* The host unit tests: the same orderings from the compiler's atomics. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
/* Release: what was written before is seen before the new value. */
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#endif

#define SV_LEVELS		4
#define SV_PTRS_PER_TABLE	512

/*
 * Stage-2 leaf bits that may change without break-before-make: access
 * permissions and the access flag (ARM ARM D8.14.1 lists the changes that
 * need it: output address, memory type, shareability, block size).
 */
#define SV_S2_INPLACE_BITS	(SV_S2_AP_R | SV_S2_AP_W | SV_DESC_XN | \
				 SV_DESC_AF)

static unsigned int sv_shift(unsigned int level)
{
	return 12 + 9 * (SV_LEVELS - 1 - level);
}

/* The root's index takes all the bits above it (concatenated tables). */
static u64 sv_index(const struct sv_pgt *pgt, u64 in, unsigned int level)
{
	if (level == pgt->start_level)
		return in >> sv_shift(level);
	return (in >> sv_shift(level)) & 0x1ff;
}

u64 sv_pgt_level_size(unsigned int level)
{
	return 1ULL << sv_shift(level);
}

/* A valid entry that points to a next-level table (never at level 3). */
static bool sv_is_table(u64 desc, unsigned int level)
{
	return level < SV_LEVELS - 1 && (desc & SV_DESC_VALID) &&
	       (desc & SV_DESC_TABLE);
}

static void *sv_next_table(struct sv_pgt *pgt, u64 desc)
{
	return pgt->ops->table_va(pgt->ops->ctx,
				  (sv_pa_t){ desc & SV_DESC_ADDR_MASK });
}

/*
 * A new table becomes visible to the walkers only after its zeroed
 * contents are (KVM: kvm_set_table_pte(), smp_store_release()).
 */
static void sv_publish_table(u64 *entry, sv_pa_t pa)
{
	/* Release: the zeroed table before the entry that points to it. */
	smp_store_release(entry, pa.pa | SV_DESC_VALID | SV_DESC_TABLE);
}

u64 sv_pgt_page_desc(sv_pa_t pa, unsigned int prot)
{
	u64 desc = (pa.pa & SV_DESC_ADDR_MASK) | SV_DESC_VALID |
		   SV_DESC_TABLE | SV_DESC_AP_RES1 | SV_DESC_AF;

	/* Never execute from Device memory (ARM ARM B2.7.2: speculation). */
	if (prot & SV_PROT_DEVICE)
		desc |= SV_DESC_ATTRIDX(SV_MAIR_DEVICE) | SV_DESC_XN;
	else
		desc |= SV_DESC_ATTRIDX(SV_MAIR_NORMAL) | SV_DESC_SH_INNER;
	if (!(prot & SV_PROT_W))
		desc |= SV_DESC_AP_RO;
	if (!(prot & SV_PROT_X))
		desc |= SV_DESC_XN;
	return desc;
}

/*
 * Stage 2: Normal write-back memory, or Device-nGnRE; S2AP read/write;
 * never executable when writable or device (no W+X for guests either
 * would break self-modifying guests, so only device pages are XN).
 */
u64 sv_pgt_s2_desc(sv_pa_t pa, unsigned int prot)
{
	u64 desc = (pa.pa & SV_DESC_ADDR_MASK) | SV_DESC_VALID |
		   SV_DESC_TABLE | SV_DESC_AF | SV_DESC_SH_INNER;

	if (prot & SV_PROT_DEVICE)
		desc |= SV_S2_MEMATTR_DEVICE | SV_DESC_XN;
	else
		desc |= SV_S2_MEMATTR_NORMAL;
	if (prot & SV_PROT_R)
		desc |= SV_S2_AP_R;
	if (prot & SV_PROT_W)
		desc |= SV_S2_AP_W;
	if (!(prot & SV_PROT_X))
		desc |= SV_DESC_XN;
	return desc;
}

/*
 * Stage 1 at EL2 always starts at level 0 with 48 bits. A stage 2 of 32 to
 * 39 bits starts at level 1; of 40 to 43 bits at level 1 with 2 to 16
 * concatenated root tables: with a 4 KiB granule, starting at level 0
 * needs an output size of 44 bits or more (ARM ARM D8.2.6, VTCR_EL2.SL0),
 * which Cortex-A53 does not have. 44 to 48 bits start at level 0.
 */
int sv_pgt_init(struct sv_pgt *pgt, const struct sv_pgt_ops *ops,
		enum sv_pgt_stage stage, unsigned int in_bits)
{
	if (in_bits > SV_VA_BITS || in_bits < 32 ||
	    (stage == SV_PGT_EL2 && in_bits != SV_VA_BITS))
		return -EINVAL;
	pgt->ops = ops;
	pgt->stage = stage;
	pgt->in_bits = in_bits;
	pgt->start_level = in_bits < 44 ? 1 : 0;
	pgt->root_order = in_bits > 39 && in_bits < 44 ? in_bits - 39 : 0;
	pgt->root = ops->alloc_table(ops->ctx, pgt->root_order, &pgt->root_pa);
	if (!pgt->root)
		return -ENOMEM;
	pgt->nr_tables = 1UL << pgt->root_order;
	return 0;
}

/* The level-3 entry for va, allocating intermediate tables if alloc. */
static u64 *sv_pgt_walk(struct sv_pgt *pgt, u64 va, bool alloc)
{
	u64 *table = pgt->root;
	unsigned int level;

	for (level = pgt->start_level; level < SV_LEVELS - 1; level++) {
		u64 *entry = &table[sv_index(pgt, va, level)];
		u64 desc = READ_ONCE(*entry);
		sv_pa_t pa;

		if ((desc & SV_DESC_VALID) && !sv_is_table(desc, level))
			return NULL;	/* a block: no level-3 entry */
		if (!(desc & SV_DESC_VALID)) {
			if (!alloc)
				return NULL;
			if (!pgt->ops->alloc_table(pgt->ops->ctx, 0, &pa))
				return NULL;
			pgt->nr_tables++;
			sv_publish_table(entry, pa);
			desc = READ_ONCE(*entry);
		}
		table = sv_next_table(pgt, desc);
	}
	return &table[sv_index(pgt, va, SV_LEVELS - 1)];
}

/*
 * Map [va, va + size) to [pa, pa + size) page by page. Mapping a page again
 * with the same descriptor is fine (per-CPU areas may share pages); with a
 * different one it is a bug in the caller and fails with -EEXIST.
 */
static int sv_pgt_check_range(const struct sv_pgt *pgt, u64 in, u64 size)
{
	if ((in | size) & (SV_PAGE_SIZE - 1) || !size)
		return -EINVAL;
	if (in + size < in || in + size > (1ULL << pgt->in_bits))
		return -ERANGE;
	return 0;
}

int sv_pgt_map(struct sv_pgt *pgt, u64 in, sv_pa_t pa, u64 size,
	       unsigned int prot)
{
	bool el2 = pgt->stage == SV_PGT_EL2;
	u64 off;
	int ret;

	ret = sv_pgt_check_range(pgt, in, size);
	if (ret)
		return ret;
	if (pa.pa & (SV_PAGE_SIZE - 1))
		return -EINVAL;
	if (pa.pa + size < pa.pa || pa.pa + size > (1ULL << SV_VA_BITS))
		return -ERANGE;
	if (!(prot & SV_PROT_R))
		return -EINVAL;
	/* No W+X at EL2 (SCTLR_EL2.WXN agrees). */
	if (el2 && (prot & SV_PROT_W) && (prot & SV_PROT_X))
		return -EINVAL;

	for (off = 0; off < size; off += SV_PAGE_SIZE) {
		sv_pa_t p = { pa.pa + off };
		u64 desc = el2 ? sv_pgt_page_desc(p, prot) :
				 sv_pgt_s2_desc(p, prot);
		u64 *pte = sv_pgt_walk(pgt, in + off, true);

		if (!pte)
			return -ENOMEM;
		if ((*pte & SV_DESC_VALID) && *pte != desc)
			return -EEXIST;
		/* Single-copy atomic: a walker sees the old or the new entry. */
		WRITE_ONCE(*pte, desc);
	}
	return 0;
}

struct sv_walk {
	u64 start, end;
	sv_pgt_leaf_fn leaf;
	sv_pgt_table_fn table_gone;	/* prune, or NULL */
	void *arg;
};

static int sv_walk_table(struct sv_pgt *pgt, const struct sv_walk *w,
			 u64 *table, unsigned int level, u64 base)
{
	u64 size = sv_pgt_level_size(level);
	u64 nr = (u64)SV_PTRS_PER_TABLE <<
		 (level == pgt->start_level ? pgt->root_order : 0);
	u64 i = w->start > base ? (w->start - base) / size : 0;
	int ret;

	for (; i < nr; i++) {
		u64 in = base + i * size;
		u64 desc;

		if (in >= w->end)
			break;
		desc = READ_ONCE(table[i]);
		if (!(desc & SV_DESC_VALID))
			continue;	/* nothing below: skip it whole */
		if (!sv_is_table(desc, level)) {
			ret = w->leaf(&table[i], in, level, w->arg);
			if (ret)
				return ret;
			continue;
		}
		ret = sv_walk_table(pgt, w, sv_next_table(pgt, desc),
				    level + 1, in);
		if (ret)
			return ret;
		/*
		 * Pruning, and the walk emptied all of the table: it goes.
		 * The caller invalidates the TLBs before it frees it.
		 */
		if (w->table_gone && in >= w->start && in + size <= w->end) {
			WRITE_ONCE(table[i], 0);
			pgt->nr_tables--;
			w->table_gone(sv_next_table(pgt, desc), w->arg);
		}
	}
	return 0;
}

static int sv_walk(struct sv_pgt *pgt, struct sv_walk *w)
{
	u64 limit = 1ULL << pgt->in_bits;

	if (w->end > limit)
		w->end = limit;
	if (!pgt->root || w->start >= w->end)
		return 0;
	return sv_walk_table(pgt, w, pgt->root, pgt->start_level, 0);
}

int sv_pgt_walk_leaves(struct sv_pgt *pgt, u64 start, u64 end,
		       sv_pgt_leaf_fn fn, void *arg)
{
	struct sv_walk w = { start, end, fn, NULL, arg };

	return sv_walk(pgt, &w);
}

int sv_pgt_walk_prune(struct sv_pgt *pgt, u64 start, u64 end,
		      sv_pgt_leaf_fn fn, sv_pgt_table_fn table_gone, void *arg)
{
	struct sv_walk w = { start, end, fn, table_gone, arg };

	return sv_walk(pgt, &w);
}

static int sv_clear_leaf(u64 *ptep, u64 in, unsigned int level, void *arg)
{
	WRITE_ONCE(*ptep, 0);
	return 0;
}

/*
 * Invalidate the leaf entries that overlap [in, in + size) (a block
 * entirely); tables stay until sv_pgt_destroy(). The caller invalidates
 * TLBs afterwards, and only then reuses what was mapped.
 */
int sv_pgt_unmap(struct sv_pgt *pgt, u64 in, u64 size)
{
	int ret;

	ret = sv_pgt_check_range(pgt, in, size);
	if (ret)
		return ret;
	return sv_pgt_walk_leaves(pgt, in, in + size, sv_clear_leaf, NULL);
}

int sv_pgt_lookup_level(const struct sv_pgt *pgt, u64 in, u64 *desc,
			unsigned int *level)
{
	struct sv_pgt *p = (struct sv_pgt *)pgt;
	u64 *table = pgt->root;
	unsigned int l;

	if (in >> pgt->in_bits || !table)
		return -ENOENT;
	for (l = pgt->start_level; l < SV_LEVELS; l++) {
		u64 d = READ_ONCE(table[sv_index(pgt, in, l)]);

		if (!(d & SV_DESC_VALID))
			return -ENOENT;
		if (!sv_is_table(d, l)) {
			*desc = d;
			if (level)
				*level = l;
			return 0;
		}
		table = sv_next_table(p, d);
	}
	return -ENOENT;
}

int sv_pgt_lookup(const struct sv_pgt *pgt, u64 in, u64 *desc)
{
	return sv_pgt_lookup_level(pgt, in, desc, NULL);
}

static void sv_pgt_free_level(struct sv_pgt *pgt, u64 *table,
			      unsigned int level)
{
	unsigned int order = level == pgt->start_level ? pgt->root_order : 0;
	u64 i;

	if (level < SV_LEVELS - 1) {
		for (i = 0; i < (u64)SV_PTRS_PER_TABLE << order; i++) {
			if (!sv_is_table(table[i], level))
				continue;	/* invalid, or a block */
			sv_pgt_free_level(pgt, sv_next_table(pgt, table[i]),
					  level + 1);
		}
	}
	pgt->ops->free_table(pgt->ops->ctx, table, order);
	pgt->nr_tables -= 1UL << order;
}

void sv_pgt_destroy(struct sv_pgt *pgt)
{
	if (!pgt->root)
		return;
	sv_pgt_free_level(pgt, pgt->root, pgt->start_level);
	pgt->root = NULL;
}

/*
 * Break: the old entry goes, and the TLBs forget it everywhere, before
 * anything else is written there (ARM ARM D8.14.1, break-before-make).
 */
static void sv_s2_break(struct sv_pgt *pgt, u64 *entry, u64 in, bool all)
{
	WRITE_ONCE(*entry, 0);
	if (pgt->ops->tlb_inval)
		pgt->ops->tlb_inval(pgt->ops->ctx, in, all);
}

int sv_pgt_s2_map(struct sv_pgt *pgt, u64 ipa, sv_pa_t pa, u64 size,
		  unsigned int prot)
{
	unsigned int target = size == SV_BLOCK_SIZE ? 2 : 3;
	u64 *table = pgt->root, *entry, desc, old;
	unsigned int level;
	sv_pa_t tpa;
	int ret;

	if (pgt->stage != SV_PGT_S2 ||
	    (size != SV_PAGE_SIZE && size != SV_BLOCK_SIZE) ||
	    ((ipa | pa.pa) & (size - 1)) || !(prot & SV_PROT_R))
		return -EINVAL;
	ret = sv_pgt_check_range(pgt, ipa, size);
	if (ret)
		return ret;
	if (pa.pa + size > (1ULL << SV_VA_BITS))
		return -ERANGE;
	if (target < pgt->start_level)
		return -EINVAL;
	desc = sv_pgt_s2_desc(pa, prot);
	if (target < SV_LEVELS - 1)
		desc &= ~SV_DESC_TABLE;		/* a block descriptor */

	for (level = pgt->start_level; level < target; level++) {
		entry = &table[sv_index(pgt, ipa, level)];
		old = READ_ONCE(*entry);
		if ((old & SV_DESC_VALID) && !sv_is_table(old, level)) {
			/* Split: a block where a table must go. */
			sv_s2_break(pgt, entry,
				    ipa & ~(sv_pgt_level_size(level) - 1),
				    false);
			old = 0;
		}
		if (!(old & SV_DESC_VALID)) {
			if (!pgt->ops->alloc_table(pgt->ops->ctx, 0, &tpa))
				return -ENOMEM;
			pgt->nr_tables++;
			sv_publish_table(entry, tpa);
			old = READ_ONCE(*entry);
		}
		table = sv_next_table(pgt, old);
	}
	entry = &table[sv_index(pgt, ipa, target)];
	old = READ_ONCE(*entry);
	if (sv_is_table(old, target)) {
		/*
		 * Collapse: every entry below may be cached, so the whole
		 * VMID goes before the tables are freed.
		 */
		sv_s2_break(pgt, entry, ipa, true);
		sv_pgt_free_level(pgt, sv_next_table(pgt, old), target + 1);
	} else if ((old & SV_DESC_VALID) &&
		   ((old ^ desc) & ~SV_S2_INPLACE_BITS)) {
		sv_s2_break(pgt, entry, ipa, false);
	}
	WRITE_ONCE(*entry, desc);
	return 0;
}
