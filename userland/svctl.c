// SPDX-License-Identifier: GPL-2.0
/*
 * svctl: asks a KVM-ABI device (/dev/splitvisor by default, or /dev/kvm)
 * what it is and can do, and can hold a VM open (for example to see that
 * the module cannot be unloaded underneath it).
 *
 *   svctl [--device PATH] version
 *   svctl [--device PATH] cap NUMBER
 *   svctl [--device PATH] create-vm [--hold]
 *   svctl -h | --help | --version
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifndef SV_VERSION
#define SV_VERSION "unknown"
#endif

static const char *device = "/dev/splitvisor";

static int open_device(void)
{
	int fd = open(device, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "svctl: %s: %s\n", device, strerror(errno));
		exit(1);
	}
	return fd;
}

static int cmd_version(void)
{
	int ret = ioctl(open_device(), KVM_GET_API_VERSION, 0);

	if (ret < 0) {
		fprintf(stderr, "svctl: KVM_GET_API_VERSION: %s\n",
			strerror(errno));
		return 1;
	}
	printf("api_version=%d\n", ret);
	return 0;
}

static int cmd_cap(const char *arg)
{
	char *end;
	long cap = strtol(arg, &end, 0);
	int ret;

	if (*end || cap < 0) {
		fprintf(stderr, "svctl: bad capability number '%s'\n", arg);
		return 2;
	}
	ret = ioctl(open_device(), KVM_CHECK_EXTENSION, cap);
	if (ret < 0) {
		fprintf(stderr, "svctl: KVM_CHECK_EXTENSION: %s\n",
			strerror(errno));
		return 1;
	}
	printf("cap %ld=%d\n", cap, ret);
	return 0;
}

static int cmd_create_vm(int hold)
{
	int vm = ioctl(open_device(), KVM_CREATE_VM, 0);

	if (vm < 0) {
		fprintf(stderr, "svctl: KVM_CREATE_VM: %s\n", strerror(errno));
		return 1;
	}
	printf("vm_fd=%d\n", vm);
	fflush(stdout);
	if (hold)
		for (;;)
			pause();	/* until a signal ends the process */
	return 0;
}

static void print_help(FILE *f)
{
	fprintf(f,
		"usage: svctl [--device PATH] version | cap NUMBER | create-vm [--hold]\n"
		"  --device PATH   KVM-ABI device [/dev/splitvisor]; /dev/kvm works too\n"
		"  version         KVM_GET_API_VERSION of the device\n"
		"  cap NUMBER      KVM_CHECK_EXTENSION: the answer for capability NUMBER\n"
		"  create-vm       KVM_CREATE_VM; --hold keeps it open until a signal\n"
		"  -h, --help      this text;  --version  svctl's own version\n"
		"exit status: 0 done, 1 the device or ioctl failed, 2 bad usage\n");
}

static int bad_usage(void)
{
	print_help(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		print_help(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("svctl %s\n", SV_VERSION);
		return 0;
	}
	if (i + 1 < argc && !strcmp(argv[i], "--device")) {
		device = argv[i + 1];
		i += 2;
	}
	if (i >= argc)
		return bad_usage();
	if (!strcmp(argv[i], "version") && argc == i + 1)
		return cmd_version();
	if (!strcmp(argv[i], "cap") && argc == i + 2)
		return cmd_cap(argv[i + 1]);
	if (!strcmp(argv[i], "create-vm") && argc == i + 1)
		return cmd_create_vm(0);
	if (!strcmp(argv[i], "create-vm") && argc == i + 2 &&
	    !strcmp(argv[i + 1], "--hold"))
		return cmd_create_vm(1);
	return bad_usage();
}
