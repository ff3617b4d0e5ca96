// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_mmio: MMIO exits as the VMM sees them, and what the guest gets back.
 *
 * The guest runs a fixed sequence of loads and stores to a device region
 * outside every memslot; the host checks each KVM_EXIT_MMIO against the
 * same sequence (phys_addr, len, is_write, data) and completes the reads.
 * After every load the guest stores the full 64-bit destination register
 * to a report address, so the host also sees what the guest got: zero- or
 * sign-extension, W vs X destination, XZR. Stores cover Rt = x0, x30,
 * W/X forms and WZR/XZR (data must be 0), bases x1, x30, x0, register
 * and scaled offsets, negative unscaled offsets.
 *
 * Then a read-only memslot (KVM_MEM_READONLY): reads are plain memory,
 * writes exit as MMIO writes at their address, and the memory stays as
 * the host wrote it. Last, accesses without a valid instruction syndrome
 * (load/store pair, writeback, SIMD): KVM_RUN fails with errno 38 on both
 * hypervisors (no KVM_CAP_ARM_NISV_TO_USER).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "harness.h"

#define DEV		0x11000100	/* x1: the device */
#define REP		0x11000000	/* x15: loaded values are stored here */
#define ROM		0x50000000	/* x5: the read-only memslot */
#define ROM_SIZE	0x10000
#define GARBAGE		0xdeadbeefdeadbeef

#define X0_PAT		0x1122334455667788
#define X30_PAT		0x99aabbccddeeff11
#define X18_PAT		0x0102030405060708

asm(HX_GUEST_BEGIN
"	.globl	mmio_main\n"
"mmio_main:\n"
"	ldr	x1, =" HX_XSTR(DEV) "\n"
"	ldr	x15, =" HX_XSTR(REP) "\n"
"	ldr	x0, =" HX_XSTR(X0_PAT) "\n"
"	ldr	x30, =" HX_XSTR(X30_PAT) "\n"
"	ldr	x18, =" HX_XSTR(X18_PAT) "\n"
/* stores */
"	strb	w0, [x1]\n"
"	strh	w0, [x1, #2]\n"
"	str	w0, [x1, #4]\n"
"	str	x0, [x1, #8]\n"
"	str	x30, [x1, #16]\n"
"	strb	w30, [x1, #24]\n"
"	strh	w30, [x1, #26]\n"
"	str	w30, [x1, #28]\n"
"	str	xzr, [x1, #32]\n"
"	str	wzr, [x1, #40]\n"
"	strh	wzr, [x1, #44]\n"
"	strb	wzr, [x1, #46]\n"
"	add	x30, x1, #0x30\n"
"	str	x18, [x30]\n"
"	add	x0, x1, #0x38\n"
"	str	x18, [x0]\n"
"	mov	x3, #0x40\n"
"	str	w18, [x1, x3]\n"
"	mov	x4, #9\n"
"	str	x18, [x1, x4, lsl #3]\n"
"	stur	w18, [x1, #-4]\n"
/* loads, each followed by a report of the whole destination register */
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrb	w0, [x1]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrh	w0, [x1, #2]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldr	w0, [x1, #4]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldr	x0, [x1, #8]\n"
"	str	x0, [x15]\n"
"	ldr	x30, =" HX_XSTR(GARBAGE) "\n"
"	ldr	x30, [x1, #16]\n"
"	str	x30, [x15]\n"
"	ldr	x30, =" HX_XSTR(GARBAGE) "\n"
"	ldrb	w30, [x1, #24]\n"
"	str	x30, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsb	w0, [x1]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsb	x0, [x1]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsh	w0, [x1, #2]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsh	x0, [x1, #2]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsw	x0, [x1, #4]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsb	x0, [x1]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsh	w0, [x1, #2]\n"
"	str	x0, [x15]\n"
"	ldr	x0, =" HX_XSTR(GARBAGE) "\n"
"	ldrsw	x0, [x1, #4]\n"
"	str	x0, [x15]\n"
"	ldr	x30, =" HX_XSTR(GARBAGE) "\n"
"	ldrsb	x30, [x1]\n"
"	str	x30, [x15]\n"
"	ldr	xzr, [x1]\n"
"	mov	x2, sp\n"
"	str	x2, [x15]\n"
"	ldr	x2, =" HX_XSTR(GARBAGE) "\n"
"	ldr	w2, [x1, x3]\n"
"	str	x2, [x15]\n"
"	ldr	x2, =" HX_XSTR(GARBAGE) "\n"
"	ldur	x2, [x1, #-8]\n"
"	str	x2, [x15]\n"
/* the read-only memslot */
"	movz	x5, #(" HX_XSTR(ROM) " >> 16), lsl #16\n"
"	ldr	x0, =" HX_XSTR(X0_PAT) "\n"
"	ldr	x2, [x5]\n"
"	str	x2, [x15]\n"
"	ldr	x2, [x5, #0x800]\n"
"	str	x2, [x15]\n"
"	str	x0, [x5, #8]\n"
"	strb	w0, [x5, #16]\n"
"	add	x6, x5, #0x1000\n"
"	str	w0, [x6, #4]\n"
"	ldr	x2, [x5, #8]\n"
"	str	x2, [x15]\n"
"	ldrb	w2, [x5, #16]\n"
"	str	x2, [x15]\n"
"	ldr	w2, [x6, #4]\n"
"	str	x2, [x15]\n"
"	hx_done\n"
"	hx_pool\n"
"\n"
/* No valid syndrome: each in its own VM, the vCPU cannot go on. */
"	.globl	nisv_ldp\n"
"nisv_ldp:\n"
"	ldr	x1, =" HX_XSTR(DEV) "\n"
"	ldp	x2, x3, [x1]\n"
"	hx_done\n"
"	.globl	nisv_stp\n"
"nisv_stp:\n"
"	ldr	x1, =" HX_XSTR(DEV) "\n"
"	stp	x2, x3, [x1]\n"
"	hx_done\n"
"	.globl	nisv_post\n"
"nisv_post:\n"
"	ldr	x1, =" HX_XSTR(DEV) "\n"
"	ldr	x2, [x1], #8\n"
"	hx_done\n"
"	.globl	nisv_simd\n"
"nisv_simd:\n"
"	mov	x9, #(3 << 20)\n"
"	msr	cpacr_el1, x9\n"
"	isb\n"
"	ldr	x1, =" HX_XSTR(DEV) "\n"
"	ldr	q0, [x1]\n"
"	hx_done\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(mmio_main);
HX_GUEST_SYM(nisv_ldp);
HX_GUEST_SYM(nisv_stp);
HX_GUEST_SYM(nisv_post);
HX_GUEST_SYM(nisv_simd);

/*
 * One expected MMIO exit. Writes: data is what must arrive. Reads: the
 * host returns data (all 8 bytes: bytes past len are garbage the
 * hypervisor must ignore). Reports (report = true) are the guest storing
 * a loaded register to REP: data is the value it must hold.
 */
struct step {
	const char *desc;
	u64 addr;
	unsigned int len;
	bool write;
	u64 data;
	bool report;
	bool sext;	/* a negative value sign-extended by the load */
};

#define W(d, a, l, v)	{ .desc = d, .addr = a, .len = l, .write = true, \
			  .data = v }
#define R(d, a, l, v)	{ .desc = d, .addr = a, .len = l, .data = v }
#define REPORT(d, v)	{ .desc = d, .addr = REP, .len = 8, .write = true, \
			  .data = v, .report = true }
#define REPORT_SEXT(d, v) { .desc = d, .addr = REP, .len = 8, .write = true, \
			  .data = v, .report = true, .sext = true }

static const struct step steps[] = {
	W("strb w0", DEV, 1, 0x88),
	W("strh w0, #2", DEV + 2, 2, 0x7788),
	W("str w0, #4", DEV + 4, 4, 0x55667788),
	W("str x0, #8", DEV + 8, 8, X0_PAT),
	W("str x30", DEV + 16, 8, X30_PAT),
	W("strb w30", DEV + 24, 1, 0x11),
	W("strh w30", DEV + 26, 2, 0xff11),
	W("str w30", DEV + 28, 4, 0xddeeff11),
	W("str xzr", DEV + 32, 8, 0),
	W("str wzr", DEV + 40, 4, 0),
	W("strh wzr", DEV + 44, 2, 0),
	W("strb wzr", DEV + 46, 1, 0),
	W("str x18, [x30] (base x30)", DEV + 0x30, 8, X18_PAT),
	W("str x18, [x0] (base x0)", DEV + 0x38, 8, X18_PAT),
	W("str w18, [x1, x3] (register offset)", DEV + 0x40, 4, 0x05060708),
	W("str x18, [x1, x4, lsl #3] (scaled)", DEV + 0x48, 8, X18_PAT),
	W("stur w18, [x1, #-4] (negative offset)", DEV - 4, 4, 0x05060708),

	R("ldrb w0", DEV, 1, 0xeeeeeeeeeeeeeea5),
	REPORT("ldrb w0: x0 = 0xa5 (zero-extended)", 0xa5),
	R("ldrh w0", DEV + 2, 2, 0xeeeeeeeeeeeea55a),
	REPORT("ldrh w0: x0 = 0xa55a (zero-extended)", 0xa55a),
	R("ldr w0", DEV + 4, 4, 0xeeeeeeee8badf00d),
	REPORT("ldr w0: x0 = 0x8badf00d (upper half cleared)", 0x8badf00d),
	R("ldr x0", DEV + 8, 8, 0x0123456789abcdef),
	REPORT("ldr x0: x0 = 0x0123456789abcdef", 0x0123456789abcdef),
	R("ldr x30", DEV + 16, 8, 0xfedcba9876543210),
	REPORT("ldr x30: x30 = 0xfedcba9876543210", 0xfedcba9876543210),
	R("ldrb w30", DEV + 24, 1, 0xeeeeeeeeeeeeeeff),
	REPORT("ldrb w30: x30 = 0xff", 0xff),
	R("ldrsb w0", DEV, 1, 0xeeeeeeeeeeeeee80),
	REPORT_SEXT("ldrsb w0 of 0x80: x0 = 0xffffff80", 0xffffff80),
	R("ldrsb x0", DEV, 1, 0xeeeeeeeeeeeeee80),
	REPORT_SEXT("ldrsb x0 of 0x80: x0 = 0xffffffffffffff80",
		    0xffffffffffffff80),
	R("ldrsh w0", DEV + 2, 2, 0xeeeeeeeeeeee8000),
	REPORT_SEXT("ldrsh w0 of 0x8000: x0 = 0xffff8000", 0xffff8000),
	R("ldrsh x0", DEV + 2, 2, 0xeeeeeeeeeeee8000),
	REPORT_SEXT("ldrsh x0 of 0x8000: x0 = 0xffffffffffff8000",
		    0xffffffffffff8000),
	R("ldrsw x0", DEV + 4, 4, 0xeeeeeeee80000000),
	REPORT_SEXT("ldrsw x0 of 0x80000000: x0 = 0xffffffff80000000",
		    0xffffffff80000000),
	R("ldrsb x0 (positive)", DEV, 1, 0xeeeeeeeeeeeeee7f),
	REPORT("ldrsb x0 of 0x7f: x0 = 0x7f", 0x7f),
	R("ldrsh w0 (positive)", DEV + 2, 2, 0xeeeeeeeeeeee7fff),
	REPORT("ldrsh w0 of 0x7fff: x0 = 0x7fff", 0x7fff),
	R("ldrsw x0 (positive)", DEV + 4, 4, 0xeeeeeeee7fffffff),
	REPORT("ldrsw x0 of 0x7fffffff: x0 = 0x7fffffff", 0x7fffffff),
	R("ldrsb x30", DEV, 1, 0xeeeeeeeeeeeeee81),
	REPORT_SEXT("ldrsb x30 of 0x81: x30 = 0xffffffffffffff81",
		    0xffffffffffffff81),
	R("ldr xzr", DEV, 8, 0x1234),
	REPORT("ldr xzr: the value is discarded, SP unchanged", HX_STACK_TOP),
	R("ldr w2, [x1, x3] (register offset)", DEV + 0x40, 4,
	  0xeeeeeeee76543210),
	REPORT("ldr w2, [x1, x3]: x2 = 0x76543210", 0x76543210),
	R("ldur x2, [x1, #-8] (negative offset)", DEV - 8, 8,
	  0x8877665544332211),
	REPORT("ldur x2: x2 = 0x8877665544332211", 0x8877665544332211),

	REPORT("read-only slot: ldr reads the host's data (no exit)",
	       0x5a5a000000000000),
	REPORT("read-only slot: ldr at +0x800 reads the host's data",
	       0x5a5a000000000100),
	W("read-only slot: str x0 exits as an MMIO write", ROM + 8, 8, X0_PAT),
	W("read-only slot: strb w0 exits as an MMIO write", ROM + 16, 1, 0x88),
	W("read-only slot: str w0 (second page) exits as an MMIO write",
	  ROM + 0x1004, 4, 0x55667788),
	REPORT("read-only slot: memory unchanged after str x0",
	       0x5a5a000000000001),
	REPORT("read-only slot: memory unchanged after strb w0", 0x02),
	REPORT("read-only slot: memory unchanged after str w0", 0x5a5a0000),
};

/* rom[i]: 0x5a5a000000000000 | i (8-byte words). */
static u64 rom_word(unsigned int i)
{
	return 0x5a5a000000000000ULL | i;
}

struct mmio_ctx {
	unsigned int next;
	bool lost;		/* the guest and the table went apart */
};

/*
 * KVM up to at least 6.1 sign-extends, then masks back to the access size
 * (vcpu_data_host_to_guest() after the extension in
 * kvm_handle_mmio_return()): negative values arrive zero-extended.
 */
static const char kvm_sext_todo[] =
	"Linux KVM bug: kvm_handle_mmio_return() masks the sign-extended value back to the access size";

static u64 zext(u64 v, const struct step *load)
{
	return load->len == 8 ? v : v & ((1ULL << (8 * load->len)) - 1);
}

static long mmio_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		      void *p)
{
	struct mmio_ctx *c = p;
	const struct step *s;
	u64 data = hx_mmio_data(run);
	bool ok;

	if (run->exit_reason != KVM_EXIT_MMIO)
		return -2;
	if (c->next >= ARRAY_SIZE(steps)) {
		c->lost = true;
		return -3;
	}
	s = &steps[c->next++];
	ok = run->mmio.phys_addr == s->addr && run->mmio.len == s->len &&
	     !!run->mmio.is_write == s->write;
	if (!ok) {
		tap_check(false, "%s", s->desc);
		tap_diag("expected a %u-byte %s at 0x%llx, got a %u-byte %s at 0x%llx (data 0x%llx)",
			 s->len, s->write ? "write" : "read",
			 (unsigned long long)s->addr, run->mmio.len,
			 run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr,
			 (unsigned long long)data);
		c->lost = true;
		return -4;
	}
	if (!s->write) {
		hx_mmio_set(run, s->data);
		tap_check(true, "%s: %u-byte read exit at 0x%llx", s->desc,
			  s->len, (unsigned long long)s->addr);
		return HX_CONTINUE;
	}
	if (s->sext && hx_is_kvm && data != s->data &&
	    data == zext(s->data, s - 1))
		tap_todo_next(kvm_sext_todo);
	if (s->report)
		tap_check_eq(s->data, data, "%s", s->desc);
	else
		tap_check_eq(s->data, data, "%s: %u-byte write exit at 0x%llx",
			     s->desc, s->len, (unsigned long long)s->addr);
	return HX_CONTINUE;
}

/* An access without syndrome: KVM_RUN fails with errno 38, twice. */
static void nisv_case(const char *desc, const void *entry, bool twice)
{
	struct hx_vcpu v;
	struct hx_stop st;
	struct hx_vm vm;
	char buf[256];
	long ret;

	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0) ||
	    hx_vcpu_start(&v, entry)) {
		tap_check(false, "%s: VM and vCPU set up", desc);
		return;
	}
	hx_run(&v, NULL, NULL, &st);
	if (!tap_check(st.kind == HX_STOP_ERRNO && st.err == 38,
		       "%s: KVM_RUN fails with errno 38 (no syndrome to emulate)",
		       desc))
		tap_diag("got: %s", hx_stop_str(&v, &st, buf, sizeof(buf)));
	if (twice) {
		ret = hx_vcpu_run_once(&v);
		tap_check_errno(ret, errno, 38,
				"%s: the next KVM_RUN fails the same way", desc);
	}
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

int main(int argc, char **argv)
{
	struct mmio_ctx c = { 0 };
	struct hx_vcpu v;
	struct hx_stop st;
	struct hx_vm vm;
	u64 *rom;
	unsigned int i;
	bool same = true;

	hx_init(argc, argv, "kvm_mmio", NULL);
	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0) ||
	    hx_vcpu_start(&v, mmio_main)) {
		tap_check(false, "VM and vCPU set up");
		return tap_done();
	}
	tap_check(ioctl(hx_dev_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0,
		  "KVM_CAP_READONLY_MEM");
	/* The contents first: a read-only slot is never written by KVM. */
	if (hx_vm_add_mem(&vm, 1, ROM, ROM_SIZE, KVM_MEM_READONLY,
			  (void **)&rom)) {
		tap_check(false, "read-only memslot at 0x%x", ROM);
		return tap_done();
	}
	for (i = 0; i < ROM_SIZE / 8; i++)
		rom[i] = rom_word(i);

	hx_run(&v, mmio_exit, &c, &st);
	if (c.next < ARRAY_SIZE(steps)) {
		char buf[256];

		tap_check(false, "all %zu expected exits happened",
			  ARRAY_SIZE(steps));
		tap_diag("%u happened, then: %s", c.next,
			 hx_stop_str(&v, &st, buf, sizeof(buf)));
	}
	hx_check_done(&v, &st, "the guest ran its whole sequence");
	for (i = 0; i < ROM_SIZE / 8; i++) {
		u64 want = rom_word(i);

		if (rom[i] != want && same) {
			same = false;
			tap_diag("word %u: expected 0x%llx, got 0x%llx", i,
				 (unsigned long long)want,
				 (unsigned long long)rom[i]);
		}
	}
	tap_check(same, "read-only slot: the host's memory is unchanged");
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);

	nisv_case("ldp x2, x3 from MMIO", nisv_ldp, true);
	nisv_case("stp x2, x3 to MMIO", nisv_stp, false);
	nisv_case("ldr x2, [x1], #8 (post-index) from MMIO", nisv_post, false);
	nisv_case("ldr q0 (SIMD) from MMIO", nisv_simd, false);
	return tap_done();
}
