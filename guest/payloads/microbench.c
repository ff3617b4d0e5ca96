// SPDX-License-Identifier: GPL-2.0
/*
 * Guest exit micro-benchmarks, in the shape of kvm-unit-tests'
 * arm/micro-bench.c: a table of {name, prep, exec, count}. A sample times
 * count back-to-back exec() calls between two ISB-fenced counter reads
 * (the counter ticks coarsely, every 16 instructions under QEMU -icount,
 * so one operation is too short to time alone). Per operation, in
 * picoseconds of counter time, one line per row:
 *   BENCH name=hvc samples=256 batch=64 cntfrq=<hz> min_ps=.. median_ps=..
 *         p99_ps=.. mean_ps=..
 *   BENCH name=eoi skipped reason=<why, to the end of the line>
 * Rows whose capability is missing are skipped with the reason; a prep
 * that fails where the capability is there fails the payload.
 *
 * Around each timed loop the test device's MARK register names the
 * interval, so that `splitvm --exit-stats` prints the exits it took
 * ("EXITS name=<row> ..."; "-" marks the start of an interval, and
 * "_baseline" an empty one, what a MARK pair itself costs).
 *
 * After each row's timed loop, PROFILE_OPS more operations run between
 * two profile markers (HINT #0x70, #0x71: NOPs on every CPU) for the
 * bench's QEMU plugin (bench/plugin/), which attributes each instruction
 * of that window to a function; the guest prints
 *   PROFILE window=<n> name=<row> ops=<PROFILE_OPS>
 * for each window, in the order the plugin sees them.
 */
#include "gic.h"
#include "splitvisor_abi.h"

#define SAMPLES		256
#define BATCH		64
#define PROFILE_OPS	16

/* virq: an SPI the VMM raises (KVM_IRQ_LINE) when the guest asks. */
#define BENCH_SPI		40
/* wfi_wake: the timer deadline, in counter ticks after arming it. */
#define WFI_WAKE_TICKS		1024
/* stage2_fault: each operation writes to a page never touched before. */
#define S2_REGION		(SV_RAM_BASE + (32UL << 20))
#define S2_SAMPLES		64
#define S2_BATCH		16

#define CNTV_CTL_ENABLE		(1 << 0)

struct exit_test {
	const char *name;
	/* NULL: runs; else why it cannot run here (the row is skipped). */
	const char *(*prep)(void);
	void (*exec)(void);
	u32 count;
	u32 samples;
	/* Subtracted from each operation, in counter ticks (wfi_wake). */
	u32 minus_ticks;
	/* Measured in full even in a functional run (below). */
	bool always;
};

/*
 * The bench runs splitvm with --exit-stats (SV_TESTDEV_INFO_STATS): then
 * every row takes its samples. Otherwise (a functional run, e.g.
 * tests/board/tests/vmm.sh, without icount and under a time limit) the
 * rows not marked always take SMOKE_SAMPLES: they are run, not measured.
 */
#define SMOKE_SAMPLES	8

static u64 testdev_info;
/* Set by the IRQ handler, polled by the payload: __atomic accesses. */
static u32 irq_seen;
static u64 s2_next;

static void mark(const char *name)
{
	mmio_write64(SV_TESTDEV_BASE + SV_TESTDEV_MARK, (u64)name);
}

static int vgic_version(void)
{
	if (testdev_info & SV_TESTDEV_INFO_VGIC_V3)
		return 3;
	if (testdev_info & SV_TESTDEV_INFO_VGIC_V2)
		return 2;
	return 0;
}

static const char *need_vgic(void)
{
	return vgic_version() ? NULL :
		"needs an in-kernel vGIC, and this VM has none";
}

static const char *hvc_prep(void)
{
	u64 ver = guest_hvc(SMCCC_VERSION, 0, 0, 0).a0;

	if ((s64)ver < 0x10000) {
		guest_printf("microbench: SMCCC_VERSION = 0x%lx, not 1.0+\n",
			     ver);
		GUEST_ASSERT((s64)ver >= 0x10000);
	}
	return NULL;
}

/* A null call the hypervisor answers without leaving the kernel. */
static void hvc_exec(void)
{
	guest_hvc(SMCCC_VERSION, 0, 0, 0);
}

/* splitvisor's EL2-only null call: answered without a world switch. */
static const char *hvc_el2_prep(void)
{
	return guest_hvc(SV_GUEST_HC_NULL, 0, 0, 0).a0 == 0 ? NULL :
		"no EL2-only null call in this hypervisor";
}

static void hvc_el2_exec(void)
{
	guest_hvc(SV_GUEST_HC_NULL, 0, 0, 0);
}

static const char *mmio_user_prep(void)
{
	mmio_write64(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH, 0x5a5a);
	GUEST_ASSERT_EQ(mmio_read64(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH),
			0x5a5a);
	return NULL;
}

/* An MMIO read the VMM answers: an exit to user space and back. */
static void mmio_read_user_exec(void)
{
	mmio_read32(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH);
}

static void mmio_write_user_exec(void)
{
	mmio_write32(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH, 1);
}

/* An MMIO read the hypervisor answers in the kernel: the vGIC's IIDR. */
static void mmio_read_kernel_exec(void)
{
	mmio_read32(SV_GICD_BASE + GICD_IIDR);
}

/* An ID register read: trapped by HCR_EL2.TID3 and emulated. */
static const char *sysreg_trap_prep(void)
{
	return NULL;
}

static void sysreg_trap_exec(void)
{
	u64 v;

	asm volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v) : : "memory");
}

static void bench_irq(void)
{
	u32 intid = gic_ack();

	if (intid == GIC_INTID_VTIMER)
		asm volatile("msr cntv_ctl_el0, xzr\n\tisb");
	if (intid < GIC_SPURIOUS) {
		gic_eoi(intid);
		__atomic_store_n(&irq_seen, 1, __ATOMIC_RELAXED);
	}
}

static bool gic_ready;

static const char *gic_prep(void)
{
	const char *why = need_vgic();

	if (why)
		return why;
	if (!gic_ready) {
		gic_init(vgic_version());
		gic_enable_spi(BENCH_SPI);
		gic_enable_ppi(GIC_INTID_VTIMER);
		guest_set_irq_handler(bench_irq);
		gic_ready = true;
	}
	return NULL;
}

/* EOI of the spurious INTID: no effect, and no exit with a vGIC. */
static void eoi_exec(void)
{
	gic_eoi(GIC_SPURIOUS);
}

static const char *ipi_prep(void)
{
	return "needs 2 vCPUs: the guest runtime has no secondary-CPU entry yet";
}

static void wait_irq(void)
{
	while (!__atomic_load_n(&irq_seen, __ATOMIC_RELAXED))
		;
}

/* The VMM raises an SPI (an exit to user space); until the handler ran. */
static void virq_exec(void)
{
	__atomic_store_n(&irq_seen, 0, __ATOMIC_RELAXED);
	asm volatile("msr daifclr, #2" : : : "memory");
	mmio_write32(SV_TESTDEV_BASE + SV_TESTDEV_IRQ, BENCH_SPI);
	wait_irq();
	asm volatile("msr daifset, #2" : : : "memory");
}

/*
 * Arms the virtual timer ticks from now, with IRQs masked; with wfi, waits
 * for it in WFI (the vCPU blocks in the hypervisor); then unmasks and
 * waits until the handler ran.
 */
static void timer_wait(u64 ticks, bool wfi)
{
	__atomic_store_n(&irq_seen, 0, __ATOMIC_RELAXED);
	asm volatile("msr cntv_tval_el0, %0\n\t"
		     "msr cntv_ctl_el0, %1\n\t"
		     "isb" : : "r"(ticks), "r"((u64)CNTV_CTL_ENABLE) : "memory");
	if (wfi)
		asm volatile("wfi" : : : "memory");
	asm volatile("msr daifclr, #2" : : : "memory");
	wait_irq();
	asm volatile("msr daifset, #2" : : : "memory");
}

/* The virtual timer, due now: from arming it until the handler ran. */
static void timer_exec(void)
{
	timer_wait(0, false);
}

/*
 * WFI until the virtual timer fires WFI_WAKE_TICKS later, then the
 * handler: the row is the time past the deadline (minus_ticks).
 */
static void wfi_wake_exec(void)
{
	timer_wait(WFI_WAKE_TICKS, true);
}

static const char *stage2_fault_prep(void)
{
	s2_next = S2_REGION;
	return NULL;
}

/* A write to a page the guest never touched: a stage-2 fault. */
static void stage2_fault_exec(void)
{
	mmio_write32(s2_next, 1);
	s2_next += 4096;
}

/*
 * One FP instruction after an exit to the VMM: where the hypervisor
 * switches FP/SIMD lazily from each return to user space (KVM: the
 * vCPU is put), that instruction traps again; subtract mmio_read_user.
 */
static const char *fp_prep(void)
{
	u64 cpacr;

	asm volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	asm volatile("msr cpacr_el1, %0\n\tisb"
		     : : "r"(cpacr | (3UL << 20)) : "memory");
	return mmio_user_prep();
}

static void fp_first_use_exec(void)
{
	mmio_read32(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH);
	asm volatile(".arch_extension fp\n\tfmov d0, xzr" : : : "v0");
}

/*
 * The order matters: fp_first_use turns FP switching on for the rest of
 * the vCPU's life on a hypervisor that switches it eagerly once used, so
 * it runs last; stage2_fault before it.
 */
static const struct exit_test tests[] = {
	{ "hvc", hvc_prep, hvc_exec, BATCH, SAMPLES, 0, true },
	{ "hvc_el2", hvc_el2_prep, hvc_el2_exec, BATCH, SAMPLES, 0, true },
	{ "mmio_read_user", mmio_user_prep, mmio_read_user_exec, BATCH,
	  SAMPLES, 0, true },
	{ "mmio_write_user", mmio_user_prep, mmio_write_user_exec, BATCH,
	  SAMPLES, 0, false },
	{ "sysreg_trap", sysreg_trap_prep, sysreg_trap_exec, BATCH, SAMPLES,
	  0, false },
	{ "mmio_read_kernel", gic_prep, mmio_read_kernel_exec, BATCH,
	  SAMPLES, 0, false },
	{ "eoi", gic_prep, eoi_exec, BATCH, SAMPLES, 0, false },
	{ "ipi", ipi_prep, NULL, BATCH, SAMPLES, 0, false },
	{ "virq", gic_prep, virq_exec, BATCH, SAMPLES, 0, false },
	{ "timer", gic_prep, timer_exec, BATCH, SAMPLES, 0, false },
	{ "wfi_wake", gic_prep, wfi_wake_exec, 16, 64, WFI_WAKE_TICKS, false },
	{ "stage2_fault", stage2_fault_prep, stage2_fault_exec, S2_BATCH,
	  S2_SAMPLES, 0, false },
	{ "fp_first_use", fp_prep, fp_first_use_exec, BATCH, SAMPLES, 0, false },
};

static u64 ps[SAMPLES];
static int profile_window;

static void sort(u64 *a, int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		u64 v = a[i];

		for (j = i; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static void profile(const struct exit_test *t)
{
	u32 j, n = PROFILE_OPS;

	if (t->exec == stage2_fault_exec)
		n = 4;	/* fresh pages are few: 64 MiB of RAM */
	asm volatile("hint #0x70" : : : "memory");
	for (j = 0; j < n; j++)
		t->exec();
	asm volatile("hint #0x71" : : : "memory");
	guest_printf("PROFILE window=%d name=%s ops=%u\n", profile_window++,
		     t->name, n);
}

static void run_test(const struct exit_test *t, u64 freq)
{
	const char *why = t->prep ? t->prep() : NULL;
	u64 sum = 0;
	u32 i, j, n = t->samples;

	if (!t->always && !(testdev_info & SV_TESTDEV_INFO_STATS) &&
	    n > SMOKE_SAMPLES)
		n = SMOKE_SAMPLES;
	if (why) {
		guest_printf("BENCH name=%s skipped reason=%s\n", t->name,
			     why);
		return;
	}
	mark("-");
	for (i = 0; i < n; i++) {
		u64 t0, t1, ticks;

		t0 = guest_cntvct();
		for (j = 0; j < t->count; j++)
			t->exec();
		t1 = guest_cntvct();
		ticks = t1 - t0;
		ticks = ticks > (u64)t->minus_ticks * t->count ?
			ticks - (u64)t->minus_ticks * t->count : 0;
		ps[i] = (u64)((__uint128_t)ticks * 1000000000000ULL /
			      ((__uint128_t)freq * t->count));
		sum += ps[i];
	}
	mark(t->name);
	sort(ps, n);
	guest_printf("BENCH name=%s samples=%u batch=%u cntfrq=%lu min_ps=%lu median_ps=%lu p99_ps=%lu mean_ps=%lu\n",
		     t->name, n, t->count, freq, ps[0], ps[n / 2],
		     ps[n * 99 / 100], sum / n);
	profile(t);
}

int main(void)
{
	u64 freq = guest_cntfrq();
	unsigned int i;

	GUEST_ASSERT(freq);
	testdev_info = mmio_read64(SV_TESTDEV_BASE + SV_TESTDEV_INFO);
	mark("-");
	mark("_baseline");
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		run_test(&tests[i], freq);
	return 0;
}
