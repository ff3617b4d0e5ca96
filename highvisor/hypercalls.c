// SPDX-License-Identifier: GPL-2.0
/*
 * What a guest's HVC and SMC reach: SMCCC (DEN0028) and PSCI 1.0 (DEN0022)
 * through the conduit KVM offers, HVC #0.
 */
#include "splitvisor.h"


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
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		return 0;
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
	bool psci = v->features & BIT(KVM_ARM_VCPU_PSCI_0_2);
	u32 fn = sv_get_reg(v, 0);
	long ret = SV_SMCCC_NOT_SUPPORTED;

	/*
	 * SMCCC uses HVC #0; like KVM, the immediate is not looked at. PC
	 * already points past the HVC.
	 */
	switch (fn) {
	case SMCCC_VERSION:
		ret = 0x10001;		/* 1.1 */
		break;
	case SMCCC_ARCH_FEATURES:
		ret = sv_smccc_arch_features(sv_get_reg(v, 1));
		break;
	case PSCI_VERSION:
		if (psci)
			ret = 0x10000;	/* 1.0 */
		break;
	case PSCI_FEATURES:
		if (psci)
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
