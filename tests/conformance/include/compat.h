/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (-include) into every KVM selftest object built by
 * tests/conformance/build-selftests. Debian's linux-source-6.1 carries a
 * backported dirty_log_test.c that uses TEST_ASSERT_EQ(), which 6.1's
 * test_util.h does not define yet (upstream added it in 6.5). This is the
 * 6.5 definition; it expands to test_assert(), which test_util.h declares
 * before any use, so nothing is included here. Defined only if missing,
 * so a tree that has it keeps its own.
 */
#ifndef SV_SELFTEST_COMPAT_H
#define SV_SELFTEST_COMPAT_H

#ifndef TEST_ASSERT_EQ
#define TEST_ASSERT_EQ(a, b)						\
do {									\
	typeof(a) __a = (a);						\
	typeof(b) __b = (b);						\
	test_assert(__a == __b, #a " == " #b, __FILE__, __LINE__,	\
		    "%#lx != %#lx (%s != %s)",				\
		    (unsigned long)(__a), (unsigned long)(__b), #a, #b);	\
} while (0)
#endif

#endif
