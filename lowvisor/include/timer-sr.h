/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's virtual timer registers and CNTVOFF_EL2. The offset changes
 * only while the timer is disabled, and before the guest's CVAL/CTL are
 * loaded, so the comparator never fires against the wrong counter (KVM
 * loads CNTVOFF in vcpu_load, before timer_restore_state()). The host's
 * EL1 virtual timer is not saved: Linux with EL2 available uses the
 * physical timer and counter (arch_timer_select_ppi(); in VHE mode the
 * EL2 one), so, as after KVM's timer_save_state(), the host gets it back
 * disabled. A VHE build reaches the guest's through the _EL02 aliases.
 */
#ifndef SV_LOWVISOR_TIMER_SR_H
#define SV_LOWVISOR_TIMER_SR_H

#include "splitvisor_abi.h"
#include "sysreg.h"
#include "sysreg-sr.h"

static inline void sv_timer_save_state(struct sv_cpu_ctxt *ctxt)
{
	sv_save_pair(ctxt, SV_CNTV_CTL_EL0, read_sysreg_el0, cntv_ctl,
		     cntv_cval);
	write_sysreg_el0(0, cntv_ctl);
	/* The timer is off before the offset moves under it. */
	isb();
}

static inline void sv_timer_restore_state(const struct sv_cpu_ctxt *ctxt,
					  u64 cntvoff)
{
	write_sysreg(cntvoff, cntvoff_el2);
	write_sysreg_el0(ctxt->sys[SV_CNTV_CVAL_EL0], cntv_cval);
	/* CNTVOFF and CVAL are in effect before the timer is enabled. */
	isb();
	write_sysreg_el0(ctxt->sys[SV_CNTV_CTL_EL0], cntv_ctl);
}

#endif
