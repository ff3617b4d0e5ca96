/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's physical memory map, shared by the VMM (userland/splitvm.c,
 * userland/dev_*.c) and the guest runtime (guest/). Only #defines: it is
 * included from C (hosted and freestanding) and from assembly.
 *
 * The device addresses are QEMU virt's, so that a guest written for that
 * board finds its UART where it expects it.
 *
 *   guest physical address
 *   0x0000_0000 +---------------------------+
 *               |  unmapped: an access is   |
 *               |  an MMIO exit that no     |
 *               |  device claims = VMM      |
 *               |  error, exit status 1     |
 *   0x0800_0000 +---------------------------+
 *               |  in-kernel vGIC (--vgic   | SV_GICD_BASE; GICv3:
 *               |  v3|v2 only; unmapped     |   SV_GICR_BASE, GICv2:
 *               |  otherwise)               |   SV_GICC_BASE
 *   0x0900_0000 +---------------------------+
 *               |  UART (PL011 subset)      | SV_UART_BASE, 4 KiB
 *   0x0900_1000 +---------------------------+
 *               |  unmapped                 |
 *   0x0a00_0000 +---------------------------+
 *               |  test device              | SV_TESTDEV_BASE, 4 KiB
 *   0x0a00_1000 +---------------------------+
 *               |  unmapped                 |
 *   0x4000_0000 +---------------------------+ SV_RAM_BASE (--ram-base)
 *               |  guest image: raw binary  | --load-addr (default
 *               |  at --load-addr, or ELF   |   SV_RAM_BASE) = entry;
 *               |  PT_LOADs at p_paddr      |   ELF: e_entry
 *               |  ...                      |
 *               |  the guest runtime keeps  |
 *               |  its stack in its bss     |
 *               |            initial SP_EL1 | = RAM end (a fallback)
 *   RAM end     +---------------------------+ SV_RAM_BASE + --mem MiB
 *               |  unmapped                 |   (SV_RAM_SIZE_MIB default)
 *               +---------------------------+
 *
 * The VMM's mapping of RAM is congruent to its guest address modulo
 * 2 MiB (lib/sv_vm.h SV_RAM_ALIGN), so that a transparent huge page of
 * the VMM can back a 2 MiB stage-2 block; --thp on|off chooses the
 * backing (SV_TESTDEV_INFO_THP/NOTHP tell the guest).
 *
 * Boot state of vCPU 0: EL1h, MMU and caches off, DAIF masked,
 * PC = entry, x0 = DTB address (0: no DTB yet), x1..x3 = 0,
 * SP_EL1 = RAM end.
 */
#ifndef SPLITVM_LAYOUT_H
#define SPLITVM_LAYOUT_H

#define SV_RAM_BASE		0x40000000

/*
 * The in-kernel vGIC that `splitvm --vgic v3|v2` asks the hypervisor for
 * (KVM_CREATE_DEVICE), at QEMU virt's addresses: distributor, GICv3
 * redistributors (128 KiB per vCPU), GICv2 CPU interface.
 */
#define SV_GICD_BASE		0x08000000
#define SV_GICC_BASE		0x08010000
#define SV_GICR_BASE		0x080a0000
#define SV_RAM_SIZE_MIB		64

/* PL011 subset: DR (write = output a byte), FR (reads 0 = ready). */
#define SV_UART_BASE		0x09000000
#define SV_UART_SIZE		0x1000
#define SV_UART_DR		0x00
#define SV_UART_FR		0x18

/*
 * Test device.
 *   EXIT     0x00  W 4 or 8 bytes: stop the VM, splitvm exits with the
 *                  low 32 bits as status (values above 255 become 255)
 *   SCRATCH  0x08  RW 1/2/4/8 bytes at offset 8 exactly: a write of N
 *                  bytes sets the register to the zero-extended value, a
 *                  read returns its low N bytes
 *   PATTERN  0x10  R 1/2/4/8 bytes anywhere in 0x10..0x17: the bytes of
 *                  SV_TESTDEV_PATTERN (little-endian), so a byte read at
 *                  0x11 is 0xcd; writes are ignored
 *   INFO     0x18  R 8 bytes: what the VMM set up, SV_TESTDEV_INFO_* bits
 *   IRQ      0x20  W 4 or 8 bytes: the VMM raises and lowers the SPI with
 *                  that INTID (KVM_IRQ_LINE; an edge for an edge-triggered
 *                  SPI); a VMM error without an in-kernel vGIC
 *   MARK     0x28  W 8 bytes: the guest address of a NUL-terminated name;
 *                  with --exit-stats the VMM prints the exit counters'
 *                  change since the previous MARK as one line,
 *                  "EXITS name=<name> key=delta ..." (see splitvm.c)
 * Reads of EXIT return 0; any other offset is a VMM error.
 */
#define SV_TESTDEV_BASE		0x0a000000
#define SV_TESTDEV_SIZE		0x1000
#define SV_TESTDEV_EXIT		0x00
#define SV_TESTDEV_SCRATCH	0x08
#define SV_TESTDEV_PATTERN	0x10
#define SV_TESTDEV_PATTERN_VAL	0x0123456789abcdef
#define SV_TESTDEV_INFO		0x18
#define SV_TESTDEV_IRQ		0x20
#define SV_TESTDEV_MARK		0x28

/* SV_TESTDEV_INFO bits */
#define SV_TESTDEV_INFO_VGIC_V3	(1 << 0)	/* in-kernel GICv3 */
#define SV_TESTDEV_INFO_VGIC_V2	(1 << 1)	/* in-kernel GICv2 */
#define SV_TESTDEV_INFO_STATS	(1 << 2)	/* MARK prints counters */
#define SV_TESTDEV_INFO_THP	(1 << 3)	/* --thp on: RAM MADV_HUGEPAGE */
#define SV_TESTDEV_INFO_NOTHP	(1 << 4)	/* --thp off: MADV_NOHUGEPAGE */

/* Exit code of the guest runtime on an unexpected exception. */
#define SV_GUEST_EXIT_EXCEPTION	0x7f

#endif /* SPLITVM_LAYOUT_H */
