/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake s390 guest for the vfio-ccw tests: guest memory backed by real
 * pages (so the translator's pins and host IDAWs name real memory), with
 * counters and injectable failures, and a channel interpreter that walks a
 * guest program or a translated host program and yields, transfer by
 * transfer, what a channel would move.  The interpreter is written from the
 * architecture, independently of drivers/vfio-ccw/cp.c, so that comparing
 * its two walks checks the translator rather than repeating it.
 */
#ifndef _MDEVCCW_KUNIT_CCW_GUEST_H
#define _MDEVCCW_KUNIT_CCW_GUEST_H

#include <linux/types.h>

#include "../drivers/vfio-ccw/cp.h"

struct kunit;
struct page;

/**
 * struct ccw_guest - guest memory of @nr_pages pages from guest address 0
 * @page: the backing pages
 * @pins: pins held on each page
 * @reads: reads that covered each 4-byte granule (P5 checks)
 * @shadow: if set, the interpreter reads the guest from this copy of
 *	memory taken before translation (see @hostile)
 * @hostile: after every read, overwrite what was read with 0xff, so a
 *	second read of anything yields garbage
 * @nr_pinned: pins held in all
 * @nr_reads: read calls
 * @fail_read_nth: fail the n-th read from now with -EFAULT (0: off)
 * @fail_pin_nth: fail the n-th pin call from now with -ENOMEM (0: off)
 */
struct ccw_guest {
	unsigned int nr_pages;
	struct page **page;
	unsigned int *pins;
	u8 *reads;
	u8 *shadow;
	bool hostile;
	unsigned int nr_pinned;
	unsigned int nr_reads;
	unsigned int fail_read_nth;
	unsigned int fail_pin_nth;
};

extern const struct ccwcp_mem_ops ccw_guest_mem_ops;

struct ccw_guest *ccw_guest_create(unsigned int nr_pages);
void ccw_guest_destroy(struct ccw_guest *g);
u64 ccw_guest_size(const struct ccw_guest *g);
void *ccw_guest_ptr(struct ccw_guest *g, u64 gaddr);
void ccw_guest_clear(struct ccw_guest *g);
int ccw_guest_snapshot(struct ccw_guest *g);
void ccw_guest_reset_counts(struct ccw_guest *g);
unsigned int ccw_guest_max_reads(const struct ccw_guest *g);

/*
 * A guest of @nr_pages in *@gp and a channel program on it, both released
 * when @test ends (the program first); asserts on failure.
 */
struct ccwcp *ccw_guest_cp_create(struct kunit *test, unsigned int nr_pages,
				  struct ccw_guest **gp);

/* Writing a guest program. */
void ccw_put1(struct ccw_guest *g, u64 ga, u8 cmd, u8 flags, u16 count,
	      u32 cda);
void ccw_put0(struct ccw_guest *g, u64 ga, u8 cmd, u8 flags, u16 count,
	      u32 cda);
void ccw_put_idaw(struct ccw_guest *g, u64 ga, bool f2, u64 addr);
void ccw_make_orb(struct orb_be *orb, u32 ctl, u32 cpa);

/* One transfer as a channel would make it, in guest addresses. */
#define CCW_XFER_RANGES		CCWCP_MAX_IDAWS
struct ccw_xfer {
	u8 cmd;
	u8 flags;
	u16 count;
	unsigned int nr;
	struct {
		u64 addr;
		u32 len;
	} range[CCW_XFER_RANGES];
};

/**
 * struct ccw_interp - a channel walking one program
 * @g: the guest the program's memory belongs to
 * @host: a translated host program (else a guest program in @g)
 * @ctl: the ORB control word the program was started with
 * @addr: the next CCW's address (guest or host physical); after a
 *	failure, the address of the CCW that failed
 * @at: the address of the CCW executed last
 * @dc: the next CCW is fetched by data chaining
 * @after_tic: the last CCW fetched was a TIC
 * @cmd: the command in effect (data chaining keeps it)
 * @sm: bit k set: the device ends the command of CCW k (from 0, TICs not
 *	counted) with a status modifier, so command chaining skips a CCW
 * @steps: CCWs executed
 * @end: why the walk ended: 0 normally, -EINVAL program check, -EFAULT a
 *	guest address outside memory or a host address outside the pins
 */
struct ccw_interp {
	struct ccw_guest *g;
	bool host;
	u32 ctl;
	u64 addr;
	u64 at;
	bool dc;
	bool after_tic;
	bool first;
	u8 cmd;
	u64 sm;
	unsigned int steps;
	int end;
};

void ccw_interp_start(struct ccw_interp *it, struct ccw_guest *g, bool host,
		      const struct orb_be *orb, u64 sm);
int ccw_interp_next(struct ccw_interp *it, struct ccw_xfer *x);

/*
 * Walk the guest program of @orb and the host program of @cp in lockstep
 * for at most @max_steps transfers, the device presenting status modifiers
 * as @sm says.  Return 0 if every transfer matched, else the 1-based index
 * of the first mismatch (@why says what).  A host program check at a
 * guard where a status modifier took the guest to a CCW the translator
 * never read is the one accepted difference: it adds one to *@diverged
 * (if not NULL) and returns 0.
 */
int ccw_compare(struct ccw_guest *g, const struct orb_be *orb,
		const struct ccwcp *cp, u64 sm, unsigned int max_steps,
		const char **why, unsigned int *diverged);

#endif /* _MDEVCCW_KUNIT_CCW_GUEST_H */
