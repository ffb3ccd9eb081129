/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tandem target's in-core state and the interfaces between its files:
 * tandem-target.c (table, status, messages), tandem-leg.c (leg health and
 * counters) and tandem-io.c (the data path).
 */
#ifndef TANDEM_CORE_H
#define TANDEM_CORE_H

#include "compat.h"

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/bitops.h>
#include <linux/dm-io.h>
#include <linux/ioprio.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "tandem-compare.h"
#include "tandem-metadata.h"
#include "tandem-pure.h"
#include "tandem-region.h"
#include "tandem-sched.h"
#include "tandem-shadow.h"
#include "tandem-sync.h"
#include "tandem-wrr.h"

#define DM_MSG_PREFIX "tandem"

/* Per-CPU I/O counters of one leg, summed when reported. */
struct tandem_leg_stats {
	u64 reads;
	u64 writes;
};

struct tandem_leg {
	struct dm_dev *dev;
	struct tandem_leg_stats __percpu *stats;
	atomic64_t read_errors;
	atomic64_t write_errors;
	/* Read errors since the leg was last instated; see TANDEM_MAX_READ_ERRORS. */
	atomic_t recent_read_errors;
};

struct tandem_c {
	struct dm_target *ti;
	unsigned int nr_legs;
	u32 region_sectors;
	bool nosync;
	struct tandem_leg legs[TANDEM_MAX_LEGS];

	/*
	 * Protects healthy, readable and the region state, so that a write
	 * that skips a leg marks the region out of sync on it in the same
	 * step, and a leg is never failed while no other healthy leg is in
	 * sync.  The read path samples readable without it (READ_ONCE).
	 * Taken from bio completion: irqsave.
	 */
	spinlock_t state_lock;
	unsigned long healthy;	/* legs that receive writes */
	unsigned long readable;	/* healthy legs with every region in sync */
	struct tandem_regions regions;
	struct tandem_sync sync;
	struct tandem_metadata md;
	struct tandem_compare compare;
	struct tandem_sched sched;
	struct tandem_shadow shadow;

	/* Read weights, packed by tandem_weights_pack(); READ_ONCE on the hot path. */
	u32 read_weights;
	struct tandem_wrr __percpu *wrr;
	atomic64_t read_retries;

	struct bio_set bs;		/* write fan-out and read retry clones */
	struct workqueue_struct *wq;

	spinlock_t retry_lock;		/* protects retry_bios */
	struct bio_list retry_bios;	/* reads waiting to be retried on another leg */
	struct work_struct retry_work;
	struct work_struct event_work;	/* raises dm_table_event() */

	struct mutex msg_lock;		/* serialises messages */
};

/* Per-bio data of every bio the target maps (dm_per_bio_data). */
struct tandem_io {
	struct tandem_c *tc;
	bool is_read;
	/* Reads: the leg-relative iterator at map time, restored for a retry. */
	struct bvec_iter iter;
	unsigned long region;	/* writes: region counted in flight, or TANDEM_NO_REGION */
	u8 leg;			/* leg currently serving the read */
	u8 tried;		/* legs the read was sent to */
	bool completed_by_retry;
	/* Writes: clones outstanding and the legs that took the write. */
	atomic_t pending;
	unsigned long targets;
	unsigned long ok_legs;
	blk_status_t error;
	bool unsupported;	/* a leg cannot discard / write zeroes */
	/* The class scheduler's and the shadow's view. */
	u8 op;			/* enum tandem_rule_op */
	u8 cls;
	u8 shadow_mode;		/* enum tandem_shadow_mode: how it is cloned */
	bool confined;		/* routed to the shadow only */
	struct tandem_shadow_cmp *cmp;	/* sampled read: its comparison */
	bool holds_slot;	/* counted in the scheduler's in-flight */
	u32 bytes;		/* size at map time */
	u64 start_ns;		/* map time, for the class latency */
};

/* The operation a rule sees; flushes are empty writes with PREFLUSH. */
static inline enum tandem_rule_op tandem_bio_op(struct bio *bio)
{
	switch (bio_op(bio)) {
	case REQ_OP_READ:
		return TANDEM_OP_READ;
	case REQ_OP_DISCARD:
		return TANDEM_OP_DISCARD;
	default:
		if (!bio_sectors(bio) && (bio->bi_opf & REQ_PREFLUSH))
			return TANDEM_OP_FLUSH;
		return TANDEM_OP_WRITE;
	}
}

static inline struct tandem_io *tandem_io_of(struct bio *bio)
{
	return dm_per_bio_data(bio, sizeof(struct tandem_io));
}

static inline unsigned long tandem_all_legs(struct tandem_c *tc)
{
	return (1UL << tc->nr_legs) - 1;
}

static inline bool tandem_leg_healthy(struct tandem_c *tc, unsigned int leg)
{
	return READ_ONCE(tc->healthy) & (1UL << leg);
}

/* Caller holds state_lock: recompute readable after healthy or regions changed. */
static inline void __tandem_update_readable(struct tandem_c *tc)
{
	WRITE_ONCE(tc->readable,
		   tc->healthy & ~__tandem_legs_syncing(&tc->regions));
}

/*
 * Synchronous I/O through a dm-io client: @count sectors at @sector of
 * @bdev, from or into @mem (an empty flush if @count is 0).
 */
static inline int tandem_dm_io(struct dm_io_client *client,
			       struct block_device *bdev, blk_opf_t opf,
			       sector_t sector, sector_t count,
			       enum dm_io_mem_type mem_type, void *mem)
{
	struct dm_io_region where = {
		.bdev = bdev,
		.sector = sector,
		.count = count,
	};
	struct dm_io_request req = {
		.bi_opf = opf,
		.mem.type = mem_type,
		.client = client,
	};
	unsigned long error_bits = 0;

	if (mem_type == DM_IO_VMA)
		req.mem.ptr.vma = mem;
	else
		req.mem.ptr.addr = mem;
	return dm_io(&req, 1, &where, &error_bits, IOPRIO_DEFAULT);
}

/* tandem-leg.c: may be called from any context unless noted. */
int tandem_legs_init(struct tandem_c *tc);
void tandem_legs_exit(struct tandem_c *tc);
void tandem_raise_event(struct tandem_c *tc);
/*
 * Record a failed write on @leg to @region (TANDEM_NO_REGION: an empty
 * flush).  Fails the leg if another healthy leg is in sync; otherwise the
 * leg stays the reference and the other legs are marked out of sync there.
 */
void tandem_leg_write_error(struct tandem_c *tc, unsigned int leg,
			    unsigned long region);
/* Record a failed read on @leg; fails it after TANDEM_MAX_READ_ERRORS, if it may be. */
void tandem_leg_read_error(struct tandem_c *tc, unsigned int leg);
/* Message handlers: process context, msg_lock held.  0 or -EINVAL with *error set. */
int tandem_leg_fail(struct tandem_c *tc, unsigned int leg, const char **error);
int tandem_leg_reinstate(struct tandem_c *tc, unsigned int leg,
			 const char **error);
void tandem_leg_counts(struct tandem_c *tc, unsigned int leg,
		       struct tandem_leg_stats *sum);
void tandem_stats_reset(struct tandem_c *tc);
char tandem_leg_state_char(struct tandem_c *tc, unsigned int leg);

/* tandem-io.c */
int tandem_io_init(struct tandem_c *tc);
void tandem_io_exit(struct tandem_c *tc);
int tandem_map(struct dm_target *ti, struct bio *bio);
/* Fan a mapped write out to the legs, or park it behind a region copy. */
void tandem_write_submit(struct tandem_c *tc, struct bio *bio);
int tandem_end_io(struct dm_target *ti, struct bio *bio, blk_status_t *error);
/* A write clone (or the shadow's, in sync mode) is done with @bio. */
void tandem_write_put(struct tandem_c *tc, struct bio *bio);
/* Send on a bio the class scheduler held back (its map returned SUBMITTED). */
void tandem_io_dispatch(struct tandem_c *tc, struct bio *bio);

#endif /* TANDEM_CORE_H */
