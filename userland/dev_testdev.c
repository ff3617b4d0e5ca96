// SPDX-License-Identifier: GPL-2.0
/*
 * The test device (registers in layout.h): the guest's exit(code), a
 * scratch register for MMIO round trips of every size, and a read-only
 * pattern for checking sign and zero extension of narrow loads.
 */
#include <string.h>

#include "splitvm.h"

struct testdev {
	uint64_t scratch;
};

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
	if (offset >= SV_TESTDEV_PATTERN &&
	    offset + len <= SV_TESTDEV_PATTERN + 8) {
		if (!is_write)
			put_le(data, len,
			       pat >> (8 * (offset - SV_TESTDEV_PATTERN)));
		return 0;
	}
	sv_err("test device: %s of %u bytes at offset 0x%llx: no such register (exit 0x%x: 4/8-byte writes, scratch 0x%x, pattern 0x%x..0x%x)",
	       is_write ? "write" : "read", len, (unsigned long long)offset,
	       SV_TESTDEV_EXIT, SV_TESTDEV_SCRATCH, SV_TESTDEV_PATTERN,
	       SV_TESTDEV_PATTERN + 7);
	return -1;
}

static struct testdev testdev_state;

static struct sv_mmio_dev testdev = {
	.name = "testdev",
	.size = SV_TESTDEV_SIZE,
	.access = testdev_access,
	.priv = &testdev_state,
};

int dev_testdev_add(struct sv_vm *vm, uint64_t base)
{
	memset(&testdev_state, 0, sizeof(testdev_state));
	testdev.base = base;
	return sv_vm_add_mmio(vm, &testdev);
}
