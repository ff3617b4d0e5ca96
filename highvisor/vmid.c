// SPDX-License-Identifier: GPL-2.0
/*
 * VMIDs: which stage-2 TLB entries belong to which VM. KVM 6.1's scheme
 * (arch/arm64/kvm/vmid.c, after the ASID allocator in arch/arm64/mm/
 * context.c): a VM's VMID carries the generation it was allocated in; a
 * CPU entering a guest publishes the VMID it runs with in active_vmids,
 * lock-free when the generation matches. A rollover, under a spinlock
 * taken only to allocate, keeps every VMID some CPU is running with
 * (reserved_vmids) and flushes all guests' TLB entries once. No lock is
 * held while a guest runs.
 */
#include "splitvisor.h"

#include <linux/bitmap.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "hyp_ops.h"
#include "vm.h"

#define SV_VMID_ACTIVE_INVALID	SV_VMID_FIRST_GEN

static DEFINE_RAW_SPINLOCK(sv_vmid_lock);
atomic64_t sv_vmid_generation = ATOMIC64_INIT(SV_VMID_FIRST_GEN);
static unsigned long *sv_vmid_map;
static DEFINE_PER_CPU(atomic64_t, sv_active_vmids);
static DEFINE_PER_CPU(u64, sv_reserved_vmids);
static u64 sv_vmid_rollovers;
/*
 * A rollover whose broadcast flush failed: no VMID may be handed out
 * again until a flush succeeds, or a new VM could hit an old one's
 * translations.
 */
static bool sv_vmid_flush_pending;

/* Under sv_vmid_lock: a new generation; keep what CPUs are running. */
static void sv_vmid_flush_context(void)
{
	unsigned int cpu;
	u64 vmid;

	bitmap_zero(sv_vmid_map, SV_NR_VMIDS);
	for_each_possible_cpu(cpu) {
		vmid = atomic64_xchg_relaxed(&per_cpu(sv_active_vmids, cpu), 0);
		/* A CPU that rolled over twice without running keeps its. */
		if (!vmid)
			vmid = per_cpu(sv_reserved_vmids, cpu);
		__set_bit(sv_vmid_idx(vmid), sv_vmid_map);
		per_cpu(sv_reserved_vmids, cpu) = vmid;
	}
	/* VMID 0 is the host's: never a guest's. */
	__set_bit(0, sv_vmid_map);
	sv_vmid_rollovers++;
	/*
	 * As KVM: rollovers are rare, so one broadcast invalidation now
	 * rather than a per-CPU flush-pending mask.
	 */
	sv_vmid_flush_pending = sv_hyp->flush_guests() != 0;
	if (sv_vmid_flush_pending)
		pr_err("VMID rollover: guest TLB flush failed; no VMID is reused until one succeeds\n");
}

static bool sv_vmid_check_update_reserved(u64 vmid, u64 newvmid)
{
	unsigned int cpu;
	bool hit = false;

	for_each_possible_cpu(cpu) {
		if (per_cpu(sv_reserved_vmids, cpu) == vmid) {
			hit = true;
			per_cpu(sv_reserved_vmids, cpu) = newvmid;
		}
	}
	return hit;
}

/* Under sv_vmid_lock. Returns 0 if no VMID can be given out now. */
static u64 sv_vmid_new(struct sv_vm *vm)
{
	static u32 cur_idx = 1;
	u64 vmid = atomic64_read(&vm->vmid);
	u64 gen = atomic64_read(&sv_vmid_generation);
	u64 newvmid;

	if (sv_vmid_flush_pending) {
		sv_vmid_flush_pending = sv_hyp->flush_guests() != 0;
		if (sv_vmid_flush_pending)
			return 0;
	}
	if (vmid) {
		newvmid = gen | sv_vmid_idx(vmid);
		/* Running somewhere across the rollover: keep it. */
		if (sv_vmid_check_update_reserved(vmid, newvmid) ||
		    !__test_and_set_bit(sv_vmid_idx(vmid), sv_vmid_map)) {
			atomic64_set(&vm->vmid, newvmid);
			return newvmid;
		}
	}
	vmid = find_next_zero_bit(sv_vmid_map, SV_NR_VMIDS, cur_idx);
	if (vmid == SV_NR_VMIDS) {
		gen = atomic64_add_return_relaxed(SV_VMID_FIRST_GEN,
						  &sv_vmid_generation);
		sv_vmid_flush_context();
		if (sv_vmid_flush_pending)
			return 0;
		/* More VMIDs than CPUs: there is always one now. */
		vmid = find_next_zero_bit(sv_vmid_map, SV_NR_VMIDS, 1);
	}
	__set_bit(vmid, sv_vmid_map);
	cur_idx = vmid;
	vmid |= gen;
	atomic64_set(&vm->vmid, vmid);
	return vmid;
}

/*
 * Before entering a guest, interrupts off: make vm's VMID current and
 * publish it as this CPU's active one. -EAGAIN: none can be had now.
 */
int sv_vmid_update(struct sv_vm *vm)
{
	u64 vmid = atomic64_read(&vm->vmid), old;
	unsigned long flags;

	/*
	 * Lock-free fast path, as check_and_switch_context(): a concurrent
	 * rollover sets active_vmids to 0, which the cmpxchg then sees.
	 * active_vmids is ACTIVE_INVALID (not 0) outside a guest, so that
	 * rollovers need not reserve VMIDs for idle CPUs.
	 */
	old = atomic64_read(this_cpu_ptr(&sv_active_vmids));
	if (old && sv_vmid_gen_match(vmid) &&
	    atomic64_cmpxchg_relaxed(this_cpu_ptr(&sv_active_vmids), old,
				     vmid))
		return 0;

	raw_spin_lock_irqsave(&sv_vmid_lock, flags);
	vmid = atomic64_read(&vm->vmid);
	if (!sv_vmid_gen_match(vmid))
		vmid = sv_vmid_new(vm);
	if (vmid)
		atomic64_set(this_cpu_ptr(&sv_active_vmids), vmid);
	raw_spin_unlock_irqrestore(&sv_vmid_lock, flags);
	return vmid ? 0 : -EAGAIN;
}

/* vcpu_put: this CPU runs no guest, so a rollover need not keep its VMID. */
void sv_vmid_clear_active(void)
{
	atomic64_set(this_cpu_ptr(&sv_active_vmids), SV_VMID_ACTIVE_INVALID);
}

/*
 * Drop every TLB entry tagged with the VM's VMID, on all CPUs. A VMID of
 * an old generation has none left (the rollover flushed them), and
 * flushing one now given to another VM costs that VM only time.
 */
static int sv_vm_flush_tlb_ret(struct sv_vm *vm)
{
	int ret;

	if (!atomic64_read(&vm->vmid))
		return 0;	/* never ran */
	ret = sv_hyp->flush_vmid(sv_vm_vttbr(vm));
	if (ret)
		pr_err("VM %llu: TLB flush for VMID %llu failed\n", vm->id,
		       sv_vmid_idx(atomic64_read(&vm->vmid)));
	return ret;
}

void sv_vm_flush_tlb(struct sv_vm *vm)
{
	sv_vm_flush_tlb_ret(vm);
}

/* The same for a few pages from ipa on (at most 512: SV_HC_FLUSH_IPA). */
void sv_vm_flush_tlb_ipa(struct sv_vm *vm, sv_ipa_t ipa, u64 pages)
{
	if (!atomic64_read(&vm->vmid))
		return;	/* never ran */
	if (sv_hyp->flush_ipa(sv_vm_vttbr(vm), ipa.ipa, pages))
		pr_err("VM %llu: TLB flush of IPA 0x%llx for VMID %llu failed\n",
		       vm->id, ipa.ipa, sv_vmid_idx(atomic64_read(&vm->vmid)));
}

/*
 * A VM goes (no vCPU left, so no CPU has its VMID active). Its VMID may
 * go back to the pool before the next rollover only once no TLB holds an
 * entry for it: after a successful broadcast flush, and unless a
 * rollover reserved it for a CPU (then the next rollover frees it).
 */
void sv_vmid_free(struct sv_vm *vm)
{
	u64 vmid = atomic64_read(&vm->vmid);
	unsigned long flags;
	unsigned int cpu;

	if (sv_vm_flush_tlb_ret(vm))
		return;
	raw_spin_lock_irqsave(&sv_vmid_lock, flags);
	if (vmid && sv_vmid_gen_match(vmid)) {
		for_each_possible_cpu(cpu)
			if (per_cpu(sv_reserved_vmids, cpu) == vmid)
				goto out;
		__clear_bit(sv_vmid_idx(vmid), sv_vmid_map);
	}
out:
	raw_spin_unlock_irqrestore(&sv_vmid_lock, flags);
}

void sv_vmid_show(struct seq_file *m)
{
	unsigned long flags;
	unsigned int vmids;
	u64 rollovers;

	raw_spin_lock_irqsave(&sv_vmid_lock, flags);
	vmids = bitmap_weight(sv_vmid_map, SV_NR_VMIDS) - 1;	/* not 0 */
	rollovers = sv_vmid_rollovers;
	raw_spin_unlock_irqrestore(&sv_vmid_lock, flags);
	seq_printf(m, "vmids: %u (rollovers %llu)\n", vmids, rollovers);
}

int sv_vmid_init(void)
{
	unsigned int cpu;

	sv_vmid_map = bitmap_zalloc(SV_NR_VMIDS, GFP_KERNEL);
	if (!sv_vmid_map)
		return -ENOMEM;
	__set_bit(0, sv_vmid_map);
	for_each_possible_cpu(cpu)
		atomic64_set(&per_cpu(sv_active_vmids, cpu),
			     SV_VMID_ACTIVE_INVALID);
	return 0;
}

void sv_vmid_exit(void)
{
	bitmap_free(sv_vmid_map);
	sv_vmid_map = NULL;
}
