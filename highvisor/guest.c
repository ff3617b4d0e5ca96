// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_GET/SET_ONE_REG and KVM_GET_REG_LIST: the vCPU's registers as
 * userspace names them (api.rst 4.68).
 */
#include "splitvisor.h"

#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/arch_timer.h>
#include <asm/sysreg.h>

#include "vm.h"

#define SV_CORE_OFF(f)	(offsetof(struct kvm_regs, f) / sizeof(u32))
#define SV_CORE_ID(off, size) \
	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | (size) | (off))

/*
 * The architected timer, as KVM 6.1 names it for ONE_REG (uapi asm/kvm.h:
 * the CNT and CVAL ids are each other's encodings, an ABI quirk kept for
 * compatibility). Handled apart from the system-register table, as KVM.
 */
static const u64 sv_timer_ids[] = {
	KVM_REG_ARM_TIMER_CTL,
	KVM_REG_ARM_TIMER_CNT,
	KVM_REG_ARM_TIMER_CVAL,
};

#define SV_NR_CORE_REGS	(31 + 5 + KVM_NR_SPSR + 32 + 2)

/* Where a core register lives, and its size; NULL if not a core reg. */
static void *sv_core_reg(struct sv_vcpu_host *v, u64 off, u64 *size)
{
	struct sv_vcpu *c = v->hyp;

	*size = KVM_REG_SIZE_U64;
	if (off < SV_CORE_OFF(regs.regs[31])) {
		if (off % 2)
			return NULL;
		return &c->ctxt.regs.x[(off - SV_CORE_OFF(regs.regs[0])) / 2];
	}
	if (off == SV_CORE_OFF(regs.sp))
		return &c->ctxt.sys[SV_SP_EL0];
	if (off == SV_CORE_OFF(regs.pc))
		return &c->ctxt.regs.elr;
	if (off == SV_CORE_OFF(regs.pstate))
		return &c->ctxt.regs.spsr;
	if (off == SV_CORE_OFF(sp_el1))
		return &c->ctxt.sys[SV_SP_EL1];
	if (off == SV_CORE_OFF(elr_el1))
		return &c->ctxt.sys[SV_ELR_EL1];
	if (off == SV_CORE_OFF(spsr[0]))
		return &c->ctxt.sys[SV_SPSR_EL1];
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
		if (p == &v->hyp->ctxt.regs.spsr && !sv_pstate_valid(val))
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

static int sv_timer_reg_access(struct sv_vcpu_host *v, u64 id,
			       void __user *uaddr, bool set)
{
	struct sv_vcpu *c = v->hyp;
	u64 val, *p = NULL;

	if (id == KVM_REG_ARM_TIMER_CTL)
		p = &c->ctxt.sys[SV_CNTV_CTL_EL0];
	else if (id == KVM_REG_ARM_TIMER_CVAL)
		p = &c->ctxt.sys[SV_CNTV_CVAL_EL0];
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

static bool sv_is_timer_reg(u64 id)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(sv_timer_ids); i++)
		if (sv_timer_ids[i] == id)
			return true;
	return false;
}

int sv_one_reg(struct sv_vcpu_host *v, unsigned int cmd,
		      struct kvm_one_reg __user *ureg)
{
	struct kvm_one_reg reg;
	bool set = cmd == KVM_SET_ONE_REG;
	void __user *uaddr;

	if (copy_from_user(&reg, ureg, sizeof(reg)))
		return -EFAULT;
	if ((reg.id & KVM_REG_ARCH_MASK) != KVM_REG_ARM64)
		return -EINVAL;
	uaddr = u64_to_user_ptr(reg.addr);
	/* The order of KVM 6.1 kvm_arm_get_reg()/kvm_arm_set_reg(). */
	switch (reg.id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		return sv_core_reg_access(v, reg.id, uaddr, set);
	case KVM_REG_ARM_FW:
	case KVM_REG_ARM_FW_FEAT_BMAP:
		return sv_fw_reg_access(v, reg.id, uaddr, set);
	case KVM_REG_ARM64_SVE:
		return -ENOENT;		/* no SVE for guests */
	}
	if (sv_is_timer_reg(reg.id))
		return sv_timer_reg_access(v, reg.id, uaddr, set);
	return sv_sys_reg_access(v, reg.id, uaddr, set);
}

/* Core, firmware, timer, then system registers: KVM 6.1's order. */
int sv_reg_list(struct sv_vcpu_host *v, struct kvm_reg_list __user *ul)
{
	u64 __user *out = ul->reg;
	u64 off, size, i, n, user_n;
	int ret;

	ret = sv_sys_reg_list(v, NULL);
	if (ret < 0)
		return ret;
	n = SV_NR_CORE_REGS + sv_fw_reg_list(NULL) + ARRAY_SIZE(sv_timer_ids) +
	    ret;
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
	ret = sv_fw_reg_list(out);
	if (ret < 0)
		return ret;
	out += ret;
	for (i = 0; i < ARRAY_SIZE(sv_timer_ids); i++)
		if (put_user(sv_timer_ids[i], out++))
			return -EFAULT;
	ret = sv_sys_reg_list(v, out);
	return ret < 0 ? ret : 0;
}
