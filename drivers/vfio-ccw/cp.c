// SPDX-License-Identifier: GPL-2.0
/*
 * Channel program translation for vfio-ccw.
 *
 * A program is translated in three passes, each bounded by the constants
 * of cp.h and none recursive:
 *
 *  1. Fetch.  Walk the chains from the ORB's CCW address, reading each
 *     guest CCW exactly once into the host chain that will run it.  A TIC
 *     whose target is not yet in a chain starts a new one; the walk over
 *     TICs is a depth-first search with an explicit stack no deeper than
 *     CCWCP_MAX_CHAINS.  A chain that runs into CCWs an earlier chain holds
 *     stops there instead of reading them again.
 *  2. Link.  Fill the two slots behind each chain (a TIC to the guest's
 *     next CCW, or a guard), point every TIC at the host copy of its
 *     target and work out how each CCW can be reached: a data-chained
 *     CCW's command is whatever its chain started, so it is treated as
 *     transferring.
 *  3. Map.  Give every CCW a host IDAL: over pinned guest pages when it can
 *     transfer data (its guest IDAL read once, first IDAW included), over
 *     the sink page when it cannot.  No host CCW ever holds a guest address.
 *
 * Everything a pass builds is reachable from struct ccwcp at once, so a
 * failure anywhere unwinds through the one function that frees a finished
 * program: nothing is pinned or allocated afterwards.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "cp.h"

/*
 * CCWs and IDALs are named by 31-bit addresses: on s390 they come from
 * ZONE_DMA, below 2G.  Elsewhere (tests) the check in cp_alloc() suffices.
 */
#ifdef CONFIG_S390
#define CCWCP_GFP	(GFP_KERNEL | GFP_DMA)
#else
#define CCWCP_GFP	GFP_KERNEL
#endif

/* An invalid command code: the channel stops with a program check. */
#define CCWCP_GUARD_CMD	CCWC_TYPE_INVALID

static_assert(PAGE_SIZE == SZ_4K, "IDAWs and guest pins assume 4K pages");
static_assert(CCWCP_MAX_CHAIN_CCWS + 2 <= U16_MAX);

/* One vfio_pin_pages() call: @npage guest pages from @gaddr. */
struct ccwcp_run {
	u64 gaddr;
	u32 npage;
};

/* A data CCW's host IDAL, then the pin runs behind it, one allocation. */
struct ccwcp_data {
	u16 nr_idaws;
	u16 nr_runs;
	__be64 idaw[];
};

static struct ccwcp_run *data_runs(struct ccwcp_data *d)
{
	return (struct ccwcp_run *)&d->idaw[d->nr_idaws];
}

/**
 * ccwcp_dma32() - the 31-bit address the channel uses for host memory @p
 * @p: memory from the translator's allocations (below 2G)
 *
 * Return: the physical address of @p.
 */
u32 ccwcp_dma32(const void *p)
{
	return (u32)virt_to_phys((void *)p);
}
EXPORT_SYMBOL_GPL(ccwcp_dma32);

static bool cp_fail_alloc(struct ccwcp *cp)
{
#ifdef CONFIG_VFIO_CCW_CP_FAULT_INJECT
	if (cp->fail_alloc_nth && --cp->fail_alloc_nth == 0)
		return true;
#endif
	return false;
}

/* Can the channel name all @size bytes at @p with a 31-bit address? */
static bool below_2g(const void *p, size_t size)
{
	return virt_to_phys((void *)p) + size - 1 <= CCW_ADDR31_MASK;
}

static void *cp_alloc(struct ccwcp *cp, size_t size)
{
	void *p;

	if (cp_fail_alloc(cp))
		return NULL;
	p = kzalloc(size, CCWCP_GFP);
	if (!p)
		return NULL;
	if (!below_2g(p, size)) {
		kfree(p);
		return NULL;
	}
	cp->nr_allocs++;
	return p;
}

static void cp_kfree(struct ccwcp *cp, void *p)
{
	if (!p)
		return;
	kfree(p);
	cp->nr_allocs--;
}

/* Guest memory errors other than -ENOMEM mean "not guest memory". */
static int cp_read(struct ccwcp *cp, u64 gaddr, void *buf, size_t len)
{
	int ret = cp->mem->read(cp->mem_ctx, gaddr, buf, len);

	if (ret == -ENOMEM)
		return ret;
	return ret ? -EFAULT : 0;
}

static void cp_unpin_data(struct ccwcp *cp, struct ccwcp_data *d)
{
	struct ccwcp_run *run = data_runs(d);
	unsigned int i;

	for (i = 0; i < d->nr_runs; i++) {
		cp->mem->unpin(cp->mem_ctx, run[i].gaddr, run[i].npage);
		cp->nr_pinned -= run[i].npage;
	}
	d->nr_runs = 0;
}

/* The one release path: a finished program, or whatever a failure left. */
static void cp_release(struct ccwcp *cp)
{
	struct ccwcp_chain *ch;
	unsigned int i;

	while (cp->nr_chains) {
		ch = &cp->chain[--cp->nr_chains];
		for (i = 0; i < ch->len; i++) {
			if (!ch->data[i])
				continue;
			cp_unpin_data(cp, ch->data[i]);
			cp_kfree(cp, ch->data[i]);
		}
		cp_kfree(cp, ch->ccw);
		memset(ch, 0, sizeof(*ch));
	}
	WARN_ON_ONCE(cp->nr_allocs || cp->nr_pinned);
}

static struct ccwcp_chain *cp_find(struct ccwcp *cp, u32 gaddr,
				   unsigned int *idx)
{
	struct ccwcp_chain *ch;
	unsigned int i;

	for (i = 0; i < cp->nr_chains; i++) {
		ch = &cp->chain[i];
		if (gaddr >= ch->guest &&
		    (gaddr - ch->guest) / sizeof(struct ccw1_be) < ch->len) {
			*idx = (gaddr - ch->guest) / sizeof(struct ccw1_be);
			return ch;
		}
	}
	return NULL;
}

static bool ccw_is_tic(const struct ccw1_be *ccw)
{
	return ccw->cmd == CCWC_TIC;
}

static bool ccw_chains(const struct ccw1_be *ccw)
{
	return !ccw_is_tic(ccw) && (ccw->flags & (CCWF_CC | CCWF_CD));
}

/* Ends a command that chains commands: a status modifier skips one CCW. */
static bool ccw_chains_commands(const struct ccw1_be *ccw)
{
	return !ccw_is_tic(ccw) &&
	       (ccw->flags & (CCWF_CC | CCWF_CD)) == CCWF_CC;
}

static bool ccw_addr_ok(u32 addr)
{
	return !(addr & ~CCW_ADDR31_MASK) && IS_ALIGNED(addr, CCW_ALIGN);
}

/* Read the guest CCW at @gaddr once, as format 1. */
static int cp_fetch_ccw(struct ccwcp *cp, u32 gaddr, struct ccw1_be *ccw)
{
	union {
		struct ccw0_be f0;
		struct ccw1_be f1;
	} raw;
	int ret;

	ret = cp_read(cp, gaddr, &raw, sizeof(raw));
	if (ret)
		return ret;
	if (cp->orb_ctl & ORB_F) {
		*ccw = raw.f1;
		/*
		 * Only 0x08 is a TIC in format 1: refuse what a channel might
		 * also take for one, lest its address go through untranslated.
		 */
		if ((ccw->cmd & CCWC_TYPE_MASK) == CCWC_TYPE_TIC &&
		    !ccw_is_tic(ccw))
			return -EINVAL;
	} else {
		ccw->cmd = raw.f0.cmd;
		ccw->flags = raw.f0.flags;
		ccw->count = raw.f0.count;
		ccw->cda = cpu_to_be32(raw.f0.cda[0] << 16 |
				       raw.f0.cda[1] << 8 | raw.f0.cda[2]);
		/* A format-0 TIC ignores the top four bits of its code. */
		if ((ccw->cmd & CCWC_TYPE_MASK) == CCWC_TYPE_TIC)
			ccw->cmd = CCWC_TIC;
	}
	if (ccw_is_tic(ccw)) {
		/* A TIC's flags and count are ignored: keep none. */
		ccw->flags = 0;
		ccw->count = 0;
		return ccw_addr_ok(be32_to_cpu(ccw->cda)) ? 0 : -EINVAL;
	}
	return 0;
}

/*
 * What the architecture or this driver refuses in a CCW, whichever way it
 * is reached.  Its command code is checked in pass 3: data chaining
 * ignores it.
 */
static int cp_check_ccw(const struct ccwcp *cp, const struct ccw1_be *ccw)
{
	u32 cda = be32_to_cpu(ccw->cda);

	if (ccw_is_tic(ccw))
		return 0;
	/* Suspend needs ORB S and MIDAWs ORB D, both refused. */
	if (ccw->flags & (CCWF_S | CCWF_MIDA))
		return -EINVAL;
	/* Data chaining from a zero count is a program check. */
	if (!ccw->count && (ccw->flags & CCWF_CD))
		return -EINVAL;
	if (cda & ~CCW_ADDR31_MASK)
		return -EINVAL;
	if (ccw->flags & CCWF_IDA)
		return IS_ALIGNED(cda, cp->orb_ctl & ORB_H ? IDAW2_SIZE :
				  IDAW1_SIZE) ? 0 : -EINVAL;
	/* A direct address must not run past the format's address space. */
	if (ccw->count && (u64)cda + be16_to_cpu(ccw->count) - 1 >
	    (cp->orb_ctl & ORB_F ? CCW_ADDR31_MASK : CCW_ADDR24_MASK))
		return -EINVAL;
	return 0;
}

/* A command a channel starts (not one data chaining continues). */
static int cp_check_cmd(const struct ccw1_be *ccw)
{
	u8 type = ccw->cmd & CCWC_TYPE_MASK;

	if (type == CCWC_TYPE_INVALID)
		return -EINVAL;
	/* Backward transfers would need descending IDALs: not supported. */
	if (type == CCWC_TYPE_BACKWARD)
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Pass 1, one chain: copy consecutive guest CCWs from @start while they
 * chain.  A TIC back into the CCWs copied so far does not end the chain:
 * a status modifier may skip it (device orientation loops).
 */
static int cp_build_chain(struct ccwcp *cp, u32 start)
{
	struct ccw1_be *stage = cp->stage;
	struct ccwcp_chain *ch;
	unsigned int n = 0, idx;
	bool chains;
	u32 gaddr = start;
	size_t size;
	int ret;

	if (cp->nr_chains == CCWCP_MAX_CHAINS)
		return -E2BIG;
	for (;;) {
		/* Ran into an earlier chain: pass 2 links to it. */
		if (n && cp_find(cp, gaddr, &idx))
			break;
		if (n == CCWCP_MAX_CHAIN_CCWS)
			return -E2BIG;
		if (!ccw_addr_ok(gaddr))
			return -EINVAL;
		ret = cp_fetch_ccw(cp, gaddr, &stage[n]);
		if (!ret)
			ret = cp_check_ccw(cp, &stage[n]);
		if (ret)
			return ret;
		if (ccw_is_tic(&stage[n])) {
			u32 target = be32_to_cpu(stage[n].cda);

			chains = target >= start && target <= gaddr;
		} else {
			chains = ccw_chains(&stage[n]);
		}
		n++;
		if (!chains)
			break;
		gaddr += sizeof(struct ccw1_be);
	}

	/* The CCWs, the two slots, then the per-CCW data pointers. */
	size = (n + 2) * sizeof(struct ccw1_be) + n * sizeof(void *);
	ch = &cp->chain[cp->nr_chains];
	ch->ccw = cp_alloc(cp, size);
	if (!ch->ccw)
		return -ENOMEM;
	ch->data = (struct ccwcp_data **)&ch->ccw[n + 2];
	ch->guest = start;
	ch->len = n;
	memcpy(ch->ccw, stage, n * sizeof(struct ccw1_be));
	/* The two slots behind the chain are filled in pass 2. */
	ch->ccw[n].cmd = CCWCP_GUARD_CMD;
	ch->ccw[n + 1].cmd = CCWCP_GUARD_CMD;
	cp->nr_chains++;
	return 0;
}

/* Pass 1: every chain the program can reach, depth first, no recursion. */
static int cp_fetch(struct ccwcp *cp)
{
	struct {
		u8 chain;
		u16 pos;
	} stack[CCWCP_MAX_CHAINS];
	unsigned int depth = 0, idx;
	struct ccwcp_chain *ch;
	bool found;
	u32 target;
	int ret;

	ret = cp_build_chain(cp, cp->orb_cpa);
	if (ret)
		return ret;
	/* The first CCW of a program may not be a TIC. */
	if (ccw_is_tic(&cp->chain[0].ccw[0]))
		return -EINVAL;
	stack[depth].chain = 0;
	stack[depth++].pos = 0;
	while (depth) {
		ch = &cp->chain[stack[depth - 1].chain];
		found = false;
		while (!found && stack[depth - 1].pos < ch->len) {
			struct ccw1_be *ccw = &ch->ccw[stack[depth - 1].pos++];

			target = be32_to_cpu(ccw->cda);
			found = ccw_is_tic(ccw) && !cp_find(cp, target, &idx);
		}
		if (!found) {
			depth--;
			continue;
		}
		ret = cp_build_chain(cp, target);
		if (ret)
			return ret;
		/* Each push built a chain: the depth stays in bounds. */
		stack[depth].chain = cp->nr_chains - 1;
		stack[depth++].pos = 0;
	}
	return 0;
}

static unsigned int reach_bit(unsigned int chain, unsigned int i)
{
	return chain * (CCWCP_MAX_CHAIN_CCWS + 2) + i;
}

/*
 * The two slots behind chain @ch, at the guest addresses of the two CCWs
 * after its last: a slot the channel can reach (chaining from the last
 * CCW, or a status modifier skipping from the one or two before) becomes
 * a TIC to the host copy of that CCW, if any chain holds it, or a copy of
 * it if it is a TIC.  Every other slot stays a guard.
 */
static void cp_fill_slots(struct ccwcp *cp, struct ccwcp_chain *ch)
{
	unsigned int n = ch->len, j, ti;
	struct ccwcp_chain *tch;
	bool reached;
	u32 gaddr;

	for (j = 0; j < 2; j++) {
		if (j == 0)
			reached = ccw_chains(&ch->ccw[n - 1]) ||
				  (n >= 2 && ccw_chains_commands(&ch->ccw[n - 2]));
		else
			reached = ccw_chains_commands(&ch->ccw[n - 1]);
		gaddr = ch->guest + (n + j) * sizeof(struct ccw1_be);
		tch = reached ? cp_find(cp, gaddr, &ti) : NULL;
		if (!tch)
			continue;
		if (ccw_is_tic(&tch->ccw[ti])) {
			ch->ccw[n + j] = tch->ccw[ti];
		} else {
			ch->ccw[n + j].cmd = CCWC_TIC;
			ch->ccw[n + j].cda = cpu_to_be32(gaddr);
		}
	}
}

/*
 * Pass 2: fill the slots behind each chain, resolve TICs to host addresses
 * and mark how each CCW can be reached: in @dc by data chaining (its
 * command is the one in effect), in @cc by the start or command chaining,
 * the skip of a status modifier included (its command starts).  A CCW
 * nothing reaches is treated in pass 3 as if it started.
 */
static int cp_link(struct ccwcp *cp)
{
	unsigned long *dc = cp->dc, *cc = cp->cc;
	struct ccwcp_chain *ch, *tch;
	unsigned int c, i, ti, bit;

	for (c = 0; c < cp->nr_chains; c++)
		cp_fill_slots(cp, &cp->chain[c]);

	__set_bit(reach_bit(0, 0), cc);
	for (c = 0; c < cp->nr_chains; c++) {
		ch = &cp->chain[c];
		for (i = 1; i <= ch->len + 1; i++) {
			const struct ccw1_be *prev = &ch->ccw[i - 1];

			if (!ccw_is_tic(prev) && (prev->flags & CCWF_CD))
				__set_bit(reach_bit(c, i), dc);
			else if (ccw_chains_commands(prev))
				__set_bit(reach_bit(c, i), cc);
			if (i >= 2 && ccw_chains_commands(&ch->ccw[i - 2]))
				__set_bit(reach_bit(c, i), cc);
		}
	}

	for (c = 0; c < cp->nr_chains; c++) {
		ch = &cp->chain[c];
		for (i = 0; i <= ch->len + 1; i++) {
			struct ccw1_be *ccw = &ch->ccw[i];

			if (!ccw_is_tic(ccw))
				continue;
			tch = cp_find(cp, be32_to_cpu(ccw->cda), &ti);
			if (WARN_ON_ONCE(!tch))
				return -EINVAL;
			if (ccw_is_tic(&tch->ccw[ti]))
				return -EINVAL;		/* TIC to TIC */
			/* A TIC passes on how it is reached, nothing more. */
			bit = reach_bit(c, i);
			if (test_bit(bit, dc))
				__set_bit(reach_bit(tch - cp->chain, ti), dc);
			if (test_bit(bit, cc))
				__set_bit(reach_bit(tch - cp->chain, ti), cc);
			ccw->cda = cpu_to_be32(ccwcp_dma32(&tch->ccw[ti]));
		}
	}
	return 0;
}

static bool ccw_is_input(const struct ccw1_be *ccw)
{
	return (ccw->cmd & CCWC_DIR_MASK) == CCWC_DIR_READ ||
	       (ccw->cmd & CCWC_TYPE_MASK) == CCWC_TYPE_SENSE;
}

/* Does the CCW, started by its own command, move no data at all? */
static bool ccw_moves_nothing(const struct ccw1_be *ccw)
{
	if (!ccw->count || ccw->cmd == CCWC_NOP)
		return true;
	return (ccw->flags & CCWF_SKIP) && ccw_is_input(ccw);
}

/* Without prefetch allowed, input must not land on the program's CCWs. */
static bool cp_input_hits_ccws(const struct ccwcp *cp, u64 start, u32 len)
{
	unsigned int c;

	for (c = 0; c < cp->nr_chains; c++) {
		u64 cstart = cp->chain[c].guest;
		u64 cend = cstart + cp->chain[c].len * sizeof(struct ccw1_be);

		if (start < cend && cstart < start + len)
			return true;
	}
	return false;
}

/* Blocks of 1 << @shift bytes that @count bytes from @addr touch. */
static unsigned int nr_blocks(u64 addr, u32 count, unsigned int shift)
{
	u64 bsize = 1ULL << shift;

	return ((addr & (bsize - 1)) + count + bsize - 1) >> shift;
}

/*
 * The guest blocks of one data CCW into cp->blk: from its guest IDAL (each
 * IDAW read once; the first decides how many follow) or from its address.
 */
static int cp_guest_blocks(struct ccwcp *cp, const struct ccw1_be *ccw,
			   unsigned int *nr)
{
	u32 bsize = 1U << cp->block_shift, count = be16_to_cpu(ccw->count);
	u32 cda = be32_to_cpu(ccw->cda);
	unsigned int n, k;
	u64 first;
	int ret;

	if (ccw->flags & CCWF_IDA) {
		bool f2 = cp->orb_ctl & ORB_H;
		size_t isz = f2 ? IDAW2_SIZE : IDAW1_SIZE;
		union {
			__be64 f2[CCWCP_MAX_IDAWS];
			__be32 f1[CCWCP_MAX_IDAWS];
		} *raw = (void *)cp->idaw_raw;

		ret = cp_read(cp, cda, raw, isz);
		if (ret)
			return ret;
		first = f2 ? be64_to_cpu(raw->f2[0]) : be32_to_cpu(raw->f1[0]);
		if (!f2 && (first & ~(u64)CCW_ADDR31_MASK))
			return -EINVAL;
		n = nr_blocks(first, count, cp->block_shift);
		if (n > 1) {
			ret = cp_read(cp, cda + isz, (u8 *)raw + isz,
				      (n - 1) * isz);
			if (ret)
				return ret;
		}
		cp->blk[0] = first;
		for (k = 1; k < n; k++) {
			u64 a = f2 ? be64_to_cpu(raw->f2[k]) :
				     be32_to_cpu(raw->f1[k]);

			if (!IS_ALIGNED(a, bsize) ||
			    (!f2 && (a & ~(u64)CCW_ADDR31_MASK)))
				return -EINVAL;
			cp->blk[k] = a;
		}
	} else {
		first = cda;
		n = nr_blocks(first, count, cp->block_shift);
		cp->blk[0] = first;
		for (k = 1; k < n; k++)
			cp->blk[k] = (first & ~(u64)(bsize - 1)) +
				     (u64)k * bsize;
	}
	/* A block at the top of the address space names no guest memory. */
	for (k = 0; k < n; k++)
		if (cp->blk[k] > U64_MAX - bsize)
			return -EFAULT;
	*nr = n;
	return 0;
}

/* Pass 3, one CCW that can transfer: pin its pages, build its host IDAL. */
static int cp_map_data(struct ccwcp *cp, struct ccwcp_chain *ch,
		       unsigned int i, bool input)
{
	struct ccw1_be *ccw = &ch->ccw[i];
	u32 bsize = 1U << cp->block_shift, left = be16_to_cpu(ccw->count);
	unsigned int n, k, p, q, np = 0;
	struct ccwcp_data *d;
	struct ccwcp_run *run;
	u64 *pg = cp->pg;
	int ret;

	ret = cp_guest_blocks(cp, ccw, &n);
	if (ret)
		return ret;
	if (input && !(cp->orb_ctl & ORB_P)) {
		for (k = 0; k < n; k++) {
			u32 len = min(left, bsize - (u32)(cp->blk[k] & (bsize - 1)));

			if (cp_input_hits_ccws(cp, cp->blk[k], len))
				return -EOPNOTSUPP;
			left -= len;
		}
	}

	d = cp_alloc(cp, sizeof(*d) + n * sizeof(d->idaw[0]) +
			 n * sizeof(struct ccwcp_run));
	if (!d)
		return -ENOMEM;
	d->nr_idaws = n;
	ch->data[i] = d;
	run = data_runs(d);

	/* Distinct pages in block order (2K blocks may share one)... */
	for (k = 0; k < n; k++) {
		u64 page = ALIGN_DOWN(cp->blk[k], PAGE_SIZE);

		if (!np || page != pg[np - 1])
			pg[np++] = page;
	}
	/* ...pinned in runs of consecutive pages. */
	for (p = 0; p < np; p = q) {
		u64 start = pg[p];

		for (q = p + 1; q < np && pg[q] == pg[q - 1] + PAGE_SIZE; q++)
			;
		ret = cp->mem->pin(cp->mem_ctx, start, q - p, &cp->pages[p]);
		if (ret)
			return ret == -ENOMEM ? ret : -EFAULT;
		run[d->nr_runs].gaddr = start;
		run[d->nr_runs++].npage = q - p;
		cp->nr_pinned += q - p;
	}
	for (k = 0, p = 0; k < n; k++) {
		if (ALIGN_DOWN(cp->blk[k], PAGE_SIZE) != pg[p])
			p++;
		d->idaw[k] = cpu_to_be64(page_to_phys(cp->pages[p]) +
					 (cp->blk[k] & (PAGE_SIZE - 1)));
	}
	ccw->flags |= CCWF_IDA;
	ccw->cda = cpu_to_be32(ccwcp_dma32(d->idaw));
	return 0;
}

/* Pass 3: every CCW but a TIC gets a host IDAL, real or sink. */
static int cp_map(struct ccwcp *cp)
{
	struct ccwcp_chain *ch;
	unsigned int c, i, bit;
	bool dc, starts;
	int ret;

	for (c = 0; c < cp->nr_chains; c++) {
		ch = &cp->chain[c];
		for (i = 0; i < ch->len; i++) {
			struct ccw1_be *ccw = &ch->ccw[i];

			if (ccw_is_tic(ccw))
				continue;
			bit = reach_bit(c, i);
			dc = test_bit(bit, cp->dc);
			starts = test_bit(bit, cp->cc) || !dc;
			if (dc && !ccw->count)
				return -EINVAL;
			if (starts) {
				ret = cp_check_cmd(ccw);
				if (ret)
					return ret;
			}
			if (!dc && ccw_moves_nothing(ccw)) {
				ccw->flags |= CCWF_IDA;
				ccw->cda = cpu_to_be32(ccwcp_dma32(cp->sink_idal));
				continue;
			}
			/*
			 * Data chaining continues some other command: it may
			 * move data either way.
			 */
			ret = cp_map_data(cp, ch, i, dc || ccw_is_input(ccw));
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int cp_check_orb(struct ccwcp *cp, const struct orb_be *orb)
{
	u32 ctl = be32_to_cpu(orb->ctl), cpa = be32_to_cpu(orb->cpa);

	if (ctl & ORB_RSVD)
		return -EINVAL;
	/* Transport mode, ORB extension, suspend, MIDAWs. */
	if (ctl & (ORB_B | ORB_X | ORB_S | ORB_D))
		return -EOPNOTSUPP;
	if (!ccw_addr_ok(cpa))
		return -EINVAL;
	cp->orb_ctl = ctl;
	cp->orb_cpa = cpa;
	/* Format-1 IDAWs and 2K format-2 IDAWs both use 2K blocks. */
	cp->block_shift = !(ctl & ORB_H) || (ctl & ORB_T) ?
			  IDAW_BLOCK_2K_SHIFT : IDAW_BLOCK_4K_SHIFT;
	return 0;
}

/**
 * ccwcp_translate() - copy, check and pin a guest channel program
 * @cp: the device's channel program, with no program translated
 * @orb: the guest's ORB (orb and cpa as userspace wrote them)
 *
 * The errno of each refusal is the table in docs/vfio-ccw-cp.rst.  On any
 * error nothing stays pinned or allocated.
 *
 * Return: 0, with ccwcp_host_orb() ready to start the program; -EBUSY if
 * @cp already holds a program; -EINVAL for a malformed program; -E2BIG
 * over the bounds of cp.h; -EOPNOTSUPP for a feature this driver does not
 * translate; -EFAULT for an address outside guest memory; -ENOMEM.
 */
int ccwcp_translate(struct ccwcp *cp, const struct orb_be *orb)
{
	int ret;

	if (cp->active)
		return -EBUSY;
	ret = cp_check_orb(cp, orb);
	if (ret)
		return ret;
	bitmap_zero(cp->dc, CCWCP_REACH_BITS);
	bitmap_zero(cp->cc, CCWCP_REACH_BITS);
	ret = cp_fetch(cp);
	if (!ret)
		ret = cp_link(cp);
	if (!ret)
		ret = cp_map(cp);
	if (ret) {
		cp_release(cp);
		return ret;
	}
	cp->active = true;
	return 0;
}
EXPORT_SYMBOL_GPL(ccwcp_translate);

/**
 * ccwcp_free() - release a translated program: unpin, free
 * @cp: the device's channel program; nothing happens if it holds none
 *
 * Only when the subchannel can no longer use the program: after final
 * status, or once the subchannel is quiesced or disabled.
 */
void ccwcp_free(struct ccwcp *cp)
{
	cp_release(cp);
	cp->active = false;
}
EXPORT_SYMBOL_GPL(ccwcp_free);

/**
 * ccwcp_host_orb() - the ORB that starts the translated program
 * @cp: a channel program holding a translation
 * @orb: filled with the host ORB
 * @intparm: the interruption parameter the backend wants back
 * @lpm: logical-path mask to use when the guest's is zero
 *
 * The guest's controls are kept, its storage key included (the channel
 * checks the guest's pages against it; the host's CCWs and IDALs are not
 * fetch-protected), but for those the translation changes: format-1 CCWs,
 * format-2 IDAWs in the guest's block size, prefetching allowed (the
 * whole program was prefetched).
 */
void ccwcp_host_orb(const struct ccwcp *cp, struct orb_be *orb, u32 intparm,
		    u8 lpm)
{
	u32 ctl = cp->orb_ctl & ~ORB_T;

	ctl |= ORB_F | ORB_P | ORB_H;
	if (cp->block_shift == IDAW_BLOCK_2K_SHIFT)
		ctl |= ORB_T;
	if (!(ctl & ORB_LPM))
		ctl |= (u32)lpm << 8;
	orb->intparm = cpu_to_be32(intparm);
	orb->ctl = cpu_to_be32(ctl);
	orb->cpa = cpu_to_be32(cp->active ? ccwcp_dma32(cp->chain[0].ccw) : 0);
}
EXPORT_SYMBOL_GPL(ccwcp_host_orb);

/**
 * ccwcp_guest_cpa() - map a CCW address the channel stored back to the guest
 * @cp: the channel program the status belongs to
 * @host_cpa: the SCSW's CCW address (the CCW after the last one used)
 *
 * Return: the matching guest address, or 0 when @host_cpa is not in the
 * program (no host address ever reaches userspace).  A CCW address the
 * channel stores is that of the CCW after the last one used, so 0 is
 * never a real answer.
 */
u32 ccwcp_guest_cpa(const struct ccwcp *cp, u32 host_cpa)
{
	const struct ccwcp_chain *ch;
	unsigned int c;
	u32 base;

	if (!cp->active)
		return 0;
	for (c = 0; c < cp->nr_chains; c++) {
		ch = &cp->chain[c];
		base = ccwcp_dma32(ch->ccw);
		if (host_cpa >= base &&
		    host_cpa - base <= (ch->len + 2) * sizeof(struct ccw1_be))
			return ch->guest + (host_cpa - base);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ccwcp_guest_cpa);

/**
 * ccwcp_pins_range() - does the program hold a pin in a guest range?
 * @cp: the device's channel program
 * @gaddr: start of the range
 * @len: its length in bytes
 *
 * What a DMA unmap asks before it takes memory away from a program the
 * channel may still be using.
 *
 * Return: true if a page of [@gaddr, @gaddr + @len) is pinned by @cp.
 */
bool ccwcp_pins_range(const struct ccwcp *cp, u64 gaddr, u64 len)
{
	const struct ccwcp_chain *ch;
	const struct ccwcp_run *run;
	unsigned int c, i, r;
	u64 start, end, last;

	if (!cp->active || !len)
		return false;
	last = gaddr + len - 1;
	if (last < gaddr)
		last = U64_MAX;
	for (c = 0; c < cp->nr_chains; c++) {
		ch = &cp->chain[c];
		for (i = 0; i < ch->len; i++) {
			if (!ch->data[i])
				continue;
			run = data_runs(ch->data[i]);
			for (r = 0; r < ch->data[i]->nr_runs; r++) {
				start = run[r].gaddr;
				end = start + ((u64)run[r].npage << PAGE_SHIFT);
				if (gaddr < end && start <= last)
					return true;
			}
		}
	}
	return false;
}
EXPORT_SYMBOL_GPL(ccwcp_pins_range);

/**
 * ccwcp_init() - prepare a device's channel program
 * @cp: zeroed or destroyed memory
 * @mem: how guest memory is read and pinned
 * @mem_ctx: passed to @mem
 *
 * Return: 0 or -ENOMEM.
 */
int ccwcp_init(struct ccwcp *cp, const struct ccwcp_mem_ops *mem,
	       void *mem_ctx)
{
	unsigned int k;

	memset(cp, 0, sizeof(*cp));
	cp->mem = mem;
	cp->mem_ctx = mem_ctx;
	cp->sink = (void *)get_zeroed_page(GFP_KERNEL);
	cp->sink_idal = kmalloc_array(CCWCP_MAX_IDAWS, sizeof(__be64),
				      CCWCP_GFP);
	if (!cp->sink || !cp->sink_idal ||
	    !below_2g(cp->sink_idal, CCWCP_MAX_IDAWS * sizeof(__be64))) {
		ccwcp_destroy(cp);
		return -ENOMEM;
	}
	for (k = 0; k < CCWCP_MAX_IDAWS; k++)
		cp->sink_idal[k] = cpu_to_be64(virt_to_phys(cp->sink));
	return 0;
}
EXPORT_SYMBOL_GPL(ccwcp_init);

/**
 * ccwcp_destroy() - release what ccwcp_init() set up
 * @cp: a channel program whose translation, if any, the subchannel no
 *	longer uses
 */
void ccwcp_destroy(struct ccwcp *cp)
{
	WARN_ON_ONCE(cp->active);
	ccwcp_free(cp);
	kfree(cp->sink_idal);
	free_page((unsigned long)cp->sink);
	cp->sink_idal = NULL;
	cp->sink = NULL;
}
EXPORT_SYMBOL_GPL(ccwcp_destroy);

MODULE_DESCRIPTION("vfio-ccw channel program translation");
MODULE_LICENSE("GPL");
