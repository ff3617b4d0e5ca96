// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU files: their lifetime, the vCPU ioctls, load/put, requests and
 * kicks, the KVM_RUN loop and the mmap'd struct kvm_run. The register
 * state lives in a struct sv_vcpu that EL2 switches in and out.
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

#include "hyp_ops.h"
#include "stats.h"
#include "trace.h"
#include "vm.h"

/*
 * vCPU load and put: what follows the vCPU's thread from one physical CPU
 * to another, as KVM's kvm_arch_vcpu_load()/put(), driven by preempt
 * notifiers while KVM_RUN runs. Preemption is off in both.
 */
static void sv_vcpu_arch_load(struct sv_vcpu_host *v, int cpu)
{
	struct sv_vm *vm = v->vm;
	int *last_ran = per_cpu_ptr(vm->last_vcpu_ran, cpu);
	bool flush = false;

	v->cpu = cpu;
	/* The host's EL1 state EL2 keeps for this CPU may be another thread's. */
	v->host_save = true;
	/*
	 * KVM's last_vcpu_ran rule: all vCPUs of a VM share its VMID, so
	 * another vCPU's stage-1 TLB entries left on this CPU (same VMID,
	 * same ASID, maybe other page tables) and, on a VIPT I-cache,
	 * its instructions must go before this one runs here.
	 */
	if (*last_ran != v->id) {
		flush = true;
		if (atomic64_read(&vm->vmid) &&
		    sv_hyp->flush_cpu_ctxt(sv_vm_vttbr(vm))) {
			*last_ran = -1;		/* not flushed: next time */
		} else {
			*last_ran = v->id;
			sv_stat_inc(flush_cpu_ctxt);
		}
	}
	trace_sv_vcpu_load(vm->id, v->id, cpu, flush);
}

static void sv_vcpu_arch_put(struct sv_vcpu_host *v)
{
	if (sv_hyp->vcpu_put)
		sv_hyp->vcpu_put(v->hyp);
	sv_vmid_clear_active();
	v->cpu = -1;
}

static struct sv_vcpu_host *sv_pn_vcpu(struct preempt_notifier *pn)
{
	return container_of(pn, struct sv_vcpu_host, pn);
}

static void sv_sched_in(struct preempt_notifier *pn, int cpu)
{
	sv_vcpu_arch_load(sv_pn_vcpu(pn), cpu);
}

static void sv_sched_out(struct preempt_notifier *pn,
			 struct task_struct *next)
{
	sv_vcpu_arch_put(sv_pn_vcpu(pn));
}

static struct preempt_ops sv_preempt_ops = {
	.sched_in	= sv_sched_in,
	.sched_out	= sv_sched_out,
};

static void sv_vcpu_load(struct sv_vcpu_host *v)
{
	int cpu = get_cpu();

	v->task = current;
	preempt_notifier_init(&v->pn, &sv_preempt_ops);
	preempt_notifier_register(&v->pn);
	sv_vcpu_arch_load(v, cpu);
	put_cpu();
}

static void sv_vcpu_put(struct sv_vcpu_host *v)
{
	preempt_disable();
	sv_vcpu_arch_put(v);
	preempt_notifier_unregister(&v->pn);
	v->task = NULL;
	preempt_enable();
}

/*
 * Requests and kicks, as KVM's: a request is a bit the vCPU's thread
 * looks at with interrupts off right before entering; a kick makes a
 * vCPU in (or entering) the guest exit, by an IPI to its CPU, which the
 * guest cannot mask (HCR_EL2.IMO).
 */
void sv_vcpu_kick(struct sv_vcpu_host *v)
{
	struct task_struct *task;

	if (cmpxchg(&v->mode, SV_IN_GUEST_MODE, SV_EXITING_GUEST_MODE) !=
	    SV_IN_GUEST_MODE)
		return;
	/* Only a running thread can be in the guest: IPI its CPU. */
	task = READ_ONCE(v->task);
	if (task)
		kick_process(task);
}

void sv_vcpu_request(struct sv_vcpu_host *v, int req)
{
	/* The request is visible before the vCPU can see the kick. */
	smp_wmb();
	set_bit(req, &v->requests);
	sv_vcpu_kick(v);
}

/* vm->lock held. */
void sv_vm_kick_all(struct sv_vm *vm, int req)
{
	int i;

	for (i = 0; i < SV_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			sv_vcpu_request(vm->vcpus[i], req);
}

static int sv_vcpu_wait_power_on(struct sv_vcpu_host *v)
{
	if (v->power_off &&
	    wait_event_interruptible(v->wq, !READ_ONCE(v->power_off))) {
		v->run->exit_reason = KVM_EXIT_INTR;
		return -EINTR;
	}
	return 0;
}

/* Interrupts on. 0: enter; <0: back to the VMM. */
static int sv_vcpu_handle_requests(struct sv_vcpu_host *v)
{
	if (!READ_ONCE(v->requests))
		return 0;
	if (test_and_clear_bit(SV_REQ_SLEEP, &v->requests))
		return sv_vcpu_wait_power_on(v);
	return 0;
}

/*
 * One entry into the guest and back. 0: it ran, *exit says why it left;
 * 1: not entered, something is pending (request, signal, VMID rollover);
 * < 0: it could not run here.
 */
static int sv_vcpu_enter(struct sv_vcpu_host *v, u64 *exit, int *cpu)
{
	struct sv_vm *vm = v->vm;
	bool fp = v->fp_active;
	u64 pmu_el0 = 0;
	int ret;

	/*
	 * Once the guest uses FP/SIMD, kernel_neon_begin() saves the host
	 * task's FP/SIMD (and SVE) state, so EL2 only moves the guest's
	 * V0-V31. Interrupts stay off until the guest is out: a host IRQ
	 * arriving meanwhile makes the guest exit (HCR_EL2.IMO) and is
	 * taken right after.
	 */
	if (fp)
		kernel_neon_begin();
	sv_debug_setup(v);
	local_irq_disable();
	*cpu = smp_processor_id();
	if (unlikely(sv_vcpu_has_pmu(v)))
		pmu_el0 = sv_pmu_guest_enter(v);
	ret = sv_vmid_update(vm);
	/*
	 * IN_GUEST_MODE before looking at requests, so a kick between the
	 * two is not lost (pairs with the cmpxchg in sv_vcpu_kick()); a VMID
	 * rollover since the update means another round, as in KVM. A
	 * signal from here on comes with an IPI (signal_wake_up() ->
	 * kick_process()), which makes the entry return at once (ISR_EL1).
	 */
	smp_store_mb(v->mode, SV_IN_GUEST_MODE);
	if (!ret && (READ_ONCE(v->requests) || !sv_vmid_is_current(vm)))
		ret = 1;
	if (!ret) {
		v->hyp->cfg.vttbr = sv_vm_vttbr(vm);
		trace_sv_vcpu_enter(vm->id, v->id, v->hyp->ctxt.regs.elr);
		ret = sv_hyp->vcpu_run(v->hyp, v->hyp_el2va,
				       v->host_save ? SV_RUN_HOST_SAVE : 0, exit);
		if (!ret) {
			v->host_save = false;
			sv_stats_exit(*exit, v->hyp->fault.esr);
		}
	}
	WRITE_ONCE(v->mode, SV_OUTSIDE_GUEST_MODE);
	if (unlikely(pmu_el0))
		sv_pmu_guest_exit(pmu_el0);
	local_irq_enable();
	sv_debug_clear(v);
	if (fp)
		kernel_neon_end();
	return ret;
}

/* Until the guest exits to the VMM: > 0 never returned. */
static int sv_vcpu_run_loop(struct sv_vcpu_host *v)
{
	struct kvm_run *run = v->run;
	u64 exit = SV_EXIT_SYNC;	/* just in from user space: no tick owed */
	int cpu, ret;

	for (;;) {
		if (signal_pending(current)) {
			run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
		/*
		 * As KVM's xfer_to_guest_mode_handle_work(): the CPU goes to
		 * another task only when the scheduler asks. cond_resched()
		 * also tells RCU of a quiescent state (rcu_all_qs()), which a
		 * CPU looping here through guest exits gives at least once
		 * per host tick: the tick is an IRQ exit.
		 */
		if (exit != SV_EXIT_SYNC || need_resched())
			cond_resched();
		ret = sv_vcpu_handle_requests(v);
		if (ret)
			return ret;
		ret = sv_vcpu_enter(v, &exit, &cpu);
		if (ret > 0)
			continue;
		if (ret) {
			run->exit_reason = KVM_EXIT_FAIL_ENTRY;
			run->fail_entry.hardware_entry_failure_reason = ret;
			run->fail_entry.cpu = cpu;
			return 0;
		}
		trace_sv_vcpu_exit(v->vm->id, v->id, exit, v->hyp->fault.esr,
				   v->hyp->ctxt.regs.elr);
		ret = sv_handle_exit(v, exit);
		if (ret <= 0)
			return ret;
	}
}

static int sv_vcpu_run(struct sv_vcpu_host *v)
{
	struct kvm_run *run = v->run;
	int ret;

	if (!v->initialized)
		return -ENOEXEC;
	if (v->vm->mm != current->mm)
		return -EIO;
	/* As KVM's kvm_vcpu_first_run_init(): before MMIO and immediate_exit. */
	if (unlikely(sv_vcpu_has_pmu(v))) {
		ret = sv_pmu_first_run(v);
		if (ret)
			return ret;
	}
	if (v->mmio.active)
		sv_mmio_complete(v);
	/*
	 * As KVM 6.1 kvm_arch_vcpu_ioctl_run(): immediate_exit returns
	 * -EINTR before anything else, leaving kvm_run as the VMM left it
	 * (its selftests read the previous exit's ucall after such a run).
	 */
	if (sv_run_immediate_exit(run))
		return -EINTR;
	run->exit_reason = KVM_EXIT_UNKNOWN;
	run->flags = 0;
	ret = sv_vcpu_wait_power_on(v);
	if (ret)
		return ret;
	WRITE_ONCE(v->vm->has_run, true);
	v->has_run = true;

	sv_vcpu_load(v);
	ret = sv_vcpu_run_loop(v);
	sv_vcpu_put(v);
	return ret;
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
		/* An immediate_exit leaves the last exit's reason in place. */
		if ((!ret || v->run->exit_reason == KVM_EXIT_INTR) &&
		    v->run->exit_reason < SV_NR_EXIT_REASONS)
			sv_stat_inc(vmm_exits[v->run->exit_reason]);
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
	case KVM_SET_GUEST_DEBUG:
		ret = sv_set_guest_debug(v, uarg);
		break;
	case KVM_HAS_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_SET_DEVICE_ATTR: {
		struct kvm_device_attr attr;

		if (copy_from_user(&attr, uarg, sizeof(attr))) {
			ret = -EFAULT;
			break;
		}
		/*
		 * Of the vCPU attribute groups only the PMU's exists (no
		 * timer IRQs, no stolen time): KVM 6.1 answers ENXIO for a
		 * group it does not have (kvm_arm_vcpu_arch_has_attr()).
		 */
		if (attr.group != KVM_ARM_VCPU_PMU_V3_CTRL)
			ret = -ENXIO;
		else if (cmd == KVM_HAS_DEVICE_ATTR)
			ret = sv_pmu_has_attr(v, &attr);
		else if (cmd == KVM_GET_DEVICE_ATTR)
			ret = sv_pmu_get_attr(v, &attr);
		else
			ret = sv_pmu_set_attr(v, &attr);
		break;
	}
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
	sv_pmu_vcpu_destroy(v);
	sv_el2_free_mapped(v->hyp, sizeof(*v->hyp));
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
	v->cpu = -1;
	sv_pmu_vcpu_init(v);
	v->hyp = sv_el2_alloc_mapped(sizeof(*v->hyp));
	v->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!v->hyp || !v->run) {
		sv_vcpu_free(v);
		return -ENOMEM;
	}
	v->hyp_el2va = sv_pa_to_el2((sv_pa_t){ virt_to_phys(v->hyp) }).va;

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
