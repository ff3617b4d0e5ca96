/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EL2 operations the highvisor needs, behind one table: an HVC into
 * the lowvisor in split mode; in VHE mode a direct call into the same
 * world-switch phases compiled into the module (vhe.c). Callers never test
 * the mode. Each returns 0, or -ENXIO when EL2 is not up (for vcpu_run
 * and flush_cpu_ctxt: on this CPU; for the broadcast flushes: on any CPU),
 * or -EIO when EL2 failed the call (reported in dmesg).
 */
#ifndef SV_HYP_OPS_H
#define SV_HYP_OPS_H

#include <linux/preempt.h>
#include <linux/types.h>

struct sv_vcpu;

struct sv_hyp_ops {
	/*
	 * Interrupts off. hyp_el2va: the vCPU's EL2 address (split mode;
	 * worked out once, at vCPU creation); flags: SV_RUN_*. *exit =
	 * SV_EXIT_* | SV_EXIT_SERROR_PENDING.
	 */
	int (*vcpu_run)(struct sv_vcpu *hyp, u64 hyp_el2va, u64 flags,
			u64 *exit);
	/* Stage-1+2 TLB entries of vttbr's VMID, all CPUs. */
	int (*flush_vmid)(u64 vttbr);
	/* Every guest's TLB entries, all CPUs: VMID rollover. */
	int (*flush_guests)(void);
	/* vttbr's VMID, this CPU only, and its I-cache: last-vCPU-ran. */
	int (*flush_cpu_ctxt)(u64 vttbr);
	/* Stage-2 entries of pages from ipa on, vttbr's VMID, all CPUs. */
	int (*flush_ipa)(u64 vttbr, u64 ipa, u64 pages);
	/* EL2's own TLB entries, all CPUs: after an EL2 unmap. */
	int (*flush_el2)(void);
	/*
	 * VHE mode only (NULL in split mode): a vCPU's EL1 registers stay
	 * in the CPU from its first run after a load until this, which puts
	 * them back in struct sv_vcpu if this CPU holds them. Preemption
	 * off.
	 */
	void (*vcpu_put)(struct sv_vcpu *hyp);
};

extern const struct sv_hyp_ops *sv_hyp;
extern const struct sv_hyp_ops sv_vhe_ops;

/*
 * Code that reads or writes a running vCPU's EL1 registers in struct
 * sv_vcpu (exception injection, system-register emulation) calls this
 * first: in VHE mode they may still be in the CPU (KVM's
 * vcpu_read_sys_reg() looks at SYSREGS_ON_CPU for the same reason).
 */
static inline void sv_hyp_sysregs_to_memory(struct sv_vcpu *hyp)
{
	if (sv_hyp->vcpu_put) {
		preempt_disable();
		sv_hyp->vcpu_put(hyp);
		preempt_enable();
	}
}

int sv_hyp_ops_init(void);
/* The debug-only skip_tlbi parameter: true if host call fn is to be skipped. */
bool sv_skip_tlbi(u32 fn);

/* vhe.c: VHE mode's per-CPU state, at module load and unload. */
int sv_vhe_init(void);
void sv_vhe_exit(void);

#endif
