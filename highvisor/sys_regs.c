// SPDX-License-Identifier: GPL-2.0
/*
 * Trapped system registers: the guest's sanitized ID registers, set/way
 * cache maintenance, and the debug, PMU and implementation-defined
 * registers it must not reach.
 */
#include "splitvisor.h"

#include <asm/sysreg.h>

#include "esr.h"
#include "vm.h"

/* The guest's ID registers, op0=3 op1=0 CRn=0 CRm=1..7: 56 of them. */
static u64 sv_id_regs[8][8];

#define SV_ID(crm, op2)							\
	(sv_id_regs[crm][op2] = read_sysreg_s(sys_reg(3, 0, 0, crm, op2)))
#define SV_ID_CRM(crm)							\
	do {								\
		SV_ID(crm, 0); SV_ID(crm, 1); SV_ID(crm, 2);		\
		SV_ID(crm, 3); SV_ID(crm, 4); SV_ID(crm, 5);		\
		SV_ID(crm, 6); SV_ID(crm, 7);				\
	} while (0)

static void sv_id_clear(int crm, int op2, int shift)
{
	sv_id_regs[crm][op2] &= ~(0xfULL << shift);
}

/*
 * What the guest may see: the host's features minus everything this
 * hypervisor does not virtualize (SVE, SME, MTE, pointer auth, AMU, SPE,
 * PMU, trace, RAS, MPAM, LOR, nested virtualization, the GIC interface).
 * Reserved encodings in this space read as zero on the host too.
 */
void sv_id_regs_init(void)
{
	SV_ID_CRM(1);
	SV_ID_CRM(2);
	SV_ID_CRM(3);
	SV_ID_CRM(4);
	SV_ID_CRM(5);
	SV_ID_CRM(6);
	SV_ID_CRM(7);
	sv_id_clear(1, 2, 24);		/* ID_DFR0: PerfMon */
	/*
	 * ID_AA64PFR0.EL0 = 1, AArch64 only: AArch32 EL0 is not offered (a
	 * guest that uses it anyway gets UNDEF for its traps and keeps
	 * running, lowvisor/switch.c). EL1 is AArch64 only already.
	 */
	sv_id_regs[4][0] = (sv_id_regs[4][0] & ~0xfULL) | 1;
	sv_id_clear(4, 0, 8);		/* ID_AA64PFR0: EL2 */
	sv_id_clear(4, 0, 24);		/* GIC */
	sv_id_clear(4, 0, 28);		/* RAS */
	sv_id_clear(4, 0, 32);		/* SVE */
	sv_id_clear(4, 0, 40);		/* MPAM */
	sv_id_clear(4, 0, 44);		/* AMU */
	sv_id_clear(4, 1, 8);		/* ID_AA64PFR1: MTE */
	sv_id_clear(4, 1, 12);		/* RAS_frac */
	sv_id_clear(4, 1, 16);		/* MPAM_frac */
	sv_id_clear(4, 1, 24);		/* SME */
	sv_id_regs[4][4] = 0;		/* ID_AA64ZFR0 */
	sv_id_regs[4][5] = 0;		/* ID_AA64SMFR0 */
	sv_id_clear(5, 0, 4);		/* ID_AA64DFR0: TraceVer */
	sv_id_clear(5, 0, 8);		/* PMUVer */
	sv_id_clear(5, 0, 32);		/* PMSVer */
	sv_id_clear(5, 0, 40);		/* TraceFilt */
	sv_id_regs[5][1] = 0;		/* ID_AA64DFR1 */
	sv_id_regs[5][4] = 0;		/* ID_AA64AFR0 */
	sv_id_regs[5][5] = 0;		/* ID_AA64AFR1 */
	sv_id_clear(6, 1, 4);		/* ID_AA64ISAR1: APA */
	sv_id_clear(6, 1, 8);		/* API */
	sv_id_clear(6, 1, 24);		/* GPA */
	sv_id_clear(6, 1, 28);		/* GPI */
	sv_id_clear(6, 2, 8);		/* ID_AA64ISAR2: GPA3 */
	sv_id_clear(6, 2, 12);		/* APA3 */
	sv_id_clear(7, 1, 8);		/* ID_AA64MMFR1: VH */
	sv_id_clear(7, 1, 16);		/* LO */
}

static bool sv_sysreg_is(u64 iss, u64 enc)
{
	return (iss & ISS_SYSREG_MASK) == enc;
}

/* DC ISW, DC CSW, DC CISW: data cache maintenance by set/way. */
bool sv_is_setway(u64 esr)
{
	u64 iss = esr & 0x1ffffff;

	return ESR_EC(esr) == ESR_EC_SYS64 &&
	       (sv_sysreg_is(iss, SYSREG_ISS(1, 0, 7, 6, 2)) ||
		sv_sysreg_is(iss, SYSREG_ISS(1, 0, 7, 10, 2)) ||
		sv_sysreg_is(iss, SYSREG_ISS(1, 0, 7, 14, 2)));
}

int sv_exit_sysreg(struct sv_vcpu_host *v, u64 esr)
{
	u64 iss = esr & 0x1ffffff;
	bool read = iss & ISS_READ;
	u32 rt = ISS_RT(iss);
	u32 op0 = ISS_OP0(iss), crn = ISS_CRN(iss), crm = ISS_CRM(iss);

	/* ID registers (HCR_EL2.TID3): sanitized, read-only. */
	if (op0 == 3 && ISS_OP1(iss) == 0 && crn == 0 && crm >= 1 && crm <= 7) {
		if (!read)
			goto undef;
		sv_set_reg(v, rt, sv_id_regs[crm][ISS_OP2(iss)]);
		goto done;
	}
	/* ACTLR_EL1 (HCR_EL2.TACR): implementation defined, RAZ/WI. */
	if (sv_sysreg_is(iss, SYSREG_ISS(3, 0, 1, 0, 1))) {
		if (read)
			sv_set_reg(v, rt, 0);
		goto done;
	}
	/*
	 * DC ISW/CSW/CISW (HCR_EL2.TSW): set/way operations cannot be done
	 * for one guest on shared caches. Make all guest memory coherent
	 * once per burst of them (any other trap ends a burst), as a guest
	 * turning its MMU or caches on or off expects.
	 */
	if (sv_is_setway(esr)) {
		if (!v->sw_flushed)
			sv_vm_flush_dcache(v->vm);
		v->sw_flushed = true;
		goto done;
	}
	/* MDSCR_EL1 (MDCR_EL2.TDA): kept, without effect on the hardware. */
	if (sv_sysreg_is(iss, SYSREG_ISS(2, 0, 0, 2, 2))) {
		if (read)
			sv_set_reg(v, rt, v->mdscr);
		else
			v->mdscr = sv_get_reg(v, rt);
		goto done;
	}
	/*
	 * Breakpoint and watchpoint registers (TDA): kept for the guest to
	 * read back, but never armed on the hardware.
	 */
	if (op0 == 2 && ISS_OP1(iss) == 0 && crn == 0 && ISS_OP2(iss) >= 4) {
		u64 *r = &v->dbg[ISS_OP2(iss) - 4][crm];

		if (read)
			sv_set_reg(v, rt, *r);
		else
			*r = sv_get_reg(v, rt);
		goto done;
	}
	/* OSLAR_EL1 / OSLSR_EL1 (TDOSA): OSLM = 0b10, OSLK as written. */
	if (sv_sysreg_is(iss, SYSREG_ISS(2, 0, 1, 0, 4))) {
		if (!read)
			v->oslk = sv_get_reg(v, rt) & 1;
		goto done;
	}
	if (sv_sysreg_is(iss, SYSREG_ISS(2, 0, 1, 1, 4))) {
		if (read)
			sv_set_reg(v, rt, 0x8 | (u64)v->oslk << 1);
		goto done;
	}
	/* Other debug registers (TDA, TDOSA, TDRA): RAZ/WI. */
	if (op0 == 2) {
		if (read)
			sv_set_reg(v, rt, 0);
		goto done;
	}
undef:
	/* PMU, physical timer, implementation defined, writes to ID regs. */
	pr_debug("VM %llu vCPU %u: UNDEF for sysreg op0=%u op1=%llu CRn=%u CRm=%u op2=%llu\n",
		 v->vm->id, v->id, op0, ISS_OP1(iss), crn, crm, ISS_OP2(iss));
	sv_inject_undef(v);
	return 1;
done:
	sv_skip_insn(v);
	return 1;
}
