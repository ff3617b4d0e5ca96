/* SPDX-License-Identifier: GPL-2.0 */
/* VMs, memory slots, vCPUs: the highvisor's side of a guest. */
#ifndef SV_VM_H
#define SV_VM_H

#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/kvm.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/rwsem.h>
#include <linux/signal.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <asm/kvm_arm.h>

struct seq_file;

#include "esr.h"
#include "pmu.h"
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
	atomic64_t vmid;		/* generation | VMID, see vmid.c */
	int __percpu *last_vcpu_ran;	/* per CPU: id of the last vCPU run */
	u64 cntvoff;			/* guest counter starts near 0 */
	struct sv_pgt s2;
	struct sv_memslot slots[SV_MAX_MEMSLOTS];
	unsigned long slots_used;	/* bit i: slots[i].used; same locks */
	struct sv_vcpu_host *vcpus[SV_MAX_VCPUS];
	u8 pfr0_csv2, pfr0_csv3;	/* ID_AA64PFR0_EL1.CSV2/3 (sys_regs.c) */
	u32 psci_version;		/* KVM_REG_ARM_PSCI_VERSION */
	/* KVM_REG_ARM_{STD,STD_HYP,VENDOR_HYP}_BMAP: what the guest may call */
	unsigned long std_bmap, std_hyp_bmap, vendor_hyp_bmap;
	bool has_run;			/* a vCPU ran: the bitmaps are fixed */
	unsigned long *pmu_filter;	/* PMU events guests may count, or NULL: all */
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

/* Registers only the highvisor keeps (sys_regs.c). */
enum sv_host_sysreg {
	SV_H_ACTLR,
	SV_H_DISR,
	SV_H_OSLSR,
	SV_H_DBGVCR32,
	SV_H_DACR32,
	SV_H_IFSR32,
	SV_H_FPEXC32,
	SV_NR_HOST_SYSREGS
};

#define SV_OSLSR_OSLM		0x8ULL	/* OSLM = 0b10: OS Lock implemented */
#define SV_OSLSR_OSLK		0x2ULL
#define SV_SCTLR_EL1_RESET	0x00c50078ULL	/* RES1 bits, MMU off */
#define SV_SPSR_SS		BIT(21)	/* PSTATE.SS in SPSR_EL2 */

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
	bool host_save;			/* loaded since the last run: SV_RUN_HOST_SAVE */
	int mode;			/* enum sv_vcpu_mode */
	unsigned long requests;		/* SV_REQ_* bits */
	struct kvm_run *run;		/* mmap'd by the VMM */
	bool initialized;		/* KVM_ARM_VCPU_INIT done */
	bool power_off;
	wait_queue_head_t wq;
	u32 features;
	u64 sys[SV_NR_HOST_SYSREGS];	/* enum sv_host_sysreg */
	u64 spsr_aarch32[KVM_NR_SPSR - 1];	/* RAZ/WI state for ONE_REG */
	/* debug.c: see KVM 6.1 arch/arm64/kvm/debug.c */
	bool debug_dirty;		/* guest touched a debug register */
	bool ss_active_pending;		/* KVM's DBG_SS_ACTIVE_PENDING */
	u32 guest_debug;		/* KVM_GUESTDBG_* from the VMM */
	u64 saved_mdscr;		/* guest's MDSCR_EL1 while overridden */
	bool saved_pstate_ss;
	bool fp_active;			/* guest used FP/SIMD: switch it */
	bool has_run;			/* entered KVM_RUN's loop since creation */
	bool sigset_active;		/* KVM_SET_SIGNAL_MASK: during KVM_RUN */
	sigset_t sigset;
	struct sv_mmio_pending mmio;
	struct sv_pmu pmu;		/* with KVM_ARM_VCPU_PMU_V3 (pmu.c) */
};

static inline bool sv_vcpu_has_pmu(const struct sv_vcpu_host *v)
{
	return v->features & BIT(KVM_ARM_VCPU_PMU_V3);
}

/* The guest runs at EL0 (the PSTATE it returns to). */
static inline bool sv_guest_at_el0(const struct sv_vcpu_host *v)
{
	return (v->hyp->ctxt.regs.spsr & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static inline u64 sv_get_reg(struct sv_vcpu_host *v, u32 n)
{
	return n == 31 ? 0 : v->hyp->ctxt.regs.x[n];	/* 31: XZR */
}

static inline void sv_set_reg(struct sv_vcpu_host *v, u32 n, u64 val)
{
	if (n != 31)
		v->hyp->ctxt.regs.x[n] = val;
}

/*
 * An emulated instruction completes a software step: PSTATE.SS goes to 0
 * (active-pending), so a step exception follows before the next one
 * (ARM ARM D2.12.5; KVM 6.1 kvm_skip_instr()). When the VMM steps the
 * guest, debug.c sets PSTATE.SS itself at the next entry: tell it.
 */
static inline void sv_skip_insn(struct sv_vcpu_host *v)
{
	v->hyp->ctxt.regs.elr += 4;
	v->hyp->ctxt.regs.spsr &= ~SV_SPSR_SS;
	if (v->guest_debug & KVM_GUESTDBG_SINGLESTEP)
		v->ss_active_pending = true;
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
void sv_vm_flush_tlb_ipa(struct sv_vm *vm, sv_ipa_t ipa, u64 pages);
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
typedef int (*sv_exit_fn)(struct sv_vcpu_host *v, u64 esr);
extern const sv_exit_fn sv_exit_handlers[64];
int __sv_handle_exit(struct sv_vcpu_host *v, u64 exit_code);

/*
 * >0: run the guest again; 0: back to the VMM (kvm_run says why); <0.
 * A trap goes straight to its exception class's handler.
 */
static inline int sv_handle_exit(struct sv_vcpu_host *v, u64 exit_code)
{
	u64 esr = v->hyp->fault.esr;
	sv_exit_fn fn = sv_exit_handlers[ESR_EC(esr)];

	if (likely(exit_code == SV_EXIT_SYNC && fn))
		return fn(v, esr);
	return __sv_handle_exit(v, exit_code);
}

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
int sv_sys_regs_init(void);
void sv_vm_id_regs_init(struct sv_vm *vm);
void sv_reset_sys_regs(struct sv_vcpu_host *v);
int sv_exit_sysreg(struct sv_vcpu_host *v, u64 esr);
int sv_sys_reg_access(struct sv_vcpu_host *v, u64 id, void __user *uaddr,
		      bool set);
int sv_sys_reg_list(struct sv_vcpu_host *v, u64 __user *out);

/* hypercalls.c: firmware pseudo-registers */
void sv_vm_smccc_init(struct sv_vm *vm);
int sv_fw_reg_access(struct sv_vcpu_host *v, u64 id, void __user *uaddr,
		     bool set);
int sv_fw_reg_list(u64 __user *out);

/* trng.c */
static inline bool sv_is_trng_call(u32 fn)
{
	return fn == ARM_SMCCC_TRNG_VERSION || fn == ARM_SMCCC_TRNG_FEATURES ||
	       fn == ARM_SMCCC_TRNG_GET_UUID || fn == ARM_SMCCC_TRNG_RND32 ||
	       fn == ARM_SMCCC_TRNG_RND64;
}
void sv_trng_call(struct sv_vcpu_host *v, u32 fn);

/* debug.c */
void sv_debug_reset(struct sv_vcpu_host *v);
void __sv_debug_setup(struct sv_vcpu_host *v);
void __sv_debug_clear(struct sv_vcpu_host *v);

#define SV_MDSCR_KDE		BIT(13)
#define SV_MDSCR_MDE		BIT(15)

static inline bool sv_os_lock(const struct sv_vcpu_host *v)
{
	return v->sys[SV_H_OSLSR] & SV_OSLSR_OSLK;
}

/*
 * Before each entry. The common case, a guest that has not touched its
 * debug registers, with no VMM debugging it: no debug state to switch
 * (EL2 switches only MDSCR_EL1), and MDCR_EL2.TDA traps the registers.
 */
static inline void sv_debug_setup(struct sv_vcpu_host *v)
{
	struct sv_vcpu *c = v->hyp;

	if (unlikely(v->guest_debug || v->debug_dirty || sv_os_lock(v) ||
		     (c->ctxt.sys[SV_MDSCR_EL1] &
		      (SV_MDSCR_KDE | SV_MDSCR_MDE)))) {
		__sv_debug_setup(v);
		return;
	}
	c->debug.flags = 0;
	c->cfg.mdcr = (c->cfg.mdcr & ~MDCR_EL2_TDE) | MDCR_EL2_TDA;
}

/* After each exit: EL2 saved the set; trap again until the guest touches it. */
static inline void sv_debug_clear(struct sv_vcpu_host *v)
{
	v->debug_dirty = false;
	if (unlikely(v->guest_debug || sv_os_lock(v)))
		__sv_debug_clear(v);
}
int sv_set_guest_debug(struct sv_vcpu_host *v,
		       struct kvm_guest_debug __user *udbg);
int sv_exit_debug(struct sv_vcpu_host *v, u64 esr);
int sv_debug_num_brps(void);
int sv_debug_num_wrps(void);

#endif
