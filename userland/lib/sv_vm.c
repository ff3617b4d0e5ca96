// SPDX-License-Identifier: GPL-2.0
/*
 * libsv: VM, memory, vCPU and run loop on a KVM-ABI device with the
 * standard arm64 KVM ioctls (Documentation/virt/kvm/api.rst), so that the
 * same code runs on Linux's /dev/kvm and on /dev/splitvisor.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sv_vm.h"

/*
 * An MMIO access whose data abort has no instruction syndrome (ISV = 0)
 * cannot be emulated: KVM_EXIT_ARM_NISV if KVM_CAP_ARM_NISV_TO_USER is
 * enabled, else KVM_RUN fails with errno 38, "Function not implemented"
 * (spelt by number: the kernel's style checker keeps the name for bad
 * syscall numbers).
 */
#define SV_ERRNO_NO_DECODE	38
#define SV_NISV_HINT	"the guest made an MMIO access the hypervisor cannot decode (ESR_EL2.ISV=0: a load/store pair, writeback, SIMD/FP or exclusive access to a device region?)"

/* Kicks a vCPU thread out of KVM_RUN (EINTR); its handler does nothing. */
#define SV_KICK_SIGNAL	SIGUSR1

const char *sv_progname = "libsv";

/* Shared with the SIGALRM handler: __atomic accesses only. */
static struct sv_vm *sv_alarm_vm;
static int sv_alarm_fired;

void sv_err(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", sv_progname, buf);
}

static const char *const sv_exit_names[] = {
	[KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "KVM_EXIT_EXCEPTION",
	[KVM_EXIT_IO] = "KVM_EXIT_IO",
	[KVM_EXIT_HYPERCALL] = "KVM_EXIT_HYPERCALL",
	[KVM_EXIT_DEBUG] = "KVM_EXIT_DEBUG",
	[KVM_EXIT_HLT] = "KVM_EXIT_HLT",
	[KVM_EXIT_MMIO] = "KVM_EXIT_MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN] = "KVM_EXIT_IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN] = "KVM_EXIT_SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY",
	[KVM_EXIT_INTR] = "KVM_EXIT_INTR",
	[KVM_EXIT_SET_TPR] = "KVM_EXIT_SET_TPR",
	[KVM_EXIT_TPR_ACCESS] = "KVM_EXIT_TPR_ACCESS",
	[KVM_EXIT_S390_SIEIC] = "KVM_EXIT_S390_SIEIC",
	[KVM_EXIT_S390_RESET] = "KVM_EXIT_S390_RESET",
	[KVM_EXIT_DCR] = "KVM_EXIT_DCR",
	[KVM_EXIT_NMI] = "KVM_EXIT_NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR",
	[KVM_EXIT_OSI] = "KVM_EXIT_OSI",
	[KVM_EXIT_PAPR_HCALL] = "KVM_EXIT_PAPR_HCALL",
	[KVM_EXIT_S390_UCONTROL] = "KVM_EXIT_S390_UCONTROL",
	[KVM_EXIT_WATCHDOG] = "KVM_EXIT_WATCHDOG",
	[KVM_EXIT_S390_TSCH] = "KVM_EXIT_S390_TSCH",
	[KVM_EXIT_EPR] = "KVM_EXIT_EPR",
	[KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT",
	[KVM_EXIT_S390_STSI] = "KVM_EXIT_S390_STSI",
	[KVM_EXIT_IOAPIC_EOI] = "KVM_EXIT_IOAPIC_EOI",
	[KVM_EXIT_HYPERV] = "KVM_EXIT_HYPERV",
	[KVM_EXIT_ARM_NISV] = "KVM_EXIT_ARM_NISV",
	[KVM_EXIT_X86_RDMSR] = "KVM_EXIT_X86_RDMSR",
	[KVM_EXIT_X86_WRMSR] = "KVM_EXIT_X86_WRMSR",
	[KVM_EXIT_DIRTY_RING_FULL] = "KVM_EXIT_DIRTY_RING_FULL",
	[KVM_EXIT_AP_RESET_HOLD] = "KVM_EXIT_AP_RESET_HOLD",
	[KVM_EXIT_X86_BUS_LOCK] = "KVM_EXIT_X86_BUS_LOCK",
	[KVM_EXIT_XEN] = "KVM_EXIT_XEN",
	[KVM_EXIT_RISCV_SBI] = "KVM_EXIT_RISCV_SBI",
	[KVM_EXIT_RISCV_CSR] = "KVM_EXIT_RISCV_CSR",
	[KVM_EXIT_NOTIFY] = "KVM_EXIT_NOTIFY",
};

const char *sv_exit_reason_name(uint32_t reason, char *buf, size_t len)
{
	if (reason < ARRAY_SIZE(sv_exit_names) && sv_exit_names[reason])
		snprintf(buf, len, "%s (%u)", sv_exit_names[reason], reason);
	else
		snprintf(buf, len, "unknown exit reason %u", reason);
	return buf;
}

int sv_vm_open(struct sv_vm *vm, const char *path)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->path = path;
	vm->sys_fd = -1;
	vm->vm_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->mmio_lock, NULL);

	vm->sys_fd = open(path, O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0) {
		sv_err("cannot open %s: %s%s", path, strerror(errno),
		       errno == ENOENT ?
		       " (is the module loaded, or KVM enabled?)" : "");
		return -1;
	}
	ret = ioctl(vm->sys_fd, KVM_GET_API_VERSION, 0);
	if (ret < 0) {
		sv_err("KVM_GET_API_VERSION on %s: %s", path, strerror(errno));
		return -1;
	}
	if (ret != KVM_API_VERSION) {
		sv_err("%s speaks KVM API version %d, expected %d", path, ret,
		       KVM_API_VERSION);
		return -1;
	}
	/* Type 0: the default 40-bit IPA space. */
	vm->vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		sv_err("KVM_CREATE_VM on %s: %s", path, strerror(errno));
		return -1;
	}
	vm->run_size = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < 0) {
		sv_err("KVM_GET_VCPU_MMAP_SIZE on %s: %s", path,
		       strerror(errno));
		return -1;
	}
	if ((size_t)vm->run_size < sizeof(struct kvm_run)) {
		sv_err("KVM_GET_VCPU_MMAP_SIZE on %s: %d bytes, less than struct kvm_run (%zu)",
		       path, vm->run_size, sizeof(struct kvm_run));
		return -1;
	}
	/* Undecodable MMIO as an exit with the syndrome, where offered. */
	if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION,
		  KVM_CAP_ARM_NISV_TO_USER) > 0) {
		struct kvm_enable_cap cap = {
			.cap = KVM_CAP_ARM_NISV_TO_USER,
		};

		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0) {
			sv_err("KVM_ENABLE_CAP(KVM_CAP_ARM_NISV_TO_USER) on %s: %s",
			       path, strerror(errno));
			return -1;
		}
	}
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &vm->init) < 0) {
		sv_err("KVM_ARM_PREFERRED_TARGET on %s: %s", path,
		       strerror(errno));
		return -1;
	}
	return 0;
}

void sv_vm_close(struct sv_vm *vm)
{
	int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct sv_vcpu *vcpu = vm->vcpus[i];

		if (vcpu->run)
			munmap(vcpu->run, vm->run_size);
		if (vcpu->fd >= 0)
			close(vcpu->fd);
		free(vcpu);
	}
	vm->nr_vcpus = 0;
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	for (i = 0; i < vm->nr_slots; i++)
		munmap(vm->slots[i].hva, vm->slots[i].size);
	vm->nr_slots = 0;
	if (vm->sys_fd >= 0)
		close(vm->sys_fd);
	vm->vm_fd = -1;
	vm->sys_fd = -1;
}

static bool sv_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

#define SV_THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"

/*
 * MADV_HUGEPAGE is accepted, and does nothing, when the host's policy is
 * "never": refuse, so that a run asked to use huge pages never silently
 * measures 4 KiB ones.
 */
static int sv_thp_check(void)
{
	char line[128] = "";
	FILE *f = fopen(SV_THP_ENABLED, "r");

	if (!f) {
		sv_err("guest RAM: transparent huge pages asked for, but %s cannot be read: %s",
		       SV_THP_ENABLED, strerror(errno));
		return -1;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	if (strstr(line, "[never]")) {
		sv_err("guest RAM: transparent huge pages asked for, but the host's policy is never (%s: %s)",
		       SV_THP_ENABLED, line);
		return -1;
	}
	return 0;
}

/*
 * size bytes of anonymous memory congruent to gpa modulo SV_RAM_ALIGN:
 * SV_RAM_ALIGN more is mapped and the ends trimmed (as QEMU's
 * qemu_ram_mmap()), then advised as vm->thp says. NULL on failure
 * (reported).
 */
static void *sv_ram_map(struct sv_vm *vm, uint64_t gpa, uint64_t size)
{
	size_t len = size + SV_RAM_ALIGN, head, tail;
	int advice = vm->thp == SV_THP_ON ? MADV_HUGEPAGE : MADV_NOHUGEPAGE;
	uint8_t *raw, *mem;

	if (vm->thp == SV_THP_ON && sv_thp_check())
		return NULL;
	raw = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED) {
		sv_err("guest RAM: mmap of %llu MiB: %s",
		       (unsigned long long)(size >> 20), strerror(errno));
		return NULL;
	}
	head = (gpa - (uintptr_t)raw) & (SV_RAM_ALIGN - 1);
	tail = len - head - size;
	mem = raw + head;
	if (head)
		munmap(raw, head);
	if (tail)
		munmap(mem + size, tail);
	/* A kernel without THP refuses both (EINVAL): 4 KiB pages anyway. */
	if (vm->thp != SV_THP_DEFAULT && madvise(mem, size, advice) &&
	    !(vm->thp == SV_THP_OFF && errno == EINVAL)) {
		sv_err("guest RAM: madvise(%s) of %llu MiB: %s%s",
		       vm->thp == SV_THP_ON ? "MADV_HUGEPAGE" :
					      "MADV_NOHUGEPAGE",
		       (unsigned long long)(size >> 20), strerror(errno),
		       errno == EINVAL ?
		       " (a kernel without transparent huge pages?)" : "");
		munmap(mem, size);
		return NULL;
	}
	return mem;
}

int sv_vm_add_ram(struct sv_vm *vm, uint32_t slot, uint64_t gpa,
		  uint64_t size, uint32_t flags, void **hva)
{
	long page = sysconf(_SC_PAGESIZE);
	struct kvm_userspace_memory_region region;
	struct sv_mem_slot *s;
	void *mem;
	int i;

	if (vm->nr_slots >= SV_MAX_SLOTS) {
		sv_err("memory slot %u: at most %d slots", slot, SV_MAX_SLOTS);
		return -1;
	}
	if (!size || size % page || gpa % page) {
		sv_err("memory slot %u: address 0x%llx and size 0x%llx must be non-zero multiples of the page size (%ld)",
		       slot, (unsigned long long)gpa,
		       (unsigned long long)size, page);
		return -1;
	}
	for (i = 0; i < vm->nr_slots; i++) {
		if (vm->slots[i].slot == slot ||
		    sv_overlaps(gpa, size, vm->slots[i].gpa,
				vm->slots[i].size)) {
			sv_err("memory slot %u at 0x%llx overlaps slot %u at 0x%llx",
			       slot, (unsigned long long)gpa,
			       vm->slots[i].slot,
			       (unsigned long long)vm->slots[i].gpa);
			return -1;
		}
	}
	mem = sv_ram_map(vm, gpa, size);
	if (!mem)
		return -1;
	region = (struct kvm_userspace_memory_region) {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		sv_err("KVM_SET_USER_MEMORY_REGION slot %u [0x%llx, 0x%llx) flags 0x%x: %s",
		       slot, (unsigned long long)gpa,
		       (unsigned long long)(gpa + size), flags,
		       strerror(errno));
		munmap(mem, size);
		return -1;
	}
	s = &vm->slots[vm->nr_slots++];
	s->slot = slot;
	s->flags = flags;
	s->gpa = gpa;
	s->size = size;
	s->hva = mem;
	if (hva)
		*hva = mem;
	return 0;
}

static struct sv_mem_slot *sv_find_slot(struct sv_vm *vm, uint64_t gpa)
{
	int i;

	for (i = 0; i < vm->nr_slots; i++)
		if (gpa >= vm->slots[i].gpa &&
		    gpa - vm->slots[i].gpa < vm->slots[i].size)
			return &vm->slots[i];
	return NULL;
}

void *sv_vm_gpa_to_hva(struct sv_vm *vm, uint64_t gpa, uint64_t len)
{
	struct sv_mem_slot *s = sv_find_slot(vm, gpa);

	if (!s || len > s->size - (gpa - s->gpa))
		return NULL;
	return (uint8_t *)s->hva + (gpa - s->gpa);
}

int sv_vm_add_mmio(struct sv_vm *vm, struct sv_mmio_dev *dev)
{
	int i;

	if (vm->nr_mmio >= SV_MAX_MMIO) {
		sv_err("device %s: at most %d MMIO devices", dev->name,
		       SV_MAX_MMIO);
		return -1;
	}
	for (i = 0; i < vm->nr_mmio; i++) {
		if (sv_overlaps(dev->base, dev->size, vm->mmio[i]->base,
				vm->mmio[i]->size)) {
			sv_err("device %s at 0x%llx overlaps device %s at 0x%llx",
			       dev->name, (unsigned long long)dev->base,
			       vm->mmio[i]->name,
			       (unsigned long long)vm->mmio[i]->base);
			return -1;
		}
	}
	dev->vm = vm;
	vm->mmio[vm->nr_mmio++] = dev;
	return 0;
}

struct sv_vcpu *sv_vcpu_create(struct sv_vm *vm, int id)
{
	struct kvm_vcpu_init init = vm->init;
	struct sv_vcpu *vcpu;

	if (id != vm->nr_vcpus || id >= SV_MAX_VCPUS) {
		sv_err("vCPU %d: create vCPUs 0..%d in order", id,
		       SV_MAX_VCPUS - 1);
		return NULL;
	}
	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu) {
		sv_err("vCPU %d: out of memory", id);
		return NULL;
	}
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0) {
		sv_err("KVM_CREATE_VCPU %d: %s", id, strerror(errno));
		free(vcpu);
		return NULL;
	}
	/* From here on sv_vm_close() cleans up. */
	vm->vcpus[vm->nr_vcpus++] = vcpu;
	vcpu->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		vcpu->run = NULL;
		sv_err("vCPU %d: mmap of struct kvm_run (%d bytes): %s", id,
		       vm->run_size, strerror(errno));
		return NULL;
	}
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (id)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) < 0) {
		sv_err("KVM_ARM_VCPU_INIT vCPU %d (target %u, features 0x%x): %s",
		       id, init.target, init.features[0], strerror(errno));
		return NULL;
	}
	return vcpu;
}

static const char *sv_reg_name(uint64_t id, char *buf, size_t len)
{
	uint64_t core = id & ~(KVM_REG_ARM64 | KVM_REG_SIZE_MASK |
			       KVM_REG_ARM_CORE);
	int i;

	if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM_CORE) {
		snprintf(buf, len, "register 0x%llx", (unsigned long long)id);
		return buf;
	}
	for (i = 0; i < 31; i++) {
		if (core == KVM_REG_ARM_CORE_REG(regs.regs[i])) {
			snprintf(buf, len, "X%d", i);
			return buf;
		}
	}
	if (core == KVM_REG_ARM_CORE_REG(regs.pc))
		return "PC";
	if (core == KVM_REG_ARM_CORE_REG(regs.pstate))
		return "PSTATE";
	if (core == KVM_REG_ARM_CORE_REG(regs.sp))
		return "SP_EL0";
	if (core == KVM_REG_ARM_CORE_REG(sp_el1))
		return "SP_EL1";
	if (core == KVM_REG_ARM_CORE_REG(elr_el1))
		return "ELR_EL1";
	snprintf(buf, len, "core register 0x%llx", (unsigned long long)id);
	return buf;
}

int sv_vcpu_set_reg(struct sv_vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };
	char name[48];

	if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0) {
		sv_err("KVM_SET_ONE_REG %s = 0x%llx on vCPU %d: %s",
		       sv_reg_name(id, name, sizeof(name)),
		       (unsigned long long)val, vcpu->id, strerror(errno));
		return -1;
	}
	return 0;
}

int sv_vcpu_get_reg(struct sv_vcpu *vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };
	char name[48];

	if (ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0) {
		sv_err("KVM_GET_ONE_REG %s on vCPU %d: %s",
		       sv_reg_name(id, name, sizeof(name)), vcpu->id,
		       strerror(errno));
		return -1;
	}
	return 0;
}

/* The guest's PC for messages, or ~0 if it cannot be read. */
static unsigned long long sv_vcpu_pc(struct sv_vcpu *vcpu)
{
	struct kvm_one_reg reg;
	uint64_t pc = ~0ull;

	reg.id = SV_REG_PC;
	reg.addr = (uintptr_t)&pc;
	if (ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0)
		return ~0ull;
	return pc;
}

void sv_vm_request_stop(struct sv_vm *vm, enum sv_stop_reason reason,
			uint32_t status, int vcpu)
{
	pthread_t self = pthread_self();
	int i;

	pthread_mutex_lock(&vm->lock);
	if (!__atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST)) {
		vm->stop.reason = reason;
		vm->stop.status = status;
		vm->stop.vcpu = vcpu;
		__atomic_store_n(&vm->stopping, 1, __ATOMIC_SEQ_CST);
		for (i = 0; i < vm->nr_vcpus; i++) {
			struct sv_vcpu *v = vm->vcpus[i];

			v->run->immediate_exit = 1;
			if (v->thread_started &&
			    !pthread_equal(v->thread, self))
				pthread_kill(v->thread, SV_KICK_SIGNAL);
		}
	}
	pthread_mutex_unlock(&vm->lock);
}

static int sv_vgic_attr(struct sv_vm *vm, int fd, uint32_t group,
			uint64_t attr, uint64_t *val, const char *what)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};

	if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a) < 0) {
		sv_err("%s: vGIC %s (KVM_SET_DEVICE_ATTR group %u attr %llu): %s",
		       vm->path, what, group, (unsigned long long)attr,
		       strerror(errno));
		return -1;
	}
	return 0;
}

int sv_vm_create_vgic(struct sv_vm *vm, int version, uint64_t dist,
		      uint64_t redist_or_cpu)
{
	struct kvm_create_device cd = {
		.type = version == 3 ? KVM_DEV_TYPE_ARM_VGIC_V3 :
				       KVM_DEV_TYPE_ARM_VGIC_V2,
	};
	uint64_t d = dist, r = redist_or_cpu;
	int fd;

	if (version != 2 && version != 3) {
		sv_err("vGIC version %d: only 2 and 3 exist", version);
		return -1;
	}
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) < 0) {
		sv_err("%s: KVM_CREATE_DEVICE (in-kernel GICv%d): %s%s",
		       vm->path, version, strerror(errno),
		       errno == ENODEV ? " (this hypervisor has no such vGIC)"
				       : "");
		return -1;
	}
	fd = cd.fd;
	/* Documentation/virt/kvm/devices/arm-vgic{,-v3}.rst: addresses, then INIT. */
	if (sv_vgic_attr(vm, fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			 version == 3 ? KVM_VGIC_V3_ADDR_TYPE_DIST :
					KVM_VGIC_V2_ADDR_TYPE_DIST,
			 &d, "distributor address") ||
	    sv_vgic_attr(vm, fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
			 version == 3 ? KVM_VGIC_V3_ADDR_TYPE_REDIST :
					KVM_VGIC_V2_ADDR_TYPE_CPU,
			 &r, version == 3 ? "redistributor address" :
					    "CPU interface address") ||
	    sv_vgic_attr(vm, fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
			 KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, "init")) {
		close(fd);
		return -1;
	}
	/* The device lives as long as the VM; its fd is not needed again. */
	close(fd);
	return 0;
}

int sv_vm_irq_line(struct sv_vm *vm, uint32_t intid, int level)
{
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) |
		       (intid & KVM_ARM_IRQ_NUM_MASK),
		.level = level,
	};

	if (intid < 32 || intid > 1019) {
		sv_err("KVM_IRQ_LINE: INTID %u is not an SPI (32..1019)", intid);
		return -1;
	}
	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0) {
		sv_err("%s: KVM_IRQ_LINE (SPI %u, level %d): %s", vm->path,
		       intid, level, strerror(errno));
		return -1;
	}
	return 0;
}

static void sv_alarm_handler(int sig)
{
	struct sv_vm *vm = __atomic_load_n(&sv_alarm_vm, __ATOMIC_SEQ_CST);
	int i;

	(void)sig;
	__atomic_store_n(&sv_alarm_fired, 1, __ATOMIC_SEQ_CST);
	if (!vm)
		return;
	for (i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i]->run->immediate_exit = 1;
}

static void sv_kick_handler(int sig)
{
	(void)sig;
}

int sv_vm_set_timeout(struct sv_vm *vm, unsigned int seconds)
{
	struct sigaction sa;

	if (!seconds)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sv_alarm_handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: KVM_RUN must return EINTR. */
	if (sigaction(SIGALRM, &sa, NULL) < 0) {
		sv_err("sigaction(SIGALRM): %s", strerror(errno));
		return -1;
	}
	__atomic_store_n(&sv_alarm_fired, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&sv_alarm_vm, vm, __ATOMIC_SEQ_CST);
	alarm(seconds);
	return 0;
}

static int sv_handle_mmio(struct sv_vcpu *vcpu)
{
	struct sv_vm *vm = vcpu->vm;
	struct kvm_run *run = vcpu->run;
	uint64_t addr = run->mmio.phys_addr;
	unsigned int len = run->mmio.len;
	bool is_write = run->mmio.is_write;
	struct sv_mem_slot *slot;
	int i, ret;

	if (len != 1 && len != 2 && len != 4 && len != 8) {
		sv_err("vCPU %d: MMIO %s of %u bytes at 0x%llx (pc=0x%llx): bad length",
		       vcpu->id, is_write ? "write" : "read", len,
		       (unsigned long long)addr, sv_vcpu_pc(vcpu));
		return -1;
	}
	for (i = 0; i < vm->nr_mmio; i++) {
		struct sv_mmio_dev *dev = vm->mmio[i];

		if (addr < dev->base || addr - dev->base >= dev->size)
			continue;
		if (len > dev->size - (addr - dev->base))
			break;
		if (!is_write)
			memset(run->mmio.data, 0, sizeof(run->mmio.data));
		pthread_mutex_lock(&vm->mmio_lock);
		ret = dev->access(dev, addr - dev->base, is_write,
				  run->mmio.data, len);
		pthread_mutex_unlock(&vm->mmio_lock);
		if (ret < 0)
			sv_err("vCPU %d: the access above was at pc=0x%llx",
			       vcpu->id, sv_vcpu_pc(vcpu));
		return ret;
	}
	slot = sv_find_slot(vm, addr);
	if (slot && is_write && (slot->flags & KVM_MEM_READONLY)) {
		sv_err("vCPU %d: guest wrote %u bytes to read-only memory at 0x%llx (slot %u, pc=0x%llx)",
		       vcpu->id, len, (unsigned long long)addr, slot->slot,
		       sv_vcpu_pc(vcpu));
		return -1;
	}
	sv_err("vCPU %d: guest %s %u bytes at 0x%llx, where there is no device (pc=0x%llx)",
	       vcpu->id, is_write ? "wrote" : "read", len,
	       (unsigned long long)addr, sv_vcpu_pc(vcpu));
	return -1;
}

static const char *sv_internal_error_name(uint32_t suberror)
{
	switch (suberror) {
	case KVM_INTERNAL_ERROR_EMULATION:
		return "EMULATION";
	case KVM_INTERNAL_ERROR_SIMUL_EX:
		return "SIMUL_EX";
	case KVM_INTERNAL_ERROR_DELIVERY_EV:
		return "DELIVERY_EV";
	case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
		return "UNEXPECTED_EXIT_REASON";
	default:
		return "unknown";
	}
}

static const char *sv_system_event_name(uint32_t type)
{
	switch (type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		return "SHUTDOWN";
	case KVM_SYSTEM_EVENT_RESET:
		return "RESET";
	case KVM_SYSTEM_EVENT_CRASH:
		return "CRASH";
	case KVM_SYSTEM_EVENT_WAKEUP:
		return "WAKEUP";
	case KVM_SYSTEM_EVENT_SUSPEND:
		return "SUSPEND";
	default:
		return "unknown";
	}
}

/*
 * One exit: returns 0 to run again, 1 if the VM is stopping (a stop was
 * requested), -1 on an error (reported).
 */
static int sv_handle_exit(struct sv_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct sv_vm *vm = vcpu->vm;
	char name[64];
	uint32_t i, n;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		return sv_handle_mmio(vcpu);
	case KVM_EXIT_INTR:
		return 0;
	case KVM_EXIT_SYSTEM_EVENT:
		switch (run->system_event.type) {
		case KVM_SYSTEM_EVENT_SHUTDOWN:
			sv_vm_request_stop(vm, SV_STOP_SHUTDOWN, 0, vcpu->id);
			return 1;
		case KVM_SYSTEM_EVENT_RESET:
			sv_vm_request_stop(vm, SV_STOP_RESET, 0, vcpu->id);
			return 1;
		}
		sv_err("vCPU %d: KVM_EXIT_SYSTEM_EVENT type %u (%s), flags 0x%llx, pc=0x%llx: not handled",
		       vcpu->id, run->system_event.type,
		       sv_system_event_name(run->system_event.type),
		       (unsigned long long)run->system_event.flags,
		       sv_vcpu_pc(vcpu));
		return -1;
	case KVM_EXIT_FAIL_ENTRY:
		sv_err("vCPU %d: KVM_RUN: the hypervisor failed to enter the guest (KVM_EXIT_FAIL_ENTRY): hardware_entry_failure_reason=0x%llx cpu=%u",
		       vcpu->id,
		       (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
		       run->fail_entry.cpu);
		return -1;
	case KVM_EXIT_INTERNAL_ERROR:
		sv_err("vCPU %d: KVM_RUN: hypervisor internal error (KVM_EXIT_INTERNAL_ERROR): suberror=%u (%s), ndata=%u, pc=0x%llx",
		       vcpu->id, run->internal.suberror,
		       sv_internal_error_name(run->internal.suberror),
		       run->internal.ndata, sv_vcpu_pc(vcpu));
		n = run->internal.ndata;
		if (n > ARRAY_SIZE(run->internal.data))
			n = ARRAY_SIZE(run->internal.data);
		for (i = 0; i < n; i++)
			sv_err("  data[%u] = 0x%llx", i,
			       (unsigned long long)run->internal.data[i]);
		return -1;
	case KVM_EXIT_ARM_NISV:
		sv_err("vCPU %d: KVM_EXIT_ARM_NISV at 0x%llx (esr_iss=0x%llx, pc=0x%llx): %s",
		       vcpu->id, (unsigned long long)run->arm_nisv.fault_ipa,
		       (unsigned long long)run->arm_nisv.esr_iss,
		       sv_vcpu_pc(vcpu), SV_NISV_HINT);
		return -1;
	}
	sv_err("vCPU %d: KVM_RUN returned an exit this VMM does not handle: %s, pc=0x%llx",
	       vcpu->id, sv_exit_reason_name(run->exit_reason, name,
					     sizeof(name)),
	       sv_vcpu_pc(vcpu));
	return -1;
}

static void sv_vcpu_loop(struct sv_vcpu *vcpu)
{
	struct sv_vm *vm = vcpu->vm;
	int ret;

	while (!__atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST)) {
		if (__atomic_load_n(&sv_alarm_fired, __ATOMIC_SEQ_CST)) {
			sv_vm_request_stop(vm, SV_STOP_TIMEOUT, 0, vcpu->id);
			break;
		}
		ret = ioctl(vcpu->fd, KVM_RUN, 0);
		if (ret < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == SV_ERRNO_NO_DECODE)
				sv_err("KVM_RUN on vCPU %d: %s (pc=0x%llx): %s",
				       vcpu->id, strerror(errno),
				       sv_vcpu_pc(vcpu), SV_NISV_HINT);
			else
				sv_err("KVM_RUN on vCPU %d: %s (pc=0x%llx)",
				       vcpu->id, strerror(errno),
				       sv_vcpu_pc(vcpu));
			sv_vm_request_stop(vm, SV_STOP_ERROR, 0, vcpu->id);
			break;
		}
		ret = sv_handle_exit(vcpu);
		if (ret < 0) {
			sv_vm_request_stop(vm, SV_STOP_ERROR, 0, vcpu->id);
			break;
		}
	}
}

static void *sv_vcpu_thread(void *arg)
{
	struct sv_vcpu *vcpu = arg;
	sigset_t set;

	/* SIGALRM goes to vCPU 0's thread, the caller of sv_vm_run(). */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sv_vcpu_loop(vcpu);
	return NULL;
}

int sv_vm_run(struct sv_vm *vm, struct sv_stop *stop)
{
	struct sigaction sa;
	sigset_t set;
	int i, ret;

	if (!vm->nr_vcpus) {
		sv_err("no vCPU to run");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sv_kick_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SV_KICK_SIGNAL, &sa, NULL) < 0) {
		sv_err("sigaction(SIGUSR1): %s", strerror(errno));
		return -1;
	}
	sigemptyset(&set);
	sigaddset(&set, SV_KICK_SIGNAL);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	pthread_mutex_lock(&vm->lock);
	vm->vcpus[0]->thread = pthread_self();
	vm->vcpus[0]->thread_started = 1;
	for (i = 1; i < vm->nr_vcpus &&
		    !__atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST); i++) {
		struct sv_vcpu *vcpu = vm->vcpus[i];

		ret = pthread_create(&vcpu->thread, NULL, sv_vcpu_thread,
				     vcpu);
		if (ret) {
			pthread_mutex_unlock(&vm->lock);
			sv_err("vCPU %d: pthread_create: %s", i,
			       strerror(ret));
			sv_vm_request_stop(vm, SV_STOP_ERROR, 0, i);
			pthread_mutex_lock(&vm->lock);
			break;
		}
		vcpu->thread_started = 1;
	}
	pthread_mutex_unlock(&vm->lock);

	sv_vcpu_loop(vm->vcpus[0]);

	for (i = 1; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i]->thread_started)
			pthread_join(vm->vcpus[i]->thread, NULL);
	alarm(0);
	__atomic_store_n(&sv_alarm_vm, NULL, __ATOMIC_SEQ_CST);
	vm->vcpus[0]->thread_started = 0;
	for (i = 1; i < vm->nr_vcpus; i++)
		vm->vcpus[i]->thread_started = 0;
	*stop = vm->stop;
	fflush(stdout);
	return 0;
}
