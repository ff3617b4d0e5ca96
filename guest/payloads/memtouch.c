// SPDX-License-Identifier: GPL-2.0
/*
 * First touch of guest RAM, for the bench: one word written in every
 * 4 KiB page of MEMTOUCH_SIZE (512 MiB) of RAM that neither the guest nor
 * the VMM touched before, from MEMTOUCH_BASE (past splitvm's default
 * 64 MiB, where the payload lives): run it with --mem 576 or more; with
 * less RAM the first write past its end is an MMIO exit no device claims,
 * a VMM error. One operation is the whole 512 MiB, timed between two
 * ISB-fenced counter reads as in microbench.c, and reported in its
 * format, per operation in picoseconds of counter time:
 *   BENCH name=touch_512m_4k samples=1 batch=1 cntfrq=<hz> min_ps=..
 *         median_ps=.. p99_ps=.. mean_ps=.. pages=131072
 * The name says the backing splitvm chose (test device INFO): _4k with
 * --thp off, _thp with --thp on, no suffix with the host's own policy.
 * Each 4 KiB page is a stage-2 fault where the hypervisor maps pages; a
 * hypervisor that maps 2 MiB blocks of a huge page takes one per block.
 *
 * MARKs around the timed loop (after an empty "_baseline" pair) make
 * `splitvm --exit-stats` print the exits of exactly that interval.
 * Afterwards every page is read back: the written word must be there and
 * the next one zero (a fresh page), or the payload fails instead of
 * reporting figures.
 */
#include "guest.h"

#define MEMTOUCH_BASE	(SV_RAM_BASE + ((u64)SV_RAM_SIZE_MIB << 20))
#define MEMTOUCH_SIZE	(512UL << 20)
#define PAGE_SIZE	4096UL
/* The word written in each page: its address, tagged. */
#define TAG		0x5a00000000000000UL

static void mark(const char *name)
{
	mmio_write64(SV_TESTDEV_BASE + SV_TESTDEV_MARK, (u64)name);
}

static const char *row_name(u64 info)
{
	if (info & SV_TESTDEV_INFO_THP)
		return "touch_512m_thp";
	if (info & SV_TESTDEV_INFO_NOTHP)
		return "touch_512m_4k";
	return "touch_512m";
}

int main(void)
{
	u64 info = mmio_read64(SV_TESTDEV_BASE + SV_TESTDEV_INFO);
	const char *name = row_name(info);
	u64 freq = guest_cntfrq();
	u64 a, t0, t1, ps;

	GUEST_ASSERT(freq);
	mark("-");
	mark("_baseline");
	mark("-");
	t0 = guest_cntvct();
	for (a = MEMTOUCH_BASE; a < MEMTOUCH_BASE + MEMTOUCH_SIZE;
	     a += PAGE_SIZE)
		mmio_write64(a, a | TAG);
	t1 = guest_cntvct();
	mark(name);

	for (a = MEMTOUCH_BASE; a < MEMTOUCH_BASE + MEMTOUCH_SIZE;
	     a += PAGE_SIZE) {
		GUEST_ASSERT_EQ(mmio_read64(a), a | TAG);
		GUEST_ASSERT_EQ(mmio_read64(a + 8), 0);
	}
	ps = (u64)((__uint128_t)(t1 - t0) * 1000000000000ULL / freq);
	guest_printf("BENCH name=%s samples=1 batch=1 cntfrq=%lu min_ps=%lu median_ps=%lu p99_ps=%lu mean_ps=%lu pages=%lu\n",
		     name, freq, ps, ps, ps, ps, MEMTOUCH_SIZE / PAGE_SIZE);
	return 0;
}
