// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/splitvisor: the system-level KVM arm64 ioctls
 * (Documentation/virt/kvm/api.rst) and the capabilities both it and VM
 * files answer.
 */
#include "splitvisor.h"

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "vm.h"


long sv_check_extension(unsigned long cap)
{
	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_ONE_REG:
	case KVM_CAP_ARM_PSCI:
	case KVM_CAP_ARM_PSCI_0_2:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_SYNC_MMU:
	case KVM_CAP_SET_GUEST_DEBUG:
		return 1;
	case KVM_CAP_SET_GUEST_DEBUG2:
		return KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP |
		       KVM_GUESTDBG_USE_HW | KVM_GUESTDBG_SINGLESTEP;
	case KVM_CAP_GUEST_DEBUG_HW_BPS:
		return sv_debug_num_brps();
	case KVM_CAP_GUEST_DEBUG_HW_WPS:
		return sv_debug_num_wrps();
	case KVM_CAP_NR_VCPUS:
	case KVM_CAP_MAX_VCPUS:
		return SV_MAX_VCPUS;
	case KVM_CAP_MAX_VCPU_ID:
		return SV_MAX_VCPUS;
	case KVM_CAP_NR_MEMSLOTS:
		return SV_MAX_MEMSLOTS;
	case KVM_CAP_ARM_VM_IPA_SIZE:
		return sv_max_ipa_bits();
	case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2:
		return SV_DIRTY_LOG_MANUAL_CAPS;
	case KVM_CAP_ARM_PMU_V3:
		return sv_pmu_supported();
	default:
		return 0;
	}
}

static long sv_dev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	switch (cmd) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : KVM_API_VERSION;
	case KVM_CREATE_VM:
		return sv_vm_create(arg);
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
	int ret = sv_sys_regs_init();

	if (ret)
		return ret;
	ret = sv_pmu_init();
	if (ret)
		return ret;
	return misc_register(&sv_misc);
}

void sv_dev_exit(void)
{
	misc_deregister(&sv_misc);
}
