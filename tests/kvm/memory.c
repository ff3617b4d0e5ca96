// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_memory: guest memory follows the VMM's mapping, as KVM's does
 * (KVM_CAP_SYNC_MMU, MMU notifiers, no long-term pins).
 *
 * - munmap + mmap at the same address, MADV_DONTNEED, mprotect: after each
 *   change the guest reads exactly what the VMM's mapping holds, and a
 *   guest write to memory the VMM made read-only fails KVM_RUN with EFAULT;
 * - fork while a vCPU writes without exits: the writes reach the parent's
 *   memory, never the child's copy;
 * - userfaultfd: a guest access to a missing page waits until the VMM's
 *   handler supplies it (KVM_RUN does not fail);
 * - a slot deleted or moved under vCPUs spinning on it without exits (one
 *   vCPU; two on different CPUs; two on one CPU): each takes an MMIO exit
 *   at the slot's old address within a bounded time;
 * - slot sizes: 1 TiB works without kernel memory to match, sizes past
 *   KVM_MEM_MAX_NR_PAGES and overflowing ranges get KVM's errnos; a 4 GiB
 *   slot of which 4 MiB is touched costs stage-2 tables for 4 MiB only;
 * - THP- and hugetlbfs-backed slots get 2 MiB stage-2 blocks;
 * - dirty logging: KVM_GET_DIRTY_LOG reports exactly the pages written
 *   since the last call; with KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
 *   KVM_CLEAR_DIRTY_LOG re-arms exactly the pages cleared.
 *
 * The splitvisor-only figures (stage-2 tables, block mappings) come from
 * /sys/kernel/debug/splitvisor/status; on /dev/kvm those points skip.
 *
 * With --hold uffd|dirtylog the program instead keeps a VM busy for ever
 * (a vCPU stuck in a userfaultfd fault, or a dirty-log loop) for the board
 * script that SIGKILLs it (tests/board/tests/mem_kill.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define PAGE		4096UL
#define MIB		(1UL << 20)
#define SLOT_A		0x50000000UL	/* data slot */
#define SLOT_B		0x58000000UL	/* where it moves to */
#define SLOT_SIZE	0x10000UL
#define CMD_IO		0x12000000UL	/* +0: value read (write), +8: command */
#define BIG_GPA		0x100000000UL	/* 4 GiB: the big and THP slots */

/*
 * x1: a data address. Each round reads [x1] and reports it, then asks the
 * host for a command: 0 = read again, 1 = done, anything else = store it
 * to [x1] first.
 */
asm(HX_GUEST_BEGIN
"	.globl	cmd_main\n"
"cmd_main:\n"
"	ldr	x9, =" HX_XSTR(CMD_IO) "\n"
"1:	ldr	x3, [x1]\n"
"	str	x3, [x9]\n"
"	ldr	x4, [x9, #8]\n"
"	cbz	x4, 1b\n"
"	cmp	x4, #1\n"
"	b.eq	2f\n"
"	str	x4, [x1]\n"
"	b	1b\n"
"2:	hx_done\n"
"	hx_pool\n"

/* x1: address; reads it for ever without an exit. */
"	.globl	spin_read\n"
"spin_read:\n"
"1:	ldr	x3, [x1]\n"
"	b	1b\n"

/* x1: address; writes an incrementing counter to it for ever. */
"	.globl	spin_write\n"
"spin_write:\n"
"	mov	x3, #0\n"
"1:	add	x3, x3, #1\n"
"	str	x3, [x1]\n"
"	b	1b\n"

/*
 * x1: base, x2: stride, x5: count. Reads the first word of each stride
 * and reports the sum on [CMD_IO], then writes x2 to each one's second
 * word, then done.
 */
"	.globl	touch_main\n"
"touch_main:\n"
"	ldr	x9, =" HX_XSTR(CMD_IO) "\n"
"	mov	x6, x1\n"
"	mov	x7, x5\n"
"	mov	x3, #0\n"
"1:	ldr	x4, [x6]\n"
"	add	x3, x3, x4\n"
"	add	x6, x6, x2\n"
"	subs	x7, x7, #1\n"
"	b.ne	1b\n"
"	str	x3, [x9]\n"
"	mov	x6, x1\n"
"	mov	x7, x5\n"
"2:	str	x2, [x6, #8]\n"
"	add	x6, x6, x2\n"
"	subs	x7, x7, #1\n"
"	b.ne	2b\n"
"	hx_done\n"
"	hx_pool\n"

/*
 * Dirty logging: x1 = slot base. For each command c > 1 from [CMD_IO + 8]
 * write c to the page number c >> 32 (offset 8); 1 = done. Reports nothing.
 */
"	.globl	storm_main\n"
"storm_main:\n"
/* x1 = base, x5 = 2 MiB blocks to read, x6 = set/way bursts */
"	mov	x7, x1\n"
"	mov	x8, x5\n"
"1:	ldr	x3, [x7]\n"
"	add	x7, x7, #0x200000\n"
"	subs	x8, x8, #1\n"
"	b.ne	1b\n"
"	hx_value x5\n"
"	mov	x8, x6\n"
"2:	dc	cisw, xzr\n"
"	mov	x0, #0x80000000\n"	/* SMCCC_VERSION: ends the burst */
"	hvc	#0\n"
"	subs	x8, x8, #1\n"
"	b.ne	2b\n"
"	hx_done\n"
"	hx_pool\n"

"	.globl	dirty_main\n"
"dirty_main:\n"
"	ldr	x9, =" HX_XSTR(CMD_IO) "\n"
"1:	ldr	x4, [x9, #8]\n"
"	cmp	x4, #1\n"
"	b.eq	2f\n"
"	lsr	x5, x4, #32\n"
"	add	x5, x1, x5, lsl #12\n"
"	str	x4, [x5, #8]\n"
"	b	1b\n"
"2:	hx_done\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(cmd_main);
HX_GUEST_SYM(spin_read);
HX_GUEST_SYM(spin_write);
HX_GUEST_SYM(touch_main);
HX_GUEST_SYM(dirty_main);
HX_GUEST_SYM(storm_main);

/* --- helpers -------------------------------------------------------------- */

static int set_slot(int vmfd, u32 slot, u64 gpa, u64 size, void *hva,
		    u32 flags)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (uintptr_t)hva,
	};

	return ioctl(vmfd, KVM_SET_USER_MEMORY_REGION, &r) ? -errno : 0;
}

/* A value from debugfs "status", or -1 (not splitvisor, or no such line). */
static long status_field(const char *name)
{
	char line[160];
	size_t n = strlen(name);
	long val = -1;
	FILE *f;

	if (hx_is_kvm)
		return -1;
	f = fopen("/sys/kernel/debug/splitvisor/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':')
			val = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return val;
}

/*
 * The sum of the "<field>: N kB" lines of a proc file for each field
 * given (NULL-terminated), or -1 if the file cannot be read.
 */
static long proc_sum_kb(const char *path, const char *const *fields)
{
	char line[160];
	long v, sum = 0;
	FILE *f = fopen(path, "r");
	size_t n;
	int i;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		for (i = 0; fields[i]; i++) {
			n = strlen(fields[i]);
			if (!strncmp(line, fields[i], n) && line[n] == ':' &&
			    sscanf(line + n + 1, "%ld", &v) == 1)
				sum += v;
		}
	fclose(f);
	return sum;
}

/* kB of kernel memory that a per-page array would show up in. */
static long kernel_kb(void)
{
	static const char *const fields[] = { "Slab", "VmallocUsed", NULL };

	return proc_sum_kb("/proc/meminfo", fields);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void no_op(int sig __maybe_unused)
{
}

static int start_at(struct hx_vcpu *v, const void *entry, u64 x1)
{
	return hx_vcpu_start(v, entry) || hx_set_reg(v, HX_REG_X(1), x1);
}

/* --- VMM mapping changes under cmd_main ------------------------------------- */

enum { ST_READ, ST_CMD };

struct cmd_test {
	u64 *mem;		/* the slot's memory, as the VMM maps it now */
	int step;
	u64 seen[16];		/* what the guest read at each step */
	const char *why;	/* a host-side failure */
};

/*
 * After the guest's read of round t->step: what the host changes (seen in
 * the next round) and the command it answers.
 */
static u64 cmd_step(struct cmd_test *t)
{
	void *m = (void *)t->mem;

	switch (t->step) {
	case 0:		/* munmap + a new mapping at the same address */
		if (munmap(m, SLOT_SIZE) ||
		    mmap(m, SLOT_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != m)
			t->why = "munmap + mmap MAP_FIXED";
		t->mem[0] = 0x2222;
		return 0;
	case 1:		/* the VMM writes: the guest must see it */
		t->mem[0] = 0x3333;
		return 0;
	case 2:		/* MADV_DONTNEED: a zero page now */
		if (madvise(m, SLOT_SIZE, MADV_DONTNEED))
			t->why = "madvise(MADV_DONTNEED)";
		return 0;
	case 3:		/* the VMM writes after DONTNEED */
		t->mem[0] = 0x4444;
		return 0;
	case 4:		/* the guest writes */
		return 0x5555;
	case 5:		/* read-only for the VMM now */
		if (mprotect(m, SLOT_SIZE, PROT_READ))
			t->why = "mprotect(PROT_READ)";
		return 0;
	case 6:		/* the guest still reads it; its write must fail */
		return 0x6666;
	default:
		return 1;
	}
}

static long cmd_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		     void *p)
{
	struct cmd_test *t = p;

	if (run->exit_reason != KVM_EXIT_MMIO)
		return -2;
	if (run->mmio.phys_addr == CMD_IO && run->mmio.is_write) {
		if (t->step < (int)ARRAY_SIZE(t->seen))
			t->seen[t->step] = hx_mmio_data(run);
		return HX_CONTINUE;
	}
	if (run->mmio.phys_addr == CMD_IO + 8 && !run->mmio.is_write) {
		hx_mmio_set(run, cmd_step(t));
		t->step++;
		return HX_CONTINUE;
	}
	return -3;
}

static void test_vmm_changes(void)
{
	struct cmd_test t = { 0 };
	struct hx_vm vm;
	struct hx_vcpu v;
	struct hx_stop st;
	char buf[256];
	void *mem;

	if (hx_vm_create(&vm) ||
	    hx_vm_add_mem(&vm, 1, SLOT_A, SLOT_SIZE, 0, &mem) ||
	    hx_vcpu_create(&vm, &v, 0) || start_at(&v, cmd_main, SLOT_A)) {
		tap_check(false, "a VM with a data slot");
		return;
	}
	t.mem = mem;
	t.mem[0] = 0x1111;
	hx_run(&v, cmd_exit, &t, &st);
	if (t.why)
		tap_diag("host step failed: %s (%s)", t.why, strerror(errno));
	tap_check_eq(0x1111, t.seen[0], "the guest reads what the VMM wrote");
	tap_check_eq(0x2222, t.seen[1],
		     "munmap + mmap at the same address: the guest reads the new mapping");
	tap_check_eq(0x3333, t.seen[2],
		     "a VMM write to the new mapping reaches the guest");
	tap_check_eq(0, t.seen[3],
		     "MADV_DONTNEED: the guest reads zeroes, not the old page");
	tap_check_eq(0x4444, t.seen[4],
		     "after MADV_DONTNEED a VMM write reaches the guest");
	tap_check_eq(0x5555, t.seen[5], "the guest's write reads back");
	tap_check_eq(0x5555, t.mem[0], "the guest's write reaches the VMM");
	tap_check_eq(0x5555, t.seen[6],
		     "mprotect(PROT_READ): the guest still reads the memory");
	if (!tap_check(st.kind == HX_STOP_ERRNO && st.err == EFAULT,
		       "mprotect(PROT_READ): a guest write fails KVM_RUN with EFAULT"))
		tap_diag("got: %s", hx_stop_str(&v, &st, buf, sizeof(buf)));
	tap_check_eq(0x5555, t.mem[0],
		     "mprotect(PROT_READ): the memory is unchanged");
	mprotect(mem, SLOT_SIZE, PROT_READ | PROT_WRITE);
	hx_run(&v, cmd_exit, &t, &st);
	hx_check_done(&v, &st, "mprotect back to RW: the guest runs on");
	tap_check_eq(0x6666, t.mem[0],
		     "mprotect back to RW: the retried guest write lands");
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
	munmap(mem, SLOT_SIZE);
}

/* --- vCPU threads ---------------------------------------------------------- */

struct spinner {
	struct hx_vcpu v;
	pthread_t thread;
	int cpu;		/* pinned there, or -1 */
	int stop;		/* __atomic: set by another thread */
	double exit_time;	/* when KVM_RUN returned the MMIO exit */
	u64 mmio_addr;
	int err;		/* KVM_RUN's errno other than EINTR */
};

static void *spinner_fn(void *p)
{
	struct spinner *s = p;
	cpu_set_t set;

	if (s->cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(s->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	while (!__atomic_load_n(&s->stop, __ATOMIC_RELAXED)) {
		if (hx_vcpu_run_once(&s->v) < 0) {
			if (errno != EINTR)
				s->err = errno;
			if (errno != EINTR)
				break;
			continue;
		}
		if (s->v.run->exit_reason == KVM_EXIT_MMIO) {
			s->exit_time = now();
			s->mmio_addr = s->v.run->mmio.phys_addr;
			break;
		}
	}
	return NULL;
}

static void spinners_stop(struct spinner *s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		__atomic_store_n(&s[i].stop, 1, __ATOMIC_RELAXED);
		pthread_kill(s[i].thread, SIGUSR1);
	}
	for (i = 0; i < n; i++) {
		pthread_join(s[i].thread, NULL);
		hx_vcpu_destroy(&s[i].v);
	}
}

/*
 * n vCPUs spin on SLOT_A; the slot is deleted (move: moved to SLOT_B);
 * each must take an MMIO exit at its old address within 5 s.
 */
static void test_spin_change(int n, int cpu0, int cpu1, bool move,
			     const char *what)
{
	struct spinner s[2] = { 0 };
	double t0, worst = 0;
	struct hx_vm vm;
	int i, ok = 0;
	void *mem;

	if (hx_vm_create(&vm) ||
	    hx_vm_add_mem(&vm, 1, SLOT_A, SLOT_SIZE, 0, &mem)) {
		tap_check(false, "%s: a VM", what);
		return;
	}
	for (i = 0; i < n; i++) {
		s[i].cpu = i ? cpu1 : cpu0;
		if (hx_vcpu_create(&vm, &s[i].v, i) ||
		    start_at(&s[i].v, spin_read, SLOT_A + i * 8)) {
			tap_check(false, "%s: vCPU %d", what, i);
			n = i;
			goto out;
		}
	}
	for (i = 0; i < n; i++)
		pthread_create(&s[i].thread, NULL, spinner_fn, &s[i]);
	usleep(300000);		/* all in the guest, spinning */
	t0 = now();
	if (set_slot(vm.fd, 1, move ? SLOT_B : 0, move ? SLOT_SIZE : 0,
		     move ? mem : NULL, 0)) {
		tap_check(false, "%s: the slot change", what);
		goto out_stop;
	}
	while (now() - t0 < 5) {
		for (ok = 0, i = 0; i < n; i++)
			ok += s[i].exit_time > 0;
		if (ok == n)
			break;
		usleep(10000);
	}
	for (i = 0; i < n; i++) {
		if (s[i].exit_time > 0 && s[i].exit_time - t0 > worst)
			worst = s[i].exit_time - t0;
		tap_check_eq(SLOT_A + i * 8, s[i].mmio_addr,
			     "%s: vCPU %d takes an MMIO exit at its old address within 5 s",
			     what, i);
		if (s[i].err)
			tap_diag("vCPU %d: KVM_RUN failed: %s", i,
				 hx_errno_name(s[i].err));
	}
	tap_diag("%s: slowest exit %.3f s after the change", what, worst);
out_stop:
	spinners_stop(s, n);
	hx_vm_destroy(&vm);
	munmap(mem, SLOT_SIZE);
	return;
out:
	for (i = 0; i < n; i++)
		hx_vcpu_destroy(&s[i].v);
	hx_vm_destroy(&vm);
}

/*
 * fork() while a vCPU writes a counter without exits: the parent's memory
 * keeps changing, the child's copy does not (the stage 2 may not keep
 * the page the parent and child shared before copy-on-write).
 */
static void test_fork(void)
{
	struct spinner s = { .cpu = -1 };
	u64 *mem;
	struct hx_vm vm;
	u64 a, b, child[2] = { 0 };
	int pipefd[2];
	pid_t pid;
	void *m;

	if (hx_vm_create(&vm) ||
	    hx_vm_add_mem(&vm, 1, SLOT_A, SLOT_SIZE, 0, &m) ||
	    hx_vcpu_create(&vm, &s.v, 0) || start_at(&s.v, spin_write, SLOT_A) ||
	    pipe(pipefd)) {
		tap_check(false, "fork: a VM with a writing vCPU");
		return;
	}
	mem = m;
	pthread_create(&s.thread, NULL, spinner_fn, &s);
	usleep(300000);
	pid = fork();
	if (pid == 0) {
		u64 r[2];

		r[0] = __atomic_load_n(&mem[0], __ATOMIC_RELAXED);
		usleep(300000);
		r[1] = __atomic_load_n(&mem[0], __ATOMIC_RELAXED);
		if (write(pipefd[1], r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	a = __atomic_load_n(&mem[0], __ATOMIC_RELAXED);
	usleep(300000);
	b = __atomic_load_n(&mem[0], __ATOMIC_RELAXED);
	if (pid > 0) {
		if (read(pipefd[0], child, sizeof(child)) != sizeof(child))
			tap_diag("no answer from the child");
		waitpid(pid, NULL, 0);
	}
	tap_check(pid > 0, "fork() while the vCPU runs");
	tap_check(a != b && a != 0,
		  "after fork the guest's writes reach the parent (0x%llx then 0x%llx)",
		  (unsigned long long)a, (unsigned long long)b);
	tap_check(child[0] == child[1],
		  "after fork the child's copy does not change (0x%llx then 0x%llx)",
		  (unsigned long long)child[0], (unsigned long long)child[1]);
	tap_check(!s.err, "the vCPU ran on (KVM_RUN: %s)",
		  s.err ? hx_errno_name(s.err) : "ok");
	spinners_stop(&s, 1);
	close(pipefd[0]);
	close(pipefd[1]);
	hx_vm_destroy(&vm);
	munmap(m, SLOT_SIZE);
}

/* --- userfaultfd ----------------------------------------------------------- */

struct uffd_ctx {
	int fd;
	char *base;
	unsigned int delay_us;	/* before answering each fault */
	bool never;		/* never answer (--hold uffd) */
	int faults;
	int stop;		/* __atomic: set by another thread */
};

static void *uffd_fn(void *p)
{
	struct uffd_ctx *u = p;
	static char page[PAGE] __aligned(PAGE);
	struct pollfd pfd = { .fd = u->fd, .events = POLLIN };
	struct uffd_msg msg;

	while (!__atomic_load_n(&u->stop, __ATOMIC_RELAXED)) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if (read(u->fd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		u->faults++;
		if (u->never)
			continue;
		usleep(u->delay_us);
		{
			u64 addr = msg.arg.pagefault.address & ~(PAGE - 1);
			struct uffdio_copy c = {
				.dst = addr, .src = (uintptr_t)page, .len = PAGE,
			};

			memset(page, 0, PAGE);
			/* Each page's first word: its index + 1. */
			*(u64 *)page = (addr - (uintptr_t)u->base) / PAGE + 1;
			ioctl(u->fd, UFFDIO_COPY, &c);
		}
	}
	return NULL;
}

static int uffd_setup(struct uffd_ctx *u, size_t size)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	u->fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (u->fd < 0)
		return -1;
	u->base = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (u->base == MAP_FAILED || ioctl(u->fd, UFFDIO_API, &api))
		return -1;
	reg.range.start = (uintptr_t)u->base;
	reg.range.len = size;
	return ioctl(u->fd, UFFDIO_REGISTER, &reg);
}

static long touch_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		       void *p)
{
	u64 *sum = p;

	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != CMD_IO)
		return -2;
	*sum = hx_mmio_data(run);
	return HX_CONTINUE;
}

/* touch_main over count strides from gpa: the sum it read, or a failure. */
static bool run_touch(struct hx_vm *vm, u64 gpa, u64 stride, u64 count,
		      u64 *sum, const char *what)
{
	struct hx_vcpu v;
	struct hx_stop st;
	bool ok;

	if (hx_vcpu_create(vm, &v, 0) || start_at(&v, touch_main, gpa) ||
	    hx_set_reg(&v, HX_REG_X(2), stride) ||
	    hx_set_reg(&v, HX_REG_X(5), count)) {
		tap_check(false, "%s: a vCPU", what);
		return false;
	}
	*sum = 0;
	hx_run(&v, touch_exit, sum, &st);
	ok = hx_check_done(&v, &st, "%s: the guest touched %llu x %llu bytes",
			   what, (unsigned long long)count,
			   (unsigned long long)stride);
	hx_vcpu_destroy(&v);
	return ok;
}

static void test_uffd(void)
{
	const unsigned int pages = 16;
	struct uffd_ctx u = { .delay_us = 20000 };
	pthread_t th;
	struct hx_vm vm;
	u64 sum;

	if (uffd_setup(&u, pages * PAGE)) {
		tap_skip("no userfaultfd", "userfaultfd: a guest waits for missing pages");
		return;
	}
	if (hx_vm_create(&vm) ||
	    set_slot(vm.fd, 1, SLOT_A, pages * PAGE, u.base, 0)) {
		tap_check(false, "userfaultfd: a VM with a uffd-backed slot");
		return;
	}
	pthread_create(&th, NULL, uffd_fn, &u);
	if (run_touch(&vm, SLOT_A, PAGE, pages, &sum, "userfaultfd")) {
		tap_check_eq(pages * (pages + 1) / 2, sum,
			     "userfaultfd: the guest read each page the handler supplied");
		tap_check_eq(pages, u.faults,
			     "userfaultfd: one fault per page reached the handler");
		tap_check_eq(PAGE, ((u64 *)u.base)[1],
			     "userfaultfd: the guest's writes landed in the supplied pages");
	}
	__atomic_store_n(&u.stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	hx_vm_destroy(&vm);
	close(u.fd);
	munmap(u.base, pages * PAGE);
}

/* --- slot sizes -------------------------------------------------------------- */

static void test_slot_sizes(void)
{
	u64 tib = 1ULL << 40;
	long ipa = ioctl(hx_dev_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_VM_IPA_SIZE);
	long k0, k1, t0, t1;
	int vmfd, ret;
	void *va;
	u64 gpa;

	if (ipa < 41)
		ipa = 40;
	vmfd = ioctl(hx_dev_fd, KVM_CREATE_VM, ipa > 40 ? ipa : 0);
	va = mmap(NULL, tib, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		  MAP_NORESERVE, -1, 0);
	if (vmfd < 0 || va == MAP_FAILED) {
		tap_check(false, "a VM (%ld-bit IPA) and 1 TiB of address space",
			  ipa);
		return;
	}
	gpa = ipa > 40 ? tib : 0;
	k0 = kernel_kb();
	t0 = status_field("s2_tables");
	ret = set_slot(vmfd, 1, gpa, tib, va, 0);
	k1 = kernel_kb();
	t1 = status_field("s2_tables");
	tap_check_errno(ret ? -1 : 0, -ret, 0, "a 1 TiB slot at 0x%llx",
			(unsigned long long)gpa);
	tap_diag("1 TiB slot: kernel memory (Slab + VmallocUsed) %+ld kB",
		 k1 - k0);
	tap_check(k1 - k0 < 4096,
		  "a 1 TiB slot costs no per-page kernel memory (%+ld kB)",
		  k1 - k0);
	if (t0 >= 0)
		tap_check_eq(t0, t1, "a 1 TiB slot allocates no stage-2 table");
	tap_check_errno(set_slot(vmfd, 1, 0, 0, NULL, 0) ? -1 : 0, 0, 0,
			"the 1 TiB slot deleted");
	ret = set_slot(vmfd, 1, gpa, tib, va, KVM_MEM_LOG_DIRTY_PAGES);
	tap_check(!ret || ret == -ENOMEM,
		  "a logged 1 TiB slot: created or ENOMEM (%s)",
		  ret ? hx_errno_name(-ret) : "created");
	if (!ret)
		set_slot(vmfd, 1, 0, 0, NULL, 0);

	ret = set_slot(vmfd, 3, 0, 1ULL << 43, va, 0);
	tap_check_errno(ret ? -1 : 0, -ret, EINVAL,
			"an 8 TiB slot (2^31 pages, past KVM_MEM_MAX_NR_PAGES)");
	ret = set_slot(vmfd, 3, 0, -PAGE, va, 0);
	tap_check_errno(ret ? -1 : 0, -ret, EINVAL, "a slot of 2^64 - 4 KiB");
	ret = set_slot(vmfd, 3, -2 * PAGE, 4 * PAGE, va, 0);
	tap_check_errno(ret ? -1 : 0, -ret, EINVAL,
			"a slot whose IPA range wraps around 2^64");
	ret = set_slot(vmfd, 3, 0, 4 * PAGE, (void *)(uintptr_t)(-2 * PAGE), 0);
	tap_check_errno(ret ? -1 : 0, -ret, EINVAL,
			"a slot whose VMM range wraps around 2^64");
	ret = set_slot(vmfd, 3, 1ULL << ipa, PAGE, va, 0);
	tap_check_errno(ret ? -1 : 0, -ret, EFAULT,
			"a slot past the IPA space");
	close(vmfd);
	munmap(va, tib);
}

/*
 * 4 GiB slot, 4 MiB touched: stage-2 tables for 4 MiB (a few pages), no
 * per-page array for the 4 GiB.
 */
static void test_sparse_cost(void)
{
	u64 big = 4ULL << 30, sum;
	long k0, k1, t0, t1;
	struct hx_vm vm;
	void *va;

	va = mmap(NULL, big, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (va == MAP_FAILED || hx_vm_create(&vm)) {
		tap_check(false, "a VM and 4 GiB of address space");
		return;
	}
	madvise(va, big, MADV_NOHUGEPAGE);	/* count 4 KiB faults */
	k0 = kernel_kb();
	t0 = status_field("s2_tables");
	if (set_slot(vm.fd, 1, BIG_GPA, big, va, 0)) {
		tap_check(false, "a 4 GiB slot");
		goto out;
	}
	if (run_touch(&vm, BIG_GPA, PAGE, 1024, &sum, "4 GiB slot")) {
		k1 = kernel_kb();
		t1 = status_field("s2_tables");
		tap_diag("4 GiB slot, 4 MiB touched: kernel memory %+ld kB, stage-2 tables %+ld",
			 k1 - k0, t1 - t0);
		tap_check(k1 - k0 < 2048,
			  "4 GiB slot, 4 MiB touched: under 2 MiB of kernel memory (%+ld kB)",
			  k1 - k0);
		if (t0 >= 0)
			tap_check(t1 - t0 <= 8,
				  "4 GiB slot, 4 MiB touched: at most 8 stage-2 tables (%+ld)",
				  t1 - t0);
		set_slot(vm.fd, 1, 0, 0, NULL, 0);
		t1 = status_field("s2_tables");
		/* Left: the RAM slot's own level-2 and level-3 tables. */
		if (t0 >= 0)
			tap_check(t1 - t0 <= 2,
				  "4 GiB slot deleted: its stage-2 tables are freed (%+ld left)",
				  t1 - t0);
	}
out:
	hx_vm_destroy(&vm);
	munmap(va, big);
}

/* --- 2 MiB blocks --------------------------------------------------------------- */

static char *map_aligned(size_t size, int extra_flags)
{
	char *p = mmap(NULL, size + 2 * MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + 2 * MIB - 1) & ~(2 * MIB - 1));
	return a;
}

static long anon_huge_kb(void)
{
	static const char *const fields[] = { "AnonHugePages", NULL };

	return proc_sum_kb("/proc/self/smaps", fields);
}

static void test_blocks(const char *what, char *mem)
{
	long b0, b1;
	struct hx_vm vm;
	u64 sum, i;

	if (!mem) {
		tap_skip("no such memory here", "%s: 2 MiB stage-2 blocks", what);
		return;
	}
	for (i = 0; i < 2; i++)
		*(u64 *)(mem + i * 2 * MIB) = i + 1;
	if (hx_vm_create(&vm) || set_slot(vm.fd, 1, BIG_GPA, 4 * MIB, mem, 0)) {
		tap_check(false, "%s: a VM with a 4 MiB slot", what);
		return;
	}
	b0 = status_field("s2_block_maps");
	if (run_touch(&vm, BIG_GPA, 2 * MIB, 2, &sum, what)) {
		b1 = status_field("s2_block_maps");
		tap_check_eq(3, sum, "%s: the guest reads the VMM's data", what);
		tap_check_eq(2 * MIB, *(u64 *)(mem + 2 * MIB + 8),
			     "%s: the guest's writes reach the VMM", what);
		if (b0 >= 0)
			tap_check(b1 - b0 >= 2,
				  "%s: two 2 MiB stage-2 blocks for 4 MiB (%ld)",
				  what, b1 - b0);
	}
	hx_vm_destroy(&vm);
}

static void test_thp(void)
{
	char *mem = map_aligned(4 * MIB, 0);
	long kb;

	if (mem) {
		madvise(mem, 4 * MIB, MADV_HUGEPAGE);
		memset(mem, 1, 4 * MIB);
	}
	kb = anon_huge_kb();
	tap_diag("THP: AnonHugePages %ld kB", kb);
	test_blocks("THP", kb >= 4096 ? mem : NULL);
}

static void test_hugetlb(void)
{
	char *mem = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	test_blocks("hugetlbfs", mem == MAP_FAILED ? NULL : mem);
	if (mem != MAP_FAILED)
		munmap(mem, 4 * MIB);
}

/* --- set/way storm ------------------------------------------------------------ */

struct ticker {
	pthread_t thread;
	int stop;		/* __atomic */
	double max_gap;		/* longest time between two 1 ms sleeps */
	int long_gaps;		/* gaps over 100 ms */
	double long_time;	/* their total */
};

static void *ticker_fn(void *p)
{
	struct ticker *t = p;
	double last = now(), n;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
		usleep(1000);
		n = now();
		if (n - last > t->max_gap)
			t->max_gap = n - last;
		if (n - last > 0.1) {
			t->long_gaps++;
			t->long_time += n - last;
		}
		last = n;
	}
	return NULL;
}

/*
 * 1 GiB of VMM address space made of one 2 MiB hugetlbfs page mapped 512
 * times: a guest that maps all of it in 2 MiB blocks, with 2 MiB of RAM.
 */
static char *map_gib_of_one_huge_page(size_t size)
{
	char *base = map_aligned(size, MAP_NORESERVE);
	int fd = memfd_create("storm", MFD_HUGETLB);
	size_t off;

	if (!base || fd < 0 || ftruncate(fd, 2 * MIB))
		return NULL;
	for (off = 0; off < size; off += 2 * MIB)
		if (mmap(base + off, 2 * MIB, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0) != base + off)
			return NULL;
	close(fd);
	return base;
}

/*
 * A 1 GiB guest, all of it mapped, does 8 set/way bursts: each makes the host clean every
 * mapped page to the PoC. The host must reschedule meanwhile: a thread
 * on the vCPU's CPU keeps running, and no soft lockup (kvm_tests.sh looks
 * for one in dmesg).
 */
static void test_setway_storm(void)
{
	const u64 size = 1ULL << 30, bursts = 8;
	struct ticker tk = { 0 };
	struct hx_vcpu v;
	struct hx_stop st;
	struct hx_vm vm;
	cpu_set_t set;
	double t0, t1, idle_gap;
	char *mem;

	mem = map_gib_of_one_huge_page(size);
	if (!mem) {
		tap_skip("no 2 MiB hugetlbfs page",
			 "set/way storm from a 1 GiB guest");
		return;
	}
	if (hx_vm_create(&vm)) {
		tap_check(false, "set/way storm: a VM");
		return;
	}
	if (set_slot(vm.fd, 1, BIG_GPA, size, mem, 0) ||
	    hx_vcpu_create(&vm, &v, 0) || start_at(&v, storm_main, BIG_GPA) ||
	    hx_set_reg(&v, HX_REG_X(5), size / (2 * MIB)) ||
	    hx_set_reg(&v, HX_REG_X(6), bursts)) {
		tap_check(false, "set/way storm: a VM with a 1 GiB slot");
		hx_vm_destroy(&vm);
		return;
	}
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	/* The same thread with nothing else running: the board's own noise. */
	pthread_create(&tk.thread, NULL, ticker_fn, &tk);
	usleep(1000000);
	__atomic_store_n(&tk.stop, 1, __ATOMIC_RELAXED);
	pthread_join(tk.thread, NULL);
	idle_gap = tk.max_gap;
	tk.max_gap = 0;
	tk.long_gaps = 0;
	tk.long_time = 0;
	tk.stop = 0;
	pthread_create(&tk.thread, NULL, ticker_fn, &tk);
	t0 = now();
	hx_run(&v, NULL, NULL, &st);
	t1 = now();
	__atomic_store_n(&tk.stop, 1, __ATOMIC_RELAXED);
	pthread_join(tk.thread, NULL);
	CPU_ZERO(&set);
	for (int i = 0; i < CPU_SETSIZE && i < 64; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
	hx_check_done(&v, &st, "set/way storm: a 1 GiB guest did %llu bursts",
		      (unsigned long long)bursts);
	tap_diag("set/way storm: %.2f s, %lu blocks mapped; a thread on the same CPU waited at most %.3f s (%.3f s when idle), %d times over 100 ms, %.2f s in all",
		 t1 - t0, (unsigned long)(size / (2 * MIB)), tk.max_gap,
		 idle_gap, tk.long_gaps, tk.long_time);
	/*
	 * Each burst cleans 1 GiB (about a second under TCG): without
	 * rescheduling inside it, the other thread waits most of the
	 * storm in long waits; with it, only when the board stalls. KVM
	 * flushes only when the guest's caches go on or off (HCR_EL2.TVM)
	 * and reschedules between 1 GiB steps: nothing to hold it to.
	 */
	if (hx_is_kvm)
		tap_skip("KVM reschedules between 1 GiB steps only",
			 "set/way storm: the host reschedules within a burst");
	else
		tap_check(tk.long_time < (t1 - t0) / 2,
			  "set/way storm: the host reschedules within a burst (%.2f s of %.2f s in waits over 100 ms)",
			  tk.long_time, t1 - t0);
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
	munmap(mem, size);
}

/* --- dirty logging ----------------------------------------------------------- */

#define DIRTY_PAGES	128

struct dirty_test {
	u64 *cmds;		/* commands for the guest, 0-terminated */
	int next;
};

static long dirty_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		       void *p)
{
	struct dirty_test *d = p;

	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != CMD_IO + 8)
		return -2;
	if (!d->cmds[d->next])
		return 0;	/* a batch done: stop, the host looks */
	hx_mmio_set(run, d->cmds[d->next++]);
	return HX_CONTINUE;
}

/*
 * The guest writes the given pages; returns false on a guest failure.
 * Between two batches the guest waits in its MMIO read of the next
 * command (*pending): the first command of a batch completes it.
 */
static bool dirty_write(struct hx_vcpu *v, const int *pages, int n,
			bool *pending)
{
	u64 cmds[16] = { 0 };
	struct dirty_test d = { cmds, 0 };
	struct hx_stop st;
	int i;

	for (i = 0; i < n; i++)
		cmds[i] = (u64)pages[i] << 32 | 0xd1d1;
	if (*pending)
		hx_mmio_set(v->run, cmds[d.next++]);
	hx_run(v, dirty_exit, &d, &st);
	*pending = st.kind == HX_STOP_USER && st.code == 0;
	return *pending && d.next == n;
}

static void dirty_expect(int vmfd, const int *pages, int n, const char *what)
{
	unsigned long bm[DIRTY_PAGES / 64] = { 0 }, want[DIRTY_PAGES / 64] = { 0 };
	struct kvm_dirty_log log = { .slot = 1, .dirty_bitmap = bm };
	int i;

	for (i = 0; i < n; i++)
		want[pages[i] / 64] |= 1UL << (pages[i] % 64);
	if (!tap_check_errno(ioctl(vmfd, KVM_GET_DIRTY_LOG, &log), errno, 0,
			     "%s: KVM_GET_DIRTY_LOG", what))
		return;
	for (i = 0; i < DIRTY_PAGES / 64; i++)
		tap_check_eq(want[i], bm[i], "%s: dirty bits of pages %d-%d",
			     what, i * 64, i * 64 + 63);
}

static void test_dirty_log(bool manual)
{
	const char *mode = manual ? "manual protect" : "dirty log";
	static const int w1[] = { 1, 5, 127 }, w2[] = { 5, 7 }, w3[] = { 1, 5 };
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
		.args = { KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE },
	};
	unsigned long clr[DIRTY_PAGES / 64] = { 0 };
	struct kvm_clear_dirty_log cl = {
		.slot = 1, .num_pages = DIRTY_PAGES, .dirty_bitmap = clr,
	};
	bool pending = false;
	struct hx_vm vm;
	struct hx_vcpu v;
	char buf[64];
	void *mem;

	if (hx_vm_create(&vm)) {
		tap_check(false, "%s: a VM", mode);
		return;
	}
	if (manual && !tap_check_errno(ioctl(vm.fd, KVM_ENABLE_CAP, &cap),
				       errno, 0,
				       "KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2)"))
		goto out_vm;
	if (hx_vm_add_mem(&vm, 1, SLOT_A, DIRTY_PAGES * PAGE,
			  KVM_MEM_LOG_DIRTY_PAGES, &mem) ||
	    hx_vcpu_create(&vm, &v, 0) || start_at(&v, dirty_main, SLOT_A)) {
		tap_check(false, "%s: a VM with a logged slot", mode);
		goto out_vm;
	}
	snprintf(buf, sizeof(buf), "%s, first writes", mode);
	if (!tap_check(dirty_write(&v, w1, 3, &pending), "%s: the guest wrote", buf))
		goto out;
	dirty_expect(vm.fd, w1, 3, buf);
	tap_check_eq((u64)127 << 32 | 0xd1d1, ((u64 *)mem)[127 * 512 + 1],
		     "%s: the guest's write is in the VMM's memory", buf);
	if (manual) {
		/* Not cleared yet: GET reports them again. */
		dirty_expect(vm.fd, w1, 3, "manual protect, no clear yet");
		clr[0] = 1UL << 1 | 1UL << 5;
		clr[1] = 1UL << 63;
		tap_check_errno(ioctl(vm.fd, KVM_CLEAR_DIRTY_LOG, &cl), errno, 0,
				"KVM_CLEAR_DIRTY_LOG of pages 1, 5, 127");
		cl.first_page = 1;
		tap_check_errno(ioctl(vm.fd, KVM_CLEAR_DIRTY_LOG, &cl), errno,
				EINVAL, "KVM_CLEAR_DIRTY_LOG from page 1");
		cl.first_page = 0;
	}
	snprintf(buf, sizeof(buf), "%s, second writes", mode);
	if (!tap_check(dirty_write(&v, w2, 2, &pending), "%s: the guest wrote", buf))
		goto out;
	dirty_expect(vm.fd, w2, 2, buf);
	if (manual) {
		clr[0] = 1UL << 5;	/* page 7 stays dirty */
		clr[1] = 0;
		ioctl(vm.fd, KVM_CLEAR_DIRTY_LOG, &cl);
	}
	snprintf(buf, sizeof(buf), "%s, third writes", mode);
	if (!tap_check(dirty_write(&v, w3, 2, &pending), "%s: the guest wrote", buf))
		goto out;
	if (manual) {
		static const int w3m[] = { 1, 5, 7 };

		dirty_expect(vm.fd, w3m, 3, buf);
	} else {
		dirty_expect(vm.fd, w3, 2, buf);
		dirty_expect(vm.fd, NULL, 0, "dirty log, nothing written");
	}
out:
	hx_vcpu_destroy(&v);
out_vm:
	hx_vm_destroy(&vm);
}

static void test_dirty_errnos(void)
{
	unsigned long bm[2];
	struct kvm_dirty_log log = { .slot = 0, .dirty_bitmap = bm };
	struct hx_vm vm;

	if (hx_vm_create(&vm)) {
		tap_check(false, "a VM");
		return;
	}
	tap_check_errno(ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log), errno, ENOENT,
			"KVM_GET_DIRTY_LOG of a slot that is not logged");
	log.slot = 31;
	tap_check_errno(ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log), errno, ENOENT,
			"KVM_GET_DIRTY_LOG of a slot that does not exist");
	log.slot = 1000;
	tap_check_errno(ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log), errno, ENOENT,
			"KVM_GET_DIRTY_LOG of slot 1000 (an id KVM allows)");
	log.slot = 0x8000;
	tap_check_errno(ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log), errno, EINVAL,
			"KVM_GET_DIRTY_LOG of slot 0x8000 (past KVM_USER_MEM_SLOTS)");
	hx_vm_destroy(&vm);
}

/* --- --hold: for mem_kill.sh ------------------------------------------------ */

static int hold(const char *what)
{
	struct hx_vm vm;

	if (hx_vm_create(&vm))
		return 1;
	if (!strcmp(what, "uffd")) {
		struct uffd_ctx u = { .never = true };
		pthread_t th;
		u64 sum;

		if (uffd_setup(&u, 16 * PAGE) ||
		    set_slot(vm.fd, 1, SLOT_A, 16 * PAGE, u.base, 0))
			return 1;
		pthread_create(&th, NULL, uffd_fn, &u);
		hx_timeout = 100000;
		printf("holding: a vCPU waits in a userfaultfd fault\n");
		fflush(stdout);
		run_touch(&vm, SLOT_A, PAGE, 16, &sum, "hold");
		return 1;
	}
	if (!strcmp(what, "dirtylog")) {
		static unsigned long bm[DIRTY_PAGES / 64];
		struct kvm_dirty_log log = { .slot = 1, .dirty_bitmap = bm };
		struct spinner s = { .cpu = -1 };
		void *mem;

		if (hx_vm_add_mem(&vm, 1, SLOT_A, DIRTY_PAGES * PAGE,
				  KVM_MEM_LOG_DIRTY_PAGES, &mem) ||
		    hx_vcpu_create(&vm, &s.v, 0) ||
		    start_at(&s.v, spin_write, SLOT_A))
			return 1;
		pthread_create(&s.thread, NULL, spinner_fn, &s);
		printf("holding: a vCPU writes, the dirty log is read\n");
		fflush(stdout);
		for (;;)
			ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log);
	}
	return 2;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = no_op };
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	/* No SA_RESTART: SIGUSR1 makes a vCPU thread's KVM_RUN return. */
	sigaction(SIGUSR1, &sa, NULL);
	if (argc == 3 && !strcmp(argv[1], "--hold")) {
		char *args[2] = { argv[0] };

		hx_init(1, args, "kvm_memory", NULL);
		return hold(argv[2]);
	}
	hx_init(argc, argv, "kvm_memory", NULL);
	test_vmm_changes();
	test_fork();
	test_uffd();
	test_spin_change(1, -1, -1, false, "one vCPU, slot deleted");
	test_spin_change(1, -1, -1, true, "one vCPU, slot moved");
	if (ncpu >= 2)
		test_spin_change(2, 0, 1, false,
				 "two vCPUs on two CPUs, slot deleted");
	test_spin_change(2, 0, 0, false, "two vCPUs on one CPU, slot deleted");
	test_slot_sizes();
	test_sparse_cost();
	test_thp();
	test_hugetlb();
	test_setway_storm();
	test_dirty_log(false);
	test_dirty_log(true);
	test_dirty_errnos();
	return tap_done();
}
