// SPDX-License-Identifier: GPL-2.0
/*
 * Taking EL2 over from Linux's hyp stub on every CPU and giving it back:
 * at load and unload (one rendezvous), on CPU hotplug and around CPU_PM
 * low-power states that lose EL2 state.
 *
 * Per CPU, with interrupts off:
 *   1. an unknown call must get the stub's HVC_STUB_ERR: anything else
 *      means EL2 belongs to someone else (KVM) and nothing is touched;
 *   2. HVC_SOFT_RESTART runs __sv_read_vbar at EL2, which reads the stub's
 *      VBAR_EL2: the address to restore on the way out;
 *   3. HVC_SET_VECTORS installs the lowvisor's init vectors;
 *   4. SV_HC_INIT turns the EL2 MMU on and installs the runtime vectors;
 *   5. SV_HC_PING must come back from this CPU's MPIDR with our ABI.
 */
#include "splitvisor.h"

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpu_pm.h>
#include <linux/smp.h>
#include <asm/cputype.h>
#include <asm/virt.h>

static bool sv_stub_there(unsigned int cpu)
{
	struct sv_hvc_res res;

	sv_hvc(SV_HC_ID(SV_HC_PING), 0, &res);
	if (res.a0 == HVC_STUB_ERR)
		return true;
	if (res.a0 == SV_RET_OK)
		pr_err("CPU%u: EL2 already runs a splitvisor lowvisor (ABI %llu)\n",
		       cpu, res.a1);
	else
		pr_err("CPU%u: EL2 is not Linux's hyp stub (it answered 0x%llx): is KVM using it? Boot with kvm-arm.mode=none\n",
		       cpu, res.a0);
	return false;
}

void sv_el2_report(unsigned int cpu, const char *what,
		   const struct sv_hvc_res *res)
{
	if (res->a0 == (u64)SV_RET_EL2_FAULT)
		pr_err("CPU%u: %s: exception at EL2: ESR_EL2=0x%llx (EC 0x%llx) ELR_EL2=lowvisor+0x%llx FAR_EL2=0x%llx\n",
		       cpu, what, res->a1, res->a1 >> 26,
		       res->a2 - sv_pa_to_el2(sv.image_pa).va, res->a3);
	else
		pr_err("CPU%u: %s failed: EL2 returned 0x%llx\n", cpu, what,
		       res->a0);
}

static int sv_check_ping(unsigned int cpu, const struct sv_hvc_res *res)
{
	u64 mpidr = read_cpuid_mpidr() & MPIDR_HWID_BITMASK;

	if (res->a0 != SV_RET_OK) {
		sv_el2_report(cpu, "ping", res);
		return -EIO;
	}
	if (res->a1 != SV_ABI_REVISION || res->a2 != cpu ||
	    (res->a3 & MPIDR_HWID_BITMASK) != mpidr) {
		pr_err("CPU%u: ping: expected ABI %d, cpu %u, MPIDR 0x%llx; got %llu, %llu, 0x%llx\n",
		       cpu, SV_ABI_REVISION, cpu, mpidr, res->a1, res->a2,
		       res->a3 & MPIDR_HWID_BITMASK);
		return -EIO;
	}
	return 0;
}

/* Steps 1-5 above on this CPU; interrupts are off. */
static int sv_el2_up_local(void)
{
	unsigned int cpu = smp_processor_id();
	struct sv_pcpu *pc = &sv.cpus[cpu];
	struct sv_hvc_res res;

	if (!sv_stub_there(cpu))
		return -EBUSY;

	sv_hvc(HVC_SOFT_RESTART, sv_image_pa(sv.hdr.read_vbar).pa, &res);
	if (!res.a0 || res.a0 & 0x7ff) {
		pr_err("CPU%u: could not read the hyp stub's vectors (got 0x%llx)\n",
		       cpu, res.a0);
		return -EIO;
	}
	pc->stub_vbar = res.a0;

	sv_hvc(HVC_SET_VECTORS, sv_image_pa(sv.hdr.init_vectors).pa, &res);
	if (res.a0) {
		pr_err("CPU%u: the hyp stub refused HVC_SET_VECTORS (0x%llx)\n",
		       cpu, res.a0);
		return -EBUSY;
	}

	/* Workarounds and vectors for this very CPU, before EL2 reads them. */
	sv_cpu_caps_probe(cpu, pc->el2,
			  sv_pa_to_el2(sv_image_pa(sv.hdr.runtime_vectors)).va);
	/* EL2 reads the parameters from memory, with its MMU off. */
	sv_dcache_clean_inval_poc(&pc->params, sizeof(pc->params));
	sv_hvc(SV_HC_ID(SV_HC_INIT_FN), virt_to_phys(&pc->params), &res);
	if (res.a0 != SV_RET_OK) {
		sv_el2_report(cpu, "EL2 init", &res);
		sv_hvc(HVC_SET_VECTORS, pc->stub_vbar, &res);
		return -EIO;
	}
	pc->up = true;

	sv_hvc(SV_HC_ID(SV_HC_PING), 0, &res);
	return sv_check_ping(cpu, &res);
}

static void sv_el2_down_local(void)
{
	unsigned int cpu = smp_processor_id();
	struct sv_pcpu *pc = &sv.cpus[cpu];
	struct sv_hvc_res res;

	if (!pc->up)
		return;
	sv_hvc(SV_HC_ID(SV_HC_RESET), pc->stub_vbar, &res);
	if (res.a0 != SV_RET_OK) {
		sv_el2_report(cpu, "EL2 reset", &res);
		return;
	}
	pc->up = false;
	if (!sv_stub_there(cpu))
		pr_err("CPU%u: the hyp stub did not come back\n", cpu);
}

struct sv_rendezvous {
	atomic_t err;			/* first error any CPU saw */
	atomic_t cpus;			/* CPUs that took part */
};

static void sv_el2_up_ipi(void *arg)
{
	struct sv_rendezvous *rv = arg;
	int err = sv_el2_up_local();

	sv.cpus[smp_processor_id()].err = err;
	atomic_inc(&rv->cpus);
	if (err)
		atomic_cmpxchg(&rv->err, 0, err);
}

static void sv_el2_down_ipi(void *arg)
{
	sv_el2_down_local();
}

static int sv_cpu_online(unsigned int cpu)
{
	unsigned long flags;
	int err;

	local_irq_save(flags);
	err = sv_el2_up_local();
	sv.cpus[cpu].err = err;
	if (err && sv.cpus[cpu].up)
		sv_el2_down_local();
	local_irq_restore(flags);
	/*
	 * Do not fail the CPU's online: Linux runs fine on it, only guests
	 * cannot; the error is in dmesg and in debugfs.
	 */
	return 0;
}

static int sv_cpu_offline(unsigned int cpu)
{
	unsigned long flags;

	local_irq_save(flags);
	sv_el2_down_local();
	local_irq_restore(flags);
	return 0;
}

/*
 * A low-power state may lose EL2 state, and firmware resumes the CPU into
 * the kernel's own EL2 set-up (the stub). Give EL2 back before, take it
 * again after, so both cases end the same way.
 */
static int sv_cpu_pm_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct sv_pcpu *pc = &sv.cpus[smp_processor_id()];

	switch (action) {
	case CPU_PM_ENTER:
		if (pc->up) {
			sv_el2_down_local();
			pc->pm_down = true;
		}
		break;
	case CPU_PM_ENTER_FAILED:
	case CPU_PM_EXIT:
		if (pc->pm_down) {
			pc->pm_down = false;
			pc->err = sv_el2_up_local();
		}
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block sv_cpu_pm_nb = {
	.notifier_call = sv_cpu_pm_notify,
};

int sv_el2_bringup(void)
{
	struct sv_rendezvous rv = { ATOMIC_INIT(0), ATOMIC_INIT(0) };
	unsigned int cpu, first = nr_cpu_ids;
	int ret;

	cpus_read_lock();
	on_each_cpu(sv_el2_up_ipi, &rv, 1);
	ret = atomic_read(&rv.err);
	if (ret)
		goto err_down;

	for_each_online_cpu(cpu) {
		if (first == nr_cpu_ids)
			first = cpu;
		else if (sv.cpus[cpu].stub_vbar != sv.cpus[first].stub_vbar)
			pr_warn("CPU%u: hyp stub vectors at 0x%llx, CPU%u at 0x%llx\n",
				cpu, sv.cpus[cpu].stub_vbar, first,
				sv.cpus[first].stub_vbar);
	}

	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "splitvisor/el2:online",
						   sv_cpu_online,
						   sv_cpu_offline);
	if (ret < 0)
		goto err_down;
	sv.hp_state = ret;
	cpus_read_unlock();

	ret = cpu_pm_register_notifier(&sv_cpu_pm_nb);
	if (ret)
		goto err_hp;
	sv.pm_registered = true;
	pr_info("EL2 taken over on %d CPUs; hyp stub vectors at 0x%llx\n",
		atomic_read(&rv.cpus), sv.cpus[first].stub_vbar);
	return 0;

err_hp:
	cpus_read_lock();
	cpuhp_remove_state_nocalls_cpuslocked(sv.hp_state);
	sv.hp_state = 0;
err_down:
	on_each_cpu(sv_el2_down_ipi, NULL, 1);
	cpus_read_unlock();
	return ret;
}

void sv_el2_teardown(void)
{
	if (sv.pm_registered)
		cpu_pm_unregister_notifier(&sv_cpu_pm_nb);
	sv.pm_registered = false;
	cpus_read_lock();
	if (sv.hp_state > 0)
		cpuhp_remove_state_nocalls_cpuslocked(sv.hp_state);
	sv.hp_state = 0;
	on_each_cpu(sv_el2_down_ipi, NULL, 1);
	cpus_read_unlock();
}

struct sv_ping {
	struct sv_hvc_res res;
	int err;
};

static void sv_ping_ipi(void *arg)
{
	struct sv_ping *p = arg;
	unsigned int cpu = smp_processor_id();

	if (!sv.cpus[cpu].up) {
		p->err = -ENODEV;
		return;
	}
	sv_hvc(SV_HC_ID(SV_HC_PING), 0, &p->res);
	p->err = sv_check_ping(cpu, &p->res);
}

int sv_el2_ping_cpu(unsigned int cpu, struct sv_hvc_res *res)
{
	struct sv_ping p = { .err = -ENODEV };
	int ret;

	ret = smp_call_function_single(cpu, sv_ping_ipi, &p, 1);
	*res = p.res;
	return ret ? ret : p.err;
}
