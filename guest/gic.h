/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal GIC driver for guest payloads on an in-kernel vGIC (splitvm
 * --vgic v3|v2, addresses in layout.h): vCPU 0 only, Group 1
 * interrupts, one priority, EOImode 0 (an EOI also deactivates).
 * Header-only: payloads that use it include it.
 *
 *   gic_init(version)        distributor, redistributor/CPU interface
 *   gic_enable_ppi(intid)    e.g. the virtual timer, PPI 27
 *   gic_enable_spi(intid)    edge-triggered, routed to vCPU 0
 *   gic_ack() / gic_eoi(id)  in the IRQ handler
 *
 * GICv3: GIC architecture spec (IHI 0069) 12.9 (GICD_*), 12.10 (GICR_*),
 * 12.11 (ICC_* system registers); GICv2: IHI 0048B 4.3, 4.4.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "guest.h"

#define GICD_CTLR		0x0000
#define GICD_IIDR		0x0008
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_CTLR_ARE_NS	(1U << 4)
#define GICD_CTLR_ENABLE_G1	(1U << 1)	/* GICv3, one security state */
#define GICD_CTLR_ENABLE_V2	(1U << 0)

#define GICR_WAKER		0x0014
#define GICR_WAKER_PSLEEP	(1U << 1)
#define GICR_WAKER_CASLEEP	(1U << 2)
#define GICR_SGI_BASE		0x10000		/* the SGI/PPI frame */

#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010

#define GIC_PRIO		0xa0
#define GIC_SPURIOUS		1023
#define GIC_INTID_VTIMER	27

/* ICC_*_EL1 by encoding: an assembler needs no GICv3 support for them. */
#define ICC_PMR_EL1		"s3_0_c4_c6_0"
#define ICC_IAR1_EL1		"s3_0_c12_c12_0"
#define ICC_EOIR1_EL1		"s3_0_c12_c12_1"
#define ICC_BPR1_EL1		"s3_0_c12_c12_3"
#define ICC_SRE_EL1		"s3_0_c12_c12_5"
#define ICC_IGRPEN1_EL1		"s3_0_c12_c12_7"

#define gic_write_sysreg(reg, v) ({ \
	asm volatile("msr " reg ", %0" : : "r"((u64)(v)) : "memory"); })
#define gic_read_sysreg(reg) ({ \
	u64 __v; asm volatile("mrs %0, " reg : "=r"(__v) : : "memory"); __v; })

static int gic_version;

static inline void gic_dist_wait(void)
{
	if (gic_version == 3)
		while (mmio_read32(SV_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
			;
}

static inline void gic_init(int version)
{
	u64 rd = SV_GICR_BASE;

	gic_version = version;
	if (version == 3) {
		mmio_write32(SV_GICD_BASE + GICD_CTLR,
			     GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1);
		gic_dist_wait();
		mmio_write32(rd + GICR_WAKER,
			     mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_PSLEEP);
		while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CASLEEP)
			;
		/* All SGIs and PPIs in Group 1. */
		mmio_write32(rd + GICR_SGI_BASE + GICD_IGROUPR, ~0U);
		gic_write_sysreg(ICC_SRE_EL1, gic_read_sysreg(ICC_SRE_EL1) | 1);
		asm volatile("isb");
		gic_write_sysreg(ICC_PMR_EL1, 0xff);
		gic_write_sysreg(ICC_BPR1_EL1, 0);
		gic_write_sysreg(ICC_IGRPEN1_EL1, 1);
		asm volatile("isb");
	} else {
		mmio_write32(SV_GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_V2);
		mmio_write32(SV_GICC_BASE + GICC_PMR, 0xff);
		mmio_write32(SV_GICC_BASE + GICC_CTLR, 1);
	}
}

static inline void gic_enable_ppi(u32 intid)
{
	if (gic_version == 3) {
		u64 sgi = SV_GICR_BASE + GICR_SGI_BASE;

		mmio_write8(sgi + GICD_IPRIORITYR + intid, GIC_PRIO);
		mmio_write32(sgi + GICD_ISENABLER, 1U << intid);
	} else {
		mmio_write8(SV_GICD_BASE + GICD_IPRIORITYR + intid, GIC_PRIO);
		mmio_write32(SV_GICD_BASE + GICD_ISENABLER, 1U << intid);
	}
}

static inline void gic_enable_spi(u32 intid)
{
	u64 d = SV_GICD_BASE;
	u64 cfg = d + GICD_ICFGR + 4 * (intid / 16);

	mmio_write32(d + GICD_IGROUPR + 4 * (intid / 32),
		     mmio_read32(d + GICD_IGROUPR + 4 * (intid / 32)) |
		     (gic_version == 3 ? 1U << (intid % 32) : 0));
	/* Edge-triggered: the VMM's raise-and-lower latches it pending. */
	mmio_write32(cfg, mmio_read32(cfg) | 2U << (2 * (intid % 16)));
	mmio_write8(d + GICD_IPRIORITYR + intid, GIC_PRIO);
	if (gic_version == 3)
		mmio_write64(d + GICD_IROUTER + 8 * intid, 0);
	else
		mmio_write8(d + GICD_ITARGETSR + intid, 1);
	mmio_write32(d + GICD_ISENABLER + 4 * (intid / 32),
		     1U << (intid % 32));
	gic_dist_wait();
}

static inline u32 gic_ack(void)
{
	if (gic_version == 3)
		return gic_read_sysreg(ICC_IAR1_EL1) & 0xffffff;
	return mmio_read32(SV_GICC_BASE + GICC_IAR) & 0x3ff;
}

static inline void gic_eoi(u32 intid)
{
	if (gic_version == 3)
		gic_write_sysreg(ICC_EOIR1_EL1, intid);
	else
		mmio_write32(SV_GICC_BASE + GICC_EOIR, intid);
}

#endif /* GUEST_GIC_H */
