/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters for tests and the bench (debugfs "exits", "status"):
 * never shared with EL2 and never an atomic on the hot path. Tracepoints
 * (trace.h) carry the per-event detail.
 */
#ifndef SV_STATS_H
#define SV_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

#include "splitvisor_abi.h"

struct seq_file;

#define SV_NR_EXIT_REASONS	64

struct sv_stats {
	u64 exits_by_ec[64];		/* SV_EXIT_SYNC, by ESR_EL2.EC */
	u64 exits_irq;
	u64 exits_serror;		/* SError taken or pending at exit */
	u64 exits_mmio_user;
	u64 exits_other;
	u64 vmm_exits[SV_NR_EXIT_REASONS];	/* by kvm_run.exit_reason */
	u64 hcalls;			/* host->EL2 calls from this CPU */
	u64 flush_cpu_ctxt;		/* last-vCPU-ran flushes */
};

DECLARE_PER_CPU(struct sv_stats, sv_stats);

#define sv_stat_inc(field)	this_cpu_inc(sv_stats.field)
#define sv_stat_add(field, n)	this_cpu_add(sv_stats.field, n)

/*
 * An exit, counted right after it with preemption still off: a plain
 * per-CPU increment, no atomic, no preemption toggling.
 */
static inline void sv_stats_exit(u64 exit, u64 esr)
{
	if (exit & SV_EXIT_SERROR_PENDING)
		__this_cpu_inc(sv_stats.exits_serror);
	else if (exit == SV_EXIT_SYNC)
		__this_cpu_inc(sv_stats.exits_by_ec[(esr >> 26) & 0x3f]);
	else if (exit == SV_EXIT_IRQ || exit == SV_EXIT_FIQ)
		__this_cpu_inc(sv_stats.exits_irq);
	else if (exit == SV_EXIT_SERROR)
		__this_cpu_inc(sv_stats.exits_serror);
	else
		__this_cpu_inc(sv_stats.exits_other);
}

void sv_stats_show(struct seq_file *m);
u64 sv_stats_cpu_hcalls(unsigned int cpu);

#endif
