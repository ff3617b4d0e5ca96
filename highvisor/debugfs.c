// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/splitvisor/: what tests and the bench read.
 *   status  mode, ABI, image size, and per CPU whether EL2 is up
 *   ping    pings EL2 on every online CPU now, one line per CPU
 *   fault   reading: per-CPU EL2 fault records;
 *           writing a CPU number: SV_HC_TEST_FAULT on that CPU
 *   bench   host->EL2 null-call round trip, timed with the generic counter
 *   exits   per-CPU exit counters, summed
 *   caps    per CPU: MIDR, errata workarounds and vectors in use; what
 *           guests are told about ARCH_WORKAROUND_1/2/3
 */
#include "splitvisor.h"
#include "stats.h"
#include "vm.h"

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <asm/arch_timer.h>

static const char *sv_mode_name(void)
{
	return sv.mode == SV_MODE_VHE ? "vhe" : "split";
}

static int sv_status_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	seq_printf(m, "mode: %s\n", sv_mode_name());
	seq_printf(m, "abi: %u\n", sv.hdr.abi_revision);
	seq_printf(m, "image: %llu bytes (%llu at EL2)\n", sv.hdr.file_size,
		   sv.hdr.mem_size);
	sv_vm_resources_show(m);
	/* In VHE mode: the vCPUs' world-switch pages, no EL2 tables. */
	seq_printf(m, "el2_pages: %ld (%lu of them tables)\n",
		   sv_el2_pages_allocated(), sv.pgt.nr_tables);
	if (sv.mode == SV_MODE_VHE)
		return 0;
	for_each_possible_cpu(cpu) {
		struct sv_pcpu *pc = &sv.cpus[cpu];

		seq_printf(m, "cpu%u: %s err=%d hcalls=%llu faults=%llu\n", cpu,
			   pc->up ? "up" : "down", pc->err,
			   sv_stats_cpu_hcalls(cpu),
			   pc->el2->fault.count);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_status);

static void sv_current_el_ipi(void *arg)
{
	*(u64 *)arg = read_sysreg(CurrentEL) >> 2;
}

static int sv_ping_show(struct seq_file *m, void *v)
{
	struct sv_hvc_res res;
	unsigned int cpu;
	u64 el;
	int err;

	for_each_online_cpu(cpu) {
		if (sv.mode == SV_MODE_VHE) {
			/* No lowvisor to ping: the kernel itself is at EL2. */
			err = smp_call_function_single(cpu, sv_current_el_ipi,
						       &el, 1);
			if (err || el != 2)
				seq_printf(m, "cpu%u: error %d (EL%llu)\n", cpu,
					   err, el);
			else
				seq_printf(m, "cpu%u: vhe kernel at EL2\n", cpu);
			continue;
		}
		err = sv_el2_ping_cpu(cpu, &res);
		if (err)
			seq_printf(m, "cpu%u: error %d\n", cpu, err);
		else
			seq_printf(m, "cpu%u: ok abi=%llu mpidr=0x%llx\n", cpu,
				   res.a1, res.a3);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_ping);

static int sv_fault_show(struct seq_file *m, void *v)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		const struct sv_el2_fault *f = &sv.cpus[cpu].el2->fault;

		seq_printf(m, "cpu%u: count=%llu vector=%llu esr=0x%llx elr=lowvisor+0x%llx far=0x%llx\n",
			   cpu, f->count, f->vector, f->esr,
			   f->count ? f->elr - sv.cpus[cpu].el2->image_base : 0,
			   f->far);
	}
	return 0;
}

static void sv_fault_ipi(void *arg)
{
	sv_hvc(SV_HC_ID(SV_HC_TEST_FAULT), 0, arg);
}

static ssize_t sv_fault_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct sv_hvc_res res = {};
	unsigned int cpu;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 0, &cpu);
	if (ret)
		return ret;
	if (cpu >= nr_cpu_ids || !cpu_online(cpu) || !sv.cpus[cpu].up)
		return -ENODEV;
	ret = smp_call_function_single(cpu, sv_fault_ipi, &res, 1);
	if (ret)
		return ret;
	if (res.a0 != (u64)SV_RET_EL2_FAULT)
		return -EIO;
	sv_el2_report(cpu, "test fault", &res);
	return len;
}

static int sv_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, sv_fault_show, NULL);
}

static const struct file_operations sv_fault_fops = {
	.owner		= THIS_MODULE,
	.open		= sv_fault_open,
	.read		= seq_read,
	.write		= sv_fault_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

#define SV_BENCH_SAMPLES	256
#define SV_BENCH_BATCH		64

static int sv_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Each sample times SV_BENCH_BATCH back-to-back null calls between two
 * ISB-fenced counter reads, interrupts off. Printed per call in
 * picoseconds of counter time: under QEMU -icount shift=0 one executed
 * instruction is one nanosecond, so 1000 ps = 1 instruction there.
 */
static int sv_bench_show(struct seq_file *m, void *v)
{
	u64 freq = arch_timer_get_cntfrq();
	struct sv_hvc_res res;
	unsigned long flags;
	u64 *ps;
	int i, j;

	if (sv.mode == SV_MODE_VHE) {
		seq_puts(m, "bench: no lowvisor in VHE mode\n");
		return 0;
	}
	ps = kmalloc_array(SV_BENCH_SAMPLES, sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	for (i = 0; i < SV_BENCH_SAMPLES; i++) {
		u64 t0, t1;

		local_irq_save(flags);
		isb();
		t0 = __arch_counter_get_cntvct();
		isb();
		for (j = 0; j < SV_BENCH_BATCH; j++)
			sv_hvc(SV_HC_ID(SV_HC_PING), 0, &res);
		isb();
		t1 = __arch_counter_get_cntvct();
		isb();
		local_irq_restore(flags);
		sv_stat_add(hcalls, SV_BENCH_BATCH);
		if (res.a0 != SV_RET_OK) {
			kfree(ps);
			return -EIO;
		}
		ps[i] = div64_u64((t1 - t0) * 1000000000000ULL,
				  freq * SV_BENCH_BATCH);
	}
	sort(ps, SV_BENCH_SAMPLES, sizeof(*ps), sv_cmp_u64, NULL);
	seq_printf(m, "name=hvc_el2_null samples=%d batch=%d cntfrq=%llu min_ps=%llu median_ps=%llu p99_ps=%llu\n",
		   SV_BENCH_SAMPLES, SV_BENCH_BATCH, freq, ps[0],
		   ps[SV_BENCH_SAMPLES / 2],
		   ps[SV_BENCH_SAMPLES * 99 / 100]);
	kfree(ps);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_bench);

static int sv_exits_show(struct seq_file *m, void *v)
{
	sv_stats_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_exits);

static int sv_caps_show(struct seq_file *m, void *v)
{
	sv_cpu_caps_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(sv_caps);

void sv_debugfs_init(void)
{
	sv.debugfs = debugfs_create_dir("splitvisor", NULL);
	debugfs_create_file("status", 0444, sv.debugfs, NULL, &sv_status_fops);
	debugfs_create_file("ping", 0444, sv.debugfs, NULL, &sv_ping_fops);
	if (sv.mode == SV_MODE_SPLIT) {
		debugfs_create_file("fault", 0644, sv.debugfs, NULL,
				    &sv_fault_fops);
		debugfs_create_file("bench", 0444, sv.debugfs, NULL,
				    &sv_bench_fops);
	}
	debugfs_create_file("exits", 0444, sv.debugfs, NULL, &sv_exits_fops);
	debugfs_create_file("caps", 0444, sv.debugfs, NULL, &sv_caps_fops);
}

void sv_debugfs_exit(void)
{
	debugfs_remove_recursive(sv.debugfs);
	sv.debugfs = NULL;
}
