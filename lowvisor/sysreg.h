/* SPDX-License-Identifier: GPL-2.0 */
/* System-register access and barriers for the freestanding EL2 image. */
#ifndef SV_LOWVISOR_SYSREG_H
#define SV_LOWVISOR_SYSREG_H

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

static inline void isb(void)
{
	asm volatile("isb" : : : "memory");
}

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_HVC64		0x16
#define ESR_IL			(1ULL << 25)

#define PSR_MODE_MASK		0x1fULL
#define PSR_MODE_EL0t		0x0ULL
#define PSR_MODE_EL1t		0x4ULL
#define PSR_MODE_EL1h		0x5ULL
#define PSR_DAIF		(0xfULL << 6)

#endif
