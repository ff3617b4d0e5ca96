// SPDX-License-Identifier: GPL-2.0
/*
 * Guest mini-runtime: console, exit, asserts, PSCI, exception reporting
 * and the few libc functions the compiler may call.
 */
#include "guest.h"

u64 guest_boot_x0;

/*
 * Shared with the exception handler. Exceptions are synchronous and the
 * payloads only see these through calls into this file, so plain
 * variables do.
 */
static guest_sync_handler_t sync_handler;
static guest_irq_handler_t irq_handler;
static bool undef_armed, undef_taken;
static u64 undef_esr, undef_elr;

#define UART_FR_TXFF	(1 << 5)

void guest_putc(char c)
{
	while (mmio_read32(SV_UART_BASE + SV_UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(SV_UART_BASE + SV_UART_DR, (u8)c);
}

void guest_puts(const char *s)
{
	while (*s)
		guest_putc(*s++);
}

static void put_unsigned(u64 v, unsigned int base, int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (width-- > n)
		guest_putc(pad);
	while (n)
		guest_putc(buf[--n]);
}

void guest_put_hex(u64 v)
{
	guest_puts("0x");
	put_unsigned(v, 16, 0, '0');
}

void guest_put_dec(u64 v)
{
	put_unsigned(v, 10, 0, '0');
}

void guest_vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		char pad = ' ';
		u64 v;

		if (*fmt != '%') {
			guest_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len = strlen(s ? s : "(null)");

			while (width-- > len)
				guest_putc(' ');
			guest_puts(s ? s : "(null)");
			break;
		}
		case 'c':
			guest_putc(va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			v = lng ? va_arg(ap, long) : va_arg(ap, int);
			if ((s64)v < 0) {
				guest_putc('-');
				v = -v;
				width--;
			}
			put_unsigned(v, 10, width, pad);
			break;
		case 'u':
			v = lng ? va_arg(ap, unsigned long) :
				  va_arg(ap, unsigned int);
			put_unsigned(v, 10, width, pad);
			break;
		case 'x':
			v = lng ? va_arg(ap, unsigned long) :
				  va_arg(ap, unsigned int);
			put_unsigned(v, 16, width, pad);
			break;
		case 'p':
			guest_puts("0x");
			put_unsigned((u64)va_arg(ap, void *), 16, width, pad);
			break;
		case '%':
			guest_putc('%');
			break;
		case '\0':
			return;
		default:
			guest_putc('%');
			guest_putc(*fmt);
			break;
		}
	}
}

void guest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	guest_vprintf(fmt, ap);
	va_end(ap);
}

_Noreturn void guest_exit(int code)
{
	mmio_write32(SV_TESTDEV_BASE + SV_TESTDEV_EXIT, code);
	/* Not reached under splitvm; stay put under anything else. */
	for (;;)
		asm volatile("wfi");
}

void __guest_assert_fail(const char *file, int line, const char *cond)
{
	guest_printf("ASSERT FAILED %s:%d: %s\n", file, line, cond);
	guest_exit(1);
}

void __guest_assert_eq_fail(const char *file, int line, const char *actual,
			    const char *expected, u64 a, u64 e)
{
	guest_printf("ASSERT FAILED %s:%d: %s == %s\n", file, line, actual,
		     expected);
	guest_printf("  expected: 0x%016lx (%ld)\n", e, (long)e);
	guest_printf("  actual:   0x%016lx (%ld)\n", a, (long)a);
	guest_exit(1);
}

void psci_system_off(void)
{
	struct smccc_res res = guest_hvc(PSCI_0_2_SYSTEM_OFF, 0, 0, 0);

	guest_printf("PSCI SYSTEM_OFF returned 0x%lx\n", res.a0);
	guest_exit(1);
}

void guest_set_irq_handler(guest_irq_handler_t handler)
{
	irq_handler = handler;
}

void guest_set_sync_handler(guest_sync_handler_t handler)
{
	sync_handler = handler;
}

void guest_expect_undef(void)
{
	undef_taken = false;
	undef_esr = 0;
	undef_elr = 0;
	undef_armed = true;
}

bool guest_undef_taken(u64 *esr, u64 *elr)
{
	bool taken = undef_taken;

	if (esr)
		*esr = undef_esr;
	if (elr)
		*elr = undef_elr;
	undef_armed = false;
	undef_taken = false;
	return taken;
}

static const char *const vector_names[16] = {
	"sync (EL1, SP_EL0)", "IRQ (EL1, SP_EL0)",
	"FIQ (EL1, SP_EL0)", "SError (EL1, SP_EL0)",
	"sync (EL1, SP_EL1)", "IRQ (EL1, SP_EL1)",
	"FIQ (EL1, SP_EL1)", "SError (EL1, SP_EL1)",
	"sync (EL0, AArch64)", "IRQ (EL0, AArch64)",
	"FIQ (EL0, AArch64)", "SError (EL0, AArch64)",
	"sync (EL0, AArch32)", "IRQ (EL0, AArch32)",
	"FIQ (EL0, AArch32)", "SError (EL0, AArch32)",
};

/* Called by the vectors in start.S (declared in guest.h). */
void guest_handle_exception(struct guest_regs *regs, unsigned long vector)
{
	if (vector == GUEST_VECTOR_SYNC_SPX) {
		if (undef_armed && esr_ec(regs->esr) == ESR_EC_UNKNOWN) {
			undef_armed = false;
			undef_taken = true;
			undef_esr = regs->esr;
			undef_elr = regs->elr;
			regs->elr += 4;
			return;
		}
		if (sync_handler && sync_handler(regs))
			return;
	}
	if (vector == GUEST_VECTOR_IRQ_SPX && irq_handler) {
		irq_handler();
		return;
	}
	guest_printf("UNEXPECTED EXCEPTION: %s\n",
		     vector < 16 ? vector_names[vector] : "?");
	guest_printf("  ESR_EL1=0x%08lx (EC 0x%02x) ELR_EL1=0x%lx FAR_EL1=0x%lx SPSR_EL1=0x%lx\n",
		     regs->esr, esr_ec(regs->esr), regs->elr, regs->far,
		     regs->spsr);
	guest_exit(SV_GUEST_EXIT_EXCEPTION);
}

void *memset(void *s, int c, unsigned long n)
{
	u8 *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
	const u8 *s = src;
	u8 *d = dst;

	while (n--)
		*d++ = *s++;
	return dst;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}
