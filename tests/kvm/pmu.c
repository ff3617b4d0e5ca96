// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_pmu: the guest PMU (vCPU feature KVM_ARM_VCPU_PMU_V3) on
 * /dev/splitvisor and on Linux's KVM alike, in a VM without an in-kernel
 * irqchip: the capability, the vCPU device attributes and their errors as
 * KVM 6.1 returns them, the registers in ONE_REG, and a guest that
 * programs the counters: the cycle counter counts while enabled and stops
 * while disabled; it counts the guest only (not the 300 ms the VMM spins
 * in an MMIO exit on the vCPU's thread, which a counter left on in the
 * host would see: sleeping would not do, perf stops a task's counters
 * when it is scheduled out);
 * SW_INCR counts exactly, overflows into PMOVSSET_EL0 and carries into a
 * CHAIN counter; an event's EL1 filter bit stops it at EL1, and with it
 * the cycle counter still counts the guest's EL0 (which the host's PMU
 * driver of a kernel at EL2 leaves out unless the hypervisor puts it
 * back: KVM VHE's kvm_vcpu_pmu_enable_el0()); the VMM's
 * KVM_ARM_VCPU_PMU_V3_FILTER hides a denied event from PMCEID0_EL0 and
 * keeps it from counting; a counter past PMCR_EL0.N is UNDEF.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "harness.h"

#define SLOW_MMIO	0x10010000	/* the VMM spins SLOW_US on a write here */
#define SLOW_US		300000
/* QEMU's cycle counter ticks at 1 GHz of virtual time: 300 ms is 3e8. */
#define GUEST_ONLY_MAX	100000000ULL
#define EV_CPU_CYCLES	0x11

#define REG_PMCR	HX_SYSREG(3, 3, 9, 12, 0)
#define REG_PMCNTENSET	HX_SYSREG(3, 3, 9, 12, 1)
#define REG_PMUSERENR	HX_SYSREG(3, 3, 9, 14, 0)
#define REG_PMEVCNTR(n)	HX_SYSREG(3, 3, 14, 8 + (n) / 8, (n) % 8)
#define REG_PMCCFILTR	HX_SYSREG(3, 3, 14, 15, 7)
#define PMCR_N(pmcr)	(((pmcr) >> 11) & 0x1f)

/* What the guest stores, as offsets into its data area. */
#define D_DFR0		0
#define D_PMCR		8
#define D_PMCEID0	16
#define D_EVCNTR3	24
#define D_CYC_ON	32	/* two reads around a loop, counter on */
#define D_CYC_OFF	48	/* ... counter off */
#define D_CYC_EXIT	64	/* ... around an exit where the VMM sleeps */
#define D_SWINC		80	/* PMEVCNTR0 after five SW_INCRs */
#define D_OVF		88	/* PMEVCNTR0, PMEVCNTR1, PMOVSSET after overflow */
#define D_EL1_ON	112	/* PMEVCNTR2 counting CPU_CYCLES at EL1 */
#define D_EL1_OFF	120	/* two reads around a loop, EL1 excluded */
#define D_USERENR	136
#define D_EL0		144	/* PMCCNTR_EL0 around a spin at EL0, EL1 excluded */

asm(HX_GUEST_BEGIN
".macro	spin\n"
"	mov	x9, #2000\n"
"1:	subs	x9, x9, #1\n"
"	b.ne	1b\n"
".endm\n"
/*
 * The cycle counter on, counting at EL1 and EL0, from 0 (PMCR_EL0.E | C);
 * its value before and after a spin into D_CYC_ON. x5 = its enable bit.
 */
".macro	cycles_on_spin\n"
"	msr	pmccfiltr_el0, xzr\n"
"	movz	x5, #0x8000, lsl #16\n"
"	msr	pmcntenset_el0, x5\n"
"	mov	x1, #5\n"
"	msr	pmcr_el0, x1\n"
"	isb\n"
"	mrs	x2, pmccntr_el0\n"
"	spin\n"
"	mrs	x3, pmccntr_el0\n"
"	stp	x2, x3, [x0, #" HX_XSTR(D_CYC_ON) "]\n"
".endm\n"
"	.globl	pmu_main\n"
"pmu_main:\n"
"	nop\n"
"	mrs	x1, id_aa64dfr0_el1\n"
"	str	x1, [x0, #" HX_XSTR(D_DFR0) "]\n"
"	mrs	x1, pmcr_el0\n"
"	str	x1, [x0, #" HX_XSTR(D_PMCR) "]\n"
"	mrs	x1, pmceid0_el0\n"
"	str	x1, [x0, #" HX_XSTR(D_PMCEID0) "]\n"
"	mrs	x1, pmevcntr3_el0\n"
"	str	x1, [x0, #" HX_XSTR(D_EVCNTR3) "]\n"
"	cycles_on_spin\n"
"	msr	pmcntenclr_el0, x5\n"
"	isb\n"
"	mrs	x2, pmccntr_el0\n"
"	spin\n"
"	mrs	x3, pmccntr_el0\n"
"	stp	x2, x3, [x0, #" HX_XSTR(D_CYC_OFF) "]\n"
"	msr	pmcntenset_el0, x5\n"
"	isb\n"
"	mrs	x2, pmccntr_el0\n"
"	movz	x6, #(" HX_XSTR(SLOW_MMIO) " >> 16), lsl #16\n"
"	str	xzr, [x6]\n"
"	mrs	x3, pmccntr_el0\n"
"	stp	x2, x3, [x0, #" HX_XSTR(D_CYC_EXIT) "]\n"
"	msr	pmcntenclr_el0, x5\n"
/* Counter 0: SW_INCR; counter 1: CHAIN, its overflows. */
"	msr	pmevtyper0_el0, xzr\n"
"	mov	x1, #0x1e\n"
"	msr	pmevtyper1_el0, x1\n"
"	msr	pmevcntr0_el0, xzr\n"
"	msr	pmevcntr1_el0, xzr\n"
"	mov	x1, #3\n"
"	msr	pmcntenset_el0, x1\n"
"	mov	x1, #1\n"
"	msr	pmswinc_el0, x1\n"
"	msr	pmswinc_el0, x1\n"
"	msr	pmswinc_el0, x1\n"
"	msr	pmswinc_el0, x1\n"
"	msr	pmswinc_el0, x1\n"
"	mrs	x2, pmevcntr0_el0\n"
"	str	x2, [x0, #" HX_XSTR(D_SWINC) "]\n"
"	mov	x2, #0xffffffff\n"
"	msr	pmevcntr0_el0, x2\n"
"	msr	pmovsclr_el0, x2\n"
"	msr	pmswinc_el0, x1\n"
"	mrs	x2, pmevcntr0_el0\n"
"	mrs	x3, pmevcntr1_el0\n"
"	mrs	x4, pmovsset_el0\n"
"	stp	x2, x3, [x0, #" HX_XSTR(D_OVF) "]\n"
"	str	x4, [x0, #" HX_XSTR(D_OVF) " + 16]\n"
/* Counter 2: CPU_CYCLES, then with PMEVTYPER.P (EL1 excluded). */
"	mov	x1, #" HX_XSTR(EV_CPU_CYCLES) "\n"
"	msr	pmevtyper2_el0, x1\n"
"	msr	pmevcntr2_el0, xzr\n"
"	mov	x1, #4\n"
"	msr	pmcntenset_el0, x1\n"
"	isb\n"
"	spin\n"
"	mrs	x2, pmevcntr2_el0\n"
"	str	x2, [x0, #" HX_XSTR(D_EL1_ON) "]\n"
"	movz	x1, #0x8000, lsl #16\n"
"	add	x1, x1, #" HX_XSTR(EV_CPU_CYCLES) "\n"
"	msr	pmevtyper2_el0, x1\n"
"	isb\n"
"	mrs	x2, pmevcntr2_el0\n"
"	spin\n"
"	mrs	x3, pmevcntr2_el0\n"
"	stp	x2, x3, [x0, #" HX_XSTR(D_EL1_OFF) "]\n"
"	mov	x1, #0xf\n"
"	msr	pmuserenr_el0, x1\n"
"	mrs	x2, pmuserenr_el0\n"
"	str	x2, [x0, #" HX_XSTR(D_USERENR) "]\n"
"	msr	pmuserenr_el0, xzr\n"
"	hx_done\n"
"	hx_pool\n"
/* PMSELR_EL0 selecting a counter past PMCR_EL0.N: PMXEVCNTR_EL0 UNDEFs. */
"	.globl	pmu_bad_sel\n"
"pmu_bad_sel:\n"
"	nop\n"
"	mov	x1, #30\n"
"	msr	pmselr_el0, x1\n"
"	mrs	x2, pmxevcntr_el0\n"
"	hx_done\n"
"	hx_pool\n"
/* Under a filter that denies CPU_CYCLES: PMCEID0, and the cycle counter. */
"	.globl	pmu_filtered\n"
"pmu_filtered:\n"
"	nop\n"
"	mrs	x1, pmceid0_el0\n"
"	str	x1, [x0, #" HX_XSTR(D_PMCEID0) "]\n"
"	cycles_on_spin\n"
"	hx_done\n"
"	hx_pool\n"
/*
 * The cycle counter with PMCCFILTR_EL0.P (EL1 excluded), around a spin at
 * EL0 that ends in an SVC; MMU off, interrupts masked.
 */
"	.globl	pmu_el0\n"
"pmu_el0:\n"
"	nop\n"
"	adr	x9, pmu_el0_vectors\n"
"	msr	vbar_el1, x9\n"
"	movz	x5, #0x8000, lsl #16\n"
"	msr	pmccfiltr_el0, x5\n"
"	msr	pmcntenset_el0, x5\n"
"	mov	x1, #5\n"
"	msr	pmcr_el0, x1\n"
"	isb\n"
"	mrs	x2, pmccntr_el0\n"
"	adr	x9, pmu_el0_spin\n"
"	msr	elr_el1, x9\n"
"	mov	x9, #0x3c0\n"				/* EL0t, DAIF masked */
"	msr	spsr_el1, x9\n"
"	eret\n"
"pmu_el0_spin:\n"
"	spin\n"
"	svc	#0\n"
"	b	.\n"
"pmu_el0_back:\n"
"	mrs	x3, pmccntr_el0\n"
"	stp	x2, x3, [x0, #" HX_XSTR(D_EL0) "]\n"
"	hx_done\n"
"	hx_pool\n"
"	.balign	0x800\n"
"pmu_el0_vectors:\n"
"	.irp	slot, 0, 1, 2, 3, 4, 5, 6, 7\n"
"	.balign	0x80\n"
"	mov	x9, #\\slot\n"
"	b	pmu_el0_unexpected\n"
"	.endr\n"
"	.balign	0x80\n"
"	b	pmu_el0_sync\n"			/* sync, lower EL, AArch64 */
"	.irp	slot, 9, 10, 11, 12, 13, 14, 15\n"
"	.balign	0x80\n"
"	mov	x9, #\\slot\n"
"	b	pmu_el0_unexpected\n"
"	.endr\n"
"pmu_el0_sync:\n"
"	mrs	x10, esr_el1\n"
"	lsr	x11, x10, #26\n"
"	cmp	x11, #0x15\n"				/* SVC from EL0 */
"	b.eq	pmu_el0_back\n"
"	hx_value x10\n"
"	hx_fail	1\n"
"pmu_el0_unexpected:\n"
"	hx_value x9\n"
"	mrs	x10, esr_el1\n"
"	hx_value x10\n"
"	hx_fail	2\n"
HX_GUEST_END);

HX_GUEST_SYM(pmu_main);
HX_GUEST_SYM(pmu_el0);
HX_GUEST_SYM(pmu_bad_sel);
HX_GUEST_SYM(pmu_filtered);

static u64 data(struct hx_vm *vm, unsigned int off)
{
	return *(u64 *)((char *)hx_gpa_to_hva(vm, HX_DATA) + off);
}

static int attr_op(struct hx_vcpu *v, unsigned long req, u64 attr, void *addr)
{
	struct kvm_device_attr a = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL,
		.attr = attr,
		.addr = (u64)(unsigned long)addr,
	};

	return ioctl(v->fd, req, &a);
}

static int set_filter(struct hx_vcpu *v, unsigned int base, unsigned int n,
		      unsigned int action)
{
	struct kvm_pmu_event_filter f = {
		.base_event = base, .nevents = n, .action = action,
	};

	return attr_op(v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, &f);
}

static u64 now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* Busy on the vCPU's thread, at EL0 of the host, for SLOW_US. */
static long slow_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		      void *ctx __maybe_unused)
{
	u64 end = now_us() + SLOW_US;

	if (run->exit_reason != KVM_EXIT_MMIO ||
	    run->mmio.phys_addr != SLOW_MMIO)
		return 1;
	while (now_us() < end)
		;
	return HX_CONTINUE;
}

/* The perf type of the host's PMUv3 (sysfs), or -1. */
static int host_pmu_type(void)
{
	const char *dir = "/sys/bus/event_source/devices";
	struct dirent *e;
	int type = -1;
	char path[300];
	DIR *d = opendir(dir);
	FILE *f;

	if (!d)
		return -1;
	while ((e = readdir(d)) && type < 0) {
		if (strncmp(e->d_name, "armv8", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s/type", dir, e->d_name);
		f = fopen(path, "r");
		if (f && fscanf(f, "%d", &type) != 1)
			type = -1;
		if (f)
			fclose(f);
	}
	closedir(d);
	return type;
}

static void check_no_pmu_vcpu(void)
{
	struct kvm_one_reg r = { .id = REG_PMCR };
	struct hx_vcpu v;
	struct hx_vm vm;
	u64 val;
	int ret;

	r.addr = (u64)(unsigned long)&val;
	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0)) {
		tap_check(false, "VM and vCPU without a PMU set up");
		return;
	}
	ret = attr_op(&v, KVM_HAS_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL);
	tap_check_errno(ret, errno, ENXIO, "no vPMU: KVM_HAS_DEVICE_ATTR(PMU INIT) is ENXIO");
	ret = attr_op(&v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL);
	tap_check_errno(ret, errno, ENODEV, "no vPMU: KVM_SET_DEVICE_ATTR(PMU INIT) is ENODEV");
	ret = ioctl(v.fd, KVM_GET_ONE_REG, &r);
	tap_check_errno(ret, errno, ENOENT, "no vPMU: PMCR_EL0 is not a ONE_REG register");
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

/* Attribute errors on a vCPU with the feature, before INIT. */
static void check_attrs(struct hx_vcpu *v)
{
	static const u64 attrs[] = {
		KVM_ARM_VCPU_PMU_V3_IRQ, KVM_ARM_VCPU_PMU_V3_INIT,
		KVM_ARM_VCPU_PMU_V3_FILTER, KVM_ARM_VCPU_PMU_V3_SET_PMU,
	};
	int irq = 23, ret, type, bad = -1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		ret = attr_op(v, KVM_HAS_DEVICE_ATTR, attrs[i], NULL);
		tap_check_errno(ret, errno, 0, "KVM_HAS_DEVICE_ATTR(PMU attribute %llu)",
				(unsigned long long)attrs[i]);
	}
	ret = attr_op(v, KVM_HAS_DEVICE_ATTR, 99, NULL);
	tap_check_errno(ret, errno, ENXIO, "KVM_HAS_DEVICE_ATTR(PMU attribute 99) is ENXIO");
	ret = attr_op(v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq);
	tap_check_errno(ret, errno, EINVAL, "PMU IRQ without an in-kernel irqchip: EINVAL");
	ret = attr_op(v, KVM_GET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_IRQ, &irq);
	tap_check_errno(ret, errno, EINVAL, "get PMU IRQ without an in-kernel irqchip: EINVAL");
	ret = set_filter(v, 0, 1, 2);
	tap_check_errno(ret, errno, EINVAL, "PMU FILTER with an unknown action: EINVAL");
	ret = set_filter(v, 0xff00, 0x200, KVM_PMU_EVENT_DENY);
	tap_check_errno(ret, errno, EINVAL, "PMU FILTER past the last event: EINVAL");
	ret = attr_op(v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_FILTER, (void *)8);
	tap_check_errno(ret, errno, EFAULT, "PMU FILTER at a bad address: EFAULT");
	ret = attr_op(v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_SET_PMU, &bad);
	tap_check_errno(ret, errno, ENXIO, "PMU SET_PMU with no such PMU: ENXIO");
	type = host_pmu_type();
	if (type < 0) {
		tap_skip("no armv8 PMU in /sys/bus/event_source", "PMU SET_PMU with the host's PMU");
	} else {
		ret = attr_op(v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_SET_PMU, &type);
		tap_check_errno(ret, errno, 0, "PMU SET_PMU with the host's PMU (type %d)", type);
	}
	ret = ioctl(v->fd, KVM_RUN, 0);
	tap_check_errno(ret, errno, EINVAL, "KVM_RUN before PMU INIT: EINVAL");
	ret = attr_op(v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL);
	tap_check_errno(ret, errno, 0, "PMU INIT");
	ret = attr_op(v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL);
	tap_check_errno(ret, errno, EBUSY, "PMU INIT again: EBUSY");
	ret = set_filter(v, EV_CPU_CYCLES, 1, KVM_PMU_EVENT_DENY);
	tap_check_errno(ret, errno, EBUSY, "PMU FILTER after INIT: EBUSY");
}

static void check_guest(struct hx_vm *vm, struct hx_vcpu *v)
{
	u64 pmcr, host_n, a, b;
	struct hx_stop st;

	if (hx_get_reg(v, REG_PMCR, &pmcr))
		return;
	host_n = PMCR_N(pmcr);
	tap_check(host_n > 2, "PMCR_EL0.N = %llu event counters (the guest uses 3)",
		  (unsigned long long)host_n);
	tap_check_eq(0, pmcr & 1, "PMCR_EL0.E is clear at reset");
	if (!hx_get_reg(v, REG_PMUSERENR, &a))
		tap_check_eq(0, a, "PMUSERENR_EL0 is 0 at reset");
	if (!hx_get_reg(v, REG_PMCCFILTR, &a))
		tap_check_eq(0, a, "PMCCFILTR_EL0 is 0 at reset");
	hx_set_reg(v, REG_PMEVCNTR(3), 0x1234);

	hx_vcpu_start(v, pmu_main);
	hx_run(v, slow_exit, NULL, &st);
	if (!hx_check_done(v, &st, "the guest programs its PMU"))
		return;
	a = data(vm, D_DFR0) >> 8 & 0xf;
	tap_check(a >= 1 && a <= 5, "ID_AA64DFR0_EL1.PMUVer = %llu (PMUv3, at most v8.4)",
		  (unsigned long long)a);
	tap_check_eq(host_n, PMCR_N(data(vm, D_PMCR)), "the guest's PMCR_EL0.N is ONE_REG's");
	tap_check_eq(1, data(vm, D_PMCEID0) >> EV_CPU_CYCLES & 1,
		     "PMCEID0_EL0 has CPU_CYCLES");
	tap_check_eq(0x1234, data(vm, D_EVCNTR3), "PMEVCNTR3_EL0 holds what ONE_REG set");
	a = data(vm, D_CYC_ON);
	b = data(vm, D_CYC_ON + 8);
	if (!tap_check(b > a, "PMCCNTR_EL0 counts while enabled"))
		tap_diag("before %llu, after %llu", (unsigned long long)a,
			 (unsigned long long)b);
	tap_check_eq(data(vm, D_CYC_OFF), data(vm, D_CYC_OFF + 8),
		     "PMCCNTR_EL0 stands still while disabled");
	a = data(vm, D_CYC_EXIT);
	b = data(vm, D_CYC_EXIT + 8);
	if (!tap_check(b > a && b - a < GUEST_ONLY_MAX,
		       "PMCCNTR_EL0 counts the guest only: not the VMM's %d ms busy in an exit",
		       SLOW_US / 1000))
		tap_diag("counted %lld cycles across the exit (at most %llu)",
			 (long long)(b - a), GUEST_ONLY_MAX);
	tap_check_eq(5, data(vm, D_SWINC), "five PMSWINC_EL0 writes count 5 on a SW_INCR counter");
	tap_check_eq(0, data(vm, D_OVF), "a SW_INCR counter at 0xffffffff wraps to 0");
	tap_check_eq(1, data(vm, D_OVF + 8), "... and its CHAIN neighbour counts the overflow");
	tap_check_eq(1, data(vm, D_OVF + 16) & 3, "... and PMOVSSET_EL0 shows counter 0 only");
	if (!hx_get_reg(v, REG_PMEVCNTR(1), &a))
		tap_check_eq(1, a, "ONE_REG reads the CHAIN counter the guest left");
	if (!tap_check(data(vm, D_EL1_ON) > 0,
		       "a CPU_CYCLES event counter counts at EL1"))
		tap_diag("expected more than 0 from 0 after a spin, got %llu",
			 (unsigned long long)data(vm, D_EL1_ON));
	tap_check_eq(data(vm, D_EL1_OFF), data(vm, D_EL1_OFF + 8),
		     "... and not with PMEVTYPER2_EL0.P set (EL1 excluded)");
	tap_check_eq(0xf, data(vm, D_USERENR), "PMUSERENR_EL0 keeps what EL1 writes");
	if (!hx_get_reg(v, REG_PMCNTENSET, &a))
		tap_check_eq(7, a & 7, "ONE_REG reads PMCNTENSET_EL0 as the guest left it");

	hx_vcpu_start(v, pmu_bad_sel);
	hx_run(v, NULL, NULL, &st);
	if (!tap_check(st.kind == HX_STOP_EXC && HX_ESR_EC(v->exc_esr) == HX_EC_UNKNOWN,
		       "PMXEVCNTR_EL0 with PMSELR_EL0 = 30 (past PMCR_EL0.N): UNDEF")) {
		char buf[160];

		tap_diag("%s", hx_stop_str(v, &st, buf, sizeof(buf)));
	}

	hx_vcpu_start(v, pmu_el0);
	hx_run(v, NULL, NULL, &st);
	if (hx_check_done(v, &st, "the guest counts cycles at its EL0")) {
		a = data(vm, D_EL0);
		b = data(vm, D_EL0 + 8);
		if (!tap_check(b > a, "PMCCNTR_EL0 with PMCCFILTR_EL0.P counts the guest's EL0"))
			tap_diag("before %llu, after %llu", (unsigned long long)a,
				 (unsigned long long)b);
	}
}

static void check_filter(void)
{
	struct hx_vcpu v;
	struct hx_vm vm;
	struct hx_stop st;
	int ret;

	if (hx_vm_create(&vm) ||
	    hx_vcpu_create_features(&vm, &v, 0, 1U << KVM_ARM_VCPU_PMU_V3)) {
		tap_check(false, "VM and vCPU with a PMU set up (filter)");
		return;
	}
	ret = set_filter(&v, EV_CPU_CYCLES, 1, KVM_PMU_EVENT_DENY);
	tap_check_errno(ret, errno, 0, "PMU FILTER denying CPU_CYCLES");
	ret = attr_op(&v, KVM_SET_DEVICE_ATTR, KVM_ARM_VCPU_PMU_V3_INIT, NULL);
	tap_check_errno(ret, errno, 0, "PMU INIT (filter)");
	hx_vcpu_start(&v, pmu_filtered);
	hx_run(&v, NULL, NULL, &st);
	if (hx_check_done(&v, &st, "the guest runs under the filter")) {
		tap_check_eq(0, data(&vm, D_PMCEID0) >> EV_CPU_CYCLES & 1,
			     "a denied event is not in PMCEID0_EL0");
		tap_check_eq(data(&vm, D_CYC_ON), data(&vm, D_CYC_ON + 8),
			     "the cycle counter does not count a denied CPU_CYCLES");
	}
	ret = set_filter(&v, 0, 1, KVM_PMU_EVENT_DENY);
	tap_check_errno(ret, errno, EBUSY, "PMU FILTER after a run: EBUSY");
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

int main(int argc, char **argv)
{
	struct kvm_vcpu_init init;
	struct hx_vcpu v;
	struct hx_vm vm;
	u64 pmcr;
	int cap;

	hx_init(argc, argv, "kvm_pmu", NULL);
	cap = ioctl(hx_dev_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3);
	if (host_pmu_type() < 0) {
		tap_check_eq(0, cap, "no host PMUv3 in sysfs: KVM_CAP_ARM_PMU_V3 is 0");
		tap_skip("no host PMUv3 (/sys/bus/event_source/devices/armv8*)",
			 "the guest PMU");
		return tap_done();
	}
	if (!tap_check_eq(1, cap, "a host PMUv3: KVM_CAP_ARM_PMU_V3 is 1"))
		return tap_done();
	check_no_pmu_vcpu();
	if (hx_vm_create(&vm) ||
	    hx_vcpu_create_features(&vm, &v, 0, 1U << KVM_ARM_VCPU_PMU_V3)) {
		tap_check(false, "VM and vCPU with a PMU set up");
		return tap_done();
	}
	check_attrs(&v);
	check_guest(&vm, &v);

	/* A re-init resets the PMU: PMCR_EL0.E clear, counters stopped. */
	memset(&init, 0, sizeof(init));
	ioctl(vm.fd, KVM_ARM_PREFERRED_TARGET, &init);
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2 | 1U << KVM_ARM_VCPU_PMU_V3;
	tap_check_errno(ioctl(v.fd, KVM_ARM_VCPU_INIT, &init), errno, 0,
			"KVM_ARM_VCPU_INIT again (reset)");
	if (!hx_get_reg(&v, REG_PMCR, &pmcr))
		tap_check_eq(0, pmcr & 1, "PMCR_EL0.E is clear after the reset");
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);

	check_filter();
	return tap_done();
}
