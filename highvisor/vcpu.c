// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU files: their lifetime, the vCPU ioctls, KVM_RUN and the mmap'd
 * struct kvm_run. The register state lives in a struct sv_vcpu that EL2
 * switches in and out.
 */
#include "splitvisor.h"

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/kvm_arm.h>
#include <asm/neon.h>

#include "vm.h"

static int sv_vcpu_run(struct sv_vcpu_host *v)
{
	struct kvm_run *run = v->run;
	struct sv_hvc_res res;
	u64 el2va = sv_pa_to_el2((sv_pa_t){ virt_to_phys(v->ctxt) }).va;
	bool fp;
	int cpu, ret;

	if (!v->initialized)
		return -ENOEXEC;
	if (v->vm->mm != current->mm)
		return -EIO;
	if (v->mmio.active)
		sv_mmio_complete(v);
	if (sv_run_immediate_exit(run)) {
		run->exit_reason = KVM_EXIT_INTR;
		return -EINTR;
	}
	if (v->power_off &&
	    wait_event_interruptible(v->wq, !READ_ONCE(v->power_off))) {
		run->exit_reason = KVM_EXIT_INTR;
		return -EINTR;
	}

	for (;;) {
		if (signal_pending(current)) {
			run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
		cond_resched();

		/*
		 * Once the guest uses FP/SIMD, kernel_neon_begin() saves the
		 * host task's FP/SIMD (and SVE) state, so EL2 only moves the
		 * guest's V0-V31. Interrupts stay off until the guest is out:
		 * a host IRQ arriving meanwhile makes the guest exit
		 * (HCR_EL2.IMO) and is taken right after.
		 */
		fp = v->fp_active;
		if (fp)
			kernel_neon_begin();
		local_irq_disable();
		cpu = smp_processor_id();
		v->ctxt->cfg.vttbr = sv_vmid_enter(v->vm);
		if (sv.cpus[cpu].up)
			sv_hvc(SV_HC_ID(SV_HC_VCPU_RUN), el2va, &res);
		else
			res.a0 = (u64)SV_RET_NOT_SUPPORTED;
		sv_vmid_exit();
		local_irq_enable();
		if (fp)
			kernel_neon_end();

		if (res.a0 != SV_RET_OK) {
			sv_el2_report(cpu, "vCPU run", &res);
			run->exit_reason = KVM_EXIT_FAIL_ENTRY;
			run->fail_entry.hardware_entry_failure_reason = res.a0;
			run->fail_entry.cpu = cpu;
			return 0;
		}
		ret = sv_handle_exit(v, res.a1);
		if (ret <= 0)
			return ret;
	}
}

/* KVM_SET_SIGNAL_MASK, as KVM's kvm_vcpu_ioctl_set_sigmask(). */
static int sv_vcpu_set_sigmask(struct sv_vcpu_host *v,
			       struct kvm_signal_mask __user *arg)
{
	struct kvm_signal_mask m;
	sigset_t set;

	if (!arg) {
		v->sigset_active = false;
		return 0;
	}
	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (m.len != sizeof(set))
		return -EINVAL;
	if (copy_from_user(&set, arg->sigset, sizeof(set)))
		return -EFAULT;
	sigdelsetmask(&set, sigmask(SIGKILL) | sigmask(SIGSTOP));
	v->sigset = set;
	v->sigset_active = true;
	return 0;
}

/*
 * The mask applies while KVM_RUN runs (kvm_sigset_activate()); only
 * current changes real_blocked, so no lock is needed.
 */
static long sv_vcpu_run_masked(struct sv_vcpu_host *v)
{
	long ret;

	if (v->sigset_active)
		sigprocmask(SIG_SETMASK, &v->sigset, &current->real_blocked);
	ret = sv_vcpu_run(v);
	if (v->sigset_active) {
		sigprocmask(SIG_SETMASK, &current->real_blocked, NULL);
		sigemptyset(&current->real_blocked);
	}
	return ret;
}

static long sv_vcpu_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct sv_vcpu_host *v = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct kvm_vcpu_init init;
	long ret;

	if (v->vm->mm != current->mm)
		return -EIO;
	if (mutex_lock_killable(&v->lock))
		return -EINTR;
	switch (cmd) {
	case KVM_RUN:
		ret = arg ? -EINVAL : sv_vcpu_run_masked(v);
		if (!ret || ret == -EINTR)
			sv_exit_counters_vmm(v->run->exit_reason);
		break;
	case KVM_ARM_VCPU_INIT:
		ret = -EFAULT;
		if (!copy_from_user(&init, uarg, sizeof(init)))
			ret = sv_vcpu_init(v, &init);
		break;
	case KVM_SET_SIGNAL_MASK:
		ret = sv_vcpu_set_sigmask(v, uarg);
		break;
	case KVM_GET_ONE_REG:
	case KVM_SET_ONE_REG:
		ret = v->initialized ? sv_one_reg(v, cmd, uarg) : -ENOEXEC;
		break;
	case KVM_GET_REG_LIST:
		ret = v->initialized ? sv_reg_list(v, uarg) : -ENOEXEC;
		break;
	default:
		ret = -EINVAL;
	}
	mutex_unlock(&v->lock);
	return ret;
}

static int sv_vcpu_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct sv_vcpu_host *v = file->private_data;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start > PAGE_SIZE)
		return -EINVAL;
	return remap_pfn_range(vma, vma->vm_start,
			       virt_to_phys(v->run) >> PAGE_SHIFT, PAGE_SIZE,
			       vma->vm_page_prot);
}

static void sv_vcpu_free(struct sv_vcpu_host *v)
{
	if (v->ctxt)
		sv_exit_counters_retire(v);
	sv_el2_free_mapped(v->ctxt, sizeof(*v->ctxt));
	free_page((unsigned long)v->run);
	kfree(v);
}

static int sv_vcpu_release(struct inode *inode, struct file *file)
{
	struct sv_vcpu_host *v = file->private_data;
	struct sv_vm *vm = v->vm;

	mutex_lock(&vm->lock);
	vm->vcpus[v->id] = NULL;
	mutex_unlock(&vm->lock);
	sv_vcpu_free(v);
	sv_vm_put(vm);
	return 0;
}

static const struct file_operations sv_vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= sv_vcpu_release,
	.unlocked_ioctl	= sv_vcpu_ioctl,
	.mmap		= sv_vcpu_mmap,
	.llseek		= noop_llseek,
};

int sv_vcpu_create(struct sv_vm *vm, unsigned long id)
{
	struct sv_vcpu_host *v;
	int fd;

	if (id >= SV_MAX_VCPUS)
		return -EINVAL;
	v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	if (!v)
		return -ENOMEM;
	v->vm = vm;
	v->id = id;
	mutex_init(&v->lock);
	init_waitqueue_head(&v->wq);
	v->ctxt = sv_el2_alloc_mapped(sizeof(*v->ctxt));
	v->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!v->ctxt || !v->run) {
		sv_vcpu_free(v);
		return -ENOMEM;
	}

	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		mutex_unlock(&vm->lock);
		sv_vcpu_free(v);
		return -EEXIST;
	}
	vm->vcpus[id] = v;
	kref_get(&vm->ref);
	mutex_unlock(&vm->lock);

	fd = anon_inode_getfd("splitvisor-vcpu", &sv_vcpu_fops, v,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		mutex_lock(&vm->lock);
		vm->vcpus[id] = NULL;
		mutex_unlock(&vm->lock);
		sv_vcpu_free(v);
		sv_vm_put(vm);
	}
	return fd;
}
