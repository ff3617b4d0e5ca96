// SPDX-License-Identifier: GPL-2.0
/*
 * Memory slots (KVM_SET_USER_MEMORY_REGION): which IPA ranges are backed
 * by which part of the VMM's address space, and their dirty logs
 * (KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG). Stage 2 (mmu.c) maps them on
 * demand; a slot costs the same whatever its size, until it is logged.
 */
#include "splitvisor.h"

#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vm.h"

/*
 * Under slots_lock or mmu_lock. Every MMIO exit looks here and finds
 * nothing: only the slots in use are looked at.
 */
struct sv_memslot *sv_find_slot(struct sv_vm *vm, sv_ipa_t ipa)
{
	unsigned long used = vm->slots_used;

	BUILD_BUG_ON(SV_MAX_MEMSLOTS > BITS_PER_LONG);
	while (used) {
		struct sv_memslot *s = &vm->slots[__ffs(used)];

		used &= used - 1;
		if (ipa.ipa >= s->base.ipa &&
		    ipa.ipa < s->base.ipa + (s->npages << PAGE_SHIFT))
			return s;
	}
	return NULL;
}

static u64 sv_slot_size(const struct sv_memslot *s)
{
	return s->npages << PAGE_SHIFT;
}

/* Longs in one half of a dirty bitmap. */
static u64 sv_dirty_longs(u64 npages)
{
	return BITS_TO_LONGS(npages);
}

/*
 * Both halves, as KVM's kvm_alloc_dirty_bitmap(); __GFP_NOWARN: a slot of
 * 2^31 - 1 pages asks for 512 MiB, which may well not be there.
 */
static unsigned long *sv_dirty_bitmap_alloc(u64 npages)
{
	return kvzalloc(2 * sv_dirty_longs(npages) * sizeof(long),
			GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
}

/*
 * Changes to a slot that faults or the notifier could see: both locks,
 * so either one is enough to read a slot.
 */
static void sv_slot_publish(struct sv_vm *vm, struct sv_memslot *s,
			    const struct sv_memslot *new)
{
	write_lock(&vm->mmu_lock);
	*s = *new;
	__assign_bit(s - vm->slots, &vm->slots_used, new->used);
	write_unlock(&vm->mmu_lock);
}

/* The VM goes: no vCPU and no notifier is left to see the slots. */
void sv_memslots_release(struct sv_vm *vm)
{
	int i;

	for (i = 0; i < SV_MAX_MEMSLOTS; i++) {
		kvfree(vm->slots[i].dirty_bitmap);
		memset(&vm->slots[i], 0, sizeof(vm->slots[i]));
	}
	vm->slots_used = 0;
}

/* KVM 6.1's checks of __kvm_set_memory_region(), in its order. */
static int sv_check_region(struct sv_vm *vm,
			   const struct kvm_userspace_memory_region *r)
{
	u64 size = r->memory_size;

	if (r->flags & ~(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY))
		return -EINVAL;
	if (r->slot >> 16)
		return -EINVAL;		/* one address space */
	if ((size | r->guest_phys_addr | r->userspace_addr) & ~PAGE_MASK)
		return -EINVAL;
	if (r->userspace_addr != untagged_addr(r->userspace_addr) ||
	    !access_ok((void __user *)(unsigned long)r->userspace_addr, size))
		return -EINVAL;
	if (r->slot >= SV_MAX_MEMSLOTS)
		return -EINVAL;
	if (r->guest_phys_addr + size < r->guest_phys_addr)
		return -EINVAL;
	if (size >> PAGE_SHIFT > SV_MEM_MAX_NR_PAGES)
		return -EINVAL;
	return 0;
}

static bool sv_overlaps(struct sv_vm *vm, u32 id, u64 gpa, u64 size)
{
	int i;

	for (i = 0; i < SV_MAX_MEMSLOTS; i++) {
		struct sv_memslot *o = &vm->slots[i];

		if (o->used && i != id && gpa < o->base.ipa + sv_slot_size(o) &&
		    gpa + size > o->base.ipa)
			return true;
	}
	return false;
}

/* Under slots_lock (write). */
static int sv_set_region_locked(struct sv_vm *vm,
				const struct kvm_userspace_memory_region *r)
{
	struct sv_memslot *s = &vm->slots[r->slot], new = { 0 };
	unsigned long *old_bitmap = s->dirty_bitmap;
	u64 size = r->memory_size;
	bool logging, was_logging = s->used && s->dirty_bitmap;

	if (!size) {
		if (!s->used)
			return -EINVAL;	/* not there: KVM says EINVAL */
		/* Unmapped while no fault can map it again (slots_lock). */
		sv_s2_unmap_range(vm, s->base, sv_slot_size(s));
		sv_slot_publish(vm, s, &new);
		kvfree(old_bitmap);
		return 0;
	}
	if (s->used) {
		/* KVM allows moving a slot and changing its logging only. */
		if (r->userspace_addr != s->uaddr ||
		    size != sv_slot_size(s) ||
		    !!(r->flags & KVM_MEM_READONLY) != s->readonly)
			return -EINVAL;
		if (r->guest_phys_addr == s->base.ipa && r->flags == s->flags)
			return 0;
	}
	if ((!s->used || r->guest_phys_addr != s->base.ipa) &&
	    sv_overlaps(vm, r->slot, r->guest_phys_addr, size))
		return -EEXIST;
	/* Past the VM's IPA space: EFAULT (kvm_arch_prepare_memory_region). */
	if (r->guest_phys_addr + size > (1ULL << vm->ipa_bits))
		return -EFAULT;

	new.used = true;
	new.id = r->slot;
	new.flags = r->flags;
	new.readonly = r->flags & KVM_MEM_READONLY;
	new.base.ipa = r->guest_phys_addr;
	new.npages = size >> PAGE_SHIFT;
	new.uaddr = r->userspace_addr;
	logging = r->flags & KVM_MEM_LOG_DIRTY_PAGES;
	if (logging && was_logging) {
		new.dirty_bitmap = old_bitmap;
	} else if (logging) {
		new.dirty_bitmap = sv_dirty_bitmap_alloc(new.npages);
		if (!new.dirty_bitmap)
			return -ENOMEM;
		if (vm->dirty_log_init_set)
			bitmap_set(new.dirty_bitmap, 0, new.npages);
	}
	if (s->used && r->guest_phys_addr != s->base.ipa)
		sv_s2_unmap_range(vm, s->base, sv_slot_size(s));	/* move */
	sv_slot_publish(vm, s, &new);
	if (was_logging && !logging)
		kvfree(old_bitmap);
	/*
	 * Logging starts: every page must fault at its next write, unless
	 * all are reported dirty at first and protected as the VMM clears
	 * them (KVM_DIRTY_LOG_INITIALLY_SET).
	 */
	if (logging && !was_logging && !vm->dirty_log_init_set)
		sv_s2_wrprotect_range(vm, new.base, size);
	return 0;
}

int sv_set_memory_region(struct sv_vm *vm,
			 struct kvm_userspace_memory_region *r)
{
	int ret;

	ret = sv_check_region(vm, r);
	if (ret)
		return ret;
	down_write(&vm->slots_lock);
	ret = sv_set_region_locked(vm, r);
	up_write(&vm->slots_lock);
	return ret;
}

/* KVM's KVM_USER_MEM_SLOTS: slot ids below are valid, if absent here. */
#define SV_KVM_USER_MEM_SLOTS	32764

/* The logged slot of a KVM_{GET,CLEAR}_DIRTY_LOG, under slots_lock. */
static struct sv_memslot *sv_logged_slot(struct sv_vm *vm, u32 slot,
					 int *err)
{
	struct sv_memslot *s;

	*err = -EINVAL;
	if (slot >> 16 || slot >= SV_KVM_USER_MEM_SLOTS)
		return NULL;
	*err = -ENOENT;		/* as KVM: no slot, or not logged */
	if (slot >= SV_MAX_MEMSLOTS)
		return NULL;
	s = &vm->slots[slot];
	if (!s->used || !s->dirty_bitmap)
		return NULL;
	*err = 0;
	return s;
}

/*
 * KVM_GET_DIRTY_LOG. Without manual protection, the pages reported lose
 * write permission and their bits go, as KVM's kvm_get_dirty_log_protect():
 * a bit is taken (xchg) before its page is protected, so a write that
 * lands in between is reported now and, the page being protected, logged
 * again at its next write.
 */
int sv_get_dirty_log(struct sv_vm *vm, struct kvm_dirty_log *log)
{
	struct sv_memslot *s;
	unsigned long *buf;
	u64 i, n;
	int ret;

	mutex_lock(&vm->dirty_log_lock);
	down_read(&vm->slots_lock);
	s = sv_logged_slot(vm, log->slot, &ret);
	if (!s)
		goto out;
	n = sv_dirty_longs(s->npages);
	buf = s->dirty_bitmap;
	if (!vm->manual_dirty_log_protect) {
		buf = s->dirty_bitmap + n;
		for (i = 0; i < n; i++)
			buf[i] = xchg(&s->dirty_bitmap[i], 0);
		sv_s2_wrprotect_bits(vm, s, 0, buf, n);
	}
	ret = 0;
	if (copy_to_user(log->dirty_bitmap, buf, n * sizeof(long)))
		ret = -EFAULT;
out:
	up_read(&vm->slots_lock);
	mutex_unlock(&vm->dirty_log_lock);
	return ret;
}

/* KVM_CLEAR_DIRTY_LOG, as KVM's kvm_clear_dirty_log_protect(). */
int sv_clear_dirty_log(struct sv_vm *vm, struct kvm_clear_dirty_log *log)
{
	struct sv_memslot *s;
	unsigned long *buf;
	u64 i, n, first;
	int ret;

	if (log->first_page & (BITS_PER_LONG - 1))
		return -EINVAL;
	mutex_lock(&vm->dirty_log_lock);
	down_read(&vm->slots_lock);
	s = sv_logged_slot(vm, log->slot, &ret);
	if (!s)
		goto out;
	ret = -EINVAL;
	if (log->first_page > s->npages ||
	    log->num_pages > s->npages - log->first_page ||
	    (log->num_pages < s->npages - log->first_page &&
	     (log->num_pages & (BITS_PER_LONG - 1))))
		goto out;
	n = BITS_TO_LONGS(log->num_pages);
	first = log->first_page / BITS_PER_LONG;
	buf = s->dirty_bitmap + sv_dirty_longs(s->npages);
	ret = -EFAULT;
	if (copy_from_user(buf, log->dirty_bitmap, n * sizeof(long)))
		goto out;
	/* Only bits that are set go, and only their pages are protected. */
	for (i = 0; i < n; i++)
		if (buf[i])
			buf[i] &= atomic_long_fetch_andnot(buf[i],
				(atomic_long_t *)&s->dirty_bitmap[first + i]);
	sv_s2_wrprotect_bits(vm, s, log->first_page, buf, n);
	ret = 0;
out:
	up_read(&vm->slots_lock);
	mutex_unlock(&vm->dirty_log_lock);
	return ret;
}
