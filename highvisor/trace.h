/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints (perf, trace-cmd: events/splitvisor/): the per-event view
 * the per-CPU counters do not keep. Disabled, each is a NOP.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM splitvisor

#if !defined(SV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SV_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(sv_vcpu_enter,
	TP_PROTO(u64 vm, u32 vcpu, u64 pc),
	TP_ARGS(vm, vcpu, pc),
	TP_STRUCT__entry(
		__field(u64, vm)
		__field(u32, vcpu)
		__field(u64, pc)
	),
	TP_fast_assign(
		__entry->vm = vm;
		__entry->vcpu = vcpu;
		__entry->pc = pc;
	),
	TP_printk("vm %llu vcpu %u pc 0x%llx", __entry->vm, __entry->vcpu,
		  __entry->pc)
);

TRACE_EVENT(sv_vcpu_exit,
	TP_PROTO(u64 vm, u32 vcpu, u64 code, u64 esr, u64 pc),
	TP_ARGS(vm, vcpu, code, esr, pc),
	TP_STRUCT__entry(
		__field(u64, vm)
		__field(u32, vcpu)
		__field(u64, code)
		__field(u64, esr)
		__field(u64, pc)
	),
	TP_fast_assign(
		__entry->vm = vm;
		__entry->vcpu = vcpu;
		__entry->code = code;
		__entry->esr = esr;
		__entry->pc = pc;
	),
	TP_printk("vm %llu vcpu %u exit 0x%llx esr 0x%llx pc 0x%llx",
		  __entry->vm, __entry->vcpu, __entry->code, __entry->esr,
		  __entry->pc)
);

TRACE_EVENT(sv_vcpu_load,
	TP_PROTO(u64 vm, u32 vcpu, int cpu, bool flush),
	TP_ARGS(vm, vcpu, cpu, flush),
	TP_STRUCT__entry(
		__field(u64, vm)
		__field(u32, vcpu)
		__field(int, cpu)
		__field(bool, flush)
	),
	TP_fast_assign(
		__entry->vm = vm;
		__entry->vcpu = vcpu;
		__entry->cpu = cpu;
		__entry->flush = flush;
	),
	TP_printk("vm %llu vcpu %u on cpu %d%s", __entry->vm, __entry->vcpu,
		  __entry->cpu, __entry->flush ? " (flushed: last vcpu ran)" : "")
);

TRACE_EVENT(sv_hyp_call,
	TP_PROTO(u32 fn, u64 arg, u64 ret),
	TP_ARGS(fn, arg, ret),
	TP_STRUCT__entry(
		__field(u32, fn)
		__field(u64, arg)
		__field(u64, ret)
	),
	TP_fast_assign(
		__entry->fn = fn;
		__entry->arg = arg;
		__entry->ret = ret;
	),
	TP_printk("fn %u arg 0x%llx ret 0x%llx", __entry->fn, __entry->arg,
		  __entry->ret)
);

#endif /* SV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
