/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny header-only TAP producer for the host unit tests.
 *
 *   CHECK(cond, fmt, ...)                 ok iff cond
 *   CHECK_EQ_U64(desc, expected, actual)  compared as u64, shown in hex
 *   CHECK_EQ_INT(desc, expected, actual)  compared as long, shown in
 *                                         decimal with the errno name
 *   CHECK_STR(desc, cond, expected, got)  ok iff cond; both strings shown
 *   TAP_TODO(reason)                      the next point is a known bug:
 *                                         "# TODO reason", never a failure
 *   tap_skip(desc, reason)                ok N - desc # SKIP reason
 *   tap_diag(fmt, ...)                    a "# ..." comment line
 *   tap_done()                            prints the plan "1..N" and
 *                                         returns the exit status
 *
 * The CHECK macros evaluate to true when the point passed, so a test can
 * stop early when later points would be meaningless. A failed point is
 * followed by "# expected X, got Y" and "# at file:line".
 */
#ifndef SV_TAP_H
#define SV_TAP_H

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int tap_points;
static unsigned int tap_failed;
static const char *tap_todo_reason;

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline bool tap_vresult(bool ok, const char *fmt, va_list ap)
{
	const char *todo = tap_todo_reason;

	tap_todo_reason = NULL;
	tap_points++;
	if (!ok && !todo)
		tap_failed++;
	printf("%sok %u - ", ok ? "" : "not ", tap_points);
	vprintf(fmt, ap);
	if (todo)
		printf(" # TODO %s", todo);
	fputc('\n', stdout);
	fflush(stdout);
	return ok;
}

static inline bool tap_result(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ok = tap_vresult(ok, fmt, ap);
	va_end(ap);
	return ok;
}

static inline void tap_skip(const char *desc, const char *reason)
{
	tap_points++;
	printf("ok %u - %s # SKIP %s\n", tap_points, desc, reason);
	fflush(stdout);
}

static inline const char *tap_errname(long v)
{
	static const struct {
		long v;
		const char *name;
	} names[] = {
		{ 0, "success" },
		{ -EPERM, "-EPERM" },
		{ -ENOENT, "-ENOENT" },
		{ -ENOEXEC, "-ENOEXEC" },
		{ -ENOMEM, "-ENOMEM" },
		{ -EEXIST, "-EEXIST" },
		{ -EINVAL, "-EINVAL" },
		{ -ERANGE, "-ERANGE" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].v == v)
			return names[i].name;
	return "?";
}

static inline bool tap_check_u64(const char *file, int line, const char *desc,
				 uint64_t expected, uint64_t actual)
{
	if (tap_result(expected == actual, "%s", desc))
		return true;
	tap_diag("expected 0x%016" PRIx64 ", got 0x%016" PRIx64
		 " (differing bits 0x%016" PRIx64 ")",
		 expected, actual, expected ^ actual);
	tap_diag("at %s:%d", file, line);
	return false;
}

static inline bool tap_check_int(const char *file, int line, const char *desc,
				 long expected, long actual)
{
	if (tap_result(expected == actual, "%s", desc))
		return true;
	tap_diag("expected %ld (%s), got %ld (%s)", expected,
		 tap_errname(expected), actual, tap_errname(actual));
	tap_diag("at %s:%d", file, line);
	return false;
}

#define CHECK(cond, ...)						\
({									\
	bool __ok = tap_result(!!(cond), __VA_ARGS__);			\
	if (!__ok) {							\
		tap_diag("expected %s, got false", #cond);		\
		tap_diag("at %s:%d", __FILE__, __LINE__);		\
	}								\
	__ok;								\
})

#define CHECK_EQ_U64(desc, expected, actual)				\
	tap_check_u64(__FILE__, __LINE__, (desc), (uint64_t)(expected),	\
		      (uint64_t)(actual))

#define CHECK_EQ_INT(desc, expected, actual)				\
	tap_check_int(__FILE__, __LINE__, (desc), (long)(expected),	\
		      (long)(actual))

#define CHECK_STR(desc, cond, expected, got)				\
({									\
	const char *__got = (got);					\
	bool __ok = tap_result(!!(cond), "%s", (desc));			\
	if (!__ok) {							\
		tap_diag("expected %s, got \"%s\"", (expected),		\
			 __got ? __got : "(null)");			\
		tap_diag("at %s:%d", __FILE__, __LINE__);		\
	}								\
	__ok;								\
})

#define TAP_TODO(reason)	(tap_todo_reason = (reason))

static inline int tap_done(void)
{
	printf("1..%u\n", tap_points);
	if (tap_failed)
		tap_diag("%u of %u test points failed", tap_failed, tap_points);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* SV_TAP_H */
