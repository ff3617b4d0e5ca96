/* SPDX-License-Identifier: GPL-2.0 */
/* VMs, memory slots, vCPUs: the highvisor's side of a guest. */
#ifndef SV_VM_H
#define SV_VM_H

#include <linux/kref.h>
#include <linux/kvm.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/signal.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct seq_file;

#include "splitvisor.h"

#define SV_MAX_VCPUS		8
#define SV_MAX_MEMSLOTS		32
#define SV_IPA_BITS_DEFAULT	40
#define SV_IPA_BITS_MIN		32	/* as KVM */
/* KVM_MEM_MAX_NR_PAGES (Linux 6.1 include/linux/kvm_host.h) */
#define SV_MEM_MAX_NR_PAGES	((1ULL << 31) - 1)
/* What KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 offers (arm64 kvm_host.h) */
#define SV_DIRTY_LOG_MANUAL_CAPS	(KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | \
					 KVM_DIRTY_LOG_INITIALLY_SET)

/*
 * A memory slot. Nothing per page: the stage-2 table is the record of
 * what is mapped. Written with slots_lock held for writing AND mmu_lock
 * held for writing; read under either.
 */
struct sv_memslot {
	bool used;
	bool readonly;			/* KVM_MEM_READONLY */
	u32 id;
	u32 flags;			/* KVM_MEM_* */
	sv_ipa_t base;
	u64 npages;
	unsigned long uaddr;		/* in the VMM's address space */
	/*
	 * KVM_MEM_LOG_DIRTY_PAGES: 2 x npages bits (the second half is the
	 * buffer KVM_GET_DIRTY_LOG copies out), NULL when not logging.
	 */
	unsigned long *dirty_bitmap;
};

/*
 * Zeroed pages for stage-2 tables, filled where sleeping is allowed and
 * taken from under mmu_lock (KVM: kvm_mmu_memory_cache).
 */
#define SV_MMU_CACHE_SIZE	(2 * SV_PGT_MAX_NEW_TABLES)
struct sv_mmu_cache {
	int nr;
	void *tables[SV_MMU_CACHE_SIZE];
};

struct sv_vm {
	struct kref ref;		/* the VM file and each vCPU file */
	struct mutex lock;		/* vcpus[] */
	/*
	 * Memory, as KVM: slots_lock orders slot changes against faults in
	 * flight (KVM's SRCU); mmu_lock guards the stage-2 table and the
	 * invalidation state, taken by the MMU notifier, which must never
	 * wait for a fault (it may hold the VMM's mmap lock).
	 */
	struct rw_semaphore slots_lock;
	rwlock_t mmu_lock;
	struct mutex dirty_log_lock;	/* the second half of dirty bitmaps */
	struct mmu_notifier mn;
	bool mn_registered;
	bool mm_dead;			/* the notifier's release() ran */
	unsigned long mmu_invalidate_seq;
	long mmu_invalidate_in_progress;
	struct sv_mmu_cache mc;		/* spare tables, under mmu_lock */
	bool manual_dirty_log_protect;	/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 */
	bool dirty_log_init_set;	/* ... with KVM_DIRTY_LOG_INITIALLY_SET */
	struct sv_pgt_ops s2_ops;	/* ctx = this VM */
	struct mm_struct *mm;		/* the VMM's: slots point into it */
	u64 id;
	u32 ipa_bits;
	u64 vtcr;
	u64 vmid;			/* valid while vmid_gen is current */
	u64 vmid_gen;
	u64 cntvoff;			/* guest counter starts near 0 */
	struct sv_pgt s2;
	struct sv_memslot slots[SV_MAX_MEMSLOTS];
	struct sv_vcpu_host *vcpus[SV_MAX_VCPUS];
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

struct sv_vcpu_host {
	struct sv_vm *vm;
	u32 id;
	struct mutex lock;		/* serializes the vCPU's ioctls */
	struct sv_vcpu *ctxt;		/* shared with EL2, EL2-mapped */
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
	bool sigset_active;		/* KVM_SET_SIGNAL_MASK: during KVM_RUN */
	sigset_t sigset;
	struct sv_mmio_pending mmio;
};

static inline u64 sv_get_reg(struct sv_vcpu_host *v, u32 n)
{
	return n == 31 ? 0 : v->ctxt->regs.x[n];	/* 31: XZR */
}

static inline void sv_set_reg(struct sv_vcpu_host *v, u32 n, u64 val)
{
	if (n != 31)
		v->ctxt->regs.x[n] = val;
}

static inline void sv_skip_insn(struct sv_vcpu_host *v)
{
	v->ctxt->regs.elr += 4;
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
int sv_get_dirty_log(struct sv_vm *vm, struct kvm_dirty_log *log);
int sv_clear_dirty_log(struct sv_vm *vm, struct kvm_clear_dirty_log *log);

/* mmu.c */
u32 sv_max_ipa_bits(void);
int sv_s2_init(struct sv_vm *vm);
void sv_s2_destroy(struct sv_vm *vm);
int sv_mmu_notifier_register(struct sv_vm *vm);
void sv_mmu_notifier_unregister(struct sv_vm *vm);
int sv_s2_handle_fault(struct sv_vm *vm, sv_ipa_t ipa, bool write, bool exec,
		       bool *is_mmio);
void sv_s2_unmap_range(struct sv_vm *vm, sv_ipa_t ipa, u64 size);
void sv_s2_wrprotect_range(struct sv_vm *vm, sv_ipa_t ipa, u64 size);
void sv_s2_wrprotect_bits(struct sv_vm *vm, struct sv_memslot *s,
			  u64 first_page, const unsigned long *mask, u64 n);
void sv_s2_unmap_vm(struct sv_vm *vm);
void sv_vm_flush_dcache(struct sv_vm *vm);
void sv_mmu_show(struct seq_file *m);

/* vmid.c */
u64 sv_vmid_enter(struct sv_vm *vm);
void sv_vmid_exit(void);
void sv_vm_flush_tlb(struct sv_vm *vm);
void sv_vm_flush_tlb_ipa(struct sv_vm *vm, sv_ipa_t ipa, u64 pages);
void sv_vmid_free(struct sv_vm *vm);
void sv_vmid_show(struct seq_file *m);

/* vcpu.c */
int sv_vcpu_create(struct sv_vm *vm, unsigned long id);

/* reset.c */
int sv_vcpu_init(struct sv_vcpu_host *v, struct kvm_vcpu_init *init);

/* guest.c */
int sv_one_reg(struct sv_vcpu_host *v, unsigned int cmd,
	       struct kvm_one_reg __user *ureg);
int sv_reg_list(struct sv_vcpu_host *v, struct kvm_reg_list __user *ul);

/* handle_exit.c */
int sv_handle_exit(struct sv_vcpu_host *v, u64 exit_code);
void sv_exit_counters_show(struct seq_file *m);
void sv_exit_counters_retire(struct sv_vcpu_host *v);
void sv_exit_counters_vmm(u32 reason);

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
