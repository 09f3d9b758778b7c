/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Channel program translation for vfio-ccw: the interface the vfio-ccw core
 * and the tests use.  See docs/vfio-ccw-cp.rst.
 *
 * A guest's channel program lives in guest memory and is guest-controlled
 * throughout.  ccwcp_translate() copies it once into host memory, checks
 * the copy, pins every guest page a transfer can touch and builds a host
 * program in which every data address goes through a host IDAL over those
 * pins.  The translator is arch-neutral: guest memory is reached only
 * through struct ccwcp_mem_ops (vfio_dma_rw() and vfio_pin_pages() on
 * s390, a fake in KUnit) and the formats are the big-endian ones of ccw.h.
 */
#ifndef _VFIO_CCW_CP_H
#define _VFIO_CCW_CP_H

#include <linux/math.h>
#include <linux/bitmap.h>
#include <linux/limits.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include "ccw.h"

struct page;

/*
 * The bounds of one program, named once.  At least upstream's: every
 * program Linux 6.12 translates fits.  A chain or program exactly at a
 * bound is accepted, one CCW or chain more is -E2BIG.
 */
#define CCWCP_MAX_CHAIN_CCWS	256	/* guest CCWs in one chain */
#define CCWCP_MAX_CHAINS	16	/* chains in one program */
/* IDAWs one CCW can need: a 65535-byte count in 2K blocks, unaligned start. */
#define CCWCP_MAX_IDAWS		(DIV_ROUND_UP(U16_MAX - 1, SZ_2K) + 1)

/**
 * struct ccwcp_mem_ops - guest memory as the translator reaches it
 * @read: copy @len bytes at guest address @gaddr into @buf; 0 or -errno.
 *	Called once for every guest structure the translator uses.
 * @pin: pin @npage guest pages from the page-aligned @gaddr, storing them
 *	in @pages; all of them (0) or none (-errno).  @npage is at most
 *	CCWCP_MAX_IDAWS.
 * @unpin: release @npage pages pinned by one earlier @pin from @gaddr.
 *
 * The callbacks are called with the caller's serialization held (the
 * vfio-ccw I/O lock) and may sleep.
 */
struct ccwcp_mem_ops {
	int (*read)(void *ctx, u64 gaddr, void *buf, size_t len);
	int (*pin)(void *ctx, u64 gaddr, unsigned int npage,
		   struct page **pages);
	void (*unpin)(void *ctx, u64 gaddr, unsigned int npage);
};

struct ccwcp_data;

/* One bit per host CCW of every chain, tail and skip slot included. */
#define CCWCP_REACH_BITS	(CCWCP_MAX_CHAINS * (CCWCP_MAX_CHAIN_CCWS + 2))

/**
 * struct ccwcp_chain - one host chain, a copy of consecutive guest CCWs
 * @guest: guest address of the first CCW
 * @len: guest CCWs copied; the host array has two slots more, for the
 *	two guest CCWs after the last: a TIC to the host copy of that CCW
 *	where the channel can reach it (chaining, or a status modifier's
 *	skip) and some chain holds it, else a guard, an invalid command
 *	that stops the channel
 * @ccw: @len + 2 host CCWs, below 2G
 * @data: for each of the @len CCWs its IDAL and pins, NULL if it has none
 */
struct ccwcp_chain {
	u32 guest;
	u16 len;
	struct ccw1_be *ccw;
	struct ccwcp_data **data;
};

/**
 * struct ccwcp - one device's channel program
 * @mem: how guest memory is read and pinned
 * @mem_ctx: passed to @mem's callbacks
 * @active: a translated program exists: translate refuses, free releases
 * @orb_ctl: the guest ORB's control word, as accepted
 * @orb_cpa: the guest ORB's CCW address
 * @block_shift: host IDAW block, 11 (2K) or 12 (4K), from the guest ORB
 * @nr_chains: chains in @chain
 * @chain: the host chains, chain 0 first
 * @sink: the page a CCW that moves nothing points at: no host CCW ever
 *	holds a guest address, or host memory other than the translator's
 * @sink_idal: an IDAL whose every IDAW names @sink
 * @nr_allocs: live allocations of the program (0 when there is none)
 * @nr_pinned: guest pages the program holds pinned
 *
 * Not locked by itself: the owner serializes every call on one ccwcp (in
 * vfio-ccw the I/O lock, which the core's state machine holds across
 * translation, start, final status and free).  All fields are written only
 * under that serialization.
 */
struct ccwcp {
	const struct ccwcp_mem_ops *mem;
	void *mem_ctx;
	bool active;
	u32 orb_ctl;
	u32 orb_cpa;
	u8 block_shift;
	unsigned int nr_chains;
	struct ccwcp_chain chain[CCWCP_MAX_CHAINS];
	void *sink;
	__be64 *sink_idal;
	unsigned int nr_allocs;
	unsigned int nr_pinned;
	/* private: */
	/*
	 * Scratch of one translation: the CCWs of the chain being read, how
	 * each CCW can be reached (data or command chaining), and for the
	 * CCW being mapped its raw IDAWs, guest blocks, distinct guest pages
	 * and their pins.
	 */
	struct ccw1_be stage[CCWCP_MAX_CHAIN_CCWS];
	DECLARE_BITMAP(dc, CCWCP_REACH_BITS);
	DECLARE_BITMAP(cc, CCWCP_REACH_BITS);
	__be64 idaw_raw[CCWCP_MAX_IDAWS];
	u64 blk[CCWCP_MAX_IDAWS];
	u64 pg[CCWCP_MAX_IDAWS];
	struct page *pages[CCWCP_MAX_IDAWS];
#ifdef CONFIG_VFIO_CCW_CP_FAULT_INJECT
	/* fail the n-th allocation from 1; 0 off (tests) */
	unsigned int fail_alloc_nth;
#endif
};

int ccwcp_init(struct ccwcp *cp, const struct ccwcp_mem_ops *mem,
	       void *mem_ctx);
void ccwcp_destroy(struct ccwcp *cp);
int ccwcp_translate(struct ccwcp *cp, const struct orb_be *orb);
void ccwcp_free(struct ccwcp *cp);
void ccwcp_host_orb(const struct ccwcp *cp, struct orb_be *orb,
		    u32 intparm, u8 lpm);
u32 ccwcp_guest_cpa(const struct ccwcp *cp, u32 host_cpa);
u32 ccwcp_dma32(const void *p);
bool ccwcp_pins_range(const struct ccwcp *cp, u64 gaddr, u64 len);

#endif /* _VFIO_CCW_CP_H */
