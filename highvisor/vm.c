// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/splitvisor: the KVM arm64 ioctl ABI (Documentation/virt/kvm/api.rst).
 * Today a VM is an empty container: no memory or vCPU ioctls yet, so the
 * device answers the system ioctls and every capability with 0, as KVM does
 * for what it does not support. Each VM file holds a reference on the
 * module (anon inode fops owner), so the module cannot be unloaded while a
 * VM exists.
 */
#include "splitvisor.h"

#include <linux/anon_inodes.h>
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

struct sv_vm {
	u64 id;
};

static atomic_t sv_nr_vms = ATOMIC_INIT(0);
static atomic64_t sv_next_vm_id = ATOMIC64_INIT(0);

int sv_vm_count(void)
{
	return atomic_read(&sv_nr_vms);
}

static long sv_check_extension(unsigned long cap)
{
	/* Nothing optional is implemented yet: answer like KVM for "no". */
	return 0;
}

static long sv_vm_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	switch (cmd) {
	case KVM_CHECK_EXTENSION:
		return sv_check_extension(arg);
	default:
		return -EINVAL;
	}
}

static int sv_vm_release(struct inode *inode, struct file *file)
{
	struct sv_vm *vm = file->private_data;

	kfree(vm);
	atomic_dec(&sv_nr_vms);
	return 0;
}

static const struct file_operations sv_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= sv_vm_release,
	.unlocked_ioctl	= sv_vm_ioctl,
	.llseek		= noop_llseek,
};

static int sv_create_vm(unsigned long type)
{
	struct sv_vm *vm;
	int fd;

	/*
	 * Bits 7:0 choose the IPA size, only when KVM_CAP_ARM_VM_IPA_SIZE
	 * is offered; it is not, so only the default (0) is valid.
	 */
	if (type)
		return -EINVAL;
	if (sv.mode != SV_MODE_SPLIT)
		return -ENODEV;	/* VHE guests are a later step */

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	vm->id = atomic64_inc_return(&sv_next_vm_id);
	atomic_inc(&sv_nr_vms);
	fd = anon_inode_getfd("splitvisor-vm", &sv_vm_fops, vm,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		atomic_dec(&sv_nr_vms);
		kfree(vm);
	}
	return fd;
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
	return misc_register(&sv_misc);
}

void sv_dev_exit(void)
{
	misc_deregister(&sv_misc);
}
