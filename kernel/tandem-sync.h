/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The resync engine: copies regions that a healthy leg lacks from a leg
 * that has them, one region at a time, at a bounded rate.  While a region
 * is copied, writes to it wait; the copy starts only once the writes
 * already in flight to it have completed, so no write is lost or
 * overwritten by the copy.
 */
#ifndef TANDEM_SYNC_H
#define TANDEM_SYNC_H

#include <linux/dm-kcopyd.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "tandem-pure.h"

struct tandem_c;

enum tandem_check {
	TANDEM_CHECK_NONE,
	TANDEM_CHECK_VERIFY_PASS,
	TANDEM_CHECK_REPAIR_PASS,
};

struct tandem_sync {
	struct dm_kcopyd_client *kcopyd;
	struct delayed_work work;
	wait_queue_head_t idle_wait;	/* woken when a copy ends */

	u32 rate;			/* KiB/s, 0 pauses; READ_ONCE */
	bool checksum;			/* resync_mode checksum; READ_ONCE */
	/* Under tc->state_lock: */
	bool stopped;			/* suspended: start no new region */
	bool copy_running;		/* a kcopyd job is out */
	bool active;			/* regions were found to copy */
	unsigned long cursor;		/* where the next scan starts */
	bool claim_is_check;		/* the claimed region is for the check */
	enum tandem_check check;	/* verify or repair pass running */
	unsigned long check_cursor;	/* next region the pass compares */
	u64 check_mismatches;		/* differing blocks found by the pass */

	/* The copy out, set up under state_lock while copy_running. */
	unsigned int source_leg;
	unsigned int nr_dests;
	unsigned int dest_leg[TANDEM_MAX_LEGS];
	sector_t sectors;

	u64 app_io_seen;		/* application bios at the last step */
	atomic64_t regions_copied;
	atomic64_t sectors_copied;
	atomic64_t blocks_compared;	/* checksum resync */
	atomic64_t blocks_copied;	/* checksum resync */
};

/* Process context. */
int tandem_sync_init(struct tandem_c *tc, u32 rate);
void tandem_sync_exit(struct tandem_c *tc);
/* Stop starting regions and wait for the one being copied (may sleep). */
void tandem_sync_stop(struct tandem_c *tc);
void tandem_sync_start(struct tandem_c *tc);
void tandem_sync_set_rate(struct tandem_c *tc, u32 rate);
void tandem_sync_set_checksum(struct tandem_c *tc, bool checksum);
/* Start a verify (or repair) pass; -EBUSY if one runs. */
int tandem_sync_check(struct tandem_c *tc, bool repair, const char **error);

/* Any context: look for work now. */
void tandem_sync_kick(struct tandem_c *tc);

/* Caller holds state_lock: TANDEM_SYNC_IDLE, _RESYNC or _PAUSED. */
const char *__tandem_sync_action(struct tandem_c *tc);
/* Caller holds state_lock: TANDEM_CHECK_IDLE, _VERIFY or _REPAIR. */
const char *__tandem_check_action(struct tandem_c *tc);

#endif /* TANDEM_SYNC_H */
