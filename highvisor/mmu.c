// SPDX-License-Identifier: GPL-2.0
/*
 * Stage 2 the way KVM 6.1 does it (arch/arm64/kvm/mmu.c, virt/kvm/
 * kvm_main.c): a guest page is mapped at its first stage-2 fault from
 * whatever the VMM's mapping holds, through the normal fault path and
 * without a pin; the MMU notifier takes it away again whenever the VMM's
 * mapping changes (munmap, madvise, mprotect, COW, migration, swap). The
 * stage-2 table is the only record of what is mapped.
 */
#include "splitvisor.h"

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/swap.h>
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

/* CTR_EL0.L1Ip (ARM ARM D13.2.34): 0b10 = VIPT. */
#define SV_CTR_L1IP(ctr)	(((ctr) >> 14) & 3)
#define SV_CTR_L1IP_VIPT	2

/* What every VM holds or did, for debugfs "status" and the tests. */
static atomic_long_t sv_s2_tables = ATOMIC_LONG_INIT(0);
static atomic_long_t sv_page_refs = ATOMIC_LONG_INIT(0);
static atomic64_t sv_s2_page_maps = ATOMIC64_INIT(0);
static atomic64_t sv_s2_block_maps = ATOMIC64_INIT(0);
static atomic64_t sv_s2_fault_retries = ATOMIC64_INIT(0);
static atomic64_t sv_s2_invalidations = ATOMIC64_INIT(0);

u32 sv_max_ipa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };
	u64 parange = read_sysreg_s(SYS_ID_AA64MMFR0_EL1) & 0xf;

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

/* --- tables ---------------------------------------------------------------- */

/*
 * The root is allocated while sleeping is allowed (sv_s2_init()); every
 * other table comes from vm->mc under mmu_lock, so a fault that finds the
 * cache empty drops the lock, fills it and tries again.
 */
static void *sv_s2_alloc_table(void *ctx, unsigned int order, sv_pa_t *pa)
{
	struct sv_vm *vm = ctx;
	void *t = NULL;

	if (!vm->s2.root)
		t = (void *)__get_free_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO |
					     __GFP_NOWARN, order);
	else if (!order && vm->mc.nr)
		t = vm->mc.tables[--vm->mc.nr];
	if (!t)
		return NULL;
	atomic_long_add(1L << order, &sv_s2_tables);
	pa->pa = virt_to_phys(t);
	return t;
}

static void sv_s2_free_table(void *ctx, void *table, unsigned int order)
{
	free_pages((unsigned long)table, order);
	atomic_long_sub(1L << order, &sv_s2_tables);
}

static void *sv_s2_table_va(void *ctx, sv_pa_t pa)
{
	return phys_to_virt(pa.pa);
}

/* Break-before-make inside sv_pgt_s2_map(): under mmu_lock. */
static void sv_s2_tlb_inval(void *ctx, u64 in, bool all)
{
	struct sv_vm *vm = ctx;

	if (all)
		sv_vm_flush_tlb(vm);
	else
		sv_vm_flush_tlb_ipa(vm, (sv_ipa_t){ in }, 1);
}

static const struct sv_pgt_ops sv_s2_ops = {
	.alloc_table	= sv_s2_alloc_table,
	.free_table	= sv_s2_free_table,
	.table_va	= sv_s2_table_va,
	.tlb_inval	= sv_s2_tlb_inval,
};

static int sv_mmu_cache_topup(struct sv_vm *vm)
{
	void *t[SV_PGT_MAX_NEW_TABLES];
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t[i] = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT |
					       __GFP_NOWARN);
		if (!t[i])
			break;
		n++;
	}
	write_lock(&vm->mmu_lock);
	for (i = 0; i < n && vm->mc.nr < SV_MMU_CACHE_SIZE; i++)
		vm->mc.tables[vm->mc.nr++] = t[i];
	write_unlock(&vm->mmu_lock);
	for (; i < n; i++)
		free_page((unsigned long)t[i]);
	return n ? 0 : -ENOMEM;
}

/* The VM's stage-2 root and the VTCR_EL2 that describes it. */
int sv_s2_init(struct sv_vm *vm)
{
	int ret;

	vm->s2_ops = sv_s2_ops;
	vm->s2_ops.ctx = vm;
	ret = sv_pgt_init(&vm->s2, &vm->s2_ops, SV_PGT_S2, vm->ipa_bits);
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

/* The VM goes: nothing runs on its stage 2 any more. */
void sv_s2_destroy(struct sv_vm *vm)
{
	sv_pgt_destroy(&vm->s2);
	while (vm->mc.nr)
		free_page((unsigned long)vm->mc.tables[--vm->mc.nr]);
}

/* --- cache maintenance ---------------------------------------------------- */

/*
 * A guest with its MMU or caches off reads memory non-cacheably: the
 * VMM's cached writes must reach the PoC before the page is mapped, and
 * stale lines must not hide the guest's writes from the host after it is
 * unmapped (KVM: clean_dcache_guest_page(), stage2_unmap_walker()).
 */
static void sv_clean_dcache(sv_pa_t pa, u64 size)
{
	sv_dcache_clean_inval_poc(phys_to_virt(pa.pa), size);
}

/*
 * A VIPT I-cache (Cortex-A53) may hold the guest's instructions under
 * aliases the host VA does not reach: the whole I-cache goes, as KVM's
 * __invalidate_icache_guest_page() does for any aliasing I-cache.
 */
static void sv_inval_icache(sv_pa_t pa, u64 size)
{
	unsigned long va = (unsigned long)phys_to_virt(pa.pa);

	if (SV_CTR_L1IP(read_sysreg(ctr_el0)) == SV_CTR_L1IP_VIPT) {
		asm volatile("ic ialluis" : : : "memory");
		dsb(ish);
		isb();
	} else {
		caches_clean_inval_pou(va, va + size);
	}
}

/* --- unmap, write-protect, age: walks over what is mapped ----------------- */

/*
 * What a walk changed, for one TLB flush at its end: by IPA for a few
 * pages, the whole VMID beyond that (KVM 6.1 flushes the VMID).
 */
struct sv_s2_change {
	struct sv_vm *vm;
	u64 first, end;		/* IPA span of the changed leaves */
	u64 leaves;
	bool flush_dcache;	/* unmap: clean what goes (above) */
	bool clear_af;		/* age: clear the access flags found */
	bool young;		/* age: an entry had its access flag */
	struct list_head tables;	/* unmap: tables to free after it */
};

static void sv_s2_change_note(struct sv_s2_change *c, u64 in,
			      unsigned int level)
{
	u64 end = in + sv_pgt_level_size(level);

	if (!c->leaves++) {
		c->first = in;
		c->end = end;
	}
	c->first = min(c->first, in);
	c->end = max(c->end, end);
}

static void sv_s2_change_flush(struct sv_s2_change *c)
{
	u64 pages = (c->end - c->first) >> PAGE_SHIFT;
	struct page *p, *n;

	/* Only unmaps collect tables (and initialise the list). */
	if (c->tables.next && !list_empty(&c->tables)) {
		/* Walks through the tables may be cached for any IPA. */
		sv_vm_flush_tlb(c->vm);
		list_for_each_entry_safe(p, n, &c->tables, lru) {
			list_del(&p->lru);
			sv_s2_free_table(NULL, page_address(p), 0);
		}
		return;
	}
	if (!c->leaves)
		return;
	if (c->leaves == 1)
		pages = 1;	/* one entry: any address in it will do */
	if (pages <= SV_FLUSH_IPA_MAX_PAGES)
		sv_vm_flush_tlb_ipa(c->vm, (sv_ipa_t){ c->first }, pages);
	else
		sv_vm_flush_tlb(c->vm);
}

static int sv_s2_unmap_leaf(u64 *ptep, u64 in, unsigned int level, void *arg)
{
	struct sv_s2_change *c = arg;
	u64 desc = READ_ONCE(*ptep);

	WRITE_ONCE(*ptep, 0);
	if (c->flush_dcache && (desc & SV_S2_MEMATTR_NORMAL) ==
	    SV_S2_MEMATTR_NORMAL)
		sv_clean_dcache((sv_pa_t){ desc & SV_DESC_ADDR_MASK },
				sv_pgt_level_size(level));
	sv_s2_change_note(c, in, level);
	return 0;
}

static void sv_s2_table_gone(void *table, void *arg)
{
	struct sv_s2_change *c = arg;

	list_add(&virt_to_page(table)->lru, &c->tables);
}

/*
 * Under mmu_lock (write). Tables the range covers whole go too, as KVM's
 * stage2_unmap_walker() frees them. The TLBs forget before this returns.
 */
static void sv_s2_unmap_locked(struct sv_vm *vm, u64 ipa, u64 size)
{
	struct sv_s2_change c = { .vm = vm, .flush_dcache = true };

	INIT_LIST_HEAD(&c.tables);
	sv_pgt_walk_prune(&vm->s2, ipa, ipa + size, sv_s2_unmap_leaf,
			  sv_s2_table_gone, &c);
	sv_s2_change_flush(&c);
}

/*
 * Long walks in steps of 1 GiB (KVM: stage2_apply_range_resched()), giving
 * the lock and the CPU away in between.
 */
#define SV_WALK_STEP		(1ULL << 30)

static void sv_s2_apply_resched(struct sv_vm *vm, u64 ipa, u64 size,
				void (*fn)(struct sv_vm *vm, u64 ipa, u64 size))
{
	u64 end = ipa + size, next;

	write_lock(&vm->mmu_lock);
	for (; ipa < end; ipa = next) {
		next = min(end, (ipa | (SV_WALK_STEP - 1)) + 1);
		fn(vm, ipa, next - ipa);
		if (next != end)
			cond_resched_rwlock_write(&vm->mmu_lock);
	}
	write_unlock(&vm->mmu_lock);
}

/* A slot goes or moves: its old IPAs must fault from now on. */
void sv_s2_unmap_range(struct sv_vm *vm, sv_ipa_t ipa, u64 size)
{
	sv_s2_apply_resched(vm, ipa.ipa, size, sv_s2_unmap_locked);
}

static int sv_s2_wrprotect_leaf(u64 *ptep, u64 in, unsigned int level,
				void *arg)
{
	u64 desc = READ_ONCE(*ptep);

	if (!(desc & SV_S2_AP_W))
		return 0;
	/* A permission change needs no break (ARM ARM D8.14.1). */
	WRITE_ONCE(*ptep, desc & ~SV_S2_AP_W);
	sv_s2_change_note(arg, in, level);
	return 0;
}

static void sv_s2_wrprotect_locked(struct sv_vm *vm, u64 ipa, u64 size)
{
	struct sv_s2_change c = { .vm = vm };

	sv_pgt_walk_leaves(&vm->s2, ipa, ipa + size, sv_s2_wrprotect_leaf,
			   &c);
	sv_s2_change_flush(&c);
}

/* Dirty logging: the next write to these pages faults and is logged. */
void sv_s2_wrprotect_range(struct sv_vm *vm, sv_ipa_t ipa, u64 size)
{
	sv_s2_apply_resched(vm, ipa.ipa, size, sv_s2_wrprotect_locked);
}

/*
 * The pages of slot s whose bits are set in the n longs of mask (bit 0 =
 * first_page) lose write permission: each long's span of pages, as KVM's
 * kvm_mmu_write_protect_pt_masked(); one TLB flush for all.
 */
void sv_s2_wrprotect_bits(struct sv_vm *vm, struct sv_memslot *s,
			  u64 first_page, const unsigned long *mask, u64 n)
{
	struct sv_s2_change c = { .vm = vm };
	u64 i, base;

	write_lock(&vm->mmu_lock);
	for (i = 0; i < n; i++) {
		if (!mask[i])
			continue;
		base = s->base.ipa +
		       ((first_page + i * BITS_PER_LONG) << PAGE_SHIFT);
		sv_pgt_walk_leaves(&vm->s2,
				   base + ((u64)__ffs(mask[i]) << PAGE_SHIFT),
				   base + ((u64)(__fls(mask[i]) + 1) <<
					   PAGE_SHIFT),
				   sv_s2_wrprotect_leaf, &c);
		if (!(i % 4096) && need_resched()) {
			/* The flush first: dropping the lock ends a step. */
			sv_s2_change_flush(&c);
			c.leaves = 0;
			cond_resched_rwlock_write(&vm->mmu_lock);
		}
	}
	sv_s2_change_flush(&c);
	write_unlock(&vm->mmu_lock);
}

/*
 * A vCPU re-initialised after it ran (a guest reboot): every page must
 * fault again, so that it is cleaned to the PoC for a guest that starts
 * with its MMU and caches off (KVM: stage2_unmap_vm() from
 * kvm_arch_vcpu_ioctl_vcpu_init()).
 */
void sv_s2_unmap_vm(struct sv_vm *vm)
{
	int i;

	down_read(&vm->slots_lock);
	for (i = 0; i < SV_MAX_MEMSLOTS; i++) {
		struct sv_memslot *s = &vm->slots[i];

		if (s->used)
			sv_s2_unmap_range(vm, s->base, s->npages << PAGE_SHIFT);
	}
	up_read(&vm->slots_lock);
}

static int sv_s2_flush_leaf(u64 *ptep, u64 in, unsigned int level, void *arg)
{
	u64 desc = READ_ONCE(*ptep);

	sv_clean_dcache((sv_pa_t){ desc & SV_DESC_ADDR_MASK },
			sv_pgt_level_size(level));
	return 0;
}

/*
 * Set/way maintenance by the guest: what is mapped is cleaned to the PoC,
 * 2 MiB at a time, rescheduling in between (KVM: stage2_flush_vm()).
 */
void sv_vm_flush_dcache(struct sv_vm *vm)
{
	int i;

	down_read(&vm->slots_lock);
	read_lock(&vm->mmu_lock);
	for (i = 0; i < SV_MAX_MEMSLOTS; i++) {
		struct sv_memslot *s = &vm->slots[i];
		u64 ipa, end;

		if (!s->used)
			continue;
		end = s->base.ipa + (s->npages << PAGE_SHIFT);
		for (ipa = s->base.ipa; ipa < end; ipa += SV_BLOCK_SIZE) {
			sv_pgt_walk_leaves(&vm->s2, ipa,
					   min(end, ipa + SV_BLOCK_SIZE),
					   sv_s2_flush_leaf, NULL);
			cond_resched_rwlock_read(&vm->mmu_lock);
		}
	}
	read_unlock(&vm->mmu_lock);
	up_read(&vm->slots_lock);
}

/* --- the MMU notifier --------------------------------------------------------- */

/*
 * Calls fn on the IPAs of every slot that maps [start, end) of the VMM's
 * address space; under mmu_lock, which keeps the slots still.
 */
typedef void (*sv_ipa_range_fn)(struct sv_vm *vm, u64 ipa, u64 size,
				void *arg);

static void sv_on_hva_range(struct sv_vm *vm, unsigned long start,
			    unsigned long end, sv_ipa_range_fn fn, void *arg)
{
	int i;

	for (i = 0; i < SV_MAX_MEMSLOTS; i++) {
		struct sv_memslot *s = &vm->slots[i];
		unsigned long s_end, a, b;

		if (!s->used)
			continue;
		s_end = s->uaddr + (s->npages << PAGE_SHIFT);
		a = max(start, s->uaddr);
		b = min(end, s_end);
		if (a >= b)
			continue;
		a &= PAGE_MASK;
		fn(vm, s->base.ipa + (a - s->uaddr), PAGE_ALIGN(b) - a, arg);
	}
}

static void sv_unmap_hva(struct sv_vm *vm, u64 ipa, u64 size, void *arg)
{
	sv_s2_unmap_locked(vm, ipa, size);
}

static struct sv_vm *sv_mn_vm(struct mmu_notifier *mn)
{
	return container_of(mn, struct sv_vm, mn);
}

/*
 * The VMM's mapping of [start, end) is about to change: the guest loses
 * it now, and a fault that looked the page up before this cannot map it
 * (mmu_invalidate_in_progress and _seq, as KVM). Never sleeps, so it also
 * serves non-blockable invalidations (the OOM reaper).
 */
static int sv_mn_invalidate_range_start(struct mmu_notifier *mn,
					const struct mmu_notifier_range *range)
{
	struct sv_vm *vm = sv_mn_vm(mn);

	write_lock(&vm->mmu_lock);
	vm->mmu_invalidate_in_progress++;
	sv_on_hva_range(vm, range->start, range->end, sv_unmap_hva, NULL);
	write_unlock(&vm->mmu_lock);
	atomic64_inc(&sv_s2_invalidations);
	return 0;
}

static void sv_mn_invalidate_range_end(struct mmu_notifier *mn,
				       const struct mmu_notifier_range *range)
{
	struct sv_vm *vm = sv_mn_vm(mn);

	write_lock(&vm->mmu_lock);
	vm->mmu_invalidate_seq++;
	/* The new sequence before the end: see sv_invalidate_retry(). */
	smp_wmb();
	vm->mmu_invalidate_in_progress--;
	write_unlock(&vm->mmu_lock);
}

#ifdef SV_MN_CHANGE_PTE
/*
 * KSM and COW replace the page behind one address. Linux calls this
 * between invalidate_range_start() and _end(), which already unmapped it;
 * the guest faults the new page in (the reason Linux 6.6 removed the op).
 */
static void sv_mn_change_pte(struct mmu_notifier *mn, struct mm_struct *mm,
			     unsigned long address, pte_t pte)
{
	struct sv_vm *vm = sv_mn_vm(mn);

	write_lock(&vm->mmu_lock);
	sv_on_hva_range(vm, address, address + PAGE_SIZE, sv_unmap_hva, NULL);
	write_unlock(&vm->mmu_lock);
}
#endif

/*
 * Page aging: the access flag of stage-2 entries, as KVM's kvm_age_gfn().
 * A cleared flag makes the guest's next access an access-flag fault, which
 * the fault path answers by mapping the page again.
 */
static int sv_age_leaf(u64 *ptep, u64 in, unsigned int level, void *arg)
{
	struct sv_s2_change *c = arg;
	u64 desc = READ_ONCE(*ptep);

	if (!(desc & SV_DESC_AF))
		return 0;
	c->young = true;
	if (!c->clear_af)
		return 1;	/* test_young: one is enough */
	WRITE_ONCE(*ptep, desc & ~SV_DESC_AF);
	sv_s2_change_note(c, in, level);
	return 0;
}

static void sv_age_hva(struct sv_vm *vm, u64 ipa, u64 size, void *arg)
{
	sv_pgt_walk_leaves(&vm->s2, ipa, ipa + size, sv_age_leaf, arg);
}

static int sv_mn_age(struct mmu_notifier *mn, unsigned long start,
		     unsigned long end, bool clear, bool flush)
{
	struct sv_vm *vm = sv_mn_vm(mn);
	struct sv_s2_change c = { .vm = vm, .clear_af = clear };

	write_lock(&vm->mmu_lock);
	sv_on_hva_range(vm, start, end, sv_age_hva, &c);
	if (flush)
		sv_s2_change_flush(&c);
	write_unlock(&vm->mmu_lock);
	return c.young;
}

static int sv_mn_clear_flush_young(struct mmu_notifier *mn,
				   struct mm_struct *mm, unsigned long start,
				   unsigned long end)
{
	return sv_mn_age(mn, start, end, true, true);
}

static int sv_mn_clear_young(struct mmu_notifier *mn, struct mm_struct *mm,
			     unsigned long start, unsigned long end)
{
	return sv_mn_age(mn, start, end, true, false);
}

static int sv_mn_test_young(struct mmu_notifier *mn, struct mm_struct *mm,
			    unsigned long address)
{
	return sv_mn_age(mn, address, address + PAGE_SIZE, false, false);
}

/*
 * The VMM's address space goes (exit_mmap()): nothing may stay mapped,
 * and no fault may map anything any more.
 */
static void sv_mn_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct sv_vm *vm = sv_mn_vm(mn);

	write_lock(&vm->mmu_lock);
	vm->mm_dead = true;
	sv_on_hva_range(vm, 0, ULONG_MAX, sv_unmap_hva, NULL);
	write_unlock(&vm->mmu_lock);
}

static const struct mmu_notifier_ops sv_mn_ops = {
	.invalidate_range_start	= sv_mn_invalidate_range_start,
	.invalidate_range_end	= sv_mn_invalidate_range_end,
#ifdef SV_MN_CHANGE_PTE
	.change_pte		= sv_mn_change_pte,
#endif
	.clear_flush_young	= sv_mn_clear_flush_young,
	.clear_young		= sv_mn_clear_young,
	.test_young		= sv_mn_test_young,
	.release		= sv_mn_release,
};

/* At VM creation, from the VMM's own context. */
int sv_mmu_notifier_register(struct sv_vm *vm)
{
	int ret;

	vm->mn.ops = &sv_mn_ops;
	ret = mmu_notifier_register(&vm->mn, current->mm);
	vm->mn_registered = !ret;
	return ret;
}

void sv_mmu_notifier_unregister(struct sv_vm *vm)
{
	if (vm->mn_registered)
		mmu_notifier_unregister(&vm->mn, vm->mm);
	vm->mn_registered = false;
}

/* --- the stage-2 fault ------------------------------------------------------ */

/* Under mmu_lock: did an invalidation start or end since seq was read? */
static bool sv_invalidate_retry(struct sv_vm *vm, unsigned long seq)
{
	if (vm->mmu_invalidate_in_progress)
		return true;
	/* Pairs with the smp_wmb() in sv_mn_invalidate_range_end(). */
	smp_rmb();
	return vm->mmu_invalidate_seq != seq;
}

/*
 * The VMM's page at hva, referenced (not pinned) until the caller has
 * mapped it: the fast path, then the normal fault path with retry
 * (userfaultfd, file-backed memory, swap-in; killable), as KVM's
 * hva_to_pfn(). A read fault still maps the page writable when the VMM's
 * mapping already is, so the first guest write does not fault again.
 */
static int sv_get_page(struct sv_vm *vm, unsigned long hva, bool write,
		       bool may_write, struct page **pagep, bool *writable)
{
	unsigned int flags = write ? FOLL_WRITE : 0;
	struct page *page, *wpage;
	long n;

	if (current->mm != vm->mm)
		return -EIO;
	*writable = write;
	/* The fast path takes no FOLL_HWPOISON (a WARN in 6.1's gup.c). */
	if (!get_user_page_fast_only(hva, flags, &page)) {
		n = get_user_pages_unlocked(hva, 1, &page,
					    flags | FOLL_HWPOISON);
		if (n != 1)
			return n < 0 ? n : -EFAULT;
	}
	if (!write && may_write && get_user_page_fast_only(hva, FOLL_WRITE,
							   &wpage)) {
		put_page(page);
		page = wpage;
		*writable = true;
	}
	atomic_long_inc(&sv_page_refs);
	*pagep = page;
	return 0;
}

/* As KVM's kvm_release_pfn(): the zero page is neither dirtied nor aged. */
static void sv_put_page(struct page *page, bool dirty)
{
	if (dirty)
		set_page_dirty_lock(page);
	if (!PageReserved(page))
		mark_page_accessed(page);
	put_page(page);
	atomic_long_dec(&sv_page_refs);
}

/*
 * Under mmu_lock, after the invalidation check (so the VMM's tables
 * cannot change under this walk, as KVM's get_user_mapping_size()): the
 * PA of the 2 MiB block around hva if the VMM maps it with one PMD or PUD
 * (THP, hugetlbfs), writable if it must be; 0 otherwise.
 */
static phys_addr_t sv_user_block(struct mm_struct *mm, unsigned long hva,
				 bool writable)
{
	pgd_t *pgd = pgd_offset(mm, hva);
	p4d_t *p4d;
	pud_t *pudp, pud;
	pmd_t pmd;

	if (pgd_none(READ_ONCE(*pgd)))
		return 0;
	p4d = p4d_offset(pgd, hva);
	if (p4d_none(READ_ONCE(*p4d)))
		return 0;
	pudp = pud_offset(p4d, hva);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud) || !pud_present(pud))
		return 0;
	if (pud_leaf(pud)) {
		if (writable && !pud_write(pud))
			return 0;
		return (pud_pfn(pud) << PAGE_SHIFT) +
		       (hva & ~PUD_MASK & ~(SV_BLOCK_SIZE - 1));
	}
	pmd = READ_ONCE(*pmd_offset(pudp, hva));
	if (!pmd_present(pmd) || !pmd_leaf(pmd) ||
	    (writable && !pmd_write(pmd)))
		return 0;
	return pmd_pfn(pmd) << PAGE_SHIFT;
}

/*
 * A 2 MiB block for the fault at ipa: only where the slot holds the whole
 * block at the same offset within 2 MiB in IPA and VMM address, the VMM
 * maps it with one huge page, and the slot is not being dirty-logged.
 */
static bool sv_block_fits(struct sv_memslot *s, u64 ipa)
{
	u64 block = ipa & ~(SV_BLOCK_SIZE - 1);

	return !s->dirty_bitmap &&
	       ((s->base.ipa ^ s->uaddr) & (SV_BLOCK_SIZE - 1)) == 0 &&
	       block >= s->base.ipa &&
	       block + SV_BLOCK_SIZE <= s->base.ipa +
					(s->npages << PAGE_SHIFT);
}

static bool sv_is_exec(u64 desc)
{
	return (desc & SV_DESC_VALID) && !(desc & SV_DESC_XN);
}

/*
 * Map the page (or block) in stage 2: under mmu_lock (write), -ENOMEM
 * when vm->mc ran out of tables. What the entry already allows stays.
 */
static int sv_s2_map_locked(struct sv_vm *vm, struct sv_memslot *s, u64 ipa,
			    unsigned long hva, struct page *page,
			    bool writable, bool write, bool exec,
			    bool *mapped_w)
{
	u64 size = PAGE_SIZE, map_ipa = ipa & PAGE_MASK, old = 0;
	sv_pa_t pa = { page_to_phys(page) };
	unsigned int prot = SV_PROT_R, level;
	bool same;
	int ret;

	if (sv_block_fits(s, ipa)) {
		phys_addr_t b = sv_user_block(vm->mm, hva, writable);

		if (b && pa.pa - b < SV_BLOCK_SIZE) {
			size = SV_BLOCK_SIZE;
			map_ipa = ipa & ~(SV_BLOCK_SIZE - 1);
			pa.pa = b;
		}
	}
	/* Dirty logging: writable only once a write was seen and logged. */
	if (writable && (write || !s->dirty_bitmap))
		prot |= SV_PROT_W;
	if (sv_pgt_lookup_level(&vm->s2, map_ipa, &old, &level) ||
	    sv_pgt_level_size(level) != size)
		old = 0;
	same = old && (old & SV_DESC_ADDR_MASK) == pa.pa;
	if (exec || (same && sv_is_exec(old)))
		prot |= SV_PROT_X;
	if (same && (old & SV_S2_AP_W) && !s->dirty_bitmap)
		prot |= SV_PROT_W;
	if (!same)
		sv_clean_dcache(pa, size);
	if ((prot & SV_PROT_X) && !(same && sv_is_exec(old)))
		sv_inval_icache(pa, size);
	ret = sv_pgt_s2_map(&vm->s2, map_ipa, pa, size, prot);
	if (ret)
		return ret;
	if (size == SV_BLOCK_SIZE)
		atomic64_inc(&sv_s2_block_maps);
	else
		atomic64_inc(&sv_s2_page_maps);
	/* As KVM: a writable mapping counts as written from now on. */
	*mapped_w = prot & SV_PROT_W;
	if (*mapped_w && s->dirty_bitmap)
		set_bit((map_ipa - s->base.ipa) >> PAGE_SHIFT, s->dirty_bitmap);
	return 0;
}

/*
 * A stage-2 fault at ipa. Maps the page if a slot backs it (the usual
 * way memory appears in the guest); otherwise, or for a write to
 * read-only memory, the access is MMIO for the caller to emulate.
 * Returns 0 also when the guest should simply retry (an invalidation
 * raced with the fault, or a signal is pending: the run loop sees it).
 * -EPERM: a write to a slot the VMM itself maps read-only.
 */
int sv_s2_handle_fault(struct sv_vm *vm, sv_ipa_t ipa, bool write, bool exec,
		       bool *is_mmio)
{
	struct sv_memslot *s;
	unsigned long hva, seq;
	struct page *page;
	bool writable, mapped_w = false;
	int ret = 0;

	*is_mmio = false;
	down_read(&vm->slots_lock);
	s = sv_find_slot(vm, ipa);
	if (!s || (write && s->readonly)) {
		*is_mmio = true;
		goto out;
	}
	hva = s->uaddr + ((ipa.ipa & PAGE_MASK) - s->base.ipa);
	seq = READ_ONCE(vm->mmu_invalidate_seq);
	/* The sequence before the page: see sv_invalidate_retry(). */
	smp_rmb();
	ret = sv_get_page(vm, hva, write, !s->readonly, &page, &writable);
	if (ret == -EINTR || ret == -ERESTARTSYS || ret == -EAGAIN ||
	    (ret && signal_pending(current))) {
		ret = 0;
		goto out;
	}
	if (ret == -EFAULT && write) {
		struct vm_area_struct *vma;

		mmap_read_lock(vm->mm);
		vma = vma_lookup(vm->mm, hva);
		if (vma && !(vma->vm_flags & VM_WRITE))
			ret = -EPERM;
		mmap_read_unlock(vm->mm);
	}
	if (ret)
		goto out;

	for (;;) {
		write_lock(&vm->mmu_lock);
		if (vm->mm_dead || sv_invalidate_retry(vm, seq)) {
			atomic64_inc(&sv_s2_fault_retries);
			ret = 0;
		} else {
			ret = sv_s2_map_locked(vm, s, ipa.ipa, hva, page,
					       writable, write, exec,
					       &mapped_w);
		}
		write_unlock(&vm->mmu_lock);
		if (ret != -ENOMEM)
			break;
		ret = sv_mmu_cache_topup(vm);
		if (ret)
			break;
	}
	sv_put_page(page, mapped_w);
out:
	up_read(&vm->slots_lock);
	return ret;
}

void sv_mmu_show(struct seq_file *m)
{
	seq_printf(m, "page_refs: %ld\n", atomic_long_read(&sv_page_refs));
	seq_printf(m, "s2_tables: %ld\n", atomic_long_read(&sv_s2_tables));
	seq_printf(m, "s2_page_maps: %lld\n",
		   (long long)atomic64_read(&sv_s2_page_maps));
	seq_printf(m, "s2_block_maps: %lld\n",
		   (long long)atomic64_read(&sv_s2_block_maps));
	seq_printf(m, "s2_fault_retries: %lld\n",
		   (long long)atomic64_read(&sv_s2_fault_retries));
	seq_printf(m, "s2_invalidations: %lld\n",
		   (long long)atomic64_read(&sv_s2_invalidations));
}
