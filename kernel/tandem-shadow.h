/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow: production bios cloned to a replica device (sampled), bios
 * of route=shadow rules confined to it, and the figures that compare the
 * two sides.
 */
#ifndef TANDEM_SHADOW_H
#define TANDEM_SHADOW_H

#include <linux/bio.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "tandem-fairq.h"
#include "tandem-parse.h"
#include "tandem-rule.h"

struct dm_dev;
struct tandem_c;
struct tandem_io;

enum tandem_shadow_side {
	TANDEM_SIDE_PRODUCTION,
	TANDEM_SIDE_SHADOW,
	TANDEM_NR_SIDES,
};

/* Count, errors and latency of one operation on one side. */
struct tandem_op_figures {
	u64 count;
	u64 errors;
	u64 lat[TANDEM_LAT_BUCKETS];
};

/* Per-CPU. */
struct tandem_shadow_stats {
	struct tandem_op_figures op[TANDEM_NR_SIDES][TANDEM_NR_OPS];
};

/* The two halves of a sampled read, compared when both are in. */
struct tandem_shadow_cmp {
	atomic_t refs;
	sector_t sector;
	bool ok[TANDEM_NR_SIDES];
	u64 hash[TANDEM_NR_SIDES];
};

struct tandem_shadow_clone {
	struct tandem_c *tc;
	struct bio *orig;		/* sync and gate: the production bio */
	struct tandem_shadow_cmp *cmp;	/* reads */
	u64 start_ns;
	unsigned int nr_pages;		/* pool pages it owns */
	u8 op;				/* enum tandem_rule_op */
	struct bio bio;			/* last: the bio_set front_pad ends here */
};

struct tandem_shadow {
	struct dm_dev *dev;		/* NULL: no shadow */
	u32 mode;			/* enum tandem_shadow_mode; READ_ONCE */
	u32 sample;			/* clone 1 in sample; 0: off; READ_ONCE */
	u32 last_sample;		/* what "shadow on" restores */
	u32 pool_pages;			/* budget of payload copies */
	atomic_t pool_used;		/* pages */
	/* Shadow clones in flight; suspend waits for them. */
	atomic_t in_flight;
	wait_queue_head_t idle;
	unsigned int __percpu *tick;	/* sampling counter */
	struct tandem_shadow_stats __percpu *stats;

	atomic64_t dropped;		/* clones not made: pool or memory */
	atomic64_t gate_failures;	/* production bios failed by the gate */
	atomic64_t compared;		/* sampled reads compared */
	atomic64_t mismatches;		/* ... whose contents differed */
	atomic64_t confined;		/* bios sent to the shadow only */
	atomic64_t confined_errors;	/* ... failed, or refused for lack of a shadow */

	spinlock_t mismatch_lock;
	unsigned int nr_mismatch_sectors;
	sector_t mismatch_sector[TANDEM_SHADOW_MISMATCH_SECTORS];

	struct bio_set bs;
	/* Gate mode: production bios whose shadow clone succeeded. */
	spinlock_t gate_lock;
	struct bio_list gate_passed;
	struct work_struct gate_work;
	/* Async and read-compare clones waiting for the submitter. */
	spinlock_t submit_lock;
	struct bio_list submit_list;
	struct work_struct submit_work;
	struct workqueue_struct *submit_wq;	/* ordered: clones keep their order */
};

int tandem_shadow_init(struct tandem_c *tc,
		       const struct tandem_table_args *args,
		       const char **error);
void tandem_shadow_exit(struct tandem_c *tc);
void tandem_shadow_gate_work(struct work_struct *work);
void tandem_shadow_submit_work(struct work_struct *work);
/* Postsuspend: wait for every shadow clone. */
void tandem_shadow_quiesce(struct tandem_c *tc);

static inline bool tandem_shadow_present(struct tandem_shadow *sh)
{
	return sh->dev;
}

/* Map time: is this production bio one of the 1 in sample cloned? */
bool tandem_shadow_sampled(struct tandem_shadow *sh);

/*
 * Remap a confined bio to the shadow: DM_MAPIO_REMAPPED, or
 * DM_MAPIO_KILL without a shadow.
 */
int tandem_shadow_confine(struct tandem_c *tc, struct bio *bio);

/*
 * Gate mode: send the shadow clone of a sampled write first; the write
 * goes to the legs (tandem_write_submit) only once the clone succeeded.
 */
void tandem_shadow_gate(struct tandem_c *tc, struct bio *bio);

/*
 * A sampled write is fanned out: clone it to the shadow as the mode says.
 * In sync mode the clone's completion calls tandem_write_put(), and
 * io->pending counts it.
 */
void tandem_shadow_write(struct tandem_c *tc, struct bio *bio);

/* A sampled read is sent to a leg: read the shadow too, to compare. */
void tandem_shadow_read(struct tandem_c *tc, struct bio *bio);

/* A bio has completed (end_io): count it on its side, compare a read. */
void tandem_shadow_done(struct tandem_c *tc, struct bio *bio,
			blk_status_t status);

/* Message and output helpers; msg_lock held for the setters. */
int tandem_shadow_message(struct tandem_c *tc, const struct tandem_msg *msg,
			  const char **error);
void tandem_shadow_stats_reset(struct tandem_shadow *sh);
unsigned int tandem_shadow_emit_status(struct tandem_shadow *sh, char *result,
				       unsigned int maxlen, unsigned int sz);
unsigned int tandem_shadow_table_words(struct tandem_shadow *sh);
unsigned int tandem_shadow_emit_table(struct tandem_shadow *sh, char *result,
				      unsigned int maxlen, unsigned int sz);
unsigned int tandem_shadow_emit_stats(struct tandem_shadow *sh, char *result,
				      unsigned int maxlen, unsigned int sz);

#endif /* TANDEM_SHADOW_H */
