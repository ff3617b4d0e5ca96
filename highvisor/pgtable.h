/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builder for the EL2 stage-1 tables and the guests' stage-2 tables: 4 KiB
 * granule, up to 48-bit input addresses, 4 levels starting at level 0.
 */
#ifndef SV_PGTABLE_H
#define SV_PGTABLE_H

#include "sv_types.h"

#define SV_PAGE_SIZE		4096ULL
#define SV_BLOCK_SIZE		(512 * SV_PAGE_SIZE)	/* a level-2 block */
#define SV_VA_BITS		48

#define SV_PROT_R		0x1
#define SV_PROT_W		0x2
#define SV_PROT_X		0x4
#define SV_PROT_DEVICE		0x8

/* Descriptor bits (ARM ARM D8.3, VMSAv8-64 stage 1, EL2 regime). */
#define SV_DESC_VALID		(1ULL << 0)
#define SV_DESC_TABLE		(1ULL << 1)	/* table at L0-2, page at L3 */
#define SV_DESC_ATTRIDX(i)	((u64)(i) << 2)
#define SV_DESC_AP_RES1		(1ULL << 6)	/* AP[1] is RES1 at EL2 */
#define SV_DESC_AP_RO		(1ULL << 7)
#define SV_DESC_SH_INNER	(3ULL << 8)
#define SV_DESC_AF		(1ULL << 10)
#define SV_DESC_XN		(1ULL << 54)
#define SV_DESC_ADDR_MASK	0x0000fffffffff000ULL

/* Stage-2 leaf attributes (ARM ARM D8.5.5): MemAttr, S2AP. */
#define SV_S2_MEMATTR_NORMAL	(0xfULL << 2)	/* Normal, outer+inner WB */
#define SV_S2_MEMATTR_DEVICE	(0x1ULL << 2)	/* Device-nGnRE */
#define SV_S2_AP_R		(1ULL << 6)
#define SV_S2_AP_W		(1ULL << 7)

/* MAIR_EL2 indices the descriptors use. */
#define SV_MAIR_NORMAL		0	/* 0xff: Normal, WB RW-allocate */
#define SV_MAIR_DEVICE		1	/* 0x00: Device-nGnRnE */
#define SV_MAIR_VALUE		0x00ffULL

struct sv_pgt_ops {
	/*
	 * 2^order zeroed pages, aligned to their size (order > 0 only for a
	 * stage-2 root of concatenated tables); NULL when out of memory.
	 */
	void *(*alloc_table)(void *ctx, unsigned int order, sv_pa_t *pa);
	void (*free_table)(void *ctx, void *table, unsigned int order);
	void *(*table_va)(void *ctx, sv_pa_t pa);
	/*
	 * Stage 2 only, for break-before-make inside sv_pgt_s2_map(): drop
	 * the TLB entries of the VMID for the entry at in (level 0-3), or
	 * all of them (all) when a table was taken away. Returns only once
	 * the invalidation is complete on every CPU.
	 */
	void (*tlb_inval)(void *ctx, u64 in, bool all);
	void *ctx;
};

enum sv_pgt_stage {
	SV_PGT_EL2,		/* EL2 stage 1: input is an EL2 VA */
	SV_PGT_S2,		/* a guest's stage 2: input is an IPA */
};

struct sv_pgt {
	u64 *root;
	sv_pa_t root_pa;
	const struct sv_pgt_ops *ops;
	enum sv_pgt_stage stage;
	unsigned int in_bits;		/* input address size */
	unsigned int start_level;	/* 0, or 1 with a concatenated root */
	unsigned int root_order;	/* the root is 2^root_order tables */
	unsigned long nr_tables;	/* table pages, the root's included */
};

/*
 * Input addresses are u64 here: EL2 VAs for SV_PGT_EL2, IPAs for SV_PGT_S2
 * (the callers convert from their typed addresses).
 */
int sv_pgt_init(struct sv_pgt *pgt, const struct sv_pgt_ops *ops,
		enum sv_pgt_stage stage, unsigned int in_bits);
int sv_pgt_map(struct sv_pgt *pgt, u64 in, sv_pa_t pa, u64 size,
	       unsigned int prot);
int sv_pgt_unmap(struct sv_pgt *pgt, u64 in, u64 size);
int sv_pgt_lookup(const struct sv_pgt *pgt, u64 in, u64 *desc);
int sv_pgt_lookup_level(const struct sv_pgt *pgt, u64 in, u64 *desc,
			unsigned int *level);

/*
 * Stage 2: one leaf of size SV_PAGE_SIZE (level 3) or SV_BLOCK_SIZE (a
 * level-2 block) at ipa, replacing what is there: a valid leaf to another
 * output address, a block where a table must go (split) or a table where
 * the block goes (collapse) goes through break-before-make with
 * ops->tlb_inval(); a leaf to the same output address only changes its
 * permissions, in place. Tables come from ops->alloc_table(), which must
 * not fail for the 3 tables a map can need at most if the caller wants no
 * -ENOMEM.
 */
#define SV_PGT_MAX_NEW_TABLES	3
int sv_pgt_s2_map(struct sv_pgt *pgt, u64 ipa, sv_pa_t pa, u64 size,
		  unsigned int prot);

/*
 * Calls fn for each valid leaf (page or block) that overlaps [start, end),
 * skipping whole unmapped subtrees, in address order; fn may rewrite the
 * entry (*ptep) with WRITE_ONCE semantics. A non-zero return from fn stops
 * the walk and is returned.
 */
typedef int (*sv_pgt_leaf_fn)(u64 *ptep, u64 in, unsigned int level,
			      void *arg);
int sv_pgt_walk_leaves(struct sv_pgt *pgt, u64 start, u64 end,
		       sv_pgt_leaf_fn fn, void *arg);
/*
 * The same, for an fn that clears every leaf (an unmap): a table whose
 * whole range lies in [start, end) is then empty, is taken out of the
 * tree (its entry cleared, nr_tables less) and handed to table_gone(),
 * which must free it only after the TLBs forgot the VMID's walks through
 * it (break-before-make for tables).
 */
typedef void (*sv_pgt_table_fn)(void *table, void *arg);
int sv_pgt_walk_prune(struct sv_pgt *pgt, u64 start, u64 end,
		      sv_pgt_leaf_fn fn, sv_pgt_table_fn table_gone, void *arg);
u64 sv_pgt_level_size(unsigned int level);
void sv_pgt_destroy(struct sv_pgt *pgt);
u64 sv_pgt_page_desc(sv_pa_t pa, unsigned int prot);
u64 sv_pgt_s2_desc(sv_pa_t pa, unsigned int prot);

#endif
