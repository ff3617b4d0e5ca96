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

#define SV_ABI_REVISION		9
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
/* x1 = EL2 VA of sv_vcpu, x2 = SV_RUN_* -> x1 = SV_EXIT_* */
#define SV_HC_VCPU_RUN		3
#define SV_HC_FLUSH_VMID	4	/* x1 = VTTBR: drop stage-1+2 TLBs of its VMID */
#define SV_HC_FLUSH_EL2		5	/* drop EL2 TLBs (after an EL2 unmap) */
#define SV_HC_FLUSH_GUESTS	6	/* drop every VMID's TLBs: VMID rollover */
#define SV_HC_FLUSH_CPU_CTXT	7	/* x1 = VTTBR: its VMID, this CPU only */
#define SV_HC_FLUSH_IPA		8	/* x1 = VTTBR, x2 = IPA, x3 = pages: drop them */
/* SV_HC_FLUSH_IPA's most pages; more are one SV_HC_FLUSH_VMID instead. */
#define SV_FLUSH_IPA_MAX_PAGES	512
#define SV_HC_NR		9

/*
 * Guest->EL2: a null call the lowvisor answers itself (x0 = 0), without a
 * world switch to the host. SMCCC fast call, SMC64, vendor hypervisor.
 */
#define SV_GUEST_HC_NULL	SV_HC_ID(0x100)

/*
 * SMCCC 1.1 architectural calls a guest makes to ask for CPU workarounds
 * (DEN0028): answered at EL2 without a world switch, as KVM does.
 */
#define SV_SMCCC_ARCH_WA_1	0x80008000	/* Spectre-v2 */
#define SV_SMCCC_ARCH_WA_2	0x80007fff	/* Spectre-v4 (SSBD) */
#define SV_SMCCC_ARCH_WA_3	0x80003fff	/* Spectre-BHB */

/*
 * x2 of SV_HC_VCPU_RUN. SV_RUN_HOST_SAVE: the first run since the vCPU's
 * thread came to this CPU (a vCPU load): save the host's whole EL1 state,
 * not only what changes from one run to the next (sysreg-sr.h).
 */
#define SV_RUN_HOST_SAVE	(1ULL << 0)

/*
 * Why the guest stopped running (x1 of SV_HC_VCPU_RUN): one of SV_EXIT_*,
 * with SV_EXIT_SERROR_PENDING or'ed in when a physical SError was
 * pending as the guest left (the trap itself was then not taken: the
 * guest comes back to the same instruction, see docs/el2.md).
 */
#define SV_EXIT_SYNC		1	/* trap: sv_vcpu.fault.esr says which */
#define SV_EXIT_IRQ		2	/* a physical IRQ for the host */
#define SV_EXIT_FIQ		3
#define SV_EXIT_SERROR		4	/* SError taken from the guest */
#define SV_EXIT_CODE(x)		((x) & 0xff)
#define SV_EXIT_SERROR_PENDING	(1ULL << 8)

/*
 * Per-CPU capabilities and errata workarounds (struct sv_el2_cpu.caps),
 * computed by the highvisor from this CPU's MIDR and the firmware's
 * SMCCC answers before SV_HC_INIT; each is tested at the one place its
 * workaround applies.
 */
#define SV_CAP_WA_SPECULATIVE_AT	(1ULL << 0)	/* A57, A72, A76, A55 errata */
#define SV_CAP_WA_834220		(1ULL << 1)	/* A57 r0p0-r1p2: HPFAR invalid */
#define SV_CAP_GICV3_SYSREG		(1ULL << 2)	/* ICC_SRE_EL2 exists */
#define SV_CAP_PMUV3			(1ULL << 3)	/* PMUSERENR_EL0, PMSELR_EL0 exist */

/*
 * The runtime vector tables, one after another from runtime_vectors,
 * SV_VECTORS_SIZE bytes each. The highvisor picks one per CPU: what
 * the CPU needs against Spectre-v2 and Spectre-BHB on exceptions into
 * EL2 (KVM's hyp vector slots; arch/arm64/kernel/proton-pack.c).
 */
#define SV_VECTORS_DIRECT	0	/* nothing needed, or nothing possible */
#define SV_VECTORS_BHB_LOOP	1	/* branchy loop, bhb_loop_k times */
#define SV_VECTORS_FW_WA1	2	/* SMC ARCH_WORKAROUND_1 to firmware */
#define SV_VECTORS_FW_WA3	3	/* SMC ARCH_WORKAROUND_3 to firmware */
#define SV_NR_VECTORS		4
#define SV_VECTORS_SIZE		0x800

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
#define SV_VEC_CUR_SPX_SERR	7
#define SV_VEC_LOW64_SYNC	8
#define SV_VEC_LOW64_IRQ	9
#define SV_VEC_LOW64_FIQ	10
#define SV_VEC_LOW64_SERR	11
#define SV_VEC_LOW32_SYNC	12
#define SV_VEC_LOW32_IRQ	13
#define SV_VEC_LOW32_FIQ	14
#define SV_VEC_LOW32_SERR	15
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
 * EL1 (and EL0 thread) system registers switched between host and guest;
 * lowvisor/include/sysreg-sr.h saves and restores them phase by phase.
 */
enum sv_sysreg {
	/* In pairs, in the order the phases move them (one LDP/STP each). */
	SV_SCTLR_EL1,
	SV_TCR_EL1,
	SV_CPACR_EL1,
	SV_TTBR0_EL1,
	SV_TTBR1_EL1,
	SV_ESR_EL1,
	SV_AFSR0_EL1,
	SV_AFSR1_EL1,
	SV_FAR_EL1,
	SV_MAIR_EL1,
	SV_AMAIR_EL1,
	SV_VBAR_EL1,
	SV_CONTEXTIDR_EL1,
	SV_CNTKCTL_EL1,
	SV_ELR_EL1,
	SV_SPSR_EL1,
	SV_PAR_EL1,
	SV_TPIDR_EL1,
	SV_SP_EL1,
	SV_CSSELR_EL1,
	SV_SP_EL0,
	SV_MDSCR_EL1,
	SV_TPIDR_EL0,
	SV_TPIDRRO_EL0,
	SV_CNTV_CTL_EL0,
	SV_CNTV_CVAL_EL0,
	SV_NR_SYSREGS
};

/*
 * One world's CPU context, the same type for the host and for a guest, so
 * that the save and restore phases are the same code both ways (KVM's
 * struct kvm_cpu_context).
 */
struct sv_cpu_ctxt {
	/*
	 * Guest: x0-x30, PC (elr) and PSTATE (spsr), filled by the
	 * highvisor (ONE_REG, reset) and by EL2 at each exit. Host: EL2
	 * keeps x19-x30 of the run call here; the rest is unused.
	 */
	struct sv_el2_regs regs;
	u64 sys[SV_NR_SYSREGS];		/* EL2 at each switch */
	/*
	 * Host context only, EL2: SP_EL2 of the run call, and the vCPU the
	 * host is switched away for (0: none). A non-zero running_vcpu is
	 * also what tells the restore phases that a context is the host's
	 * (KVM's __hyp_running_vcpu).
	 */
	u64 el2_sp;
	u64 running_vcpu;
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
	u64 vmpidr;		/* what the guest reads as MPIDR */
	/*
	 * PMCNTENSET_EL0 bits of the hardware counters counting for the
	 * guest (its vPMU's perf events): set at entry, cleared at exit.
	 * The highvisor, right before each run.
	 */
	u64 pmu_cnten;
	/*
	 * MIDR is not here: VPIDR_EL2 keeps the MIDR of the physical CPU
	 * the vCPU runs on (as KVM), which differs per CPU on big.LITTLE.
	 */
};

/*
 * The breakpoint and watchpoint registers (DBG{B,W}{C,V}Rn_EL1) of one
 * world. EL2 touches only the first ID_AA64DFR0_EL1.{BRPs,WRPs}+1 of each.
 */
#define SV_DBG_NR		16
struct sv_debug_regs {
	u64 bcr[SV_DBG_NR], bvr[SV_DBG_NR];
	u64 wcr[SV_DBG_NR], wvr[SV_DBG_NR];
};

/* sv_vcpu_debug.flags, set by the highvisor before each run. */
#define SV_DBG_SWITCH		(1ULL << 0)	/* load a debug register set */
#define SV_DBG_EXT		(1ULL << 1)	/* ... the VMM's (ext), not saved back */

/*
 * The guest's debug state (lowvisor/include/debug_sr.h). MDSCR_EL1 is not
 * here: it is in each world's sv_cpu_ctxt, switched at every run with the
 * rest of the common state (so the host's breakpoints, watchpoints and
 * single step stay disabled in the guest: MDSCR_EL1.MDE/KDE/SS). The
 * register set and MDCCINT_EL1 are switched only when flags has
 * SV_DBG_SWITCH: the highvisor sets it once the guest touched a debug
 * register (until then MDCR_EL2.TDA traps them all, MDCCINT_EL1
 * included), as KVM's debug-sr.h does.
 */
struct sv_vcpu_debug {
	u64 mdccint;			/* highvisor (ONE_REG, traps), EL2 */
	u64 flags;			/* SV_DBG_*: highvisor */
	struct sv_debug_regs regs;	/* the guest's: highvisor, EL2 saves */
	struct sv_debug_regs ext;	/* KVM_SET_GUEST_DEBUG: highvisor */
};

/* Filled by EL2 at each exit. */
struct sv_vcpu_fault {
	u64 esr;
	u64 far;
	/*
	 * IPA[47:12] >> 8. From HPFAR_EL2, or from an AT S1E1R of FAR where
	 * HPFAR_EL2 is not valid: permission faults, and every stage-2
	 * abort on CPUs with erratum 834220.
	 */
	u64 hpfar;
	u64 par_fail;		/* 1: FAR could not be translated: re-run */
};

/*
 * One vCPU, shared by the highvisor (KVM ioctls) and EL2 (world switch).
 * Page aligned, mapped at EL2 while the vCPU exists. No counters: those
 * live in the highvisor's per-CPU stats and tracepoints.
 */
struct sv_vcpu {
	struct sv_cpu_ctxt ctxt;
	struct sv_fpsimd fp;
	struct sv_vcpu_cfg cfg;
	struct sv_vcpu_fault fault;
	struct sv_vcpu_debug debug;
};

/* The last unexpected exception taken at EL2 (filled by EL2). */
struct sv_el2_fault {
	u64 count;		/* faults taken since init */
	u64 vector;		/* vector-table slot, SV_VEC_* */
	u64 esr, elr, far, par, spsr;
};

#define SV_HOST_DBG_REGS	(1ULL << 0)	/* host_dbg, host_mdccint */

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
	u64 runtime_vbar;	/* EL2 VA of the vectors while the host runs */
	u64 guest_vbar;		/* ... while a guest runs: SV_VECTORS_* for this CPU */
	u64 caps;		/* SV_CAP_*, this CPU's */
	u64 bhb_loop_k;		/* SV_VECTORS_BHB_LOOP: loop iterations */

	/* Filled by EL2. */
	struct sv_el2_stub_regs stub;	/* at SV_HC_INIT, restored on RESET */
	struct sv_el2_fault fault;
	u64 host_icc_sre;	/* ICC_SRE_EL2 (GICv3 system registers), or 0 */
	u64 host_pmuserenr;	/* PMUSERENR_EL0 while a guest runs */

	/* EL2's own, while a guest runs on this CPU. */
	u64 in_guest;			/* 1: lower-EL traps are the guest's */
	struct sv_cpu_ctxt host_ctxt;	/* the host's side of the switch */
	u64 host_mdccint;		/* with host_dbg */
	u64 host_dbg_saved;		/* SV_HOST_DBG_*: what EL2 saved */
	struct sv_debug_regs host_dbg;
};

#endif /* !__ASSEMBLER__ */

#endif /* SPLITVISOR_ABI_H */
