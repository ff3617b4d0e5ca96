/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which workarounds a CPU needs, from its MIDR, its ID registers and what
 * the firmware answers: pure logic, also compiled natively by
 * tests/unit/errata_test.c. The MIDR lists are the kernel 6.1's
 * (arch/arm64/kernel/cpu_errata.c, proton-pack.c), cut to what an
 * ARMv8.0-A split-mode host can be.
 */
#ifndef SV_ERRATA_H
#define SV_ERRATA_H

#include "splitvisor_abi.h"

#define SV_MIDR_IMPL(m)		(((m) >> 24) & 0xff)
#define SV_MIDR_PART(m)		(((m) >> 4) & 0xfff)
#define SV_MIDR_VAR(m)		(((m) >> 20) & 0xf)
#define SV_MIDR_REV(m)		((m) & 0xf)
/* variant:revision as one number, r1p2 = 0x12 */
#define SV_MIDR_RV(m)		(SV_MIDR_VAR(m) << 4 | SV_MIDR_REV(m))

#define SV_IMPL_ARM		0x41
#define SV_PART_A35		0xd04
#define SV_PART_A53		0xd03
#define SV_PART_A55		0xd05
#define SV_PART_A57		0xd07
#define SV_PART_A72		0xd08
#define SV_PART_A73		0xd09
#define SV_PART_A75		0xd0a
#define SV_PART_A76		0xd0b
#define SV_PART_N1		0xd0c
#define SV_PART_A77		0xd0d

/* Mitigation states, as the kernel's enum mitigation_state. */
enum sv_mitigation {
	SV_UNAFFECTED,
	SV_MITIGATED,
	SV_VULNERABLE,
};

/* SMCCC_ARCH_FEATURES answers (DEN0028). */
#define SV_SMCCC_RET_SUCCESS		0
#define SV_SMCCC_RET_NOT_SUPPORTED	(-1)
#define SV_SMCCC_RET_NOT_REQUIRED	(-2)
#define SV_SMCCC_WA_RET_UNAFFECTED	1

/* What the host found out about one CPU, before deciding. */
struct sv_cpu_facts {
	u32 midr;
	u64 pfr0;		/* ID_AA64PFR0_EL1 */
	u64 dfr0;		/* ID_AA64DFR0_EL1 */
	long fw_wa1, fw_wa2, fw_wa3;	/* ARCH_FEATURES answers; -1 none */
	int mitigations_off;	/* mitigations=off on the command line */
};

/* The decision for one CPU. */
struct sv_cpu_errata {
	u64 caps;		/* SV_CAP_* */
	u32 vectors;		/* SV_VECTORS_* */
	u32 bhb_k;		/* loop iterations for SV_VECTORS_BHB_LOOP */
	enum sv_mitigation v2, v4, bhb;
};

static inline int sv_midr_is(u32 midr, u32 part, u32 rv_min, u32 rv_max)
{
	return SV_MIDR_IMPL(midr) == SV_IMPL_ARM &&
	       SV_MIDR_PART(midr) == part &&
	       SV_MIDR_RV(midr) >= rv_min && SV_MIDR_RV(midr) <= rv_max;
}

#define sv_midr_any(midr, part)	sv_midr_is(midr, part, 0, 0xff)

/* Spectre-BHB loop length (spectre_bhb_loop_affected()), 0: none. */
static inline u32 sv_bhb_loop_k(u32 midr)
{
	if (sv_midr_any(midr, SV_PART_A76) || sv_midr_any(midr, SV_PART_A77) ||
	    sv_midr_any(midr, SV_PART_N1))
		return 24;
	if (sv_midr_any(midr, SV_PART_A57) || sv_midr_any(midr, SV_PART_A72))
		return 8;
	return 0;
}

static inline int sv_v2_safe(const struct sv_cpu_facts *f)
{
	/* ID_AA64PFR0_EL1.CSV2, or the kernel's spectre_v2 safe list. */
	return ((f->pfr0 >> 56) & 0xf) != 0 ||
	       sv_midr_any(f->midr, SV_PART_A35) ||
	       sv_midr_any(f->midr, SV_PART_A53) ||
	       sv_midr_any(f->midr, SV_PART_A55);
}

static inline int sv_v4_safe(const struct sv_cpu_facts *f)
{
	return sv_midr_any(f->midr, SV_PART_A35) ||
	       sv_midr_any(f->midr, SV_PART_A53) ||
	       sv_midr_any(f->midr, SV_PART_A55);
}

static inline void sv_cpu_errata_decide(const struct sv_cpu_facts *f,
					struct sv_cpu_errata *e)
{
	u32 midr = f->midr;
	u32 k = sv_bhb_loop_k(midr);

	e->caps = 0;
	e->vectors = SV_VECTORS_DIRECT;
	e->bhb_k = 0;

	/*
	 * ARM64_WORKAROUND_SPECULATIVE_AT: A57 #1319537, A72 #1319367 (split
	 * mode), A76 r0p0-r2p0 #1165522 and A55 r0p0-r2p0 #1530923 (either).
	 */
	if (sv_midr_any(midr, SV_PART_A57) || sv_midr_any(midr, SV_PART_A72) ||
	    sv_midr_is(midr, SV_PART_A76, 0x00, 0x20) ||
	    sv_midr_is(midr, SV_PART_A55, 0x00, 0x20))
		e->caps |= SV_CAP_WA_SPECULATIVE_AT;
	/* A57 r0p0-r1p2 #834220 (ARM64_WORKAROUND_834220). */
	if (sv_midr_is(midr, SV_PART_A57, 0x00, 0x12))
		e->caps |= SV_CAP_WA_834220;
	if ((f->pfr0 >> 24) & 0xf)
		e->caps |= SV_CAP_GICV3_SYSREG;
	if (((f->dfr0 >> 8) & 0xf) != 0 && ((f->dfr0 >> 8) & 0xf) != 0xf)
		e->caps |= SV_CAP_PMUV3;

	/*
	 * Spectre-v2 (spectre_v2_enable_fw_mitigation()): unaffected CPUs
	 * need nothing; the others are mitigated only by the firmware's
	 * ARCH_WORKAROUND_1, called at every entry to EL2 from a guest.
	 */
	if (sv_v2_safe(f) || f->fw_wa1 == SV_SMCCC_WA_RET_UNAFFECTED)
		e->v2 = SV_UNAFFECTED;
	else if (f->fw_wa1 == SV_SMCCC_RET_SUCCESS && !f->mitigations_off)
		e->v2 = SV_MITIGATED;
	else
		e->v2 = SV_VULNERABLE;
	if (e->v2 == SV_MITIGATED)
		e->vectors = SV_VECTORS_FW_WA1;

	/*
	 * Spectre-BHB (spectre_bhb_enable_mitigation()): no point alone
	 * when Spectre-v2 is not mitigated. A57/A72 with the firmware's
	 * WA1 vectors are covered by them; otherwise the loop where the
	 * CPU needs one, else the firmware's ARCH_WORKAROUND_3.
	 */
	if (k == 0 && f->fw_wa3 != SV_SMCCC_RET_SUCCESS)
		e->bhb = SV_UNAFFECTED;
	else if (e->v2 == SV_VULNERABLE || f->mitigations_off)
		e->bhb = SV_VULNERABLE;
	else if (k) {
		e->bhb = SV_MITIGATED;
		if (e->vectors == SV_VECTORS_DIRECT) {
			e->vectors = SV_VECTORS_BHB_LOOP;
			e->bhb_k = k;
		}
	} else {
		e->bhb = SV_MITIGATED;
		e->vectors = SV_VECTORS_FW_WA3;
	}

	/* Spectre-v4: what the host kernel keeps on stays on in guests. */
	if (sv_v4_safe(f) || f->fw_wa2 == SV_SMCCC_WA_RET_UNAFFECTED ||
	    f->fw_wa2 == SV_SMCCC_RET_NOT_REQUIRED)
		e->v4 = SV_UNAFFECTED;
	else if (f->fw_wa2 == SV_SMCCC_RET_SUCCESS && !f->mitigations_off)
		e->v4 = SV_MITIGATED;
	else
		e->v4 = SV_VULNERABLE;
}

/*
 * SMCCC_ARCH_FEATURES for a guest (KVM's kvm_hvc_call_handler()): the
 * worst state over all CPUs, since a vCPU may run on any.
 */
static inline long sv_smccc_wa_answer(int which, enum sv_mitigation worst)
{
	switch (worst) {
	case SV_UNAFFECTED:
		return which == 2 ? SV_SMCCC_RET_NOT_REQUIRED :
				    SV_SMCCC_WA_RET_UNAFFECTED;
	case SV_MITIGATED:
		/* WA2: the host keeps SSBD on around guests; nothing to ask. */
		return which == 2 ? SV_SMCCC_RET_NOT_REQUIRED :
				    SV_SMCCC_RET_SUCCESS;
	default:
		return SV_SMCCC_RET_NOT_SUPPORTED;
	}
}

#endif
