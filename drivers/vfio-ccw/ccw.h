/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The architected channel-program formats vfio-ccw translates (z/Architecture
 * Principles of Operation, chapter 15): the command-mode ORB fields it uses,
 * format-0 and format-1 CCWs, format-1 and format-2 IDAWs.
 *
 * These are guest-memory and channel formats, so they are big-endian on
 * every architecture: the layouts here are byte-exact with explicit __be
 * fields and masks, never C bitfields, whose bit order depends on the
 * compiler's target.  That is what lets the translator and its tests run on
 * UML and x86_64 unchanged; on s390 the same bytes are what the channel
 * reads, and ccw_s390_check.c proves at build time that they agree with
 * asm/cio.h and asm/orb.h.
 */
#ifndef _VFIO_CCW_CCW_H
#define _VFIO_CCW_CCW_H

#include <asm/byteorder.h>
#include <linux/build_bug.h>
#include <linux/types.h>

/* Format-1 CCW: command, flags, count, 31-bit data address. */
struct ccw1_be {
	u8 cmd;
	u8 flags;
	__be16 count;
	__be32 cda;
} __packed __aligned(8);

/* Format-0 CCW: command, 24-bit data address, flags, ignored byte, count. */
struct ccw0_be {
	u8 cmd;
	u8 cda[3];
	u8 flags;
	u8 ignored;
	__be16 count;
} __packed __aligned(8);

static_assert(sizeof(struct ccw1_be) == 8);
static_assert(sizeof(struct ccw0_be) == 8);

/* CCW flags (the same bit positions in both formats). */
#define CCWF_CD	0x80	/* chain data */
#define CCWF_CC	0x40	/* chain command */
#define CCWF_SLI	0x20	/* suppress incorrect length */
#define CCWF_SKIP	0x10	/* skip transfer to storage */
#define CCWF_PCI	0x08	/* program-controlled interruption */
#define CCWF_IDA	0x04	/* data address names an IDAL */
#define CCWF_S	0x02	/* suspend */
#define CCWF_MIDA	0x01	/* modified IDAL */

/* Command codes the translator tells apart; all others are opaque. */
#define CCWC_TIC		0x08
#define CCWC_NOP		0x03
#define CCWC_SENSE_ID	0xe4
/* The low four bits classify a command. */
#define CCWC_TYPE_MASK	0x0f
#define CCWC_TYPE_INVALID	0x00
#define CCWC_TYPE_SENSE	0x04
#define CCWC_TYPE_TIC	0x08
#define CCWC_TYPE_BACKWARD	0x0c
/* A read is xxxxxx10, a write xxxxxx01, a control xxxxxx11. */
#define CCWC_DIR_MASK	0x03
#define CCWC_DIR_READ	0x02

/* Address limits: 31 bits for format-1 CCWs and IDAWs, 24 for format 0. */
#define CCW_ADDR31_MASK		0x7fffffffU
#define CCW_ADDR24_MASK		0x00ffffffU
#define CCW_ALIGN		8

/*
 * Format-1 IDAW: 4 bytes, 31-bit address, 2K blocks.  Format-2 IDAW: 8
 * bytes, 64-bit address, 2K or 4K blocks (ORB T bit).  Every IDAW but the
 * first must name the start of a block.
 */
#define IDAW1_SIZE		4
#define IDAW2_SIZE		8
#define IDAW_BLOCK_2K_SHIFT	11
#define IDAW_BLOCK_4K_SHIFT	12

/*
 * Command-mode ORB words 0-2: interruption parameter, control word, CCW
 * address.  The rest of the architected ORB exists only with the X bit, which
 * is refused, and vfio-ccw's I/O region carries exactly these 12 bytes.
 */
struct orb_be {
	__be32 intparm;
	__be32 ctl;
	__be32 cpa;
} __packed __aligned(4);

static_assert(sizeof(struct orb_be) == 12);

/* Bits of orb_be.ctl, word 1 of the ORB; bit 0 is the most significant. */
#define ORB_KEY		0xf0000000U	/* bits 0-3: storage key */
#define ORB_S		0x08000000U	/* bit 4: suspend control */
#define ORB_C		0x04000000U	/* bit 5: streaming-mode control */
#define ORB_M		0x02000000U	/* bit 6: modification control */
#define ORB_Y		0x01000000U	/* bit 7: synchronization control */
#define ORB_F		0x00800000U	/* bit 8: format-1 CCWs */
#define ORB_P		0x00400000U	/* bit 9: prefetch allowed */
#define ORB_I		0x00200000U	/* bit 10: initial-status interruption */
#define ORB_A		0x00100000U	/* bit 11: address-limit checking */
#define ORB_U		0x00080000U	/* bit 12: suppress-suspended interruption */
#define ORB_B		0x00040000U	/* bit 13: transport mode */
#define ORB_H		0x00020000U	/* bit 14: format-2 IDAWs */
#define ORB_T		0x00010000U	/* bit 15: 2K format-2 IDAWs */
#define ORB_LPM		0x0000ff00U	/* bits 16-23: logical-path mask */
#define ORB_L		0x00000080U	/* bit 24: incorrect-length suppression */
#define ORB_D		0x00000040U	/* bit 25: MIDAW control */
#define ORB_RSVD	0x0000003eU	/* bits 26-30: must be zero */
#define ORB_X		0x00000001U	/* bit 31: ORB extension */

/*
 * Command-mode SCSW and the IRB around it, as the channel stores them and
 * the I/O region's irb_area carries them.  Word 0: key (bits 0-3), S,
 * ESW format, condition code (bits 6-7), then F, P, I, A, U, Z, E, N,
 * a reserved bit, the function control (17-19), the activity control
 * (20-26) and the status control (27-31).
 */
struct scsw_be {
	__be32 ctl;
	__be32 cpa;
	u8 dstat;
	u8 cstat;
	__be16 count;
} __packed __aligned(4);

struct irb_be {
	struct scsw_be scsw;
	u8 esw[20];
	u8 ecw[32];
	u8 emw[32];
} __packed __aligned(4);

/*
 * In the ESW: the extended-report word (bytes 4-7) and, in format 0, the
 * failing-storage address (bytes 8-15) and the secondary CCW address
 * (16-19); formats 1-3 keep those bytes zero.  The two addresses are
 * valid when ERW bits 6 (FSAVF) and 8 (SCAVF) are set.
 */
#define ESW_ERW		4
#define ESW_FADDR	8
#define ESW_ADDRS_LEN	12
#define ERW0_FSAVF	0x02	/* in ERW byte 0 */
#define ERW1_SCAVF	0x80	/* in ERW byte 1 */

/*
 * Channel report word: reporting-source code (bits 4-7), error-recovery
 * code (bits 10-15), reporting-source ID (bits 16-31).
 */
#define CRW_RSC_SHIFT		24
#define CRW_ERC_SHIFT		16
#define CRW_RSC_CHP		0x4	/* channel path */
#define CRW_ERC_INIT		0x02	/* initialized: path online */
#define CRW_ERC_PERRN		0x06	/* permanent error: path offline */

static_assert(sizeof(struct scsw_be) == 12);
static_assert(sizeof(struct irb_be) == 96);

#define SCSWB_CC_SHIFT		24
#define SCSWB_CC_MASK		0x03000000U
#define SCSWB_FCTL_SHIFT		12
#define SCSWB_FCTL_MASK		0x00007000U
#define SCSWB_ACTL_SHIFT		5
#define SCSWB_ACTL_MASK		0x00000fe0U
#define SCSWB_STCTL_MASK		0x0000001fU
/* Bits 8 and 9, where the ORB keeps the same two bits. */
#define SCSWB_F			0x00800000U	/* format-1 CCWs */
#define SCSWB_P			0x00400000U	/* prefetch */
static_assert(SCSWB_F == ORB_F && SCSWB_P == ORB_P);

/* Function control. */
#define SCSWB_FCTL_START		0x4
#define SCSWB_FCTL_HALT		0x2
#define SCSWB_FCTL_CLEAR		0x1
/* Activity control. */
#define SCSWB_ACTL_RESUME_PEND	0x40
#define SCSWB_ACTL_START_PEND	0x20
#define SCSWB_ACTL_HALT_PEND	0x10
#define SCSWB_ACTL_CLEAR_PEND	0x08
#define SCSWB_ACTL_SCH_ACTIVE	0x04
#define SCSWB_ACTL_DEV_ACTIVE	0x02
#define SCSWB_ACTL_SUSPENDED	0x01
/* Status control. */
#define SCSWB_STCTL_ALERT	0x10
#define SCSWB_STCTL_INTER	0x08
#define SCSWB_STCTL_PRIMARY	0x04
#define SCSWB_STCTL_SECONDARY	0x02
#define SCSWB_STCTL_PENDING	0x01
/* Device status bits (the values of asm/cio.h, which s390 checks). */
#define DEV_STAT_ATTENTION	0x80
#define DEV_STAT_CHN_END	0x08
#define DEV_STAT_DEV_END	0x04
#define DEV_STAT_UNIT_CHECK	0x02

static inline u32 scswb_ctl(const struct scsw_be *s)
{
	return be32_to_cpu(s->ctl);
}

static inline unsigned int scswb_cc(const struct scsw_be *s)
{
	return (scswb_ctl(s) & SCSWB_CC_MASK) >> SCSWB_CC_SHIFT;
}

static inline unsigned int scswb_fctl(const struct scsw_be *s)
{
	return (scswb_ctl(s) & SCSWB_FCTL_MASK) >> SCSWB_FCTL_SHIFT;
}

static inline unsigned int scswb_actl(const struct scsw_be *s)
{
	return (scswb_ctl(s) & SCSWB_ACTL_MASK) >> SCSWB_ACTL_SHIFT;
}

static inline unsigned int scswb_stctl(const struct scsw_be *s)
{
	return scswb_ctl(s) & SCSWB_STCTL_MASK;
}

static inline u32 scswb_make_ctl(unsigned int cc, unsigned int fctl,
				 unsigned int actl, unsigned int stctl)
{
	return cc << SCSWB_CC_SHIFT | fctl << SCSWB_FCTL_SHIFT |
	       actl << SCSWB_ACTL_SHIFT | stctl;
}

#ifdef CONFIG_S390
void ccwcp_s390_layout_check(void);
#endif

#endif /* _VFIO_CCW_CCW_H */
