# SPDX-License-Identifier: GPL-2.0
# splitvisor top-level build. The README's two commands:
#   make bench   set up, build, boot the emulated board, run the bench
#   make test    set up, build, run every test tier
# Other targets: all module lowvisor userland unit deps clean.
# KDIR=<kernel build dir> builds the module for that kernel only (for
# example natively on a board: make module KDIR=/lib/modules/$(uname -r)/build).

ROOT := $(CURDIR)
BUILD := $(ROOT)/build
CACHE := $(ROOT)/.cache
KERNELS := 6.1 6.12

ifeq ($(shell uname -m),aarch64)
CROSS_COMPILE ?=
else
CROSS_COMPILE ?= aarch64-linux-gnu-
endif
export CROSS_COMPILE

ifdef KDIR
MODULE_TARGETS := native
else
MODULE_TARGETS := $(KERNELS)
endif
kdir = $(if $(KDIR),$(KDIR),$(CACHE)/kernel-$(1)/build)

HOSTCC ?= gcc
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -I$(ROOT)/shared -I$(ROOT)/highvisor \
	-I$(ROOT)/tests/unit
UNIT_TESTS := $(patsubst $(ROOT)/tests/unit/%_test.c,$(BUILD)/unit/%_test,\
	$(wildcard $(ROOT)/tests/unit/*_test.c))

all: module userland unit

deps:
	@$(ROOT)/scripts/setup.sh

lowvisor:
	@$(MAKE) --no-print-directory -C $(ROOT)/lowvisor O=$(BUILD)/lowvisor

# One kbuild tree per kernel: the sources are linked into build/module-<k>.
module: lowvisor
	@set -e; for k in $(MODULE_TARGETS); do \
		d=$(BUILD)/module-$$k; mkdir -p $$d; \
		find $$d -maxdepth 1 -type l -delete; \
		ln -sf $(ROOT)/highvisor/* $$d/; \
		kd=$(if $(KDIR),$(KDIR),$(CACHE)/kernel-$$k/build); \
		echo "  MODULE  $$k ($$(readlink -f $$kd))"; \
		$(MAKE) --no-print-directory -C $$kd M=$$d ARCH=arm64 \
			SV_ROOT=$(ROOT) SV_LOWVISOR=$(BUILD)/lowvisor modules; \
	done

# Tools and guest payloads (splitvm's *.guest, *.bin) side by side in
# build/userland/, whose files the board runner copies into /bin.
userland:
	@$(MAKE) --no-print-directory -C $(ROOT)/userland O=$(BUILD)/userland
	@$(MAKE) --no-print-directory -C $(ROOT)/guest O=$(BUILD)/userland
	@$(MAKE) --no-print-directory -C $(ROOT)/tests/kvm O=$(BUILD)/userland

$(BUILD)/unit/%_test: $(ROOT)/tests/unit/%_test.c $(ROOT)/highvisor/*.[ch] \
		$(ROOT)/shared/*.h $(ROOT)/tests/unit/*.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_SRCS_$*)

UNIT_SRCS_pgtable := $(ROOT)/highvisor/pgtable.c
UNIT_SRCS_image := $(ROOT)/highvisor/image.c

$(BUILD)/unit/checkpatch_test: $(ROOT)/scripts/checkpatch-tap.sh
	@mkdir -p $(dir $@)
	ln -sf $< $@

unit: $(UNIT_TESTS) $(BUILD)/unit/checkpatch_test

test: deps
	@$(MAKE) --no-print-directory all
	@$(ROOT)/tests/run-all

bench: deps
	@$(MAKE) --no-print-directory module userland
	@$(ROOT)/bench/run

clean:
	rm -rf $(BUILD)

# The hardware tier, natively on a real board, as root (docs/testing.md):
# the module for the running kernel, the userland, then tests/hw/run.
hwtest:
	@$(MAKE) --no-print-directory module KDIR=/lib/modules/$$(uname -r)/build
	@$(MAKE) --no-print-directory userland
	$(ROOT)/tests/hw/run $(BUILD)/module-native/splitvisor.ko $(BUILD)/userland

.PHONY: all deps lowvisor module userland unit test bench clean hwtest
