// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/splitvisor and VM files: the KVM arm64 ioctl ABI
 * (Documentation/virt/kvm/api.rst). A VM owns its memory slots, its
 * stage-2 tables and a VMID; each VM and vCPU file holds a reference on
 * the VM, and on the module (fops owner), so the module cannot be unloaded
 * while a VM exists.
 */
#include "splitvisor.h"

#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/arch_timer.h>
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
#define SV_VMID_SHIFT		48
#define SV_NR_VMIDS		256	/* 8-bit VMIDs; 0 is the host's */

static atomic_t sv_nr_vms = ATOMIC_INIT(0);
static atomic_long_t sv_nr_pinned = ATOMIC_LONG_INIT(0);
static atomic64_t sv_next_vm_id = ATOMIC64_INIT(0);
/*
 * VMIDs are handed out per generation, when a VM first runs in it. When a
 * generation has used all 255, the next starts: every guest TLB entry is
 * dropped and every VM gets a new VMID at its next entry, so any number of
 * VMs can exist. Running a guest holds sv_vmid_rwlock for reading (with
 * interrupts off); changing generation holds it for writing, so no CPU is
 * in a guest while the VMIDs start over.
 */
static DEFINE_RWLOCK(sv_vmid_rwlock);
static DECLARE_BITMAP(sv_vmids, SV_NR_VMIDS);
static u64 sv_vmid_gen = 1;
static u64 sv_vmid_rollovers;

int sv_vm_count(void)
{
	return atomic_read(&sv_nr_vms);
}

/* What all VMs hold: checked by the tests after a VMM is killed. */
void sv_vm_resources_show(struct seq_file *m)
{
	unsigned int vmids;
	u64 rollovers;

	read_lock(&sv_vmid_rwlock);
	vmids = bitmap_weight(sv_vmids, SV_NR_VMIDS);
	rollovers = sv_vmid_rollovers;
	read_unlock(&sv_vmid_rwlock);
	seq_printf(m, "vms: %d\n", sv_vm_count());
	seq_printf(m, "vmids: %u (rollovers %llu)\n", vmids, rollovers);
	seq_printf(m, "pinned_pages: %ld\n", atomic_long_read(&sv_nr_pinned));
}

static u32 sv_max_ipa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };
	u64 parange = read_sysreg_s(SYS_ID_AA64MMFR0_EL1) & 0xf;

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}


static long sv_check_extension(unsigned long cap)
{
	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_ONE_REG:
	case KVM_CAP_ARM_PSCI:
	case KVM_CAP_ARM_PSCI_0_2:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_SYNC_MMU:
		return 1;
	case KVM_CAP_NR_VCPUS:
	case KVM_CAP_MAX_VCPUS:
		return SV_MAX_VCPUS;
	case KVM_CAP_MAX_VCPU_ID:
		return SV_MAX_VCPUS;
	case KVM_CAP_NR_MEMSLOTS:
		return SV_MAX_MEMSLOTS;
	case KVM_CAP_ARM_VM_IPA_SIZE:
		return sv_max_ipa_bits();
	default:
		return 0;
	}
}

/* --- VMIDs ---------------------------------------------------------------- */

static u64 sv_vm_vttbr(struct sv_vm *vm)
{
	return vm->vmid << SV_VMID_SHIFT | vm->s2.root_pa.pa;
}

/* Give vm a VMID of the current generation; write-locked. */
static void sv_vmid_assign_locked(struct sv_vm *vm)
{
	struct sv_hvc_res res;
	unsigned long id;

	if (vm->vmid_gen == sv_vmid_gen)
		return;		/* another vCPU of the VM was first */
	id = find_next_zero_bit(sv_vmids, SV_NR_VMIDS, 1);
	if (id >= SV_NR_VMIDS) {
		sv_vmid_gen++;
		sv_vmid_rollovers++;
		bitmap_zero(sv_vmids, SV_NR_VMIDS);
		if (sv_call_el2(SV_HC_ID(SV_HC_FLUSH_GUESTS), 0, &res))
			pr_err("VMID rollover: guest TLB flush failed\n");
		id = 1;
	}
	__set_bit(id, sv_vmids);
	vm->vmid = id;
	WRITE_ONCE(vm->vmid_gen, sv_vmid_gen);
}

/*
 * Before entering a guest, interrupts off: returns the VTTBR to run with
 * and holds sv_vmid_rwlock for reading until sv_vmid_exit().
 */
u64 sv_vmid_enter(struct sv_vm *vm)
{
	for (;;) {
		read_lock(&sv_vmid_rwlock);
		if (READ_ONCE(vm->vmid_gen) == READ_ONCE(sv_vmid_gen))
			return sv_vm_vttbr(vm);
		read_unlock(&sv_vmid_rwlock);
		write_lock(&sv_vmid_rwlock);
		sv_vmid_assign_locked(vm);
		write_unlock(&sv_vmid_rwlock);
	}
}

void sv_vmid_exit(void)
{
	read_unlock(&sv_vmid_rwlock);
}

/*
 * Drop every TLB entry tagged with the VM's VMID, on all CPUs. A VMID of
 * an old generation has none left: the rollover flushed them.
 */
static void sv_vm_flush_tlb(struct sv_vm *vm)
{
	struct sv_hvc_res res;

	read_lock(&sv_vmid_rwlock);
	if (vm->vmid_gen == sv_vmid_gen &&
	    sv_call_el2(SV_HC_ID(SV_HC_FLUSH_VMID), sv_vm_vttbr(vm), &res))
		pr_err("VM %llu: TLB flush for VMID %llu failed\n", vm->id,
		       vm->vmid);
	read_unlock(&sv_vmid_rwlock);
}

static void sv_vmid_free(struct sv_vm *vm)
{
	/* The next VM with this VMID must not hit our translations. */
	sv_vm_flush_tlb(vm);
	write_lock(&sv_vmid_rwlock);
	if (vm->vmid_gen == sv_vmid_gen)
		__clear_bit(vm->vmid, sv_vmids);
	write_unlock(&sv_vmid_rwlock);
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

static struct sv_memslot *sv_find_slot(struct sv_vm *vm, sv_ipa_t ipa)
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
static void sv_slot_release(struct sv_vm *vm, struct sv_memslot *s,
			    bool flush)
{
	u64 i;

	if (!s->used)
		return;
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
	kvfree(s->pages);
	bitmap_free(s->writable);
	memset(s, 0, sizeof(*s));
}

static int sv_set_memory_region(struct sv_vm *vm,
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

/* --- VM lifetime ----------------------------------------------------------- */

static void sv_vm_release(struct kref *ref)
{
	struct sv_vm *vm = container_of(ref, struct sv_vm, ref);
	int i;

	for (i = 0; i < SV_MAX_MEMSLOTS; i++)
		sv_slot_release(vm, &vm->slots[i], false);
	WARN_ON(vm->pinned);
	sv_vmid_free(vm);
	sv_pgt_destroy(&vm->s2);
	mmdrop(vm->mm);
	kfree(vm);
	atomic_dec(&sv_nr_vms);
}

void sv_vm_put(struct sv_vm *vm)
{
	kref_put(&vm->ref, sv_vm_release);
}

static long sv_vm_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	struct sv_vm *vm = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (vm->mm != current->mm)
		return -EIO;
	switch (cmd) {
	case KVM_CHECK_EXTENSION:
		return sv_check_extension(arg);
	case KVM_CREATE_VCPU:
		return sv_vcpu_create(vm, arg);
	case KVM_SET_USER_MEMORY_REGION: {
		struct kvm_userspace_memory_region r;

		if (copy_from_user(&r, uarg, sizeof(r)))
			return -EFAULT;
		return sv_set_memory_region(vm, &r);
	}
	case KVM_ARM_PREFERRED_TARGET: {
		struct kvm_vcpu_init init = {
			.target = KVM_ARM_TARGET_GENERIC_V8,
		};

		if (copy_to_user(uarg, &init, sizeof(init)))
			return -EFAULT;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int sv_vm_file_release(struct inode *inode, struct file *file)
{
	sv_vm_put(file->private_data);
	return 0;
}

static const struct file_operations sv_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= sv_vm_file_release,
	.unlocked_ioctl	= sv_vm_ioctl,
	.llseek		= noop_llseek,
};

static int sv_create_vm(unsigned long type)
{
	u32 ipa_bits = type & KVM_VM_TYPE_ARM_IPA_SIZE_MASK;
	struct sv_vm *vm;
	int fd, ret;

	if (type & ~KVM_VM_TYPE_ARM_IPA_SIZE_MASK)
		return -EINVAL;
	if (!ipa_bits)
		ipa_bits = SV_IPA_BITS_DEFAULT;
	if (ipa_bits < SV_IPA_BITS_MIN || ipa_bits > sv_max_ipa_bits())
		return -EINVAL;
	if (sv.mode != SV_MODE_SPLIT)
		return -ENODEV;	/* VHE guests are a later step */

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	vm->id = atomic64_inc_return(&sv_next_vm_id);
	vm->ipa_bits = ipa_bits;
	vm->cntvoff = __arch_counter_get_cntpct();
	ret = sv_pgt_init(&vm->s2, &sv_s2_ops, SV_PGT_S2, ipa_bits);
	if (ret)
		goto err_free;
	/* PS: the host's PA size, capped at 48 bits, as KVM does. */
	vm->vtcr = SV_VTCR_RES1 | (64 - ipa_bits) |
		   (vm->s2.start_level ? SV_VTCR_SL0_L1 : SV_VTCR_SL0_L0) |
		   SV_VTCR_IRGN0_WBWA | SV_VTCR_ORGN0_WBWA | SV_VTCR_SH0_INNER |
		   (min_t(u64, read_sysreg_s(SYS_ID_AA64MMFR0_EL1) & 0xf, 5) <<
		    SV_VTCR_PS_SHIFT);
	mmgrab(current->mm);
	vm->mm = current->mm;
	atomic_inc(&sv_nr_vms);

	fd = anon_inode_getfd("splitvisor-vm", &sv_vm_fops, vm,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0)
		sv_vm_put(vm);
	return fd;

err_free:
	kfree(vm);
	return ret;
}

static long sv_dev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	switch (cmd) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : KVM_API_VERSION;
	case KVM_CREATE_VM:
		return sv_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return sv_check_extension(arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	default:
		return -EINVAL;
	}
}

static const struct file_operations sv_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= sv_dev_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice sv_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "splitvisor",
	.fops	= &sv_dev_fops,
	.mode	= 0600,
};

int sv_dev_init(void)
{
	sv_id_regs_init();
	return misc_register(&sv_misc);
}

void sv_dev_exit(void)
{
	misc_deregister(&sv_misc);
}
