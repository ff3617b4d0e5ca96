/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small KVM-selftest-style harness for the tests in tests/kvm/: TAP
 * output, VMs and vCPUs on a KVM-ABI device (/dev/splitvisor or Linux's
 * /dev/kvm) with raw arm64 KVM ioctls, and the guest side conventions.
 *
 * Guest code is assembly in the test's own source file, in the section
 * "guest_text" (HX_GUEST_BEGIN / HX_GUEST_END around top-level asm). The
 * harness copies the whole section [__start_guest_text, __stop_guest_text)
 * to the start of guest RAM, so guest code must be position-independent:
 * PC-relative addressing only, no calls into host code, no link-time
 * absolute addresses. The fixed IPAs below are conventions, not links.
 *
 * A vCPU started with hx_vcpu_start() runs at the chosen guest symbol,
 * EL1h, MMU off, DAIF masked, with
 *   x0      = HX_DATA (1 MiB into RAM, zeroed: the test's data area)
 *   SP_EL1  = HX_STACK_TOP (end of RAM)
 *   VBAR_EL1 = hx_vectors: any exception reports ESR/ELR/FAR and the
 *             vector offset on the harness MMIO page and stops the guest.
 *
 * Guest -> host signalling uses MMIO stores to the harness page at
 * HX_MMIO_BASE (outside every memslot). The assembler macros (below, for
 * every file including this header) are:
 *   hx_mmio_addr Xn        Xn = HX_MMIO_BASE
 *   hx_done                "guest finished"; does not return
 *   hx_fail NUM            check NUM failed; does not return
 *   hx_fail_reg Xn         check number in Xn failed; does not return
 *   hx_value Xn            report Xn to the host (kept, printed on failure)
 *   hx_check_eq Xn, IMM, NUM  Xn == IMM (64-bit) or report IMM, Xn, fail
 * They clobber x16 and x17 only (the intra-procedure-call scratch
 * registers); Xn must not be x16 or x17. hx_check_eq uses a literal pool:
 * end each guest routine with hx_pool.
 */
#ifndef HX_HARNESS_H
#define HX_HARNESS_H

/* Guest physical memory map (plain numbers: also used by the assembler). */
#define HX_RAM_BASE		0x40000000
#define HX_RAM_SIZE		0x200000
#define HX_DATA_OFF		0x100000
#define HX_DATA			(HX_RAM_BASE + HX_DATA_OFF)
#define HX_STACK_TOP		(HX_RAM_BASE + HX_RAM_SIZE)
#define HX_MMIO_BASE		0x10000000

/* Harness page registers (offsets from HX_MMIO_BASE); all are writes. */
#define HX_MMIO_DONE		0x00
#define HX_MMIO_FAIL		0x08
#define HX_MMIO_VALUE		0x10
#define HX_MMIO_EXC_ESR		0x18
#define HX_MMIO_EXC_ELR		0x20
#define HX_MMIO_EXC_FAR		0x28
#define HX_MMIO_EXC_VEC		0x30	/* last: stops the guest */
#define HX_MMIO_PAGE		0x1000

/* ESR_ELx */
#define HX_ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define HX_EC_UNKNOWN		0x00

/* SMCCC / PSCI function IDs (DEN0028, DEN0022) */
#define HX_SMCCC_VERSION	0x80000000
#define HX_SMCCC_1_1		0x10001
#define HX_PSCI_VERSION		0x84000000

#define HX_STR(x)		#x
#define HX_XSTR(x)		HX_STR(x)

/* Top-level asm: HX_GUEST_BEGIN "code\n" ... HX_GUEST_END */
#define HX_GUEST_BEGIN		".pushsection guest_text, \"ax\"\n"
#define HX_GUEST_END		".popsection\n"

/* A guest entry point or label defined in top-level asm. */
#define HX_GUEST_SYM(name)	extern const char name[]

#define HX_ASM_MACROS							\
	".ifndef hx_macros_defined\n"					\
	".set hx_macros_defined, 1\n"					\
	".macro hx_mmio_addr reg\n"					\
	"	movz	\\reg, #(" HX_XSTR(HX_MMIO_BASE) " >> 16), lsl #16\n" \
	".endm\n"							\
	".macro hx_done\n"						\
	"	hx_mmio_addr x16\n"					\
	"	mov	x17, #0\n"					\
	"	str	x17, [x16, #" HX_XSTR(HX_MMIO_DONE) "]\n"	\
	"	b	.\n"						\
	".endm\n"							\
	".macro hx_fail num\n"						\
	"	hx_mmio_addr x16\n"					\
	"	mov	x17, #\\num\n"					\
	"	str	x17, [x16, #" HX_XSTR(HX_MMIO_FAIL) "]\n"	\
	"	b	.\n"						\
	".endm\n"							\
	".macro hx_fail_reg reg\n"					\
	"	hx_mmio_addr x16\n"					\
	"	str	\\reg, [x16, #" HX_XSTR(HX_MMIO_FAIL) "]\n"	\
	"	b	.\n"						\
	".endm\n"							\
	".macro hx_value reg\n"						\
	"	hx_mmio_addr x16\n"					\
	"	str	\\reg, [x16, #" HX_XSTR(HX_MMIO_VALUE) "]\n"	\
	".endm\n"							\
	".macro hx_check_eq reg, imm, num\n"				\
	"	ldr	x17, =\\imm\n"					\
	"	cmp	\\reg, x17\n"					\
	"	b.eq	.Lhx_ok\\@\n"					\
	"	hx_value x17\n"						\
	"	hx_value \\reg\n"					\
	"	hx_fail	\\num\n"					\
	".Lhx_ok\\@:\n"							\
	".endm\n"							\
	".macro hx_pool\n"						\
	"	.ltorg\n"						\
	".endm\n"							\
	".endif\n"

#ifndef __ASSEMBLER__

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

asm(HX_ASM_MACROS);

/* The kernel's macros (checkpatch prefers them), for user space. */
#ifndef __printf
#define __printf(a, b)		__attribute((format(printf, a, b)))
#endif
#ifndef __aligned
#define __aligned(x)		__attribute((aligned(x)))
#endif
#ifndef __maybe_unused
#define __maybe_unused		__attribute((unused))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

typedef uint64_t u64;
typedef uint32_t u32;

/* --- TAP ------------------------------------------------------------------ */

/*
 * Each check prints one test point "ok N - DESC" or "not ok N - DESC"
 * followed by "# " diagnostics, and returns whether it passed.
 */
bool tap_check(bool ok, const char *fmt, ...) __printf(2, 3);
/* "# expected 0x.., got 0x.." on failure. */
bool tap_check_eq(u64 expected, u64 got, const char *fmt, ...)
	__printf(3, 4);
/*
 * An ioctl result that must be -1 with errno expected_errno (0: must
 * succeed with a non-negative result); errno names on failure.
 */
bool tap_check_errno(long ret, int err, int expected_errno,
		     const char *fmt, ...) __printf(4, 5);
void tap_skip(const char *reason, const char *fmt, ...) __printf(2, 3);
/* "# TEXT" lines; can be called between test points. */
void tap_diag(const char *fmt, ...) __printf(1, 2);
/*
 * The next test point, if it fails, is a known failure: printed as
 * "ok N - ... # SKIP expected to fail: why" and counted as skipped.
 * why == NULL: none.
 */
void tap_todo_next(const char *why);
/* The plan "1..N"; returns the exit status (1 if a check failed). */
int tap_done(void);

/* "EINVAL", or "errno 1234" for unknown ones. */
const char *hx_errno_name(int err);

/* --- device --------------------------------------------------------------- */

extern const char *hx_device;	/* --device PATH */
extern bool hx_is_kvm;		/* the device is Linux's KVM (/dev/kvm) */
extern int hx_dev_fd;
extern unsigned int hx_timeout;	/* seconds per hx_run() (--timeout) */

/*
 * Parses --device PATH (default /dev/splitvisor), --timeout SEC and
 * --iterations N (into *iterations, if not NULL), opens the device. On
 * failure prints a failed test point and the plan and exits 1.
 */
void hx_init(int argc, char **argv, const char *name, unsigned long *iterations);

/* --- VMs and vCPUs ---------------------------------------------------------- */

struct hx_vm {
	int fd;
	void *ram;		/* host mapping of the RAM slot (slot 0) */
};

/*
 * KVM_CREATE_VM(0), then HX_RAM_SIZE of anonymous memory at HX_RAM_BASE
 * as slot 0 with the guest_text section copied to its start. Prints a
 * diagnostic and returns -1 on failure.
 */
int hx_vm_create(struct hx_vm *vm);
void hx_vm_destroy(struct hx_vm *vm);
/* Anonymous memory of size bytes at gpa as memslot slot (flags: KVM_MEM_*). */
int hx_vm_add_mem(struct hx_vm *vm, u32 slot, u64 gpa, u64 size, u32 flags,
		  void **hva);
/* Host address of a guest-RAM IPA. */
void *hx_gpa_to_hva(struct hx_vm *vm, u64 gpa);
/* IPA of a symbol in guest_text (once copied to guest RAM). */
u64 hx_gpa(const void *guest_sym);
/* The guest code, as copied to the start of guest RAM (linker symbols). */
extern const char __start_guest_text[], __stop_guest_text[];

/* Host FP/SIMD state loaded around KVM_RUN (see hx_vcpu.fp_check). */
struct hx_fpstate {
	u64 v[32][2];
	u64 fpsr;
	u64 fpcr;
} __aligned(16);

struct hx_vcpu {
	struct hx_vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	/* Values the guest reported with hx_value (last two kept). */
	u64 values[2];
	unsigned long nvalues;
	u64 exc_esr, exc_elr, exc_far;
	/*
	 * fp_check: every KVM_RUN loads fp_host into the host's V0-V31,
	 * FPSR and FPCR right before the syscall and checks them right
	 * after it; fp_bad counts the runs where they changed, the first
	 * such state is in fp_seen.
	 */
	bool fp_check;
	struct hx_fpstate fp_host;
	struct hx_fpstate fp_seen;
	unsigned long fp_runs;
	unsigned long fp_bad;
	unsigned long runs;		/* KVM_RUN calls */
	unsigned long spurious_eintr;	/* EINTR without a timeout */
};

/*
 * KVM_CREATE_VCPU(id), mmap of struct kvm_run, KVM_ARM_PREFERRED_TARGET and
 * KVM_ARM_VCPU_INIT with KVM_ARM_VCPU_PSCI_0_2.
 */
int hx_vcpu_create(struct hx_vm *vm, struct hx_vcpu *v, int id);
/* The same with more KVM_ARM_VCPU_* feature bits (e.g. POWER_OFF). */
int hx_vcpu_create_features(struct hx_vm *vm, struct hx_vcpu *v, int id,
			    u32 features);
void hx_vcpu_destroy(struct hx_vcpu *v);
/* PC = entry, PSTATE = EL1h + DAIF, SP_EL1, VBAR_EL1 and x0 as above. */
int hx_vcpu_start(struct hx_vcpu *v, const void *entry);

/* Register ids. */
#define HX_CORE_REG(name)	(KVM_REG_ARM64 | KVM_REG_ARM_CORE | \
				 KVM_REG_ARM_CORE_REG(name))
#define HX_REG_X(n)		(HX_CORE_REG(regs.regs[n]) | KVM_REG_SIZE_U64)
#define HX_REG_SP_EL0		(HX_CORE_REG(regs.sp) | KVM_REG_SIZE_U64)
#define HX_REG_PC		(HX_CORE_REG(regs.pc) | KVM_REG_SIZE_U64)
#define HX_REG_PSTATE		(HX_CORE_REG(regs.pstate) | KVM_REG_SIZE_U64)
#define HX_REG_SP_EL1		(HX_CORE_REG(sp_el1) | KVM_REG_SIZE_U64)
#define HX_REG_ELR_EL1		(HX_CORE_REG(elr_el1) | KVM_REG_SIZE_U64)
#define HX_REG_SPSR_EL1		(HX_CORE_REG(spsr[KVM_SPSR_EL1]) | \
				 KVM_REG_SIZE_U64)
#define HX_REG_V(n)		(HX_CORE_REG(fp_regs.vregs[n]) | \
				 KVM_REG_SIZE_U128)
#define HX_REG_FPSR		(HX_CORE_REG(fp_regs.fpsr) | KVM_REG_SIZE_U32)
#define HX_REG_FPCR		(HX_CORE_REG(fp_regs.fpcr) | KVM_REG_SIZE_U32)
#define HX_SYSREG(op0, op1, crn, crm, op2) \
	ARM64_SYS_REG(op0, op1, crn, crm, op2)
#define HX_REG_VBAR_EL1		HX_SYSREG(3, 0, 12, 0, 0)
#define HX_REG_MPIDR_EL1	HX_SYSREG(3, 0, 0, 0, 5)

/* PSTATE */
#define HX_PSR_MODE_EL1H	0x5
#define HX_PSR_MODE_MASK	0xf
#define HX_PSR_DAIF		(0xfULL << 6)

/*
 * ONE_REG of any size up to 128 bits (val[0] is the low half). These
 * print a diagnostic on failure and return -1 (errno kept).
 */
int hx_set_reg(struct hx_vcpu *v, u64 id, u64 val);
int hx_get_reg(struct hx_vcpu *v, u64 id, u64 *val);
int hx_set_reg128(struct hx_vcpu *v, u64 id, const u64 val[2]);
int hx_get_reg128(struct hx_vcpu *v, u64 id, u64 val[2]);

/*
 * One KVM_RUN (with the FP check if v->fp_check); the ioctl's result,
 * -1 with errno set on error.
 */
long hx_vcpu_run_once(struct hx_vcpu *v);

/* MMIO data as a little-endian number / completing a read. */
u64 hx_mmio_data(const struct kvm_run *run);
void hx_mmio_set(struct kvm_run *run, u64 val);

enum hx_stop_kind {
	HX_STOP_DONE,		/* hx_done */
	HX_STOP_FAIL,		/* hx_fail: code = check number */
	HX_STOP_EXC,		/* guest exception: exc_* and code = vector */
	HX_STOP_USER,		/* the exit callback stopped: code = its value */
	HX_STOP_EXIT,		/* an exit nobody handled: see v->run */
	HX_STOP_ERRNO,		/* KVM_RUN failed: err */
	HX_STOP_TIMEOUT,	/* hx_timeout seconds passed */
};

struct hx_stop {
	enum hx_stop_kind kind;
	u64 code;
	int err;
};

/*
 * Called for each exit hx_run() does not handle itself (anything but the
 * harness page): return HX_CONTINUE to run on, anything else stops with
 * HX_STOP_USER and that value as code.
 */
#define HX_CONTINUE		(-1L)
typedef long (*hx_exit_fn)(struct hx_vcpu *v, struct kvm_run *run, void *ctx);

/* Runs the vCPU until a stop (see enum hx_stop_kind); fn may be NULL. */
void hx_run(struct hx_vcpu *v, hx_exit_fn fn, void *ctx, struct hx_stop *st);
/* One line describing a stop, for diagnostics. */
const char *hx_stop_str(const struct hx_vcpu *v, const struct hx_stop *st,
			char *buf, size_t len);
/* Test point: the guest stopped with hx_done. */
bool hx_check_done(const struct hx_vcpu *v, const struct hx_stop *st,
		   const char *fmt, ...) __printf(3, 4);

const char *hx_exit_name(u32 reason);

/* A deterministic pseudo-random sequence (splitmix64). */
u64 hx_rand(u64 *state);

#endif /* !__ASSEMBLER__ */
#endif /* HX_HARNESS_H */
