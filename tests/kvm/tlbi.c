// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_tlbi: once KVM_SET_USER_MEMORY_REGION has deleted a slot, no guest
 * access may still reach it through a TLB entry.
 *
 * A vCPU, pinned to one CPU, spins reading a data slot and, with acquire
 * semantics, a flag in its RAM. From another CPU the host deletes the slot
 * and only then sets the flag. Every read of the slot the guest makes
 * after it saw the flag must exit as MMIO: the deletion's broadcast TLB
 * invalidation had completed before the ioctl returned (ARM ARM D5.10.2:
 * DSB ISH after TLBI ...IS). The guest counts the reads that still
 * returned slot data after the flag (stale) and reports them.
 *
 * The vCPU never has to leave the guest in between, so this is one of the
 * few TLB bugs an emulator sees: QEMU drops its whole TLB at every world
 * switch, but honours a broadcast TLBI at once. With the highvisor's
 * debug parameter skip_tlbi=8 (no invalidation by IPA) this test fails; see
 * tests/board/tests/mutation.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define TARGET		0x50000000	/* the data slot */
#define TARGET_SIZE	0x10000
#define FLAG_IPA	(HX_DATA)
#define PROGRESS_IPA	(HX_DATA + 8)
#define SLOT_DATA	0x11111111deadbeef
#define SENTINEL	0x4d4d494f45584954	/* "MMIOEXIT" */
#define ROUNDS		8
#define SPIN_MIN	2000

/* x1 = TARGET, x2 = flag, x3 = progress. Reports the stale reads. */
asm(HX_GUEST_BEGIN
"	.globl	tlbi_main\n"
"tlbi_main:\n"
"	mov	x5, #0\n"
"	mov	x6, #0\n"
"	ldr	x8, =" HX_XSTR(SENTINEL) "\n"
"1:	ldar	x4, [x2]\n"
"	ldr	x7, [x1]\n"
"	cmp	x7, x8\n"
"	b.eq	2f\n"
"	cbz	x4, 3f\n"
"	add	x5, x5, #1\n"
"3:	add	x6, x6, #1\n"
"	str	x6, [x3]\n"
"	b	1b\n"
"2:	hx_value x5\n"
"	hx_done\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(tlbi_main);

struct tlbi_ctx {
	struct hx_vcpu *v;
	struct hx_stop st;
	int cpu;
	unsigned long mmio_exits;
	u64 mmio_addr;
};

static long tlbi_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		      void *p)
{
	struct tlbi_ctx *c = p;

	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.is_write)
		return -2;
	c->mmio_exits++;
	c->mmio_addr = run->mmio.phys_addr;
	hx_mmio_set(run, SENTINEL);
	return HX_CONTINUE;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *tlbi_thread(void *p)
{
	struct tlbi_ctx *c = p;

	pin(c->cpu);
	hx_run(c->v, tlbi_exit, c, &c->st);
	return NULL;
}

static void one_round(int round)
{
	struct kvm_userspace_memory_region del = {
		.slot = 1, .guest_phys_addr = TARGET,
	};
	struct tlbi_ctx c = { .cpu = 1 };
	u64 *progress, *flag;
	struct hx_vcpu v;
	struct hx_vm vm;
	pthread_t th;
	sigset_t set;
	u64 *data;
	char buf[256];
	int i, ret;

	if (hx_vm_create(&vm) ||
	    hx_vm_add_mem(&vm, 1, TARGET, TARGET_SIZE, 0, (void **)&data) ||
	    hx_vcpu_create(&vm, &v, 0) || hx_vcpu_start(&v, tlbi_main) ||
	    hx_set_reg(&v, HX_REG_X(1), TARGET) ||
	    hx_set_reg(&v, HX_REG_X(2), FLAG_IPA) ||
	    hx_set_reg(&v, HX_REG_X(3), PROGRESS_IPA)) {
		tap_check(false, "round %d: VM set up", round);
		return;
	}
	for (i = 0; i < TARGET_SIZE / 8; i++)
		data[i] = SLOT_DATA;
	flag = hx_gpa_to_hva(&vm, FLAG_IPA);
	progress = hx_gpa_to_hva(&vm, PROGRESS_IPA);
	c.v = &v;

	pin(0);
	if (pthread_create(&th, NULL, tlbi_thread, &c)) {
		tap_check(false, "round %d: vCPU thread started", round);
		return;
	}
	/* SIGALRM (the harness's timeout) must interrupt KVM_RUN. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	for (i = 0; i < 100000 &&
	     __atomic_load_n(progress, __ATOMIC_RELAXED) < SPIN_MIN; i++)
		usleep(100);
	ret = ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &del);
	__atomic_store_n(flag, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	tap_check_errno(ret, ret ? errno : 0, 0,
			"round %d: slot deleted under the spinning vCPU", round);
	tap_check(*progress >= SPIN_MIN,
		  "round %d: the guest was spinning when the slot went (%llu reads)",
		  round, (unsigned long long)*progress);
	hx_check_done(&v, &c.st, "round %d: guest stopped at an MMIO exit (%s)",
		      round, hx_stop_str(&v, &c.st, buf, sizeof(buf)));
	tap_check_eq(TARGET, c.mmio_addr,
		     "round %d: the read of the deleted slot exited as MMIO at its IPA",
		     round);
	tap_check_eq(0, v.values[1],
		     "round %d: reads of the deleted slot that still returned its data after the ioctl returned",
		     round);
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
}

int main(int argc, char **argv)
{
	int round;

	hx_init(argc, argv, "kvm_tlbi", NULL);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		tap_skip("needs 2 CPUs", "stale TLB entries after a slot delete");
		return tap_done();
	}
	for (round = 0; round < ROUNDS; round++)
		one_round(round);
	return tap_done();
}
