// SPDX-License-Identifier: GPL-2.0
/*
 * splitvisor: a split-mode hypervisor for ARMv8.0. This is the module's
 * entry and exit: pick the mode, check the embedded EL2 image, bring EL2
 * up, and mirror all of it on the way out.
 */
#include "splitvisor.h"

#include <linux/err.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "hyp_ops.h"
#include "image.h"
#include "sv_asm_offsets.h"
#include "vm.h"

/* The EL2 layouts as this compiler sees them must match the EL2 build's. */
static_assert(offsetof(struct sv_el2_regs, x[0]) == SV_REGS_X0);
static_assert(offsetof(struct sv_el2_regs, x[30]) == SV_REGS_X30);
static_assert(offsetof(struct sv_el2_regs, elr) == SV_REGS_ELR);
static_assert(offsetof(struct sv_el2_regs, spsr) == SV_REGS_SPSR);
static_assert(sizeof(struct sv_el2_regs) == SV_REGS_SIZE);
static_assert(offsetof(struct sv_init_params, mair_el2) == SV_IP_MAIR);
static_assert(offsetof(struct sv_init_params, tcr_el2) == SV_IP_TCR);
static_assert(offsetof(struct sv_init_params, ttbr0_el2) == SV_IP_TTBR0);
static_assert(offsetof(struct sv_init_params, sctlr_el2) == SV_IP_SCTLR);
static_assert(offsetof(struct sv_init_params, stack_top) == SV_IP_STACK_TOP);
static_assert(offsetof(struct sv_init_params, cpu) == SV_IP_CPU);
static_assert(sizeof(struct sv_image_header) == SV_HDR_SIZE);
static_assert(offsetof(struct sv_el2_cpu, host_ctxt.running_vcpu) == SV_CPU_VCPU);
static_assert(offsetof(struct sv_el2_cpu, in_guest) == SV_CPU_IN_GUEST);
static_assert(offsetof(struct sv_el2_cpu, host_ctxt) == SV_CPU_HOST_CTXT);
static_assert(offsetof(struct sv_el2_cpu, bhb_loop_k) == SV_CPU_BHB_LOOP_K);
static_assert(offsetof(struct sv_cpu_ctxt, regs) == SV_CTXT_REGS);
static_assert(offsetof(struct sv_cpu_ctxt, el2_sp) == SV_CTXT_EL2_SP);
static_assert(offsetof(struct sv_vcpu, ctxt.regs) == SV_VCPU_REGS);
static_assert(offsetof(struct sv_vcpu, ctxt.sys[SV_SP_EL0]) == SV_VCPU_SP_EL0);
static_assert(offsetof(struct sv_el2_cpu, host_ctxt.sys[SV_SP_EL0]) ==
	      SV_CPU_HOST_SP_EL0);
static_assert(offsetof(struct sv_fpsimd, fpsr) == SV_FP_FPSR);
static_assert(offsetof(struct sv_fpsimd, fpcr) == SV_FP_FPCR);
static_assert(sizeof(struct sv_el2_cpu) <= PAGE_SIZE);
static_assert(sizeof(struct sv_vcpu) <= PAGE_SIZE);

static uint expect_abi = SV_ABI_REVISION;
module_param(expect_abi, uint, 0444);
MODULE_PARM_DESC(expect_abi,
		 "EL2 image ABI revision to require (for testing the refusal)");

struct splitvisor sv;

/*
 * Linux 6.1's KVM keeps the hyp stub in EL2 while it has no VM and takes
 * EL2 (HVC_SET_VECTORS) when a VM starts, so the EL2 probe cannot see an
 * idle KVM. KVM's debugfs directory, exported there, exists iff KVM
 * initialised. Later kernels enable KVM at load (kvm.enable_virt_at_load),
 * so there the probe sees KVM's hyp and the symbol need not exist.
 */
static bool sv_kvm_initialised(void)
{
	struct dentry **dir = symbol_get(kvm_debugfs_dir);
	bool ret;

	if (!dir)
		return false;
	ret = !IS_ERR_OR_NULL(*dir);
	symbol_put(kvm_debugfs_dir);
	return ret;
}

static int sv_check_cpu(void)
{
	u64 pfr0 = read_sysreg_s(SYS_ID_AA64PFR0_EL1);

	if (!((pfr0 >> ID_AA64PFR0_EL1_EL2_SHIFT) & 0xf)) {
		pr_err("EL2 is not implemented on this CPU: no hypervisor can run here\n");
		return -ENODEV;
	}
	/*
	 * In VHE mode KVM and splitvisor would share the hardware: VMIDs
	 * handed out twice (one guest's TLB entries hit by another's).
	 */
	if (sv_kvm_initialised()) {
		pr_err("KVM is initialised and takes EL2 whenever it runs a VM: boot with kvm-arm.mode=none\n");
		return -EBUSY;
	}
	/*
	 * With GICv3 pseudo-NMIs the host masks interrupts through ICC_PMR,
	 * and a guest entered with IRQs masked there could not be left by
	 * a host interrupt. KVM raises PMR around the run (__kvm_vcpu_run());
	 * splitvisor does not, so it does not run there at all.
	 */
	if (system_uses_irq_prio_masking()) {
		pr_err("the host uses GICv3 pseudo-NMIs (irqchip.gicv3_pseudo_nmi=1), which splitvisor does not support: boot without it\n");
		return -EOPNOTSUPP;
	}
	sv.mode = is_kernel_in_hyp_mode() ? SV_MODE_VHE : SV_MODE_SPLIT;
	return 0;
}

static int __init sv_init(void)
{
	size_t size = sv_lowvisor_blob_end - sv_lowvisor_blob;
	const char *why = NULL;
	int ret;

	ret = sv_check_cpu();
	if (ret)
		return ret;
	ret = sv_image_check(sv_lowvisor_blob, size, expect_abi, &why);
	if (ret) {
		pr_err("%s (module expects %u)\n", why, expect_abi);
		return ret;
	}
	memcpy(&sv.hdr, sv_lowvisor_blob, sizeof(sv.hdr));
	ret = sv_hyp_ops_init();
	if (ret)
		goto err;
	ret = sv_vmid_init();
	if (ret)
		goto err;
	/* vCPU load/put follow the vCPU thread through the scheduler. */
	preempt_notifier_inc();

	if (sv.mode == SV_MODE_VHE) {
		ret = sv_vhe_init();
		if (ret)
			goto err_vmid;
		pr_info("kernel runs at EL2 (VHE): loaded in VHE mode, no lowvisor installed\n");
	} else {
		ret = sv_el2_mem_init(sv_lowvisor_blob, size);
		if (ret)
			goto err_vmid;
		ret = sv_el2_bringup();
		if (ret)
			goto err_mem;
		pr_info("split mode: lowvisor ABI %u, %zu-byte image (%llu at EL2), %ld EL2 pages (%lu of them tables)\n",
			sv.hdr.abi_revision, size, sv.hdr.mem_size,
			sv_el2_pages_allocated(), sv.pgt.nr_tables);
	}
	ret = sv_dev_init();
	if (ret)
		goto err_el2;
	sv_debugfs_init();
	return 0;

err_el2:
	if (sv.mode == SV_MODE_VHE)
		sv_vhe_exit();
	else
		sv_el2_teardown();
err_mem:
	if (sv.mode == SV_MODE_SPLIT)
		sv_el2_mem_exit();
err_vmid:
	preempt_notifier_dec();
	sv_vmid_exit();
err:
	pr_err("not loaded (error %d)\n", ret);
	return ret;
}

static void __exit sv_exit(void)
{
	sv_debugfs_exit();
	sv_dev_exit();
	if (sv.mode == SV_MODE_SPLIT) {
		sv_el2_teardown();
		sv_el2_mem_exit();
	} else {
		sv_vhe_exit();
	}
	preempt_notifier_dec();
	sv_vmid_exit();
	if (sv_el2_pages_allocated())
		pr_err("%ld EL2 pages still allocated at unload\n",
		       sv_el2_pages_allocated());
	pr_info("unloaded; EL2 is back with %s\n",
		sv.mode == SV_MODE_SPLIT ? "Linux's hyp stub" : "the kernel");
}

module_init(sv_init);
module_exit(sv_exit);
MODULE_DESCRIPTION("splitvisor: split-mode hypervisor for ARMv8.0");
MODULE_LICENSE("GPL");
