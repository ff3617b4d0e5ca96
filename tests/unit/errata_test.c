// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for highvisor/errata.h: which workarounds and EL2 vector
 * kind each CPU gets from its MIDR, ID registers and firmware answers, and
 * what guests are told. Expected values follow the kernel 6.1's lists and
 * its spectre_v2/spectre_bhb decisions (arch/arm64/kernel/proton-pack.c).
 */
#include <string.h>

#include "errata.h"
#include "tap.h"

#define MIDR_A57_R1P0	0x411fd070u	/* QEMU's cortex-a57 */
#define MIDR_A57_R1P2	0x411fd072u
#define MIDR_A57_R1P3	0x411fd073u
#define MIDR_A72_R0P3	0x410fd083u
#define MIDR_A53_R0P4	0x410fd034u
#define MIDR_N1_R4P1	0x414fd0c1u
#define MIDR_A76_R2P0	0x412fd0b0u
#define MIDR_A76_R3P0	0x413fd0b0u
#define MIDR_A55_R2P0	0x412fd050u
#define MIDR_A55_R2P1	0x412fd051u
#define MIDR_OTHER	0x410fd400u	/* not in any list */
#define PFR0_GICV3	(1ULL << 24)
#define PFR0_CSV2	(1ULL << 56)
#define DFR0_PMUV3	(1ULL << 8)
#define NONE		SV_SMCCC_RET_NOT_SUPPORTED

struct errata_case {
	const char *name;
	struct sv_cpu_facts f;
	u64 caps;
	u32 vectors, bhb_k;
	enum sv_mitigation v2, v4, bhb;
};

static const struct errata_case cases[] = {
	{ "A57 r1p0, GICv3, PMU, no firmware (QEMU)",
	  { MIDR_A57_R1P0, PFR0_GICV3, DFR0_PMUV3, NONE, NONE, NONE, 0 },
	  SV_CAP_WA_SPECULATIVE_AT | SV_CAP_WA_834220 | SV_CAP_GICV3_SYSREG |
	  SV_CAP_PMUV3, SV_VECTORS_DIRECT, 0,
	  SV_VULNERABLE, SV_VULNERABLE, SV_VULNERABLE },
	{ "A57 r1p2: last revision with #834220",
	  { MIDR_A57_R1P2, 0, 0, NONE, NONE, NONE, 0 },
	  SV_CAP_WA_SPECULATIVE_AT | SV_CAP_WA_834220, SV_VECTORS_DIRECT, 0,
	  SV_VULNERABLE, SV_VULNERABLE, SV_VULNERABLE },
	{ "A57 r1p3: no #834220",
	  { MIDR_A57_R1P3, 0, 0, NONE, NONE, NONE, 0 },
	  SV_CAP_WA_SPECULATIVE_AT, SV_VECTORS_DIRECT, 0,
	  SV_VULNERABLE, SV_VULNERABLE, SV_VULNERABLE },
	{ "A57 with firmware WA1/WA2: WA1 vectors cover BHB",
	  { MIDR_A57_R1P3, 0, 0, 0, 0, NONE, 0 },
	  SV_CAP_WA_SPECULATIVE_AT, SV_VECTORS_FW_WA1, 0,
	  SV_MITIGATED, SV_MITIGATED, SV_MITIGATED },
	{ "A57 with firmware, mitigations=off",
	  { MIDR_A57_R1P3, 0, 0, 0, 0, 0, 1 },
	  SV_CAP_WA_SPECULATIVE_AT, SV_VECTORS_DIRECT, 0,
	  SV_VULNERABLE, SV_VULNERABLE, SV_VULNERABLE },
	{ "A57, firmware says unaffected by Spectre-v2: BHB loop",
	  { MIDR_A57_R1P3, 0, 0, SV_SMCCC_WA_RET_UNAFFECTED, NONE, NONE, 0 },
	  SV_CAP_WA_SPECULATIVE_AT, SV_VECTORS_BHB_LOOP, 8,
	  SV_UNAFFECTED, SV_VULNERABLE, SV_MITIGATED },
	{ "A72 r0p3 with firmware WA1",
	  { MIDR_A72_R0P3, 0, 0, 0, NONE, 0, 0 },
	  SV_CAP_WA_SPECULATIVE_AT, SV_VECTORS_FW_WA1, 0,
	  SV_MITIGATED, SV_VULNERABLE, SV_MITIGATED },
	{ "A53: nothing to do",
	  { MIDR_A53_R0P4, PFR0_GICV3, 0xf00, NONE, NONE, NONE, 0 },
	  SV_CAP_GICV3_SYSREG, SV_VECTORS_DIRECT, 0,
	  SV_UNAFFECTED, SV_UNAFFECTED, SV_UNAFFECTED },
	{ "Neoverse N1 forced to split mode: CSV2, BHB loop of 24",
	  { MIDR_N1_R4P1, PFR0_CSV2, 0, NONE, NONE, NONE, 0 },
	  0, SV_VECTORS_BHB_LOOP, 24,
	  SV_UNAFFECTED, SV_VULNERABLE, SV_MITIGATED },
	{ "A76 r2p0: speculative AT #1165522, BHB loop of 24",
	  { MIDR_A76_R2P0, PFR0_CSV2, 0, NONE, NONE, NONE, 0 },
	  SV_CAP_WA_SPECULATIVE_AT, SV_VECTORS_BHB_LOOP, 24,
	  SV_UNAFFECTED, SV_VULNERABLE, SV_MITIGATED },
	{ "A76 r3p0: no #1165522",
	  { MIDR_A76_R3P0, PFR0_CSV2, 0, NONE, NONE, NONE, 0 },
	  0, SV_VECTORS_BHB_LOOP, 24,
	  SV_UNAFFECTED, SV_VULNERABLE, SV_MITIGATED },
	{ "A55 r2p0: speculative AT #1530923",
	  { MIDR_A55_R2P0, 0, 0, NONE, NONE, NONE, 0 },
	  SV_CAP_WA_SPECULATIVE_AT, SV_VECTORS_DIRECT, 0,
	  SV_UNAFFECTED, SV_UNAFFECTED, SV_UNAFFECTED },
	{ "A55 r2p1: no #1530923",
	  { MIDR_A55_R2P1, 0, 0, NONE, NONE, NONE, 0 },
	  0, SV_VECTORS_DIRECT, 0,
	  SV_UNAFFECTED, SV_UNAFFECTED, SV_UNAFFECTED },
	{ "other core with firmware WA1 and WA3: WA3 vectors",
	  { MIDR_OTHER, 0, 0, 0, NONE, 0, 0 },
	  0, SV_VECTORS_FW_WA3, 0,
	  SV_MITIGATED, SV_VULNERABLE, SV_MITIGATED },
	{ "other vendor (implementer not Arm), no firmware",
	  { 0x510f8000u, 0, 0, NONE, NONE, NONE, 0 },
	  0, SV_VECTORS_DIRECT, 0,
	  SV_VULNERABLE, SV_VULNERABLE, SV_UNAFFECTED },
};

int main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct errata_case *c = &cases[i];
		struct sv_cpu_errata e;

		memset(&e, 0xa5, sizeof(e));
		sv_cpu_errata_decide(&c->f, &e);
		CHECK_EQ_U64(c->name, c->caps, e.caps);
		CHECK_EQ_INT("  vectors", c->vectors, e.vectors);
		CHECK_EQ_INT("  BHB loop iterations", c->bhb_k, e.bhb_k);
		CHECK_EQ_INT("  Spectre-v2 state", c->v2, e.v2);
		CHECK_EQ_INT("  Spectre-v4 state", c->v4, e.v4);
		CHECK_EQ_INT("  Spectre-BHB state", c->bhb, e.bhb);
	}

	/* KVM's answers to SMCCC_ARCH_FEATURES for each state. */
	CHECK_EQ_INT("WA1 unaffected: 1", 1, sv_smccc_wa_answer(1, SV_UNAFFECTED));
	CHECK_EQ_INT("WA1 mitigated: 0", 0, sv_smccc_wa_answer(1, SV_MITIGATED));
	CHECK_EQ_INT("WA1 vulnerable: -1", -1,
		     sv_smccc_wa_answer(1, SV_VULNERABLE));
	CHECK_EQ_INT("WA2 unaffected: -2 (not required)", -2,
		     sv_smccc_wa_answer(2, SV_UNAFFECTED));
	CHECK_EQ_INT("WA2 mitigated: -2 (not required)", -2,
		     sv_smccc_wa_answer(2, SV_MITIGATED));
	CHECK_EQ_INT("WA2 vulnerable: -1", -1,
		     sv_smccc_wa_answer(2, SV_VULNERABLE));
	CHECK_EQ_INT("WA3 unaffected: 1", 1, sv_smccc_wa_answer(3, SV_UNAFFECTED));
	CHECK_EQ_INT("WA3 mitigated: 0", 0, sv_smccc_wa_answer(3, SV_MITIGATED));
	return tap_done();
}
