// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_s1mmu: guests with their stage-1 MMU on, and a reset after a run.
 *
 * Two VMs run the same code with the same page tables: the same VA
 * (WIN_VA), the same ASID and non-global pages, but each VM's tables sit
 * in its own RAM and map WIN_VA to a page holding that VM's signature.
 * The host runs them interleaved on one CPU; every read must give the
 * VM's own page. The tables are never touched by the guest before its
 * MMU walks them, so its first walk faults at stage 2 with ESR.S1PTW
 * (HPFAR valid, never the AT path, also on Cortex-A57 #834220).
 * Each guest then:
 *   - drops to EL0 (ERET with SPSR = EL0t), reads WIN_VA, makes an MMIO
 *     store from EL0, takes a stage-1 permission fault on an EL1-only page
 *     to its own EL1, and comes back with an SVC;
 *   - reads, then writes a read-only memory slot through a VA that is not
 *     its IPA: the write is a stage-2 permission fault, for which HPFAR is
 *     not valid, so EL2 must translate FAR with AT S1E1R; the MMIO exit
 *     must name the IPA, not the VA.
 * Two vCPUs of one VM do the same with their own tables (same VA, same
 * ASID, same VMID: only the last-vCPU-ran flush keeps one from using the
 * other's TLB entries on a CPU they share), each thread moving to another
 * CPU after every report.
 * Reset: a vCPU that ran with its MMU on, re-initialised with
 * KVM_ARM_VCPU_INIT, starts with it off; code the VMM rewrites after the
 * reset is what runs.
 * Outside memory, as KVM 6.1's kvm_handle_guest_abort(): a load whose
 * stage-1 walk reads a table at an IPA no memslot backs, and an
 * instruction fetch from such an IPA, get a synchronous external abort
 * (data, prefetch) at their address.
 * QEMU drops its TLB at every world switch, so the TLB side of these can
 * only fail on real CPUs (make hwtest); the world switch of EL0 state,
 * the stage-1 registers and the S1PTW/AT fault paths fail anywhere.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "harness.h"

#define IO		0x12000000	/* [x21]: a report, stops the run */
#define WIN_VA		0x60000000	/* the same VA in both VMs */
#define RO_VA		0x62000000	/* -> RO_IPA: VA != IPA */
#define RO_SLOT		0x50000000
#define RO_SIZE		0x10000
#define RO_IPA		(RO_SLOT + 0x3000)
#define RO_DATA		0x524f534c4f544f4b	/* "ROSLOTOK" */
#define PTW_VA		0x64000000	/* its L3 table is at NOMEM_IPA */
#define NOMEM_IPA	0x30000000	/* no memslot, not the harness page */
/* One set of tables per vCPU: L1, L2, L3 (RAM), L3 (WIN_VA), L2 (IO), L3 (RO) */
#define TBL(n)		(HX_RAM_BASE + 0x180000 + (n) * 0x8000)
#define TBL_END		TBL(2)
#define L1_PA(t)	((t) + 0x0000)
#define L2_PA(t)	((t) + 0x1000)
#define L3_RAM_PA(t)	((t) + 0x2000)
#define L3_WIN_PA(t)	((t) + 0x3000)
#define L2_IO_PA(t)	((t) + 0x4000)
#define L3_RO_PA(t)	((t) + 0x5000)
#define WIN_PA(n)	(HX_RAM_BASE + 0x1c0000 + (n) * 0x1000)
#define EL0_STACK(n)	(HX_RAM_BASE + 0x1d0000 + (n) * 0x1000)
#define EL1_STACK_TOP(n) (HX_STACK_TOP - (n) * 0x4000)
#define ASID		5ULL
#define ROUNDS		8
#define BOUNCE_ROUNDS	64
#define MAX_ROUNDS	BOUNCE_ROUNDS
#define SIG_A		0x564d414141414141	/* "VMAAAAAA" */
#define SIG_B		0x564d424242424242	/* "VMBBBBBB" */
#define SIG_0		0x5643505530303030	/* "VCPU0000" */
#define SIG_1		0x5643505531313131	/* "VCPU1111" */
/* SCTLR_EL1 after KVM_ARM_VCPU_INIT: RES1 bits, MMU and caches off. */
#define SCTLR_M		1ULL

/* Stage-1 descriptors, 4 KiB granule (ARM ARM D5.3). */
#define D_TABLE		3ULL
#define D_PAGE		3ULL
#define D_BLOCK		1ULL
#define D_AF		(1ULL << 10)
#define D_SH_INNER	(3ULL << 8)
#define D_NG		(1ULL << 11)
#define D_AP_EL1	(0ULL << 6)	/* EL1 RW, EL0 none */
#define D_AP_ALL	(1ULL << 6)	/* EL1 RW, EL0 RW */
#define D_AP_RO_ALL	(3ULL << 6)	/* EL1 RO, EL0 RO */
#define D_PXN		(1ULL << 53)
#define D_UXN		(1ULL << 54)
#define D_ATTR(n)	((u64)(n) << 2)	/* MAIR index */
#define D_NORMAL	(D_AF | D_SH_INNER | D_NG | D_ATTR(0))
#define D_DEVICE	(D_AF | D_ATTR(1) | D_PXN | D_UXN)

/* T0SZ 25 (39-bit VA, level-1 start), WBWA inner shareable walks, no
 * TTBR1 walks (EPD1), 40-bit IPS. MAIR: 0 normal WBWA, 1 Device-nGnRnE.
 */
#define TCR_VAL		(25ULL | 1ULL << 8 | 1ULL << 10 | 3ULL << 12 | \
			 1ULL << 23 | 2ULL << 32)
#define MAIR_VAL	0xffULL

/* x1 TCR, x2 MAIR, x3 TTBR0, x4 rounds, x5 EL0 stack top, x22 EL1-only VA */
asm(HX_GUEST_BEGIN
"	.globl	s1_main\n"
"s1_main:\n"
"	msr	mair_el1, x2\n"
"	msr	tcr_el1, x1\n"
"	msr	ttbr0_el1, x3\n"
"	isb\n"
"	adr	x9, s1_vectors\n"
"	msr	vbar_el1, x9\n"
"	mrs	x9, sctlr_el1\n"
"	mov	x10, #0x1005\n"			/* M, C, I */
"	orr	x9, x9, x10\n"
"	msr	sctlr_el1, x9\n"
"	isb\n"
"	ldr	x20, =" HX_XSTR(WIN_VA) "\n"
"	ldr	x21, =" HX_XSTR(IO) "\n"
"	mov	x11, #0\n"
"1:	ldr	x12, [x20]\n"
"	str	x12, [x21]\n"
"	str	x11, [x20, #8]\n"
"	add	x11, x11, #1\n"
"	cmp	x11, x4\n"
"	b.lo	1b\n"
/* to EL0, interrupts masked, on its own stack */
"	mov	x23, #0\n"
"	adr	x9, s1_el0\n"
"	msr	elr_el1, x9\n"
"	mov	x9, #0x3c0\n"
"	msr	spsr_el1, x9\n"
"	msr	sp_el0, x5\n"
"	eret\n"
"	.globl	s1_after_el0\n"
"s1_after_el0:\n"
"	hx_check_eq x23, 1, 3\n"
"	ldr	x24, =" HX_XSTR(RO_VA) "\n"
"	ldr	x12, [x24]\n"
"	str	x12, [x21]\n"
"	str	x24, [x24, #0x18]\n"
"	mrs	x9, sctlr_el1\n"
"	and	x9, x9, #1\n"
"	hx_check_eq x9, 1, 4\n"
"	hx_done\n"
"	hx_pool\n"
"\n"
"s1_el0:\n"
"	ldr	x0, [x20]\n"
"	str	x0, [x21]\n"
"	ldr	x1, [x22]\n"			/* EL1-only: permission fault */
"	svc	#0x55\n"
"	b	.\n"
"\n"
"	.globl	s1_patch\n"
"s1_patch:\n"
"	movz	x0, #1\n"
"	ldr	x21, =" HX_XSTR(IO) "\n"
"	str	x0, [x21]\n"
"	mrs	x9, sctlr_el1\n"
"	and	x9, x9, #1\n"
"	hx_check_eq x9, 0, 5\n"
"	hx_done\n"
"	hx_pool\n"
"\n"
"	.balign	0x800\n"
"s1_vectors:\n"
"	.irp	slot, 0, 1, 2, 3, 4, 5, 6, 7\n"
"	.balign	0x80\n"
"	mov	x9, #\\slot\n"
"	b	s1_unexpected\n"
"	.endr\n"
"	.balign	0x80\n"
"	b	s1_el0_sync\n"			/* sync, lower EL, AArch64 */
"	.irp	slot, 9, 10, 11, 12, 13, 14, 15\n"
"	.balign	0x80\n"
"	mov	x9, #\\slot\n"
"	b	s1_unexpected\n"
"	.endr\n"
"s1_el0_sync:\n"
"	mrs	x10, esr_el1\n"
"	lsr	x11, x10, #26\n"
"	cmp	x11, #0x24\n"			/* data abort from EL0 */
"	b.ne	2f\n"
"	and	x12, x10, #0x3c\n"
"	cmp	x12, #0x0c\n"			/* permission fault */
"	b.ne	s1_unexpected_esr\n"
"	mov	x23, #1\n"
"	mrs	x12, elr_el1\n"
"	add	x12, x12, #4\n"
"	msr	elr_el1, x12\n"
"	eret\n"
"2:	cmp	x11, #0x15\n"			/* SVC from EL0 */
"	b.ne	s1_unexpected_esr\n"
"	b	s1_after_el0\n"
"s1_unexpected:\n"
"	hx_value x9\n"
"	mrs	x10, esr_el1\n"
"s1_unexpected_esr:\n"
"	hx_value x10\n"
"	hx_fail	9\n"
"\n"
/* x1 TCR, x2 MAIR, x3 TTBR0: MMU on, then a load whose walk leaves memory */
"	.globl	s1_ptw\n"
"s1_ptw:\n"
"	msr	mair_el1, x2\n"
"	msr	tcr_el1, x1\n"
"	msr	ttbr0_el1, x3\n"
"	isb\n"
"	adr	x9, s1_ptw_vectors\n"
"	msr	vbar_el1, x9\n"
"	mrs	x9, sctlr_el1\n"
"	mov	x10, #0x1005\n"
"	orr	x9, x9, x10\n"
"	msr	sctlr_el1, x9\n"
"	isb\n"
"	ldr	x20, =" HX_XSTR(PTW_VA) "\n"
"	ldr	x21, =" HX_XSTR(IO) "\n"
"	ldr	x12, [x20]\n"
"	hx_fail	10\n"
"	hx_pool\n"
"\n"
"	.balign	0x800\n"
"s1_ptw_vectors:\n"
"	.irp	slot, 0, 1, 2, 3\n"
"	.balign	0x80\n"
"	mov	x9, #\\slot\n"
"	b	s1_unexpected\n"
"	.endr\n"
"	.balign	0x80\n"
"	mrs	x10, esr_el1\n"		/* sync, current EL, SP_ELx */
"	str	x10, [x21]\n"
"	mrs	x10, far_el1\n"
"	str	x10, [x21]\n"
"	hx_done\n"
"	.irp	slot, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15\n"
"	.balign	0x80\n"
"	mov	x9, #\\slot\n"
"	b	s1_unexpected\n"
"	.endr\n"
"\n"
/* MMU off: a branch to an IPA that is not memory */
"	.globl	s1_fetch\n"
"s1_fetch:\n"
"	ldr	x9, =" HX_XSTR(NOMEM_IPA) "\n"
"	br	x9\n"
"	hx_pool\n"
HX_GUEST_END);

HX_GUEST_SYM(s1_main);
HX_GUEST_SYM(s1_patch);
HX_GUEST_SYM(s1_ptw);
HX_GUEST_SYM(s1_fetch);

/* One vCPU with its own page tables (in its VM's RAM) and window page. */
struct s1_guest {
	const char *name;
	u64 sig;
	int n;				/* which tables, window and stacks */
	struct hx_vm *vm;
	void *ro;
	struct hx_vcpu v;
	u64 vals[MAX_ROUNDS + 2];
	unsigned int nvals, rounds;
	u64 ro_write_addr;
	bool done;
	struct hx_stop st;
	int ncpu;			/* bounce: CPUs to move over, or 0 */
};

static void put(struct hx_vm *vm, u64 pa, u64 desc)
{
	*(u64 *)hx_gpa_to_hva(vm, pa) = desc;
}

static u64 ram_attr(u64 pa)
{
	if (pa < HX_DATA)
		return D_AP_RO_ALL;		/* code: EL0 and EL1 run it */
	if (pa < TBL(0) || (pa >= WIN_PA(0) && pa <= WIN_PA(1)) ||
	    (pa >= EL0_STACK(0) && pa <= EL0_STACK(1)))
		return D_AP_ALL | D_PXN | D_UXN;
	return D_AP_EL1 | D_PXN | D_UXN;	/* tables, EL1 stacks */
}

/* Tables at t: RAM identity mapped, WIN_VA -> win, RO_VA -> RO_IPA. */
static void build_tables(struct hx_vm *vm, u64 t, u64 win)
{
	u64 i, pa;

	put(vm, L1_PA(t) + 0 * 8, L2_IO_PA(t) | D_TABLE);
	put(vm, L1_PA(t) + 1 * 8, L2_PA(t) | D_TABLE);
	/* harness page and IO: 2 MiB device blocks, EL0 may write IO */
	put(vm, L2_IO_PA(t) + (HX_MMIO_BASE >> 21) * 8,
	    HX_MMIO_BASE | D_DEVICE | D_AP_EL1 | D_BLOCK);
	put(vm, L2_IO_PA(t) + (IO >> 21) * 8,
	    IO | D_DEVICE | D_AP_ALL | D_BLOCK);
	put(vm, L2_PA(t) + 0 * 8, L3_RAM_PA(t) | D_TABLE);
	for (i = 0; i < HX_RAM_SIZE >> 12; i++) {
		pa = HX_RAM_BASE + (i << 12);
		put(vm, L3_RAM_PA(t) + i * 8,
		    pa | D_NORMAL | ram_attr(pa) | D_PAGE);
	}
	put(vm, L2_PA(t) + ((WIN_VA - HX_RAM_BASE) >> 21) * 8,
	    L3_WIN_PA(t) | D_TABLE);
	put(vm, L3_WIN_PA(t), win | D_NORMAL | D_AP_ALL | D_PXN | D_UXN |
			      D_PAGE);
	put(vm, L2_PA(t) + ((RO_VA - HX_RAM_BASE) >> 21) * 8,
	    L3_RO_PA(t) | D_TABLE);
	put(vm, L3_RO_PA(t), RO_IPA | D_NORMAL | D_AP_EL1 | D_PXN | D_UXN |
			     D_PAGE);
	put(vm, L2_PA(t) + ((PTW_VA - HX_RAM_BASE) >> 21) * 8,
	    NOMEM_IPA | D_TABLE);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static long s1_exit(struct hx_vcpu *v __maybe_unused, struct kvm_run *run,
		    void *p)
{
	struct s1_guest *g = p;

	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write)
		return -2;
	if (run->mmio.phys_addr == IO) {
		if (g->nvals < ARRAY_SIZE(g->vals))
			g->vals[g->nvals] = hx_mmio_data(run);
		g->nvals++;
		if (g->ncpu)
			pin((g->nvals + g->n) % g->ncpu);
		return g->ncpu ? HX_CONTINUE : 1;
	}
	if (run->mmio.phys_addr >= RO_SLOT &&
	    run->mmio.phys_addr < RO_SLOT + RO_SIZE) {
		g->ro_write_addr = run->mmio.phys_addr;
		return HX_CONTINUE;
	}
	return -3;
}

/* A VM with the RO slot; *ro: its host mapping. */
static int s1_vm_setup(struct hx_vm *vm, void **ro)
{
	struct kvm_userspace_memory_region r = {
		.slot = 1, .guest_phys_addr = RO_SLOT,
	};

	if (hx_vm_create(vm) || hx_vm_add_mem(vm, 1, RO_SLOT, RO_SIZE, 0, ro))
		return -1;
	*(u64 *)((char *)*ro + (RO_IPA - RO_SLOT)) = RO_DATA;
	/* Read-only from now on: delete it and add it back with the flag. */
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r))
		return -1;
	r.flags = KVM_MEM_READONLY;
	r.memory_size = RO_SIZE;
	r.userspace_addr = (uintptr_t)*ro;
	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);
}

static int s1_vcpu_setup(struct s1_guest *g)
{
	u64 t = TBL(g->n);

	build_tables(g->vm, t, WIN_PA(g->n));
	*(u64 *)hx_gpa_to_hva(g->vm, WIN_PA(g->n)) = g->sig;
	if (hx_vcpu_create(g->vm, &g->v, g->n) || hx_vcpu_start(&g->v, s1_main) ||
	    hx_set_reg(&g->v, HX_REG_SP_EL1, EL1_STACK_TOP(g->n)) ||
	    hx_set_reg(&g->v, HX_REG_X(1), TCR_VAL) ||
	    hx_set_reg(&g->v, HX_REG_X(2), MAIR_VAL) ||
	    hx_set_reg(&g->v, HX_REG_X(3), L1_PA(t) | ASID << 48) ||
	    hx_set_reg(&g->v, HX_REG_X(4), g->rounds) ||
	    hx_set_reg(&g->v, HX_REG_X(5), EL0_STACK(g->n) + 0x1000) ||
	    hx_set_reg(&g->v, HX_REG_X(22), L1_PA(t)))
		return -1;
	return 0;
}

static void s1_check(struct s1_guest *g)
{
	char buf[256];
	unsigned int i;
	u64 last;

	hx_check_done(&g->v, &g->st, "%s: guest with its MMU on finished (%s)",
		      g->name, hx_stop_str(&g->v, &g->st, buf, sizeof(buf)));
	tap_check_eq(g->rounds + 2, g->nvals, "%s: reports", g->name);
	for (i = 0; i < g->rounds && i < g->nvals; i++)
		if (!tap_check_eq(g->sig, g->vals[i],
				  "%s round %u: VA 0x%x, ASID %llu reads its own page",
				  g->name, i, WIN_VA, ASID))
			break;
	if (i == g->rounds)
		tap_check(true, "%s: %u rounds, each read its own page at VA 0x%x (%s)",
			  g->name, g->rounds, WIN_VA,
			  g->ncpu ? "moving between CPUs" :
			  "interleaved with the other VM on one CPU");
	tap_check_eq(g->sig, g->vals[g->rounds],
		     "%s: EL0 reads its own page through the same VA and reports by MMIO",
		     g->name);
	tap_check_eq(RO_DATA, g->vals[g->rounds + 1],
		     "%s: read of a read-only slot through VA 0x%x", g->name,
		     RO_VA);
	tap_check_eq(RO_IPA + 0x18, g->ro_write_addr,
		     "%s: write to it (stage-2 permission fault) exits as MMIO at the IPA from AT, not the VA 0x%x",
		     g->name, RO_VA + 0x18);
	last = *(u64 *)hx_gpa_to_hva(g->vm, WIN_PA(g->n) + 8);
	tap_check_eq(g->rounds - 1, last,
		     "%s: its writes through VA 0x%x landed in its own page",
		     g->name, WIN_VA);
}

/*
 * The run ended at an MMIO exit (hx_done): complete it first, as KVM's
 * selftests do with immediate_exit, or KVM completes it on the first run
 * after the re-init and steps the new PC past an instruction.
 */
static int vcpu_reinit(struct hx_vcpu *v)
{
	struct kvm_vcpu_init init;

	v->run->immediate_exit = 1;
	ioctl(v->fd, KVM_RUN, 0);
	v->run->immediate_exit = 0;
	if (ioctl(v->vm->fd, KVM_ARM_PREFERRED_TARGET, &init))
		return -1;
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	return ioctl(v->fd, KVM_ARM_VCPU_INIT, &init);
}

/* Runs s1_patch once; returns the value it reported, or ~0. */
static u64 run_patch(struct s1_guest *g, const char *what)
{
	char buf[256];

	g->nvals = 0;
	if (vcpu_reinit(&g->v) || hx_vcpu_start(&g->v, s1_patch)) {
		tap_check(false, "%s: KVM_ARM_VCPU_INIT again (%s)", what,
			  hx_errno_name(errno));
		return ~0ULL;
	}
	hx_run(&g->v, s1_exit, g, &g->st);
	if (g->st.kind == HX_STOP_USER)
		hx_run(&g->v, s1_exit, g, &g->st);
	hx_check_done(&g->v, &g->st, "%s: the guest ran with its MMU off (%s)",
		      what, hx_stop_str(&g->v, &g->st, buf, sizeof(buf)));
	return g->nvals ? g->vals[0] : ~0ULL;
}

static void test_reset(struct s1_guest *g)
{
	u32 *insn = hx_gpa_to_hva(g->vm, hx_gpa(s1_patch));
	u64 sctlr = ~0ULL, pc = ~0ULL;

	if (vcpu_reinit(&g->v)) {
		tap_check(false, "reset: KVM_ARM_VCPU_INIT after a run (%s)",
			  hx_errno_name(errno));
		return;
	}
	hx_get_reg(&g->v, HX_SYSREG(3, 0, 1, 0, 0), &sctlr);
	hx_get_reg(&g->v, HX_REG_PC, &pc);
	tap_check_eq(0, sctlr & SCTLR_M,
		     "reset: SCTLR_EL1.M after KVM_ARM_VCPU_INIT (SCTLR_EL1 0x%llx)",
		     (unsigned long long)sctlr);
	tap_check_eq(0, pc, "reset: PC after KVM_ARM_VCPU_INIT");
	tap_check_eq(1, run_patch(g, "reset 1"), "reset 1: the code ran");
	/* movz x0, #2: code the VMM rewrote after the vCPU ran it */
	*insn = 0xd2800000 | 2 << 5;
	tap_check_eq(2, run_patch(g, "reset 2"),
		     "reset 2: code rewritten by the VMM after a run is what runs");
}

/* Two VMs, same VA and ASID, interleaved on one CPU; then a reset. */
static void test_two_vms(void)
{
	struct hx_vm vm[2];
	struct s1_guest g[2] = {
		{ .name = "VM A", .sig = SIG_A, .rounds = ROUNDS },
		{ .name = "VM B", .sig = SIG_B, .rounds = ROUNDS },
	};
	bool running;
	int i;

	pin(0);
	for (i = 0; i < 2; i++) {
		g[i].vm = &vm[i];
		if (!tap_check(!s1_vm_setup(&vm[i], &g[i].ro) &&
			       !s1_vcpu_setup(&g[i]), "%s set up", g[i].name))
			return;
	}
	do {
		running = false;
		for (i = 0; i < 2; i++) {
			if (g[i].done)
				continue;
			hx_run(&g[i].v, s1_exit, &g[i], &g[i].st);
			if (g[i].st.kind == HX_STOP_USER && g[i].st.code == 1)
				running = true;
			else
				g[i].done = true;
		}
	} while (running);
	for (i = 0; i < 2; i++)
		s1_check(&g[i]);
	test_reset(&g[0]);
	for (i = 0; i < 2; i++) {
		hx_vcpu_destroy(&g[i].v);
		hx_vm_destroy(&vm[i]);
	}
}

static void *bounce_thread(void *p)
{
	struct s1_guest *g = p;

	pin(g->n % g->ncpu);
	hx_run(&g->v, s1_exit, g, &g->st);
	return NULL;
}

/* Two vCPUs of one VM, own tables, same VA/ASID/VMID, moving CPUs. */
static void test_bounce(int ncpu)
{
	struct s1_guest g[2] = {
		{ .name = "vCPU 0", .sig = SIG_0, .n = 0 },
		{ .name = "vCPU 1", .sig = SIG_1, .n = 1 },
	};
	pthread_t th[2];
	struct hx_vm vm;
	void *ro;
	int i;

	if (!tap_check(!s1_vm_setup(&vm, &ro), "bounce: VM set up"))
		return;
	for (i = 0; i < 2; i++) {
		g[i].vm = &vm;
		g[i].ro = ro;
		g[i].rounds = BOUNCE_ROUNDS;
		g[i].ncpu = ncpu;
		if (!tap_check(!s1_vcpu_setup(&g[i]), "%s set up", g[i].name))
			return;
	}
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, bounce_thread, &g[i]);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 2; i++) {
		s1_check(&g[i]);
		hx_vcpu_destroy(&g[i].v);
	}
	hx_vm_destroy(&vm);
}

/* Page tables and instructions at an IPA no memslot backs. */
static void test_outside_memory(void)
{
	struct s1_guest g = { .name = "outside memory", .n = 0 };
	u64 t = TBL(0), esr;
	struct hx_vm vm;
	char buf[256];
	void *ro;

	g.vm = &vm;
	if (!tap_check(!s1_vm_setup(&vm, &ro) &&
		       !hx_vcpu_create(&vm, &g.v, 0), "outside memory: set up"))
		return;
	build_tables(&vm, t, WIN_PA(0));
	g.ncpu = 1;	/* every report: run on */
	if (hx_vcpu_start(&g.v, s1_ptw) ||
	    hx_set_reg(&g.v, HX_REG_X(1), TCR_VAL) ||
	    hx_set_reg(&g.v, HX_REG_X(2), MAIR_VAL) ||
	    hx_set_reg(&g.v, HX_REG_X(3), L1_PA(t) | ASID << 48)) {
		tap_check(false, "outside memory: registers (%s)",
			  hx_errno_name(errno));
		goto out;
	}
	hx_run(&g.v, s1_exit, &g, &g.st);
	if (hx_check_done(&g.v, &g.st, "a load whose stage-1 walk reads IPA 0x%x (no memslot) ends in the guest's own handler (%s)",
			  NOMEM_IPA, hx_stop_str(&g.v, &g.st, buf, sizeof(buf))) &&
	    tap_check_eq(2, g.nvals, "outside memory: the handler's reports")) {
		esr = g.vals[0];
		tap_check_eq(0x25, HX_ESR_EC(esr),
			     "it is a data abort from EL1 (ESR 0x%llx)",
			     (unsigned long long)esr);
		tap_check_eq(0x10, esr & 0x3f,
			     "a synchronous external abort (ESR 0x%llx)",
			     (unsigned long long)esr);
		tap_check_eq(PTW_VA, g.vals[1], "FAR is the load's VA");
	}

	if (vcpu_reinit(&g.v) || hx_vcpu_start(&g.v, s1_fetch)) {
		tap_check(false, "outside memory: KVM_ARM_VCPU_INIT again (%s)",
			  hx_errno_name(errno));
		goto out;
	}
	hx_run(&g.v, s1_exit, &g, &g.st);
	if (tap_check(g.st.kind == HX_STOP_EXC,
		      "an instruction fetch from IPA 0x%x (no memslot) is an exception in the guest (%s)",
		      NOMEM_IPA, hx_stop_str(&g.v, &g.st, buf, sizeof(buf)))) {
		tap_check_eq(0x21, HX_ESR_EC(g.v.exc_esr),
			     "a prefetch abort from EL1 (ESR 0x%llx)",
			     (unsigned long long)g.v.exc_esr);
		tap_check_eq(0x10, g.v.exc_esr & 0x3f,
			     "a synchronous external abort (ESR 0x%llx)",
			     (unsigned long long)g.v.exc_esr);
		tap_check_eq(NOMEM_IPA, g.v.exc_far, "FAR is the fetch's address");
	}
out:
	hx_vcpu_destroy(&g.v);
	hx_vm_destroy(&vm);
}

int main(int argc, char **argv)
{
	long ncpu;

	hx_init(argc, argv, "kvm_s1mmu", NULL);
	test_two_vms();
	test_outside_memory();
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu >= 2)
		test_bounce(ncpu);
	else
		tap_skip("needs 2 CPUs", "two vCPUs of one VM moving between CPUs");
	return tap_done();
}
