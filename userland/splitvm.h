/* SPDX-License-Identifier: GPL-2.0 */
/*
 * splitvm internals: the devices (dev_*.c) and the kernel loader
 * (loader.c). The guest memory map is in layout.h.
 */
#ifndef SPLITVM_H
#define SPLITVM_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "lib/sv_vm.h"

/* PL011 subset at base: DR writes go to stdout, FR reads 0. */
int dev_uart_add(struct sv_vm *vm, uint64_t base);

/*
 * Test device at base (exit, scratch, pattern, info, IRQ and mark
 * registers); info is what its INFO register reads (SV_TESTDEV_INFO_*).
 */
int dev_testdev_add(struct sv_vm *vm, uint64_t base, uint64_t info);

/* --exit-stats (exit_stats.c): counters of vCPU 0's hypervisor. */
int exit_stats_init(struct sv_vcpu *vcpu);
bool exit_stats_enabled(void);
int exit_stats_mark(const char *name);

/*
 * Loads file into guest RAM: an ELF64 AArch64 executable (by its magic)
 * at its PT_LOAD p_paddr, entry e_entry; anything else as a raw image
 * at load_addr, entry load_addr. Returns 0 and *entry, or -1 (reported).
 */
int load_kernel(struct sv_vm *vm, const char *file, uint64_t load_addr,
		uint64_t *entry);

#endif /* SPLITVM_H */
