/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The debug registers across a world switch, in the shape of KVM's
 * hyp/include/hyp/debug-sr.h:
 *
 * - MDSCR_EL1 is switched at every run with the common state
 *   (sysreg-sr.h): with the guest's in place, the host's breakpoints,
 *   watchpoints and software step cannot fire while the guest runs.
 * - The breakpoint and watchpoint registers and MDCCINT_EL1 are switched
 *   only when the highvisor sets SV_DBG_SWITCH (the guest touched them, or
 *   debug is enabled); otherwise MDCR_EL2.TDA traps every guest access to
 *   them and the highvisor emulates them.
 *
 * Only the implemented registers are touched: an access to DBGBVR<n>_EL1
 * beyond ID_AA64DFR0_EL1.BRPs is UNDEFINED (ARM ARM D13.3.2).
 */
#ifndef SV_LOWVISOR_DEBUG_SR_H
#define SV_LOWVISOR_DEBUG_SR_H

#include "splitvisor_abi.h"
#include "sysreg.h"

#define ESR_EC_WATCHPT_LOW	0x34

/* One statement per implemented register n, from the highest down to 0. */
#define SV_DBG_EACH(last, OP)						\
	do {								\
		switch (last) {						\
		case 15:							\
			OP(15);						\
			fallthrough;					\
		case 14:							\
			OP(14);						\
			fallthrough;					\
		case 13:							\
			OP(13);						\
			fallthrough;					\
		case 12:							\
			OP(12);						\
			fallthrough;					\
		case 11:							\
			OP(11);						\
			fallthrough;					\
		case 10:							\
			OP(10);						\
			fallthrough;					\
		case 9:							\
			OP(9);						\
			fallthrough;					\
		case 8:							\
			OP(8);						\
			fallthrough;					\
		case 7:							\
			OP(7);						\
			fallthrough;					\
		case 6:							\
			OP(6);						\
			fallthrough;					\
		case 5:							\
			OP(5);						\
			fallthrough;					\
		case 4:							\
			OP(4);						\
			fallthrough;					\
		case 3:							\
			OP(3);						\
			fallthrough;					\
		case 2:							\
			OP(2);						\
			fallthrough;					\
		case 1:							\
			OP(1);						\
			fallthrough;					\
		default:						\
			OP(0);						\
		}							\
	} while (0)

static inline void sv_dbg_save(struct sv_debug_regs *r)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 brps = (dfr0 >> 12) & 0xf, wrps = (dfr0 >> 20) & 0xf;

#define SV_SAVE_B(n)							\
	({ r->bcr[n] = read_sysreg(dbgbcr##n##_el1);			\
	   r->bvr[n] = read_sysreg(dbgbvr##n##_el1); })
#define SV_SAVE_W(n)							\
	({ r->wcr[n] = read_sysreg(dbgwcr##n##_el1);			\
	   r->wvr[n] = read_sysreg(dbgwvr##n##_el1); })
	SV_DBG_EACH(brps, SV_SAVE_B);
	SV_DBG_EACH(wrps, SV_SAVE_W);
#undef SV_SAVE_B
#undef SV_SAVE_W
}

static inline void sv_dbg_load(const struct sv_debug_regs *r)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 brps = (dfr0 >> 12) & 0xf, wrps = (dfr0 >> 20) & 0xf;

#define SV_LOAD_B(n)							\
	({ write_sysreg(r->bcr[n], dbgbcr##n##_el1);			\
	   write_sysreg(r->bvr[n], dbgbvr##n##_el1); })
#define SV_LOAD_W(n)							\
	({ write_sysreg(r->wcr[n], dbgwcr##n##_el1);			\
	   write_sysreg(r->wvr[n], dbgwvr##n##_el1); })
	SV_DBG_EACH(brps, SV_LOAD_B);
	SV_DBG_EACH(wrps, SV_LOAD_W);
#undef SV_LOAD_B
#undef SV_LOAD_W
}

/* After the guest's EL1 state is in place, before entering it. */
static inline void sv_debug_switch_to_guest(struct sv_el2_cpu *cpu,
					    struct sv_vcpu *vcpu)
{
	const struct sv_vcpu_debug *d = &vcpu->debug;

	if (!(d->flags & SV_DBG_SWITCH))
		return;
	cpu->host_mdccint = read_sysreg(mdccint_el1);
	sv_dbg_save(&cpu->host_dbg);
	cpu->host_dbg_saved = SV_HOST_DBG_REGS;
	write_sysreg(d->mdccint, mdccint_el1);
	sv_dbg_load(d->flags & SV_DBG_EXT ? &d->ext : &d->regs);
	/* The ERET into the guest synchronizes the writes (ARM ARM D13.1.2). */
}

/*
 * After the guest's exit, while its registers are still live. A
 * watchpoint's address is in FAR_EL2 (ARM ARM D2.10.5): KVM_EXIT_DEBUG
 * reports it.
 */
static inline void sv_debug_save_guest(struct sv_vcpu *vcpu)
{
	struct sv_vcpu_debug *d = &vcpu->debug;

	if (d->flags & SV_DBG_SWITCH)
		d->mdccint = read_sysreg(mdccint_el1);
	if ((d->flags & (SV_DBG_SWITCH | SV_DBG_EXT)) == SV_DBG_SWITCH)
		sv_dbg_save(&d->regs);
	if (ESR_EC(vcpu->fault.esr) == ESR_EC_WATCHPT_LOW)
		vcpu->fault.far = read_sysreg(far_el2);
}

/*
 * The host's debug state back; also on the panic path, so a fault at EL2
 * half-way through a switch does not leave the guest's registers armed.
 * Only what was saved is put back.
 */
static inline void sv_debug_restore_host(struct sv_el2_cpu *cpu)
{
	if (!(cpu->host_dbg_saved & SV_HOST_DBG_REGS))
		return;
	sv_dbg_load(&cpu->host_dbg);
	write_sysreg(cpu->host_mdccint, mdccint_el1);
	cpu->host_dbg_saved = 0;
}

#endif
