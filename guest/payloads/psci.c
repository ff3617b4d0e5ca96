// SPDX-License-Identifier: GPL-2.0
/*
 * PSCI and SMCCC over HVC, answered by the hypervisor: version, features,
 * an unknown function, then SYSTEM_OFF (splitvm exits 0).
 */
#include "guest.h"

#define UNKNOWN_SMCCC_FN	0xc6fe0000	/* fast, SMC64, OEM range */

int main(void)
{
	u64 ver = psci_version();
	struct smccc_res res;

	guest_printf("psci: PSCI_VERSION = 0x%lx (%lu.%lu)\n", ver, ver >> 16,
		     ver & 0xffff);
	GUEST_ASSERT(ver >= 0x10000);

	GUEST_ASSERT_EQ(psci_features(PSCI_0_2_SYSTEM_OFF), 0);
	guest_puts("psci: PSCI_FEATURES(SYSTEM_OFF) = 0\n");

	res = guest_hvc(UNKNOWN_SMCCC_FN, 0, 0, 0);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	guest_printf("psci: unknown function 0x%x = %ld\n", UNKNOWN_SMCCC_FN,
		     (long)res.a0);

	guest_puts("psci: SYSTEM_OFF\n");
	psci_system_off();
}
