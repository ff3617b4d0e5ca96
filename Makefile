# SPDX-License-Identifier: GPL-2.0
# splitvisor top-level build; `make help` lists the targets.
# KDIR=<kernel build dir> builds the module for that kernel only (for
# example natively on a board: make module KDIR=/lib/modules/$(uname -r)/build).
# V=1 prints every command (as kbuild); by default one line per step.

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

VERSION := $(shell cat $(ROOT)/VERSION)

# kbuild's convention: V=1 shows the commands, otherwise a short line per
# step and sub-makes run silently (their errors and warnings still show).
ifeq ($(V),1)
Q :=
SUBMAKE := $(MAKE) --no-print-directory V=1
else
Q := @
SUBMAKE := $(MAKE) --no-print-directory -s
endif

HOSTCC ?= gcc
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -I$(ROOT)/shared -I$(ROOT)/highvisor \
	-I$(ROOT)/tests/unit
UNIT_TESTS := $(patsubst $(ROOT)/tests/unit/%_test.c,$(BUILD)/unit/%_test,\
	$(wildcard $(ROOT)/tests/unit/*_test.c))

all: module userland unit

define HELP
splitvisor $(VERSION): make [V=1] TARGET

  test        set up (scripts/setup.sh), build, run every test tier; the
              last line is "N passed, N failed[, N skipped]"
  bench       set up, build, run the bench on the emulated board
  conformance Linux's KVM selftests on every board kind, splitvisor
              against KVM (tests/conformance/matrix)
  shell       set up, build, boot the emulated board with splitvisor
              loaded and a shell on its console (Ctrl-A x leaves);
              BOARD=name picks a row of tests/board/boards.conf
              [$(SHELL_BOARD)] (docs/by-hand.md)
  all         the module for 6.1 and 6.12, userland, unit tests
  module      the module (KDIR=dir: for that kernel build dir only)
  lowvisor    the EL2 image
  userland    svctl, splitvm, the guest payloads and tests/kvm programs
  unit        the host unit tests (build/unit/)
  selftests   Linux 6.1's KVM selftests, unmodified (build/selftests/)
  deps        only the set-up (scripts/setup.sh)
  hwtest      on a real ARMv8 board, natively, as root: the hardware tier
              (docs/testing.md)
  clean       remove build/
  help        this text

  V=1         print every command
Scripts: tests/run-all, tests/board/run, scripts/board-shell,
scripts/setup.sh, bench/run (each answers --help).
endef
export HELP

help:
	@echo "$$HELP"

deps:
	@$(ROOT)/scripts/setup.sh

lowvisor:
	@echo "  LOWVISOR build/lowvisor/"
	$(Q)$(SUBMAKE) -C $(ROOT)/lowvisor O=$(BUILD)/lowvisor

# One kbuild tree per kernel: the sources are linked into build/module-<k>.
module: lowvisor
	@set -e; for k in $(MODULE_TARGETS); do \
		d=$(BUILD)/module-$$k; mkdir -p $$d; \
		find $$d -maxdepth 1 -type l -delete; \
		ln -sf $(ROOT)/highvisor/* $$d/; \
		kd=$(if $(KDIR),$(KDIR),$(CACHE)/kernel-$$k/build); \
		echo "  MODULE  $$k ($$(readlink -f $$kd))"; \
		$(MAKE) --no-print-directory -C $$kd M=$$d ARCH=arm64 V=$(V) \
			SV_ROOT=$(ROOT) SV_LOWVISOR=$(BUILD)/lowvisor modules; \
	done

# Tools and guest payloads (splitvm's *.guest, *.bin) side by side in
# build/userland/, whose files the board runner copies into /bin.
userland:
	@echo "  USERLAND build/userland/ (svctl, splitvm)"
	$(Q)$(SUBMAKE) -C $(ROOT)/userland O=$(BUILD)/userland
	@echo "  GUEST   build/userland/*.guest"
	$(Q)$(SUBMAKE) -C $(ROOT)/guest O=$(BUILD)/userland
	@echo "  KVMTEST build/userland/kvm_*"
	$(Q)$(SUBMAKE) -C $(ROOT)/tests/kvm O=$(BUILD)/userland

$(BUILD)/unit/%_test: $(ROOT)/tests/unit/%_test.c $(ROOT)/highvisor/*.[ch] \
		$(ROOT)/shared/*.h $(ROOT)/tests/unit/*.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $(patsubst $(ROOT)/%,%,$@)"
	$(Q)$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_SRCS_$*)

UNIT_SRCS_pgtable := $(ROOT)/highvisor/pgtable.c
UNIT_SRCS_image := $(ROOT)/highvisor/image.c

$(BUILD)/unit/checkpatch_test: $(ROOT)/scripts/checkpatch-tap.sh
	@mkdir -p $(dir $@)
	$(Q)ln -sf $< $@

# The bench's summary script, on made-up board output.
$(BUILD)/unit/bench_summary_test: $(ROOT)/bench/summary_test.py
	@mkdir -p $(dir $@)
	ln -sf $< $@

unit: $(UNIT_TESTS) $(BUILD)/unit/checkpatch_test $(BUILD)/unit/bench_summary_test

# Linux 6.1's KVM selftests, unmodified, into build/selftests/ (cached).
selftests:
	@$(ROOT)/tests/conformance/build-selftests

test: deps
	@$(MAKE) --no-print-directory all selftests
	@$(ROOT)/tests/run-all

# make bench [QUICK=1] [ONLY=ids] [PROFILE=1] [GIC=2] [RUNS=N]: see bench/run.
bench: deps
	@$(MAKE) --no-print-directory module userland
	@$(MAKE) --no-print-directory -C $(ROOT)/bench/plugin O=$(BUILD)/bench
	@QUICK="$(QUICK)" ONLY="$(ONLY)" PROFILE="$(PROFILE)" GIC="$(GIC)" \
		RUNS="$(RUNS)" $(ROOT)/bench/run

# The shell needs only its board's kernel: no other kernel, no checkpatch,
# no kernel source.
SHELL_BOARD := a57-v3-6.1
BOARD ?= $(SHELL_BOARD)
board_kernel = $(shell awk -v b='$(BOARD)' '!/^[[:space:]]*(\#|$$)/ && $$1 == b \
	{ print $$2; exit }' $(ROOT)/tests/board/boards.conf)
shell:
	@k='$(board_kernel)'; [ -n "$$k" ] || { \
		echo "make shell: no board '$(BOARD)' in tests/board/boards.conf" >&2; \
		exit 2; }; \
	$(ROOT)/scripts/setup.sh --kernels "$$k" --no-checkpatch --no-source && \
	$(MAKE) --no-print-directory module userland KERNELS="$$k" && \
	exec $(ROOT)/scripts/board-shell --board '$(BOARD)'

version:
	@echo "splitvisor $(VERSION)"

conformance: deps
	@$(MAKE) --no-print-directory module userland selftests
	@$(ROOT)/tests/conformance/matrix

clean:
	rm -rf $(BUILD)

# The hardware tier, natively on a real board, as root (docs/testing.md):
# the module for the running kernel, the userland, then tests/hw/run.
hwtest:
	@$(MAKE) --no-print-directory module KDIR=/lib/modules/$$(uname -r)/build
	@$(MAKE) --no-print-directory userland
	$(ROOT)/tests/hw/run $(BUILD)/module-native/splitvisor.ko $(BUILD)/userland

# An unknown target is an error, not "Nothing to be done": `make tests`
# would otherwise "build" the folder tests/. Files under build/ may be
# named as targets.
GOALS := all help deps lowvisor module userland unit selftests test bench \
	conformance shell version hwtest clean
unknown_goals := $(filter-out $(GOALS) build/% $(BUILD)/%,$(MAKECMDGOALS))
ifneq ($(unknown_goals),)
$(error unknown target '$(firstword $(unknown_goals))' (make help lists the targets))
endif

.PHONY: $(GOALS)
