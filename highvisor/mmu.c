// SPDX-License-Identifier: GPL-2.0
/*
 * Stage 2: the VM's translation tables, built on demand from the VMM's
 * pages at each stage-2 fault, and the cache maintenance that makes those
 * pages coherent for a guest running with its MMU or caches off.
 */
#include "splitvisor.h"

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <asm/cacheflush.h>

#include "vm.h"

/* VTCR_EL2: 4 KiB granule (ARM ARM D13.2.151). SL0: 1 = level 1, 2 = 0. */
#define SV_VTCR_SL0_L1		(1ULL << 6)
#define SV_VTCR_SL0_L0		(2ULL << 6)
#define SV_VTCR_IRGN0_WBWA	(1ULL << 8)
#define SV_VTCR_ORGN0_WBWA	(1ULL << 10)
#define SV_VTCR_SH0_INNER	(3ULL << 12)
#define SV_VTCR_PS_SHIFT	16
#define SV_VTCR_RES1		(1ULL << 31)

static atomic_long_t sv_nr_pinned = ATOMIC_LONG_INIT(0);

u32 sv_max_ipa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };
	u64 parange = read_sysreg_s(SYS_ID_AA64MMFR0_EL1) & 0xf;

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

/* --- stage 2 ------------------------------------------------------------- */

/* __get_free_pages() blocks are aligned to their size, as a root must be. */
static void *sv_s2_alloc_table(void *ctx, unsigned int order, sv_pa_t *pa)
{
	void *t = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO,
					   order);

	if (t)
		pa->pa = virt_to_phys(t);
	return t;
}

static void sv_s2_free_table(void *ctx, void *table, unsigned int order)
{
	free_pages((unsigned long)table, order);
}

static void *sv_s2_table_va(void *ctx, sv_pa_t pa)
{
	return phys_to_virt(pa.pa);
}

static const struct sv_pgt_ops sv_s2_ops = {
	.alloc_table	= sv_s2_alloc_table,
	.free_table	= sv_s2_free_table,
	.table_va	= sv_s2_table_va,
};

/* The VM's stage-2 root and the VTCR_EL2 that describes it. */
int sv_s2_init(struct sv_vm *vm)
{
	int ret;

	ret = sv_pgt_init(&vm->s2, &sv_s2_ops, SV_PGT_S2, vm->ipa_bits);
	if (ret)
		return ret;
	/* PS: the host's PA size, capped at 48 bits, as KVM does. */
	vm->vtcr = SV_VTCR_RES1 | (64 - vm->ipa_bits) |
		   (vm->s2.start_level ? SV_VTCR_SL0_L1 : SV_VTCR_SL0_L0) |
		   SV_VTCR_IRGN0_WBWA | SV_VTCR_ORGN0_WBWA | SV_VTCR_SH0_INNER |
		   (min_t(u64, read_sysreg_s(SYS_ID_AA64MMFR0_EL1) & 0xf, 5) <<
		    SV_VTCR_PS_SHIFT);
	return 0;
}

void sv_s2_destroy(struct sv_vm *vm)
{
	sv_pgt_destroy(&vm->s2);
}


/*
 * Pin the VMM's page behind one guest page. Writable only where both the
 * slot and the VMM's mapping allow it.
 */
static int sv_slot_pin(struct sv_vm *vm, struct sv_memslot *s, u64 idx)
{
	unsigned long addr = s->uaddr + (idx << PAGE_SHIFT);
	unsigned int flags = FOLL_LONGTERM;
	struct page *page;
	long n = -EFAULT;
	void *va;

	if (current->mm != vm->mm)
		return -EIO;
	if (!s->readonly)
		n = pin_user_pages_fast(addr, 1, flags | FOLL_WRITE, &page);
	if (n == 1)
		set_bit(idx, s->writable);
	else
		n = pin_user_pages_fast(addr, 1, flags, &page);
	if (n != 1)
		return n < 0 ? n : -EFAULT;
	s->pages[idx] = page;
	vm->pinned++;
	atomic_long_inc(&sv_nr_pinned);
	/*
	 * A guest with its MMU off reads memory non-cacheably: the VMM's
	 * cached writes must reach the PoC first, and no stale instructions
	 * may survive for the guest to fetch.
	 */
	va = page_address(page);
	sv_dcache_clean_inval_poc(va, PAGE_SIZE);
	caches_clean_inval_pou((unsigned long)va, (unsigned long)va + PAGE_SIZE);
	return 0;
}

/*
 * A stage-2 fault at ipa. Maps the page if a slot backs it (the usual
 * way memory appears in the guest); otherwise, or for a write to
 * read-only memory, the access is MMIO for the caller to emulate.
 * -EPERM: a write to a slot the VMM itself maps read-only.
 */
int sv_s2_handle_fault(struct sv_vm *vm, sv_ipa_t ipa, bool write,
		       bool *is_mmio)
{
	sv_ipa_t page_ipa = { ipa.ipa & PAGE_MASK };
	struct sv_memslot *s;
	unsigned int prot;
	u64 idx;
	int ret = 0;

	*is_mmio = false;
	mutex_lock(&vm->lock);
	s = sv_find_slot(vm, ipa);
	if (!s || (write && s->readonly)) {
		*is_mmio = true;
		goto out;
	}
	idx = (page_ipa.ipa - s->base.ipa) >> PAGE_SHIFT;
	if (!s->pages[idx]) {
		ret = sv_slot_pin(vm, s, idx);
		if (ret)
			goto out;
	}
	if (write && !test_bit(idx, s->writable)) {
		ret = -EPERM;
		goto out;
	}
	prot = SV_PROT_R | SV_PROT_X;
	if (test_bit(idx, s->writable))
		prot |= SV_PROT_W;
	ret = sv_pgt_map(&vm->s2, page_ipa.ipa,
			 (sv_pa_t){ page_to_phys(s->pages[idx]) }, PAGE_SIZE,
			 prot);
	if (ret == -EEXIST)
		ret = 0;	/* another vCPU mapped it meanwhile */
	/* Invalid -> valid needs no TLB maintenance, only visibility. */
	dsb(ishst);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

/* Set/way maintenance by the guest: make all its memory coherent. */
void sv_vm_flush_dcache(struct sv_vm *vm)
{
	int i;
	u64 j;

	mutex_lock(&vm->lock);
	for (i = 0; i < SV_MAX_MEMSLOTS; i++) {
		struct sv_memslot *s = &vm->slots[i];

		for (j = 0; s->used && j < s->npages; j++)
			if (s->pages[j])
				sv_dcache_clean_inval_poc(page_address(s->pages[j]),
							  PAGE_SIZE);
	}
	mutex_unlock(&vm->lock);
}

/*
 * Unmap a slot from stage 2 and unpin its pages. A VM that still runs
 * (flush) must lose the translations first; a VM that goes has one flush
 * for all its slots, in sv_vmid_free(), and no vCPU left to use them.
 */
void sv_s2_unmap_slot(struct sv_vm *vm, struct sv_memslot *s, bool flush)
{
	u64 i;

	sv_pgt_unmap(&vm->s2, s->base.ipa, s->npages << PAGE_SHIFT);
	if (flush)
		sv_vm_flush_tlb(vm);
	for (i = 0; i < s->npages; i++) {
		if (!s->pages[i])
			continue;
		unpin_user_pages_dirty_lock(&s->pages[i], 1,
					    test_bit(i, s->writable));
		vm->pinned--;
		atomic_long_dec(&sv_nr_pinned);
	}
}

void sv_mmu_show(struct seq_file *m)
{
	seq_printf(m, "pinned_pages: %ld\n", atomic_long_read(&sv_nr_pinned));
}
