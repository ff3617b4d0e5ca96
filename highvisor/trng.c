// SPDX-License-Identifier: GPL-2.0
/*
 * The Arm True Random Number Generator firmware interface (DEN0098) for
 * guests, version 1.0, fed by the kernel's random pool as KVM 6.1 does
 * (arch/arm64/kvm/trng.c). Offered while the VM's KVM_REG_ARM_STD_BMAP has
 * KVM_REG_ARM_STD_BIT_TRNG_V1_0 (hypercalls.c).
 */
#include "splitvisor.h"

#include <linux/arm-smccc.h>
#include <linux/random.h>
#include <linux/string.h>

#include "vm.h"

#define SV_TRNG_VERSION_1_0		0x10000UL
#define SV_TRNG_NOT_SUPPORTED		(-1L)
#define SV_TRNG_INVALID_PARAMETER	(-2L)

/*
 * The UUID KVM gives (0d21e000-4384-11eb-8070-5244554e5a4c), as the four
 * little-endian words GET_UUID returns in x0-x3.
 */
static const u32 sv_trng_uuid[4] = {
	0x00e0210d, 0xeb118443, 0x44527080, 0x4c5a4e55,
};

/* RND32/RND64: x1 = how many bits; up to 96/192, in x3 upwards. */
static void sv_trng_rnd(struct sv_vcpu_host *v, unsigned int width)
{
	u64 bits = sv_get_reg(v, 1) & 0xffffffff, r[3] = { 0, 0, 0 };
	u64 mask = width == 32 ? 0xffffffffULL : ~0ULL;
	int i;

	if (bits > 3 * width) {
		sv_set_reg(v, 0, SV_TRNG_INVALID_PARAMETER);
		sv_set_reg(v, 1, 0);
		sv_set_reg(v, 2, 0);
		sv_set_reg(v, 3, 0);
		return;
	}
	for (i = 0; i < 3 && bits; i++) {
		r[i] = get_random_u64() & mask;
		if (bits < width)
			r[i] &= (1ULL << bits) - 1;
		bits -= bits < width ? bits : width;
	}
	sv_set_reg(v, 0, 0);
	sv_set_reg(v, 1, r[2]);
	sv_set_reg(v, 2, r[1]);
	sv_set_reg(v, 3, r[0]);
	memzero_explicit(r, sizeof(r));
}

void sv_trng_call(struct sv_vcpu_host *v, u32 fn)
{
	int i;

	switch (fn) {
	case ARM_SMCCC_TRNG_VERSION:
		sv_set_reg(v, 0, SV_TRNG_VERSION_1_0);
		break;
	case ARM_SMCCC_TRNG_FEATURES:
		sv_set_reg(v, 0, sv_is_trng_call(sv_get_reg(v, 1)) ? 0 :
			   SV_TRNG_NOT_SUPPORTED);
		break;
	case ARM_SMCCC_TRNG_GET_UUID:
		for (i = 0; i < 4; i++)
			sv_set_reg(v, i, sv_trng_uuid[i]);
		break;
	case ARM_SMCCC_TRNG_RND32:
		sv_trng_rnd(v, 32);
		break;
	default:
		sv_trng_rnd(v, 64);
	}
}
