// SPDX-License-Identifier: GPL-2.0
/*
 * guest_expect_undef(): an UNDEF taken at EL1 is recorded and skipped,
 * whether the CPU raises it (UDF) or the hypervisor injects it (a PMU
 * register of a vCPU without the PMU feature, which KVM traps and
 * answers with an UNDEF).
 */
#include "guest.h"

static u64 esr, elr;

static u64 udf_addr(void)
{
	u64 addr;

	asm volatile("adr %0, 1f\n"
		     "1:\tudf #0x5a" : "=r"(addr));
	return addr;
}

static u64 pmcr_addr(void)
{
	u64 addr, v = 0;

	asm volatile("adr %0, 1f\n"
		     "1:\tmrs %1, pmcr_el0" : "=r"(addr), "+r"(v));
	return addr;
}

int main(void)
{
	u64 at;

	GUEST_ASSERT(!guest_undef_taken(NULL, NULL));

	guest_expect_undef();
	at = udf_addr();
	GUEST_ASSERT(guest_undef_taken(&esr, &elr));
	GUEST_ASSERT_EQ(esr_ec(esr), ESR_EC_UNKNOWN);
	GUEST_ASSERT_EQ(esr, 0x02000000);	/* EC 0, IL 1 */
	GUEST_ASSERT_EQ(elr, at);
	guest_printf("undef: UDF: ESR_EL1=0x%08lx ELR_EL1=0x%lx, skipped\n",
		     esr, elr);

	guest_expect_undef();
	at = pmcr_addr();
	GUEST_ASSERT(guest_undef_taken(&esr, &elr));
	GUEST_ASSERT_EQ(esr_ec(esr), ESR_EC_UNKNOWN);
	GUEST_ASSERT_EQ(elr, at);
	guest_printf("undef: PMCR_EL0 without a vPMU: ESR_EL1=0x%08lx ELR_EL1=0x%lx, skipped\n",
		     esr, elr);

	GUEST_DONE();
}
