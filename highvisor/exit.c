// SPDX-License-Identifier: GPL-2.0
/*
 * What the highvisor does when a guest exits: one handler per exception
 * class, MMIO decode and completion, SMCCC/PSCI, trapped system registers
 * (sanitized ID registers, set/way maintenance, debug/PMU/impl-defined
 * registers), and exceptions injected back into the guest.
 */
#include "splitvisor.h"

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <asm/kvm_arm.h>
#include <asm/sysreg.h>

#include "vm.h"

/* ESR_EL2 fields (ARM ARM D13.2.37) */
#define ESR_EC_SHIFT		26
#define ESR_EC(esr)		((esr) >> ESR_EC_SHIFT & 0x3f)
#define ESR_IL			BIT(25)
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFX		0x01
#define ESR_EC_FP		0x07
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_SYS64		0x18
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_DABT_ISV		BIT(24)
#define ESR_DABT_SAS(esr)	((esr) >> 22 & 3)
#define ESR_DABT_SSE		BIT(21)
#define ESR_DABT_SRT(esr)	((esr) >> 16 & 0x1f)
#define ESR_DABT_SF		BIT(15)
#define ESR_DABT_CM		BIT(8)
#define ESR_DABT_S1PTW		BIT(7)
#define ESR_DABT_WNR		BIT(6)
#define ESR_FSC_EXTABT		0x10

/* SMCCC and PSCI function IDs (DEN0028, DEN0022) */
#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define SV_SMCCC_NOT_SUPPORTED	(-1L)
#define PSCI_VERSION		0x84000000U
#define PSCI_MIGRATE_INFO_TYPE	0x84000006U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_SYSTEM_RESET	0x84000009U
#define PSCI_FEATURES		0x8400000aU

/* Counters since load, for tests and the bench (debugfs "exits"). */
static atomic64_t sv_exits_by_ec[64];
static atomic64_t sv_exits_irq, sv_exits_mmio_user, sv_exits_other;
static atomic64_t sv_el2_null_calls;
/* By kvm_run.exit_reason, each time KVM_RUN returns to the VMM. */
#define SV_NR_EXIT_REASONS	64
static atomic64_t sv_vmm_exits[SV_NR_EXIT_REASONS];

static const char * const sv_exit_reason_names[SV_NR_EXIT_REASONS] = {
	[KVM_EXIT_MMIO]			= "mmio",
	[KVM_EXIT_INTR]			= "intr",
	[KVM_EXIT_FAIL_ENTRY]		= "fail_entry",
	[KVM_EXIT_INTERNAL_ERROR]	= "internal_error",
	[KVM_EXIT_SYSTEM_EVENT]		= "system_event",
};

void sv_exit_counters_vmm(u32 reason)
{
	if (reason < SV_NR_EXIT_REASONS)
		atomic64_inc(&sv_vmm_exits[reason]);
}

/* A vCPU goes: keep what EL2 answered for it without an exit. */
void sv_exit_counters_retire(struct sv_vcpu_host *v)
{
	atomic64_add(v->ctxt->el2_hcalls, &sv_el2_null_calls);
}

static u64 sv_get_reg(struct sv_vcpu_host *v, u32 n)
{
	return n == 31 ? 0 : v->ctxt->regs.x[n];	/* 31: XZR */
}

static void sv_set_reg(struct sv_vcpu_host *v, u32 n, u64 val)
{
	if (n != 31)
		v->ctxt->regs.x[n] = val;
}

static void sv_skip_insn(struct sv_vcpu_host *v)
{
	v->ctxt->regs.elr += 4;
}

/*
 * Take a synchronous exception to the guest's EL1, as the CPU would:
 * ELR/SPSR/ESR/FAR_EL1, PSTATE to EL1h with DAIF masked, PC to the vector.
 */
static void sv_inject_sync(struct sv_vcpu_host *v, u64 esr, u64 far)
{
	struct sv_vcpu *c = v->ctxt;
	u64 mode = c->regs.spsr & PSR_MODE_MASK;
	u64 offset = mode == PSR_MODE_EL1h ? 0x200 :
		     mode == PSR_MODE_EL1t ? 0x000 : 0x400;

	c->el1.sys[SV_ELR_EL1] = c->regs.elr;
	c->el1.sys[SV_SPSR_EL1] = c->regs.spsr;
	c->el1.sys[SV_ESR_EL1] = esr;
	c->el1.sys[SV_FAR_EL1] = far;
	c->regs.spsr = PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT |
		       PSR_MODE_EL1h;
	c->regs.elr = c->el1.sys[SV_VBAR_EL1] + offset;
}

static void sv_inject_undef(struct sv_vcpu_host *v)
{
	sv_inject_sync(v, (u64)ESR_EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL, 0);
}

/* A synchronous external abort on an instruction fetch or data access. */
static void sv_inject_abort(struct sv_vcpu_host *v, bool iabt, u64 far)
{
	bool from_el1 = (v->ctxt->regs.spsr & PSR_MODE_MASK) != PSR_MODE_EL0t;
	u64 ec;

	if (iabt)
		ec = from_el1 ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
	else
		ec = from_el1 ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
	sv_inject_sync(v, ec << ESR_EC_SHIFT | ESR_IL | ESR_FSC_EXTABT, far);
}

/* --- MMIO -------------------------------------------------------------- */

void sv_mmio_complete(struct sv_vcpu_host *v)
{
	struct sv_mmio_pending *p = &v->mmio;
	u64 val = 0;

	if (!p->is_write) {
		memcpy(&val, v->run->mmio.data, p->len);
		if (p->sign_extend && p->len < 8) {
			u32 shift = 64 - 8 * p->len;

			val = (u64)((s64)(val << shift) >> shift);
		}
		if (!p->reg64)
			val = (u32)val;
		sv_set_reg(v, p->reg, val);
	}
	sv_skip_insn(v);
	p->active = false;
}

static int sv_mmio_exit(struct sv_vcpu_host *v, u64 esr, sv_ipa_t ipa)
{
	struct kvm_run *run = v->run;
	struct sv_mmio_pending *p = &v->mmio;
	u64 val;

	if (!(esr & ESR_DABT_ISV)) {
		/*
		 * Load/store pair, writeback or similar: no syndrome to
		 * emulate from. KVM answers -ENOSYS here too.
		 */
		pr_warn_ratelimited("VM %llu vCPU %u: MMIO at IPA 0x%llx without a valid syndrome (ESR 0x%llx, PC 0x%llx)\n",
				    v->vm->id, v->id, ipa.ipa, esr,
				    v->ctxt->regs.elr);
		return -ENOSYS;
	}
	p->active = true;
	p->is_write = esr & ESR_DABT_WNR;
	p->len = 1 << ESR_DABT_SAS(esr);
	p->sign_extend = esr & ESR_DABT_SSE;
	p->reg64 = esr & ESR_DABT_SF;
	p->reg = ESR_DABT_SRT(esr);

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = ipa.ipa;
	run->mmio.len = p->len;
	run->mmio.is_write = p->is_write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (p->is_write) {
		val = sv_get_reg(v, p->reg);
		memcpy(run->mmio.data, &val, p->len);
	}
	atomic64_inc(&sv_exits_mmio_user);
	return 0;
}

static int sv_exit_abort(struct sv_vcpu_host *v, u64 esr)
{
	const struct sv_vcpu_fault *f = &v->ctxt->fault;
	sv_ipa_t ipa = { (f->hpfar >> 4) << 12 | (f->far & 0xfff) };
	bool iabt = ESR_EC(esr) == ESR_EC_IABT_LOW;
	bool write = !iabt && (esr & ESR_DABT_WNR) && !(esr & ESR_DABT_S1PTW);
	bool is_mmio;
	int ret;

	if (f->par_fail)
		return 1;	/* FAR did not translate: let the guest retry */
	/* Beyond the VM's IPA space: nothing is there, not even MMIO. */
	if (ipa.ipa >> v->vm->ipa_bits) {
		sv_inject_abort(v, iabt, f->far);
		return 1;
	}
	ret = sv_s2_handle_fault(v->vm, ipa, write, &is_mmio);
	if (ret == -EPERM) {
		/* As KVM: the VMM gets EFAULT from KVM_RUN. */
		pr_info_ratelimited("VM %llu vCPU %u: guest write to IPA 0x%llx, which the VMM maps read-only\n",
				    v->vm->id, v->id, ipa.ipa);
		return -EFAULT;
	}
	if (ret) {
		pr_warn_ratelimited("VM %llu vCPU %u: cannot back IPA 0x%llx (error %d)\n",
				    v->vm->id, v->id, ipa.ipa, ret);
		return ret;
	}
	if (!is_mmio)
		return 1;
	if (iabt) {
		sv_inject_abort(v, true, f->far);
		return 1;
	}
	if (esr & ESR_DABT_S1PTW) {
		pr_warn_ratelimited("VM %llu vCPU %u: guest page tables at IPA 0x%llx are not memory\n",
				    v->vm->id, v->id, ipa.ipa);
		return -EFAULT;
	}
	/* Cache maintenance on an MMIO address does nothing: skip it. */
	if (esr & ESR_DABT_CM) {
		sv_skip_insn(v);
		return 1;
	}
	return sv_mmio_exit(v, esr, ipa);
}

/* --- SMCCC / PSCI -------------------------------------------------------- */

static int sv_system_event(struct sv_vcpu_host *v, u32 type)
{
	v->run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	memset(&v->run->system_event, 0, sizeof(v->run->system_event));
	v->run->system_event.type = type;
	return 0;
}

static long sv_psci_features(u32 fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_MIGRATE_INFO_TYPE:
	case SMCCC_VERSION:
		return 0;
	default:
		return SV_SMCCC_NOT_SUPPORTED;
	}
}

static int sv_exit_hvc(struct sv_vcpu_host *v, u64 esr)
{
	bool psci = v->features & BIT(KVM_ARM_VCPU_PSCI_0_2);
	u32 fn = sv_get_reg(v, 0);
	long ret = SV_SMCCC_NOT_SUPPORTED;

	/*
	 * SMCCC uses HVC #0; like KVM, the immediate is not looked at. PC
	 * already points past the HVC.
	 */
	switch (fn) {
	case SMCCC_VERSION:
		ret = 0x10001;		/* 1.1 */
		break;
	case PSCI_VERSION:
		if (psci)
			ret = 0x10000;	/* 1.0 */
		break;
	case PSCI_FEATURES:
		if (psci)
			ret = sv_psci_features(sv_get_reg(v, 1));
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		if (psci)
			ret = 2;	/* no Trusted OS to migrate */
		break;
	case PSCI_SYSTEM_OFF:
		if (psci)
			return sv_system_event(v, KVM_SYSTEM_EVENT_SHUTDOWN);
		break;
	case PSCI_SYSTEM_RESET:
		if (psci)
			return sv_system_event(v, KVM_SYSTEM_EVENT_RESET);
		break;
	}
	sv_set_reg(v, 0, ret);
	return 1;
}

/*
 * SMC traps (HCR_EL2.TSC) with the SMC itself as the return address: as
 * KVM does, no secure service is offered, x0 = NOT_SUPPORTED.
 */
static int sv_exit_smc(struct sv_vcpu_host *v, u64 esr)
{
	sv_set_reg(v, 0, SV_SMCCC_NOT_SUPPORTED);
	sv_skip_insn(v);
	return 1;
}

/*
 * First FP/SIMD access (CPTR_EL2.TFP): from now on the guest's FP state
 * is switched; the instruction runs again.
 */
static int sv_exit_fp(struct sv_vcpu_host *v, u64 esr)
{
	v->fp_active = true;
	v->ctxt->cfg.cptr &= ~CPTR_EL2_TFP;
	return 1;
}

/* WFI/WFE: no interrupts to wait for yet; give the CPU away. */
static int sv_exit_wfx(struct sv_vcpu_host *v, u64 esr)
{
	sv_skip_insn(v);
	cond_resched();
	return 1;
}

/* --- trapped system registers ------------------------------------------- */

#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define ISS_SYSREG_MASK		SYSREG_ISS(3, 7, 15, 15, 7)
#define ISS_OP0(iss)		((iss) >> 20 & 3)
#define ISS_OP1(iss)		((iss) >> 14 & 7)
#define ISS_CRN(iss)		((iss) >> 10 & 15)
#define ISS_CRM(iss)		((iss) >> 1 & 15)
#define ISS_OP2(iss)		((iss) >> 17 & 7)
#define ISS_RT(iss)		((iss) >> 5 & 31)
#define ISS_READ		1

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
static bool sv_is_setway(u64 esr)
{
	u64 iss = esr & 0x1ffffff;

	return ESR_EC(esr) == ESR_EC_SYS64 &&
	       (sv_sysreg_is(iss, SYSREG_ISS(1, 0, 7, 6, 2)) ||
		sv_sysreg_is(iss, SYSREG_ISS(1, 0, 7, 10, 2)) ||
		sv_sysreg_is(iss, SYSREG_ISS(1, 0, 7, 14, 2)));
}

static int sv_exit_sysreg(struct sv_vcpu_host *v, u64 esr)
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

/* --- dispatch ---------------------------------------------------------- */

static int sv_exit_undef(struct sv_vcpu_host *v, u64 esr)
{
	pr_debug("VM %llu vCPU %u: UNDEF for EC 0x%llx at PC 0x%llx\n",
		 v->vm->id, v->id, ESR_EC(esr), v->ctxt->regs.elr);
	sv_inject_undef(v);
	return 1;
}

typedef int (*sv_exit_fn)(struct sv_vcpu_host *v, u64 esr);

/* Everything not listed (SVE, pointer auth, ...) is UNDEF for the guest. */
static const sv_exit_fn sv_exit_handlers[64] = {
	[ESR_EC_WFX]		= sv_exit_wfx,
	[ESR_EC_FP]		= sv_exit_fp,
	[ESR_EC_HVC64]		= sv_exit_hvc,
	[ESR_EC_SMC64]		= sv_exit_smc,
	[ESR_EC_SYS64]		= sv_exit_sysreg,
	[ESR_EC_IABT_LOW]	= sv_exit_abort,
	[ESR_EC_DABT_LOW]	= sv_exit_abort,
};

static int sv_internal_error(struct sv_vcpu_host *v, u64 code)
{
	v->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	v->run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	v->run->internal.ndata = 2;
	v->run->internal.data[0] = code;
	v->run->internal.data[1] = v->ctxt->fault.esr;
	return 0;
}

/* >0: run the guest again; 0: back to the VMM (kvm_run says why); <0. */
int sv_handle_exit(struct sv_vcpu_host *v, u64 exit_code)
{
	u64 esr = v->ctxt->fault.esr;
	sv_exit_fn fn;
	int ec;

	switch (exit_code) {
	case SV_EXIT_SYNC:
		ec = ESR_EC(esr);
		atomic64_inc(&sv_exits_by_ec[ec]);
		if (!sv_is_setway(esr))
			v->sw_flushed = false;
		fn = sv_exit_handlers[ec] ?: sv_exit_undef;
		return fn(v, esr);
	case SV_EXIT_IRQ:
	case SV_EXIT_FIQ:
		/* The host took it when interrupts came back on. */
		atomic64_inc(&sv_exits_irq);
		return 1;
	default:
		atomic64_inc(&sv_exits_other);
		pr_warn_ratelimited("VM %llu vCPU %u: unexpected exit %llu (ESR 0x%llx)\n",
				    v->vm->id, v->id, exit_code, esr);
		return sv_internal_error(v, exit_code);
	}
}

void sv_exit_counters_show(struct seq_file *m)
{
	int ec;

	for (ec = 0; ec < 64; ec++)
		if (atomic64_read(&sv_exits_by_ec[ec]))
			seq_printf(m, "ec_0x%02x: %lld\n", ec,
				   atomic64_read(&sv_exits_by_ec[ec]));
	seq_printf(m, "irq: %lld\n", atomic64_read(&sv_exits_irq));
	seq_printf(m, "mmio_user: %lld\n", atomic64_read(&sv_exits_mmio_user));
	seq_printf(m, "other: %lld\n", atomic64_read(&sv_exits_other));
	seq_printf(m, "el2_null_calls: %lld\n",
		   atomic64_read(&sv_el2_null_calls));
	for (ec = 0; ec < SV_NR_EXIT_REASONS; ec++)
		if (sv_exit_reason_names[ec])
			seq_printf(m, "vmm_%s: %lld\n", sv_exit_reason_names[ec],
				   atomic64_read(&sv_vmm_exits[ec]));
}
