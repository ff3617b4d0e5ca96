/* SPDX-License-Identifier: GPL-2.0 */
/* ESR_EL2 and its ISS encodings, as the highvisor decodes guest exits. */
#ifndef SV_ESR_H
#define SV_ESR_H

#include <linux/bits.h>

/* ESR_EL2 fields (ARM ARM D13.2.37) */
#define ESR_EC_SHIFT		26
#define ESR_EC(esr)		((esr) >> ESR_EC_SHIFT & 0x3f)
#define ESR_IL			BIT(25)
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFX		0x01
#define ESR_EC_FP		0x07
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_SYS64		0x18
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_BREAKPT_LOW	0x30
#define ESR_EC_BREAKPT_CUR	0x31
#define ESR_EC_SOFTSTP_LOW	0x32
#define ESR_EC_SOFTSTP_CUR	0x33
#define ESR_EC_WATCHPT_LOW	0x34
#define ESR_EC_WATCHPT_CUR	0x35
#define ESR_EC_BRK64		0x3c
#define ESR_DABT_ISV		BIT(24)
#define ESR_DABT_SAS(esr)	((esr) >> 22 & 3)
#define ESR_DABT_SSE		BIT(21)
#define ESR_DABT_SRT(esr)	((esr) >> 16 & 0x1f)
#define ESR_DABT_SF		BIT(15)
#define ESR_DABT_CM		BIT(8)
#define ESR_DABT_S1PTW		BIT(7)
#define ESR_DABT_WNR		BIT(6)
#define ESR_FSC_EXTABT		0x10

/* ISS of a trapped MSR/MRS/SYS (EC 0x18), ARM ARM D13.2.37 */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (crm) << 1)
#define ISS_SYSREG_MASK		SYSREG_ISS(3, 7, 15, 15, 7)
#define ISS_OP0(iss)		((iss) >> 20 & 3)
#define ISS_OP1(iss)		((iss) >> 14 & 7)
#define ISS_CRN(iss)		((iss) >> 10 & 15)
#define ISS_CRM(iss)		((iss) >> 1 & 15)
#define ISS_OP2(iss)		((iss) >> 17 & 7)
#define ISS_RT(iss)		((iss) >> 5 & 31)
#define ISS_READ		1

#endif
