// SPDX-License-Identifier: GPL-2.0
/*
 * VM files: the VM-level KVM ioctls and the VM's lifetime. A VM owns its
 * memory slots, its stage-2 tables and a VMID; the VM file and each vCPU
 * file hold a reference on the VM, and on the module (fops owner), so the
 * module cannot be unloaded while a VM exists.
 */
#include "splitvisor.h"

#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/arch_timer.h>

#include "vm.h"

static atomic_t sv_nr_vms = ATOMIC_INIT(0);
static atomic64_t sv_next_vm_id = ATOMIC64_INIT(0);

int sv_vm_count(void)
{
	return atomic_read(&sv_nr_vms);
}

/* What all VMs hold: checked by the tests after a VMM is killed. */
void sv_vm_resources_show(struct seq_file *m)
{
	seq_printf(m, "vms: %d\n", sv_vm_count());
	sv_vmid_show(m);
	sv_mmu_show(m);
}

static void sv_vm_release(struct kref *ref)
{
	struct sv_vm *vm = container_of(ref, struct sv_vm, ref);

	/* No notifier call may come once the tables are gone. */
	sv_mmu_notifier_unregister(vm);
	sv_memslots_release(vm);
	sv_vmid_free(vm);
	sv_s2_destroy(vm);
	sv_pmu_vm_destroy(vm);
	mmdrop(vm->mm);
	free_percpu(vm->last_vcpu_ran);
	kfree(vm);
	atomic_dec(&sv_nr_vms);
}

void sv_vm_put(struct sv_vm *vm)
{
	kref_put(&vm->ref, sv_vm_release);
}

/* KVM_ENABLE_CAP on a VM, as KVM 6.1's kvm_vm_ioctl_enable_cap_generic(). */
static int sv_vm_enable_cap(struct sv_vm *vm, struct kvm_enable_cap *cap)
{
	u64 allowed = KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE;

	if (cap->flags)
		return -EINVAL;
	switch (cap->cap) {
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		if (cap->args[0] & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE)
			allowed = SV_DIRTY_LOG_MANUAL_CAPS;
		if (cap->args[0] & ~allowed)
			return -EINVAL;
		down_write(&vm->slots_lock);
		vm->manual_dirty_log_protect = cap->args[0];
		vm->dirty_log_init_set = cap->args[0] &
					 KVM_DIRTY_LOG_INITIALLY_SET;
		up_write(&vm->slots_lock);
		return 0;
	default:
		return -EINVAL;
	}
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
	case KVM_GET_DIRTY_LOG: {
		struct kvm_dirty_log log;

		if (copy_from_user(&log, uarg, sizeof(log)))
			return -EFAULT;
		return sv_get_dirty_log(vm, &log);
	}
	case KVM_CLEAR_DIRTY_LOG: {
		struct kvm_clear_dirty_log log;

		if (copy_from_user(&log, uarg, sizeof(log)))
			return -EFAULT;
		return sv_clear_dirty_log(vm, &log);
	}
	case KVM_ENABLE_CAP: {
		struct kvm_enable_cap cap;

		if (copy_from_user(&cap, uarg, sizeof(cap)))
			return -EFAULT;
		return sv_vm_enable_cap(vm, &cap);
	}
	case KVM_ARM_PREFERRED_TARGET: {
		struct kvm_vcpu_init init = {
			.target = KVM_ARM_TARGET_GENERIC_V8,
		};

		if (copy_to_user(uarg, &init, sizeof(init)))
			return -EFAULT;
		return 0;
	}
	case KVM_CREATE_DEVICE: {
		struct kvm_create_device cd;

		/*
		 * No in-kernel device (vGIC, ITS, VFIO) yet: as KVM 6.1
		 * kvm_ioctl_create_device() for a type it does not know.
		 */
		if (copy_from_user(&cd, uarg, sizeof(cd)))
			return -EFAULT;
		return -ENODEV;
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

int sv_vm_create(unsigned long type)
{
	u32 ipa_bits = type & KVM_VM_TYPE_ARM_IPA_SIZE_MASK;
	struct sv_vm *vm;
	int fd, ret, cpu;

	if (type & ~KVM_VM_TYPE_ARM_IPA_SIZE_MASK)
		return -EINVAL;
	if (!ipa_bits)
		ipa_bits = SV_IPA_BITS_DEFAULT;
	if (ipa_bits < SV_IPA_BITS_MIN || ipa_bits > sv_max_ipa_bits())
		return -EINVAL;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	init_rwsem(&vm->slots_lock);
	rwlock_init(&vm->mmu_lock);
	mutex_init(&vm->dirty_log_lock);
	vm->id = atomic64_inc_return(&sv_next_vm_id);
	vm->ipa_bits = ipa_bits;
	vm->cntvoff = __arch_counter_get_cntpct();
	sv_vm_id_regs_init(vm);
	sv_vm_smccc_init(vm);
	vm->last_vcpu_ran = alloc_percpu_gfp(int, GFP_KERNEL_ACCOUNT);
	if (!vm->last_vcpu_ran) {
		ret = -ENOMEM;
		goto err_free;
	}
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(vm->last_vcpu_ran, cpu) = -1;
	ret = sv_s2_init(vm);
	if (ret)
		goto err_free;
	mmgrab(current->mm);
	vm->mm = current->mm;
	ret = sv_mmu_notifier_register(vm);
	if (ret)
		goto err_mm;
	atomic_inc(&sv_nr_vms);

	fd = anon_inode_getfd("splitvisor-vm", &sv_vm_fops, vm,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0)
		sv_vm_put(vm);
	return fd;

err_mm:
	mmdrop(vm->mm);
	sv_s2_destroy(vm);
err_free:
	free_percpu(vm->last_vcpu_ran);
	kfree(vm);
	return ret;
}
