// SPDX-License-Identifier: GPL-2.0
/*
 * The test device (registers in layout.h): the guest's exit(code), a
 * scratch register for MMIO round trips of every size, a read-only
 * pattern for checking sign and zero extension of narrow loads, and for
 * the bench: what the VMM set up (INFO), an SPI the guest asks the VMM to
 * raise (IRQ) and named marks for the exit counters (MARK).
 */
#include <string.h>

#include "splitvm.h"

struct testdev {
	uint64_t scratch;
	uint64_t info;
};

#define MARK_NAME_MAX	64

/* MARK: the guest passes the address of a short printable name. */
static int testdev_mark(struct sv_vm *vm, uint64_t gpa)
{
	const char *p;
	size_t i;

	for (i = 1; i <= MARK_NAME_MAX; i++) {
		p = sv_vm_gpa_to_hva(vm, gpa, i);
		if (!p)
			break;
		if (!p[i - 1])
			return exit_stats_mark(p);
		if (p[i - 1] <= ' ' || p[i - 1] > '~')
			break;
	}
	sv_err("test device: MARK 0x%llx is not the guest address of a printable name of at most %d characters",
	       (unsigned long long)gpa, MARK_NAME_MAX - 1);
	return -1;
}

static uint64_t get_le(const uint8_t *data, unsigned int len)
{
	uint64_t v = 0;

	while (len--)
		v = v << 8 | data[len];
	return v;
}

static void put_le(uint8_t *data, unsigned int len, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < len; i++, v >>= 8)
		data[i] = v & 0xff;
}

static int testdev_access(struct sv_mmio_dev *dev, uint64_t offset,
			  bool is_write, uint8_t *data, unsigned int len)
{
	struct testdev *td = dev->priv;
	uint64_t pat = SV_TESTDEV_PATTERN_VAL;

	if (offset == SV_TESTDEV_EXIT && (len == 4 || len == 8)) {
		if (is_write)
			sv_vm_request_stop(dev->vm, SV_STOP_EXIT,
					   (uint32_t)get_le(data, len), -1);
		return 0;
	}
	if (offset == SV_TESTDEV_SCRATCH) {
		if (is_write)
			td->scratch = get_le(data, len);
		else
			put_le(data, len, td->scratch);
		return 0;
	}
	if (offset == SV_TESTDEV_INFO && len == 8) {
		if (!is_write)
			put_le(data, len, td->info);
		return 0;
	}
	if (offset == SV_TESTDEV_IRQ && is_write && (len == 4 || len == 8)) {
		uint32_t intid = (uint32_t)get_le(data, len);

		if (!(td->info & (SV_TESTDEV_INFO_VGIC_V3 |
				  SV_TESTDEV_INFO_VGIC_V2))) {
			sv_err("test device: IRQ %u asked for, but there is no in-kernel vGIC (splitvm --vgic)",
			       intid);
			return -1;
		}
		/* Up then down: the edge an edge-triggered SPI latches. */
		if (sv_vm_irq_line(dev->vm, intid, 1) ||
		    sv_vm_irq_line(dev->vm, intid, 0))
			return -1;
		return 0;
	}
	if (offset == SV_TESTDEV_MARK && is_write && len == 8)
		return testdev_mark(dev->vm, get_le(data, len));
	if (offset >= SV_TESTDEV_PATTERN &&
	    offset + len <= SV_TESTDEV_PATTERN + 8) {
		if (!is_write)
			put_le(data, len,
			       pat >> (8 * (offset - SV_TESTDEV_PATTERN)));
		return 0;
	}
	sv_err("test device: %s of %u bytes at offset 0x%llx: no such register (exit 0x%x: 4/8-byte writes, scratch 0x%x, pattern 0x%x..0x%x, info 0x%x: 8-byte reads, irq 0x%x: 4/8-byte writes, mark 0x%x: 8-byte writes)",
	       is_write ? "write" : "read", len, (unsigned long long)offset,
	       SV_TESTDEV_EXIT, SV_TESTDEV_SCRATCH, SV_TESTDEV_PATTERN,
	       SV_TESTDEV_PATTERN + 7, SV_TESTDEV_INFO, SV_TESTDEV_IRQ,
	       SV_TESTDEV_MARK);
	return -1;
}

static struct testdev testdev_state;

static struct sv_mmio_dev testdev = {
	.name = "testdev",
	.size = SV_TESTDEV_SIZE,
	.access = testdev_access,
	.priv = &testdev_state,
};

int dev_testdev_add(struct sv_vm *vm, uint64_t base, uint64_t info)
{
	memset(&testdev_state, 0, sizeof(testdev_state));
	testdev_state.info = info;
	testdev.base = base;
	return sv_vm_add_mmio(vm, &testdev);
}
