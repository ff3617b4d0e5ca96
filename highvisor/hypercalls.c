// SPDX-License-Identifier: GPL-2.0
/*
 * What a guest's HVC and SMC reach: SMCCC (DEN0028) and PSCI 1.0 (DEN0022)
 * through the conduit KVM offers, HVC #0.
 */
#include "splitvisor.h"

#include <linux/kvm.h>
#include <linux/uaccess.h>

#include "errata.h"
#include "esr.h"
#include "vm.h"

/* SMCCC and PSCI function IDs (DEN0028, DEN0022) */
#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define SV_SMCCC_NOT_SUPPORTED	(-1L)
#define PSCI_VERSION		0x84000000U
#define PSCI_MIGRATE_INFO_TYPE	0x84000006U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_SYSTEM_RESET	0x84000009U
#define PSCI_FEATURES		0x8400000aU

/*
 * As KVM (kvm_prepare_system_event()): every vCPU of the VM stops, the
 * others by a request and a kick; the caller tells the VMM.
 */
static int sv_system_event(struct sv_vcpu_host *v, u32 type)
{
	struct sv_vm *vm = v->vm;
	int i;

	mutex_lock(&vm->lock);
	for (i = 0; i < SV_MAX_VCPUS; i++)
		if (vm->vcpus[i] && vm->vcpus[i] != v)
			WRITE_ONCE(vm->vcpus[i]->power_off, true);
	sv_vm_kick_all(vm, SV_REQ_SLEEP);
	mutex_unlock(&vm->lock);
	/* The caller's own request: it is on its way out already. */
	clear_bit(SV_REQ_SLEEP, &v->requests);
	v->run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	memset(&v->run->system_event, 0, sizeof(v->run->system_event));
	v->run->system_event.type = type;
	return 0;
}

/* PSCI versions as KVM_REG_ARM_PSCI_VERSION spells them (major << 16). */
#define SV_PSCI_0_1		0
#define SV_PSCI_0_2		2
#define SV_PSCI_1_0		0x10000

/*
 * Function groups the bitmap registers may offer (api.rst "The firmware
 * registers"): TRNG 1.0 (trng.c); PV time and KVM's vendor hypercalls
 * (UID, features, PTP) are not implemented, so those bitmaps are empty and
 * a VMM cannot set a bit there. A VM starts with all it may have, as on
 * KVM; a guest calling a group its VM's bitmap lacks gets NOT_SUPPORTED.
 */
#define SV_STD_FEATURES		BIT(KVM_REG_ARM_STD_BIT_TRNG_V1_0)
#define SV_STD_HYP_FEATURES	0UL
#define SV_VENDOR_HYP_FEATURES	0UL

void sv_vm_smccc_init(struct sv_vm *vm)
{
	vm->psci_version = SV_PSCI_1_0;
	vm->std_bmap = SV_STD_FEATURES;
	vm->std_hyp_bmap = SV_STD_HYP_FEATURES;
	vm->vendor_hyp_bmap = SV_VENDOR_HYP_FEATURES;
}

static u32 sv_psci_version(const struct sv_vcpu_host *v)
{
	if (!(v->features & BIT(KVM_ARM_VCPU_PSCI_0_2)))
		return SV_PSCI_0_1;
	return v->vm->psci_version;
}

/*
 * The SMCCC workaround registers, as KVM 6.1 get_kernel_wa_level(): from
 * the worst CPU's state (cpu_caps.c). Mitigated means the lowvisor
 * answers the guest's ARCH_WORKAROUND call itself (AVAIL); for WA2 the
 * host keeps SSBD on around guests, so there is nothing to call.
 */
static u64 sv_wa_level(u64 id)
{
	switch (id) {
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
		switch (sv_cpu_caps_mitigation(1)) {
		case SV_UNAFFECTED:
			return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED;
		case SV_MITIGATED:
			return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL;
		default:
			return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_AVAIL;
		}
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
		return sv_cpu_caps_mitigation(2) == SV_VULNERABLE ?
		       KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL :
		       KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED;
	default:
		switch (sv_cpu_caps_mitigation(3)) {
		case SV_UNAFFECTED:
			return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED;
		case SV_MITIGATED:
			return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_AVAIL;
		default:
			return KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_AVAIL;
		}
	}
}

static const u64 sv_fw_reg_ids[] = {
	KVM_REG_ARM_PSCI_VERSION,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2,
	KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3,
	KVM_REG_ARM_STD_BMAP,
	KVM_REG_ARM_STD_HYP_BMAP,
	KVM_REG_ARM_VENDOR_HYP_BMAP,
};

int sv_fw_reg_list(u64 __user *out)
{
	int i;

	for (i = 0; out && i < ARRAY_SIZE(sv_fw_reg_ids); i++)
		if (put_user(sv_fw_reg_ids[i], out++))
			return -EFAULT;
	return ARRAY_SIZE(sv_fw_reg_ids);
}

static unsigned long *sv_bmap(struct sv_vm *vm, u64 id, unsigned long *valid)
{
	switch (id) {
	case KVM_REG_ARM_STD_BMAP:
		*valid = SV_STD_FEATURES;
		return &vm->std_bmap;
	case KVM_REG_ARM_STD_HYP_BMAP:
		*valid = SV_STD_HYP_FEATURES;
		return &vm->std_hyp_bmap;
	case KVM_REG_ARM_VENDOR_HYP_BMAP:
		*valid = SV_VENDOR_HYP_FEATURES;
		return &vm->vendor_hyp_bmap;
	}
	return NULL;
}

/* KVM 6.1 kvm_arm_set_fw_reg(), for what splitvisor implements. */
static int sv_fw_reg_set(struct sv_vcpu_host *v, u64 id, u64 val)
{
	bool wants_02 = v->features & BIT(KVM_ARM_VCPU_PSCI_0_2);
	unsigned long *bmap, valid;
	u64 wa;
	int ret;

	switch (id) {
	case KVM_REG_ARM_PSCI_VERSION:
		if (val == SV_PSCI_0_1 && !wants_02)
			return 0;
		if ((val == SV_PSCI_0_2 || val == SV_PSCI_1_0) && wants_02) {
			v->vm->psci_version = val;
			return 0;
		}
		return -EINVAL;	/* 1.1 needs SYSTEM_RESET2: not yet */
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3:
		/* A VMM may only ask for less than there is. */
		if (val & ~0xfULL || val > sv_wa_level(id))
			return -EINVAL;
		return 0;
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
		if (val & ~(0xfULL |
			    KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED))
			return -EINVAL;
		if ((val & KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED) &&
		    (val & 0xf) != KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL)
			return -EINVAL;
		/* As KVM: UNKNOWN counts as NOT_AVAIL, AVAIL as NOT_REQUIRED. */
		switch (val & 0xf) {
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL:
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN:
			wa = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL;
			break;
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL:
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED:
			wa = KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED;
			break;
		default:
			return -EINVAL;
		}
		return wa > sv_wa_level(id) ? -EINVAL : 0;
	}

	bmap = sv_bmap(v->vm, id, &valid);
	if (!bmap)
		return -ENOENT;
	if (val & ~valid)
		return -EINVAL;
	mutex_lock(&v->vm->lock);
	ret = 0;
	/* Fixed once a vCPU has run (KVM_ARCH_FLAG_HAS_RAN_ONCE). */
	if (READ_ONCE(v->vm->has_run) && val != *bmap)
		ret = -EBUSY;
	else
		WRITE_ONCE(*bmap, val);
	mutex_unlock(&v->vm->lock);
	return ret;
}

int sv_fw_reg_access(struct sv_vcpu_host *v, u64 id, void __user *uaddr,
		     bool set)
{
	unsigned long *bmap, valid;
	u64 val;

	if (set) {
		/* KVM 6.1: a size other than 64 bits is ENOENT. */
		if (KVM_REG_SIZE(id) != sizeof(val))
			return -ENOENT;
		if (copy_from_user(&val, uaddr, sizeof(val)))
			return -EFAULT;
		return sv_fw_reg_set(v, id, val);
	}
	switch (id) {
	case KVM_REG_ARM_PSCI_VERSION:
		val = sv_psci_version(v);
		break;
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2:
	case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3:
		val = sv_wa_level(id);
		break;
	default:
		bmap = sv_bmap(v->vm, id, &valid);
		if (!bmap)
			return -ENOENT;
		val = READ_ONCE(*bmap);
	}
	return copy_to_user(uaddr, &val, KVM_REG_SIZE(id)) ? -EFAULT : 0;
}

static long sv_psci_features(u32 fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_MIGRATE_INFO_TYPE:
	case SMCCC_VERSION:
		return 0;
	default:
		return SV_SMCCC_NOT_SUPPORTED;
	}
}

/*
 * The workaround calls themselves never get here: EL2 answers them
 * (hyp_vectors/guest.S). What they are worth depends on the CPUs: the
 * worst CPU's state, as KVM answers from the system-wide one.
 */
static long sv_smccc_arch_features(u32 fn)
{
	switch (fn) {
	case SV_SMCCC_ARCH_WA_1:
		return sv_cpu_caps_smccc_wa(1);
	case SV_SMCCC_ARCH_WA_2:
		return sv_cpu_caps_smccc_wa(2);
	case SV_SMCCC_ARCH_WA_3:
		return sv_cpu_caps_smccc_wa(3);
	default:
		return SV_SMCCC_NOT_SUPPORTED;
	}
}

int sv_exit_hvc(struct sv_vcpu_host *v, u64 esr)
{
	u32 version = sv_psci_version(v);
	bool psci = version >= SV_PSCI_0_2;
	u32 fn = sv_get_reg(v, 0);
	long ret = SV_SMCCC_NOT_SUPPORTED;

	/*
	 * SMCCC uses HVC #0; like KVM, the immediate is not looked at. PC
	 * already points past the HVC.
	 */
	if (sv_is_trng_call(fn)) {
		/* KVM 6.1 kvm_hvc_call_allowed(): the VM's bitmap decides. */
		if (test_bit(KVM_REG_ARM_STD_BIT_TRNG_V1_0, &v->vm->std_bmap))
			sv_trng_call(v, fn);
		else
			sv_set_reg(v, 0, SV_SMCCC_NOT_SUPPORTED);
		return 1;
	}
	switch (fn) {
	case SMCCC_VERSION:
		ret = 0x10001;		/* 1.1 */
		break;
	case SMCCC_ARCH_FEATURES:
		ret = sv_smccc_arch_features(sv_get_reg(v, 1));
		break;
	case PSCI_VERSION:
		if (psci)
			ret = version;
		break;
	case PSCI_FEATURES:
		/* New in PSCI 1.0: not there when the VMM chose 0.2. */
		if (version >= SV_PSCI_1_0)
			ret = sv_psci_features(sv_get_reg(v, 1));
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		if (psci)
			ret = 2;	/* no Trusted OS to migrate */
		break;
	case PSCI_SYSTEM_OFF:
		if (psci)
			return sv_system_event(v, KVM_SYSTEM_EVENT_SHUTDOWN);
		break;
	case PSCI_SYSTEM_RESET:
		if (psci)
			return sv_system_event(v, KVM_SYSTEM_EVENT_RESET);
		break;
	}
	sv_set_reg(v, 0, ret);
	return 1;
}

/*
 * SMC traps (HCR_EL2.TSC) with the SMC itself as the return address: as
 * KVM does, no secure service is offered, x0 = NOT_SUPPORTED.
 */
int sv_exit_smc(struct sv_vcpu_host *v, u64 esr)
{
	sv_set_reg(v, 0, SV_SMCCC_NOT_SUPPORTED);
	sv_skip_insn(v);
	return 1;
}
