// SPDX-License-Identifier: GPL-2.0
/*
 * Guest debug, in the shape of KVM 6.1's arch/arm64/kvm/debug.c:
 *
 * - The guest's own breakpoints, watchpoints and software step work for
 *   the guest. Its debug registers trap (MDCR_EL2.TDA) until it touches
 *   one, or while MDSCR_EL1.MDE/KDE say debug is in use; from then on EL2
 *   switches the whole set (lowvisor/include/debug_sr.h) and stops trapping.
 *   MDSCR_EL1 is switched at every run, so the host's own breakpoints,
 *   watchpoints and single step never fire in a guest.
 * - The guest's OS Lock (OSLAR_EL1, emulated) disables its breakpoints,
 *   watchpoints and software step, as the architecture says (D2.5).
 * - KVM_SET_GUEST_DEBUG lets a VMM-side debugger single-step the guest,
 *   catch its BRKs, and use the hardware breakpoints and watchpoints
 *   itself: debug exceptions then go to EL2 (MDCR_EL2.TDE) and out to the
 *   VMM as KVM_EXIT_DEBUG.
 */
#include "splitvisor.h"

#include <linux/kvm.h>
#include <linux/uaccess.h>
#include <asm/debug-monitors.h>
#include <asm/kvm_arm.h>

#include "esr.h"
#include "vm.h"

#define SV_GUESTDBG_VALID	(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP | \
				 KVM_GUESTDBG_USE_HW | KVM_GUESTDBG_SINGLESTEP)
#define SV_MDSCR_SS		BIT(0)

void sv_debug_reset(struct sv_vcpu_host *v)
{
	v->debug_dirty = false;
	v->ss_active_pending = false;
}

/*
 * Before an entry where debug is in use (sv_debug_setup() in vm.h has the
 * common case): MDCR_EL2 traps and what EL2 switches.
 */
void __sv_debug_setup(struct sv_vcpu_host *v)
{
	struct sv_vcpu_debug *d = &v->hyp->debug;
	u64 *mdscr = &v->hyp->ctxt.sys[SV_MDSCR_EL1];
	u64 mdcr = v->hyp->cfg.mdcr & ~(MDCR_EL2_TDE | MDCR_EL2_TDA);

	if (v->guest_debug)
		mdcr |= MDCR_EL2_TDE;	/* software debug exceptions to EL2 */
	d->flags = 0;

	if (v->guest_debug || sv_os_lock(v)) {
		/* The guest's MDSCR_EL1 and PSTATE.SS come back after the run. */
		v->saved_mdscr = *mdscr;
		v->saved_pstate_ss = v->hyp->ctxt.regs.spsr & SV_SPSR_SS;

		if (v->guest_debug & KVM_GUESTDBG_SINGLESTEP) {
			/*
			 * Step one instruction: PSTATE.SS = 1 (active-not-
			 * pending), unless the last step is still pending
			 * (an emulated instruction completed it), in which
			 * case the step exception comes at once (D2.12).
			 */
			if (!v->ss_active_pending)
				v->hyp->ctxt.regs.spsr |= SV_SPSR_SS;
			else
				v->hyp->ctxt.regs.spsr &= ~SV_SPSR_SS;
			*mdscr |= SV_MDSCR_SS;
		} else {
			*mdscr &= ~SV_MDSCR_SS;
		}

		if (v->guest_debug & KVM_GUESTDBG_USE_HW) {
			*mdscr |= SV_MDSCR_MDE;
			d->flags |= SV_DBG_SWITCH | SV_DBG_EXT;
		} else if (sv_os_lock(v)) {
			/* OS Lock: breakpoints and watchpoints are off. */
			*mdscr &= ~SV_MDSCR_MDE;
		}
	}

	if (*mdscr & (SV_MDSCR_KDE | SV_MDSCR_MDE))
		v->debug_dirty = true;
	if (v->debug_dirty)
		d->flags |= SV_DBG_SWITCH;
	/*
	 * Trap the debug registers unless the guest's own set is live: the
	 * VMM's set (USE_HW) must not be read or changed by the guest, and
	 * with the OS Lock set the guest's writes must be seen here.
	 */
	if ((v->guest_debug & KVM_GUESTDBG_USE_HW) || !v->debug_dirty ||
	    sv_os_lock(v))
		mdcr |= MDCR_EL2_TDA;
	v->hyp->cfg.mdcr = mdcr;
}

/* After an exit with the VMM's debug or the OS Lock: the guest's view back. */
void __sv_debug_clear(struct sv_vcpu_host *v)
{
	if ((v->guest_debug & KVM_GUESTDBG_SINGLESTEP) &&
	    !(v->hyp->ctxt.regs.spsr & SV_SPSR_SS))
		v->ss_active_pending = true;
	/*
	 * Before the exit is handled, so a trapped guest write to MDSCR_EL1
	 * lands on its own value (the order of KVM 6.1's run loop).
	 */
	v->hyp->ctxt.sys[SV_MDSCR_EL1] = v->saved_mdscr;
	if (v->saved_pstate_ss)
		v->hyp->ctxt.regs.spsr |= SV_SPSR_SS;
	else
		v->hyp->ctxt.regs.spsr &= ~SV_SPSR_SS;
}

int sv_set_guest_debug(struct sv_vcpu_host *v,
		       struct kvm_guest_debug __user *udbg)
{
	struct kvm_guest_debug dbg;
	struct sv_debug_regs *ext = &v->hyp->debug.ext;
	int i;

	if (copy_from_user(&dbg, udbg, sizeof(dbg)))
		return -EFAULT;
	if (dbg.control & ~SV_GUESTDBG_VALID)
		return -EINVAL;
	if (!(dbg.control & KVM_GUESTDBG_ENABLE)) {
		v->guest_debug = 0;
		v->ss_active_pending = false;
		return 0;
	}
	v->guest_debug = dbg.control;
	if (dbg.control & KVM_GUESTDBG_USE_HW) {
		for (i = 0; i < KVM_ARM_MAX_DBG_REGS && i < SV_DBG_NR; i++) {
			ext->bcr[i] = dbg.arch.dbg_bcr[i];
			ext->bvr[i] = dbg.arch.dbg_bvr[i];
			ext->wcr[i] = dbg.arch.dbg_wcr[i];
			ext->wvr[i] = dbg.arch.dbg_wvr[i];
		}
	}
	return 0;
}

/*
 * A debug exception taken to EL2 (only while MDCR_EL2.TDE is set, i.e.
 * the VMM enabled guest debug): KVM_EXIT_DEBUG with ESR and, for a
 * watchpoint, FAR (KVM 6.1 kvm_handle_guest_debug()).
 */
int sv_exit_debug(struct sv_vcpu_host *v, u64 esr)
{
	struct kvm_run *run = v->run;

	if (!v->guest_debug) {
		/*
		 * Without TDE the guest takes its debug exceptions itself:
		 * should one reach EL2 anyway, give it to the guest, with the
		 * "current EL" class if it came from EL1 (BRK has one class).
		 */
		if (ESR_EC(esr) != ESR_EC_BRK64 &&
		    (v->hyp->ctxt.regs.spsr & PSR_MODE_MASK) != PSR_MODE_EL0t)
			esr += 1ULL << ESR_EC_SHIFT;
		sv_inject_sync(v, esr, v->hyp->fault.far);
		return 1;
	}
	run->exit_reason = KVM_EXIT_DEBUG;
	run->debug.arch.hsr = lower_32_bits(esr);
	run->debug.arch.hsr_high = upper_32_bits(esr);
	run->flags = KVM_DEBUG_ARCH_HSR_HIGH_VALID;
	if (ESR_EC(esr) == ESR_EC_WATCHPT_LOW)
		run->debug.arch.far = v->hyp->fault.far;
	if (ESR_EC(esr) == ESR_EC_SOFTSTP_LOW)
		v->ss_active_pending = false;
	return 0;
}

int sv_debug_num_brps(void)
{
	return ((read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1) >> 12) & 0xf) + 1;
}

int sv_debug_num_wrps(void)
{
	return ((read_sanitised_ftr_reg(SYS_ID_AA64DFR0_EL1) >> 20) & 0xf) + 1;
}
