// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_isolation: guests only ever see their own memory.
 *
 * Two VMs in one process, each with its own RAM slot at the same IPA: each
 * guest fills its RAM (past its code) with a pattern of its own, reads it
 * back and reports the round; the host runs them interleaved (A, B, A,
 * B, ...) and after every round checks that each VM's backing memory holds
 * only that VM's pattern. Accesses to IPAs outside every memslot (right
 * past RAM, right below it, far away) exit as MMIO at exactly those
 * addresses instead of reaching anything. Then two processes (fork), each
 * with its own VM, run concurrently to completion, and a child cannot use
 * its parent's VM or vCPU (EIO, as KVM: they belong to the parent's mm).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define FILL_START	(HX_RAM_BASE + 0x10000)	/* past the guest code */
#define FILL_END	(HX_RAM_BASE + HX_RAM_SIZE)
#define ISO_IO		0x12000000		/* [x9]: round done */
#define OUTSIDE		0x80000000		/* no memslot here */
#define OUTSIDE_VAL	0x4f55545349444521	/* "OUTSIDE!" */
#define ROUNDS		4
#define CHILD_ROUNDS	8
#define FAR_IPA		0x20000000000	/* 2^41 */

/*
 * x1 = seed, x2 = rounds. Word at IPA a in round r: seed ^ a ^ (r << 56).
 * A mismatch reports the address, the expected and the read value.
 */
asm(HX_GUEST_BEGIN
"	.globl	iso_main\n"
"iso_main:\n"
"	ldr	x3, =" HX_XSTR(FILL_START) "\n"
"	ldr	x4, =" HX_XSTR(FILL_END) "\n"
"	ldr	x9, =" HX_XSTR(ISO_IO) "\n"
"	mov	x10, #0\n"
"1:	eor	x5, x1, x10, lsl #56\n"
"	mov	x6, x3\n"
"2:	eor	x7, x5, x6\n"
"	str	x7, [x6], #8\n"
"	cmp	x6, x4\n"
"	b.lo	2b\n"
"	mov	x6, x3\n"
"3:	ldr	x8, [x6]\n"
"	eor	x7, x5, x6\n"
"	cmp	x7, x8\n"
"	b.ne	9f\n"
"	add	x6, x6, #8\n"
"	cmp	x6, x4\n"
"	b.lo	3b\n"
"	str	x10, [x9]\n"
"	add	x10, x10, #1\n"
"	cmp	x10, x2\n"
"	b.lo	1b\n"
/* outside every memslot: far away, right past RAM, right below it */
"	movz	x11, #(" HX_XSTR(OUTSIDE) " >> 16), lsl #16\n"
"	ldr	x12, [x11]\n"
"	hx_check_eq x12, " HX_XSTR(OUTSIDE_VAL) ", 2\n"
"	str	x1, [x11, #8]\n"
"	ldr	x12, [x4]\n"
"	hx_check_eq x12, " HX_XSTR(OUTSIDE_VAL) ", 3\n"
"	ldr	x13, =" HX_XSTR(HX_RAM_BASE) "\n"
"	str	x1, [x13, #-8]\n"
"	hx_done\n"
"9:	hx_value x6\n"
"	hx_value x7\n"
"	hx_value x8\n"
"	hx_fail	1\n"
"	hx_pool\n"
"\n"
/* An IPA past the VM's IPA space (40 bits by default) but below PARange. */
"	.globl	iso_far\n"
"iso_far:\n"
"	movz	x11, #(" HX_XSTR(FAR_IPA) " >> 32), lsl #32\n"
"	ldr	x12, [x11]\n"
"	hx_done\n"
HX_GUEST_END);

HX_GUEST_SYM(iso_main);
HX_GUEST_SYM(iso_far);

struct iso_vm {
	const char *name;
	struct hx_vm vm;
	struct hx_vcpu v;
	u64 seed;
	int round;		/* last round reported, -1: none */
	unsigned int outside;	/* outside-memslot exits seen */
	bool outside_ok;
	char outside_diag[256];
};

/* The exits outside memslots, in the guest's order. */
static const struct {
	u64 addr;
	bool write;
} outside_exits[] = {
	{ OUTSIDE, false },
	{ OUTSIDE + 8, true },
	{ FILL_END, false },
	{ HX_RAM_BASE - 8, true },
};

static long iso_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		     void *p)
{
	struct iso_vm *g = p;
	unsigned int i = g->outside;

	if (run->exit_reason != KVM_EXIT_MMIO)
		return -2;
	if (run->mmio.phys_addr == ISO_IO && run->mmio.is_write) {
		g->round = hx_mmio_data(run);
		return 1;
	}
	if (i >= ARRAY_SIZE(outside_exits) ||
	    run->mmio.phys_addr != outside_exits[i].addr ||
	    !!run->mmio.is_write != outside_exits[i].write ||
	    run->mmio.len != 8 ||
	    (run->mmio.is_write && hx_mmio_data(run) != g->seed)) {
		if (g->outside_ok)
			snprintf(g->outside_diag, sizeof(g->outside_diag),
				 "exit %u: a %u-byte %s at 0x%llx (data 0x%llx)",
				 i, run->mmio.len,
				 run->mmio.is_write ? "write" : "read",
				 (unsigned long long)run->mmio.phys_addr,
				 (unsigned long long)hx_mmio_data(run));
		g->outside_ok = false;
	}
	g->outside++;
	if (!run->mmio.is_write)
		hx_mmio_set(run, OUTSIDE_VAL);
	return HX_CONTINUE;
}

static int iso_setup(struct iso_vm *g, const char *name, u64 seed, u64 rounds)
{
	g->name = name;
	g->seed = seed;
	g->round = -1;
	g->outside = 0;
	g->outside_ok = true;
	if (hx_vm_create(&g->vm))
		return -1;
	if (hx_vcpu_create(&g->vm, &g->v, 0) ||
	    hx_vcpu_start(&g->v, iso_main) ||
	    hx_set_reg(&g->v, HX_REG_X(1), seed) ||
	    hx_set_reg(&g->v, HX_REG_X(2), rounds)) {
		hx_vm_destroy(&g->vm);
		return -1;
	}
	return 0;
}

static void iso_teardown(struct iso_vm *g)
{
	hx_vcpu_destroy(&g->v);
	hx_vm_destroy(&g->vm);
}

/*
 * The fill area of g holds round r's pattern (r < 0: still zero) and
 * the code area the guest code: 0, or -1 and a description in diag.
 */
static int iso_verify(struct iso_vm *g, int r, char *diag, size_t len)
{
	size_t text = __stop_guest_text - __start_guest_text;
	const u64 *mem = g->vm.ram;
	u64 a;

	if (memcmp(g->vm.ram, __start_guest_text, text)) {
		snprintf(diag, len, "%s: guest code changed", g->name);
		return -1;
	}
	for (a = FILL_START; a < FILL_END; a += 8) {
		u64 want = r < 0 ? 0 : g->seed ^ a ^ (u64)r << 56;
		u64 got = mem[(a - HX_RAM_BASE) / 8];

		if (got != want) {
			snprintf(diag, len,
				 "%s: IPA 0x%llx: expected 0x%llx, got 0x%llx",
				 g->name, (unsigned long long)a,
				 (unsigned long long)want,
				 (unsigned long long)got);
			return -1;
		}
	}
	return 0;
}

static void interleaved(void)
{
	struct iso_vm g[2];
	struct hx_stop st;
	char diag[256] = "", buf[256];
	int i, r, bad;
	bool ran = true;

	if (iso_setup(&g[0], "VM A", 0xa5a5a5a5a5a5a5a5ULL, ROUNDS) ||
	    iso_setup(&g[1], "VM B", 0x5a5a5a5a5a5a5a5aULL, ROUNDS)) {
		tap_check(false, "two VMs with RAM at the same IPA");
		return;
	}
	tap_check(true, "two VMs with RAM at the same IPA 0x%x", HX_RAM_BASE);
	for (r = 0; r < ROUNDS && ran; r++) {
		for (i = 0; i < 2; i++) {
			hx_run(&g[i].v, iso_exit, &g[i], &st);
			if (st.kind != HX_STOP_USER || g[i].round != r) {
				tap_check(false, "round %d: %s filled and checked its RAM",
					  r, g[i].name);
				tap_diag("%s", hx_stop_str(&g[i].v, &st, buf,
							   sizeof(buf)));
				ran = false;
				break;
			}
			/* Both VMs' memory, each with its own last round. */
			bad = iso_verify(&g[0], g[0].round, diag, sizeof(diag)) ||
			      iso_verify(&g[1], g[1].round, diag, sizeof(diag));
			if (!tap_check(!bad,
				       "round %d: %s filled and checked its RAM; each VM's memory holds only its own pattern",
				       r, g[i].name))
				tap_diag("%s", diag);
		}
	}

	for (i = 0; i < 2; i++) {
		hx_run(&g[i].v, iso_exit, &g[i], &st);
		hx_check_done(&g[i].v, &st, "%s: finished", g[i].name);
		if (!tap_check(g[i].outside == ARRAY_SIZE(outside_exits) &&
			       g[i].outside_ok,
			       "%s: accesses outside every memslot exit as MMIO at exactly 0x%x, 0x%x, 0x%x (RAM end), 0x%x (below RAM)",
			       g[i].name, OUTSIDE, OUTSIDE + 8, FILL_END,
			       HX_RAM_BASE - 8))
			tap_diag("%u exits; %s", g[i].outside, g[i].outside_diag);
	}
	bad = 0;
	for (i = 0; i < 2; i++)
		bad |= iso_verify(&g[i], ROUNDS - 1, diag, sizeof(diag));
	if (!tap_check(!bad, "at the end, each VM's memory holds only its own pattern"))
		tap_diag("%s", diag);
	iso_teardown(&g[0]);
	iso_teardown(&g[1]);
}

/*
 * A child: its own VM, CHILD_ROUNDS rounds, started when the parent says
 * so. Exit status: 0 ok, 1 VM setup, 2 did not finish, 3 memory wrong.
 * Diagnostics go to stdout as "# " lines.
 */
static int run_child(int n, int go_fd)
{
	struct iso_vm g;
	struct hx_stop st;
	char name[16], diag[256], c;

	snprintf(name, sizeof(name), "child %d", n);
	if (iso_setup(&g, name, 0x1111111111111111ULL * (n + 3), CHILD_ROUNDS))
		return 1;
	if (read(go_fd, &c, 1) != 1)
		return 1;
	do {
		hx_run(&g.v, iso_exit, &g, &st);
	} while (st.kind == HX_STOP_USER && st.code == 1);
	if (st.kind != HX_STOP_DONE || g.round != CHILD_ROUNDS - 1) {
		tap_diag("%s: %s (last round %d)", name,
			 hx_stop_str(&g.v, &st, diag, sizeof(diag)), g.round);
		return 2;
	}
	if (iso_verify(&g, CHILD_ROUNDS - 1, diag, sizeof(diag))) {
		tap_diag("%s", diag);
		return 3;
	}
	iso_teardown(&g);
	return 0;
}

static void two_processes(void)
{
	int go[2], i, status;
	pid_t pid[2];
	char c[2] = { 1, 1 };

	if (pipe(go)) {
		tap_check(false, "pipe");
		return;
	}
	fflush(stdout);
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			close(go[1]);
			_exit(run_child(i + 1, go[0]));
		}
	}
	close(go[0]);
	/* Both children set up their VMs; then both run at once. */
	if (write(go[1], c, 2) != 2)
		tap_diag("cannot start the children: %s", strerror(errno));
	close(go[1]);
	for (i = 0; i < 2; i++) {
		if (pid[i] < 0 || waitpid(pid[i], &status, 0) != pid[i]) {
			tap_check(false, "child %d: forked and reaped", i + 1);
			continue;
		}
		if (!tap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			       "child process %d: its own VM, %d rounds, concurrently with the other, memory intact",
			       i + 1, CHILD_ROUNDS))
			tap_diag("wait status 0x%x (exit 1: setup, 2: run, 3: memory)",
				 status);
	}
}

/* The parent's VM and vCPU fds, used from a child: EIO (not its mm). */
static void foreign_mm(void)
{
	struct hx_vcpu v;
	struct hx_vm vm;
	int status;
	pid_t pid;

	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0) ||
	    hx_vcpu_start(&v, iso_main)) {
		tap_check(false, "a VM for the fork test");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int r = 0;

		if (ioctl(vm.fd, KVM_CREATE_VCPU, 1) != -1 || errno != EIO)
			r |= 1;
		if (ioctl(v.fd, KVM_RUN, 0) != -1 || errno != EIO)
			r |= 2;
		_exit(r);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		tap_check(false, "fork test child");
	} else {
		tap_check(!(WEXITSTATUS(status) & 1),
			  "a child process cannot use its parent's VM fd (KVM_CREATE_VCPU: EIO)");
		tap_check(!(WEXITSTATUS(status) & 2),
			  "a child process cannot run its parent's vCPU (KVM_RUN: EIO)");
	}
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

/*
 * Past the VM's IPA space: KVM injects an address size fault
 * (kvm_handle_guest_abort(): "Beyond sanitised PARange"), the guest takes
 * a data abort (EC 0x25) at EL1; nothing reaches the VMM as MMIO.
 */
static void beyond_ipa_space(void)
{
	struct hx_vcpu v;
	struct hx_stop st;
	struct hx_vm vm;
	char buf[256];
	bool ok;

	if (hx_vm_create(&vm) || hx_vcpu_create(&vm, &v, 0) ||
	    hx_vcpu_start(&v, iso_far)) {
		tap_check(false, "a VM for the IPA space test");
		return;
	}
	hx_run(&v, NULL, NULL, &st);
	ok = st.kind == HX_STOP_EXC && HX_ESR_EC(v.exc_esr) == 0x25 &&
	     v.exc_far == FAR_IPA;
	if (!tap_check(ok, "a load from IPA 0x%llx, past the 40-bit IPA space: data abort in the guest, not an exit",
		       (unsigned long long)FAR_IPA))
		tap_diag("got: %s", hx_stop_str(&v, &st, buf, sizeof(buf)));
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

int main(int argc, char **argv)
{
	hx_init(argc, argv, "kvm_isolation", NULL);
	interleaved();
	beyond_ipa_space();
	two_processes();
	foreign_mm();
	return tap_done();
}
