// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's PMUv3 (vCPU feature KVM_ARM_VCPU_PMU_V3), in the shape of
 * KVM 6.1's pmu-emul.c and the PMU accessors of its sys_regs.c. Every
 * guest access to a PMU register traps (MDCR_EL2.TPM, TPMCR) and is
 * emulated here; each counter the guest programs is a perf event on the
 * vCPU's thread, its value that event's count plus an offset.
 *
 * Counting only the guest: the events are created with exclude_host. In
 * split mode the arm64 PMU driver of a kernel at EL1 never turns such a
 * counter on itself ("we rely on the hypervisor switch code to enable
 * guest counters", kvm_pmu_counter_deferred()). Right before each entry
 * the run loop puts the hardware counters the vCPU's live events occupy
 * into sv_vcpu_cfg.pmu_cnten; EL2 sets them in PMCNTENSET_EL0 on the way
 * in and clears them on the way out, as KVM nVHE's __pmu_switch_to_guest()
 * and __pmu_switch_to_host(). The events exclude EL2, so where exactly EL2
 * does it does not matter. In VHE mode the driver runs them itself, at
 * EL1 only, which only a guest uses there: sv_pmu_guest_enter() puts
 * EL0 back in for the length of a run.
 *
 * Not yet: the overflow interrupt. It needs an interrupt controller: as
 * in KVM without an in-kernel irqchip, KVM_ARM_VCPU_PMU_V3_IRQ is EINVAL,
 * and KVM_CAP_ARM_USER_IRQ (which would report the level in kvm_run) is
 * 0, so an overflow is seen in PMOVSSET_EL0 only. On big.LITTLE hosts the
 * guest gets the PMU of the CPU type that probed first.
 */
#include "splitvisor.h"

#include <linux/bitmap.h>
#include <linux/kvm.h>
#include <linux/minmax.h>
#include <linux/perf_event.h>
#include <linux/perf/arm_pmu.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>

#include "pmu.h"
#include "vm.h"

/* PMCR_EL0 (ARM ARM D13.3.8) */
#define SV_PMCR_E		BIT_ULL(0)
#define SV_PMCR_P		BIT_ULL(1)
#define SV_PMCR_C		BIT_ULL(2)
#define SV_PMCR_LC		BIT_ULL(6)
#define SV_PMCR_WRITABLE	0xffULL		/* KVM 6.1 ARMV8_PMU_PMCR_MASK */
#define SV_PMCR_N(pmcr)		(((pmcr) >> 11) & 0x1f)
/* PMEVTYPERn_EL0, PMCCFILTR_EL0: P, U, NSH and the event number */
#define SV_EVTYPE_WRITABLE	0xc800ffffULL
#define SV_EVTYPE_EVENT		0xffffULL
#define SV_EXCLUDE_EL1		BIT_ULL(31)
#define SV_EXCLUDE_EL0		BIT_ULL(30)
#define SV_PMSELR_SEL		0x1fULL
/* PMUSERENR_EL0 */
#define SV_USERENR_EN		BIT_ULL(0)
#define SV_USERENR_SW		BIT_ULL(1)
#define SV_USERENR_CR		BIT_ULL(2)
#define SV_USERENR_ER		BIT_ULL(3)
#define SV_USERENR_MASK		0xfULL
/* Common architectural events (ARM ARM D7.10.2) */
#define SV_EV_SW_INCR		0x00
#define SV_EV_CPU_CYCLES	0x11
#define SV_EV_CHAIN		0x1e
#define SV_EV_STALL_SLOT	0x3f
/* ID_AA64DFR0_EL1.PMUVer, ID_DFR0_EL1.PerfMon */
#define SV_PMUVER_IMP		1
#define SV_PMUVER_V3P4		5
#define SV_PMUVER_V3P5		6
#define SV_PMUVER_IMP_DEF	0xf
#define SV_PERFMON_V3P4		5
/* perf_event_attr.config1 bit 0 for the arm_pmuv3 driver: 64-bit counter */
#define SV_PERF_CFG1_64BIT	BIT_ULL(0)
/* What KVM's reset_unknown() writes; reset_pmcr() mixes in 0xdecafbad. */
#define SV_UNKNOWN		0x1de7ec7edbadc0deULL
#define SV_UNKNOWN_PMCR		0xdecafbadULL

/* The host PMU guests get (KVM: kvm->arch.arm_pmu), or NULL: none. */
static struct arm_pmu *sv_arm_pmu;

bool sv_pmu_supported(void)
{
	return sv_arm_pmu;
}

/*
 * As KVM 6.1 kvm_pmu_probe_armpmu(): a disabled cycle-counting event
 * tells which PMU driver takes raw PMUv3 events; only an architected
 * PMUv3 is offered.
 */
int sv_pmu_init(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_RAW,
		.size = sizeof(attr),
		.pinned = 1,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
		.exclude_host = 1,
		.config = SV_EV_CPU_CYCLES,
		.sample_period = GENMASK_ULL(63, 0),
	};
	struct perf_event *ev;
	struct arm_pmu *pmu;

	ev = perf_event_create_kernel_counter(&attr, -1, current, NULL, NULL);
	if (IS_ERR(ev)) {
		pr_info("no host PMU (%ld): guests get no PMUv3\n",
			PTR_ERR(ev));
		return 0;
	}
	pmu = to_arm_pmu(ev->pmu);
	if (pmu->pmuver && pmu->pmuver != SV_PMUVER_IMP_DEF)
		sv_arm_pmu = pmu;
	perf_event_release_kernel(ev);
	return 0;
}

static u32 sv_pmu_event_mask(void)
{
	return sv_arm_pmu->pmuver == SV_PMUVER_IMP ? GENMASK(9, 0) :
						      GENMASK(15, 0);
}

static u64 sv_pmu_valid_mask(const struct sv_vcpu_host *v)
{
	u64 n = SV_PMCR_N(v->pmu.pmcr);

	return BIT_ULL(SV_PMU_CYCLE_IDX) | (n ? GENMASK_ULL(n - 1, 0) : 0);
}

/* The cycle counter overflows at 64 bits only with PMCR_EL0.LC. */
static bool sv_pmu_overflow64(const struct sv_vcpu_host *v, int idx)
{
	return idx == SV_PMU_CYCLE_IDX && (v->pmu.pmcr & SV_PMCR_LC);
}

static bool sv_pmu_can_chain(const struct sv_vcpu_host *v, int idx)
{
	return !(idx & 1) && idx + 1 < SV_PMU_CYCLE_IDX &&
	       !sv_pmu_overflow64(v, idx);
}

static bool sv_pmc_enabled(const struct sv_vcpu_host *v, int idx)
{
	return (v->pmu.pmcr & SV_PMCR_E) && (v->pmu.cntenset & BIT_ULL(idx));
}

static u64 sv_pmu_counter(struct sv_vcpu_host *v, int idx)
{
	struct perf_event *ev = v->pmu.pmc[idx].event;
	u64 enabled, running, val = v->pmu.cntr[idx];

	if (ev)
		val += perf_event_read_value(ev, &enabled, &running);
	return idx == SV_PMU_CYCLE_IDX ? val : lower_32_bits(val);
}

static void sv_pmc_release(struct sv_pmc *pmc)
{
	if (!pmc->event)
		return;
	perf_event_disable(pmc->event);
	perf_event_release_kernel(pmc->event);
	pmc->event = NULL;
}

/* The event's count goes into the offset before the event goes. */
static void sv_pmc_stop(struct sv_vcpu_host *v, struct sv_pmc *pmc)
{
	if (!pmc->event)
		return;
	v->pmu.cntr[pmc->idx] = sv_pmu_counter(v, pmc->idx);
	sv_pmc_release(pmc);
}

/* Events until the counter overflows (at 32 bits unless overflow64). */
static u64 sv_pmu_period(const struct sv_vcpu_host *v, int idx, u64 counter)
{
	if (sv_pmu_overflow64(v, idx))
		return -counter;
	return -counter & GENMASK_ULL(31, 0);
}

/*
 * SW_INCR and CHAIN counters have no perf event: they count here
 * (KVM 6.1 kvm_pmu_counter_increment()).
 */
static void sv_pmu_increment(struct sv_vcpu_host *v, unsigned long mask,
			     u32 event)
{
	struct sv_pmu *pmu = &v->pmu;
	int i;

	if (!(pmu->pmcr & SV_PMCR_E))
		return;
	mask &= pmu->cntenset;
	for_each_set_bit(i, &mask, SV_PMU_CYCLE_IDX) {
		if ((pmu->typer[i] & sv_pmu_event_mask()) != event)
			continue;
		pmu->cntr[i] = lower_32_bits(pmu->cntr[i] + 1);
		if (pmu->cntr[i])
			continue;
		pmu->ovsset |= BIT_ULL(i);
		if (sv_pmu_can_chain(v, i))
			sv_pmu_increment(v, BIT(i + 1), SV_EV_CHAIN);
	}
}

/*
 * The perf event reached the guest counter's overflow (KVM 6.1
 * kvm_pmu_perf_overflow()): mark it, carry into a chained counter, and
 * count the next full period. In the PMU interrupt, on the vCPU's CPU.
 */
static void sv_pmu_overflow(struct perf_event *ev,
			    struct perf_sample_data *data,
			    struct pt_regs *regs)
{
	struct sv_pmc *pmc = ev->overflow_handler_context;
	struct arm_pmu *cpu_pmu = to_arm_pmu(ev->pmu);
	struct sv_vcpu_host *v = pmc->v;
	u64 period;

	cpu_pmu->pmu.stop(ev, PERF_EF_UPDATE);
	period = sv_pmu_period(v, pmc->idx, local64_read(&ev->count));
	local64_set(&ev->hw.period_left, 0);
	ev->attr.sample_period = period;
	ev->hw.sample_period = period;

	v->pmu.ovsset |= BIT_ULL(pmc->idx);
	if (sv_pmu_can_chain(v, pmc->idx))
		sv_pmu_increment(v, BIT(pmc->idx + 1), SV_EV_CHAIN);
	cpu_pmu->pmu.start(ev, PERF_EF_RELOAD);
}

/* KVM 6.1 kvm_pmu_create_perf_event(); on the vCPU's thread. */
static void sv_pmc_create(struct sv_vcpu_host *v, int idx)
{
	struct sv_pmc *pmc = &v->pmu.pmc[idx];
	u64 data = v->pmu.typer[idx], eventsel, counter;
	unsigned long *filter = v->vm->pmu_filter;
	struct perf_event_attr attr;
	struct perf_event *ev;

	sv_pmc_stop(v, pmc);
	eventsel = idx == SV_PMU_CYCLE_IDX ? SV_EV_CPU_CYCLES :
					     data & sv_pmu_event_mask();
	if (eventsel == SV_EV_SW_INCR || eventsel == SV_EV_CHAIN)
		return;
	if (filter && !test_bit(eventsel, filter))
		return;

	memset(&attr, 0, sizeof(attr));
	attr.type = sv_arm_pmu->pmu.type;
	attr.size = sizeof(attr);
	attr.pinned = 1;
	attr.disabled = !sv_pmc_enabled(v, idx);
	attr.exclude_user = !!(data & SV_EXCLUDE_EL0);
	attr.exclude_kernel = !!(data & SV_EXCLUDE_EL1);
	attr.exclude_hv = 1;		/* never EL2 */
	attr.exclude_host = 1;		/* enabled by EL2, in the guest only */
	attr.config = eventsel;
	if (idx == SV_PMU_CYCLE_IDX)
		attr.config1 |= SV_PERF_CFG1_64BIT;
	counter = sv_pmu_counter(v, idx);
	attr.sample_period = sv_pmu_period(v, idx, counter);

	ev = perf_event_create_kernel_counter(&attr, -1, current,
					      sv_pmu_overflow, pmc);
	if (IS_ERR(ev)) {
		pr_err_once("VM %llu vCPU %u: PMU event failed: %ld\n",
			    v->vm->id, v->id, PTR_ERR(ev));
		return;
	}
	pmc->event = ev;
}

static void sv_pmu_set_counter(struct sv_vcpu_host *v, int idx, u64 val)
{
	v->pmu.cntr[idx] += (s64)val - sv_pmu_counter(v, idx);
	/* A new event, for the new distance to the overflow. */
	sv_pmc_create(v, idx);
}

static void sv_pmu_enable_mask(struct sv_vcpu_host *v, unsigned long mask)
{
	int i;

	if (!(v->pmu.pmcr & SV_PMCR_E))
		return;
	for_each_set_bit(i, &mask, SV_PMU_NR_COUNTERS) {
		struct sv_pmc *pmc = &v->pmu.pmc[i];

		if (!pmc->event)
			sv_pmc_create(v, i);
		else
			perf_event_enable(pmc->event);
	}
}

static void sv_pmu_disable_mask(struct sv_vcpu_host *v, unsigned long mask)
{
	int i;

	for_each_set_bit(i, &mask, SV_PMU_NR_COUNTERS)
		if (v->pmu.pmc[i].event)
			perf_event_disable(v->pmu.pmc[i].event);
}

/* KVM 6.1 kvm_pmu_handle_pmcr(). */
static void sv_pmu_handle_pmcr(struct sv_vcpu_host *v, u64 val)
{
	unsigned long mask;
	int i;

	/* P and C reset counters; they are not state. */
	v->pmu.pmcr = val & ~(SV_PMCR_C | SV_PMCR_P);
	if (val & SV_PMCR_E)
		sv_pmu_enable_mask(v, v->pmu.cntenset);
	else
		sv_pmu_disable_mask(v, v->pmu.cntenset);
	if (val & SV_PMCR_C)
		sv_pmu_set_counter(v, SV_PMU_CYCLE_IDX, 0);
	if (val & SV_PMCR_P) {
		mask = sv_pmu_valid_mask(v) & ~BIT_ULL(SV_PMU_CYCLE_IDX);
		for_each_set_bit(i, &mask, SV_PMU_NR_COUNTERS)
			sv_pmu_set_counter(v, i, 0);
	}
}

static void sv_pmu_set_evtype(struct sv_vcpu_host *v, u64 data, int idx)
{
	u64 mask = (SV_EVTYPE_WRITABLE & ~SV_EVTYPE_EVENT) |
		   sv_pmu_event_mask();

	v->pmu.typer[idx] = data & mask;
	sv_pmc_create(v, idx);
}

/* KVM 6.1 kvm_pmu_get_pmceid(): the host's, minus filtered events. */
static u64 sv_pmu_pmceid(struct sv_vcpu_host *v, bool pmceid1)
{
	unsigned long *filter = v->vm->pmu_filter;
	int base, i, nr = sv_pmu_event_mask() + 1;
	u64 val, mask = 0;

	if (!pmceid1) {
		val = read_sysreg(pmceid0_el0);
		base = 0;
	} else {
		val = read_sysreg(pmceid1_el0);
		/* STALL_SLOT needs PMMIR_EL1, which reads as zero here. */
		if (sv_arm_pmu->pmuver >= SV_PMUVER_V3P4)
			val &= ~BIT_ULL(SV_EV_STALL_SLOT - 32);
		base = 32;
	}
	if (!filter)
		return val;
	for (i = 0; i < 32; i += 8) {
		mask |= (u64)bitmap_get_value8(filter, base + i) << i;
		if (nr >= 0x4000 + base + 32)
			mask |= (u64)bitmap_get_value8(filter,
						      0x4000 + base + i)
				<< (32 + i);
	}
	return val & mask;
}

/*
 * The hardware counters a scheduled perf event occupies (the driver's
 * armv8pmu_event_cnten_mask()). Linux 6.12 numbers perf's counters as
 * the architecture does (Kbuild: SV_PMU_IDX_IS_COUNTER); before, perf's
 * index 0 was the cycle counter and n the event counter n - 1
 * (ARMV8_IDX_TO_COUNTER()). A 64-bit event on a PMU without 64-bit event
 * counters chains two, the low one below.
 */
static u64 sv_perf_event_counters(const struct perf_event *ev)
{
#ifdef SV_PMU_IDX_IS_COUNTER
	int counter = ev->hw.idx;
#else
	int counter = (ev->hw.idx - 1) & 31;
#endif
	u64 mask = BIT_ULL(counter);

	if ((ev->attr.config1 & SV_PERF_CFG1_64BIT) &&
	    counter != SV_PMU_CYCLE_IDX && sv_arm_pmu->pmuver < SV_PMUVER_V3P5)
		mask |= BIT_ULL(counter - 1);
	return mask;
}

/*
 * The hardware counters the vCPU's live events occupy; only those that
 * count at EL0 if el0. With interrupts off perf cannot move the events
 * meanwhile; when it does later it is from an interrupt, which is an exit
 * first.
 */
static u64 sv_pmu_guest_counters(struct sv_vcpu_host *v, bool el0)
{
	unsigned long valid = sv_pmu_valid_mask(v);
	u64 mask = 0;
	int i;

	for_each_set_bit(i, &valid, SV_PMU_NR_COUNTERS) {
		struct perf_event *ev = v->pmu.pmc[i].event;

		if (ev && ev->state == PERF_EVENT_STATE_ACTIVE &&
		    ev->hw.idx >= 0 && !(el0 && ev->attr.exclude_user))
			mask |= sv_perf_event_counters(ev);
	}
	return mask;
}

/*
 * VHE mode: PMEVTYPERn_EL0.U (PMCCFILTR_EL0.U for counter 31) of the
 * given hardware counters, cleared (EL0 counted) or set. KVM 6.1 writes
 * PMEVTYPERn_EL0 directly; through PMSELR_EL0 the index needs no switch,
 * and every entry sets PMSELR_EL0 to 0 anyway (traps.h).
 */
static void sv_pmu_el0_filter(unsigned long counters, bool count)
{
	int i;

	for_each_set_bit(i, &counters, SV_PMU_NR_COUNTERS) {
		u64 typer;

		write_sysreg(i, pmselr_el0);
		isb();
		typer = read_sysreg(pmxevtyper_el0);
		if (count)
			typer &= ~SV_EXCLUDE_EL0;
		else
			typer |= SV_EXCLUDE_EL0;
		write_sysreg(typer, pmxevtyper_el0);
	}
}

/*
 * Interrupts off, right before entering. Split mode: which counters EL2
 * turns on (cfg.pmu_cnten). VHE mode: the host's driver has its
 * exclude_host counters running, but out of EL0 (armv8pmu_set_event_filter()),
 * the guest's EL0 included; EL0 goes back into those that count it until
 * sv_pmu_guest_exit() (KVM VHE's kvm_vcpu_pmu_enable_el0() at vcpu load,
 * here around each run so that a driver reprogramming a counter between
 * runs is followed). Returns what sv_pmu_guest_exit() takes.
 */
u64 sv_pmu_guest_enter(struct sv_vcpu_host *v)
{
	u64 el0;

	if (sv.mode == SV_MODE_SPLIT) {
		v->hyp->cfg.pmu_cnten = sv_pmu_guest_counters(v, false);
		return 0;
	}
	el0 = sv_pmu_guest_counters(v, true);
	sv_pmu_el0_filter(el0, true);
	return el0;
}

/* Interrupts still off, after the run (KVM's kvm_vcpu_pmu_disable_el0()). */
void sv_pmu_guest_exit(u64 el0)
{
	sv_pmu_el0_filter(el0, false);
}

/* --- vCPU lifetime --------------------------------------------------------- */

void sv_pmu_vcpu_init(struct sv_vcpu_host *v)
{
	int i;

	for (i = 0; i < SV_PMU_NR_COUNTERS; i++) {
		v->pmu.pmc[i].v = v;
		v->pmu.pmc[i].idx = i;
	}
}

/*
 * KVM_ARM_VCPU_INIT: no counter runs, the registers take KVM 6.1's reset
 * values (reset_pmu_reg(), reset_pmcr() and friends), so the two read
 * alike. PMCR_EL0.LC is RES1: AArch32 is not offered at any EL.
 */
void sv_pmu_vcpu_reset(struct sv_vcpu_host *v)
{
	struct sv_pmu *pmu = &v->pmu;
	u64 host, mask, n;
	int i;

	for (i = 0; i < SV_PMU_NR_COUNTERS; i++)
		sv_pmc_release(&pmu->pmc[i]);
	if (!sv_arm_pmu)
		return;
	host = read_sysreg(pmcr_el0);
	n = SV_PMCR_N(host);
	mask = BIT_ULL(SV_PMU_CYCLE_IDX) | (n ? GENMASK_ULL(n - 1, 0) : 0);
	pmu->cntenset = SV_UNKNOWN & mask;
	pmu->intenset = SV_UNKNOWN & mask;
	pmu->ovsset = SV_UNKNOWN & mask;
	for (i = 0; i < SV_PMU_CYCLE_IDX; i++) {
		pmu->cntr[i] = SV_UNKNOWN & GENMASK_ULL(31, 0);
		pmu->typer[i] = SV_UNKNOWN & SV_EVTYPE_WRITABLE;
	}
	pmu->cntr[SV_PMU_CYCLE_IDX] = SV_UNKNOWN;
	pmu->typer[SV_PMU_CYCLE_IDX] = 0;
	pmu->selr = SV_UNKNOWN & SV_PMSELR_SEL;
	pmu->userenr = 0;
	pmu->pmcr = ((host & ~SV_PMCR_WRITABLE) |
		     (SV_PMCR_WRITABLE & SV_UNKNOWN_PMCR)) & ~SV_PMCR_E;
	pmu->pmcr |= SV_PMCR_LC;
}

void sv_pmu_vcpu_destroy(struct sv_vcpu_host *v)
{
	int i;

	for (i = 0; i < SV_PMU_NR_COUNTERS; i++)
		sv_pmc_release(&v->pmu.pmc[i]);
}

void sv_pmu_vm_destroy(struct sv_vm *vm)
{
	bitmap_free(vm->pmu_filter);
	vm->pmu_filter = NULL;
}

/*
 * The first KVM_RUN of a vCPU with a PMU (KVM 6.1 kvm_arm_pmu_v3_enable()
 * and the one-off KVM_REQ_RELOAD_PMU): the VMM must have done
 * KVM_ARM_VCPU_PMU_V3_INIT; the counters a VMM restored with ONE_REG
 * start counting.
 */
int sv_pmu_first_run(struct sv_vcpu_host *v)
{
	if (v->pmu.enabled)
		return 0;
	if (!v->pmu.created)
		return -EINVAL;
	v->pmu.enabled = true;
	sv_pmu_handle_pmcr(v, v->pmu.pmcr);
	return 0;
}

/* --- vCPU device attributes (KVM_ARM_VCPU_PMU_V3_CTRL) ---------------------- */

int sv_pmu_has_attr(struct sv_vcpu_host *v, struct kvm_device_attr *attr)
{
	switch (attr->attr) {
	case KVM_ARM_VCPU_PMU_V3_IRQ:
	case KVM_ARM_VCPU_PMU_V3_INIT:
	case KVM_ARM_VCPU_PMU_V3_FILTER:
	case KVM_ARM_VCPU_PMU_V3_SET_PMU:
		if (sv_vcpu_has_pmu(v))
			return 0;
	}
	return -ENXIO;
}

int sv_pmu_get_attr(struct sv_vcpu_host *v, struct kvm_device_attr *attr)
{
	/* The interrupt needs an in-kernel irqchip (KVM 6.1: EINVAL). */
	if (attr->attr == KVM_ARM_VCPU_PMU_V3_IRQ)
		return -EINVAL;
	return -ENXIO;
}

static int sv_pmu_set_filter(struct sv_vm *vm,
			     struct kvm_pmu_event_filter __user *uaddr)
{
	struct kvm_pmu_event_filter f;
	int nr = sv_pmu_event_mask() + 1, ret = 0;

	if (copy_from_user(&f, uaddr, sizeof(f)))
		return -EFAULT;
	if ((u32)f.base_event + f.nevents > nr ||
	    (f.action != KVM_PMU_EVENT_ALLOW && f.action != KVM_PMU_EVENT_DENY))
		return -EINVAL;

	mutex_lock(&vm->lock);
	if (READ_ONCE(vm->has_run)) {
		ret = -EBUSY;
		goto out;
	}
	if (!vm->pmu_filter) {
		vm->pmu_filter = bitmap_alloc(nr, GFP_KERNEL_ACCOUNT);
		if (!vm->pmu_filter) {
			ret = -ENOMEM;
			goto out;
		}
		/* The first filter's action decides what the rest is. */
		if (f.action == KVM_PMU_EVENT_ALLOW)
			bitmap_zero(vm->pmu_filter, nr);
		else
			bitmap_fill(vm->pmu_filter, nr);
	}
	if (f.action == KVM_PMU_EVENT_ALLOW)
		bitmap_set(vm->pmu_filter, f.base_event, f.nevents);
	else
		bitmap_clear(vm->pmu_filter, f.base_event, f.nevents);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

/* KVM 6.1 kvm_arm_pmu_v3_set_attr(), for a VM without in-kernel irqchip. */
int sv_pmu_set_attr(struct sv_vcpu_host *v, struct kvm_device_attr *attr)
{
	int __user *uaddr = (int __user *)(unsigned long)attr->addr;
	int pmu_id;

	if (!sv_vcpu_has_pmu(v))
		return -ENODEV;
	if (v->pmu.created)
		return -EBUSY;

	switch (attr->attr) {
	case KVM_ARM_VCPU_PMU_V3_IRQ:
		return -EINVAL;
	case KVM_ARM_VCPU_PMU_V3_FILTER:
		return sv_pmu_set_filter(v->vm, (void __user *)uaddr);
	case KVM_ARM_VCPU_PMU_V3_SET_PMU:
		if (get_user(pmu_id, uaddr))
			return -EFAULT;
		if (pmu_id != sv_arm_pmu->pmu.type)
			return -ENXIO;
		return READ_ONCE(v->vm->has_run) ? -EBUSY : 0;
	case KVM_ARM_VCPU_PMU_V3_INIT:
		v->pmu.created = true;
		return 0;
	}
	return -ENXIO;
}

/* ID_AA64DFR0_EL1.PMUVer or ID_DFR0_EL1.PerfMon, at most PMUv3 for v8.4. */
u64 sv_pmu_id_dfr0(const struct sv_vcpu_host *v, u64 val, bool aarch32)
{
	int shift = aarch32 ? 24 : 8;
	u64 host, cap = aarch32 ? SV_PERFMON_V3P4 : SV_PMUVER_V3P4;

	val &= ~(0xfULL << shift);
	if (!sv_vcpu_has_pmu(v))
		return val;
	host = read_sanitised_ftr_reg(aarch32 ? SYS_ID_DFR0_EL1 :
						SYS_ID_AA64DFR0_EL1);
	host = (host >> shift) & 0xf;
	/* IMPLEMENTATION DEFINED is no PMUv3 (cpuid_feature_cap_perfmon_field()) */
	if (host == SV_PMUVER_IMP_DEF)
		host = 0;
	return val | min(host, cap) << shift;
}

/* --- the registers ---------------------------------------------------------- */

unsigned int sv_pmu_visibility(const struct sv_vcpu_host *v,
			       const struct sv_sys_reg *r)
{
	return sv_vcpu_has_pmu(v) ? 0 : SV_REG_HIDDEN;
}

/* EL0 may access only what PMUSERENR_EL0 allows (flags: any of). */
static bool sv_pmu_el0_denied(struct sv_vcpu_host *v, u64 flags)
{
	if ((v->pmu.userenr & flags) || !sv_guest_at_el0(v))
		return false;
	sv_inject_undef(v);
	return true;
}

static bool sv_pmu_idx_valid(struct sv_vcpu_host *v, u64 idx)
{
	if (idx < SV_PMCR_N(v->pmu.pmcr) || idx == SV_PMU_CYCLE_IDX)
		return true;
	sv_inject_undef(v);
	return false;
}

static bool sv_access_evcntr(struct sv_vcpu_host *v, struct sv_sr_params *p,
			     u64 idx, u64 flags)
{
	if (sv_pmu_el0_denied(v, flags | SV_USERENR_EN) ||
	    !sv_pmu_idx_valid(v, idx))
		return false;
	if (!p->write) {
		p->val = sv_pmu_counter(v, idx);
		return true;
	}
	if (sv_pmu_el0_denied(v, SV_USERENR_EN))
		return false;
	sv_pmu_set_counter(v, idx, p->val);
	return true;
}

static bool sv_access_evtyper(struct sv_vcpu_host *v, struct sv_sr_params *p,
			      u64 idx)
{
	if (sv_pmu_el0_denied(v, SV_USERENR_EN) || !sv_pmu_idx_valid(v, idx))
		return false;
	if (p->write) {
		sv_pmu_set_evtype(v, p->val, idx);
		v->pmu.typer[idx] = p->val & SV_EVTYPE_WRITABLE;
	} else {
		p->val = v->pmu.typer[idx] & SV_EVTYPE_WRITABLE;
	}
	return true;
}

static bool sv_access_pmcr(struct sv_vcpu_host *v, struct sv_sr_params *p)
{
	u64 val;

	if (sv_pmu_el0_denied(v, SV_USERENR_EN))
		return false;
	if (!p->write) {
		p->val = v->pmu.pmcr & ~(SV_PMCR_P | SV_PMCR_C);
		return true;
	}
	val = (v->pmu.pmcr & ~SV_PMCR_WRITABLE) |
	      (p->val & SV_PMCR_WRITABLE) | SV_PMCR_LC;
	sv_pmu_handle_pmcr(v, val);
	return true;
}

/* PMCNTENSET/CLR, PMOVSSET/CLR, PMINTENSET/CLR: one register each. */
static bool sv_access_setclr(struct sv_vcpu_host *v, struct sv_sr_params *p,
			     u64 *reg, bool set, u64 el0_flags)
{
	u64 val = p->val & sv_pmu_valid_mask(v);

	if (sv_pmu_el0_denied(v, el0_flags))
		return false;
	if (!p->write) {
		p->val = *reg;
		return true;
	}
	if (set)
		*reg |= val;
	else
		*reg &= ~val;
	if (reg == &v->pmu.cntenset && set)
		sv_pmu_enable_mask(v, val);
	else if (reg == &v->pmu.cntenset)
		sv_pmu_disable_mask(v, val);
	return true;
}

bool sv_pmu_access(struct sv_vcpu_host *v, struct sv_sr_params *p,
		   const struct sv_sys_reg *r)
{
	u32 crm = SV_ENC_CRM(r->enc), op2 = SV_ENC_OP2(r->enc);
	struct sv_pmu *pmu = &v->pmu;

	if (!sv_vcpu_has_pmu(v))
		goto undef;
	if (SV_ENC_CRN(r->enc) == 14) {		/* PMEV{CNT,TYPE}Rn, PMCCFILTR */
		u64 idx = (crm & 3) << 3 | op2;

		return crm & 4 ? sv_access_evtyper(v, p, idx) :
			sv_access_evcntr(v, p, idx, SV_USERENR_ER);
	}
	if (SV_ENC_OP1(r->enc) == 0)		/* PMINTEN{SET,CLR}_EL1 */
		return sv_access_setclr(v, p, &pmu->intenset, op2 & 1, 0);

	switch (crm << 3 | op2) {
	case 12 << 3 | 0:
		return sv_access_pmcr(v, p);
	case 12 << 3 | 1:			/* PMCNTENSET_EL0 */
	case 12 << 3 | 2:			/* PMCNTENCLR_EL0 */
		return sv_access_setclr(v, p, &pmu->cntenset, op2 & 1,
					SV_USERENR_EN);
	case 12 << 3 | 3:			/* PMOVSCLR_EL0 */
	case 14 << 3 | 3:			/* PMOVSSET_EL0 */
		return sv_access_setclr(v, p, &pmu->ovsset, crm == 14,
					SV_USERENR_EN);
	case 12 << 3 | 4:			/* PMSWINC_EL0 */
		if (!p->write)
			goto undef;
		if (sv_pmu_el0_denied(v, SV_USERENR_SW | SV_USERENR_EN))
			return false;
		sv_pmu_increment(v, p->val & sv_pmu_valid_mask(v),
				 SV_EV_SW_INCR);
		return true;
	case 12 << 3 | 5:			/* PMSELR_EL0 */
		if (sv_pmu_el0_denied(v, SV_USERENR_ER | SV_USERENR_EN))
			return false;
		if (p->write)
			pmu->selr = p->val;
		else
			p->val = pmu->selr & SV_PMSELR_SEL;
		return true;
	case 12 << 3 | 6:			/* PMCEID0_EL0 */
	case 12 << 3 | 7:			/* PMCEID1_EL0 */
		if (p->write)
			goto undef;
		if (sv_pmu_el0_denied(v, SV_USERENR_EN))
			return false;
		p->val = sv_pmu_pmceid(v, op2 & 1);
		return true;
	case 13 << 3 | 0:			/* PMCCNTR_EL0 */
		return sv_access_evcntr(v, p, SV_PMU_CYCLE_IDX,
					SV_USERENR_CR);
	case 13 << 3 | 1:			/* PMXEVTYPER_EL0 */
		return sv_access_evtyper(v, p, pmu->selr & SV_PMSELR_SEL);
	case 13 << 3 | 2:			/* PMXEVCNTR_EL0 */
		return sv_access_evcntr(v, p, pmu->selr & SV_PMSELR_SEL,
					SV_USERENR_ER);
	case 14 << 3 | 0:			/* PMUSERENR_EL0 */
		if (!p->write) {
			p->val = pmu->userenr & SV_USERENR_MASK;
			return true;
		}
		if (sv_guest_at_el0(v))
			goto undef;
		pmu->userenr = p->val & SV_USERENR_MASK;
		return true;
	}
undef:
	sv_inject_undef(v);
	return false;
}

/* ONE_REG: the raw registers, as KVM 6.1 stores them; counters read live. */
static u64 *sv_pmu_reg(struct sv_vcpu_host *v, const struct sv_sys_reg *r)
{
	u32 crm = SV_ENC_CRM(r->enc), op2 = SV_ENC_OP2(r->enc);
	struct sv_pmu *pmu = &v->pmu;

	if (SV_ENC_CRN(r->enc) == 14)
		return crm & 4 ? &pmu->typer[(crm & 3) << 3 | op2] :
				 &pmu->cntr[(crm & 3) << 3 | op2];
	if (SV_ENC_OP1(r->enc) == 0)
		return &pmu->intenset;
	switch (crm << 3 | op2) {
	case 12 << 3 | 0:
		return &pmu->pmcr;
	case 12 << 3 | 1:
	case 12 << 3 | 2:
		return &pmu->cntenset;
	case 12 << 3 | 3:
	case 14 << 3 | 3:
		return &pmu->ovsset;
	case 12 << 3 | 5:
		return &pmu->selr;
	case 13 << 3 | 0:
		return &pmu->cntr[SV_PMU_CYCLE_IDX];
	case 14 << 3 | 0:
		return &pmu->userenr;
	}
	return NULL;		/* PMSWINC_EL0: RAZ/WI for the VMM */
}

int sv_pmu_get(struct sv_vcpu_host *v, const struct sv_sys_reg *r, u64 *val)
{
	u64 *reg = sv_pmu_reg(v, r);

	if (reg >= v->pmu.cntr && reg < v->pmu.cntr + SV_PMU_NR_COUNTERS)
		*val = sv_pmu_counter(v, reg - v->pmu.cntr);
	else
		*val = reg ? *reg : 0;
	return 0;
}

int sv_pmu_set(struct sv_vcpu_host *v, const struct sv_sys_reg *r, u64 val)
{
	u64 *reg = sv_pmu_reg(v, r);

	if (reg)
		*reg = val;
	return 0;
}
