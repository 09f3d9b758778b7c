// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of vfio-ccw's channel program translation (drivers/vfio-ccw/
 * cp.c), requirements P1-P6: well-formed programs of every shape checked
 * field by field and against the channel interpreter of ccw_guest.c, each
 * malformed class with its errno, a guest that changes memory behind every
 * read (fetch once), every allocation and pin failed in turn, and a seeded
 * randomized run over valid and malformed programs.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "ccw_guest.h"

#define GUEST_PAGES	64
/* Format-1 CCWs, prefetch allowed, 4K format-2 IDAWs: what Linux uses. */
#define CTL_F1		(ORB_F | ORB_P | ORB_H)
#define MAX_STEPS	4096

static unsigned long fuzz_seed = 20261202;
module_param(fuzz_seed, ulong, 0444);
MODULE_PARM_DESC(fuzz_seed, "seed of the randomized translation run");
static unsigned int fuzz_count = 100000;
module_param(fuzz_count, uint, 0444);
MODULE_PARM_DESC(fuzz_count, "programs in the randomized translation run");

struct cp_ctx {
	struct ccw_guest *g;
	struct ccwcp *cp;
	struct orb_be orb;
};

static int cp_test_init(struct kunit *test)
{
	struct cp_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->cp = ccw_guest_cp_create(test, GUEST_PAGES, &c->g);
	test->priv = c;
	return 0;
}

static int translate(struct cp_ctx *c, u32 ctl, u32 cpa)
{
	ccw_make_orb(&c->orb, ctl, cpa);
	return ccwcp_translate(c->cp, &c->orb);
}

/* Nothing pinned, nothing allocated, no program: after free or refusal. */
static void expect_clean(struct kunit *test, struct cp_ctx *c)
{
	ccwcp_free(c->cp);
	KUNIT_EXPECT_FALSE(test, c->cp->active);
	KUNIT_EXPECT_EQ(test, c->cp->nr_chains, 0);
	KUNIT_EXPECT_EQ(test, c->cp->nr_allocs, 0);
	KUNIT_EXPECT_EQ(test, c->cp->nr_pinned, 0);
	KUNIT_EXPECT_EQ(test, c->g->nr_pinned, 0);
}

static void expect_same_transfers_sm(struct kunit *test, struct cp_ctx *c,
				     u64 sm)
{
	const char *why;
	int bad = ccw_compare(c->g, &c->orb, c->cp, sm, MAX_STEPS, &why,
			      NULL);

	KUNIT_EXPECT_EQ_MSG(test, bad, 0, "status modifiers %llx: transfer %d: %s",
			    sm, bad, why);
}

static void expect_same_transfers(struct kunit *test, struct cp_ctx *c)
{
	expect_same_transfers_sm(test, c, 0);
}

/* Straight after a refusal, before any free could hide a leak. */
static bool refused_clean(struct cp_ctx *c)
{
	return !c->cp->active && !c->cp->nr_chains && !c->cp->nr_allocs &&
	       !c->cp->nr_pinned && !c->g->nr_pinned;
}

static struct ccw1_be *host_ccw(struct cp_ctx *c, unsigned int chain,
				unsigned int i)
{
	return &c->cp->chain[chain].ccw[i];
}

/* The IDAW a host CCW's IDAL holds at @k. */
static u64 host_idaw(struct ccw1_be *ccw, unsigned int k)
{
	__be64 *idal = phys_to_virt(be32_to_cpu(ccw->cda));

	return be64_to_cpu(idal[k]);
}

static u64 guest_phys(struct cp_ctx *c, u64 ga)
{
	return page_to_phys(c->g->page[ga >> PAGE_SHIFT]) + (ga & ~PAGE_MASK);
}

/*
 * The program shapes, written into guest memory.  Each returns the ORB
 * control word; the program starts at 0x1000.
 */
typedef u32 (*shape_fn)(struct ccw_guest *g);

static u32 shape_single(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, CCWC_SENSE_ID, CCWF_SLI, 7, 0x3010);
	return CTL_F1;
}

static u32 shape_cmd_chain(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 100, 0x3000);
	ccw_put1(g, 0x1008, CCWC_NOP, CCWF_CC, 0, 0);
	ccw_put1(g, 0x1010, 0x02, CCWF_SLI, 4096, 0x4000);
	return CTL_F1;
}

/* The data-chained CCWs' command codes are ignored by the channel. */
static u32 shape_data_chain(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x02, CCWF_CD, 3000, 0x5800);
	ccw_put1(g, 0x1008, 0x00, CCWF_CD, 100, 0x7000);
	ccw_put1(g, 0x1010, 0x03, CCWF_SLI, 50, 0x7100);
	return CTL_F1;
}

/* Device orientation: a status modifier skips the TIC back. */
static u32 shape_tic_back(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x02, CCWF_CC, 16, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x1000);
	ccw_put1(g, 0x1010, 0x01, 0, 16, 0x3100);
	return CTL_F1;
}

static u32 shape_tic_new_chain(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x2000);
	ccw_put1(g, 0x2000, 0x02, 0, 8, 0x3008);
	return CTL_F1;
}

/* Format-1 IDAWs: 4 bytes, 2K blocks, the first unaligned. */
static u32 shape_idal_f1(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA, 5000, 0x1800);
	ccw_put_idaw(g, 0x1800, false, 0x3700);
	ccw_put_idaw(g, 0x1804, false, 0x5000);
	ccw_put_idaw(g, 0x1808, false, 0x9800);
	ccw_put_idaw(g, 0x180c, false, 0xa000);
	return ORB_F | ORB_P;
}

static u32 shape_idal_f2_4k(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x01, CCWF_IDA, 9000, 0x1800);
	ccw_put_idaw(g, 0x1800, true, 0x3f00);
	ccw_put_idaw(g, 0x1808, true, 0x8000);
	ccw_put_idaw(g, 0x1810, true, 0x6000);
	return CTL_F1;
}

static u32 shape_idal_f2_2k(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA | CCWF_SLI, 4000, 0x1800);
	ccw_put_idaw(g, 0x1800, true, 0x3c00);
	ccw_put_idaw(g, 0x1808, true, 0xb800);
	ccw_put_idaw(g, 0x1810, true, 0x3000);
	return CTL_F1 | ORB_T;
}

/* Format 0, with a TIC whose ignored top four bits are set. */
static u32 shape_format0(struct ccw_guest *g)
{
	ccw_put0(g, 0x1000, 0x01, CCWF_CC, 10, 0x3000);
	ccw_put0(g, 0x1008, 0x18, 0, 0, 0x2000);
	ccw_put0(g, 0x2000, 0x02, CCWF_CD, 20, 0x3100);
	ccw_put0(g, 0x2008, 0x00, 0, 30, 0x3200);
	return ORB_P | ORB_H;
}

/* CCWCP_MAX_CHAIN_CCWS NOP-less control commands: exactly at the bound. */
static u32 shape_max_chain(struct ccw_guest *g)
{
	unsigned int i;

	for (i = 0; i < CCWCP_MAX_CHAIN_CCWS; i++)
		ccw_put1(g, 0x1000 + i * 8, 0x07,
			 i < CCWCP_MAX_CHAIN_CCWS - 1 ? CCWF_CC : 0, 4,
			 0x4000 + i * 4);
	return CTL_F1;
}

/* CCWCP_MAX_CHAINS chains linked by TICs: exactly at the bound. */
static u32 shape_max_chains(struct ccw_guest *g)
{
	unsigned int k;

	for (k = 0; k < CCWCP_MAX_CHAINS; k++) {
		u32 at = 0x1000 + k * 0x100;

		ccw_put1(g, at, 0x01, CCWF_CC, 8, 0x4000 + k * 8);
		if (k < CCWCP_MAX_CHAINS - 1)
			ccw_put1(g, at + 8, CCWC_TIC, 0, 0, at + 0x100);
		else
			ccw_put1(g, at + 8, CCWC_NOP, 0, 0, 0);
	}
	return CTL_F1;
}

/* Skip on a read and a count of zero move nothing: nothing is pinned. */
static u32 shape_no_transfer(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x02, CCWF_SKIP | CCWF_CC, 4096, 0x30000000);
	ccw_put1(g, 0x1008, CCWC_NOP, CCWF_CC, 100, 0x30000000);
	ccw_put1(g, 0x1010, 0x01, 0, 0, 0x30000000);
	return CTL_F1;
}

/* A chain built late runs into an earlier one: linked, not read again. */
static u32 shape_runs_into_chain(struct ccw_guest *g)
{
	ccw_put1(g, 0x1008, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1010, CCWC_TIC, 0, 0, 0x1000);
	ccw_put1(g, 0x1000, 0x02, CCWF_CD, 8, 0x3008);
	return CTL_F1;
}

/*
 * The chain at 0x1000 runs into the one at 0x1008; a status modifier on
 * its SEEK skips the tail TIC and goes on at 0x1010, itself a TIC.
 */
static u32 shape_skip_after_link(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x07, CCWF_CC, 6, 0x3000);
	ccw_put1(g, 0x1008, 0x31, CCWF_CC, 5, 0x3010);
	ccw_put1(g, 0x1010, CCWC_TIC, 0, 0, 0x1000);
	return CTL_F1;
}

/*
 * The CCW at 0x1010 is only ever data-chained: its code (read backward)
 * is ignored, though a link slot behind the chain at 0x1000 names it.
 */
static u32 shape_dc_into_link(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x01, CCWF_CD, 8, 0x3100);
	ccw_put1(g, 0x1008, 0x02, CCWF_CD, 8, 0x3000);
	ccw_put1(g, 0x1010, 0x0c, CCWF_CC, 8, 0x3200);
	ccw_put1(g, 0x1018, CCWC_TIC, 0, 0, 0x1000);
	return CTL_F1;
}

/*
 * A status modifier on 0x1000 skips its TIC to 0x1010, which a chain
 * built only later holds: the skip slot is filled once all chains exist.
 */
static u32 shape_skip_to_later_chain(struct ccw_guest *g)
{
	ccw_put1(g, 0x2000, 0x07, CCWF_CC, 4, 0x3000);
	ccw_put1(g, 0x2008, CCWC_TIC, 0, 0, 0x1000);
	ccw_put1(g, 0x1000, 0x07, CCWF_CC, 4, 0x3004);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x3000);
	ccw_put1(g, 0x3000, 0x07, CCWF_CC, 4, 0x3008);
	ccw_put1(g, 0x3008, CCWC_TIC, 0, 0, 0x1010);
	ccw_put1(g, 0x1010, 0x01, 0, 8, 0x3010);
	return CTL_F1;
}

static const struct {
	const char *name;
	shape_fn fn;
	u32 cpa;
	unsigned int chains;
} shapes[] = {
	{ "single CCW", shape_single, 0x1000, 1 },
	{ "command chain", shape_cmd_chain, 0x1000, 1 },
	{ "data chain", shape_data_chain, 0x1000, 1 },
	{ "TIC back within a chain", shape_tic_back, 0x1000, 1 },
	{ "TIC to a new chain", shape_tic_new_chain, 0x1000, 2 },
	{ "format-1 IDAL", shape_idal_f1, 0x1000, 1 },
	{ "format-2 IDAL, 4K", shape_idal_f2_4k, 0x1000, 1 },
	{ "format-2 IDAL, 2K", shape_idal_f2_2k, 0x1000, 1 },
	{ "format 0", shape_format0, 0x1000, 2 },
	{ "maximum chain", shape_max_chain, 0x1000, 1 },
	{ "maximum chains", shape_max_chains, 0x1000, CCWCP_MAX_CHAINS },
	{ "no transfer", shape_no_transfer, 0x1000, 1 },
	{ "chain runs into a chain", shape_runs_into_chain, 0x1008, 2 },
	{ "status modifier skips a link", shape_skip_after_link, 0x1008, 2 },
	{ "data chain into a link", shape_dc_into_link, 0x1008, 2 },
	{ "skip to a later chain", shape_skip_to_later_chain, 0x2000, 4 },
};

/*
 * P1, P3, P4: every shape translates and moves what the guest's would,
 * whichever commands the device ends with a status modifier.  Memory the
 * shapes leave zero holds invalid CCWs, as the host's guards are.
 */
static void cp_test_shapes(struct kunit *test)
{
	static const u64 sms[] = { 0, ~0ULL, 0x5555555555555555ULL, 0x2 };
	struct cp_ctx *c = test->priv;
	unsigned int s, m;
	int ret;

	for (s = 0; s < ARRAY_SIZE(shapes); s++) {
		ccw_guest_clear(c->g);
		ret = translate(c, shapes[s].fn(c->g), shapes[s].cpa);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s", shapes[s].name);
		if (ret)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, c->cp->nr_chains, shapes[s].chains,
				    "%s", shapes[s].name);
		for (m = 0; m < ARRAY_SIZE(sms); m++)
			expect_same_transfers_sm(test, c, sms[m]);
		expect_clean(test, c);
	}
}

/* P5: with memory changing behind every read, each is read once. */
static void cp_test_fetch_once(struct kunit *test)
{
	struct cp_ctx *c = test->priv;
	unsigned int s;
	int ret;

	for (s = 0; s < ARRAY_SIZE(shapes); s++) {
		ccw_guest_clear(c->g);
		ret = translate(c, shapes[s].fn(c->g), shapes[s].cpa);
		KUNIT_ASSERT_EQ(test, ret, 0);
		ccwcp_free(c->cp);
		KUNIT_ASSERT_EQ(test, ccw_guest_snapshot(c->g), 0);
		ccw_guest_reset_counts(c->g);
		c->g->hostile = true;
		ret = ccwcp_translate(c->cp, &c->orb);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s", shapes[s].name);
		KUNIT_EXPECT_EQ_MSG(test, ccw_guest_max_reads(c->g), 1,
				    "%s: a granule read twice", shapes[s].name);
		if (!ret)
			expect_same_transfers(test, c);
		expect_clean(test, c);
	}
}

/* P1, P3, P6: one CCW, field by field. */
static void cp_test_single_fields(struct kunit *test)
{
	struct cp_ctx *c = test->priv;
	struct ccw1_be *ccw;
	struct orb_be horb;
	u32 ctl;

	KUNIT_ASSERT_EQ(test, translate(c, shape_single(c->g), 0x1000), 0);
	KUNIT_EXPECT_EQ(test, c->cp->chain[0].guest, 0x1000);
	KUNIT_EXPECT_EQ(test, c->cp->chain[0].len, 1);
	ccw = host_ccw(c, 0, 0);
	KUNIT_EXPECT_EQ(test, ccw->cmd, CCWC_SENSE_ID);
	KUNIT_EXPECT_EQ(test, ccw->flags, CCWF_SLI | CCWF_IDA);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(ccw->count), 7);
	KUNIT_EXPECT_EQ(test, host_idaw(ccw, 0), guest_phys(c, 0x3010));
	/* The tail and the guard stop the channel. */
	KUNIT_EXPECT_EQ(test, host_ccw(c, 0, 1)->cmd, 0);
	KUNIT_EXPECT_EQ(test, host_ccw(c, 0, 2)->cmd, 0);
	KUNIT_EXPECT_EQ(test, c->g->nr_pinned, 1);
	KUNIT_EXPECT_EQ(test, c->g->pins[3], 1);

	ccwcp_host_orb(c->cp, &horb, 0xabcd, 0x80);
	ctl = be32_to_cpu(horb.ctl);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(horb.intparm), 0xabcd);
	KUNIT_EXPECT_EQ(test, ctl & (ORB_F | ORB_P | ORB_H | ORB_T),
			ORB_F | ORB_P | ORB_H);
	KUNIT_EXPECT_EQ(test, ctl & ORB_LPM, 0x8000);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(horb.cpa), ccwcp_dma32(ccw));

	/* The status' CCW address maps back; anything else to 0. */
	KUNIT_EXPECT_EQ(test, ccwcp_guest_cpa(c->cp, ccwcp_dma32(ccw) + 8),
			0x1008);
	KUNIT_EXPECT_EQ(test, ccwcp_guest_cpa(c->cp, 0x10), 0);
	/* A second program while one exists is refused. */
	KUNIT_EXPECT_EQ(test, ccwcp_translate(c->cp, &c->orb), -EBUSY);
	KUNIT_EXPECT_EQ(test, c->g->nr_pinned, 1);
	expect_clean(test, c);
	KUNIT_EXPECT_EQ(test, ccwcp_guest_cpa(c->cp, ccwcp_dma32(ccw) + 8), 0);
}

/* P1, P6: chains, TICs, data chaining, IDAL formats, field by field. */
static void cp_test_chain_fields(struct kunit *test)
{
	struct cp_ctx *c = test->priv;
	struct ccw1_be *ccw;

	KUNIT_ASSERT_EQ(test, translate(c, shape_cmd_chain(c->g), 0x1000), 0);
	/* The NOP points at the sink, never at guest memory. */
	ccw = host_ccw(c, 0, 1);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(ccw->cda),
			ccwcp_dma32(c->cp->sink_idal));
	KUNIT_EXPECT_EQ(test, host_idaw(host_ccw(c, 0, 2), 0),
			guest_phys(c, 0x4000));
	KUNIT_EXPECT_EQ(test, c->g->nr_pinned, 2);
	expect_clean(test, c);

	ccw_guest_clear(c->g);
	KUNIT_ASSERT_EQ(test, translate(c, shape_data_chain(c->g), 0x1000), 0);
	ccw = host_ccw(c, 0, 0);
	KUNIT_EXPECT_EQ(test, host_idaw(ccw, 0), guest_phys(c, 0x5800));
	KUNIT_EXPECT_EQ(test, host_idaw(ccw, 1), guest_phys(c, 0x6000));
	/* A data-chained CCW moves data whatever its own command says. */
	KUNIT_EXPECT_EQ(test, host_idaw(host_ccw(c, 0, 2), 0),
			guest_phys(c, 0x7100));
	KUNIT_EXPECT_EQ(test, c->g->nr_pinned, 4);
	expect_clean(test, c);

	ccw_guest_clear(c->g);
	KUNIT_ASSERT_EQ(test, translate(c, shape_tic_back(c->g), 0x1000), 0);
	KUNIT_EXPECT_EQ(test, c->cp->chain[0].len, 3);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(host_ccw(c, 0, 1)->cda),
			ccwcp_dma32(host_ccw(c, 0, 0)));
	expect_clean(test, c);

	ccw_guest_clear(c->g);
	KUNIT_ASSERT_EQ(test, translate(c, shape_tic_new_chain(c->g), 0x1000), 0);
	KUNIT_EXPECT_EQ(test, c->cp->chain[1].guest, 0x2000);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(host_ccw(c, 0, 1)->cda),
			ccwcp_dma32(host_ccw(c, 1, 0)));
	KUNIT_EXPECT_EQ(test, ccwcp_guest_cpa(c->cp,
					      ccwcp_dma32(host_ccw(c, 1, 1))),
			0x2008);
	expect_clean(test, c);

	/* Format-1 IDAWs: 2K host blocks, one IDAW for each guest one. */
	ccw_guest_clear(c->g);
	KUNIT_ASSERT_EQ(test, translate(c, shape_idal_f1(c->g), 0x1000), 0);
	ccw = host_ccw(c, 0, 0);
	KUNIT_EXPECT_EQ(test, host_idaw(ccw, 0), guest_phys(c, 0x3700));
	KUNIT_EXPECT_EQ(test, host_idaw(ccw, 1), guest_phys(c, 0x5000));
	KUNIT_EXPECT_EQ(test, host_idaw(ccw, 2), guest_phys(c, 0x9800));
	KUNIT_EXPECT_EQ(test, host_idaw(ccw, 3), guest_phys(c, 0xa000));
	KUNIT_EXPECT_EQ(test, c->g->nr_pinned, 4);
	{
		struct orb_be horb;

		ccwcp_host_orb(c->cp, &horb, 0, 0);
		KUNIT_EXPECT_TRUE(test, be32_to_cpu(horb.ctl) & ORB_T);
	}
	expect_clean(test, c);

	/* Format 0: converted, the TIC's top bits dropped. */
	ccw_guest_clear(c->g);
	KUNIT_ASSERT_EQ(test, translate(c, shape_format0(c->g), 0x1000), 0);
	ccw = host_ccw(c, 0, 0);
	KUNIT_EXPECT_EQ(test, ccw->cmd, 0x01);
	KUNIT_EXPECT_EQ(test, ccw->flags, CCWF_CC | CCWF_IDA);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(ccw->count), 10);
	KUNIT_EXPECT_EQ(test, host_ccw(c, 0, 1)->cmd, CCWC_TIC);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(host_ccw(c, 0, 1)->cda),
			ccwcp_dma32(host_ccw(c, 1, 0)));
	expect_clean(test, c);

	/* Nothing moves: nothing pinned, even at addresses not in the guest. */
	ccw_guest_clear(c->g);
	KUNIT_ASSERT_EQ(test, translate(c, shape_no_transfer(c->g), 0x1000), 0);
	KUNIT_EXPECT_EQ(test, c->g->nr_pinned, 0);
	expect_clean(test, c);
}

/* A malformed program and the errno that refuses it. */
struct bad_prog {
	const char *name;
	void (*fn)(struct ccw_guest *g, u32 *ctl, u32 *cpa);
	int err;
};

#define BAD(_name, _body)						\
static void bad_##_name(struct ccw_guest *g, u32 *ctl, u32 *cpa)	\
{									\
	_body;								\
}

#define BADREF(_name, _err) { #_name, bad_##_name, _err }

BAD(tic_to_tic, {
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x2000);
	ccw_put1(g, 0x2000, CCWC_TIC, 0, 0, 0x1000);
})
BAD(tic_to_itself, {
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x1008);
})
BAD(tic_loop, {
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x2000);
	ccw_put1(g, 0x2000, CCWC_TIC, 0, 0, 0x3000);
	ccw_put1(g, 0x3000, CCWC_TIC, 0, 0, 0x2000);
})
BAD(tic_unaligned, {
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x2004);
})
BAD(tic_bit0, {
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x80002000);
})
BAD(tic_outside_guest, {
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, CCWC_TIC, 0, 0, 0x100000);
})
BAD(first_ccw_tic, {
	ccw_put1(g, 0x1000, CCWC_TIC, 0, 0, 0x2000);
	ccw_put1(g, 0x2000, 0x01, 0, 8, 0x3000);
})
BAD(cpa_unaligned, {
	*cpa = 0x1004;
})
BAD(cpa_outside_guest, {
	*cpa = 0x200000;
})
BAD(data_outside_guest, {
	ccw_put1(g, 0x1000, 0x02, 0, 8192, 0x3f000);
})
BAD(chain_runs_out_of_guest, {
	ccw_put1(g, 0x3fff8, 0x01, CCWF_CC, 8, 0x3000);
	*cpa = 0x3fff8;
})
BAD(zero_count_chaining_data, {
	ccw_put1(g, 0x1000, 0x02, CCWF_CD, 0, 0x3000);
	ccw_put1(g, 0x1008, 0x02, 0, 8, 0x3000);
})
BAD(zero_count_data_chained, {
	ccw_put1(g, 0x1000, 0x02, CCWF_CD, 8, 0x3000);
	ccw_put1(g, 0x1008, 0x02, 0, 0, 0x3000);
})
BAD(idal_misaligned, {
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA, 8, 0x1804);
})
BAD(idaw_not_on_block, {
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA, 5000, 0x1800);
	ccw_put_idaw(g, 0x1800, true, 0x3000);
	ccw_put_idaw(g, 0x1808, true, 0x5008);
})
BAD(idaw1_bit0, {
	*ctl = ORB_F | ORB_P;
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA, 8, 0x1800);
	ccw_put_idaw(g, 0x1800, false, 0x80003000);
})
BAD(idal_outside_guest, {
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA, 8, 0x7ffff000);
})
BAD(idaw_outside_guest, {
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA, 8, 0x1800);
	ccw_put_idaw(g, 0x1800, true, 0x123456789000ULL);
})
BAD(idaw_top_of_memory, {
	ccw_put1(g, 0x1000, 0x02, CCWF_IDA, 8, 0x1800);
	ccw_put_idaw(g, 0x1800, true, ~0ULL - 3);
})
BAD(invalid_command, {
	ccw_put1(g, 0x1000, 0x10, 0, 8, 0x3000);
})
BAD(tic_like_format1_command, {
	ccw_put1(g, 0x1000, 0x01, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, 0x18, 0, 0, 0x2000);
})
BAD(suspend_flag, {
	ccw_put1(g, 0x1000, 0x02, CCWF_S, 8, 0x3000);
})
BAD(mida_flag, {
	ccw_put1(g, 0x1000, 0x02, CCWF_MIDA | CCWF_IDA, 8, 0x1800);
})
BAD(read_backward, {
	ccw_put1(g, 0x1000, 0x0c, 0, 8, 0x3007);
})
BAD(cda_bit0, {
	ccw_put1(g, 0x1000, 0x02, 0, 8, 0x80003000);
})
BAD(direct_past_31_bits, {
	ccw_put1(g, 0x1000, 0x02, 0, 0x100, 0x7fffff80);
})
BAD(format0_past_24_bits, {
	*ctl = ORB_P | ORB_H;
	ccw_put0(g, 0x1000, 0x02, 0, 0x100, 0xffff80);
})
BAD(orb_reserved, {
	*ctl |= 0x4;
})
BAD(orb_transport_mode, {
	*ctl |= ORB_B;
})
BAD(orb_extension, {
	*ctl |= ORB_X;
})
BAD(orb_suspend, {
	*ctl |= ORB_S;
})
BAD(orb_midaw, {
	*ctl |= ORB_D;
})
BAD(chain_over_bound, {
	unsigned int i;

	for (i = 0; i <= CCWCP_MAX_CHAIN_CCWS; i++)
		ccw_put1(g, 0x1000 + i * 8, 0x07,
			 i < CCWCP_MAX_CHAIN_CCWS ? CCWF_CC : 0, 4, 0x4000);
})
BAD(chains_over_bound, {
	unsigned int k;

	for (k = 0; k <= CCWCP_MAX_CHAINS; k++) {
		u32 at = 0x1000 + k * 0x100;

		ccw_put1(g, at, 0x01, CCWF_CC, 8, 0x4000);
		ccw_put1(g, at + 8, k < CCWCP_MAX_CHAINS ? CCWC_TIC : CCWC_NOP,
			 0, 0, at + 0x100);
	}
})
/* A status modifier after CCW 0 starts CCW 2: its command is checked. */
BAD(sm_starts_read_backward, {
	ccw_put1(g, 0x1000, 0x31, CCWF_CC, 8, 0x3000);
	ccw_put1(g, 0x1008, 0x02, CCWF_CD, 8, 0x3100);
	ccw_put1(g, 0x1010, 0x0c, 0, 4096, 0x5000);
})
/* Without prefetch, a program reading over its own CCWs is refused. */
BAD(nopfch_reads_own_ccws, {
	*ctl &= ~ORB_P;
	ccw_put1(g, 0x1000, 0x02, CCWF_CC, 24, 0x1000);
	ccw_put1(g, 0x1008, 0x02, 0, 8, 0x3000);
})

static const struct bad_prog bad_progs[] = {
	BADREF(tic_to_tic, -EINVAL),
	BADREF(tic_to_itself, -EINVAL),
	BADREF(tic_loop, -EINVAL),
	BADREF(tic_unaligned, -EINVAL),
	BADREF(tic_bit0, -EINVAL),
	BADREF(tic_outside_guest, -EFAULT),
	BADREF(first_ccw_tic, -EINVAL),
	BADREF(cpa_unaligned, -EINVAL),
	BADREF(cpa_outside_guest, -EFAULT),
	BADREF(data_outside_guest, -EFAULT),
	BADREF(chain_runs_out_of_guest, -EFAULT),
	BADREF(zero_count_chaining_data, -EINVAL),
	BADREF(zero_count_data_chained, -EINVAL),
	BADREF(idal_misaligned, -EINVAL),
	BADREF(idaw_not_on_block, -EINVAL),
	BADREF(idaw1_bit0, -EINVAL),
	BADREF(idal_outside_guest, -EFAULT),
	BADREF(idaw_outside_guest, -EFAULT),
	BADREF(idaw_top_of_memory, -EFAULT),
	BADREF(invalid_command, -EINVAL),
	BADREF(tic_like_format1_command, -EINVAL),
	BADREF(suspend_flag, -EINVAL),
	BADREF(mida_flag, -EINVAL),
	BADREF(read_backward, -EOPNOTSUPP),
	BADREF(cda_bit0, -EINVAL),
	BADREF(direct_past_31_bits, -EINVAL),
	BADREF(format0_past_24_bits, -EINVAL),
	BADREF(orb_reserved, -EINVAL),
	BADREF(orb_transport_mode, -EOPNOTSUPP),
	BADREF(orb_extension, -EOPNOTSUPP),
	BADREF(orb_suspend, -EOPNOTSUPP),
	BADREF(orb_midaw, -EOPNOTSUPP),
	BADREF(chain_over_bound, -E2BIG),
	BADREF(chains_over_bound, -E2BIG),
	BADREF(sm_starts_read_backward, -EOPNOTSUPP),
	BADREF(nopfch_reads_own_ccws, -EOPNOTSUPP),
};

static const char *errno_name(int err)
{
	switch (err) {
	case 0:
		return "0";
	case -EINVAL:
		return "-EINVAL";
	case -E2BIG:
		return "-E2BIG";
	case -EOPNOTSUPP:
		return "-EOPNOTSUPP";
	case -EFAULT:
		return "-EFAULT";
	case -ENOMEM:
		return "-ENOMEM";
	default:
		return "other";
	}
}

/*
 * P2: each malformed class refused with its errno, leaving nothing.  The
 * errno each case got is printed for `make check` to compare with the
 * table of docs/vfio-ccw-cp.rst.
 */
static void cp_test_malformed(struct kunit *test)
{
	struct cp_ctx *c = test->priv;
	unsigned int b;
	u32 ctl, cpa;
	int ret;

	for (b = 0; b < ARRAY_SIZE(bad_progs); b++) {
		ccw_guest_clear(c->g);
		/* A valid first CCW unless the case writes its own. */
		ccw_put1(c->g, 0x1000, 0x01, 0, 8, 0x3000);
		ctl = CTL_F1;
		cpa = 0x1000;
		bad_progs[b].fn(c->g, &ctl, &cpa);
		ret = translate(c, ctl, cpa);
		pr_info("vfio-ccw-cp-errno: %s %s\n", bad_progs[b].name,
			errno_name(ret));
		KUNIT_EXPECT_EQ_MSG(test, ret, bad_progs[b].err, "%s",
				    bad_progs[b].name);
		KUNIT_EXPECT_TRUE_MSG(test, refused_clean(c), "%s",
				      bad_progs[b].name);
		expect_clean(test, c);
	}
}

/* pfch=0 is translated as prefetched unless the program reads over itself. */
static void cp_test_no_prefetch(struct kunit *test)
{
	struct cp_ctx *c = test->priv;

	ccw_put1(c->g, 0x1000, 0x02, CCWF_CC, 24, 0x1000);
	ccw_put1(c->g, 0x1008, 0x02, 0, 8, 0x3000);
	/* Prefetch allowed: the guest accepted the consequences. */
	KUNIT_EXPECT_EQ(test, translate(c, CTL_F1, 0x1000), 0);
	expect_clean(test, c);
	KUNIT_EXPECT_EQ(test, translate(c, CTL_F1 & ~ORB_P, 0x1000),
			-EOPNOTSUPP);
	expect_clean(test, c);
	/* Reading next to the CCWs, not over them, is fine without it. */
	ccw_put1(c->g, 0x1000, 0x02, CCWF_CC, 24, 0x1010);
	KUNIT_EXPECT_EQ(test, translate(c, CTL_F1 & ~ORB_P, 0x1000), 0);
	expect_same_transfers(test, c);
	expect_clean(test, c);
	/* Output over the CCWs changes nothing: accepted. */
	ccw_put1(c->g, 0x1000, 0x01, CCWF_CC, 24, 0x1000);
	KUNIT_EXPECT_EQ(test, translate(c, CTL_F1 & ~ORB_P, 0x1000), 0);
	expect_clean(test, c);
}

/* A program that allocates and pins at several levels. */
static u32 shape_busy(struct ccw_guest *g)
{
	ccw_put1(g, 0x1000, 0x01, CCWF_CD, 5000, 0x3800);
	ccw_put1(g, 0x1008, 0x01, CCWF_CC, 100, 0x7000);
	ccw_put1(g, 0x1010, CCWC_TIC, 0, 0, 0x2000);
	ccw_put1(g, 0x2000, 0x02, CCWF_IDA | CCWF_CC, 6000, 0x2800);
	ccw_put_idaw(g, 0x2800, true, 0x9100);
	ccw_put_idaw(g, 0x2808, true, 0xb000);
	ccw_put1(g, 0x2008, CCWC_TIC, 0, 0, 0x2100);
	ccw_put1(g, 0x2100, 0x02, 0, 9000, 0xc000);
	return CTL_F1;
}

/*
 * Fail the n-th step that *@nth counts down (an allocation, a pin or a
 * read), n = 1, 2, ... until a translation succeeds, which it leaves in
 * place.  Each failure must be @err and leave nothing behind.
 */
static unsigned int fail_in_turn(struct kunit *test, struct cp_ctx *c,
				 u32 ctl, unsigned int *nth, int err)
{
	unsigned int n, failed = 0;
	int ret;

	for (n = 1; n < 64; n++) {
		*nth = n;
		ret = translate(c, ctl, 0x1000);
		*nth = 0;
		if (!ret)
			break;
		failed++;
		KUNIT_EXPECT_EQ(test, ret, err);
		KUNIT_EXPECT_TRUE(test, refused_clean(c));
		expect_clean(test, c);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	return failed;
}

/* P2, P3: every allocation, pin and read failed in turn. */
static void cp_test_fault_injection(struct kunit *test)
{
	struct cp_ctx *c = test->priv;
	unsigned int allocs, pins, reads;
	u32 ctl = shape_busy(c->g);

	allocs = fail_in_turn(test, c, ctl, &c->cp->fail_alloc_nth, -ENOMEM);
	expect_same_transfers(test, c);
	expect_clean(test, c);
	pins = fail_in_turn(test, c, ctl, &c->g->fail_pin_nth, -ENOMEM);
	expect_clean(test, c);
	reads = fail_in_turn(test, c, ctl, &c->g->fail_read_nth, -EFAULT);
	expect_clean(test, c);
	/* 3 chains and 4 data CCWs; 5 pin runs; 6 CCW and 2 IDAL reads. */
	KUNIT_EXPECT_EQ(test, allocs, 7);
	KUNIT_EXPECT_EQ(test, pins, 5);
	KUNIT_EXPECT_EQ(test, reads, 8);
	kunit_info(test, "failed in turn: %u allocations, %u pins, %u reads\n",
		   allocs, pins, reads);
}

/* A random program: mostly plausible, sometimes malformed on purpose. */
static u32 fuzz_addr(struct rnd_state *rs, u32 size)
{
	u32 r = prandom_u32_state(rs);

	switch (r % 64) {
	case 0:
		return prandom_u32_state(rs);		/* anywhere */
	case 1:
		return size - 8 + (r & 0x18);		/* at the end */
	default:
		return prandom_u32_state(rs) % size;
	}
}

/*
 * One random program in @g.  Most are plausible with a few malformed
 * fields; one in sixteen is clean, every CCW valid, and sized around the
 * bounds (chains of 254-257 CCWs, programs of 14-17 chains).
 */
static u32 fuzz_program(struct ccw_guest *g, struct rnd_state *rs, u32 *cpa)
{
	static const u8 cmds[] = { 0x01, 0x02, 0x03, 0x04, 0x07, 0xe4, 0x06,
				   0x0c, 0x00, 0x08, 0x18, 0x27 };
	u32 size = ccw_guest_size(g), ctl, r = prandom_u32_state(rs);
	unsigned int nr_chains, k, i, len, n;
	u32 start[CCWCP_MAX_CHAINS + 1];
	bool clean = (r >> 24) % 16 == 0, long_chain = (r >> 29) & 1;

	ctl = (r & 1 ? ORB_F : 0) | (r & 0x6 ? ORB_P : 0) |
	      (r & 0x8 ? ORB_H : 0) | (r & 0x10 ? ORB_T : 0);
	if (!clean && (r >> 8) % 64 == 0)
		ctl |= BIT(prandom_u32_state(rs) % 32);
	if (clean)
		nr_chains = long_chain ? 1 : 14 + (r >> 16) % 4;
	else
		nr_chains = (r >> 16) % 16 == 0 ? 1 + (r >> 20) % 17 :
						  1 + (r >> 20) % 3;
	for (k = 0; k < nr_chains; k++) {
		start[k] = clean ? k * 0x800 :
			   round_down(fuzz_addr(rs, size), 8);
		/* Sometimes just before the previous chain: links. */
		r = prandom_u32_state(rs);
		if (k && r % 8 == 0 && start[k - 1] >= 32)
			start[k] = start[k - 1] - 8 * (1 + (r >> 3) % 3);
	}
	if (!clean && (r >> 28) == 0)
		start[0] |= 4;
	*cpa = start[0];

	for (k = 0; k < nr_chains; k++) {
		r = prandom_u32_state(rs);
		if (clean)
			len = long_chain ? 254 + r % 4 : 2 + r % 3;
		else
			len = r % 32 == 0 ? 250 + r % 8 : 1 + r % 6;
		for (i = 0; i < len; i++) {
			u32 ga = start[k] + i * 8, cda, count;
			u8 cmd, flags;

			if (ga + 8 > size)
				break;
			r = prandom_u32_state(rs);
			cmd = r % 8 == 0 && !clean ?
			      cmds[(r >> 3) % ARRAY_SIZE(cmds)] :
			      cmds[(r >> 3) % 6];
			flags = (r >> 8) & (CCWF_SLI | CCWF_SKIP | CCWF_PCI);
			if (!clean && (r >> 12) % 32 == 0)
				flags |= (r >> 16) & (CCWF_S | CCWF_MIDA);
			if (i < len - 1)
				flags |= (r >> 17) & 1 ? CCWF_CD : CCWF_CC;
			count = (r >> 18) % 8 == 0 ? 0 :
				(r >> 18) % 8 == 1 ? prandom_u32_state(rs) :
				prandom_u32_state(rs) % 9000;
			cda = fuzz_addr(rs, size);
			if (clean) {
				count = 1 + count % 64;
				cda = 0x10000 + prandom_u32_state(rs) % 0x8000;
			} else if ((r >> 21) % 4 == 0) {
				/* An IDAL, mostly well formed. */
				bool f2 = ctl & ORB_H;
				u32 bs = !f2 || (ctl & ORB_T) ? SZ_2K : SZ_4K;
				u32 at = round_down(fuzz_addr(rs, size), 8);
				u64 a;

				flags |= CCWF_IDA;
				cda = at;
				n = DIV_ROUND_UP((count & 0xffff) + bs, bs);
				for (; n && at + 8 <= size; n--, at += f2 ? 8 : 4) {
					a = round_down(fuzz_addr(rs, size), bs);
					if (prandom_u32_state(rs) % 64 == 0)
						a += 8;
					ccw_put_idaw(g, at, f2, a);
				}
			}
			if (!clean && i && i < len - 1 && (r >> 26) % 16 == 0) {
				/* A TIC back: an orientation loop. */
				cmd = CCWC_TIC;
				cda = start[k] + 8 * ((r >> 4) % i);
			}
			if (i == len - 1 && k < nr_chains - 1 &&
			    (clean || (r >> 23) % 4)) {
				/* Chain to the next chain, or somewhere. */
				cmd = CCWC_TIC;
				cda = clean || (r >> 25) % 8 ? start[k + 1] :
					round_down(fuzz_addr(rs, size), 4);
			}
			if (ctl & ORB_F)
				ccw_put1(g, ga, cmd, flags, count, cda);
			else
				ccw_put0(g, ga, cmd, flags, count, cda);
		}
	}
	return ctl;
}

enum { F_OK, F_EINVAL, F_E2BIG, F_EOPNOTSUPP, F_EFAULT, F_OTHER, F_NR };

/*
 * The run is cut into slices, each its own test case, so that no case
 * runs long enough under TCG and KCSAN to look like a hung task.  Slice k
 * draws from seed fuzz_seed + k; the last prints the totals.
 */
#define FUZZ_SLICES	10
static const unsigned int fuzz_slices[FUZZ_SLICES] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9
};

static void fuzz_slice_desc(const unsigned int *slice, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "slice %u", *slice);
}

KUNIT_ARRAY_PARAM(fuzz_slice, fuzz_slices, fuzz_slice_desc);

static const char * const fuzz_names[F_NR] = {
	"translated", "-EINVAL", "-E2BIG", "-EOPNOTSUPP", "-EFAULT", "other"
};

static unsigned int fuzz_hist[F_NR], fuzz_diverged;

/* P1-P6: a seeded random run; every outcome is a match or a clean no. */
static void cp_test_fuzz(struct kunit *test)
{
	unsigned int slice = *(const unsigned int *)test->param_value;
	unsigned int count = DIV_ROUND_UP(fuzz_count, FUZZ_SLICES);
	unsigned int hist[F_NR] = {}, i, mismatches = 0, leaks = 0;
	unsigned int diverged = 0, k;
	struct cp_ctx *c = test->priv;
	struct rnd_state rs;
	const char *why;
	u32 ctl, cpa;
	int ret, bad;

	if (!slice) {
		memset(fuzz_hist, 0, sizeof(fuzz_hist));
		fuzz_diverged = 0;
	}
	prandom_seed_state(&rs, fuzz_seed + slice);
	kunit_info(test, "seed %lu + %u (module parameter fuzz_seed), %u programs\n",
		   fuzz_seed, slice, count);
	for (i = 0; i < count; i++) {
		ctl = fuzz_program(c->g, &rs, &cpa);
		ccw_make_orb(&c->orb, ctl, cpa);
		ret = ccwcp_translate(c->cp, &c->orb);
		switch (ret) {
		case 0:
			hist[F_OK]++;
			/* No status modifier, always one, then at random. */
			for (k = 0; k < 3; k++) {
				u64 sm = k == 0 ? 0 : k == 1 ? ~0ULL :
					 (u64)prandom_u32_state(&rs) << 32 |
					 prandom_u32_state(&rs);

				bad = ccw_compare(c->g, &c->orb, c->cp, sm, 512,
						  &why, &diverged);
				if (bad && mismatches++ < 5)
					kunit_err(test, "program %u, status modifiers %llx: transfer %d: %s\n",
						  i, sm, bad, why);
			}
			break;
		case -EINVAL:
			hist[F_EINVAL]++;
			break;
		case -E2BIG:
			hist[F_E2BIG]++;
			break;
		case -EOPNOTSUPP:
			hist[F_EOPNOTSUPP]++;
			break;
		case -EFAULT:
			hist[F_EFAULT]++;
			break;
		default:
			hist[F_OTHER]++;
			kunit_err(test, "program %u: %d\n", i, ret);
		}
		if (ret && !refused_clean(c) && leaks++ < 5)
			kunit_err(test, "program %u left state behind\n", i);
		ccwcp_free(c->cp);
		if (c->cp->nr_allocs || c->g->nr_pinned) {
			if (leaks++ < 5)
				kunit_err(test, "program %u leaked\n", i);
		}
		if (i % 1024 == 0)
			cond_resched();
	}
	KUNIT_EXPECT_EQ(test, mismatches, 0);
	KUNIT_EXPECT_EQ(test, leaks, 0);
	KUNIT_EXPECT_EQ(test, hist[F_OTHER], 0);
	/* Each slice must exercise both sides. */
	KUNIT_EXPECT_GT(test, hist[F_OK], count / 20);
	KUNIT_EXPECT_GT(test, hist[F_EINVAL], 0);
	KUNIT_EXPECT_GT(test, hist[F_EFAULT], 0);
	KUNIT_EXPECT_GT(test, hist[F_E2BIG], 0);
	for (i = 0; i < F_NR; i++)
		fuzz_hist[i] += hist[i];
	fuzz_diverged += diverged;
	if (slice == FUZZ_SLICES - 1) {
		kunit_info(test, "%u programs from seed %lu:\n",
			   count * FUZZ_SLICES, fuzz_seed);
		for (i = 0; i < F_NR; i++)
			kunit_info(test, "  %-12s %u\n", fuzz_names[i],
				   fuzz_hist[i]);
		kunit_info(test, "walks where a status modifier skipped to a CCW never read: %u\n",
			   fuzz_diverged);
	}
}

static struct kunit_case cp_test_cases[] = {
	KUNIT_CASE(cp_test_single_fields),
	KUNIT_CASE(cp_test_chain_fields),
	KUNIT_CASE(cp_test_shapes),
	KUNIT_CASE(cp_test_fetch_once),
	KUNIT_CASE(cp_test_malformed),
	KUNIT_CASE(cp_test_no_prefetch),
	KUNIT_CASE(cp_test_fault_injection),
	KUNIT_CASE_PARAM_ATTR(cp_test_fuzz, fuzz_slice_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite cp_test_suite = {
	.name = "vfio_ccw_cp",
	.init = cp_test_init,
	.test_cases = cp_test_cases,
};

kunit_test_suite(cp_test_suite);
