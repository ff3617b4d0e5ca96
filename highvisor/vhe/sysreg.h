/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lowvisor/sysreg.h gives the world-switch phases, for their VHE
 * build in the module (vhe.c): the kernel's accessors and barriers, and
 * the guest's EL1 and EL0-timer registers through their _EL12 and _EL02
 * aliases, since with HCR_EL2.E2H set the _EL1 names reach EL2's own (as
 * KVM's read_sysreg_el1()/read_sysreg_el0() in VHE mode).
 */
#ifndef SV_VHE_SYSREG_H
#define SV_VHE_SYSREG_H

#include <asm/barrier.h>
#include <asm/esr.h>
#include <asm/kvm_arm.h>
#include <asm/ptrace.h>
#include <asm/sysreg.h>

#define SV_EL12_sctlr		sys_reg(3, 5, 1, 0, 0)
#define SV_EL12_cpacr		sys_reg(3, 5, 1, 0, 2)
#define SV_EL12_ttbr0		sys_reg(3, 5, 2, 0, 0)
#define SV_EL12_ttbr1		sys_reg(3, 5, 2, 0, 1)
#define SV_EL12_tcr		sys_reg(3, 5, 2, 0, 2)
#define SV_EL12_spsr		sys_reg(3, 5, 4, 0, 0)
#define SV_EL12_elr		sys_reg(3, 5, 4, 0, 1)
#define SV_EL12_afsr0		sys_reg(3, 5, 5, 1, 0)
#define SV_EL12_afsr1		sys_reg(3, 5, 5, 1, 1)
#define SV_EL12_esr		sys_reg(3, 5, 5, 2, 0)
#define SV_EL12_far		sys_reg(3, 5, 6, 0, 0)
#define SV_EL12_mair		sys_reg(3, 5, 10, 2, 0)
#define SV_EL12_amair		sys_reg(3, 5, 10, 3, 0)
#define SV_EL12_vbar		sys_reg(3, 5, 12, 0, 0)
#define SV_EL12_contextidr	sys_reg(3, 5, 13, 0, 1)
#define SV_EL12_cntkctl		sys_reg(3, 5, 14, 1, 0)
#define SV_EL02_cntv_ctl	sys_reg(3, 5, 14, 3, 1)
#define SV_EL02_cntv_cval	sys_reg(3, 5, 14, 3, 2)

#define read_sysreg_el1(r)	read_sysreg_s(SV_EL12_##r)
#define write_sysreg_el1(v, r)	write_sysreg_s(v, SV_EL12_##r)
#define read_sysreg_el0(r)	read_sysreg_s(SV_EL02_##r)
#define write_sysreg_el0(v, r)	write_sysreg_s(v, SV_EL02_##r)

#define ESR_EC(esr)		ESR_ELx_EC(esr)
#define TCR_EPD0		TCR_EPD0_MASK
#define TCR_EPD1		TCR_EPD1_MASK
#define SCTLR_ELX_M		SCTLR_ELx_M

#endif
