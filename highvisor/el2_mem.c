// SPDX-License-Identifier: GPL-2.0
/*
 * Memory EL2 runs on: the relocated lowvisor image, per-CPU stacks and
 * state, and the EL2 stage-1 tables that map exactly those (1:1, see
 * docs/el2-memory.md), plus the EL2 translation control values.
 */
#include "splitvisor.h"
#include "hyp_ops.h"

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/cacheflush.h>
#include <asm/sysreg.h>

#include "image.h"

/* TCR_EL2 (non-VHE format), ARM ARM D13.2.133 */
#define SV_TCR_EL2_T0SZ_48		16ULL
#define SV_TCR_EL2_IRGN0_WBWA	(1ULL << 8)
#define SV_TCR_EL2_ORGN0_WBWA	(1ULL << 10)
#define SV_TCR_EL2_SH0_INNER	(3ULL << 12)
#define SV_TCR_EL2_TG0_4K		(0ULL << 14)
#define SV_TCR_EL2_PS_SHIFT	16
#define SV_TCR_EL2_RES1_BITS	((1ULL << 31) | (1ULL << 23))

/* SCTLR_EL2 (non-VHE format), ARM ARM D13.2.113 */
#define SV_SCTLR_EL2_M		(1ULL << 0)
#define SV_SCTLR_EL2_C		(1ULL << 2)
#define SV_SCTLR_EL2_SA		(1ULL << 3)
#define SV_SCTLR_EL2_I		(1ULL << 12)
#define SV_SCTLR_EL2_WXN		(1ULL << 19)
#define SV_SCTLR_EL2_RES1_BITS	((1ULL << 4) | (1ULL << 5) | (1ULL << 11) | \
				 (1ULL << 16) | (1ULL << 18) | (1ULL << 22) | \
				 (1ULL << 23) | (1ULL << 28) | (1ULL << 29))

/* VTCR_EL2 for a 40-bit IPA space, 4 KiB granule, start at level 1. */
#define SV_VTCR_EL2_T0SZ_40	24ULL
#define SV_VTCR_EL2_SL0_L1		(1ULL << 6)
#define SV_VTCR_EL2_IRGN0_WBWA	(1ULL << 8)
#define SV_VTCR_EL2_ORGN0_WBWA	(1ULL << 10)
#define SV_VTCR_EL2_SH0_INNER	(3ULL << 12)
#define SV_VTCR_EL2_PS_SHIFT	16
#define SV_VTCR_EL2_RES1_BITS	(1ULL << 31)

/* PARange encodings: 2 = 40 bits, 5 = 48 bits. */
#define SV_PARANGE_40		2
#define SV_PARANGE_48		5

/*
 * Every page EL2 can see comes from here and is counted, so that unload
 * can prove it gave all of them back.
 */
static atomic_long_t sv_el2_pages = ATOMIC_LONG_INIT(0);

static void *sv_el2_alloc(size_t size)
{
	void *p = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);

	if (p)
		atomic_long_add(PAGE_ALIGN(size) >> PAGE_SHIFT, &sv_el2_pages);
	return p;
}

static void sv_el2_free(void *p, size_t size)
{
	if (!p)
		return;
	free_pages_exact(p, size);
	atomic_long_sub(PAGE_ALIGN(size) >> PAGE_SHIFT, &sv_el2_pages);
}

long sv_el2_pages_allocated(void)
{
	return atomic_long_read(&sv_el2_pages);
}

static void *sv_alloc_table(void *ctx, unsigned int order, sv_pa_t *pa)
{
	void *table = sv_el2_alloc(PAGE_SIZE << order);

	if (table)
		pa->pa = virt_to_phys(table);
	return table;
}

static void sv_free_table(void *ctx, void *table, unsigned int order)
{
	sv_el2_free(table, PAGE_SIZE << order);
}

static void *sv_table_va(void *ctx, sv_pa_t pa)
{
	return phys_to_virt(pa.pa);
}

static const struct sv_pgt_ops sv_el2_pgt_ops = {
	.alloc_table	= sv_alloc_table,
	.free_table	= sv_free_table,
	.table_va	= sv_table_va,
};

/*
 * By VA in the linear map. DC CIVAC rather than DC CVAC: Cortex-A53 errata
 * 819472/826319/827319/824069 make a plain clean unreliable there.
 */
void sv_dcache_clean_inval_poc(const void *addr, size_t size)
{
	u64 line = 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	u64 p = (u64)addr & ~(line - 1);
	u64 end = (u64)addr + size;

	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r" (p) : "memory");
	dsb(sy);
}

static int sv_map_linear(void *va, size_t size, unsigned int prot)
{
	sv_pa_t pa = { virt_to_phys(va) };

	return sv_pgt_map(&sv.pgt, sv_pa_to_el2(pa).va, pa, size, prot);
}

static int sv_load_image(const void *blob, size_t size)
{
	const struct sv_image_header *h = &sv.hdr;
	const char *why = NULL;
	int ret;

	sv.image = sv_el2_alloc(h->mem_size);
	if (!sv.image)
		return -ENOMEM;
	sv.image_pa.pa = virt_to_phys(sv.image);
	memcpy(sv.image, blob, size);
	ret = sv_image_relocate(sv.image, h, sv_pa_to_el2(sv.image_pa), &why);
	if (ret) {
		pr_err("%s\n", why);
		return ret;
	}
	/* The init path and the stub probe run with the EL2 MMU off. */
	sv_dcache_clean_inval_poc(sv.image, h->mem_size);
	return 0;
}

static int sv_map_image(void)
{
	const struct sv_image_header *h = &sv.hdr;
	char *img = sv.image;
	int ret;

	ret = sv_map_linear(img, h->text_end, SV_PROT_R | SV_PROT_X);
	if (!ret && h->rodata_end > h->text_end)
		ret = sv_map_linear(img + h->text_end,
				    h->rodata_end - h->text_end, SV_PROT_R);
	if (!ret && h->mem_size > h->rodata_end)
		ret = sv_map_linear(img + h->rodata_end,
				    h->mem_size - h->rodata_end,
				    SV_PROT_R | SV_PROT_W);
	return ret;
}

static void sv_compute_regs(void)
{
	u64 mmfr0 = read_sysreg_s(SYS_ID_AA64MMFR0_EL1);
	u64 parange = mmfr0 & 0xf;
	u64 pfr1 = read_sysreg_s(SYS_ID_AA64PFR1_EL1);

	sv.tcr = SV_TCR_EL2_RES1_BITS | SV_TCR_EL2_T0SZ_48 | SV_TCR_EL2_IRGN0_WBWA |
		 SV_TCR_EL2_ORGN0_WBWA | SV_TCR_EL2_SH0_INNER | SV_TCR_EL2_TG0_4K |
		 (min_t(u64, parange, SV_PARANGE_48) << SV_TCR_EL2_PS_SHIFT);
	sv.sctlr = SV_SCTLR_EL2_RES1_BITS | SV_SCTLR_EL2_M | SV_SCTLR_EL2_C |
		   SV_SCTLR_EL2_SA | SV_SCTLR_EL2_I | SV_SCTLR_EL2_WXN;
	sv.vtcr = SV_VTCR_EL2_RES1_BITS | SV_VTCR_EL2_T0SZ_40 | SV_VTCR_EL2_SL0_L1 |
		  SV_VTCR_EL2_IRGN0_WBWA | SV_VTCR_EL2_ORGN0_WBWA |
		  SV_VTCR_EL2_SH0_INNER |
		  (min_t(u64, parange, SV_PARANGE_40) << SV_VTCR_EL2_PS_SHIFT);
	/*
	 * What Linux itself runs its host with (HCR_HOST_NVHE_FLAGS): EL1 is
	 * AArch64, pointer-auth keys and MTE tags do not trap.
	 */
	sv.host_hcr = HCR_RW | HCR_API | HCR_APK;
	if (((pfr1 >> 8) & 0xf) >= 2)
		sv.host_hcr |= HCR_ATA;
	/* CPTR_EL2: RES1 bits only, so FP/SIMD, SVE and trace do not trap. */
	sv.host_cptr = 0x32ff;
	/* The host keeps EL1 access to the physical counter and timer. */
	sv.host_cnthctl = 0x3;
}

static int sv_alloc_cpu(unsigned int cpu)
{
	struct sv_pcpu *pc = &sv.cpus[cpu];
	struct sv_el2_cpu *e;
	int ret;

	pc->el2 = sv_el2_alloc(PAGE_SIZE);
	pc->stack = sv_el2_alloc(SV_EL2_STACK_SIZE);
	if (!pc->el2 || !pc->stack)
		return -ENOMEM;
	ret = sv_map_linear(pc->el2, PAGE_SIZE, SV_PROT_R | SV_PROT_W);
	if (!ret)
		ret = sv_map_linear(pc->stack, SV_EL2_STACK_SIZE,
				    SV_PROT_R | SV_PROT_W);
	if (ret)
		return ret;

	e = pc->el2;
	e->cpu = cpu;
	e->stack_top = sv_pa_to_el2((sv_pa_t){ virt_to_phys(pc->stack) +
					       SV_EL2_STACK_SIZE }).va;
	e->image_base = sv_pa_to_el2(sv.image_pa).va;
	e->host_hcr = sv.host_hcr;
	e->host_cptr = sv.host_cptr;
	e->host_hstr = 0;
	e->host_cnthctl = sv.host_cnthctl;
	e->vtcr = sv.vtcr;
	e->runtime_vbar = sv_pa_to_el2(sv_image_pa(sv.hdr.runtime_vectors)).va;

	pc->params.mair_el2 = SV_MAIR_VALUE;
	pc->params.tcr_el2 = sv.tcr;
	pc->params.ttbr0_el2 = sv.pgt.root_pa.pa;
	pc->params.sctlr_el2 = sv.sctlr;
	pc->params.stack_top = e->stack_top;
	pc->params.cpu = sv_pa_to_el2((sv_pa_t){ virt_to_phys(e) }).va;
	return 0;
}

static void sv_free_cpus(void)
{
	unsigned int cpu;

	if (!sv.cpus)
		return;
	for_each_possible_cpu(cpu) {
		sv_el2_free(sv.cpus[cpu].el2, PAGE_SIZE);
		sv_el2_free(sv.cpus[cpu].stack, SV_EL2_STACK_SIZE);
	}
	kfree(sv.cpus);
	sv.cpus = NULL;
}

int sv_el2_mem_init(const void *blob, size_t size)
{
	unsigned int cpu;
	u64 desc;
	int ret;

	sv_compute_regs();
	sv.cpus = kcalloc(nr_cpu_ids, sizeof(*sv.cpus), GFP_KERNEL);
	if (!sv.cpus)
		return -ENOMEM;
	ret = sv_load_image(blob, size);
	if (ret)
		goto err;
	ret = sv_pgt_init(&sv.pgt, &sv_el2_pgt_ops, SV_PGT_EL2, SV_VA_BITS);
	if (ret)
		goto err;
	ret = sv_map_image();
	for_each_possible_cpu(cpu) {
		if (ret)
			break;
		ret = sv_alloc_cpu(cpu);
	}
	if (ret)
		goto err;
	if (!sv_pgt_lookup(&sv.pgt, SV_EL2_UNMAPPED_VA, &desc)) {
		pr_err("EL2 memory landed on the page kept unmapped for tests\n");
		ret = -ENOMEM;
		goto err;
	}
	return 0;
err:
	sv_el2_mem_exit();
	return ret;
}

void sv_el2_mem_exit(void)
{
	sv_free_cpus();
	sv_pgt_destroy(&sv.pgt);
	sv_el2_free(sv.image, sv.hdr.mem_size);
	sv.image = NULL;
}

struct sv_el2_call {
	u64 fn, a1, a2, a3;
	struct sv_hvc_res *res;
	bool done;
};

/* Runs on the CPU that makes the call, preemption or interrupts off. */
static void sv_el2_call_here(void *info)
{
	struct sv_el2_call *c = info;

	c->done = sv.cpus[smp_processor_id()].up;
	if (c->done)
		sv_hvc3(c->fn, c->a1, c->a2, c->a3, c->res);
}

/*
 * One host->EL2 call. The TLB maintenance calls broadcast, so any CPU
 * with EL2 up will do: where this CPU's is not (coming up or going down),
 * another CPU makes the call, so that no invalidation is lost (KVM only
 * runs on CPUs whose hyp is initialised). -ENXIO if no CPU could.
 */
int sv_call_el2_args(u64 fn, u64 a1, u64 a2, u64 a3, struct sv_hvc_res *res)
{
	struct sv_el2_call c = { fn, a1, a2, a3, res, false };
	int cpu = get_cpu(), other;

	sv_el2_call_here(&c);
	/* A cross-call cannot be waited for with interrupts off. */
	if (!c.done && !irqs_disabled()) {
		for_each_online_cpu(other) {
			if (other == cpu || !READ_ONCE(sv.cpus[other].up))
				continue;
			if (!smp_call_function_single(other, sv_el2_call_here,
						      &c, 1) && c.done) {
				cpu = other;
				break;
			}
		}
	}
	put_cpu();
	if (!c.done)
		return -ENXIO;
	if (res->a0 != SV_RET_OK) {
		sv_el2_report(cpu, "EL2 call", res);
		return -EIO;
	}
	return 0;
}

int sv_call_el2(u64 fn, u64 arg, struct sv_hvc_res *res)
{
	return sv_call_el2_args(fn, arg, 0, 0, res);
}

static DEFINE_MUTEX(sv_el2_map_lock);

/* Zeroed, physically contiguous, and mapped RW at EL2 until freed. */
void *sv_el2_alloc_mapped(size_t size)
{
	void *p = sv_el2_alloc(size);

	/* VHE mode: the kernel is EL2, its linear map is enough. */
	if (!p || sv.mode == SV_MODE_VHE)
		return p;
	mutex_lock(&sv_el2_map_lock);
	if (sv_map_linear(p, PAGE_ALIGN(size), SV_PROT_R | SV_PROT_W)) {
		mutex_unlock(&sv_el2_map_lock);
		sv_el2_free(p, size);
		return NULL;
	}
	mutex_unlock(&sv_el2_map_lock);
	/* The new entries before any CPU's EL2 walks them. */
	dsb(ishst);
	return p;
}

void sv_el2_free_mapped(void *p, size_t size)
{
	sv_pa_t pa;

	if (!p)
		return;
	if (sv.mode == SV_MODE_VHE) {
		sv_el2_free(p, size);
		return;
	}
	pa.pa = virt_to_phys(p);
	mutex_lock(&sv_el2_map_lock);
	sv_pgt_unmap(&sv.pgt, sv_pa_to_el2(pa).va, PAGE_ALIGN(size));
	mutex_unlock(&sv_el2_map_lock);
	/* No CPU's EL2 may keep a translation to memory we give back. */
	if (sv_hyp->flush_el2())
		pr_err("EL2 TLB flush failed: leaking %zu bytes still mapped at EL2\n",
		       size);
	else
		sv_el2_free(p, size);
}
