// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters, summed when debugfs reads them; the tracepoints. */
#include "splitvisor.h"

#include <linux/cpumask.h>
#include <linux/kvm.h>
#include <linux/seq_file.h>

#include "stats.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

DEFINE_PER_CPU(struct sv_stats, sv_stats);

static const char * const sv_exit_reason_names[SV_NR_EXIT_REASONS] = {
	[KVM_EXIT_MMIO]			= "mmio",
	[KVM_EXIT_INTR]			= "intr",
	[KVM_EXIT_FAIL_ENTRY]		= "fail_entry",
	[KVM_EXIT_INTERNAL_ERROR]	= "internal_error",
	[KVM_EXIT_SYSTEM_EVENT]		= "system_event",
	[KVM_EXIT_DEBUG]		= "debug",
};

#define sv_stat_sum(field) ({					\
	unsigned int __cpu;					\
	u64 __sum = 0;						\
								\
	for_each_possible_cpu(__cpu)				\
		__sum += per_cpu(sv_stats, __cpu).field;	\
	__sum;							\
})

u64 sv_stats_cpu_hcalls(unsigned int cpu)
{
	return per_cpu(sv_stats, cpu).hcalls;
}

void sv_stats_show(struct seq_file *m)
{
	u64 n;
	int i;

	for (i = 0; i < 64; i++) {
		n = sv_stat_sum(exits_by_ec[i]);
		if (n)
			seq_printf(m, "ec_0x%02x: %llu\n", i, n);
	}
	seq_printf(m, "irq: %llu\n", sv_stat_sum(exits_irq));
	seq_printf(m, "serror: %llu\n", sv_stat_sum(exits_serror));
	seq_printf(m, "mmio_user: %llu\n", sv_stat_sum(exits_mmio_user));
	seq_printf(m, "other: %llu\n", sv_stat_sum(exits_other));
	seq_printf(m, "flush_cpu_ctxt: %llu\n", sv_stat_sum(flush_cpu_ctxt));
	for (i = 0; i < SV_NR_EXIT_REASONS; i++)
		if (sv_exit_reason_names[i])
			seq_printf(m, "vmm_%s: %llu\n", sv_exit_reason_names[i],
				   sv_stat_sum(vmm_exits[i]));
}
