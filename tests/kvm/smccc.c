// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_smccc: SMCCC 1.1 ARCH_FEATURES for the CPU workaround calls, and the
 * calls themselves.
 *
 * The answers must be honest for the host's CPUs, as KVM gives them
 * (kvm_hvc_call_handler()): the host's own view is in
 * /sys/devices/system/cpu/vulnerabilities/ (spectre_v2, spec_store_bypass):
 * "Not affected" is ARCH_WORKAROUND_1 = 1 (unaffected) and _2 = -2 (not
 * required), "Vulnerable" is -1 (not supported), a mitigation is 0 for _1
 * and -2 for _2 (the host keeps SSBD on around guests). Two exceptions, as
 * KVM 6.1: "Mitigation: CSV2" is a CPU unaffected by Spectre-v2 itself
 * that only reports its BHB mitigation there (cpu_show_spectre_v2()), so
 * _1 is 1; and with SSBS the guest controls its own speculative store
 * bypass, so _2 is -1 (not supported) even though the host mitigates.
 * Linux shows SSBS to EL0 (ID_AA64PFR1_EL1) except on CPUs whose SSBS is
 * not self-synchronizing (erratum 3194386: Neoverse-N1 and others), so
 * where it does not, a mitigated host may give either answer. ARCH_WORKAROUND_3 is
 * the BHB state, which spectre_v2 ends with (", BHB": mitigated, 0); a
 * CPU vulnerable to Spectre-v2 has no BHB mitigation either.
 * The workaround calls return 0; on splitvisor EL2 answers them without an
 * exit to the host, which its debugfs exit counters show.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define IO		0x12000000
#define WA1		0x80008000
#define WA2		0x80007fff
#define WA3		0x80003fff
#define ARCH_FEATURES	0x80000001
#define CALLS		1000
#define EXITS_FILE	"/sys/kernel/debug/splitvisor/exits"

/* Reports FEATURES(WA1, WA2, WA3), then x0 of CALLS calls of each. */
asm(HX_GUEST_BEGIN
"	.globl	smccc_main\n"
"smccc_main:\n"
"	ldr	x21, =" HX_XSTR(IO) "\n"
"	.irp	wa, " HX_XSTR(WA1) ", " HX_XSTR(WA2) ", " HX_XSTR(WA3) "\n"
"	ldr	x0, =" HX_XSTR(ARCH_FEATURES) "\n"
"	ldr	x1, =\\wa\n"
"	hvc	#0\n"
"	str	x0, [x21]\n"
"	.endr\n"
"	.irp	wa, " HX_XSTR(WA1) ", " HX_XSTR(WA2) ", " HX_XSTR(WA3) "\n"
"	mov	x10, #" HX_XSTR(CALLS) "\n"
"	mov	x11, #0\n"
"1:	ldr	x0, =\\wa\n"
"	hvc	#0\n"
"	orr	x11, x11, x0\n"
"	subs	x10, x10, #1\n"
"	b.ne	1b\n"
"	str	x11, [x21]\n"
"	.endr\n"
"	hx_done\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(smccc_main);

struct smccc_ctx {
	long vals[6];
	unsigned int n;
};

static long smccc_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		       void *p)
{
	struct smccc_ctx *c = p;

	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != IO)
		return -2;
	if (c->n < ARRAY_SIZE(c->vals))
		c->vals[c->n] = (long)hx_mmio_data(run);
	c->n++;
	return HX_CONTINUE;
}

/*
 * What the host says about itself: 0 unaffected, 1 mitigated, 2 not;
 * *bhb (if not NULL): the line says the BHB mitigation is on.
 */
static int host_state(const char *name, bool *bhb)
{
	char path[128], buf[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s",
		 name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (bhb)
		*bhb = strstr(buf, ", BHB");
	if (!strncmp(buf, "Not affected", 12) ||
	    !strncmp(buf, "Mitigation: CSV2", 16))
		return 0;
	if (!strncmp(buf, "Mitigation", 10))
		return 1;
	return 2;
}

/* The host CPUs have SSBS, as far as EL0 can see (ID_AA64PFR1_EL1). */
static bool host_has_ssbs(void)
{
	uint64_t pfr1;

	asm("mrs %0, id_aa64pfr1_el1" : "=r" (pfr1));
	tap_diag("host ID_AA64PFR1_EL1 as EL0 sees it: 0x%llx",
		 (unsigned long long)pfr1);
	return (pfr1 >> 4) & 0xf;
}

/* HVC exits the host saw, from splitvisor's debugfs; -1: no such file. */
static long hvc_exits(void)
{
	char line[128];
	long n = -1;
	FILE *f = fopen(EXITS_FILE, "r");

	if (!f)
		return -1;
	n = 0;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "ec_0x16: %ld", &n);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	static const long wa1_for[] = { 1, 0, -1 }, wa2_for[] = { -2, -2, -1 };
	struct smccc_ctx c = { .n = 0 };
	bool bhb = false;
	int v2 = -1, v4 = -1, i;
	struct hx_vcpu v;
	struct hx_stop st;
	struct hx_vm vm;
	long before, after;
	char buf[256];

	hx_init(argc, argv, "kvm_smccc", NULL);
	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0) ||
	    hx_vcpu_start(&v, smccc_main)) {
		tap_check(false, "VM set up");
		return tap_done();
	}
	before = hvc_exits();
	hx_run(&v, smccc_exit, &c, &st);
	after = hvc_exits();
	hx_check_done(&v, &st, "guest finished (%s)",
		      hx_stop_str(&v, &st, buf, sizeof(buf)));
	tap_check_eq(6, c.n, "reports");

	v2 = host_state("spectre_v2", &bhb);
	v4 = host_state("spec_store_bypass", NULL);
	if (v2 >= 0) {
		tap_check_eq(wa1_for[v2], c.vals[0],
			     "ARCH_FEATURES(ARCH_WORKAROUND_1) for a host whose spectre_v2 is %s",
			     v2 == 0 ? "not affected" : v2 == 1 ? "mitigated" :
			     "vulnerable");
		if (v2 == 1)
			tap_check(c.vals[2] == 0 || c.vals[2] == 1,
				  "ARCH_FEATURES(ARCH_WORKAROUND_3) with Spectre-v2 mitigated: 0 or 1, got %ld",
				  c.vals[2]);
		else if (v2 == 0)
			tap_check_eq(bhb ? 0 : 1, c.vals[2],
				     "ARCH_FEATURES(ARCH_WORKAROUND_3) for a host whose Spectre-BHB is %s",
				     bhb ? "mitigated" : "not affected");
		else
			tap_check_eq(-1, c.vals[2],
				     "ARCH_FEATURES(ARCH_WORKAROUND_3) with Spectre-v2 vulnerable");
	} else {
		tap_skip("no spectre_v2 in sysfs", "ARCH_WORKAROUND_1/3");
	}
	if (v4 == 1 && !host_has_ssbs())
		tap_check(c.vals[1] == -2 || c.vals[1] == -1,
			  "ARCH_FEATURES(ARCH_WORKAROUND_2) for a host whose spec_store_bypass is mitigated, SSBS unknown: -2 or -1, got %ld",
			  c.vals[1]);
	else if (v4 >= 0)
		tap_check_eq(v4 == 1 ? -1 : wa2_for[v4], c.vals[1],
			     "ARCH_FEATURES(ARCH_WORKAROUND_2) for a host whose spec_store_bypass is %s",
			     v4 == 0 ? "not affected" : v4 == 1 ?
			     "mitigated, with SSBS" : "vulnerable");
	else
		tap_skip("no spec_store_bypass in sysfs", "ARCH_WORKAROUND_2");
	for (i = 0; i < 3; i++)
		tap_check_eq(0, c.vals[3 + i],
			     "%d calls of ARCH_WORKAROUND_%d return 0", CALLS,
			     i + 1);
	if (before >= 0)
		tap_check(after - before < CALLS,
			  "the %d workaround calls were answered at EL2: %ld HVC exits reached the host",
			  3 * CALLS, after - before);
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
	return tap_done();
}
