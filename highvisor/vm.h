/* SPDX-License-Identifier: GPL-2.0 */
/* VMs, memory slots, vCPUs: the highvisor's side of a guest. */
#ifndef SV_VM_H
#define SV_VM_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/kvm.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/wait.h>

struct seq_file;

#include "splitvisor.h"

#define SV_MAX_VCPUS		8
#define SV_MAX_MEMSLOTS		32
#define SV_IPA_BITS_DEFAULT	40
#define SV_IPA_BITS_MIN		32	/* as KVM */

struct sv_memslot {
	bool used;
	bool readonly;			/* KVM_MEM_READONLY */
	u32 id;
	sv_ipa_t base;
	u64 npages;
	unsigned long uaddr;		/* in the VMM's address space */
	struct page **pages;		/* pinned on first guest access */
	unsigned long *writable;	/* bitmap: pinned for write */
};

struct sv_vm {
	struct kref ref;		/* the VM file and each vCPU file */
	struct mutex lock;		/* slots, stage 2, vcpus[] */
	struct mm_struct *mm;		/* the VMM's: slots point into it */
	u64 id;
	u32 ipa_bits;
	u64 vtcr;
	atomic64_t vmid;		/* generation | VMID, see vmid.c */
	int __percpu *last_vcpu_ran;	/* per CPU: id of the last vCPU run */
	u64 cntvoff;			/* guest counter starts near 0 */
	struct sv_pgt s2;
	struct sv_memslot slots[SV_MAX_MEMSLOTS];
	struct sv_vcpu_host *vcpus[SV_MAX_VCPUS];
	unsigned long pinned;		/* pages pinned for this VM */
};

/* Completion of an MMIO read on the next KVM_RUN. */
struct sv_mmio_pending {
	bool active;
	bool is_write;
	bool sign_extend;
	bool reg64;
	u32 len;
	u32 reg;			/* 31: XZR */
};

/*
 * Linux 6.10 renamed the field in-kernel (HINT_UNSAFE_IN_KVM); the ABI is
 * unchanged. Kbuild looks at the kernel's kvm.h and defines
 * SV_KVM_RUN_IE_UNSAFE.
 */
#ifdef SV_KVM_RUN_IE_UNSAFE
#define sv_run_immediate_exit(run)	READ_ONCE((run)->immediate_exit__unsafe)
#else
#define sv_run_immediate_exit(run)	READ_ONCE((run)->immediate_exit)
#endif

/* sv_vcpu_host.mode, as KVM's vcpu->mode: what a kick has to do. */
enum sv_vcpu_mode {
	SV_OUTSIDE_GUEST_MODE,
	SV_IN_GUEST_MODE,		/* interrupts off, entering or in it */
	SV_EXITING_GUEST_MODE,		/* kicked: must not (re-)enter */
};

/* sv_vcpu_host.requests: work for the vCPU's thread before its next entry. */
#define SV_REQ_SLEEP		0	/* powered off: wait for a re-init */

struct sv_vcpu_host {
	struct sv_vm *vm;
	u32 id;
	struct mutex lock;		/* serializes the vCPU's ioctls */
	struct sv_vcpu *hyp;		/* shared with EL2, EL2-mapped */
	u64 hyp_el2va;			/* hyp's EL2 address */
	/* Load/put and kicks (vcpu.c); valid while KVM_RUN runs. */
	struct preempt_notifier pn;
	struct task_struct *task;	/* KVM_RUN's thread, while loaded */
	int cpu;			/* physical CPU it is loaded on, or -1 */
	int mode;			/* enum sv_vcpu_mode */
	unsigned long requests;		/* SV_REQ_* bits */
	struct kvm_run *run;		/* mmap'd by the VMM */
	bool initialized;		/* KVM_ARM_VCPU_INIT done */
	bool power_off;
	wait_queue_head_t wq;
	u32 features;
	u64 mdscr;			/* emulated: debug registers trap */
	u64 dbg[4][16];			/* DBG{B,W}{V,C}Rn_EL1, kept only */
	bool oslk;			/* OS lock, OSLAR_EL1/OSLSR_EL1 */
	u64 spsr_aarch32[KVM_NR_SPSR - 1];	/* RAZ/WI state for ONE_REG */
	bool sw_flushed;		/* set/way burst already flushed */
	bool fp_active;			/* guest used FP/SIMD: switch it */
	struct sv_mmio_pending mmio;
};

static inline u64 sv_get_reg(struct sv_vcpu_host *v, u32 n)
{
	return n == 31 ? 0 : v->hyp->ctxt.regs.x[n];	/* 31: XZR */
}

static inline void sv_set_reg(struct sv_vcpu_host *v, u32 n, u64 val)
{
	if (n != 31)
		v->hyp->ctxt.regs.x[n] = val;
}

static inline void sv_skip_insn(struct sv_vcpu_host *v)
{
	v->hyp->ctxt.regs.elr += 4;
}

/* dev.c */
long sv_check_extension(unsigned long cap);

/* vm.c */
int sv_vm_create(unsigned long type);
void sv_vm_put(struct sv_vm *vm);

/* memslot.c */
struct sv_memslot *sv_find_slot(struct sv_vm *vm, sv_ipa_t ipa);
int sv_set_memory_region(struct sv_vm *vm,
			 struct kvm_userspace_memory_region *r);
void sv_memslots_release(struct sv_vm *vm);

/* mmu.c */
u32 sv_max_ipa_bits(void);
int sv_s2_init(struct sv_vm *vm);
void sv_s2_destroy(struct sv_vm *vm);
int sv_s2_handle_fault(struct sv_vm *vm, sv_ipa_t ipa, bool write,
		       bool *is_mmio);
void sv_s2_unmap_slot(struct sv_vm *vm, struct sv_memslot *s, bool flush);
void sv_vm_flush_dcache(struct sv_vm *vm);
void sv_mmu_show(struct seq_file *m);

/* vmid.c */
#define SV_VMID_SHIFT		48
#define SV_VMID_BITS		8	/* VTCR_EL2.VS = 0 */
#define SV_NR_VMIDS		(1UL << SV_VMID_BITS)	/* 0: the host's */
#define SV_VMID_FIRST_GEN	SV_NR_VMIDS
#define sv_vmid_idx(v)		((v) & (SV_NR_VMIDS - 1))

extern atomic64_t sv_vmid_generation;

int sv_vmid_init(void);
void sv_vmid_exit(void);
int sv_vmid_update(struct sv_vm *vm);
void sv_vmid_clear_active(void);

static inline bool sv_vmid_gen_match(u64 vmid)
{
	return !((vmid ^ atomic64_read(&sv_vmid_generation)) >> SV_VMID_BITS);
}

/* Right before entry, interrupts off: no rollover happened since. */
static inline bool sv_vmid_is_current(struct sv_vm *vm)
{
	return sv_vmid_gen_match(atomic64_read(&vm->vmid));
}

static inline u64 sv_vm_vttbr(struct sv_vm *vm)
{
	return sv_vmid_idx(atomic64_read(&vm->vmid)) << SV_VMID_SHIFT |
	       vm->s2.root_pa.pa;
}

void sv_vm_flush_tlb(struct sv_vm *vm);
void sv_vmid_free(struct sv_vm *vm);
void sv_vmid_show(struct seq_file *m);

/* vcpu.c */
int sv_vcpu_create(struct sv_vm *vm, unsigned long id);
void sv_vcpu_kick(struct sv_vcpu_host *v);
void sv_vcpu_request(struct sv_vcpu_host *v, int req);
void sv_vm_kick_all(struct sv_vm *vm, int req);

/* reset.c */
int sv_vcpu_init(struct sv_vcpu_host *v, struct kvm_vcpu_init *init);

/* guest.c */
int sv_one_reg(struct sv_vcpu_host *v, unsigned int cmd,
	       struct kvm_one_reg __user *ureg);
int sv_reg_list(struct sv_vcpu_host *v, struct kvm_reg_list __user *ul);

/* handle_exit.c */
int sv_handle_exit(struct sv_vcpu_host *v, u64 exit_code);

/* inject.c */
void sv_inject_sync(struct sv_vcpu_host *v, u64 esr, u64 far);
void sv_inject_undef(struct sv_vcpu_host *v);
void sv_inject_abort(struct sv_vcpu_host *v, bool iabt, u64 far);

/* mmio.c */
int sv_mmio_exit(struct sv_vcpu_host *v, u64 esr, sv_ipa_t ipa);
void sv_mmio_complete(struct sv_vcpu_host *v);

/* hypercalls.c */
int sv_exit_hvc(struct sv_vcpu_host *v, u64 esr);
int sv_exit_smc(struct sv_vcpu_host *v, u64 esr);

/* sys_regs.c */
void sv_id_regs_init(void);
bool sv_is_setway(u64 esr);
int sv_exit_sysreg(struct sv_vcpu_host *v, u64 esr);

#endif
