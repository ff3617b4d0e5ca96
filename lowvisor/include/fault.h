/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IPA of a guest's stage-2 abort (KVM's hyp/include/hyp/fault.h).
 */
#ifndef SV_LOWVISOR_FAULT_H
#define SV_LOWVISOR_FAULT_H

#include "splitvisor_abi.h"
#include "sysreg.h"

#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_DABT_LOW		0x24
#define ESR_FSC_TYPE(esr)	((esr) & 0x3c)
#define ESR_FSC_PERM		0x0c
#define ESR_S1PTW		(1ULL << 7)

/*
 * Translate FAR with the guest's stage 1 still live. Stage 1 already
 * checked the access, so a read translation by EL1 suffices. PAR_EL1 is
 * the guest's, which VHE mode keeps in the CPU across runs: it is put
 * back (KVM's __translate_far_to_hpfar()).
 */
static inline bool sv_translate_far_to_hpfar(u64 far, u64 *hpfar)
{
	u64 par, guest_par = read_sysreg(par_el1);

	asm volatile("at s1e1r, %0" : : "r" (far));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(guest_par, par_el1);
	if (par & 1)
		return false;
	*hpfar = ((par >> 12) & ((1ULL << 36) - 1)) << 4;
	return true;
}

/*
 * HPFAR_EL2 is not valid for a stage-2 fault outside a stage-1 walk when
 * it is a permission fault (ARM ARM D13.2.55), nor for any such fault on
 * Cortex-A57 r0p0-r1p2 (erratum 834220: a stage-1 fault may be reported
 * as a stage-2 fault with a bogus HPFAR). Both take the AT path; S1PTW
 * faults always have a valid HPFAR.
 */
static inline void sv_get_fault_info(struct sv_vcpu_fault *f, u64 caps)
{
	u64 ec = ESR_EC(f->esr);

	f->par_fail = 0;
	if (ec != ESR_EC_IABT_LOW && ec != ESR_EC_DABT_LOW)
		return;
	f->far = read_sysreg(far_el2);
	if (!(f->esr & ESR_S1PTW) &&
	    ((caps & SV_CAP_WA_834220) ||
	     ESR_FSC_TYPE(f->esr) == ESR_FSC_PERM)) {
		/* The guest changed its tables meanwhile: just run it again. */
		if (!sv_translate_far_to_hpfar(f->far, &f->hpfar))
			f->par_fail = 1;
		return;
	}
	f->hpfar = read_sysreg(hpfar_el2);
}

/*
 * Why the guest left, for the highvisor (SV_EXIT_*, with
 * SV_EXIT_SERROR_PENDING kept), from what __sv_guest_enter() returned:
 * the vector slot, with that flag.
 */
static inline u64 sv_exit_code(u64 exit)
{
	u64 serror = exit & SV_EXIT_SERROR_PENDING;

	switch (SV_EXIT_CODE(exit)) {
	case SV_VEC_LOW64_SYNC:
	case SV_VEC_LOW32_SYNC:
		return SV_EXIT_SYNC | serror;
	case SV_VEC_LOW64_IRQ:
	case SV_VEC_LOW32_IRQ:
		return SV_EXIT_IRQ | serror;
	case SV_VEC_LOW64_FIQ:
	case SV_VEC_LOW32_FIQ:
		return SV_EXIT_FIQ | serror;
	default:
		return SV_EXIT_SERROR | serror;
	}
}

#endif
