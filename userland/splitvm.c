// SPDX-License-Identifier: GPL-2.0
/*
 * splitvm: a minimal VMM on a KVM-ABI device (/dev/splitvisor by default,
 * or Linux's /dev/kvm). It loads a raw or ELF guest image into RAM, adds
 * a UART and the test device (memory map in layout.h), and runs the
 * guest until it exits, powers off, fails or times out.
 *
 *   splitvm [--device PATH] [--mem MiB] [--ram-base ADDR] --kernel FILE
 *           [--load-addr ADDR] [--timeout SEC] [--vcpus N]
 *           [--vgic v3|v2] [--thp on|off] [--exit-stats]
 *
 * Guest RAM is anonymous memory mapped congruent to its guest address
 * modulo 2 MiB, so that a transparent huge page can back a 2 MiB stage-2
 * block; --thp on advises it MADV_HUGEPAGE (refused where the host's THP
 * policy is never), --thp off MADV_NOHUGEPAGE (4 KiB pages); without
 * --thp the host's policy applies (Debian's: always).
 *
 * Exit status: the guest's exit code (test device; values above 255 are
 * reported and become 255), 0 when the guest powers off or resets (PSCI
 * SYSTEM_OFF / SYSTEM_RESET), 1 on a VMM error or bad usage (with a
 * message on stderr), 124 when --timeout expires.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splitvm.h"

#ifndef SV_VERSION
#define SV_VERSION "unknown"
#endif

#define EXIT_VMM_ERROR	1
#define EXIT_TIMEOUT	124

struct options {
	const char *device;
	const char *kernel;
	uint64_t mem_mib;
	uint64_t ram_base;
	uint64_t load_addr;
	int load_addr_set;
	uint64_t timeout;
	uint64_t vcpus;
	int vgic;		/* 0: none, else the in-kernel GIC version */
	enum sv_thp thp;
	int exit_stats;
};

static void print_help(FILE *f)
{
	fprintf(f,
		"usage: splitvm [--device PATH] [--mem MiB] [--ram-base ADDR] --kernel FILE\n"
		"               [--load-addr ADDR] [--timeout SEC] [--vcpus N]\n"
		"               [--vgic v3|v2] [--thp on|off] [--exit-stats]\n"
		"  --device PATH     KVM-ABI device [/dev/splitvisor]; /dev/kvm works too\n"
		"  --mem MiB         guest RAM size [%d]\n"
		"  --ram-base ADDR   guest physical address of RAM [0x%x]\n"
		"  --kernel FILE     ELF64 AArch64 executable (loaded at its p_paddr,\n"
		"                    entry e_entry) or raw binary (at --load-addr)\n"
		"  --load-addr ADDR  where a raw binary goes and starts [RAM base]\n"
		"  --timeout SEC     stop the guest after SEC seconds, exit 124 [none]\n"
		"  --vcpus N         vCPUs; 1..N-1 start powered off (PSCI CPU_ON) [1]\n"
		"  --vgic v3|v2      an in-kernel GIC (KVM_CREATE_DEVICE) at QEMU virt's\n"
		"                    addresses; the test device can then raise SPIs [none]\n"
		"  --thp on|off      guest RAM on transparent huge pages (MADV_HUGEPAGE;\n"
		"                    an error if the host's THP policy is never) or on\n"
		"                    4 KiB pages (MADV_NOHUGEPAGE) [the host's policy]\n"
		"  --exit-stats      print the exit counters' change at each test-device\n"
		"                    MARK (\"EXITS name=... key=delta ...\"), with\n"
		"                    host_cycles: vCPU 0's thread's CPU cycles, guest\n"
		"                    and hypervisor included, where perf counts them\n"
		"exit status: the guest's exit code; 0 on PSCI SYSTEM_OFF/RESET;\n"
		"1 on a VMM error; 124 on timeout\n"
		"  -h, --help        this text;  --version  the version\n",
		SV_RAM_SIZE_MIB, SV_RAM_BASE);
}

static int parse_u64(const char *opt, const char *arg, uint64_t min,
		     uint64_t max, uint64_t *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || v < min ||
	    v > max) {
		sv_err("%s: '%s' is not a number in [%llu, %llu]", opt, arg,
		       (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*val = v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "mem", required_argument, NULL, 'm' },
		{ "ram-base", required_argument, NULL, 'b' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "load-addr", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "vcpus", required_argument, NULL, 'c' },
		{ "vgic", required_argument, NULL, 'g' },
		{ "thp", required_argument, NULL, 'p' },
		{ "exit-stats", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = 0;

	*o = (struct options) {
		.device = "/dev/splitvisor",
		.mem_mib = SV_RAM_SIZE_MIB,
		.ram_base = SV_RAM_BASE,
		.vcpus = 1,
	};
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->device = optarg;
			break;
		case 'm':
			ret = parse_u64("--mem", optarg, 1, 1 << 20,
					&o->mem_mib);
			break;
		case 'b':
			ret = parse_u64("--ram-base", optarg, 0,
					(1ull << 40) - 1, &o->ram_base);
			break;
		case 'k':
			o->kernel = optarg;
			break;
		case 'l':
			ret = parse_u64("--load-addr", optarg, 0, ~0ull,
					&o->load_addr);
			o->load_addr_set = 1;
			break;
		case 't':
			ret = parse_u64("--timeout", optarg, 0, 1000000,
					&o->timeout);
			break;
		case 'c':
			ret = parse_u64("--vcpus", optarg, 1, SV_MAX_VCPUS,
					&o->vcpus);
			break;
		case 'g':
			if (!strcmp(optarg, "v3") || !strcmp(optarg, "v2")) {
				o->vgic = optarg[1] - '0';
			} else {
				sv_err("--vgic: '%s' is neither v3 nor v2", optarg);
				ret = -1;
			}
			break;
		case 'p':
			if (!strcmp(optarg, "on")) {
				o->thp = SV_THP_ON;
			} else if (!strcmp(optarg, "off")) {
				o->thp = SV_THP_OFF;
			} else {
				sv_err("--thp: '%s' is neither on nor off", optarg);
				ret = -1;
			}
			break;
		case 'x':
			o->exit_stats = 1;
			break;
		case 'h':
			print_help(stdout);
			exit(0);
		case 'V':
			printf("splitvm %s\n", SV_VERSION);
			exit(0);
		case ':':
			sv_err("%s: missing argument", argv[optind - 1]);
			print_help(stderr);
			return -1;
		default:
			sv_err("%s: unknown option", argv[optind - 1]);
			print_help(stderr);
			return -1;
		}
		if (ret)
			return -1;
	}
	if (optind < argc) {
		sv_err("unexpected argument '%s'", argv[optind]);
		print_help(stderr);
		return -1;
	}
	if (!o->kernel) {
		sv_err("no --kernel FILE given");
		print_help(stderr);
		return -1;
	}
	if (o->ram_base & 0xfff) {
		sv_err("--ram-base 0x%llx is not page-aligned",
		       (unsigned long long)o->ram_base);
		return -1;
	}
	if (!o->load_addr_set)
		o->load_addr = o->ram_base;
	return 0;
}

/*
 * Boot registers of vCPU 0 (arm64 Linux boot protocol): x0 = DTB address,
 * x1..x3 = 0. There is no DTB yet: this is where one will be placed.
 */
static int set_boot_regs(struct sv_vcpu *vcpu, const struct options *o,
			 uint64_t entry)
{
	uint64_t dtb = 0;
	int i;

	if (sv_vcpu_set_reg(vcpu, SV_REG_PSTATE, SV_PSTATE_EL1H_DAIF) ||
	    sv_vcpu_set_reg(vcpu, SV_REG_PC, entry) ||
	    sv_vcpu_set_reg(vcpu, SV_REG_SP_EL1,
			    o->ram_base + (o->mem_mib << 20)) ||
	    sv_vcpu_set_reg(vcpu, SV_REG_X(0), dtb))
		return -1;
	for (i = 1; i < 4; i++)
		if (sv_vcpu_set_reg(vcpu, SV_REG_X(i), 0))
			return -1;
	return 0;
}

static uint64_t testdev_info(const struct options *o)
{
	return (o->vgic == 3 ? SV_TESTDEV_INFO_VGIC_V3 : 0) |
	       (o->vgic == 2 ? SV_TESTDEV_INFO_VGIC_V2 : 0) |
	       (o->exit_stats ? SV_TESTDEV_INFO_STATS : 0) |
	       (o->thp == SV_THP_ON ? SV_TESTDEV_INFO_THP : 0) |
	       (o->thp == SV_THP_OFF ? SV_TESTDEV_INFO_NOTHP : 0);
}

static int run(const struct options *o)
{
	struct sv_stop stop;
	struct sv_vm vm;
	uint64_t entry;
	int status = EXIT_VMM_ERROR;
	unsigned int i;

	if (sv_vm_open(&vm, o->device))
		goto out;
	vm.thp = o->thp;
	if (sv_vm_add_ram(&vm, 0, o->ram_base, o->mem_mib << 20, 0, NULL))
		goto out;
	if (dev_uart_add(&vm, SV_UART_BASE) ||
	    dev_testdev_add(&vm, SV_TESTDEV_BASE, testdev_info(o)))
		goto out;
	if (load_kernel(&vm, o->kernel, o->load_addr, &entry))
		goto out;
	for (i = 0; i < o->vcpus; i++)
		if (!sv_vcpu_create(&vm, i))
			goto out;
	if (o->vgic && sv_vm_create_vgic(&vm, o->vgic, SV_GICD_BASE,
					 o->vgic == 3 ? SV_GICR_BASE :
							SV_GICC_BASE))
		goto out;
	if (o->exit_stats && exit_stats_init(vm.vcpus[0]))
		goto out;
	if (set_boot_regs(vm.vcpus[0], o, entry))
		goto out;
	if (sv_vm_set_timeout(&vm, o->timeout))
		goto out;
	if (sv_vm_run(&vm, &stop))
		goto out;

	switch (stop.reason) {
	case SV_STOP_EXIT:
		status = stop.status;
		if (stop.status > 255) {
			sv_err("guest exit code 0x%x does not fit an exit status: exiting with 255",
			       stop.status);
			status = 255;
		}
		break;
	case SV_STOP_SHUTDOWN:
		status = 0;
		break;
	case SV_STOP_RESET:
		sv_err("guest asked for a reset (PSCI SYSTEM_RESET): stopping, resets are not emulated");
		status = 0;
		break;
	case SV_STOP_TIMEOUT:
		if (sv_vcpu_get_reg(vm.vcpus[0], SV_REG_PC, &entry))
			entry = ~0ull;
		sv_err("timeout: the guest ran for %llu s without exiting (vCPU 0 at pc=0x%llx)",
		       (unsigned long long)o->timeout,
		       (unsigned long long)entry);
		status = EXIT_TIMEOUT;
		break;
	case SV_STOP_ERROR:
	case SV_STOP_NONE:
		status = EXIT_VMM_ERROR;
		break;
	}
out:
	fflush(stdout);
	sv_vm_close(&vm);
	return status;
}

int main(int argc, char **argv)
{
	struct options o;

	sv_progname = "splitvm";
	if (parse_options(argc, argv, &o))
		return EXIT_VMM_ERROR;
	return run(&o);
}
