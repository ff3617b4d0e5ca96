// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_ARM_VCPU_INIT: a vCPU's architectural reset state and the EL2
 * controls (traps, stage 2, timers) it runs under.
 */
#include "splitvisor.h"

#include <linux/kvm.h>
#include <linux/string.h>
#include <asm/cputype.h>
#include <asm/kvm_arm.h>

#include "vm.h"

#define SV_PSTATE_RESET		(PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | \
				 PSR_F_BIT | PSR_MODE_EL1h)
#define SV_SUPPORTED_FEATURES	(BIT(KVM_ARM_VCPU_POWER_OFF) | \
				 BIT(KVM_ARM_VCPU_PSCI_0_2) | \
				 BIT(KVM_ARM_VCPU_PMU_V3))

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
	struct sv_vcpu_cfg *c = &v->hyp->cfg;
	struct sv_vm *vm = v->vm;

	c->hcr = SV_HCR_GUEST;
	c->vtcr = vm->vtcr;
	c->cptr = SV_CPTR_GUEST;
	/* EL2 adds the host's HPMN field (MDCR_EL2[4:0]) at each entry. */
	c->mdcr = SV_MDCR_TRAPS;
	c->cnthctl = SV_CNTHCTL_GUEST;
	c->cntvoff = vm->cntvoff;
}

static void sv_vcpu_reset(struct sv_vcpu_host *v)
{
	struct sv_vcpu *c = v->hyp;

	memset(&c->ctxt.regs, 0, sizeof(c->ctxt.regs));
	memset(c->ctxt.sys, 0, sizeof(c->ctxt.sys));
	memset(&c->fp, 0, sizeof(c->fp));
	memset(&c->debug, 0, sizeof(c->debug));
	c->ctxt.regs.spsr = SV_PSTATE_RESET;
	memset(v->sys, 0, sizeof(v->sys));
	memset(v->spsr_aarch32, 0, sizeof(v->spsr_aarch32));
	memset(&v->mmio, 0, sizeof(v->mmio));
	v->fp_active = false;
	sv_vcpu_cfg_init(v);
	/*
	 * The table's reset values (KVM 6.1 kvm_reset_sys_regs()): among them
	 * OSLSR_EL1 with the OS Lock clear, as KVM resets it.
	 */
	sv_reset_sys_regs(v);
	sv_pmu_vcpu_reset(v);
	sv_debug_reset(v);
}

int sv_vcpu_init(struct sv_vcpu_host *v, struct kvm_vcpu_init *init)
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
	/* A known feature this host cannot give: EINVAL (KVM 6.1 reset.c). */
	if ((init->features[0] & BIT(KVM_ARM_VCPU_PMU_V3)) &&
	    !sv_pmu_supported())
		return -EINVAL;
	/*
	 * As KVM: features are fixed at the first init; POWER_OFF is the
	 * vCPU's starting state, not a feature, and may differ (Linux 6.4+).
	 */
	if (v->initialized &&
	    (init->features[0] ^ v->features) & ~BIT(KVM_ARM_VCPU_POWER_OFF))
		return -EINVAL;
	/*
	 * A reboot: the guest restarts with its MMU and caches off, so every
	 * page faults again and is made coherent (KVM:
	 * kvm_arch_vcpu_ioctl_vcpu_init(), vcpu_has_run_once()).
	 */
	if (v->initialized && v->has_run)
		sv_s2_unmap_vm(v->vm);
	v->features = init->features[0];
	sv_vcpu_reset(v);
	v->power_off = v->features & BIT(KVM_ARM_VCPU_POWER_OFF);
	v->initialized = true;
	return 0;
}
