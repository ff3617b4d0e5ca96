/* SPDX-License-Identifier: GPL-2.0 */
/* ESR_EL2 fields the entry paths look at (ARM ARM D17.2.37). */
#ifndef SV_HYP_VECTORS_ESR_H
#define SV_HYP_VECTORS_ESR_H

#define ESR_ELX_EC_SHIFT	26
#define ESR_ELX_EC_HVC64	0x16	/* HVC from AArch64 */

#endif
