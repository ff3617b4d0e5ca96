/* SPDX-License-Identifier: GPL-2.0 */
/* System-register access and barriers for the freestanding EL2 image. */
#ifndef SV_LOWVISOR_SYSREG_H
#define SV_LOWVISOR_SYSREG_H

#include <stdbool.h>

#include "splitvisor_abi.h"

#define read_sysreg(r) ({					\
	u64 __v;						\
	asm volatile("mrs %0, " #r : "=r" (__v));		\
	__v;							\
})

#define write_sysreg(v, r) ({					\
	u64 __v = (u64)(v);					\
	asm volatile("msr " #r ", %x0" : : "rZ" (__v));		\
})

/*
 * The EL1 registers a world switch moves. Split mode reaches them by their
 * _EL1 names from EL2; a VHE build of the same phases would use the _EL12
 * aliases here (KVM's read_sysreg_el1()), the only difference between the
 * two at this level.
 */
#define read_sysreg_el1(r)	read_sysreg(r##_el1)
#define write_sysreg_el1(v, r)	write_sysreg(v, r##_el1)
/* Likewise the EL0 virtual timer, whose VHE aliases are the _EL02 ones. */
#define read_sysreg_el0(r)	read_sysreg(r##_el0)
#define write_sysreg_el0(v, r)	write_sysreg(v, r##_el0)

static inline void isb(void)
{
	asm volatile("isb" : : : "memory");
}

#define dsb(opt)	({ asm volatile("dsb " #opt : : : "memory"); })

#define fallthrough		__attribute__((__fallthrough__))

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_HVC64		0x16
#define ESR_IL			(1ULL << 25)

#define PSR_MODE_MASK		0x1fULL
#define PSR_MODE_EL0t		0x0ULL
#define PSR_MODE_EL1t		0x4ULL
#define PSR_MODE_EL1h		0x5ULL
#define PSR_DAIF		(0xfULL << 6)
#define PSR_MODE32_BIT		0x10ULL
#define PSR_AA32_MODE_USR	0x10ULL

#define TCR_EPD0		(1ULL << 7)
#define TCR_EPD1		(1ULL << 23)
#define SCTLR_ELX_M		(1ULL << 0)

#endif
