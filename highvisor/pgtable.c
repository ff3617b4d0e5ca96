// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 stage-1 page tables. Pure logic: memory comes from the caller's
 * sv_pgt_ops, so the host unit tests run this file unchanged.
 */
#include "pgtable.h"

#define SV_LEVELS		4
#define SV_PTRS_PER_TABLE	512

static unsigned int sv_index(u64 va, int level)
{
	return (va >> (12 + 9 * (SV_LEVELS - 1 - level))) & 0x1ff;
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

int sv_pgt_init(struct sv_pgt *pgt, const struct sv_pgt_ops *ops)
{
	pgt->ops = ops;
	pgt->root = ops->alloc_table(ops->ctx, &pgt->root_pa);
	if (!pgt->root)
		return -ENOMEM;
	pgt->nr_tables = 1;
	return 0;
}

/* The level-3 entry for va, allocating intermediate tables if alloc. */
static u64 *sv_pgt_walk(struct sv_pgt *pgt, u64 va, bool alloc)
{
	u64 *table = pgt->root;
	int level;

	for (level = 0; level < SV_LEVELS - 1; level++) {
		u64 *entry = &table[sv_index(va, level)];
		sv_pa_t pa;

		if (!(*entry & SV_DESC_VALID)) {
			if (!alloc)
				return NULL;
			if (!pgt->ops->alloc_table(pgt->ops->ctx, &pa))
				return NULL;
			pgt->nr_tables++;
			*entry = pa.pa | SV_DESC_VALID | SV_DESC_TABLE;
		}
		pa.pa = *entry & SV_DESC_ADDR_MASK;
		table = pgt->ops->table_va(pgt->ops->ctx, pa);
	}
	return &table[sv_index(va, SV_LEVELS - 1)];
}

/*
 * Map [va, va + size) to [pa, pa + size) page by page. Mapping a page again
 * with the same descriptor is fine (per-CPU areas may share pages); with a
 * different one it is a bug in the caller and fails with -EEXIST.
 */
int sv_pgt_map(struct sv_pgt *pgt, sv_el2va_t va, sv_pa_t pa, u64 size,
	       unsigned int prot)
{
	u64 off;

	if ((va.va | pa.pa | size) & (SV_PAGE_SIZE - 1) || !size)
		return -EINVAL;
	if (va.va + size < va.va || va.va + size > (1ULL << SV_VA_BITS) ||
	    pa.pa + size < pa.pa || pa.pa + size > (1ULL << SV_VA_BITS))
		return -ERANGE;
	if (!(prot & SV_PROT_R) || ((prot & SV_PROT_W) && (prot & SV_PROT_X)))
		return -EINVAL;	/* no W+X at EL2 (SCTLR_EL2.WXN agrees) */

	for (off = 0; off < size; off += SV_PAGE_SIZE) {
		u64 desc = sv_pgt_page_desc((sv_pa_t){ pa.pa + off }, prot);
		u64 *pte = sv_pgt_walk(pgt, va.va + off, true);

		if (!pte)
			return -ENOMEM;
		if ((*pte & SV_DESC_VALID) && *pte != desc)
			return -EEXIST;
		*pte = desc;
	}
	return 0;
}

int sv_pgt_lookup(const struct sv_pgt *pgt, sv_el2va_t va, u64 *desc)
{
	u64 *pte;

	if (va.va >> SV_VA_BITS)
		return -ENOENT;
	pte = sv_pgt_walk((struct sv_pgt *)pgt, va.va, false);
	if (!pte || !(*pte & SV_DESC_VALID))
		return -ENOENT;
	*desc = *pte;
	return 0;
}

static void sv_pgt_free_level(struct sv_pgt *pgt, u64 *table, int level)
{
	int i;

	if (level < SV_LEVELS - 1) {
		for (i = 0; i < SV_PTRS_PER_TABLE; i++) {
			sv_pa_t pa = { table[i] & SV_DESC_ADDR_MASK };

			if (!(table[i] & SV_DESC_VALID))
				continue;
			sv_pgt_free_level(pgt, pgt->ops->table_va(pgt->ops->ctx,
								 pa),
					  level + 1);
		}
	}
	pgt->ops->free_table(pgt->ops->ctx, table);
	pgt->nr_tables--;
}

void sv_pgt_destroy(struct sv_pgt *pgt)
{
	if (!pgt->root)
		return;
	sv_pgt_free_level(pgt, pgt->root, 0);
	pgt->root = NULL;
}
