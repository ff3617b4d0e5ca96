/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's PMUv3 (KVM_ARM_VCPU_PMU_V3), emulated on host perf events
 * as KVM 6.1's pmu-emul.c does: pmu.c.
 */
#ifndef SV_PMU_H
#define SV_PMU_H

#include <linux/types.h>

#include "sys_regs.h"

struct kvm_device_attr;
struct perf_event;
struct sv_vcpu_host;
struct sv_vm;

/* Counter indices as the architecture numbers them: 31 is PMCCNTR_EL0. */
#define SV_PMU_NR_COUNTERS	32
#define SV_PMU_CYCLE_IDX	31

/* One guest counter and the host perf event counting it, if any. */
struct sv_pmc {
	struct sv_vcpu_host *v;
	struct perf_event *event;
	u8 idx;
};

/*
 * A vCPU's PMU registers. A counter's value is cntr[i] plus what its
 * perf event has counted since it was created (KVM: the same split).
 */
struct sv_pmu {
	u64 pmcr, cntenset, ovsset, intenset, userenr, selr;
	u64 cntr[SV_PMU_NR_COUNTERS];	/* PMEVCNTRn_EL0; [31] PMCCNTR_EL0 */
	u64 typer[SV_PMU_NR_COUNTERS];	/* PMEVTYPERn_EL0; [31] PMCCFILTR_EL0 */
	struct sv_pmc pmc[SV_PMU_NR_COUNTERS];
	bool created;			/* KVM_ARM_VCPU_PMU_V3_INIT done */
	bool enabled;			/* checked at the first KVM_RUN */
};

int sv_pmu_init(void);
bool sv_pmu_supported(void);

void sv_pmu_vcpu_init(struct sv_vcpu_host *v);
void sv_pmu_vcpu_reset(struct sv_vcpu_host *v);
void sv_pmu_vcpu_destroy(struct sv_vcpu_host *v);
void sv_pmu_vm_destroy(struct sv_vm *vm);
int sv_pmu_first_run(struct sv_vcpu_host *v);
u64 sv_pmu_guest_enter(struct sv_vcpu_host *v);
void sv_pmu_guest_exit(u64 el0);

int sv_pmu_has_attr(struct sv_vcpu_host *v, struct kvm_device_attr *attr);
int sv_pmu_get_attr(struct sv_vcpu_host *v, struct kvm_device_attr *attr);
int sv_pmu_set_attr(struct sv_vcpu_host *v, struct kvm_device_attr *attr);

/* ID_AA64DFR0_EL1.PMUVer and ID_DFR0_EL1.PerfMon this vCPU sees. */
u64 sv_pmu_id_dfr0(const struct sv_vcpu_host *v, u64 val, bool aarch32);

/* The system-register table's PMU entries (sys_regs.c). */
unsigned int sv_pmu_visibility(const struct sv_vcpu_host *v,
			       const struct sv_sys_reg *r);
bool sv_pmu_access(struct sv_vcpu_host *v, struct sv_sr_params *p,
		   const struct sv_sys_reg *r);
int sv_pmu_get(struct sv_vcpu_host *v, const struct sv_sys_reg *r, u64 *val);
int sv_pmu_set(struct sv_vcpu_host *v, const struct sv_sys_reg *r, u64 val);

#endif
