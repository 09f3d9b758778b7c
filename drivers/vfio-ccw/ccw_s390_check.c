// SPDX-License-Identifier: GPL-2.0
/*
 * Build-time proof, on s390 only, that the byte layouts of ccw.h are the
 * ones the channel subsystem code of this kernel uses: asm/cio.h for CCWs,
 * flags and the IRB, asm/scsw.h for the SCSW, drivers/s390/cio/orb.h for
 * the ORB.  Nothing here runs; a
 * mismatch fails the build.
 */

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <asm/cio.h>
#include <asm/idals.h>
#include <asm/scsw.h>

#include "orb.h"
#include "ccw.h"

static_assert(sizeof(struct ccw1) == sizeof(struct ccw1_be));
static_assert(offsetof(struct ccw1, cmd_code) == offsetof(struct ccw1_be, cmd));
static_assert(offsetof(struct ccw1, flags) == offsetof(struct ccw1_be, flags));
static_assert(offsetof(struct ccw1, count) == offsetof(struct ccw1_be, count));
static_assert(offsetof(struct ccw1, cda) == offsetof(struct ccw1_be, cda));
static_assert(sizeof(struct ccw0) == sizeof(struct ccw0_be));
static_assert(offsetof(struct ccw0, cmd_code) == offsetof(struct ccw0_be, cmd));
static_assert(offsetof(struct ccw0, flags) == offsetof(struct ccw0_be, flags));
static_assert(offsetof(struct ccw0, count) == offsetof(struct ccw0_be, count));

static_assert(CCWF_CD == CCW_FLAG_DC && CCWF_CC == CCW_FLAG_CC);
static_assert(CCWF_SLI == CCW_FLAG_SLI && CCWF_SKIP == CCW_FLAG_SKIP);
static_assert(CCWF_PCI == CCW_FLAG_PCI && CCWF_IDA == CCW_FLAG_IDA);
static_assert(CCWF_S == CCW_FLAG_SUSPEND);
static_assert(CCWC_TIC == CCW_CMD_TIC && CCWC_NOP == CCW_CMD_NOOP);
static_assert(CCWC_SENSE_ID == CCW_CMD_SENSE_ID);
static_assert(IDAW_BLOCK_4K_SHIFT == IDA_SIZE_SHIFT);
static_assert(IDAW_BLOCK_2K_SHIFT == IDA_2K_SIZE_SHIFT);

static_assert(sizeof(struct cmd_orb) >= sizeof(struct orb_be));
static_assert(offsetof(struct cmd_orb, intparm) ==
	      offsetof(struct orb_be, intparm));
static_assert(offsetof(struct cmd_orb, cpa) == offsetof(struct orb_be, cpa));

/* The I/O region's IRB area has room for the extended-measurement words. */
static_assert(sizeof(struct irb) <= sizeof(struct irb_be));
static_assert(offsetof(struct irb, esw) == offsetof(struct irb_be, esw));
static_assert(offsetof(struct irb, ecw) == offsetof(struct irb_be, ecw));
static_assert(sizeof(union scsw) == sizeof(struct scsw_be));
static_assert(offsetof(struct cmd_scsw, cpa) == offsetof(struct scsw_be, cpa));
static_assert(SCSWB_FCTL_START == SCSW_FCTL_START_FUNC);
static_assert(SCSWB_FCTL_HALT == SCSW_FCTL_HALT_FUNC);
static_assert(SCSWB_FCTL_CLEAR == SCSW_FCTL_CLEAR_FUNC);
static_assert(SCSWB_ACTL_SCH_ACTIVE == SCSW_ACTL_SCHACT);
static_assert(SCSWB_ACTL_DEV_ACTIVE == SCSW_ACTL_DEVACT);
static_assert(SCSWB_STCTL_ALERT == SCSW_STCTL_ALERT_STATUS);
static_assert(SCSWB_STCTL_INTER == SCSW_STCTL_INTER_STATUS);
static_assert(SCSWB_STCTL_PRIMARY == SCSW_STCTL_PRIM_STATUS);
static_assert(SCSWB_STCTL_SECONDARY == SCSW_STCTL_SEC_STATUS);
static_assert(SCSWB_STCTL_PENDING == SCSW_STCTL_STATUS_PEND);
/* ccw.h's DEV_STAT_* redefine asm/cio.h's: the compiler checks they agree. */

static __always_inline struct scsw_be scsw_be_of(struct cmd_scsw c)
{
	struct scsw_be be;

	memcpy(&be, &c, sizeof(be));
	return be;
}

static __always_inline u32 scsw_ctl_of(struct cmd_scsw c)
{
	return be32_to_cpu(scsw_be_of(c).ctl);
}

static __always_inline u32 orb_ctl(union orb o)
{
	struct orb_be be;

	memcpy(&be, &o, sizeof(be));
	return be32_to_cpu(be.ctl);
}

static __always_inline u32 ccw0_cda(struct ccw0 c)
{
	struct ccw0_be be;

	memcpy(&be, &c, sizeof(be));
	return be.cda[0] << 16 | be.cda[1] << 8 | be.cda[2];
}

/*
 * Never called: its BUILD_BUG_ONs are checked when it is compiled (each
 * condition folds to a constant; one that does not fold fails the build
 * as surely as one that is false).
 */
void ccwcp_s390_layout_check(void)
{
	const struct cmd_scsw mixed = {
		.cc = 2, .fctl = 4, .actl = 0x11, .stctl = 0x0b,
	};

	BUILD_BUG_ON(ccw0_cda((struct ccw0){ .cda = 0x123456 }) != 0x123456);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.key = 0xf }) != ORB_KEY);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.spnd = 1 }) != ORB_S);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.res1 = 1 }) != ORB_C);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.mod = 1 }) != ORB_M);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.sync = 1 }) != ORB_Y);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.fmt = 1 }) != ORB_F);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.pfch = 1 }) != ORB_P);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.isic = 1 }) != ORB_I);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.alcc = 1 }) != ORB_A);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.ssic = 1 }) != ORB_U);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.res2 = 1 }) != ORB_B);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.c64 = 1 }) != ORB_H);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.i2k = 1 }) != ORB_T);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.lpm = 0xff }) != ORB_LPM);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.ils = 1 }) != ORB_L);
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.zero = 0x3f }) !=
		     (ORB_D | ORB_RSVD));
	BUILD_BUG_ON(orb_ctl((union orb){ .cmd.orbx = 1 }) != ORB_X);

	BUILD_BUG_ON(scsw_ctl_of((struct cmd_scsw){ .key = 0xf }) !=
		     0xf0000000U);
	BUILD_BUG_ON(scsw_ctl_of((struct cmd_scsw){ .cc = 3 }) != SCSWB_CC_MASK);
	BUILD_BUG_ON(scsw_ctl_of((struct cmd_scsw){ .fctl = 7 }) !=
		     SCSWB_FCTL_MASK);
	BUILD_BUG_ON(scsw_ctl_of((struct cmd_scsw){ .actl = 0x7f }) !=
		     SCSWB_ACTL_MASK);
	BUILD_BUG_ON(scsw_ctl_of((struct cmd_scsw){ .stctl = 0x1f }) !=
		     SCSWB_STCTL_MASK);
	BUILD_BUG_ON(scsw_ctl_of(mixed) != scswb_make_ctl(2, 4, 0x11, 0x0b));
	BUILD_BUG_ON(scsw_be_of((struct cmd_scsw){ .dstat = 0x0c }).dstat !=
		     0x0c);
	BUILD_BUG_ON(scsw_be_of((struct cmd_scsw){ .cstat = 0x20 }).cstat !=
		     0x20);
}
