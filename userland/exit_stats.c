// SPDX-License-Identifier: GPL-2.0
/*
 * Exit counters for `splitvm --exit-stats`: at each test-device MARK
 * write the change of the hypervisor's exit counters since the previous
 * MARK is printed as one line,
 *   EXITS name=<mark name> key=delta key=delta ...
 * (counters that did not change are left out). The counters come from
 *   - KVM's binary statistics of vCPU 0 (KVM_GET_STATS_FD,
 *     Documentation/virt/kvm/api.rst 4.134): every cumulative
 *     one-value counter, e.g. exits, hvc_exit_stat, mmio_exit_user;
 *   - else splitvisor's debugfs file /sys/kernel/debug/splitvisor/exits
 *     ("key: value" lines: ec_0xNN, irq, mmio_user, el2_null_calls, ...),
 *     which counts the exits of every VM on the host.
 * and, where the host lets it count them, host_cycles=delta: the CPU
 * cycles of this thread (vCPU 0's, which sv_vm_run() runs on its
 * caller's thread) at every exception level, the guest's and EL2's
 * included. On a board that is what the operations cost in cycles with
 * the hypervisor's part, which a guest's own PMU cannot count (it stops
 * outside the guest); under QEMU the cycle counter is virtual time, one
 * cycle an instruction with -icount shift=0.
 * The MARK write itself is an exit to the VMM: bench/summary.py measures
 * what an empty MARK pair adds and subtracts it.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "splitvm.h"

#define STATS_MAX	96
#define STATS_NAME	48
#define SV_EXITS_FILE	"/sys/kernel/debug/splitvisor/exits"

struct counter {
	char name[STATS_NAME];
	uint64_t value;
};

static struct {
	int kvm_fd;			/* KVM_GET_STATS_FD, or -1 */
	struct kvm_stats_header hdr;
	struct kvm_stats_desc *desc;	/* hdr.num_desc entries */
	size_t desc_size;
	struct counter prev[STATS_MAX];
	int nr_prev;
	int cycles_fd;			/* perf: this thread's CPU cycles, or -1 */
	uint64_t prev_cycles;
	bool on;
} st = { .kvm_fd = -1, .cycles_fd = -1 };

static struct kvm_stats_desc *desc_at(unsigned int i)
{
	return (struct kvm_stats_desc *)((char *)st.desc + i * st.desc_size);
}

static int kvm_stats_open(struct sv_vcpu *vcpu)
{
	size_t len;
	int fd;

	fd = ioctl(vcpu->fd, KVM_GET_STATS_FD, NULL);
	if (fd < 0)
		return -1;
	if (pread(fd, &st.hdr, sizeof(st.hdr), 0) != sizeof(st.hdr))
		goto fail;
	st.desc_size = sizeof(struct kvm_stats_desc) + st.hdr.name_size;
	len = st.hdr.num_desc * st.desc_size;
	st.desc = malloc(len);
	if (!st.desc ||
	    pread(fd, st.desc, len, st.hdr.desc_offset) != (ssize_t)len)
		goto fail;
	st.kvm_fd = fd;
	return 0;
fail:
	free(st.desc);
	st.desc = NULL;
	close(fd);
	return -1;
}

static int kvm_stats_read(struct counter *c)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < st.hdr.num_desc && n < STATS_MAX; i++) {
		struct kvm_stats_desc *d = desc_at(i);
		uint64_t v;

		if ((d->flags & KVM_STATS_TYPE_MASK) !=
		    KVM_STATS_TYPE_CUMULATIVE || d->size != 1)
			continue;
		if (pread(st.kvm_fd, &v, sizeof(v),
			  st.hdr.data_offset + d->offset) != sizeof(v))
			return -1;
		snprintf(c[n].name, STATS_NAME, "%s", d->name);
		c[n++].value = v;
	}
	return n;
}

static int sv_stats_read(struct counter *c)
{
	char line[128], key[STATS_NAME];
	unsigned long long v;
	FILE *f = fopen(SV_EXITS_FILE, "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < STATS_MAX && fgets(line, sizeof(line), f))
		if (sscanf(line, "%47[^:]: %llu", key, &v) == 2) {
			snprintf(c[n].name, STATS_NAME, "%s", key);
			c[n++].value = v;
		}
	fclose(f);
	return n;
}

static int stats_read(struct counter *c)
{
	return st.kvm_fd >= 0 ? kvm_stats_read(c) : sv_stats_read(c);
}

/*
 * No exclude_* bit: the guest (no exclude_guest), EL2 (no exclude_hv) and
 * the host. KVM switches only counters whose exclude_host and
 * exclude_guest differ; splitvisor only its guests' own.
 */
static int cycles_open(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
	};
	int fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1,
			 PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "splitvm: --exit-stats: no host cycle counter (perf_event_open: %s): EXITS lines without host_cycles\n",
			strerror(errno));
	return fd;
}

static int cycles_read(uint64_t *v)
{
	return read(st.cycles_fd, v, sizeof(*v)) == sizeof(*v) ? 0 : -1;
}

int exit_stats_init(struct sv_vcpu *vcpu)
{
	if (kvm_stats_open(vcpu) && access(SV_EXITS_FILE, R_OK)) {
		sv_err("--exit-stats: %s has no KVM_GET_STATS_FD and %s is not readable",
		       vcpu->vm->path, SV_EXITS_FILE);
		return -1;
	}
	st.nr_prev = stats_read(st.prev);
	if (st.nr_prev < 0) {
		sv_err("--exit-stats: cannot read the exit counters");
		return -1;
	}
	st.cycles_fd = cycles_open();
	if (st.cycles_fd >= 0 && cycles_read(&st.prev_cycles)) {
		close(st.cycles_fd);
		st.cycles_fd = -1;
	}
	st.on = true;
	return 0;
}

bool exit_stats_enabled(void)
{
	return st.on;
}

static uint64_t prev_value(const char *name)
{
	int i;

	for (i = 0; i < st.nr_prev; i++)
		if (!strcmp(st.prev[i].name, name))
			return st.prev[i].value;
	return 0;
}

int exit_stats_mark(const char *name)
{
	struct counter now[STATS_MAX];
	uint64_t cycles = 0;
	int i, n;

	if (!st.on)
		return 0;
	if (st.cycles_fd >= 0 && cycles_read(&cycles)) {
		sv_err("--exit-stats: cannot read the host cycle counter");
		return -1;
	}
	n = stats_read(now);
	if (n < 0) {
		sv_err("--exit-stats: cannot read the exit counters");
		return -1;
	}
	printf("EXITS name=%s", name);
	for (i = 0; i < n; i++) {
		uint64_t d = now[i].value - prev_value(now[i].name);

		if (d)
			printf(" %s=%llu", now[i].name, (unsigned long long)d);
	}
	if (st.cycles_fd >= 0) {
		printf(" host_cycles=%llu",
		       (unsigned long long)(cycles - st.prev_cycles));
		st.prev_cycles = cycles;
	}
	printf("\n");
	fflush(stdout);
	memcpy(st.prev, now, sizeof(now[0]) * n);
	st.nr_prev = n;
	return 0;
}
