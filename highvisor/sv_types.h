/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the highvisor and its host unit tests: the pure-logic
 * files (pgtable.c, image.c) include only this, so they build natively too.
 */
#ifndef SV_TYPES_H
#define SV_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <errno.h>
#include <string.h>
typedef uint64_t u64;
typedef uint32_t u32;
#endif

/*
 * Physical addresses, guest IPAs and EL2 virtual addresses are different
 * things; the compiler keeps them apart. sv_pa_to_el2() is the only way
 * from one to the other (see docs/el2-memory.md for why it is 1:1).
 */
typedef struct { u64 pa; } sv_pa_t;
typedef struct { u64 ipa; } sv_ipa_t;
typedef struct { u64 va; } sv_el2va_t;

static inline sv_el2va_t sv_pa_to_el2(sv_pa_t pa)
{
	return (sv_el2va_t){ pa.pa };
}

#endif
