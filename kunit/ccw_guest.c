// SPDX-License-Identifier: GPL-2.0
/*
 * The fake guest and the channel interpreter of ccw_guest.h.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ccw_guest.h"

#define GRANULE_SHIFT	2

/*
 * The interpreter spells the architecture out itself (z/Architecture
 * Principles of Operation, chapter 15) rather than using the translator's
 * ccw.h: a wrong mask there must show up as a mismatch here.
 */
#define POP_ORB_F	BIT(31 - 8)	/* ORB word 1 bit 8: format-1 CCWs */
#define POP_ORB_H	BIT(31 - 14)	/* bit 14: format-2 IDAWs */
#define POP_ORB_T	BIT(31 - 15)	/* bit 15: 2K format-2 IDAWs */
#define POP_CD		0x80
#define POP_CC		0x40
#define POP_SLI		0x20
#define POP_SKIP	0x10
#define POP_PCI		0x08
#define POP_IDA		0x04
#define POP_S		0x02
#define POP_MIDA	0x01
#define POP_NOP		0x03

u64 ccw_guest_size(const struct ccw_guest *g)
{
	return (u64)g->nr_pages << PAGE_SHIFT;
}

static bool in_guest(const struct ccw_guest *g, u64 ga, u64 len)
{
	return ga < ccw_guest_size(g) && len <= ccw_guest_size(g) - ga;
}

void *ccw_guest_ptr(struct ccw_guest *g, u64 gaddr)
{
	return page_address(g->page[gaddr >> PAGE_SHIFT]) +
	       (gaddr & ~PAGE_MASK);
}

enum guest_op { GUEST_READ, GUEST_WRITE, GUEST_JUNK };

/* Read or write guest memory with @buf, or fill it with 0xff, by page. */
static void guest_access(struct ccw_guest *g, u64 ga, void *buf, size_t len,
			 enum guest_op op)
{
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - (ga & ~PAGE_MASK));

		if (op == GUEST_WRITE)
			memcpy(ccw_guest_ptr(g, ga), buf, n);
		else if (op == GUEST_READ)
			memcpy(buf, ccw_guest_ptr(g, ga), n);
		else
			memset(ccw_guest_ptr(g, ga), 0xff, n);
		ga += n;
		buf += n;
		len -= n;
	}
}

static int guest_read(void *ctx, u64 gaddr, void *buf, size_t len)
{
	struct ccw_guest *g = ctx;
	u64 gr;

	g->nr_reads++;
	if (g->fail_read_nth && --g->fail_read_nth == 0)
		return -EFAULT;
	if (!len || !in_guest(g, gaddr, len))
		return -EFAULT;
	guest_access(g, gaddr, buf, len, GUEST_READ);
	for (gr = gaddr >> GRANULE_SHIFT;
	     gr <= (gaddr + len - 1) >> GRANULE_SHIFT; gr++)
		if (g->reads[gr] < U8_MAX)
			g->reads[gr]++;
	if (g->hostile)
		guest_access(g, gaddr, NULL, len, GUEST_JUNK);
	return 0;
}

static int guest_pin(void *ctx, u64 gaddr, unsigned int npage,
		     struct page **pages)
{
	struct ccw_guest *g = ctx;
	unsigned int i;

	if (g->fail_pin_nth && --g->fail_pin_nth == 0)
		return -ENOMEM;
	if (!npage || (gaddr & ~PAGE_MASK) ||
	    !in_guest(g, gaddr, (u64)npage << PAGE_SHIFT))
		return -EFAULT;
	for (i = 0; i < npage; i++) {
		unsigned int pfn = (gaddr >> PAGE_SHIFT) + i;

		pages[i] = g->page[pfn];
		g->pins[pfn]++;
		g->nr_pinned++;
	}
	return 0;
}

static void guest_unpin(void *ctx, u64 gaddr, unsigned int npage)
{
	struct ccw_guest *g = ctx;
	unsigned int i;

	if (WARN_ON(!in_guest(g, gaddr, (u64)npage << PAGE_SHIFT)))
		return;
	for (i = 0; i < npage; i++) {
		unsigned int pfn = (gaddr >> PAGE_SHIFT) + i;

		if (WARN_ON(!g->pins[pfn]))
			continue;
		g->pins[pfn]--;
		g->nr_pinned--;
	}
}

const struct ccwcp_mem_ops ccw_guest_mem_ops = {
	.read = guest_read,
	.pin = guest_pin,
	.unpin = guest_unpin,
};

struct ccw_guest *ccw_guest_create(unsigned int nr_pages)
{
	struct ccw_guest *g = kzalloc(sizeof(*g), GFP_KERNEL);
	unsigned int i;

	if (!g)
		return NULL;
	g->nr_pages = nr_pages;
	g->page = kcalloc(nr_pages, sizeof(*g->page), GFP_KERNEL);
	g->pins = kcalloc(nr_pages, sizeof(*g->pins), GFP_KERNEL);
	g->reads = kvzalloc(ccw_guest_size(g) >> GRANULE_SHIFT, GFP_KERNEL);
	if (!g->page || !g->pins || !g->reads)
		goto fail;
	for (i = 0; i < nr_pages; i++) {
		g->page[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!g->page[i])
			goto fail;
	}
	return g;
fail:
	ccw_guest_destroy(g);
	return NULL;
}

void ccw_guest_destroy(struct ccw_guest *g)
{
	unsigned int i;

	if (!g)
		return;
	for (i = 0; g->page && i < g->nr_pages; i++)
		if (g->page[i])
			__free_page(g->page[i]);
	kvfree(g->shadow);
	kvfree(g->reads);
	kfree(g->pins);
	kfree(g->page);
	kfree(g);
}

void ccw_guest_clear(struct ccw_guest *g)
{
	unsigned int i;

	for (i = 0; i < g->nr_pages; i++)
		memset(page_address(g->page[i]), 0, PAGE_SIZE);
	kvfree(g->shadow);
	g->shadow = NULL;
	g->hostile = false;
	ccw_guest_reset_counts(g);
}

int ccw_guest_snapshot(struct ccw_guest *g)
{
	kvfree(g->shadow);
	g->shadow = kvmalloc(ccw_guest_size(g), GFP_KERNEL);
	if (!g->shadow)
		return -ENOMEM;
	guest_access(g, 0, g->shadow, ccw_guest_size(g), GUEST_READ);
	return 0;
}

void ccw_guest_reset_counts(struct ccw_guest *g)
{
	memset(g->reads, 0, ccw_guest_size(g) >> GRANULE_SHIFT);
	g->nr_reads = 0;
	g->fail_read_nth = 0;
	g->fail_pin_nth = 0;
}

unsigned int ccw_guest_max_reads(const struct ccw_guest *g)
{
	unsigned int i, max = 0;

	for (i = 0; i < ccw_guest_size(g) >> GRANULE_SHIFT; i++)
		max = max_t(unsigned int, max, g->reads[i]);
	return max;
}

void ccw_put1(struct ccw_guest *g, u64 ga, u8 cmd, u8 flags, u16 count,
	      u32 cda)
{
	struct ccw1_be ccw = {
		.cmd = cmd, .flags = flags,
		.count = cpu_to_be16(count), .cda = cpu_to_be32(cda),
	};

	guest_access(g, ga, &ccw, sizeof(ccw), GUEST_WRITE);
}

void ccw_put0(struct ccw_guest *g, u64 ga, u8 cmd, u8 flags, u16 count,
	      u32 cda)
{
	struct ccw0_be ccw = {
		.cmd = cmd, .flags = flags, .count = cpu_to_be16(count),
		.cda = { cda >> 16, cda >> 8, cda },
	};

	guest_access(g, ga, &ccw, sizeof(ccw), GUEST_WRITE);
}

void ccw_put_idaw(struct ccw_guest *g, u64 ga, bool f2, u64 addr)
{
	__be64 w2 = cpu_to_be64(addr);
	__be32 w1 = cpu_to_be32(addr);

	if (f2)
		guest_access(g, ga, &w2, sizeof(w2), GUEST_WRITE);
	else
		guest_access(g, ga, &w1, sizeof(w1), GUEST_WRITE);
}

static void guest_destroy_action(void *g)
{
	ccw_guest_destroy(g);
}

static void cp_destroy_action(void *cp)
{
	ccwcp_free(cp);
	ccwcp_destroy(cp);
	kfree(cp);
}

struct ccwcp *ccw_guest_cp_create(struct kunit *test, unsigned int nr_pages,
				  struct ccw_guest **gp)
{
	struct ccw_guest *g = ccw_guest_create(nr_pages);
	struct ccwcp *cp;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, g);
	ret = kunit_add_action_or_reset(test, guest_destroy_action, g);
	KUNIT_ASSERT_EQ(test, ret, 0);
	cp = kzalloc(sizeof(*cp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cp);
	ret = ccwcp_init(cp, &ccw_guest_mem_ops, g);
	if (ret)
		kfree(cp);
	KUNIT_ASSERT_EQ(test, ret, 0);
	/* Actions run last first: the program goes before its guest. */
	ret = kunit_add_action_or_reset(test, cp_destroy_action, cp);
	KUNIT_ASSERT_EQ(test, ret, 0);
	*gp = g;
	return cp;
}

void ccw_make_orb(struct orb_be *orb, u32 ctl, u32 cpa)
{
	orb->intparm = cpu_to_be32(0x12345678);
	orb->ctl = cpu_to_be32(ctl);
	orb->cpa = cpu_to_be32(cpa);
}

/* The interpreter's view of memory: the guest's, or the host's own. */
static int it_read(struct ccw_interp *it, u64 addr, void *buf, size_t len)
{
	struct ccw_guest *g = it->g;

	if (it->host) {
		if (addr + len - 1 > CCW_ADDR31_MASK)
			return -EFAULT;
		memcpy(buf, phys_to_virt(addr), len);
		return 0;
	}
	if (!in_guest(g, addr, len))
		return -EFAULT;
	if (g->shadow)
		memcpy(buf, g->shadow + addr, len);
	else
		guest_access(g, addr, buf, len, GUEST_READ);
	return 0;
}

static int xfer_add(struct ccw_interp *it, struct ccw_xfer *x, u64 addr,
		    u32 len)
{
	struct ccw_guest *g = it->g;

	if (it->host) {
		u64 page = addr & PAGE_MASK;
		unsigned int i;

		/* A host block is named by a pinned guest page or nothing. */
		for (i = 0; i < g->nr_pages; i++)
			if (page_to_phys(g->page[i]) == page)
				break;
		if (i == g->nr_pages || !g->pins[i] ||
		    (addr & ~PAGE_MASK) + len > PAGE_SIZE)
			return -EFAULT;
		addr = ((u64)i << PAGE_SHIFT) + (addr & ~PAGE_MASK);
	} else if (!in_guest(g, addr, len)) {
		return -EFAULT;
	}
	if (x->nr && x->range[x->nr - 1].addr + x->range[x->nr - 1].len == addr) {
		x->range[x->nr - 1].len += len;
		return 0;
	}
	if (x->nr == CCW_XFER_RANGES)
		return -EINVAL;
	x->range[x->nr].addr = addr;
	x->range[x->nr++].len = len;
	return 0;
}

/* The data a CCW addresses, block by block through its IDAL or direct. */
static int it_ranges(struct ccw_interp *it, struct ccw_xfer *x, u32 cda,
		     bool ida)
{
	bool f2 = it->ctl & POP_ORB_H;
	u32 bsize = (!f2 || (it->ctl & POP_ORB_T)) ? SZ_2K : SZ_4K;
	u32 left = x->count, len;
	unsigned int k;
	u64 a;
	int ret;

	if (!ida)
		return xfer_add(it, x, cda, left);
	for (k = 0; left; k++) {
		if (f2) {
			__be64 w;

			ret = it_read(it, cda + k * 8, &w, sizeof(w));
			a = be64_to_cpu(w);
		} else {
			__be32 w;

			ret = it_read(it, cda + k * 4, &w, sizeof(w));
			a = be32_to_cpu(w);
			if (a & 0x80000000U)
				return -EINVAL;
		}
		if (ret)
			return ret;
		if (k && (a & (bsize - 1)))
			return -EINVAL;
		len = min(left, bsize - (u32)(a & (bsize - 1)));
		ret = xfer_add(it, x, a, len);
		if (ret)
			return ret;
		left -= len;
	}
	return 0;
}

void ccw_interp_start(struct ccw_interp *it, struct ccw_guest *g, bool host,
		      const struct orb_be *orb, u64 sm)
{
	memset(it, 0, sizeof(*it));
	it->g = g;
	it->host = host;
	it->sm = sm;
	it->ctl = be32_to_cpu(orb->ctl);
	it->addr = be32_to_cpu(orb->cpa);
	it->first = true;
	it->end = 1;		/* running */
}

static bool is_input(u8 cmd)
{
	return (cmd & 3) == 2 || (cmd & 0xf) == 4;
}

/* 1 and *@x: the next transfer; 0: the program ended; <0: it failed. */
int ccw_interp_next(struct ccw_interp *it, struct ccw_xfer *x)
{
	bool f1 = it->host || (it->ctl & POP_ORB_F);
	u8 raw[8], cmd, flags;
	u32 cda, count;
	int ret;

	while (it->end == 1) {
		it->at = it->addr;
		ret = it_read(it, it->addr, raw, sizeof(raw));
		if (ret) {
			it->end = ret;
			break;
		}
		cmd = raw[0];
		if (f1) {
			flags = raw[1];
			count = raw[2] << 8 | raw[3];
			cda = (u32)raw[4] << 24 | raw[5] << 16 | raw[6] << 8 |
			      raw[7];
		} else {
			cda = raw[1] << 16 | raw[2] << 8 | raw[3];
			flags = raw[4];
			count = raw[6] << 8 | raw[7];
		}
		if ((cmd & 0xf) == 8) {
			/* TIC: not first, not after a TIC, to a doubleword. */
			if ((f1 && cmd != 8) || it->first || it->after_tic ||
			    (cda & 7) || (cda & 0x80000000U)) {
				it->end = -EINVAL;
				break;
			}
			it->after_tic = true;
			it->addr = cda;
			continue;
		}
		it->first = false;
		it->after_tic = false;
		if ((!it->dc && !(cmd & 0xf)) || (flags & (POP_S | POP_MIDA)) ||
		    (!count && (it->dc || (flags & POP_CD))) ||
		    (f1 && (cda & 0x80000000U))) {
			it->end = -EINVAL;
			break;
		}
		if (!it->dc)
			it->cmd = cmd;
		if ((it->cmd & 0xf) == 0xc) {
			it->end = -EOPNOTSUPP;
			break;
		}
		memset(x, 0, sizeof(*x));
		x->cmd = it->cmd;
		x->flags = flags & (POP_CD | POP_CC | POP_SLI | POP_SKIP |
				    POP_PCI);
		x->count = count;
		if (count && it->cmd != POP_NOP &&
		    !((flags & POP_SKIP) && is_input(it->cmd))) {
			ret = it_ranges(it, x, cda, flags & POP_IDA);
			if (ret) {
				it->end = ret;
				break;
			}
		}
		it->steps++;
		if (flags & POP_CD) {
			it->dc = true;
			it->addr += 8;
		} else if (flags & POP_CC) {
			/* A status modifier makes command chaining skip one. */
			it->dc = false;
			if (it->steps <= 64 && (it->sm & BIT_ULL(it->steps - 1)))
				it->addr += 16;
			else
				it->addr += 8;
		} else {
			it->end = 0;
		}
		return 1;
	}
	return it->end;
}

/*
 * Is host address @addr one of the guards behind a host chain?  If so,
 * *@gaddr is the guest address the guard stands for.
 */
static bool at_guard(const struct ccwcp *cp, u64 addr, u64 *gaddr)
{
	const struct ccwcp_chain *ch;
	unsigned int c, j;

	for (c = 0; c < cp->nr_chains; c++) {
		ch = &cp->chain[c];
		for (j = ch->len; j <= ch->len + 1; j++) {
			if (addr == ccwcp_dma32(&ch->ccw[j]) && !ch->ccw[j].cmd) {
				*gaddr = ch->guest + j * 8;
				return true;
			}
		}
	}
	return false;
}

/* Did the translator read the guest CCW at @gaddr into some chain? */
static bool was_read(const struct ccwcp *cp, u64 gaddr)
{
	const struct ccwcp_chain *ch;
	unsigned int c;

	for (c = 0; c < cp->nr_chains; c++) {
		ch = &cp->chain[c];
		if (gaddr >= ch->guest && gaddr < ch->guest + ch->len * 8)
			return true;
	}
	return false;
}

/*
 * Both walks have stopped producing transfers together or apart: judge
 * how.  The host program may end only as the guest's does, or with a
 * guard's program check where a status modifier took the guest to a CCW
 * the translator never read (the one known difference, docs/vfio-ccw-
 * cp.rst).  A host program check anywhere else, a refused command
 * started, or a host address outside the pins is a translator bug even
 * when the guest's walk fails the same way.
 */
static const char *judge_end(const struct ccwcp *cp, struct ccw_interp *gi,
			     int rg, struct ccw_interp *hi, int rh,
			     unsigned int *diverged)
{
	u64 gaddr;

	if (rh == -EINVAL && at_guard(cp, hi->addr, &gaddr)) {
		if (rg == -EINVAL)
			return NULL;
		if (rg == 0)
			return "host stopped at a guard, the guest's program ended";
		if (was_read(cp, gaddr))
			return "host stopped at a guard for a CCW it read";
		if (diverged)
			(*diverged)++;
		return NULL;
	}
	if (rh == 1)
		return "host program ran on";
	if (rh == -EINVAL)
		return "host program check at a translated CCW";
	if (rh == -EOPNOTSUPP)
		return "host started a command the translator refuses";
	if (rh == -EFAULT)
		return "host addressed memory outside the pins";
	if (rg != rh)
		return "the programs ended differently";
	return NULL;
}

int ccw_compare(struct ccw_guest *g, const struct orb_be *orb,
		const struct ccwcp *cp, u64 sm, unsigned int max_steps,
		const char **why, unsigned int *diverged)
{
	struct ccw_interp gi, hi;
	struct ccw_xfer *gx, *hx;
	struct orb_be horb;
	unsigned int i, r;
	int rg, rh, bad = 0;

	gx = kmalloc(sizeof(*gx), GFP_KERNEL);
	hx = kmalloc(sizeof(*hx), GFP_KERNEL);
	if (!gx || !hx) {
		*why = "no memory";
		bad = -1;
		goto out;
	}
	ccwcp_host_orb(cp, &horb, 0, 0);
	ccw_interp_start(&gi, g, false, orb, sm);
	ccw_interp_start(&hi, g, true, &horb, sm);
	*why = "";
	for (i = 1; i <= max_steps && !bad; i++) {
		rg = ccw_interp_next(&gi, gx);
		rh = ccw_interp_next(&hi, hx);
		if (rg != 1 || rh != 1) {
			*why = judge_end(cp, &gi, rg, &hi, rh, diverged);
			if (*why)
				bad = i;
			else
				*why = "";
			break;
		}
		if (gx->cmd != hx->cmd || gx->flags != hx->flags ||
		    gx->count != hx->count) {
			*why = "command, flags or count differ";
			bad = i;
		} else if (gx->nr != hx->nr) {
			*why = "a different number of data areas";
			bad = i;
		} else {
			for (r = 0; r < gx->nr; r++)
				if (gx->range[r].addr != hx->range[r].addr ||
				    gx->range[r].len != hx->range[r].len)
					break;
			if (r < gx->nr) {
				*why = "data areas differ";
				bad = i;
			}
		}
	}
out:
	kfree(gx);
	kfree(hx);
	return bad;
}
