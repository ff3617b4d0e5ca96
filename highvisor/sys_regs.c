// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's system registers, one table in the shape of KVM 6.1's
 * sys_regs.c: per register its trap handler, its ONE_REG get/set, whether
 * KVM_GET_REG_LIST shows it, its reset value and what a VMM may write.
 * Registers not in the table are UNDEF for the guest and ENOENT for
 * ONE_REG. The ID registers are the kernel's system-wide sanitised values
 * (read_sanitised_ftr_reg(), exported GPL by arch/arm64/kernel/cpufeature.c
 * in 6.1 and 6.12), so every vCPU sees one view even on big.LITTLE, minus
 * what splitvisor does not virtualize.
 */
#include "splitvisor.h"

#include <linux/bitfield.h>
#include <linux/irqflags.h>
#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/cputype.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "esr.h"
#include "hyp_ops.h"
#include "pmu.h"
#include "sys_regs.h"
#include "vm.h"

/*
 * Where a register lives: the EL1 state EL2 switches (enum sv_sysreg),
 * the debug state EL2 switches, the EL2 controls, or only here.
 */
#define SV_R_HOST(n)	(0x100 + (n))
#define SV_R_MDCCINT	0x201
#define SV_R_MPIDR	0x202

/*
 * The EL1 state EL2 switches may still be in the CPU in VHE mode: it is
 * put back in struct sv_vcpu first (KVM: vcpu_read_sys_reg() and
 * SYSREGS_ON_CPU).
 */
static u64 *sv_reg_ptr(struct sv_vcpu_host *v, int reg)
{
	struct sv_vcpu *c = v->hyp;

	if (reg >= 0 && reg < SV_NR_SYSREGS) {
		sv_hyp_sysregs_to_memory(c);
		return &c->ctxt.sys[reg];
	}
	if (reg >= SV_R_HOST(0) && reg < SV_R_HOST(SV_NR_HOST_SYSREGS))
		return &v->sys[reg - SV_R_HOST(0)];
	switch (reg) {
	case SV_R_MDCCINT:
		return &c->debug.mdccint;
	case SV_R_MPIDR:
		return &c->cfg.vmpidr;
	}
	return NULL;
}

/* --- ID registers ---------------------------------------------------------- */

/* op0=3 op1=0 CRn=0 CRm=1..7: the guest's values, computed at load. */
static u64 sv_id_regs[8][8];

/* ID_AA64PFR0_EL1 fields a VMM may set per VM (KVM 6.1). */
#define SV_PFR0_CSV2		GENMASK_ULL(59, 56)
#define SV_PFR0_CSV3		GENMASK_ULL(63, 60)

static void sv_id_clear(int crm, int op2, int shift)
{
	sv_id_regs[crm][op2] &= ~(0xfULL << shift);
}

/*
 * Registers the kernel sanitises (arm64_ftr_regs[] in cpufeature.c has
 * every one of them in 6.1 and 6.12); the rest of the space reads as zero,
 * as KVM's ID_UNALLOCATED and ID_HIDDEN ones do.
 */
static const u32 sv_sanitised_ids[] = {
	SYS_ID_PFR0_EL1, SYS_ID_PFR1_EL1, SYS_ID_DFR0_EL1,
	SYS_ID_MMFR0_EL1, SYS_ID_MMFR1_EL1, SYS_ID_MMFR2_EL1, SYS_ID_MMFR3_EL1,
	SYS_ID_ISAR0_EL1, SYS_ID_ISAR1_EL1, SYS_ID_ISAR2_EL1, SYS_ID_ISAR3_EL1,
	SYS_ID_ISAR4_EL1, SYS_ID_ISAR5_EL1, SYS_ID_MMFR4_EL1, SYS_ID_ISAR6_EL1,
	SYS_MVFR0_EL1, SYS_MVFR1_EL1, SYS_MVFR2_EL1, SYS_ID_PFR2_EL1,
	SYS_ID_MMFR5_EL1,
	SYS_ID_AA64PFR0_EL1, SYS_ID_AA64PFR1_EL1,
	SYS_ID_AA64DFR0_EL1,
	SYS_ID_AA64ISAR0_EL1, SYS_ID_AA64ISAR1_EL1, SYS_ID_AA64ISAR2_EL1,
	SYS_ID_AA64MMFR0_EL1, SYS_ID_AA64MMFR1_EL1, SYS_ID_AA64MMFR2_EL1,
};

/*
 * What the guest may see: the system-wide features minus everything this
 * hypervisor does not virtualize (SVE, SME, MTE, pointer auth, AMU, SPE,
 * the PMU unless the vCPU has one (sv_read_id_reg()), trace, RAS, MPAM, LOR, nested virtualization, the GIC system
 * register interface, debug beyond Armv8.0 as KVM 6.1 limits it).
 */
static void sv_id_regs_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(sv_sanitised_ids); i++) {
		u32 id = sv_sanitised_ids[i];

		sv_id_regs[sys_reg_CRm(id)][sys_reg_Op2(id)] =
			read_sanitised_ftr_reg(id);
	}
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
	sv_id_clear(5, 0, 4);		/* ID_AA64DFR0: TraceVer */
	sv_id_clear(5, 0, 8);		/* PMUVer */
	sv_id_clear(5, 0, 32);		/* PMSVer */
	sv_id_clear(5, 0, 40);		/* TraceFilt */
	/* KVM 6.1: "Limit debug to ARMv8.0" (DebugVer = 6). */
	sv_id_regs[5][0] = (sv_id_regs[5][0] & ~0xfULL) | 6;
	sv_id_clear(6, 1, 4);		/* ID_AA64ISAR1: APA */
	sv_id_clear(6, 1, 8);		/* API */
	sv_id_clear(6, 1, 24);		/* GPA */
	sv_id_clear(6, 1, 28);		/* GPI */
	sv_id_clear(6, 2, 0);		/* ID_AA64ISAR2: WFxT */
	sv_id_clear(6, 2, 8);		/* GPA3 */
	sv_id_clear(6, 2, 12);		/* APA3 */
	sv_id_clear(7, 1, 8);		/* ID_AA64MMFR1: VH */
	sv_id_clear(7, 1, 16);		/* LO */
}

/* A VM's CSV2/CSV3 start at "not affected" only where the kernel says so. */
void sv_vm_id_regs_init(struct sv_vm *vm)
{
	vm->pfr0_csv2 = !cpus_have_cap(ARM64_SPECTRE_V2);
	vm->pfr0_csv3 = FIELD_GET(SV_PFR0_CSV3, sv_id_regs[4][0]) ? 1 : 0;
}

static u64 sv_read_id_reg(const struct sv_vcpu_host *v, u32 enc)
{
	u64 val = sv_id_regs[SV_ENC_CRM(enc)][SV_ENC_OP2(enc)];

	if (enc == SV_ENC(3, 0, 0, 4, 0)) {
		val &= ~(SV_PFR0_CSV2 | SV_PFR0_CSV3);
		val |= FIELD_PREP(SV_PFR0_CSV2, (u64)v->vm->pfr0_csv2);
		val |= FIELD_PREP(SV_PFR0_CSV3, (u64)v->vm->pfr0_csv3);
	} else if (enc == SV_ENC(3, 0, 0, 5, 0) || enc == SV_ENC(3, 0, 0, 1, 2)) {
		/* ID_AA64DFR0 PMUVer, ID_DFR0 PerfMon: with a vPMU only */
		val = sv_pmu_id_dfr0(v, val, enc == SV_ENC(3, 0, 0, 1, 2));
	}
	return val;
}

static bool sv_write_to_read_only(struct sv_vcpu_host *v,
				  struct sv_sr_params *p,
				  const struct sv_sys_reg *r)
{
	sv_inject_undef(v);
	return false;
}

static bool sv_access_id_reg(struct sv_vcpu_host *v, struct sv_sr_params *p,
			     const struct sv_sys_reg *r)
{
	if (p->write)
		return sv_write_to_read_only(v, p, r);
	p->val = r->visibility && (r->visibility(v, r) & SV_REG_RAZ) ? 0 :
		 sv_read_id_reg(v, r->enc);
	return true;
}

static int sv_get_id_reg(struct sv_vcpu_host *v, const struct sv_sys_reg *r,
			 u64 *val)
{
	*val = r->visibility && (r->visibility(v, r) & SV_REG_RAZ) ? 0 :
	       sv_read_id_reg(v, r->enc);
	return 0;
}

/* As KVM 6.1: an ID register only takes the value it already has. */
static int sv_set_id_reg(struct sv_vcpu_host *v, const struct sv_sys_reg *r,
			 u64 val)
{
	u64 cur;

	sv_get_id_reg(v, r, &cur);
	return val == cur ? 0 : -EINVAL;
}

/*
 * ID_AA64PFR0_EL1: a VMM may set CSV2/CSV3 to 1 where the CPUs are not
 * affected (KVM 6.1 set_id_aa64pfr0_el1()), or clear them.
 */
static int sv_set_id_aa64pfr0(struct sv_vcpu_host *v,
			      const struct sv_sys_reg *r, u64 val)
{
	u64 max = FIELD_PREP(SV_PFR0_CSV2,
			     (u64)!cpus_have_cap(ARM64_SPECTRE_V2)) |
		  FIELD_PREP(SV_PFR0_CSV3,
			     FIELD_GET(SV_PFR0_CSV3, sv_id_regs[4][0]) ? 1ULL : 0);
	int ret = sv_id_reg_check(sv_read_id_reg(v, r->enc), val,
				  SV_PFR0_CSV2 | SV_PFR0_CSV3, max);

	if (ret)
		return ret;
	v->vm->pfr0_csv2 = FIELD_GET(SV_PFR0_CSV2, val);
	v->vm->pfr0_csv3 = FIELD_GET(SV_PFR0_CSV3, val);
	return 0;
}

static unsigned int sv_raz_visibility(const struct sv_vcpu_host *v,
				      const struct sv_sys_reg *r)
{
	return SV_REG_RAZ;
}

/*
 * AArch32 ID registers are UNKNOWN where AArch32 is not implemented at
 * any EL; KVM 6.1 makes them RAZ and VMM-writes-ignored there.
 */
static unsigned int sv_aa32_id_visibility(const struct sv_vcpu_host *v,
					  const struct sv_sys_reg *r)
{
	if (!FIELD_GET(GENMASK_ULL(3, 0), sv_id_regs[4][0]) ||
	    FIELD_GET(GENMASK_ULL(3, 0), sv_id_regs[4][0]) == 1)
		return SV_REG_RAZ | SV_REG_USER_WI;
	return 0;
}

#define SV_ID_SANITISED(crm, op2) {					\
	SV_ENC(3, 0, 0, crm, op2), .access = sv_access_id_reg,		\
	.get = sv_get_id_reg, .set = sv_set_id_reg, .reg = -1 }
#define SV_AA32_ID_SANITISED(crm, op2) {				\
	SV_ENC(3, 0, 0, crm, op2), .access = sv_access_id_reg,		\
	.get = sv_get_id_reg, .set = sv_set_id_reg, .reg = -1,		\
	.visibility = sv_aa32_id_visibility }
/* Unallocated, or hidden from guests: RAZ for the guest and the VMM. */
#define SV_ID_RAZ(crm, op2) {						\
	SV_ENC(3, 0, 0, crm, op2), .access = sv_access_id_reg,		\
	.get = sv_get_id_reg, .set = sv_set_id_reg, .reg = -1,		\
	.visibility = sv_raz_visibility }

/* --- invariant registers (KVM: invariant_sys_regs[]) ---------------------- */

static u64 sv_invariant_midr(void)
{
	return read_cpuid_id();
}

static u64 sv_invariant_revidr(void)
{
	return read_sysreg(revidr_el1);
}

static u64 sv_invariant_clidr(void)
{
	return read_sysreg(clidr_el1);
}

static u64 sv_invariant_aidr(void)
{
	return read_sysreg(aidr_el1);
}

static u64 sv_invariant_ctr(void)
{
	return read_sanitised_ftr_reg(SYS_CTR_EL0);
}

static const struct {
	u32 enc;
	u64 (*read)(void);
} sv_invariant[] = {
	{ SV_ENC(3, 0, 0, 0, 0), sv_invariant_midr },
	{ SV_ENC(3, 0, 0, 0, 6), sv_invariant_revidr },
	{ SV_ENC(3, 1, 0, 0, 1), sv_invariant_clidr },
	{ SV_ENC(3, 1, 0, 0, 7), sv_invariant_aidr },
	{ SV_ENC(3, 3, 0, 0, 1), sv_invariant_ctr },
};

/* MIDR etc. are read once, at load, as KVM does (on the loading CPU). */
static u64 sv_invariant_val[ARRAY_SIZE(sv_invariant)];

/* --- generic accessors ---------------------------------------------------- */

static bool sv_trap_raz_wi(struct sv_vcpu_host *v, struct sv_sr_params *p,
			   const struct sv_sys_reg *r)
{
	if (!p->write)
		p->val = 0;
	return true;
}

static bool sv_trap_rw(struct sv_vcpu_host *v, struct sv_sr_params *p,
		       const struct sv_sys_reg *r)
{
	u64 *s = sv_reg_ptr(v, r->reg);

	if (p->write)
		*s = p->val;
	else
		p->val = *s;
	return true;
}

static void sv_reset_val(struct sv_vcpu_host *v, const struct sv_sys_reg *r)
{
	*sv_reg_ptr(v, r->reg) = r->val;
}

/* --- set/way and the VM registers (HCR_EL2.TSW, HCR_EL2.TVM) --------------- */

static bool sv_caches_on(struct sv_vcpu_host *v)
{
	u64 sctlr = *sv_reg_ptr(v, SV_SCTLR_EL1);

	return (sctlr & (SCTLR_ELx_M | SCTLR_ELx_C)) ==
	       (SCTLR_ELx_M | SCTLR_ELx_C);
}

/*
 * DC ISW/CSW/CISW cannot be done for one guest on caches others share
 * (ARMv7 ARM B1.14.4). As KVM 6.1 (kvm_set_way_flush()): the first one
 * makes all guest memory coherent and starts trapping the VM registers
 * (HCR_EL2.TVM); while TVM is set, further ones wait for the guest to turn
 * its caches off or on, which sv_access_vm_reg() sees.
 */
static bool sv_access_dcsw(struct sv_vcpu_host *v, struct sv_sr_params *p,
			   const struct sv_sys_reg *r)
{
	if (!p->write)
		return sv_write_to_read_only(v, p, r);
	if (!(v->hyp->cfg.hcr & HCR_TVM)) {
		sv_vm_flush_dcache(v->vm);
		v->hyp->cfg.hcr |= HCR_TVM;
	}
	return true;
}

/*
 * A write to SCTLR_EL1, TTBRn, TCR, ESR, FAR, AFSRn, MAIR, AMAIR or
 * CONTEXTIDR while TVM traps them. As KVM 6.1 kvm_toggle_cache(): when the
 * caches go on or off, clean+invalidate guest memory; once they are on,
 * stop trapping until the next set/way operation.
 */
static bool sv_access_vm_reg(struct sv_vcpu_host *v, struct sv_sr_params *p,
			     const struct sv_sys_reg *r)
{
	bool was_on = sv_caches_on(v);

	if (!p->write) {
		p->val = *sv_reg_ptr(v, r->reg);
		return true;
	}
	*sv_reg_ptr(v, r->reg) = p->val;
	if (sv_caches_on(v) != was_on)
		sv_vm_flush_dcache(v->vm);
	if (sv_caches_on(v))
		v->hyp->cfg.hcr &= ~HCR_TVM;
	return true;
}

/* --- debug registers (MDCR_EL2.TDA, TDOSA, TDRA) --------------------------- */

/*
 * A guest access to a debug register that traps (TDA) means it is about
 * to use them: from the next entry on, switch the whole set and stop
 * trapping (debug.c), as KVM's DEBUG_DIRTY.
 */
static bool sv_trap_debug_rw(struct sv_vcpu_host *v, struct sv_sr_params *p,
			     const struct sv_sys_reg *r)
{
	if (p->write)
		v->debug_dirty = true;
	return sv_trap_rw(v, p, r);
}

static u64 *sv_dbg_reg(struct sv_vcpu_host *v, const struct sv_sys_reg *r)
{
	struct sv_debug_regs *d = &v->hyp->debug.regs;

	switch (SV_ENC_OP2(r->enc)) {
	case 4:
		return &d->bvr[r->val];
	case 5:
		return &d->bcr[r->val];
	case 6:
		return &d->wvr[r->val];
	default:
		return &d->wcr[r->val];
	}
}

static bool sv_trap_dbg(struct sv_vcpu_host *v, struct sv_sr_params *p,
			const struct sv_sys_reg *r)
{
	u64 *s = sv_dbg_reg(v, r);

	if (p->write) {
		*s = p->val;
		v->debug_dirty = true;
	} else {
		p->val = *s;
	}
	return true;
}

static int sv_get_dbg(struct sv_vcpu_host *v, const struct sv_sys_reg *r,
		      u64 *val)
{
	*val = *sv_dbg_reg(v, r);
	return 0;
}

static int sv_set_dbg(struct sv_vcpu_host *v, const struct sv_sys_reg *r,
		      u64 val)
{
	*sv_dbg_reg(v, r) = val;
	return 0;
}

static void sv_reset_dbg(struct sv_vcpu_host *v, const struct sv_sys_reg *r)
{
	*sv_dbg_reg(v, r) = 0;
}

/* DBGBVRn, DBGBCRn, DBGWVRn, DBGWCRn: op0=2 op1=0 CRn=0 CRm=n op2=4..7 */
#define SV_DBG_REG(n, op2)						\
	{ SV_ENC(2, 0, 0, n, op2), sv_trap_dbg, sv_get_dbg, sv_set_dbg,	\
	  sv_reset_dbg, .reg = -1, .val = n }

/* OSLAR_EL1 (write only) forwards OSLK into OSLSR_EL1 (KVM 6.1). */
static bool sv_trap_oslar(struct sv_vcpu_host *v, struct sv_sr_params *p,
			  const struct sv_sys_reg *r)
{
	u64 *oslsr = &v->sys[SV_H_OSLSR];

	if (!p->write)
		return sv_write_to_read_only(v, p, r);
	*oslsr = (*oslsr & ~SV_OSLSR_OSLK) | (p->val & 1 ? SV_OSLSR_OSLK : 0);
	return true;
}

static bool sv_trap_oslsr(struct sv_vcpu_host *v, struct sv_sr_params *p,
			  const struct sv_sys_reg *r)
{
	if (p->write)
		return sv_write_to_read_only(v, p, r);
	p->val = v->sys[SV_H_OSLSR];
	return true;
}

/* Only OSLK may change (KVM 6.1 set_oslsr_el1()). */
static int sv_set_oslsr(struct sv_vcpu_host *v, const struct sv_sys_reg *r,
			u64 val)
{
	if ((val ^ r->val) & ~SV_OSLSR_OSLK)
		return -EINVAL;
	v->sys[SV_H_OSLSR] = val;
	return 0;
}

static bool sv_trap_dbgauthstatus(struct sv_vcpu_host *v,
				  struct sv_sr_params *p,
				  const struct sv_sys_reg *r)
{
	if (!p->write)
		p->val = read_sysreg(dbgauthstatus_el1);
	return true;
}

/* --- others ---------------------------------------------------------------- */

/* ACTLR_EL1 (HCR_EL2.TACR): the host's value at reset, guest writes ignored. */
static bool sv_access_actlr(struct sv_vcpu_host *v, struct sv_sr_params *p,
			    const struct sv_sys_reg *r)
{
	if (!p->write)
		p->val = v->sys[SV_H_ACTLR];
	return true;
}

static void sv_reset_actlr(struct sv_vcpu_host *v, const struct sv_sys_reg *r)
{
	v->sys[SV_H_ACTLR] = read_sysreg(actlr_el1);
}

static void sv_reset_amair(struct sv_vcpu_host *v, const struct sv_sys_reg *r)
{
	v->hyp->ctxt.sys[SV_AMAIR_EL1] = read_sysreg(amair_el1);
}

/* Aff0 = vCPU id; bit 31 is RES1 (ARM ARM D13.2.86). */
static void sv_reset_mpidr(struct sv_vcpu_host *v, const struct sv_sys_reg *r)
{
	v->hyp->cfg.vmpidr = BIT(31) | (v->id & 0xf) |
			      (u64)((v->id >> 4) & 0xff) << 8;
}

#define SV_SR(op0, op1, crn, crm, op2)	SV_ENC(op0, op1, crn, crm, op2)
/* PMU registers (pmu.c), hidden without KVM_ARM_VCPU_PMU_V3 as in KVM. */
#define SV_PMU_REG(op0, op1, crn, crm, op2) {				\
	SV_ENC(op0, op1, crn, crm, op2), sv_pmu_access, sv_pmu_get,	\
	sv_pmu_set, .visibility = sv_pmu_visibility, .reg = -1 }
/* ... trapped, but no state of their own: not in KVM_GET_REG_LIST. */
#define SV_PMU_TRAP(op0, op1, crn, crm, op2) {				\
	SV_ENC(op0, op1, crn, crm, op2), sv_pmu_access,			\
	.visibility = sv_pmu_visibility, .reg = -1 }
#define SV_PMEVCNTR(n)		SV_PMU_REG(3, 3, 14, 8 + (n) / 8, (n) % 8)
#define SV_PMEVTYPER(n)		SV_PMU_REG(3, 3, 14, 12 + (n) / 8, (n) % 8)
/* Switched by EL2, reset to 0; TVM traps the guest's writes (KVM 6.1). */
#define SV_VM_REG(op0, op1, crn, crm, op2, r) {				\
	SV_ENC(op0, op1, crn, crm, op2), sv_access_vm_reg,		\
	.reset = sv_reset_val, .reg = r }
/* Never trapped: only the VMM reaches it here; reset to 0. */
#define SV_PLAIN_REG(op0, op1, crn, crm, op2, r) {			\
	SV_ENC(op0, op1, crn, crm, op2), .reset = sv_reset_val, .reg = r }

/*
 * Sorted by encoding (op0, op1, CRn, CRm, op2), checked at load. Entries
 * with a storage (.reg) or .get are listed by KVM_GET_REG_LIST unless
 * their visibility hides them; entries without .access are not trapped
 * (an access that traps anyway is UNDEF).
 */
static const struct sv_sys_reg sv_sys_regs[] = {
	{ SV_SR(1, 0, 7, 6, 2), sv_access_dcsw, .reg = -1 },	/* DC ISW */
	{ SV_SR(1, 0, 7, 10, 2), sv_access_dcsw, .reg = -1 },	/* DC CSW */
	{ SV_SR(1, 0, 7, 14, 2), sv_access_dcsw, .reg = -1 },	/* DC CISW */

	SV_DBG_REG(0, 4), SV_DBG_REG(0, 5), SV_DBG_REG(0, 6), SV_DBG_REG(0, 7),
	SV_DBG_REG(1, 4), SV_DBG_REG(1, 5), SV_DBG_REG(1, 6), SV_DBG_REG(1, 7),
	{ SV_SR(2, 0, 0, 2, 0), sv_trap_debug_rw, .reset = sv_reset_val,
	  .reg = SV_R_MDCCINT },				/* MDCCINT_EL1 */
	{ SV_SR(2, 0, 0, 2, 2), sv_trap_debug_rw, .reset = sv_reset_val,
	  .reg = SV_MDSCR_EL1 },				/* MDSCR_EL1 */
	SV_DBG_REG(2, 4), SV_DBG_REG(2, 5), SV_DBG_REG(2, 6), SV_DBG_REG(2, 7),
	SV_DBG_REG(3, 4), SV_DBG_REG(3, 5), SV_DBG_REG(3, 6), SV_DBG_REG(3, 7),
	SV_DBG_REG(4, 4), SV_DBG_REG(4, 5), SV_DBG_REG(4, 6), SV_DBG_REG(4, 7),
	SV_DBG_REG(5, 4), SV_DBG_REG(5, 5), SV_DBG_REG(5, 6), SV_DBG_REG(5, 7),
	SV_DBG_REG(6, 4), SV_DBG_REG(6, 5), SV_DBG_REG(6, 6), SV_DBG_REG(6, 7),
	SV_DBG_REG(7, 4), SV_DBG_REG(7, 5), SV_DBG_REG(7, 6), SV_DBG_REG(7, 7),
	SV_DBG_REG(8, 4), SV_DBG_REG(8, 5), SV_DBG_REG(8, 6), SV_DBG_REG(8, 7),
	SV_DBG_REG(9, 4), SV_DBG_REG(9, 5), SV_DBG_REG(9, 6), SV_DBG_REG(9, 7),
	SV_DBG_REG(10, 4), SV_DBG_REG(10, 5), SV_DBG_REG(10, 6), SV_DBG_REG(10, 7),
	SV_DBG_REG(11, 4), SV_DBG_REG(11, 5), SV_DBG_REG(11, 6), SV_DBG_REG(11, 7),
	SV_DBG_REG(12, 4), SV_DBG_REG(12, 5), SV_DBG_REG(12, 6), SV_DBG_REG(12, 7),
	SV_DBG_REG(13, 4), SV_DBG_REG(13, 5), SV_DBG_REG(13, 6), SV_DBG_REG(13, 7),
	SV_DBG_REG(14, 4), SV_DBG_REG(14, 5), SV_DBG_REG(14, 6), SV_DBG_REG(14, 7),
	SV_DBG_REG(15, 4), SV_DBG_REG(15, 5), SV_DBG_REG(15, 6), SV_DBG_REG(15, 7),

	{ SV_SR(2, 0, 1, 0, 0), sv_trap_raz_wi, .reg = -1 },	/* MDRAR_EL1 */
	{ SV_SR(2, 0, 1, 0, 4), sv_trap_oslar, .reg = -1 },	/* OSLAR_EL1 */
	{ SV_SR(2, 0, 1, 1, 4), sv_trap_oslsr, .set = sv_set_oslsr,
	  .reset = sv_reset_val, .reg = SV_R_HOST(SV_H_OSLSR),
	  .val = SV_OSLSR_OSLM },				/* OSLSR_EL1 */
	{ SV_SR(2, 0, 1, 3, 4), sv_trap_raz_wi, .reg = -1 },	/* OSDLR_EL1 */
	{ SV_SR(2, 0, 1, 4, 4), sv_trap_raz_wi, .reg = -1 },	/* DBGPRCR_EL1 */
	{ SV_SR(2, 0, 7, 8, 6), sv_trap_raz_wi, .reg = -1 },	/* DBGCLAIMSET */
	{ SV_SR(2, 0, 7, 9, 6), sv_trap_raz_wi, .reg = -1 },	/* DBGCLAIMCLR */
	{ SV_SR(2, 0, 7, 14, 6), sv_trap_dbgauthstatus, .reg = -1 },

	{ SV_SR(2, 3, 0, 1, 0), sv_trap_raz_wi, .reg = -1 },	/* MDCCSR_EL0 */
	{ SV_SR(2, 3, 0, 4, 0), sv_trap_raz_wi, .reg = -1 },	/* DBGDTR_EL0 */
	{ SV_SR(2, 3, 0, 5, 0), sv_trap_raz_wi, .reg = -1 },	/* DBGDTR[RT]X */

	SV_PLAIN_REG(2, 4, 0, 7, 0, SV_R_HOST(SV_H_DBGVCR32)),			/* DBGVCR32_EL2 */

	{ SV_SR(3, 0, 0, 0, 5), .reset = sv_reset_mpidr,
	  .reg = SV_R_MPIDR },					/* MPIDR_EL1 */

	/* AArch64 views of the AArch32 ID registers: CRm = 1..3 */
	SV_AA32_ID_SANITISED(1, 0), SV_AA32_ID_SANITISED(1, 1),
	SV_AA32_ID_SANITISED(1, 2), SV_ID_RAZ(1, 3),
	SV_AA32_ID_SANITISED(1, 4), SV_AA32_ID_SANITISED(1, 5),
	SV_AA32_ID_SANITISED(1, 6), SV_AA32_ID_SANITISED(1, 7),
	SV_AA32_ID_SANITISED(2, 0), SV_AA32_ID_SANITISED(2, 1),
	SV_AA32_ID_SANITISED(2, 2), SV_AA32_ID_SANITISED(2, 3),
	SV_AA32_ID_SANITISED(2, 4), SV_AA32_ID_SANITISED(2, 5),
	SV_AA32_ID_SANITISED(2, 6), SV_AA32_ID_SANITISED(2, 7),
	SV_AA32_ID_SANITISED(3, 0), SV_AA32_ID_SANITISED(3, 1),
	SV_AA32_ID_SANITISED(3, 2), SV_ID_RAZ(3, 3),
	SV_AA32_ID_SANITISED(3, 4), SV_ID_RAZ(3, 5),		/* ID_DFR1 */
	SV_AA32_ID_SANITISED(3, 6), SV_ID_RAZ(3, 7),
	/* AArch64 ID registers: CRm = 4..7 */
	{ SV_SR(3, 0, 0, 4, 0), sv_access_id_reg, sv_get_id_reg,
	  sv_set_id_aa64pfr0, .reg = -1 },			/* ID_AA64PFR0 */
	SV_ID_SANITISED(4, 1), SV_ID_RAZ(4, 2), SV_ID_RAZ(4, 3),
	SV_ID_RAZ(4, 4),					/* ZFR0: no SVE */
	SV_ID_RAZ(4, 5),					/* SMFR0 */
	SV_ID_RAZ(4, 6), SV_ID_RAZ(4, 7),
	SV_ID_SANITISED(5, 0),					/* DFR0 */
	SV_ID_RAZ(5, 1),			/* DFR1: nothing in v8.0-v8.8 */
	SV_ID_RAZ(5, 2), SV_ID_RAZ(5, 3),
	SV_ID_RAZ(5, 4), SV_ID_RAZ(5, 5),			/* AFR0/1 */
	SV_ID_RAZ(5, 6), SV_ID_RAZ(5, 7),
	SV_ID_SANITISED(6, 0), SV_ID_SANITISED(6, 1), SV_ID_SANITISED(6, 2),
	SV_ID_RAZ(6, 3), SV_ID_RAZ(6, 4), SV_ID_RAZ(6, 5), SV_ID_RAZ(6, 6),
	SV_ID_RAZ(6, 7),
	SV_ID_SANITISED(7, 0), SV_ID_SANITISED(7, 1), SV_ID_SANITISED(7, 2),
	SV_ID_RAZ(7, 3), SV_ID_RAZ(7, 4), SV_ID_RAZ(7, 5), SV_ID_RAZ(7, 6),
	SV_ID_RAZ(7, 7),

	{ SV_SR(3, 0, 1, 0, 0), sv_access_vm_reg, .reset = sv_reset_val,
	  .reg = SV_SCTLR_EL1, .val = SV_SCTLR_EL1_RESET },	/* SCTLR_EL1 */
	{ SV_SR(3, 0, 1, 0, 1), sv_access_actlr, .reset = sv_reset_actlr,
	  .reg = SV_R_HOST(SV_H_ACTLR) },			/* ACTLR_EL1 */
	SV_PLAIN_REG(3, 0, 1, 0, 2, SV_CPACR_EL1),
	SV_VM_REG(3, 0, 2, 0, 0, SV_TTBR0_EL1),
	SV_VM_REG(3, 0, 2, 0, 1, SV_TTBR1_EL1),
	SV_VM_REG(3, 0, 2, 0, 2, SV_TCR_EL1),
	SV_VM_REG(3, 0, 5, 1, 0, SV_AFSR0_EL1),
	SV_VM_REG(3, 0, 5, 1, 1, SV_AFSR1_EL1),
	SV_VM_REG(3, 0, 5, 2, 0, SV_ESR_EL1),
	SV_VM_REG(3, 0, 6, 0, 0, SV_FAR_EL1),
	SV_PLAIN_REG(3, 0, 7, 4, 0, SV_PAR_EL1),
	SV_PMU_REG(3, 0, 9, 14, 1),				/* PMINTENSET_EL1 */
	SV_PMU_REG(3, 0, 9, 14, 2),				/* PMINTENCLR_EL1 */
	{ SV_SR(3, 0, 9, 14, 6), sv_trap_raz_wi, .reg = -1 },	/* PMMIR_EL1 */
	SV_VM_REG(3, 0, 10, 2, 0, SV_MAIR_EL1),
	{ SV_SR(3, 0, 10, 3, 0), sv_access_vm_reg, .reset = sv_reset_amair,
	  .reg = SV_AMAIR_EL1 },
	SV_PLAIN_REG(3, 0, 12, 0, 0, SV_VBAR_EL1),
	/* DISR_EL1: stored only; with RAS hidden the guest cannot reach it. */
	SV_PLAIN_REG(3, 0, 12, 1, 1, SV_R_HOST(SV_H_DISR)),
	SV_VM_REG(3, 0, 13, 0, 1, SV_CONTEXTIDR_EL1),
	SV_PLAIN_REG(3, 0, 13, 0, 4, SV_TPIDR_EL1),
	SV_PLAIN_REG(3, 0, 14, 1, 0, SV_CNTKCTL_EL1),
	SV_PLAIN_REG(3, 2, 0, 0, 0, SV_CSSELR_EL1),
	SV_PMU_REG(3, 3, 9, 12, 0),				/* PMCR_EL0 */
	SV_PMU_REG(3, 3, 9, 12, 1),				/* PMCNTENSET_EL0 */
	SV_PMU_REG(3, 3, 9, 12, 2),				/* PMCNTENCLR_EL0 */
	SV_PMU_REG(3, 3, 9, 12, 3),				/* PMOVSCLR_EL0 */
	SV_PMU_REG(3, 3, 9, 12, 4),				/* PMSWINC_EL0 */
	SV_PMU_REG(3, 3, 9, 12, 5),				/* PMSELR_EL0 */
	SV_PMU_TRAP(3, 3, 9, 12, 6),				/* PMCEID0_EL0 */
	SV_PMU_TRAP(3, 3, 9, 12, 7),				/* PMCEID1_EL0 */
	SV_PMU_REG(3, 3, 9, 13, 0),				/* PMCCNTR_EL0 */
	SV_PMU_TRAP(3, 3, 9, 13, 1),				/* PMXEVTYPER_EL0 */
	SV_PMU_TRAP(3, 3, 9, 13, 2),				/* PMXEVCNTR_EL0 */
	SV_PMU_REG(3, 3, 9, 14, 0),				/* PMUSERENR_EL0 */
	SV_PMU_REG(3, 3, 9, 14, 3),				/* PMOVSSET_EL0 */
	SV_PLAIN_REG(3, 3, 13, 0, 2, SV_TPIDR_EL0),
	SV_PLAIN_REG(3, 3, 13, 0, 3, SV_TPIDRRO_EL0),
	SV_PMEVCNTR(0), SV_PMEVCNTR(1), SV_PMEVCNTR(2), SV_PMEVCNTR(3),
	SV_PMEVCNTR(4), SV_PMEVCNTR(5), SV_PMEVCNTR(6), SV_PMEVCNTR(7),
	SV_PMEVCNTR(8), SV_PMEVCNTR(9), SV_PMEVCNTR(10), SV_PMEVCNTR(11),
	SV_PMEVCNTR(12), SV_PMEVCNTR(13), SV_PMEVCNTR(14), SV_PMEVCNTR(15),
	SV_PMEVCNTR(16), SV_PMEVCNTR(17), SV_PMEVCNTR(18), SV_PMEVCNTR(19),
	SV_PMEVCNTR(20), SV_PMEVCNTR(21), SV_PMEVCNTR(22), SV_PMEVCNTR(23),
	SV_PMEVCNTR(24), SV_PMEVCNTR(25), SV_PMEVCNTR(26), SV_PMEVCNTR(27),
	SV_PMEVCNTR(28), SV_PMEVCNTR(29), SV_PMEVCNTR(30),
	SV_PMEVTYPER(0), SV_PMEVTYPER(1), SV_PMEVTYPER(2), SV_PMEVTYPER(3),
	SV_PMEVTYPER(4), SV_PMEVTYPER(5), SV_PMEVTYPER(6), SV_PMEVTYPER(7),
	SV_PMEVTYPER(8), SV_PMEVTYPER(9), SV_PMEVTYPER(10), SV_PMEVTYPER(11),
	SV_PMEVTYPER(12), SV_PMEVTYPER(13), SV_PMEVTYPER(14), SV_PMEVTYPER(15),
	SV_PMEVTYPER(16), SV_PMEVTYPER(17), SV_PMEVTYPER(18), SV_PMEVTYPER(19),
	SV_PMEVTYPER(20), SV_PMEVTYPER(21), SV_PMEVTYPER(22), SV_PMEVTYPER(23),
	SV_PMEVTYPER(24), SV_PMEVTYPER(25), SV_PMEVTYPER(26), SV_PMEVTYPER(27),
	SV_PMEVTYPER(28), SV_PMEVTYPER(29), SV_PMEVTYPER(30),
	SV_PMU_REG(3, 3, 14, 15, 7),				/* PMCCFILTR_EL0 */
	/* AArch32 state, kept for the VMM only: guests are AArch64. */
	SV_PLAIN_REG(3, 4, 3, 0, 0, SV_R_HOST(SV_H_DACR32)),
	SV_PLAIN_REG(3, 4, 5, 0, 1, SV_R_HOST(SV_H_IFSR32)),
	{ SV_SR(3, 4, 5, 3, 0), .reset = sv_reset_val,
	  .reg = SV_R_HOST(SV_H_FPEXC32), .val = 0x700 },	/* FPEXC32_EL2 */
};

static const struct sv_sys_reg *sv_find_sys_reg(u32 enc)
{
	int i = sv_sys_reg_index(&sv_sys_regs[0].enc, sizeof(sv_sys_regs[0]),
				 ARRAY_SIZE(sv_sys_regs), enc);

	return i < 0 ? NULL : &sv_sys_regs[i];
}

static unsigned int sv_visibility(const struct sv_vcpu_host *v,
				  const struct sv_sys_reg *r)
{
	return r->visibility ? r->visibility(v, r) : 0;
}

int sv_sys_regs_init(void)
{
	int i = sv_sys_reg_unsorted(&sv_sys_regs[0].enc,
				    sizeof(sv_sys_regs[0]),
				    ARRAY_SIZE(sv_sys_regs));

	if (i) {
		pr_err("system register table not sorted at entry %d\n", i);
		return -EINVAL;
	}
	sv_id_regs_init();
	for (i = 0; i < ARRAY_SIZE(sv_invariant); i++)
		sv_invariant_val[i] = sv_invariant[i].read();
	return 0;
}

void sv_reset_sys_regs(struct sv_vcpu_host *v)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(sv_sys_regs); i++)
		if (sv_sys_regs[i].reset)
			sv_sys_regs[i].reset(v, &sv_sys_regs[i]);
}

int sv_exit_sysreg(struct sv_vcpu_host *v, u64 esr)
{
	u64 iss = esr & 0x1ffffff;
	u32 enc = sv_enc_from_iss(iss), rt = ISS_RT(iss);
	const struct sv_sys_reg *r = sv_find_sys_reg(enc);
	struct sv_sr_params p = { .write = !(iss & ISS_READ) };

	if (!r || !r->access || (sv_visibility(v, r) & SV_REG_HIDDEN)) {
		/* physical timer, implementation defined, ... */
		pr_debug("VM %llu vCPU %u: UNDEF for sysreg op0=%u op1=%u CRn=%u CRm=%u op2=%u\n",
			 v->vm->id, v->id, SV_ENC_OP0(enc), SV_ENC_OP1(enc),
			 SV_ENC_CRN(enc), SV_ENC_CRM(enc), SV_ENC_OP2(enc));
		sv_inject_undef(v);
		return 1;
	}
	if (p.write)
		p.val = sv_get_reg(v, rt);
	if (!r->access(v, &p, r))
		return 1;
	if (!p.write)
		sv_set_reg(v, rt, p.val);
	sv_skip_insn(v);
	return 1;
}

/* --- ONE_REG, REG_LIST ----------------------------------------------------- */

/* CCSIDR_EL1 of the cache CSSELR selects, on this CPU. */
static u32 sv_get_ccsidr(u32 csselr)
{
	unsigned long flags;
	u32 ccsidr;

	local_irq_save(flags);
	write_sysreg(csselr, csselr_el1);
	isb();
	ccsidr = read_sysreg(ccsidr_el1);
	local_irq_restore(flags);
	return ccsidr;
}

#define SV_CSSELR_MAX	14

/* KVM 6.1 is_valid_cache(): the caches CLIDR_EL1 says exist. */
static bool sv_valid_cache(u32 csselr)
{
	u32 level = (csselr >> 1) + 1, ctype;

	if (csselr >= SV_CSSELR_MAX || level > 7)
		return false;
	ctype = (read_sysreg(clidr_el1) >> (3 * (level - 1))) & 7;
	switch (ctype) {
	case 0:
		return false;
	case 1:			/* instruction cache only */
		return csselr & 1;
	case 2:			/* data cache only */
	case 4:			/* unified */
		return !(csselr & 1);
	default:		/* separate I and D */
		return true;
	}
}

#define SV_DEMUX_CCSIDR(csselr)						\
	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX |		\
	 KVM_REG_ARM_DEMUX_ID_CCSIDR | (csselr))

static int sv_demux_access(u64 id, void __user *uaddr, bool set)
{
	u32 csselr = id & KVM_REG_ARM_DEMUX_VAL_MASK, val;

	if ((id & ~(u64)KVM_REG_ARM_DEMUX_VAL_MASK) != SV_DEMUX_CCSIDR(0) ||
	    !sv_valid_cache(csselr))
		return -ENOENT;
	if (!set)
		return put_user(sv_get_ccsidr(csselr), (u32 __user *)uaddr);
	if (get_user(val, (u32 __user *)uaddr))
		return -EFAULT;
	/* As KVM 6.1: the cache geometry cannot be changed. */
	return val == sv_get_ccsidr(csselr) ? 0 : -EINVAL;
}

int sv_sys_reg_access(struct sv_vcpu_host *v, u64 id, void __user *uaddr,
		      bool set)
{
	const struct sv_sys_reg *r;
	u32 enc = sv_enc_from_id(id);
	u64 val, cur;
	int i, ret;

	if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_DEMUX)
		return sv_demux_access(id, uaddr, set);
	/* KVM 6.1 index_to_params(): only 64-bit, only the five fields. */
	if ((id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64 ||
	    id != sv_id_from_enc(enc))
		return -ENOENT;

	for (i = 0; i < ARRAY_SIZE(sv_invariant); i++) {
		if (sv_invariant[i].enc != enc)
			continue;
		if (!set)
			return put_user(sv_invariant_val[i], (u64 __user *)uaddr);
		if (get_user(val, (u64 __user *)uaddr))
			return -EFAULT;
		return val == sv_invariant_val[i] ? 0 : -EINVAL;
	}

	r = sv_find_sys_reg(enc);
	if (!r || (r->reg < 0 && !r->get) ||
	    (sv_visibility(v, r) & SV_REG_HIDDEN))
		return -ENOENT;
	if (!set) {
		if (sv_visibility(v, r) & SV_REG_RAZ)
			val = 0;
		else if (r->get)
			r->get(v, r, &val);
		else
			val = *sv_reg_ptr(v, r->reg);
		return put_user(val, (u64 __user *)uaddr);
	}
	if (get_user(val, (u64 __user *)uaddr))
		return -EFAULT;
	if (sv_visibility(v, r) & SV_REG_USER_WI)
		return 0;
	if (r->set) {
		ret = r->set(v, r, val);
		return ret;
	}
	if (r->get) {
		r->get(v, r, &cur);
		return val == cur ? 0 : -EINVAL;
	}
	*sv_reg_ptr(v, r->reg) = val;
	return 0;
}

/* The ids KVM_GET_REG_LIST shows, in KVM 6.1's order; returns how many. */
int sv_sys_reg_list(struct sv_vcpu_host *v, u64 __user *out)
{
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(sv_invariant); i++, n++)
		if (out && put_user(sv_id_from_enc(sv_invariant[i].enc), out++))
			return -EFAULT;
	for (i = 0; i < ARRAY_SIZE(sv_sys_regs); i++) {
		const struct sv_sys_reg *r = &sv_sys_regs[i];

		if ((r->reg < 0 && !r->get) ||
		    (sv_visibility(v, r) & SV_REG_HIDDEN))
			continue;
		if (out && put_user(sv_id_from_enc(r->enc), out++))
			return -EFAULT;
		n++;
	}
	for (i = 0; i < SV_CSSELR_MAX; i++) {
		if (!sv_valid_cache(i))
			continue;
		if (out && put_user(SV_DEMUX_CCSIDR(i), out++))
			return -EFAULT;
		n++;
	}
	return n;
}
