// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU capabilities and errata workarounds: worked out on each CPU as
 * its EL2 comes up (so big.LITTLE CPUs each get their own), handed to EL2
 * in its per-CPU page, shown in debugfs "caps". The decisions are in
 * errata.h; this file gathers the facts.
 */
#include "splitvisor.h"

#include <linux/arm-smccc.h>
#include <linux/cpu.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <asm/cputype.h>
#include <asm/sysreg.h>

#include "errata.h"

/*
 * For tests on emulators without errata: use this vector kind on every
 * CPU (-1: what the CPU needs). The firmware kinds are refused where the
 * firmware does not implement the call (the SMC would UNDEF at EL2).
 */
static int force_vectors = -1;
module_param(force_vectors, int, 0444);
MODULE_PARM_DESC(force_vectors,
		 "TESTING: EL2 vector kind for guests on every CPU (0 direct, 1 BHB loop, 2 fw WA1, 3 fw WA3; -1 auto)");

static long sv_fw_arch_feature(u32 wa)
{
	struct arm_smccc_res res;

	/*
	 * Only an SMC conduit can reach firmware from here: with an HVC
	 * conduit the call would come to our own EL2.
	 */
	if (arm_smccc_1_1_get_conduit() != SMCCC_CONDUIT_SMC)
		return SV_SMCCC_RET_NOT_SUPPORTED;
	arm_smccc_1_1_smc(ARM_SMCCC_ARCH_FEATURES_FUNC_ID, wa, &res);
	return (long)res.a0;
}

static const char * const sv_vector_names[SV_NR_VECTORS] = {
	[SV_VECTORS_DIRECT]	= "direct",
	[SV_VECTORS_BHB_LOOP]	= "bhb_loop",
	[SV_VECTORS_FW_WA1]	= "fw_wa1",
	[SV_VECTORS_FW_WA3]	= "fw_wa3",
};

static const char * const sv_state_names[] = {
	[SV_UNAFFECTED]	= "unaffected",
	[SV_MITIGATED]	= "mitigated",
	[SV_VULNERABLE]	= "vulnerable",
};

/*
 * On the CPU itself, interrupts off: before SV_HC_INIT in split mode, when
 * it comes online in VHE mode. el2: its per-CPU state; vbar: the address
 * of the runtime vector tables as the world switch sees them.
 */
void sv_cpu_caps_probe(unsigned int cpu, struct sv_el2_cpu *el2, u64 vbar)
{
	struct sv_pcpu *pc = &sv.cpus[cpu];
	struct sv_cpu_facts f = {
		.midr = read_cpuid_id(),
		.pfr0 = read_sysreg_s(SYS_ID_AA64PFR0_EL1),
		.dfr0 = read_sysreg_s(SYS_ID_AA64DFR0_EL1),
		.fw_wa1 = sv_fw_arch_feature(ARM_SMCCC_ARCH_WORKAROUND_1),
		.fw_wa2 = sv_fw_arch_feature(ARM_SMCCC_ARCH_WORKAROUND_2),
		.fw_wa3 = sv_fw_arch_feature(ARM_SMCCC_ARCH_WORKAROUND_3),
		.mitigations_off = cpu_mitigations_off(),
	};
	struct sv_cpu_errata *e = &pc->errata;

	pc->midr = f.midr;
	sv_cpu_errata_decide(&f, e);
	if (force_vectors >= 0 && force_vectors < SV_NR_VECTORS &&
	    (force_vectors != SV_VECTORS_FW_WA1 || f.fw_wa1 == 0) &&
	    (force_vectors != SV_VECTORS_FW_WA3 || f.fw_wa3 == 0)) {
		e->vectors = force_vectors;
		if (e->vectors == SV_VECTORS_BHB_LOOP && !e->bhb_k)
			e->bhb_k = sv_bhb_loop_k(f.midr) ?: 8;
	}

	el2->caps = e->caps;
	el2->bhb_loop_k = e->bhb_k;
	el2->runtime_vbar = vbar;
	el2->guest_vbar = vbar + e->vectors * SV_VECTORS_SIZE;
}

/* The worst of one state over the CPUs that ever came up. */
static enum sv_mitigation sv_worst(size_t off)
{
	enum sv_mitigation worst = SV_UNAFFECTED, s;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		if (!sv.cpus[cpu].midr)
			continue;
		s = *(enum sv_mitigation *)((char *)&sv.cpus[cpu].errata + off);
		if (s > worst)
			worst = s;
	}
	return worst;
}

/*
 * The state guests get for ARCH_WORKAROUND_<which> (1: Spectre-v2, 2:
 * Spectre-v4, 3: Spectre-BHB): the worst CPU's.
 */
int sv_cpu_caps_mitigation(int which)
{
	size_t off = which == 1 ? offsetof(struct sv_cpu_errata, v2) :
		     which == 2 ? offsetof(struct sv_cpu_errata, v4) :
				  offsetof(struct sv_cpu_errata, bhb);

	return sv_worst(off);
}

/* SMCCC_ARCH_FEATURES(ARCH_WORKAROUND_<which>) for guests. */
long sv_cpu_caps_smccc_wa(int which)
{
	return sv_smccc_wa_answer(which, sv_cpu_caps_mitigation(which));
}

void sv_cpu_caps_show(struct seq_file *m)
{
	unsigned int cpu;
	int i;

	for_each_possible_cpu(cpu) {
		const struct sv_pcpu *pc = &sv.cpus[cpu];
		const struct sv_cpu_errata *e = &pc->errata;

		if (!pc->midr)
			continue;
		seq_printf(m, "cpu%u: midr=0x%08llx caps=0x%llx%s%s%s%s vectors=%s bhb_k=%u spectre_v2=%s spectre_v4=%s spectre_bhb=%s\n",
			   cpu, pc->midr, e->caps,
			   e->caps & SV_CAP_WA_SPECULATIVE_AT ? " speculative_at" : "",
			   e->caps & SV_CAP_WA_834220 ? " 834220" : "",
			   e->caps & SV_CAP_GICV3_SYSREG ? " gicv3_sysreg" : "",
			   e->caps & SV_CAP_PMUV3 ? " pmuv3" : "",
			   sv_vector_names[e->vectors], e->bhb_k,
			   sv_state_names[e->v2], sv_state_names[e->v4],
			   sv_state_names[e->bhb]);
	}
	for (i = 1; i <= 3; i++)
		seq_printf(m, "guest_arch_workaround_%d: %ld\n", i,
			   sv_cpu_caps_smccc_wa(i));
}
