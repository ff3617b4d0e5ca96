/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host (highvisor, EL1) <-> lowvisor (EL2) contract.
 *
 * This header is compiled three ways: by kbuild for the module, freestanding
 * for the EL2 image, and natively for the host unit tests. It therefore uses
 * only fixed-width types and no kernel headers. The prose version of this
 * contract is shared/ABI.md; keep the two in step and bump SV_ABI_REVISION on
 * any change to an ID, a status code or a layout.
 */
#ifndef SPLITVISOR_ABI_H
#define SPLITVISOR_ABI_H

#define SV_ABI_REVISION		5
#define SV_IMAGE_MAGIC		0x52535654494c5053ULL	/* "SPLITVSR" */

/*
 * Host->EL2 calls are SMCCC fast calls, SMC64 convention, owned by the
 * vendor-specific hypervisor service (owner 6): 0xc6000000 | function.
 * Function numbers start at 0x5600 so that they can never be mistaken for
 * the small numbers Linux's own KVM uses in the same owner range.
 */
#define SV_SMCCC_FAST_64	0xc0000000
#define SV_SMCCC_OWNER_VHYP	(6 << 24)
#define SV_HC_BASE		0x5600
#define SV_HC_ID(fn)		(SV_SMCCC_FAST_64 | SV_SMCCC_OWNER_VHYP | \
				 (SV_HC_BASE + (fn)))
#define SV_HC_FN(id)		((id) - SV_HC_ID(0))

/* Function numbers; the EL2 dispatch table is indexed by these. */
#define SV_HC_PING		0	/* -> x1 = ABI revision, x2 = cpu */
#define SV_HC_RESET		1	/* x1 = PA to put in VBAR_EL2 */
#define SV_HC_TEST_FAULT	2	/* take a data abort at EL2 on purpose */
#define SV_HC_VCPU_RUN		3	/* x1 = EL2 VA of sv_vcpu -> x1 = SV_EXIT_* */
#define SV_HC_FLUSH_VMID	4	/* x1 = VTTBR: drop stage-1+2 TLBs of its VMID */
#define SV_HC_FLUSH_EL2		5	/* drop EL2 TLBs (after an EL2 unmap) */
#define SV_HC_FLUSH_GUESTS	6	/* drop every VMID's TLBs: VMID rollover */
#define SV_HC_FLUSH_IPA		7	/* x1 = VTTBR, x2 = IPA, x3 = pages: drop them */
#define SV_HC_NR		8

/*
 * Guest->EL2: a null call the lowvisor answers itself (x0 = 0), without a
 * world switch to the host. SMCCC fast call, SMC64, vendor hypervisor.
 */
#define SV_GUEST_HC_NULL	SV_HC_ID(0x100)

/* Why the guest stopped running (x1 of SV_HC_VCPU_RUN). */
#define SV_EXIT_SYNC		1	/* trap: sv_vcpu.fault.esr says which */
#define SV_EXIT_IRQ		2	/* a physical IRQ for the host */
#define SV_EXIT_FIQ		3
#define SV_EXIT_SERROR		4
#define SV_EXIT_AARCH32		5	/* exception from AArch32: unsupported */

/* Only accepted by the init vectors (x1 = PA of struct sv_init_params). */
#define SV_HC_INIT_FN		0xff

/* x0 on return. Negative values follow SMCCC where SMCCC has one. */
#define SV_RET_OK		0
#define SV_RET_NOT_SUPPORTED	(-1)
#define SV_RET_INVALID		(-3)
#define SV_RET_EL2_FAULT	(-0x5600)	/* x1 = ESR, x2 = ELR, x3 = FAR */

/*
 * An EL2 VA that is never mapped: SV_HC_TEST_FAULT loads from it. EL2 VAs
 * are PAs (see ABI.md), so this is the last page below 2^48, never RAM.
 */
#define SV_EL2_UNMAPPED_VA	0x0000fffffffff000ULL

/* Vector-table slots (offset / 0x80), as passed to the EL2 trap handler. */
#define SV_VEC_CUR_SP0_SYNC	0
#define SV_VEC_CUR_SPX_SYNC	4
#define SV_VEC_LOW64_SYNC	8
#define SV_VEC_LOW64_IRQ	9
#define SV_VEC_LOW64_FIQ	10
#define SV_VEC_LOW64_SERR	11
#define SV_VEC_LOW32_SYNC	12
#define SV_VEC_INIT		16	/* not a slot: the init path */

#ifndef __ASSEMBLER__
#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
#endif

/*
 * At offset 0 of the EL2 image. Filled by the linker (offsets are relative
 * to the image start); read by the highvisor before it copies the image.
 */
struct sv_image_header {
	u64 magic;		/* SV_IMAGE_MAGIC */
	u32 abi_revision;	/* SV_ABI_REVISION the image was built with */
	u32 header_size;	/* sizeof(struct sv_image_header) */
	u64 file_size;		/* bytes present in the file */
	u64 mem_size;		/* bytes at EL2, with .bss; page multiple */
	u64 text_end;		/* [0, text_end) is R-X at EL2 */
	u64 rodata_end;		/* [text_end, rodata_end) is R-- */
	u64 init_vectors;	/* offset of the init vector table */
	u64 runtime_vectors;	/* offset of the runtime vector table */
	u64 read_vbar;		/* offset of the stub-probe routine */
	u64 rela_start;		/* R_AARCH64_RELATIVE records to apply */
	u64 rela_end;
};

/*
 * Read by the init vectors with the EL2 MMU still off (so by physical
 * address, from memory: the highvisor cleans it to the PoC first). Filled
 * by the highvisor right before the SV_HC_INIT call; dead afterwards.
 */
struct sv_init_params {
	u64 mair_el2;
	u64 tcr_el2;
	u64 ttbr0_el2;		/* PA of the EL2 stage-1 root table */
	u64 sctlr_el2;		/* value that turns the EL2 MMU on */
	u64 stack_top;		/* EL2 VA, 16-byte aligned */
	u64 cpu;		/* EL2 VA of this CPU's struct sv_el2_cpu */
};

/* The full GPR frame pushed on every entry to EL2; see hyp_vectors/. */
struct sv_el2_regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

/* EL2 control registers as found from Linux's hyp stub (filled by EL2). */
struct sv_el2_stub_regs {
	u64 hcr, cptr, mdcr, hstr, cnthctl, vtcr, vttbr, sctlr, tcr, mair;
	u64 cntvoff, vpidr, vmpidr;
};

/*
 * EL1 (and EL0 thread) system registers switched between host and guest,
 * in the order the world switch saves and restores them.
 */
enum sv_sysreg {
	SV_SCTLR_EL1,
	SV_CPACR_EL1,
	SV_TTBR0_EL1,
	SV_TTBR1_EL1,
	SV_TCR_EL1,
	SV_ESR_EL1,
	SV_AFSR0_EL1,
	SV_AFSR1_EL1,
	SV_FAR_EL1,
	SV_MAIR_EL1,
	SV_AMAIR_EL1,
	SV_VBAR_EL1,
	SV_CONTEXTIDR_EL1,
	SV_CNTKCTL_EL1,
	SV_PAR_EL1,
	SV_TPIDR_EL1,
	SV_SP_EL1,
	SV_ELR_EL1,
	SV_SPSR_EL1,
	SV_CSSELR_EL1,
	SV_TPIDR_EL0,
	SV_TPIDRRO_EL0,
	SV_SP_EL0,
	SV_CNTV_CTL_EL0,
	SV_CNTV_CVAL_EL0,
	SV_NR_SYSREGS
};

/* The EL1 state one world keeps while the other runs. */
struct sv_el1_state {
	u64 sys[SV_NR_SYSREGS];
};

/* V0-V31, FPSR, FPCR: the layout fpsimd.S saves and loads. */
struct sv_fpsimd {
	u64 v[64];		/* V0..V31, 128 bits each, little endian */
	u64 fpsr;
	u64 fpcr;
};

/* EL2 controls for one vCPU; filled by the highvisor before a run. */
struct sv_vcpu_cfg {
	u64 hcr;		/* traps and routing for the guest */
	u64 vttbr;		/* VMID << 48 | stage-2 root PA */
	u64 vtcr;		/* the VM's IPA size */
	u64 cptr;		/* TFP clear: EL2 switches V0-V31 too */
	u64 mdcr, cnthctl;
	u64 cntvoff;		/* guest virtual counter = physical - this */
	u64 vpidr, vmpidr;	/* what the guest reads as MIDR, MPIDR */
};

/* Filled by EL2 at each exit. */
struct sv_vcpu_fault {
	u64 esr;
	u64 far;
	u64 hpfar;		/* IPA[47:12] >> 8, also for permission faults */
	u64 par_fail;		/* 1: FAR could not be translated: re-run */
};

/*
 * One vCPU, shared by the highvisor (KVM ioctls) and EL2 (world switch).
 * Page aligned, mapped at EL2 while the vCPU exists.
 */
struct sv_vcpu {
	struct sv_el2_regs regs;	/* x0-x30, PC (elr), PSTATE (spsr) */
	struct sv_el1_state el1;
	struct sv_fpsimd fp;
	struct sv_vcpu_cfg cfg;
	struct sv_vcpu_fault fault;
	u64 exits;			/* EL2: exits to the host */
	u64 el2_hcalls;			/* EL2: SV_GUEST_HC_NULL answered */
};

/* The last unexpected exception taken at EL2 (filled by EL2). */
struct sv_el2_fault {
	u64 count;		/* faults taken since init */
	u64 vector;		/* vector-table slot, SV_VEC_* */
	u64 esr, elr, far, par, spsr;
};

/* Per-CPU EL2 state; one page, mapped at EL2 and in the linear map. */
struct sv_el2_cpu {
	/* Filled by the highvisor before SV_HC_INIT. */
	u64 cpu;		/* Linux logical CPU number */
	u64 stack_top;		/* EL2 VA; the host's frame sits just below */
	u64 image_base;		/* EL2 VA of the image, for fault reports */
	u64 host_hcr;		/* HCR_EL2 while the host runs: no traps */
	u64 host_cptr;		/* CPTR_EL2 while the host runs: no traps */
	u64 host_hstr;
	u64 host_cnthctl;	/* host may use the physical timer/counter */
	u64 vtcr;		/* VTCR_EL2 for the stage 2 to come */
	u64 runtime_vbar;	/* EL2 VA of the runtime vectors */

	/* Filled by EL2. */
	struct sv_el2_stub_regs stub;	/* at SV_HC_INIT, restored on RESET */
	struct sv_el2_fault fault;
	u64 hcalls;		/* host calls handled since init */
	u64 host_icc_sre;	/* ICC_SRE_EL2 (GICv3 system registers), or 0 */

	/* EL2's own, while a guest runs on this CPU. */
	struct sv_vcpu *vcpu;		/* vCPU of the run call, or 0 */
	u64 in_guest;			/* 1: lower-EL traps are the guest's */
	u64 el2_ctx[14];		/* x19-x30, SP of the run call */
	struct sv_el1_state host;	/* the host's EL1 state */
};

#endif /* !__ASSEMBLER__ */

#endif /* SPLITVISOR_ABI_H */
