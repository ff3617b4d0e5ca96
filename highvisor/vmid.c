// SPDX-License-Identifier: GPL-2.0
/*
 * VMIDs: which stage-2 TLB entries belong to which VM, and the broadcast
 * TLB invalidations that go with giving a VMID away.
 */
#include "splitvisor.h"

#include <linux/bitmap.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "vm.h"

#define SV_VMID_SHIFT		48
#define SV_NR_VMIDS		256	/* 8-bit VMIDs; 0 is the host's */

/*
 * VMIDs are handed out per generation, when a VM first runs in it. When a
 * generation has used all 255, the next starts: every guest TLB entry is
 * dropped and every VM gets a new VMID at its next entry, so any number of
 * VMs can exist. Running a guest holds sv_vmid_rwlock for reading (with
 * interrupts off); changing generation holds it for writing, so no CPU is
 * in a guest while the VMIDs start over.
 */
static DEFINE_RWLOCK(sv_vmid_rwlock);
static DECLARE_BITMAP(sv_vmids, SV_NR_VMIDS);
static u64 sv_vmid_gen = 1;
static u64 sv_vmid_rollovers;

static u64 sv_vm_vttbr(struct sv_vm *vm)
{
	return vm->vmid << SV_VMID_SHIFT | vm->s2.root_pa.pa;
}

/* Give vm a VMID of the current generation; write-locked. */
static void sv_vmid_assign_locked(struct sv_vm *vm)
{
	struct sv_hvc_res res;
	unsigned long id;

	if (vm->vmid_gen == sv_vmid_gen)
		return;		/* another vCPU of the VM was first */
	id = find_next_zero_bit(sv_vmids, SV_NR_VMIDS, 1);
	if (id >= SV_NR_VMIDS) {
		sv_vmid_gen++;
		sv_vmid_rollovers++;
		bitmap_zero(sv_vmids, SV_NR_VMIDS);
		if (sv_call_el2(SV_HC_ID(SV_HC_FLUSH_GUESTS), 0, &res))
			pr_err("VMID rollover: guest TLB flush failed\n");
		id = 1;
	}
	__set_bit(id, sv_vmids);
	vm->vmid = id;
	WRITE_ONCE(vm->vmid_gen, sv_vmid_gen);
}

/*
 * Before entering a guest, interrupts off: returns the VTTBR to run with
 * and holds sv_vmid_rwlock for reading until sv_vmid_exit().
 */
u64 sv_vmid_enter(struct sv_vm *vm)
{
	for (;;) {
		read_lock(&sv_vmid_rwlock);
		if (READ_ONCE(vm->vmid_gen) == READ_ONCE(sv_vmid_gen))
			return sv_vm_vttbr(vm);
		read_unlock(&sv_vmid_rwlock);
		write_lock(&sv_vmid_rwlock);
		sv_vmid_assign_locked(vm);
		write_unlock(&sv_vmid_rwlock);
	}
}

void sv_vmid_exit(void)
{
	read_unlock(&sv_vmid_rwlock);
}

/*
 * Drop every TLB entry tagged with the VM's VMID, on all CPUs. A VMID of
 * an old generation has none left: the rollover flushed them.
 */
void sv_vm_flush_tlb(struct sv_vm *vm)
{
	struct sv_hvc_res res;

	read_lock(&sv_vmid_rwlock);
	if (vm->vmid_gen == sv_vmid_gen &&
	    sv_call_el2(SV_HC_ID(SV_HC_FLUSH_VMID), sv_vm_vttbr(vm), &res))
		pr_err("VM %llu: TLB flush for VMID %llu failed\n", vm->id,
		       vm->vmid);
	read_unlock(&sv_vmid_rwlock);
}

/* The same for a few pages from ipa on (SV_HC_FLUSH_IPA, at most 512). */
void sv_vm_flush_tlb_ipa(struct sv_vm *vm, sv_ipa_t ipa, u64 pages)
{
	struct sv_hvc_res res;

	read_lock(&sv_vmid_rwlock);
	if (vm->vmid_gen == sv_vmid_gen &&
	    sv_call_el2_args(SV_HC_ID(SV_HC_FLUSH_IPA), sv_vm_vttbr(vm),
			     ipa.ipa, pages, &res))
		pr_err("VM %llu: TLB flush of IPA 0x%llx for VMID %llu failed\n",
		       vm->id, ipa.ipa, vm->vmid);
	read_unlock(&sv_vmid_rwlock);
}

void sv_vmid_free(struct sv_vm *vm)
{
	/* The next VM with this VMID must not hit our translations. */
	sv_vm_flush_tlb(vm);
	write_lock(&sv_vmid_rwlock);
	if (vm->vmid_gen == sv_vmid_gen)
		__clear_bit(vm->vmid, sv_vmids);
	write_unlock(&sv_vmid_rwlock);
}

void sv_vmid_show(struct seq_file *m)
{
	unsigned int vmids;
	u64 rollovers;

	read_lock(&sv_vmid_rwlock);
	vmids = bitmap_weight(sv_vmids, SV_NR_VMIDS);
	rollovers = sv_vmid_rollovers;
	read_unlock(&sv_vmid_rwlock);
	seq_printf(m, "vmids: %u (rollovers %llu)\n", vmids, rollovers);
}
