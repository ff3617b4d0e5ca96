// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_memslot: memory slots changing under a running guest.
 *
 * The guest reads and writes a data slot while the host, between two of
 * its exits, moves the slot to another IPA, deletes it, and puts it back
 * read-only. After each change the guest must see the new layout, never
 * the old mapping: its old IPA exits as MMIO, its new IPA reaches the same
 * host memory, a deleted slot is MMIO, a read-only slot reads but its
 * writes exit as MMIO and leave the memory unchanged.
 *
 * A writable slot whose VMM mapping is read-only (PROT_READ): the guest
 * reads it, but its write must not reach the memory; KVM fails KVM_RUN
 * with EFAULT, and so must splitvisor.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "harness.h"

#define SLOT_A		0x50000000	/* the data slot's first IPA */
#define SLOT_B		0x58000000	/* where it moves to */
#define SLOT_SIZE	0x10000
#define STEP_IO		0x12000000	/* [x9]: a step done, value = x3 */
#define PATTERN		0x534c4f5444415441	/* "SLOTDATA" */
#define WRITTEN		0x5752495454454e21	/* "WRITTEN!" */
#define MMIO_VAL	0x4d4d494f4d4d494f	/* "MMIOMMIO" */

/* Each step reports x3 to [x9] once it is done. */
asm(HX_GUEST_BEGIN
"	.globl	slot_main\n"
"slot_main:\n"
"	ldr	x9, =" HX_XSTR(STEP_IO) "\n"
"	ldr	x1, =" HX_XSTR(SLOT_A) "\n"
"	ldr	x2, =" HX_XSTR(SLOT_B) "\n"
"	ldr	x4, =" HX_XSTR(WRITTEN) "\n"
"	ldr	x3, [x1]\n"		/* 0: slot at A */
"	str	x3, [x9]\n"
"	ldr	x3, [x1]\n"		/* 1: moved to B: A is MMIO */
"	str	x3, [x9]\n"
"	ldr	x3, [x2]\n"		/* 2: B is the slot */
"	str	x3, [x9]\n"
"	str	x4, [x2, #8]\n"		/* 3: a write through B */
"	mov	x3, x4\n"
"	str	x3, [x9]\n"
"	ldr	x3, [x2]\n"		/* 4: deleted: B is MMIO */
"	str	x3, [x9]\n"
"	ldr	x3, [x1]\n"		/* 5: back at A, read-only */
"	str	x3, [x9]\n"
"	str	x4, [x1, #16]\n"	/* 6: a write to it is MMIO */
"	mov	x3, x4\n"
"	str	x3, [x9]\n"
"	hx_done\n"
"	hx_pool\n"
HX_GUEST_END);

/* x1: an address in a slot the VMM maps read-only: read, then write. */
asm(HX_GUEST_BEGIN
"	.globl	ro_vma_main\n"
"ro_vma_main:\n"
"	ldr	x9, =" HX_XSTR(STEP_IO) "\n"
"	ldr	x3, [x1]\n"
"	str	x3, [x9]\n"
"	str	x9, [x1, #8]\n"
"	hx_done\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(slot_main);
HX_GUEST_SYM(ro_vma_main);

struct slot_test {
	struct hx_vm vm;
	u64 *mem;		/* the data slot's host memory */
	int step;		/* next step the guest reports */
	u64 reported[7];
	u64 mmio_addr[7];	/* MMIO exits of the guest's data accesses */
	bool mmio_write[7];
	int err;		/* an ioctl that failed: its errno */
};

static int set_slot(struct slot_test *t, u64 gpa, u64 size, u32 flags)
{
	struct kvm_userspace_memory_region r = {
		.slot = 1,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = size ? (uintptr_t)t->mem : 0,
	};

	if (ioctl(t->vm.fd, KVM_SET_USER_MEMORY_REGION, &r)) {
		t->err = errno;
		return -1;
	}
	return 0;
}

static long slot_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		      void *p)
{
	struct slot_test *t = p;

	if (run->exit_reason != KVM_EXIT_MMIO || t->step >= 7)
		return -2;
	if (run->mmio.phys_addr != STEP_IO) {
		/* A data access that is MMIO, in step t->step. */
		t->mmio_addr[t->step] = run->mmio.phys_addr;
		t->mmio_write[t->step] = run->mmio.is_write;
		if (!run->mmio.is_write)
			hx_mmio_set(run, MMIO_VAL);
		return HX_CONTINUE;
	}
	t->reported[t->step] = hx_mmio_data(run);
	switch (t->step++) {
	case 0:		/* move A -> B: same memory, same size */
		if (set_slot(t, SLOT_B, SLOT_SIZE, 0))
			return -3;
		break;
	case 3:		/* delete */
		if (set_slot(t, 0, 0, 0))
			return -3;
		break;
	case 4:		/* back at A, read-only */
		if (set_slot(t, SLOT_A, SLOT_SIZE, KVM_MEM_READONLY))
			return -3;
		break;
	}
	return HX_CONTINUE;
}

static long ro_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		    void *p)
{
	u64 *seen = p;

	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != STEP_IO)
		return -2;
	*seen = hx_mmio_data(run);
	return HX_CONTINUE;
}

static void read_only_vma(void)
{
	struct kvm_userspace_memory_region r = {
		.slot = 1, .guest_phys_addr = SLOT_A, .memory_size = SLOT_SIZE,
	};
	struct hx_vm vm;
	struct hx_vcpu v;
	struct hx_stop st;
	char buf[256];
	u64 *mem, seen = 0;

	mem = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || hx_vm_create(&vm)) {
		tap_check(false, "a VM and a mapping for the read-only VMA case");
		return;
	}
	mem[0] = PATTERN;
	mprotect(mem, SLOT_SIZE, PROT_READ);
	r.userspace_addr = (uintptr_t)mem;
	if (!tap_check(!ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION, &r),
		       "a writable slot over a PROT_READ mapping") ||
	    hx_vcpu_create(&vm, &v, 0) || hx_vcpu_start(&v, ro_vma_main) ||
	    hx_set_reg(&v, HX_REG_X(1), SLOT_A)) {
		hx_vm_destroy(&vm);
		munmap(mem, SLOT_SIZE);
		return;
	}
	hx_run(&v, ro_exit, &seen, &st);
	tap_check_eq(PATTERN, seen, "read-only VMA: the guest reads the memory");
	if (!tap_check(st.kind == HX_STOP_ERRNO && st.err == EFAULT,
		       "read-only VMA: a guest write fails KVM_RUN with EFAULT"))
		tap_diag("got: %s", hx_stop_str(&v, &st, buf, sizeof(buf)));
	tap_check_eq(0, mem[1], "read-only VMA: the memory is unchanged");
	hx_vcpu_destroy(&v);
	hx_vm_destroy(&vm);
	munmap(mem, SLOT_SIZE);
}

int main(int argc, char **argv)
{
	struct slot_test t = { 0 };
	struct hx_vcpu v;
	struct hx_stop st;
	char buf[256];
	void *mem;

	hx_init(argc, argv, "kvm_memslot", NULL);
	if (hx_vm_create(&t.vm) ||
	    hx_vm_add_mem(&t.vm, 1, SLOT_A, SLOT_SIZE, 0, &mem) ||
	    hx_vcpu_create(&t.vm, &v, 0) || hx_vcpu_start(&v, slot_main)) {
		tap_check(false, "a VM with a data slot at 0x%x", SLOT_A);
		return tap_done();
	}
	t.mem = mem;
	t.mem[0] = PATTERN;
	hx_run(&v, slot_exit, &t, &st);
	if (!hx_check_done(&v, &st, "the guest ran through all steps"))
		tap_diag("at step %d, errno %d (%s)", t.step, t.err,
			 hx_stop_str(&v, &st, buf, sizeof(buf)));

	tap_check_eq(PATTERN, t.reported[0], "the slot's memory at 0x%x", SLOT_A);
	tap_check_eq(SLOT_A, t.mmio_addr[1],
		     "moved away: its old IPA exits as MMIO, not the old mapping");
	tap_check_eq(MMIO_VAL, t.reported[1],
		     "moved away: the guest reads what the VMM answers");
	tap_check_eq(PATTERN, t.reported[2],
		     "moved: the same memory at 0x%x", SLOT_B);
	tap_check_eq(WRITTEN, t.mem[1],
		     "moved: a guest write lands in the slot's memory");
	tap_check_eq(0, t.mmio_addr[3], "moved: that write was no MMIO exit");
	tap_check_eq(SLOT_B, t.mmio_addr[4], "deleted: its IPA exits as MMIO");
	tap_check_eq(PATTERN, t.reported[5],
		     "read-only slot: the guest reads the memory");
	tap_check_eq(SLOT_A + 16, t.mmio_addr[6],
		     "read-only slot: a write exits as MMIO at its address");
	tap_check(t.mmio_write[6], "read-only slot: the exit is a write");
	tap_check_eq(0, t.mem[2], "read-only slot: the memory is unchanged");

	hx_vcpu_destroy(&v);
	hx_vm_destroy(&t.vm);
	read_only_vma();
	return tap_done();
}
