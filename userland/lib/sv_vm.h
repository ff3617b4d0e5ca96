/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libsv: a VM on a KVM-ABI device (/dev/splitvisor, or Linux's /dev/kvm)
 * with standard arm64 KVM ioctls only, for splitvm and other tools.
 *
 *   struct sv_vm vm;
 *   sv_vm_open(&vm, "/dev/kvm");              device, API 12, KVM_CREATE_VM
 *   vm.thp = SV_THP_ON;                        optional: RAM backing
 *   sv_vm_add_ram(&vm, 0, gpa, size, 0, &hva); anonymous mmap + memslot
 *   sv_vm_add_mmio(&vm, &dev);                 MMIO device by range
 *   vcpu = sv_vcpu_create(&vm, 0);             vCPU, kvm_run, VCPU_INIT
 *   sv_vcpu_set_reg(vcpu, SV_REG_PC, entry);
 *   sv_vm_set_timeout(&vm, seconds);
 *   sv_vm_run(&vm, &stop);                     until the VM stops
 *   sv_vm_close(&vm);
 *
 * Every function that can fail prints what failed (the ioctl and the
 * errno string, prefixed with sv_progname) on stderr and returns a
 * negative value or NULL; the caller only has to give up.
 */
#ifndef SV_VM_H
#define SV_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's macros (checkpatch prefers them), for user space. */
#ifndef __printf
#define __printf(a, b)	__attribute((format(printf, a, b)))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define SV_MAX_VCPUS	8
#define SV_MAX_SLOTS	8
#define SV_MAX_MMIO	16

/*
 * The VMM's mapping of guest RAM is congruent to the guest address
 * modulo this (as QEMU aligns its RAM): a transparent huge page can then
 * back a whole 2 MiB stage-2 block, which both KVM (memslot alignment in
 * user_mem_abort()) and splitvisor require.
 */
#define SV_RAM_ALIGN	(2UL << 20)

/* Backing of guest RAM: MADV_HUGEPAGE, MADV_NOHUGEPAGE or the host's. */
enum sv_thp {
	SV_THP_DEFAULT,		/* no madvise: the host's THP policy */
	SV_THP_ON,		/* MADV_HUGEPAGE (needs THP on the host) */
	SV_THP_OFF,		/* MADV_NOHUGEPAGE: 4 KiB pages */
};

/* Core register ids for sv_vcpu_set_reg()/sv_vcpu_get_reg(). */
#define SV_CORE_REG(name)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
				 KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))
#define SV_REG_X(n)		SV_CORE_REG(regs.regs[n])
#define SV_REG_SP_EL0		SV_CORE_REG(regs.sp)
#define SV_REG_PC		SV_CORE_REG(regs.pc)
#define SV_REG_PSTATE		SV_CORE_REG(regs.pstate)
#define SV_REG_SP_EL1		SV_CORE_REG(sp_el1)
#define SV_REG_ELR_EL1		SV_CORE_REG(elr_el1)

/* PSTATE bits (arch/arm64/include/uapi/asm/ptrace.h names). */
#define SV_PSR_MODE_EL1H	0x5
#define SV_PSR_F		(1 << 6)
#define SV_PSR_I		(1 << 7)
#define SV_PSR_A		(1 << 8)
#define SV_PSR_D		(1 << 9)
#define SV_PSTATE_EL1H_DAIF	(SV_PSR_MODE_EL1H | SV_PSR_D | SV_PSR_A | \
				 SV_PSR_I | SV_PSR_F)

struct sv_vm;
struct sv_mmio_dev;

/*
 * An MMIO access inside [base, base + size): offset from base, len 1, 2,
 * 4 or 8, data is little-endian (KVM's run->mmio.data). A read fills
 * data. Return 0, or -1 after printing why the access is an error (the
 * VM then stops with SV_STOP_ERROR). Callbacks are serialised by the VM.
 */
typedef int (*sv_mmio_fn)(struct sv_mmio_dev *dev, uint64_t offset,
			  bool is_write, uint8_t *data, unsigned int len);

struct sv_mmio_dev {
	const char *name;
	uint64_t base;
	uint64_t size;
	sv_mmio_fn access;
	void *priv;
	struct sv_vm *vm;		/* set by sv_vm_add_mmio() */
};

struct sv_mem_slot {
	uint32_t slot;
	uint32_t flags;
	uint64_t gpa;
	uint64_t size;
	void *hva;
};

struct sv_vcpu {
	struct sv_vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	int thread_started;
};

enum sv_stop_reason {
	SV_STOP_NONE,
	SV_STOP_EXIT,		/* the guest wrote an exit code; status */
	SV_STOP_SHUTDOWN,	/* KVM_SYSTEM_EVENT_SHUTDOWN (SYSTEM_OFF) */
	SV_STOP_RESET,		/* KVM_SYSTEM_EVENT_RESET (SYSTEM_RESET) */
	SV_STOP_TIMEOUT,	/* sv_vm_set_timeout() expired */
	SV_STOP_ERROR,		/* reported on stderr already */
};

struct sv_stop {
	enum sv_stop_reason reason;
	uint32_t status;	/* SV_STOP_EXIT: the guest's code */
	int vcpu;		/* the vCPU that stopped the VM */
};

struct sv_vm {
	const char *path;
	int sys_fd;
	int vm_fd;
	int run_size;
	struct sv_mem_slot slots[SV_MAX_SLOTS];
	int nr_slots;
	struct sv_mmio_dev *mmio[SV_MAX_MMIO];
	int nr_mmio;
	struct sv_vcpu *vcpus[SV_MAX_VCPUS];
	int nr_vcpus;
	struct kvm_vcpu_init init;	/* KVM_ARM_PREFERRED_TARGET */
	pthread_mutex_t lock;		/* stop, vCPU threads */
	pthread_mutex_t mmio_lock;	/* serialises device callbacks */
	struct sv_stop stop;		/* the first stop wins */
	int stopping;			/* __atomic: a stop was requested */
	/* Backing of the RAM sv_vm_add_ram() maps from then on. */
	enum sv_thp thp;		/* SV_THP_DEFAULT after sv_vm_open() */
};

/* Prefix of every message (default "libsv"). */
extern const char *sv_progname;

/* Prints "<sv_progname>: <fmt>\n" on stderr. */
void sv_err(const char *fmt, ...) __printf(1, 2);

int sv_vm_open(struct sv_vm *vm, const char *path);
void sv_vm_close(struct sv_vm *vm);

/*
 * Anonymous memory of size bytes (page multiple) at gpa, as memslot slot,
 * mapped congruent to gpa modulo SV_RAM_ALIGN and advised as vm->thp says.
 * flags: KVM_MEM_READONLY (writes become MMIO exits), KVM_MEM_LOG_DIRTY_PAGES.
 * *hva (if not NULL) receives the host mapping.
 */
int sv_vm_add_ram(struct sv_vm *vm, uint32_t slot, uint64_t gpa,
		  uint64_t size, uint32_t flags, void **hva);
/* Host address of [gpa, gpa + len) if it lies in one memslot, or NULL. */
void *sv_vm_gpa_to_hva(struct sv_vm *vm, uint64_t gpa, uint64_t len);

/* Registers dev (kept by pointer) for exits in its range; no overlaps. */
int sv_vm_add_mmio(struct sv_vm *vm, struct sv_mmio_dev *dev);

/*
 * vCPU id (0..SV_MAX_VCPUS-1; ids must be created in order): created,
 * kvm_run mapped, initialised for the preferred target with PSCI 0.2;
 * vCPUs other than 0 start powered off (they wait for PSCI CPU_ON).
 */
struct sv_vcpu *sv_vcpu_create(struct sv_vm *vm, int id);

int sv_vcpu_set_reg(struct sv_vcpu *vcpu, uint64_t id, uint64_t val);
int sv_vcpu_get_reg(struct sv_vcpu *vcpu, uint64_t id, uint64_t *val);

/* Called by devices: stop the VM (the first request wins). */
void sv_vm_request_stop(struct sv_vm *vm, enum sv_stop_reason reason,
			uint32_t status, int vcpu);

/*
 * Stop the VM with SV_STOP_TIMEOUT after seconds (0: never), counted from
 * this call. Uses SIGALRM; call it at most once per process.
 */
int sv_vm_set_timeout(struct sv_vm *vm, unsigned int seconds);

/*
 * Runs every vCPU (vCPU 0 on the calling thread, the others on their own
 * threads) until the VM stops; *stop says why. Returns 0, or -1 if the
 * VM could not be run at all.
 */
int sv_vm_run(struct sv_vm *vm, struct sv_stop *stop);

/*
 * An in-kernel vGIC (KVM_CREATE_DEVICE): version 3 with the distributor
 * at dist and the redistributors from redist, or version 2 with the CPU
 * interface at cpu (redist ignored). Call it after every vCPU exists and
 * before sv_vm_run(): it also initialises the vGIC (CTRL_INIT). A
 * hypervisor without one answers ENODEV, which is reported.
 */
int sv_vm_create_vgic(struct sv_vm *vm, int version, uint64_t dist,
		      uint64_t redist_or_cpu);

/* KVM_IRQ_LINE for SPI intid (32..1019) to the in-kernel vGIC. */
int sv_vm_irq_line(struct sv_vm *vm, uint32_t intid, int level);

/* "KVM_EXIT_MMIO" for 6, "exit reason 99" for unknown ones. */
const char *sv_exit_reason_name(uint32_t reason, char *buf, size_t len);

#endif /* SV_VM_H */
