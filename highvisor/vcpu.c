// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU files: KVM_ARM_VCPU_INIT, KVM_GET/SET_ONE_REG, KVM_GET_REG_LIST,
 * KVM_RUN and the mmap'd struct kvm_run. The register state lives in a
 * struct sv_vcpu that EL2 switches in and out.
 */
#include "splitvisor.h"

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cputype.h>
#include <asm/kvm_arm.h>
#include <asm/neon.h>

#include "vm.h"

#define SV_PSTATE_RESET		(PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | \
				 PSR_F_BIT | PSR_MODE_EL1h)
#define SV_SCTLR_EL1_RESET	0x00c50078ULL	/* RES1 bits, MMU off */
#define SV_SUPPORTED_FEATURES	(BIT(KVM_ARM_VCPU_POWER_OFF) | \
				 BIT(KVM_ARM_VCPU_PSCI_0_2))

/* HCR_EL2 for guests, ARM ARM D13.2.48. */
#define SV_HCR_GUEST	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | \
			 HCR_AMO | HCR_BSU_IS | HCR_FB | HCR_TSC | HCR_TWE | \
			 HCR_TWI | HCR_TID3 | HCR_TIDCP | HCR_TACR | HCR_TSW | \
			 HCR_RW)
/*
 * CPTR_EL2: SVE and trace trap; FP/SIMD traps (TFP) until the guest first
 * uses it, and is switched with the rest of its state from then on.
 */
#define SV_CPTR_GUEST	(0x32ffULL | CPTR_EL2_TZ | CPTR_EL2_TTA | \
			 CPTR_EL2_TFP)
/* MDCR_EL2: debug, OS lock, ROM and PMU accesses trap. */
#define SV_MDCR_TRAPS	(MDCR_EL2_TDRA | MDCR_EL2_TDOSA | MDCR_EL2_TDA | \
			 MDCR_EL2_TPM | MDCR_EL2_TPMCR)
/* CNTHCTL_EL2: the physical counter reads, the physical timer traps. */
#define SV_CNTHCTL_GUEST	0x1ULL

static void sv_vcpu_cfg_init(struct sv_vcpu_host *v)
{
	struct sv_vcpu_cfg *c = &v->ctxt->cfg;
	struct sv_vm *vm = v->vm;

	c->hcr = SV_HCR_GUEST;
	c->vtcr = vm->vtcr;
	c->cptr = SV_CPTR_GUEST;
	/* EL2 adds the host's HPMN field (MDCR_EL2[4:0]) at each entry. */
	c->mdcr = SV_MDCR_TRAPS;
	c->cnthctl = SV_CNTHCTL_GUEST;
	c->cntvoff = vm->cntvoff;
	c->vpidr = read_cpuid_id();
	/* Aff0 = vCPU id; bit 31 is RES1 (ARM ARM D13.2.86). */
	c->vmpidr = BIT(31) | v->id;
}

static void sv_vcpu_reset(struct sv_vcpu_host *v)
{
	struct sv_vcpu *c = v->ctxt;

	memset(&c->regs, 0, sizeof(c->regs));
	memset(&c->el1, 0, sizeof(c->el1));
	memset(&c->fp, 0, sizeof(c->fp));
	c->regs.spsr = SV_PSTATE_RESET;
	c->el1.sys[SV_SCTLR_EL1] = SV_SCTLR_EL1_RESET;
	v->mdscr = 0;
	memset(v->dbg, 0, sizeof(v->dbg));
	v->oslk = true;		/* the OS lock is set at reset (D2.5) */
	memset(v->spsr_aarch32, 0, sizeof(v->spsr_aarch32));
	memset(&v->mmio, 0, sizeof(v->mmio));
	v->fp_active = false;
	sv_vcpu_cfg_init(v);
}

static int sv_vcpu_init(struct sv_vcpu_host *v, struct kvm_vcpu_init *init)
{
	int i;

	if (init->target != KVM_ARM_TARGET_GENERIC_V8)
		return -EINVAL;
	/* api.rst: an unknown feature bit is ENOENT. */
	if (init->features[0] & ~SV_SUPPORTED_FEATURES)
		return -ENOENT;
	for (i = 1; i < ARRAY_SIZE(init->features); i++)
		if (init->features[i])
			return -ENOENT;
	/*
	 * As KVM: features are fixed at the first init; POWER_OFF is the
	 * vCPU's starting state, not a feature, and may differ (Linux 6.4+).
	 */
	if (v->initialized &&
	    (init->features[0] ^ v->features) & ~BIT(KVM_ARM_VCPU_POWER_OFF))
		return -EINVAL;
	v->features = init->features[0];
	sv_vcpu_reset(v);
	v->power_off = v->features & BIT(KVM_ARM_VCPU_POWER_OFF);
	v->initialized = true;
	return 0;
}

/* --- ONE_REG ----------------------------------------------------------- */

#define SV_CORE_OFF(f)	(offsetof(struct kvm_regs, f) / sizeof(u32))
#define SV_CORE_ID(off, size) \
	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | (size) | (off))

/* The EL1 registers userspace reads and writes by KVM sysreg encoding. */
static const struct {
	u64 id;
	int idx;		/* enum sv_sysreg, or -1: handled apart */
} sv_sysreg_ids[] = {
	{ ARM64_SYS_REG(3, 0, 1, 0, 0),	SV_SCTLR_EL1 },
	{ ARM64_SYS_REG(3, 0, 1, 0, 2),	SV_CPACR_EL1 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 0),	SV_TTBR0_EL1 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 1),	SV_TTBR1_EL1 },
	{ ARM64_SYS_REG(3, 0, 2, 0, 2),	SV_TCR_EL1 },
	{ ARM64_SYS_REG(3, 0, 5, 2, 0),	SV_ESR_EL1 },
	{ ARM64_SYS_REG(3, 0, 5, 1, 0),	SV_AFSR0_EL1 },
	{ ARM64_SYS_REG(3, 0, 5, 1, 1),	SV_AFSR1_EL1 },
	{ ARM64_SYS_REG(3, 0, 6, 0, 0),	SV_FAR_EL1 },
	{ ARM64_SYS_REG(3, 0, 10, 2, 0), SV_MAIR_EL1 },
	{ ARM64_SYS_REG(3, 0, 10, 3, 0), SV_AMAIR_EL1 },
	{ ARM64_SYS_REG(3, 0, 12, 0, 0), SV_VBAR_EL1 },
	{ ARM64_SYS_REG(3, 0, 13, 0, 1), SV_CONTEXTIDR_EL1 },
	{ ARM64_SYS_REG(3, 0, 14, 1, 0), SV_CNTKCTL_EL1 },
	{ ARM64_SYS_REG(3, 0, 7, 4, 0),	SV_PAR_EL1 },
	{ ARM64_SYS_REG(3, 0, 13, 0, 4), SV_TPIDR_EL1 },
	{ ARM64_SYS_REG(3, 2, 0, 0, 0),	SV_CSSELR_EL1 },
	{ ARM64_SYS_REG(3, 3, 13, 0, 2), SV_TPIDR_EL0 },
	{ ARM64_SYS_REG(3, 3, 13, 0, 3), SV_TPIDRRO_EL0 },
	{ KVM_REG_ARM_TIMER_CTL,	SV_CNTV_CTL_EL0 },
	{ KVM_REG_ARM_TIMER_CVAL,	SV_CNTV_CVAL_EL0 },
	{ KVM_REG_ARM_TIMER_CNT,	-1 },
	{ ARM64_SYS_REG(2, 0, 0, 2, 2),	-1 },	/* MDSCR_EL1 */
	{ ARM64_SYS_REG(3, 0, 0, 0, 5),	-1 },	/* MPIDR_EL1 */
};

#define SV_NR_CORE_REGS	(31 + 5 + KVM_NR_SPSR + 32 + 2)

/* Where a core register lives, and its size; NULL if not a core reg. */
static void *sv_core_reg(struct sv_vcpu_host *v, u64 off, u64 *size)
{
	struct sv_vcpu *c = v->ctxt;

	*size = KVM_REG_SIZE_U64;
	if (off < SV_CORE_OFF(regs.regs[31])) {
		if (off % 2)
			return NULL;
		return &c->regs.x[(off - SV_CORE_OFF(regs.regs[0])) / 2];
	}
	if (off == SV_CORE_OFF(regs.sp))
		return &c->el1.sys[SV_SP_EL0];
	if (off == SV_CORE_OFF(regs.pc))
		return &c->regs.elr;
	if (off == SV_CORE_OFF(regs.pstate))
		return &c->regs.spsr;
	if (off == SV_CORE_OFF(sp_el1))
		return &c->el1.sys[SV_SP_EL1];
	if (off == SV_CORE_OFF(elr_el1))
		return &c->el1.sys[SV_ELR_EL1];
	if (off == SV_CORE_OFF(spsr[0]))
		return &c->el1.sys[SV_SPSR_EL1];
	if (off > SV_CORE_OFF(spsr[0]) && off < SV_CORE_OFF(spsr[KVM_NR_SPSR]) &&
	    !(off % 2))
		return &v->spsr_aarch32[(off - SV_CORE_OFF(spsr[1])) / 2];
	if (off >= SV_CORE_OFF(fp_regs.vregs[0]) &&
	    off < SV_CORE_OFF(fp_regs.vregs[32])) {
		u64 i = off - SV_CORE_OFF(fp_regs.vregs[0]);

		if (i % 4)
			return NULL;
		*size = KVM_REG_SIZE_U128;
		return &c->fp.v[i / 2];
	}
	*size = KVM_REG_SIZE_U32;
	if (off == SV_CORE_OFF(fp_regs.fpsr))
		return &c->fp.fpsr;
	if (off == SV_CORE_OFF(fp_regs.fpcr))
		return &c->fp.fpcr;
	return NULL;
}

static bool sv_pstate_valid(u64 pstate)
{
	switch (pstate & PSR_MODE_MASK) {
	case PSR_MODE_EL0t:
	case PSR_MODE_EL1t:
	case PSR_MODE_EL1h:
		return !(pstate & PSR_MODE32_BIT);
	default:
		return false;	/* no AArch32 guests, no EL2 */
	}
}

static int sv_core_reg_access(struct sv_vcpu_host *v, u64 id,
			      void __user *uaddr, bool set)
{
	u64 off = id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK |
			 KVM_REG_ARM_COPROC_MASK);
	u64 size, val = 0;
	void *p = sv_core_reg(v, off, &size);
	size_t len;

	/* As KVM: past struct kvm_regs ENOENT, inside but no register EINVAL. */
	if (off >= sizeof(struct kvm_regs) / sizeof(u32))
		return -ENOENT;
	if (!p || (id & KVM_REG_SIZE_MASK) != size)
		return -EINVAL;
	len = KVM_REG_SIZE(id);
	if (!set)
		return copy_to_user(uaddr, p, len) ? -EFAULT : 0;
	if (len == sizeof(u64)) {
		if (copy_from_user(&val, uaddr, len))
			return -EFAULT;
		if (p == &v->ctxt->regs.spsr && !sv_pstate_valid(val))
			return -EINVAL;
		*(u64 *)p = val;
		return 0;
	}
	if (len == sizeof(u32)) {
		/* FPSR/FPCR are 32-bit in the ABI, saved as 64-bit words. */
		if (copy_from_user(&val, uaddr, len))
			return -EFAULT;
		*(u64 *)p = (u32)val;
		return 0;
	}
	return copy_from_user(p, uaddr, len) ? -EFAULT : 0;
}

static int sv_sysreg_access(struct sv_vcpu_host *v, u64 id,
			    void __user *uaddr, bool set)
{
	struct sv_vcpu *c = v->ctxt;
	u64 val, *p = NULL;
	int i;

	if ((id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64)
		return -ENOENT;	/* no such register, as KVM */
	for (i = 0; i < ARRAY_SIZE(sv_sysreg_ids); i++)
		if (sv_sysreg_ids[i].id == id)
			break;
	if (i == ARRAY_SIZE(sv_sysreg_ids))
		return -ENOENT;
	if (sv_sysreg_ids[i].idx >= 0)
		p = &c->el1.sys[sv_sysreg_ids[i].idx];
	else if (id == ARM64_SYS_REG(2, 0, 0, 2, 2))
		p = &v->mdscr;
	else if (id == ARM64_SYS_REG(3, 0, 0, 0, 5))
		p = &c->cfg.vmpidr;

	if (!set) {
		/* The guest's virtual counter: physical count - CNTVOFF. */
		val = p ? *p : __arch_counter_get_cntpct() - c->cfg.cntvoff;
		return put_user(val, (u64 __user *)uaddr);
	}
	if (get_user(val, (u64 __user *)uaddr))
		return -EFAULT;
	if (p)
		*p = val;
	else
		c->cfg.cntvoff = __arch_counter_get_cntpct() - val;
	return 0;
}

static int sv_one_reg(struct sv_vcpu_host *v, unsigned int cmd,
		      struct kvm_one_reg __user *ureg)
{
	struct kvm_one_reg reg;
	bool set = cmd == KVM_SET_ONE_REG;

	if (copy_from_user(&reg, ureg, sizeof(reg)))
		return -EFAULT;
	if ((reg.id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64)
		return -EINVAL;
	switch (reg.id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return sv_core_reg_access(v, reg.id, u64_to_user_ptr(reg.addr),
					  set);
	case KVM_REG_ARM64_SYSREG:
		return sv_sysreg_access(v, reg.id, u64_to_user_ptr(reg.addr),
					set);
	default:
		return -ENOENT;
	}
}

static int sv_reg_list(struct sv_vcpu_host *v, struct kvm_reg_list __user *ul)
{
	u64 n = SV_NR_CORE_REGS + ARRAY_SIZE(sv_sysreg_ids);
	u64 __user *out = ul->reg;
	u64 off, size, i;
	u64 user_n;

	if (get_user(user_n, &ul->n))
		return -EFAULT;
	if (put_user(n, &ul->n))
		return -EFAULT;
	if (user_n < n)
		return -E2BIG;
	for (off = 0; off < sizeof(struct kvm_regs) / sizeof(u32); off++) {
		if (!sv_core_reg(v, off, &size))
			continue;
		if (put_user(SV_CORE_ID(off, size), out++))
			return -EFAULT;
	}
	for (i = 0; i < ARRAY_SIZE(sv_sysreg_ids); i++)
		if (put_user(sv_sysreg_ids[i].id, out++))
			return -EFAULT;
	return 0;
}

/* --- KVM_RUN ------------------------------------------------------------- */

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
		ret = arg ? -EINVAL : sv_vcpu_run(v);
		if (!ret || ret == -EINTR)
			sv_exit_counters_vmm(v->run->exit_reason);
		break;
	case KVM_ARM_VCPU_INIT:
		ret = -EFAULT;
		if (!copy_from_user(&init, uarg, sizeof(init)))
			ret = sv_vcpu_init(v, &init);
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
