// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 stage-1 and guest stage-2 page tables. Pure logic: memory comes from
 * the caller's sv_pgt_ops, so the host unit tests run this file unchanged.
 */
#include "pgtable.h"

#define SV_LEVELS		4
#define SV_PTRS_PER_TABLE	512

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
		sv_pa_t pa;

		if (!(*entry & SV_DESC_VALID)) {
			if (!alloc)
				return NULL;
			if (!pgt->ops->alloc_table(pgt->ops->ctx, 0, &pa))
				return NULL;
			pgt->nr_tables++;
			*entry = pa.pa | SV_DESC_VALID | SV_DESC_TABLE;
		}
		pa.pa = *entry & SV_DESC_ADDR_MASK;
		table = pgt->ops->table_va(pgt->ops->ctx, pa);
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
		*pte = desc;
	}
	return 0;
}

/*
 * Invalidate the leaf entries of [in, in + size); tables stay until
 * sv_pgt_destroy(). The caller invalidates TLBs afterwards.
 */
int sv_pgt_unmap(struct sv_pgt *pgt, u64 in, u64 size)
{
	u64 off;
	int ret;

	ret = sv_pgt_check_range(pgt, in, size);
	if (ret)
		return ret;
	for (off = 0; off < size; off += SV_PAGE_SIZE) {
		u64 *pte = sv_pgt_walk(pgt, in + off, false);

		if (pte)
			*pte = 0;
	}
	return 0;
}

int sv_pgt_lookup(const struct sv_pgt *pgt, u64 in, u64 *desc)
{
	u64 *pte;

	if (in >> pgt->in_bits)
		return -ENOENT;
	pte = sv_pgt_walk((struct sv_pgt *)pgt, in, false);
	if (!pte || !(*pte & SV_DESC_VALID))
		return -ENOENT;
	*desc = *pte;
	return 0;
}

static void sv_pgt_free_level(struct sv_pgt *pgt, u64 *table,
			      unsigned int level)
{
	unsigned int order = level == pgt->start_level ? pgt->root_order : 0;
	u64 i;

	if (level < SV_LEVELS - 1) {
		for (i = 0; i < (u64)SV_PTRS_PER_TABLE << order; i++) {
			sv_pa_t pa = { table[i] & SV_DESC_ADDR_MASK };

			if (!(table[i] & SV_DESC_VALID))
				continue;
			sv_pgt_free_level(pgt, pgt->ops->table_va(pgt->ops->ctx,
								 pa),
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
