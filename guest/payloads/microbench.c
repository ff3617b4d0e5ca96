// SPDX-License-Identifier: GPL-2.0
/*
 * Guest exit micro-benchmarks, in the shape of kvm-unit-tests'
 * arm/micro-bench.c: a table of {name, prep, exec, count}. Each sample
 * times count back-to-back exec() calls between two ISB-fenced counter
 * reads (the counter ticks coarsely under QEMU -icount, so one operation
 * is too short to time alone); per operation, in picoseconds of counter
 * time, like bench/el2_null.sh:
 *   BENCH name=hvc samples=256 batch=64 cntfrq=<hz> min_ps=.. median_ps=.. p99_ps=..
 */
#include "guest.h"
#include "splitvisor_abi.h"

#define SAMPLES		256
#define BATCH		64

struct exit_test {
	const char *name;
	bool (*prep)(void);
	void (*exec)(void);
	u32 count;
	bool optional;		/* a failed prep skips the row, not an error */
};

static bool hvc_prep(void)
{
	u64 ver = guest_hvc(SMCCC_VERSION, 0, 0, 0).a0;

	if ((s64)ver < 0x10000) {
		guest_printf("microbench: SMCCC_VERSION = 0x%lx, not 1.0+\n",
			     ver);
		return false;
	}
	return true;
}

/* A null call the hypervisor answers without leaving the kernel. */
static void hvc_exec(void)
{
	guest_hvc(SMCCC_VERSION, 0, 0, 0);
}

/* splitvisor's EL2-only null call: answered without a world switch. */
static bool hvc_el2_prep(void)
{
	return guest_hvc(SV_GUEST_HC_NULL, 0, 0, 0).a0 == 0;
}

static void hvc_el2_exec(void)
{
	guest_hvc(SV_GUEST_HC_NULL, 0, 0, 0);
}

static bool mmio_read_user_prep(void)
{
	mmio_write64(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH, 0x5a5a);
	return mmio_read64(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH) == 0x5a5a;
}

/* An MMIO read the VMM answers: an exit to user space and back. */
static void mmio_read_user_exec(void)
{
	mmio_read32(SV_TESTDEV_BASE + SV_TESTDEV_SCRATCH);
}

static const struct exit_test tests[] = {
	{ "hvc", hvc_prep, hvc_exec, BATCH, false },
	{ "hvc_el2", hvc_el2_prep, hvc_el2_exec, BATCH, true },
	{ "mmio_read_user", mmio_read_user_prep, mmio_read_user_exec, BATCH,
	  false },
};

static u64 ps[SAMPLES];

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

static bool run_test(const struct exit_test *t, u64 freq)
{
	int i;
	u32 j;

	if (t->prep && !t->prep()) {
		if (t->optional) {
			guest_printf("BENCH name=%s skipped: not offered by this hypervisor\n",
				     t->name);
			return true;
		}
		guest_printf("microbench: %s: prep failed\n", t->name);
		return false;
	}
	for (i = 0; i < SAMPLES; i++) {
		u64 t0, t1;

		t0 = guest_cntvct();
		for (j = 0; j < t->count; j++)
			t->exec();
		t1 = guest_cntvct();
		ps[i] = (u64)((__uint128_t)(t1 - t0) * 1000000000000ULL /
			      ((__uint128_t)freq * t->count));
	}
	sort(ps, SAMPLES);
	guest_printf("BENCH name=%s samples=%d batch=%u cntfrq=%lu min_ps=%lu median_ps=%lu p99_ps=%lu\n",
		     t->name, SAMPLES, t->count, freq, ps[0],
		     ps[SAMPLES / 2], ps[SAMPLES * 99 / 100]);
	return true;
}

int main(void)
{
	u64 freq = guest_cntfrq();
	unsigned int i;
	int failed = 0;

	GUEST_ASSERT(freq);
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		if (!run_test(&tests[i], freq))
			failed++;
	return failed ? 1 : 0;
}
