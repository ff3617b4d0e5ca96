// SPDX-License-Identifier: GPL-2.0
/*
 * The tests/kvm harness: TAP, VM/vCPU helpers with raw KVM ioctls, the run
 * loop and the guest's default exception vectors. See harness.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"

/*
 * Default vectors: every exception reports ESR/ELR/FAR and its vector
 * offset on the harness page, then spins (the host stops the vCPU).
 */
asm(HX_GUEST_BEGIN
"	.balign	2048\n"
"	.globl	hx_vectors\n"
"hx_vectors:\n"
"	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
"	.balign	0x80\n"
"	hx_mmio_addr x16\n"
"	mrs	x17, esr_el1\n"
"	str	x17, [x16, #" HX_XSTR(HX_MMIO_EXC_ESR) "]\n"
"	mrs	x17, elr_el1\n"
"	str	x17, [x16, #" HX_XSTR(HX_MMIO_EXC_ELR) "]\n"
"	mrs	x17, far_el1\n"
"	str	x17, [x16, #" HX_XSTR(HX_MMIO_EXC_FAR) "]\n"
"	mov	x17, #(\\n * 0x80)\n"
"	str	x17, [x16, #" HX_XSTR(HX_MMIO_EXC_VEC) "]\n"
"	b	.\n"
"	.endr\n"
HX_GUEST_END);

HX_GUEST_SYM(hx_vectors);

const char *hx_device = "/dev/splitvisor";
bool hx_is_kvm;
int hx_dev_fd = -1;
unsigned int hx_timeout = 60;

static const char *hx_name = "kvm";

/* --- TAP ------------------------------------------------------------------ */

static unsigned int tap_n;
static unsigned int tap_failed;
static const char *tap_todo;

/*
 * A known, expected failure (tap_todo_next) is printed as a skip with its
 * reason, "ok N - desc # SKIP why", so that a green run has no "not ok"
 * line; if the check passes it is a plain "ok" (the expectation is stale).
 */
static void tap_vline(bool ok, const char *fmt, va_list ap)
{
	printf("%sok %u - ", ok || tap_todo ? "" : "not ", ++tap_n);
	vprintf(fmt, ap);
	if (!ok && tap_todo)
		printf(" # SKIP expected to fail: %s", tap_todo);
	putchar('\n');
	if (!ok && !tap_todo)
		tap_failed++;
	tap_todo = NULL;
}

void tap_todo_next(const char *why)
{
	tap_todo = why;
}

void tap_diag(const char *fmt, ...)
{
	char buf[2048], *line, *save = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("# %s\n", line);
	fflush(stdout);
}

bool tap_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vline(ok, fmt, ap);
	va_end(ap);
	fflush(stdout);
	return ok;
}

bool tap_check_eq(u64 expected, u64 got, const char *fmt, ...)
{
	bool ok = expected == got;
	va_list ap;

	va_start(ap, fmt);
	tap_vline(ok, fmt, ap);
	va_end(ap);
	if (!ok)
		tap_diag("expected 0x%llx, got 0x%llx",
			 (unsigned long long)expected, (unsigned long long)got);
	fflush(stdout);
	return ok;
}

const char *hx_errno_name(int err)
{
	static char buf[32];
	const char *name = err ? strerrorname_np(err) : "success";

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

bool tap_check_errno(long ret, int err, int expected_errno,
		     const char *fmt, ...)
{
	bool ok;
	va_list ap;

	if (expected_errno)
		ok = ret == -1 && err == expected_errno;
	else
		ok = ret >= 0;
	va_start(ap, fmt);
	tap_vline(ok, fmt, ap);
	va_end(ap);
	if (!ok) {
		char got[64];

		if (ret < 0)
			snprintf(got, sizeof(got), "%ld (%s)", ret,
				 hx_errno_name(err));
		else
			snprintf(got, sizeof(got), "%ld", ret);
		if (expected_errno)
			tap_diag("expected -1 (%s), got %s",
				 hx_errno_name(expected_errno), got);
		else
			tap_diag("expected success, got %s", got);
	}
	fflush(stdout);
	return ok;
}

void tap_skip(const char *reason, const char *fmt, ...)
{
	va_list ap;

	printf("ok %u - ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", reason);
	fflush(stdout);
}

int tap_done(void)
{
	printf("1..%u\n", tap_n);
	if (tap_failed)
		printf("# %s: %u of %u test points failed\n", hx_name,
		       tap_failed, tap_n);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

/* --- device ------------------------------------------------------------- */

/* Set by the SIGALRM handler: __atomic accesses only. */
static int hx_alarm_fired;

static void hx_alarm(int sig __maybe_unused)
{
	__atomic_store_n(&hx_alarm_fired, 1, __ATOMIC_RELAXED);
}

static bool hx_alarm_seen(void)
{
	return __atomic_load_n(&hx_alarm_fired, __ATOMIC_RELAXED);
}

static void hx_usage(void)
{
	fprintf(stderr,
		"usage: %s [--device PATH] [--timeout SEC] [--iterations N]\n"
		"  --device PATH   KVM-ABI device (default /dev/splitvisor;\n"
		"                  /dev/kvm: Linux's KVM, its documented\n"
		"                  behaviour is accepted where it differs)\n",
		hx_name);
}

void hx_init(int argc, char **argv, const char *name, unsigned long *iterations)
{
	struct sigaction sa = { .sa_handler = hx_alarm };
	const char *base;
	int i;

	hx_name = name;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (i + 1 < argc && !strcmp(a, "--device")) {
			hx_device = argv[++i];
		} else if (i + 1 < argc && !strcmp(a, "--timeout")) {
			hx_timeout = strtoul(argv[++i], NULL, 0);
		} else if (i + 1 < argc && !strcmp(a, "--iterations") &&
			   iterations) {
			*iterations = strtoul(argv[++i], NULL, 0);
		} else {
			hx_usage();
			exit(2);
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = strrchr(hx_device, '/');
	base = base ? base + 1 : hx_device;
	hx_is_kvm = !strcmp(base, "kvm");

	/* No SA_RESTART: a timeout makes KVM_RUN return EINTR. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	hx_dev_fd = open(hx_device, O_RDWR | O_CLOEXEC);
	if (hx_dev_fd < 0) {
		int err = errno;

		tap_check(false, "open %s", hx_device);
		tap_diag("%s", strerror(err));
		exit(tap_done());
	}
	tap_diag("%s on %s (%s semantics)", name, hx_device,
		 hx_is_kvm ? "Linux KVM" : "splitvisor");
}

/* --- VMs ------------------------------------------------------------------ */

u64 hx_gpa(const void *guest_sym)
{
	return HX_RAM_BASE + ((uintptr_t)guest_sym - (uintptr_t)__start_guest_text);
}

void *hx_gpa_to_hva(struct hx_vm *vm, u64 gpa)
{
	if (gpa < HX_RAM_BASE || gpa >= HX_RAM_BASE + HX_RAM_SIZE)
		return NULL;
	return (char *)vm->ram + (gpa - HX_RAM_BASE);
}

int hx_vm_add_mem(struct hx_vm *vm, u32 slot, u64 gpa, u64 size, u32 flags,
		  void **hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
	};
	void *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		tap_diag("mmap of %llu bytes: %s", (unsigned long long)size,
			 strerror(errno));
		return -1;
	}
	r.userspace_addr = (uintptr_t)p;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r)) {
		tap_diag("KVM_SET_USER_MEMORY_REGION slot %u at 0x%llx: %s",
			 slot, (unsigned long long)gpa, hx_errno_name(errno));
		munmap(p, size);
		return -1;
	}
	if (hva)
		*hva = p;
	return 0;
}

int hx_vm_create(struct hx_vm *vm)
{
	size_t text = __stop_guest_text - __start_guest_text;

	vm->ram = NULL;
	vm->fd = ioctl(hx_dev_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0) {
		tap_diag("KVM_CREATE_VM: %s", hx_errno_name(errno));
		return -1;
	}
	if (hx_vm_add_mem(vm, 0, HX_RAM_BASE, HX_RAM_SIZE, 0, &vm->ram)) {
		close(vm->fd);
		vm->fd = -1;
		return -1;
	}
	if (text > HX_DATA_OFF) {
		tap_diag("guest_text is %zu bytes, more than fits", text);
		hx_vm_destroy(vm);
		return -1;
	}
	memcpy(vm->ram, __start_guest_text, text);
	return 0;
}

void hx_vm_destroy(struct hx_vm *vm)
{
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->ram)
		munmap(vm->ram, HX_RAM_SIZE);
	vm->fd = -1;
	vm->ram = NULL;
}

/* --- vCPUs -------------------------------------------------------------- */

int hx_vcpu_create(struct hx_vm *vm, struct hx_vcpu *v, int id)
{
	return hx_vcpu_create_features(vm, v, id, 0);
}

int hx_vcpu_create_features(struct hx_vm *vm, struct hx_vcpu *v, int id,
			    u32 features)
{
	struct kvm_vcpu_init init;
	long size;

	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0) {
		tap_diag("KVM_CREATE_VCPU %d: %s", id, hx_errno_name(errno));
		return -1;
	}
	size = ioctl(hx_dev_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (long)sizeof(struct kvm_run)) {
		tap_diag("KVM_GET_VCPU_MMAP_SIZE: %ld (%s)", size,
			 hx_errno_name(errno));
		goto err;
	}
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		tap_diag("mmap of kvm_run: %s", strerror(errno));
		goto err;
	}
	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init)) {
		tap_diag("KVM_ARM_PREFERRED_TARGET: %s", hx_errno_name(errno));
		goto err;
	}
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2 | features;
	if (ioctl(v->fd, KVM_ARM_VCPU_INIT, &init)) {
		tap_diag("KVM_ARM_VCPU_INIT: %s", hx_errno_name(errno));
		goto err;
	}
	return 0;
err:
	hx_vcpu_destroy(v);
	return -1;
}

void hx_vcpu_destroy(struct hx_vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}

static int hx_one_reg(struct hx_vcpu *v, unsigned long req, u64 id, void *p)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)p };

	if (ioctl(v->fd, req, &reg)) {
		int err = errno;

		tap_diag("%s 0x%llx: %s",
			 req == KVM_SET_ONE_REG ? "KVM_SET_ONE_REG" :
			 "KVM_GET_ONE_REG", (unsigned long long)id,
			 hx_errno_name(err));
		errno = err;
		return -1;
	}
	return 0;
}

int hx_set_reg(struct hx_vcpu *v, u64 id, u64 val)
{
	u32 v32 = val;

	if ((id & KVM_REG_SIZE_MASK) == KVM_REG_SIZE_U32)
		return hx_one_reg(v, KVM_SET_ONE_REG, id, &v32);
	return hx_one_reg(v, KVM_SET_ONE_REG, id, &val);
}

int hx_get_reg(struct hx_vcpu *v, u64 id, u64 *val)
{
	u32 v32 = 0;
	int ret;

	*val = 0;
	if ((id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U32)
		return hx_one_reg(v, KVM_GET_ONE_REG, id, val);
	ret = hx_one_reg(v, KVM_GET_ONE_REG, id, &v32);
	*val = v32;
	return ret;
}

int hx_set_reg128(struct hx_vcpu *v, u64 id, const u64 val[2])
{
	u64 tmp[2] __aligned(16) = { val[0], val[1] };

	return hx_one_reg(v, KVM_SET_ONE_REG, id, tmp);
}

int hx_get_reg128(struct hx_vcpu *v, u64 id, u64 val[2])
{
	u64 tmp[2] __aligned(16) = { 0, 0 };
	int ret = hx_one_reg(v, KVM_GET_ONE_REG, id, tmp);

	val[0] = tmp[0];
	val[1] = tmp[1];
	return ret;
}

int hx_vcpu_start(struct hx_vcpu *v, const void *entry)
{
	if (hx_set_reg(v, HX_REG_PC, hx_gpa(entry)) ||
	    hx_set_reg(v, HX_REG_PSTATE, HX_PSR_MODE_EL1H | HX_PSR_DAIF) ||
	    hx_set_reg(v, HX_REG_SP_EL1, HX_STACK_TOP) ||
	    hx_set_reg(v, HX_REG_VBAR_EL1, hx_gpa(hx_vectors)) ||
	    hx_set_reg(v, HX_REG_X(0), HX_DATA))
		return -1;
	return 0;
}

/* --- running ------------------------------------------------------------ */

/*
 * ioctl(fd, req, arg) with the host's V0-V31/FPSR/FPCR set to *in right
 * before the system call and saved to *out right after it, in one asm
 * statement so that no compiled code runs in between. FPSR/FPCR are put
 * back afterwards; V0-V31 are declared clobbered.
 */
static long hx_ioctl_fp(int fd, unsigned long req, void *arg,
			const struct hx_fpstate *in, struct hx_fpstate *out)
{
	register long x0 asm("x0") = fd;
	register long x1 asm("x1") = req;
	register long x2 asm("x2") = (long)arg;
	register long x8 asm("x8") = SYS_ioctl;
	register const struct hx_fpstate *x3 asm("x3") = in;
	register struct hx_fpstate *x4 asm("x4") = out;

	asm volatile(
		"mrs	x5, fpsr\n"
		"mrs	x6, fpcr\n"
		"ldr	x7, [x3, #512]\n"
		"msr	fpsr, x7\n"
		"ldr	x7, [x3, #520]\n"
		"msr	fpcr, x7\n"
		"ldp	q0, q1, [x3, #0]\n"
		"ldp	q2, q3, [x3, #32]\n"
		"ldp	q4, q5, [x3, #64]\n"
		"ldp	q6, q7, [x3, #96]\n"
		"ldp	q8, q9, [x3, #128]\n"
		"ldp	q10, q11, [x3, #160]\n"
		"ldp	q12, q13, [x3, #192]\n"
		"ldp	q14, q15, [x3, #224]\n"
		"ldp	q16, q17, [x3, #256]\n"
		"ldp	q18, q19, [x3, #288]\n"
		"ldp	q20, q21, [x3, #320]\n"
		"ldp	q22, q23, [x3, #352]\n"
		"ldp	q24, q25, [x3, #384]\n"
		"ldp	q26, q27, [x3, #416]\n"
		"ldp	q28, q29, [x3, #448]\n"
		"ldp	q30, q31, [x3, #480]\n"
		"svc	#0\n"
		"stp	q0, q1, [x4, #0]\n"
		"stp	q2, q3, [x4, #32]\n"
		"stp	q4, q5, [x4, #64]\n"
		"stp	q6, q7, [x4, #96]\n"
		"stp	q8, q9, [x4, #128]\n"
		"stp	q10, q11, [x4, #160]\n"
		"stp	q12, q13, [x4, #192]\n"
		"stp	q14, q15, [x4, #224]\n"
		"stp	q16, q17, [x4, #256]\n"
		"stp	q18, q19, [x4, #288]\n"
		"stp	q20, q21, [x4, #320]\n"
		"stp	q22, q23, [x4, #352]\n"
		"stp	q24, q25, [x4, #384]\n"
		"stp	q26, q27, [x4, #416]\n"
		"stp	q28, q29, [x4, #448]\n"
		"stp	q30, q31, [x4, #480]\n"
		"mrs	x7, fpsr\n"
		"str	x7, [x4, #512]\n"
		"mrs	x7, fpcr\n"
		"str	x7, [x4, #520]\n"
		"msr	fpsr, x5\n"
		"msr	fpcr, x6\n"
		: "+r" (x0)
		: "r" (x1), "r" (x2), "r" (x8), "r" (x3), "r" (x4)
		: "x5", "x6", "x7", "memory", "cc",
		  "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
		  "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15",
		  "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",
		  "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
	if (x0 < 0 && x0 > -4096) {
		errno = -x0;
		return -1;
	}
	return x0;
}

_Static_assert(offsetof(struct hx_fpstate, fpsr) == 512, "hx_fpstate");
_Static_assert(offsetof(struct hx_fpstate, fpcr) == 520, "hx_fpstate");

long hx_vcpu_run_once(struct hx_vcpu *v)
{
	struct hx_fpstate seen;
	long ret;
	int err;

	v->runs++;
	if (!v->fp_check)
		return ioctl(v->fd, KVM_RUN, 0);
	ret = hx_ioctl_fp(v->fd, KVM_RUN, NULL, &v->fp_host, &seen);
	err = errno;
	v->fp_runs++;
	if (memcmp(&seen, &v->fp_host, sizeof(seen))) {
		if (!v->fp_bad)
			v->fp_seen = seen;
		v->fp_bad++;
	}
	errno = err;
	return ret;
}

u64 hx_mmio_data(const struct kvm_run *run)
{
	u64 val = 0;
	u32 len = run->mmio.len;

	memcpy(&val, run->mmio.data, len > 8 ? 8 : len);
	return val;
}

void hx_mmio_set(struct kvm_run *run, u64 val)
{
	memcpy(run->mmio.data, &val, sizeof(val));
}

static const char *const hx_exit_names[] = {
	[KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "KVM_EXIT_EXCEPTION",
	[KVM_EXIT_HYPERCALL] = "KVM_EXIT_HYPERCALL",
	[KVM_EXIT_DEBUG] = "KVM_EXIT_DEBUG",
	[KVM_EXIT_MMIO] = "KVM_EXIT_MMIO",
	[KVM_EXIT_SHUTDOWN] = "KVM_EXIT_SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY",
	[KVM_EXIT_INTR] = "KVM_EXIT_INTR",
	[KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR",
	[KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT",
	[KVM_EXIT_ARM_NISV] = "KVM_EXIT_ARM_NISV",
};

const char *hx_exit_name(u32 reason)
{
	static char buf[32];

	if (reason < ARRAY_SIZE(hx_exit_names) && hx_exit_names[reason])
		return hx_exit_names[reason];
	snprintf(buf, sizeof(buf), "exit reason %u", reason);
	return buf;
}

/* An MMIO exit on the harness page: 1 = stop, 0 = run on. */
static int hx_harness_mmio(struct hx_vcpu *v, struct hx_stop *st)
{
	struct kvm_run *run = v->run;
	u64 off = run->mmio.phys_addr - HX_MMIO_BASE;
	u64 val = hx_mmio_data(run);

	if (!run->mmio.is_write || run->mmio.len != 8) {
		/* Not a harness access: a guest bug; report it. */
		st->kind = HX_STOP_EXIT;
		return 1;
	}
	switch (off) {
	case HX_MMIO_DONE:
		st->kind = HX_STOP_DONE;
		st->code = val;
		return 1;
	case HX_MMIO_FAIL:
		st->kind = HX_STOP_FAIL;
		st->code = val;
		return 1;
	case HX_MMIO_VALUE:
		v->values[0] = v->values[1];
		v->values[1] = val;
		v->nvalues++;
		return 0;
	case HX_MMIO_EXC_ESR:
		v->exc_esr = val;
		return 0;
	case HX_MMIO_EXC_ELR:
		v->exc_elr = val;
		return 0;
	case HX_MMIO_EXC_FAR:
		v->exc_far = val;
		return 0;
	case HX_MMIO_EXC_VEC:
		st->kind = HX_STOP_EXC;
		st->code = val;
		return 1;
	default:
		st->kind = HX_STOP_EXIT;
		return 1;
	}
}

void hx_run(struct hx_vcpu *v, hx_exit_fn fn, void *ctx, struct hx_stop *st)
{
	struct kvm_run *run = v->run;
	long ret;

	memset(st, 0, sizeof(*st));
	__atomic_store_n(&hx_alarm_fired, 0, __ATOMIC_RELAXED);
	alarm(hx_timeout);
	for (;;) {
		ret = hx_vcpu_run_once(v);
		if (ret < 0) {
			if (errno == EINTR && !hx_alarm_seen()) {
				v->spurious_eintr++;
				continue;
			}
			st->kind = hx_alarm_seen() ? HX_STOP_TIMEOUT :
				   HX_STOP_ERRNO;
			st->err = errno;
			break;
		}
		if (run->exit_reason == KVM_EXIT_MMIO &&
		    run->mmio.phys_addr >= HX_MMIO_BASE &&
		    run->mmio.phys_addr < HX_MMIO_BASE + HX_MMIO_PAGE) {
			if (hx_harness_mmio(v, st))
				break;
			continue;
		}
		if (fn) {
			ret = fn(v, run, ctx);
			if (ret == HX_CONTINUE)
				continue;
			st->kind = HX_STOP_USER;
			st->code = ret;
			break;
		}
		st->kind = HX_STOP_EXIT;
		break;
	}
	alarm(0);
}

const char *hx_stop_str(const struct hx_vcpu *v, const struct hx_stop *st,
			char *buf, size_t len)
{
	const struct kvm_run *run = v->run;

	switch (st->kind) {
	case HX_STOP_DONE:
		snprintf(buf, len, "guest done (0x%llx)",
			 (unsigned long long)st->code);
		break;
	case HX_STOP_FAIL:
		snprintf(buf, len,
			 "guest check %llu failed (last reported values: 0x%llx, 0x%llx)",
			 (unsigned long long)st->code,
			 (unsigned long long)v->values[0],
			 (unsigned long long)v->values[1]);
		break;
	case HX_STOP_EXC:
		snprintf(buf, len,
			 "unexpected guest exception: vector +0x%llx ESR_EL1 0x%llx (EC 0x%llx) ELR_EL1 0x%llx FAR_EL1 0x%llx",
			 (unsigned long long)st->code,
			 (unsigned long long)v->exc_esr,
			 (unsigned long long)HX_ESR_EC(v->exc_esr),
			 (unsigned long long)v->exc_elr,
			 (unsigned long long)v->exc_far);
		break;
	case HX_STOP_USER:
		snprintf(buf, len, "stopped by the test (%lld)",
			 (long long)st->code);
		break;
	case HX_STOP_EXIT:
		if (run->exit_reason == KVM_EXIT_MMIO)
			snprintf(buf, len,
				 "unexpected KVM_EXIT_MMIO: %s of %u bytes at 0x%llx, data 0x%llx",
				 run->mmio.is_write ? "write" : "read",
				 run->mmio.len,
				 (unsigned long long)run->mmio.phys_addr,
				 (unsigned long long)hx_mmio_data(run));
		else
			snprintf(buf, len, "unexpected %s",
				 hx_exit_name(run->exit_reason));
		break;
	case HX_STOP_ERRNO:
		snprintf(buf, len, "KVM_RUN failed: %s (exit_reason %s)",
			 hx_errno_name(st->err),
			 hx_exit_name(run->exit_reason));
		break;
	case HX_STOP_TIMEOUT:
		snprintf(buf, len, "timeout: the guest ran for %u s", hx_timeout);
		break;
	}
	return buf;
}

bool hx_check_done(const struct hx_vcpu *v, const struct hx_stop *st,
		   const char *fmt, ...)
{
	bool ok = st->kind == HX_STOP_DONE && st->code == 0;
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	tap_vline(ok, fmt, ap);
	va_end(ap);
	if (!ok)
		tap_diag("expected the guest to finish, got: %s",
			 hx_stop_str(v, st, buf, sizeof(buf)));
	return ok;
}

u64 hx_rand(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
