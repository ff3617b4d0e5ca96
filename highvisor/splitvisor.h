/* SPDX-License-Identifier: GPL-2.0 */
/* The highvisor's internal interfaces. Include first: it sets pr_fmt. */
#ifndef SPLITVISOR_H
#define SPLITVISOR_H

#define pr_fmt(fmt) "splitvisor: " fmt

#include <linux/cpuhotplug.h>
#include <linux/notifier.h>
#include <linux/types.h>

#include "splitvisor_abi.h"
#include "sv_types.h"
#include "pgtable.h"
#include "errata.h"

#define SV_EL2_STACK_SIZE	(4 * PAGE_SIZE)

enum sv_mode {
	SV_MODE_SPLIT,		/* kernel at EL1, the lowvisor owns EL2 */
	SV_MODE_VHE,		/* kernel at EL2: no lowvisor to install */
};

/* Per-CPU EL2 bookkeeping; sv.cpus[cpu]. */
struct sv_pcpu {
	struct sv_el2_cpu *el2;		/* one page, mapped at EL2 */
	void *stack;			/* SV_EL2_STACK_SIZE, mapped at EL2 */
	struct sv_init_params params;	/* read by EL2 with its MMU off */
	u64 stub_vbar;			/* PA of the stub's vectors here */
	bool up;			/* EL2 runs the lowvisor */
	bool pm_down;			/* taken down for CPU_PM, redo on exit */
	int err;			/* last bring-up error, 0 if none */
	u64 midr;			/* as read on the CPU; 0: never up */
	struct sv_cpu_errata errata;	/* cpu_caps.c, at each bring-up */
};

struct splitvisor {
	enum sv_mode mode;
	struct sv_image_header hdr;
	void *image;			/* hdr.mem_size bytes, page aligned */
	sv_pa_t image_pa;
	struct sv_pgt pgt;		/* EL2 stage 1 */
	struct sv_pcpu *cpus;		/* nr_cpu_ids entries */
	u64 tcr, sctlr, vtcr, host_hcr, host_cptr, host_cnthctl;
	int hp_state;			/* cpuhp dynamic state, or 0 */
	bool pm_registered;
	struct dentry *debugfs;
};

extern struct splitvisor sv;

struct sv_hvc_res {
	u64 a0, a1, a2, a3;
};

/*
 * The one way the host calls EL2 (the stub or the lowvisor). x0-x17 are
 * treated as clobbered: SV_HC_INIT and SV_HC_RESET, and the stub's
 * HVC_SOFT_RESTART, do not preserve them.
 */
/*
 * The result comes back by value, so the hot caller (the vCPU run call)
 * keeps it in registers: no stack slot, no stack-protector canary.
 */
static __always_inline struct sv_hvc_res sv_hvc3_ret(u64 fn, u64 a1, u64 a2,
						     u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct sv_hvc_res){ x0, x1, x2, x3 };
}

static inline void sv_hvc3(u64 fn, u64 a1, u64 a2, u64 a3,
			   struct sv_hvc_res *res)
{
	*res = sv_hvc3_ret(fn, a1, a2, a3);
}

static inline void sv_hvc(u64 fn, u64 arg, struct sv_hvc_res *res)
{
	sv_hvc3(fn, arg, 0, 0, res);
}

static inline sv_pa_t sv_image_pa(u64 offset)
{
	return (sv_pa_t){ sv.image_pa.pa + offset };
}

/* lowvisor_blob.S: the EL2 image */
extern const char sv_lowvisor_blob[], sv_lowvisor_blob_end[];

/* Linux 6.1 exports it; main.c looks it up with symbol_get(). */
extern struct dentry *kvm_debugfs_dir;

/* el2_mem.c */
int sv_el2_mem_init(const void *blob, size_t size);
void sv_el2_mem_exit(void);
void sv_dcache_clean_inval_poc(const void *addr, size_t size);
long sv_el2_pages_allocated(void);
void *sv_el2_alloc_mapped(size_t size);
void sv_el2_free_mapped(void *p, size_t size);
int sv_call_el2(u64 fn, u64 arg, struct sv_hvc_res *res);
int sv_call_el2_args(u64 fn, u64 a1, u64 a2, u64 a3, struct sv_hvc_res *res);

/* el2.c */
int sv_el2_bringup(void);
void sv_el2_teardown(void);
int sv_el2_ping_cpu(unsigned int cpu, struct sv_hvc_res *res);
void sv_el2_report(unsigned int cpu, const char *what, const struct sv_hvc_res *res);

/* dev.c */
int sv_dev_init(void);
void sv_dev_exit(void);

struct seq_file;

/* vm.c */
int sv_vm_count(void);
void sv_vm_resources_show(struct seq_file *m);

/* cpu_caps.c */
void sv_cpu_caps_probe(unsigned int cpu, struct sv_el2_cpu *el2, u64 vbar);
int sv_cpu_caps_mitigation(int which);
long sv_cpu_caps_smccc_wa(int which);
void sv_cpu_caps_show(struct seq_file *m);

/* debugfs.c */
void sv_debugfs_init(void);
void sv_debugfs_exit(void);

#endif
