// SPDX-License-Identifier: GPL-2.0
/*
 * Memory slots (KVM_SET_USER_MEMORY_REGION): which IPA ranges are backed
 * by which part of the VMM's address space. Stage 2 (mmu.c) maps them on
 * demand.
 */
#include "splitvisor.h"

#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vm.h"

struct sv_memslot *sv_find_slot(struct sv_vm *vm, sv_ipa_t ipa)
{
	int i;

	for (i = 0; i < SV_MAX_MEMSLOTS; i++) {
		struct sv_memslot *s = &vm->slots[i];

		if (s->used && ipa.ipa >= s->base.ipa &&
		    ipa.ipa < s->base.ipa + (s->npages << PAGE_SHIFT))
			return s;
	}
	return NULL;
}

static void sv_slot_release(struct sv_vm *vm, struct sv_memslot *s,
			    bool flush)
{
	if (!s->used)
		return;
	sv_s2_unmap_slot(vm, s, flush);
	kvfree(s->pages);
	bitmap_free(s->writable);
	memset(s, 0, sizeof(*s));
}

/* The VM goes: every slot, without TLB flushes (see sv_s2_unmap_slot()). */
void sv_memslots_release(struct sv_vm *vm)
{
	int i;

	for (i = 0; i < SV_MAX_MEMSLOTS; i++)
		sv_slot_release(vm, &vm->slots[i], false);
}

int sv_set_memory_region(struct sv_vm *vm,
				struct kvm_userspace_memory_region *r)
{
	u64 size = r->memory_size, end = r->guest_phys_addr + size;
	u32 id = r->slot;
	struct sv_memslot *s;
	int i, ret = 0;

	if (r->flags & ~KVM_MEM_READONLY)
		return -EINVAL;
	if (id >> 16)
		return -EINVAL;		/* one address space */
	if (id >= SV_MAX_MEMSLOTS)
		return -EINVAL;
	if ((r->guest_phys_addr | size | r->userspace_addr) & ~PAGE_MASK)
		return -EINVAL;
	/* Past the IPA space: EFAULT, as KVM answers it. */
	if (size && (end < r->guest_phys_addr || end > (1ULL << vm->ipa_bits)))
		return -EFAULT;
	if (size && !access_ok((void __user *)(unsigned long)r->userspace_addr,
			       size))
		return -EINVAL;

	mutex_lock(&vm->lock);
	s = &vm->slots[id];
	if (!s->used && !size) {
		ret = -EINVAL;	/* deleting a slot that is not there, as KVM */
		goto out;
	}
	if (s->used && size) {
		/* KVM allows moving a slot, not resizing or re-flagging it. */
		if (size != s->npages << PAGE_SHIFT ||
		    !!(r->flags & KVM_MEM_READONLY) != s->readonly ||
		    r->userspace_addr != s->uaddr) {
			ret = -EINVAL;
			goto out;
		}
	}
	for (i = 0; size && i < SV_MAX_MEMSLOTS; i++) {
		struct sv_memslot *o = &vm->slots[i];

		if (!o->used || o == s)
			continue;
		if (r->guest_phys_addr < o->base.ipa + (o->npages << PAGE_SHIFT) &&
		    end > o->base.ipa) {
			ret = -EEXIST;
			goto out;
		}
	}
	sv_slot_release(vm, s, true);	/* delete, or the old place of a move */
	if (!size)
		goto out;

	s->pages = kvcalloc(size >> PAGE_SHIFT, sizeof(*s->pages),
			    GFP_KERNEL_ACCOUNT);
	s->writable = bitmap_zalloc(size >> PAGE_SHIFT, GFP_KERNEL_ACCOUNT);
	if (!s->pages || !s->writable) {
		kvfree(s->pages);
		bitmap_free(s->writable);
		s->pages = NULL;
		s->writable = NULL;
		ret = -ENOMEM;
		goto out;
	}
	s->used = true;
	s->id = id;
	s->readonly = r->flags & KVM_MEM_READONLY;
	s->base.ipa = r->guest_phys_addr;
	s->npages = size >> PAGE_SHIFT;
	s->uaddr = r->userspace_addr;
out:
	mutex_unlock(&vm->lock);
	return ret;
}
