/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest mini-runtime for splitvm test and bench payloads: freestanding
 * AArch64 at EL1, MMU off (all data accesses are Device memory: keep them
 * aligned), interrupts masked. start.S sets the stack and VBAR_EL1,
 * zeroes the bss and calls main(); main's return value is the exit code.
 *
 *   console   guest_putc/puts/put_hex/put_dec, guest_printf (%s %c %d %u
 *             %x %p, l/ll, width and 0 flag)
 *   exit      guest_exit(code), GUEST_DONE() = exit(0)
 *   asserts   GUEST_ASSERT(cond), GUEST_ASSERT_EQ(actual, expected):
 *             print file:line, expected and actual, exit(1)
 *   MMIO      mmio_read8..64, mmio_write8..64: one LDR/STR each (with a
 *             valid syndrome, so the hypervisor can emulate them)
 *   SMCCC     guest_hvc/guest_smc (SMCCC 1.1: x0..x3 in and out), PSCI
 *   counter   guest_cntvct (ISB before and after), guest_cntfrq
 *   traps     guest_set_sync_handler(), guest_expect_undef()
 *   IRQs      guest_set_irq_handler(); the GIC is gic.h's
 */
#ifndef GUEST_H
#define GUEST_H

#include "layout.h"

#define GUEST_STACK_SIZE	0x10000

/* struct guest_regs, built by the vectors in start.S */
#define GUEST_REGS_ELR		(31 * 8)
#define GUEST_REGS_SPSR		(32 * 8)
#define GUEST_REGS_ESR		(33 * 8)
#define GUEST_REGS_FAR		(34 * 8)
#define GUEST_REGS_SIZE		(36 * 8)

#define GUEST_VECTOR_SYNC_SPX	4	/* current EL, SP_ELx, synchronous */
#define GUEST_VECTOR_IRQ_SPX	5	/* current EL, SP_ELx, IRQ */

#define ESR_EC_SHIFT		26
#define ESR_EC_UNKNOWN		0x00

#define SMCCC_VERSION		0x80000000
#define PSCI_0_2_VERSION	0x84000000
#define PSCI_0_2_SYSTEM_OFF	0x84000008
#define PSCI_0_2_SYSTEM_RESET	0x84000009
#define PSCI_1_0_FEATURES	0x8400000a
#define SMCCC_RET_NOT_SUPPORTED	(-1L)

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's macros (checkpatch prefers them). */
#define __printf(a, b)	__attribute((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

struct guest_regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
	u64 pad;
};

_Static_assert(sizeof(struct guest_regs) == GUEST_REGS_SIZE,
	       "guest_regs layout");

int main(void);

/* x0 at entry: the DTB address splitvm passed (0: none yet). */
extern u64 guest_boot_x0;

void guest_putc(char c);
void guest_puts(const char *s);
void guest_put_hex(u64 v);
void guest_put_dec(u64 v);
void guest_printf(const char *fmt, ...) __printf(1, 2);
void guest_vprintf(const char *fmt, va_list ap);

_Noreturn void guest_exit(int code);
#define GUEST_DONE()	guest_exit(0)

_Noreturn void __guest_assert_fail(const char *file, int line,
				   const char *cond);
_Noreturn void __guest_assert_eq_fail(const char *file, int line,
				      const char *actual, const char *expected,
				      u64 a, u64 e);

#define GUEST_ASSERT(cond)						\
	do {								\
		if (!(cond))						\
			__guest_assert_fail(__FILE__, __LINE__, #cond);	\
	} while (0)

/* Compares as u64; prints both expressions and values on failure. */
#define GUEST_ASSERT_EQ(actual, expected)				\
	do {								\
		u64 __a = (u64)(actual), __e = (u64)(expected);		\
		if (__a != __e)						\
			__guest_assert_eq_fail(__FILE__, __LINE__,	\
					       #actual, #expected,	\
					       __a, __e);		\
	} while (0)

/* MMIO: single-register loads and stores, no writeback. */
static inline void mmio_write8(u64 addr, u8 v)
{
	asm volatile("strb %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void mmio_write16(u64 addr, u16 v)
{
	asm volatile("strh %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void mmio_write32(u64 addr, u32 v)
{
	asm volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline void mmio_write64(u64 addr, u64 v)
{
	asm volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline u8 mmio_read8(u64 addr)
{
	u32 v;

	asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline u16 mmio_read16(u64 addr)
{
	u32 v;

	asm volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline u32 mmio_read32(u64 addr)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline u64 mmio_read64(u64 addr)
{
	u64 v;

	asm volatile("ldr %x0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

/*
 * MMIO test helpers: one given load or store instruction, for checking
 * how a hypervisor emulates it. The loads fill the destination register
 * with MMIO_GARBAGE first and return the whole X register, so that stale
 * upper bits show.
 *   MMIO_LOAD_W("ldrsh", addr)   ldrsh Wt, [addr]
 *   MMIO_LOAD_X("ldrsh", addr)   ldrsh Xt, [addr]
 *   MMIO_STORE_W("strb", v, a)   strb Wt, [a]
 *   MMIO_STORE_X(v, a)           str Xt, [a]
 */
#define MMIO_GARBAGE	0xdeadbeefcafef00dUL

#define MMIO_LOAD_W(insn, addr) ({					\
	u64 __v = MMIO_GARBAGE;						\
	asm volatile(insn " %w0, [%1]"					\
		     : "+r"(__v) : "r"((u64)(addr)) : "memory");	\
	__v; })

#define MMIO_LOAD_X(insn, addr) ({					\
	u64 __v = MMIO_GARBAGE;						\
	asm volatile(insn " %x0, [%1]"					\
		     : "+r"(__v) : "r"((u64)(addr)) : "memory");	\
	__v; })

#define MMIO_STORE_W(insn, val, addr) ({				\
	asm volatile(insn " %w0, [%1]"					\
		     : : "r"((u64)(val)), "r"((u64)(addr)) : "memory");	\
})

#define MMIO_STORE_X(val, addr) ({					\
	asm volatile("str %x0, [%1]"					\
		     : : "r"((u64)(val)), "r"((u64)(addr)) : "memory");	\
})

/* SMCCC 1.1 calls: function id and three arguments in, x0..x3 out. */
struct smccc_res {
	u64 a0, a1, a2, a3;
};

static inline struct smccc_res guest_hvc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (struct smccc_res){ x0, x1, x2, x3 };
}

static inline struct smccc_res guest_smc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (struct smccc_res){ x0, x1, x2, x3 };
}

/* PSCI over HVC (the conduit KVM offers with KVM_ARM_VCPU_PSCI_0_2). */
static inline u64 psci_version(void)
{
	return guest_hvc(PSCI_0_2_VERSION, 0, 0, 0).a0;
}

static inline s64 psci_features(u32 fn)
{
	return guest_hvc(PSCI_1_0_FEATURES, fn, 0, 0).a0;
}

_Noreturn void psci_system_off(void);

/* Virtual counter, fenced so that it is not read early or late. */
static inline u64 guest_cntvct(void)
{
	u64 v;

	asm volatile("isb\n\tmrs %0, cntvct_el0\n\tisb"
		     : "=r"(v) : : "memory");
	return v;
}

static inline u64 guest_cntfrq(void)
{
	u64 v;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/*
 * Synchronous exceptions from EL1: a handler returning true has dealt
 * with the exception (it may change regs, e.g. regs->elr += 4 to skip
 * the instruction) and the guest resumes; false, or no handler, reports
 * it as unexpected (ESR_EL1/ELR_EL1/FAR_EL1 on the console) and exits
 * with SV_GUEST_EXIT_EXCEPTION. NULL removes the handler.
 */
typedef bool (*guest_sync_handler_t)(struct guest_regs *regs);
void guest_set_sync_handler(guest_sync_handler_t handler);

/*
 * IRQs taken at EL1 (once the payload unmasks them): the handler
 * acknowledges and ends the interrupt itself (gic.h). NULL: an IRQ is
 * reported as unexpected, like any other exception.
 */
typedef void (*guest_irq_handler_t)(void);
void guest_set_irq_handler(guest_irq_handler_t handler);

/* Called by the vectors in start.S with the saved registers. */
void guest_handle_exception(struct guest_regs *regs, unsigned long vector);

/*
 * The next synchronous exception with EC 0 (unknown reason: an UNDEF,
 * executed or injected by the hypervisor) is expected: it is recorded
 * and the faulting instruction skipped. guest_undef_taken() says whether
 * it happened since, with its ESR and ELR, and disarms.
 */
void guest_expect_undef(void);
bool guest_undef_taken(u64 *esr, u64 *elr);

static inline u32 esr_ec(u64 esr)
{
	return (esr >> ESR_EC_SHIFT) & 0x3f;
}

void *memset(void *s, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long strlen(const char *s);

#endif /* __ASSEMBLER__ */
#endif /* GUEST_H */
