// SPDX-License-Identifier: GPL-2.0
/*
 * A guest clearing ICC_SRE_EL1.SRE, the GICv3 system-register interface
 * enable. ICC_SRE_EL1 is not switched with the guest: if the write reached
 * the hardware, the host's own GIC register accesses would be UNDEFINED
 * once the guest exits. A hypervisor either traps it (splitvisor: UNDEF
 * for the guest, ICC_SRE_EL2.Enable is clear while a guest runs) or
 * emulates it (KVM). Then the guest exits many times, so that the host
 * takes interrupts with whatever state the guest left.
 */
#include "guest.h"

int main(void)
{
	u64 sre = 0, esr = 0;
	int i;

	guest_expect_undef();
	asm volatile("msr s3_0_c12_c12_5, xzr\n\tisb" : : : "memory");
	if (guest_undef_taken(&esr, NULL))
		guest_printf("gicsre: write to ICC_SRE_EL1: UNDEF (ESR_EL1=0x%lx)\n",
			     esr);
	else
		guest_puts("gicsre: write to ICC_SRE_EL1: no exception\n");

	guest_expect_undef();
	asm volatile("mrs %0, s3_0_c12_c12_5" : "+r"(sre));
	if (guest_undef_taken(&esr, NULL))
		guest_printf("gicsre: read of ICC_SRE_EL1: UNDEF (ESR_EL1=0x%lx)\n",
			     esr);
	else
		guest_printf("gicsre: read of ICC_SRE_EL1: 0x%lx\n", sre);

	for (i = 0; i < 2000; i++)
		guest_hvc(SMCCC_VERSION, 0, 0, 0);
	guest_puts("gicsre: host still fine after 2000 exits\n");
	return 0;
}
