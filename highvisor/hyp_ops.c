// SPDX-License-Identifier: GPL-2.0
/*
 * EL2 operations, split-mode implementation: one host call each (see
 * shared/ABI.md); VHE mode's are in vhe.c. The debug-only skip_tlbi parameter drops one kind of
 * TLB invalidation on purpose, so that the test suite can show it would
 * notice (docs/testing.md, "mutation check").
 */
#include "splitvisor.h"

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "hyp_ops.h"
#include "stats.h"
#include "trace.h"

/* Which TLB invalidation skip_tlbi drops: the SV_HC_* number, 0 none. */
static uint skip_tlbi;
module_param(skip_tlbi, uint, 0644);
MODULE_PARM_DESC(skip_tlbi,
		 "DEBUG ONLY, breaks isolation: skip the TLB invalidation of host call N (4 VMID, 5 EL2, 6 all guests, 7 CPU context, 8 IPA range)");

static int sv_split_call(u32 fn, u64 a1, u64 a2, u64 a3,
			 struct sv_hvc_res *res)
{
	int ret;

	ret = sv_call_el2_args(SV_HC_ID(fn), a1, a2, a3, res);
	sv_stat_inc(hcalls);
	trace_sv_hyp_call(fn, a1, res->a0);
	return ret;
}

bool sv_skip_tlbi(u32 fn)
{
	if (likely(READ_ONCE(skip_tlbi) != fn))
		return false;
	pr_warn_ratelimited("skip_tlbi=%u: TLB invalidation skipped on purpose\n",
			    fn);
	return true;
}

static int sv_split_flush(u32 fn, u64 a1, u64 a2, u64 a3)
{
	struct sv_hvc_res res;

	if (sv_skip_tlbi(fn))
		return 0;
	return sv_split_call(fn, a1, a2, a3, &res);
}

static noinline void sv_split_run_failed(int cpu, u64 a0, u64 a1, u64 a2,
					 u64 a3)
{
	struct sv_hvc_res res = { a0, a1, a2, a3 };

	sv_el2_report(cpu, "vCPU run", &res);
}

/* The hot path: no counter here (the caller counts exits). */
static int sv_split_vcpu_run(struct sv_vcpu *hyp, u64 hyp_el2va, u64 flags,
			     u64 *exit)
{
	struct sv_hvc_res res;
	int cpu = smp_processor_id();

	if (!sv.cpus[cpu].up)
		return -ENXIO;
	res = sv_hvc3_ret(SV_HC_ID(SV_HC_VCPU_RUN), hyp_el2va, flags, 0);
	if (unlikely(res.a0 != SV_RET_OK)) {
		sv_split_run_failed(cpu, res.a0, res.a1, res.a2, res.a3);
		return -EIO;
	}
	*exit = res.a1;
	return 0;
}

static int sv_split_flush_vmid(u64 vttbr)
{
	return sv_split_flush(SV_HC_FLUSH_VMID, vttbr, 0, 0);
}

static int sv_split_flush_guests(void)
{
	return sv_split_flush(SV_HC_FLUSH_GUESTS, 0, 0, 0);
}

static int sv_split_flush_cpu_ctxt(u64 vttbr)
{
	return sv_split_flush(SV_HC_FLUSH_CPU_CTXT, vttbr, 0, 0);
}

static int sv_split_flush_ipa(u64 vttbr, u64 ipa, u64 pages)
{
	return sv_split_flush(SV_HC_FLUSH_IPA, vttbr, ipa, pages);
}

static int sv_split_flush_el2(void)
{
	return sv_split_flush(SV_HC_FLUSH_EL2, 0, 0, 0);
}

static const struct sv_hyp_ops sv_split_ops = {
	.vcpu_run	= sv_split_vcpu_run,
	.flush_vmid	= sv_split_flush_vmid,
	.flush_guests	= sv_split_flush_guests,
	.flush_cpu_ctxt	= sv_split_flush_cpu_ctxt,
	.flush_ipa	= sv_split_flush_ipa,
	.flush_el2	= sv_split_flush_el2,
};

const struct sv_hyp_ops *sv_hyp;

int sv_hyp_ops_init(void)
{
	sv_hyp = sv.mode == SV_MODE_SPLIT ? &sv_split_ops : &sv_vhe_ops;
	if (skip_tlbi)
		pr_warn("skip_tlbi=%u: a debug setting that breaks guest isolation\n",
			skip_tlbi);
	return 0;
}
