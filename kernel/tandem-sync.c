// SPDX-License-Identifier: GPL-2.0
/*
 * The resync engine.  One delayed work item steps through the regions
 * that healthy legs lack: it claims a region (writes to it now wait),
 * waits for the writes already in flight to it, copies it with kcopyd
 * from a leg that has it to every healthy leg that lacks it, then
 * releases the waiting writes and sleeps long enough to keep the copy
 * rate at sync_rate, or a quarter of it while the application is busy.
 *
 * In checksum mode the region is compared block by block instead and only
 * differing blocks are written (tandem-compare.c).  When no region needs
 * a resync, the same claim-and-drain steps carry a verify or repair pass
 * over every region of the readable legs.
 */
#include "tandem-core.h"

/* More application bios than this between two steps means "busy". */
#define TANDEM_SYNC_BUSY_BIOS	64

static struct tandem_c *sync_to_tc(struct tandem_sync *sync)
{
	return container_of(sync, struct tandem_c, sync);
}

void tandem_sync_kick(struct tandem_c *tc)
{
	mod_delayed_work(tc->wq, &tc->sync.work, 0);
}

/* Caller holds state_lock: give up the claimed region, hand back its writes. */
static void __tandem_sync_release(struct tandem_c *tc, struct bio_list *writes)
{
	tc->regions.copying = TANDEM_NO_REGION;
	bio_list_merge(writes, &tc->regions.waiting);
	bio_list_init(&tc->regions.waiting);
}

static void tandem_sync_resubmit(struct tandem_c *tc, struct bio_list *writes)
{
	struct bio *bio;

	while ((bio = bio_list_pop(writes)))
		tandem_write_submit(tc, bio);
}

static u64 tandem_app_bios(struct tandem_c *tc)
{
	struct tandem_leg_stats counts;
	unsigned int leg;
	u64 bios = 0;

	for (leg = 0; leg < tc->nr_legs; leg++) {
		tandem_leg_counts(tc, leg, &counts);
		bios += counts.reads + counts.writes;
	}
	return bios;
}

/* Jiffies to wait after copying @sectors to stay at the allowed rate. */
static unsigned long tandem_sync_delay(struct tandem_c *tc, sector_t sectors)
{
	struct tandem_sync *sync = &tc->sync;
	u64 rate = READ_ONCE(sync->rate);
	u64 bios = tandem_app_bios(tc);

	if (bios - sync->app_io_seen > TANDEM_SYNC_BUSY_BIOS)
		rate = max_t(u64, rate / 4, 1);
	sync->app_io_seen = bios;
	if (!rate)
		return 0;
	return (unsigned long)DIV_ROUND_UP_ULL((u64)(sectors >> 1) * HZ, rate);
}

/*
 * A region copy or check has ended and released the region (@writes: the
 * writes that waited for it): account the legs' errors (bit i of the
 * masks is sync->dest_leg[i]), wake waiters, let the writes go and
 * schedule the next step.
 */
static void tandem_sync_region_done(struct tandem_c *tc, unsigned long region,
				    bool source_read_error,
				    unsigned long dest_read_errors,
				    unsigned long dest_write_errors,
				    struct bio_list *writes)
{
	struct tandem_sync *sync = &tc->sync;
	unsigned int i;

	if (source_read_error)
		tandem_leg_read_error(tc, sync->source_leg);
	for (i = 0; i < sync->nr_dests; i++) {
		if (dest_read_errors & (1UL << i))
			tandem_leg_read_error(tc, sync->dest_leg[i]);
		if (dest_write_errors & (1UL << i))
			tandem_leg_write_error(tc, sync->dest_leg[i], region);
	}
	wake_up_all(&sync->idle_wait);
	tandem_sync_resubmit(tc, writes);
	queue_delayed_work(tc->wq, &sync->work,
			   tandem_sync_delay(tc, sync->sectors));
}

static void tandem_sync_copy_done(int read_err, unsigned long write_err,
				  void *context)
{
	struct tandem_c *tc = context;
	struct tandem_sync *sync = &tc->sync;
	unsigned long region;
	struct bio_list writes;
	unsigned int i;

	bio_list_init(&writes);
	spin_lock_irq(&tc->state_lock);
	region = tc->regions.copying;
	for (i = 0; i < sync->nr_dests; i++) {
		if (!read_err && !(write_err & (1UL << i)))
			__tandem_region_clear(&tc->regions, sync->dest_leg[i],
					      region);
	}
	__tandem_update_readable(tc);
	__tandem_sync_release(tc, &writes);
	sync->copy_running = false;
	spin_unlock_irq(&tc->state_lock);

	if (!read_err) {
		atomic64_inc(&sync->regions_copied);
		atomic64_add(sync->sectors, &sync->sectors_copied);
	}
	tandem_sync_region_done(tc, region, read_err, 0, write_err, &writes);
}

/* Caller holds state_lock.  The lowest healthy leg that has @region, or -1. */
static int __tandem_sync_source(struct tandem_c *tc, unsigned long region)
{
	unsigned int leg;

	for (leg = 0; leg < tc->nr_legs; leg++)
		if ((tc->healthy & (1UL << leg)) &&
		    tandem_region_in_sync(&tc->regions, leg, region))
			return leg;
	return -1;
}

/*
 * Caller holds state_lock and has claimed a region with no write in
 * flight.  Sets up the copy; false if there is nothing to copy it to.
 */
static bool __tandem_sync_prepare(struct tandem_c *tc, unsigned long region)
{
	struct tandem_sync *sync = &tc->sync;
	sector_t start = tandem_region_start(&tc->regions, region);
	int source = __tandem_sync_source(tc, region);
	unsigned int leg;

	sync->nr_dests = 0;
	if (source < 0)
		return false;
	for (leg = 0; leg < tc->nr_legs; leg++)
		if ((tc->healthy & (1UL << leg)) &&
		    !tandem_region_in_sync(&tc->regions, leg, region))
			sync->dest_leg[sync->nr_dests++] = leg;
	if (!sync->nr_dests)
		return false;

	sync->source_leg = source;
	sync->sectors = min_t(sector_t, tc->region_sectors,
			      tc->ti->len - start);
	sync->copy_running = true;
	return true;
}

static void tandem_sync_issue(struct tandem_c *tc, unsigned long region)
{
	struct tandem_sync *sync = &tc->sync;
	struct dm_io_region from, to[TANDEM_MAX_LEGS];
	sector_t start = tandem_region_start(&tc->regions, region);
	unsigned int i;

	from.bdev = tc->legs[sync->source_leg].dev->bdev;
	from.sector = start;
	from.count = sync->sectors;
	for (i = 0; i < sync->nr_dests; i++) {
		to[i].bdev = tc->legs[sync->dest_leg[i]].dev->bdev;
		to[i].sector = start;
		to[i].count = sync->sectors;
	}
	dm_kcopyd_copy(sync->kcopyd, &from, sync->nr_dests, to, 0,
		       tandem_sync_copy_done, tc);
}

/* Bring the prepared region over block by block (checksum mode). */
static void tandem_sync_by_checksum(struct tandem_c *tc, unsigned long region)
{
	struct tandem_sync *sync = &tc->sync;
	struct tandem_compare_job job = {
		.source = sync->source_leg,
		.nr_others = sync->nr_dests,
		.by_checksum = true,
		.fix = true,
	};

	memcpy(job.other, sync->dest_leg, sizeof(job.other));
	tandem_compare_region(tc, tandem_region_start(&tc->regions, region),
			      sync->sectors, &job);
	atomic64_add(job.blocks_compared, &sync->blocks_compared);
	atomic64_add(job.blocks_differing, &sync->blocks_copied);
	/* A target leg that cannot be read is as broken as one not written. */
	tandem_sync_copy_done(job.read_error,
			      job.write_errors | job.read_errors, tc);
}

/* Caller holds state_lock: set up the check of @region; false if none. */
static bool __tandem_check_prepare(struct tandem_c *tc)
{
	struct tandem_sync *sync = &tc->sync;
	unsigned long readable = READ_ONCE(tc->readable);
	unsigned long region = tc->regions.copying;
	unsigned int leg;

	if (hweight_long(readable) < 2)
		return false;
	sync->source_leg = __ffs(readable);
	sync->nr_dests = 0;
	for (leg = sync->source_leg + 1; leg < tc->nr_legs; leg++)
		if (readable & (1UL << leg))
			sync->dest_leg[sync->nr_dests++] = leg;
	sync->sectors = min_t(sector_t, tc->region_sectors,
			      tc->ti->len - tandem_region_start(&tc->regions,
								region));
	sync->copy_running = true;
	return true;
}

/* Compare the claimed region for the verify or repair pass. */
static void tandem_check_region(struct tandem_c *tc, unsigned long region)
{
	struct tandem_sync *sync = &tc->sync;
	struct tandem_compare_job job = {
		.source = sync->source_leg,
		.nr_others = sync->nr_dests,
		.fix = sync->check == TANDEM_CHECK_REPAIR_PASS,
	};
	struct bio_list writes;
	bool finished;

	memcpy(job.other, sync->dest_leg, sizeof(job.other));
	tandem_compare_region(tc, tandem_region_start(&tc->regions, region),
			      sync->sectors, &job);

	bio_list_init(&writes);
	spin_lock_irq(&tc->state_lock);
	sync->check_mismatches += job.blocks_differing;
	sync->check_cursor = region + 1;
	finished = sync->check_cursor >= tc->regions.nr_regions;
	if (finished)
		sync->check = TANDEM_CHECK_NONE;
	__tandem_sync_release(tc, &writes);
	sync->copy_running = false;
	spin_unlock_irq(&tc->state_lock);

	if (finished) {
		DMINFO("%s: %s finished: %llu differing blocks",
		       dm_table_device_name(tc->ti->table),
		       job.fix ? "repair" : "verify", sync->check_mismatches);
		tandem_raise_event(tc);
	}
	tandem_sync_region_done(tc, region, job.read_error, job.read_errors,
				job.write_errors, &writes);
}

static void tandem_sync_step(struct work_struct *work)
{
	struct tandem_sync *sync = container_of(to_delayed_work(work),
						struct tandem_sync, work);
	struct tandem_c *tc = sync_to_tc(sync);
	struct tandem_regions *rg = &tc->regions;
	unsigned long region;
	struct bio_list writes;
	bool finished = false, issue = false, check = false;

	bio_list_init(&writes);
	spin_lock_irq(&tc->state_lock);
	if (sync->copy_running)
		goto out;
	if (sync->stopped || !READ_ONCE(sync->rate)) {
		/* Paused while waiting for a region to drain: let go of it. */
		if (rg->copying != TANDEM_NO_REGION)
			__tandem_sync_release(tc, &writes);
		goto out;
	}

	region = rg->copying;
	if (region == TANDEM_NO_REGION) {
		region = __tandem_region_next_out_of_sync(rg, tc->healthy,
							  sync->cursor);
		sync->claim_is_check = false;
		if (region == TANDEM_NO_REGION) {
			finished = sync->active;
			sync->active = false;
			if (sync->check == TANDEM_CHECK_NONE)
				goto out;
			region = sync->check_cursor;
			sync->claim_is_check = true;
		} else {
			sync->active = true;
		}
		rg->copying = region;
	}
	/* The last of these writes to complete kicks us again. */
	if (rg->writes_in_flight[region])
		goto out;

	if (sync->claim_is_check) {
		check = __tandem_check_prepare(tc);
		if (!check) {
			/* Fewer than two readable legs: nothing to compare. */
			sync->check = TANDEM_CHECK_NONE;
			__tandem_sync_release(tc, &writes);
		}
		goto out;
	}
	sync->cursor = region + 1 < rg->nr_regions ? region + 1 : 0;
	issue = __tandem_sync_prepare(tc, region);
	if (!issue) {
		__tandem_sync_release(tc, &writes);
		/* Legs changed under us: look again. */
		queue_delayed_work(tc->wq, &sync->work, 0);
	}
out:
	spin_unlock_irq(&tc->state_lock);

	tandem_sync_resubmit(tc, &writes);
	if (finished) {
		DMINFO("%s: resync finished",
		       dm_table_device_name(tc->ti->table));
		tandem_raise_event(tc);
	}
	if (check)
		tandem_check_region(tc, region);
	else if (issue && READ_ONCE(sync->checksum))
		tandem_sync_by_checksum(tc, region);
	else if (issue)
		tandem_sync_issue(tc, region);
}

int tandem_sync_init(struct tandem_c *tc, u32 rate)
{
	struct tandem_sync *sync = &tc->sync;

	INIT_DELAYED_WORK(&sync->work, tandem_sync_step);
	init_waitqueue_head(&sync->idle_wait);
	sync->rate = rate;
	sync->stopped = true;
	atomic64_set(&sync->regions_copied, 0);
	atomic64_set(&sync->sectors_copied, 0);
	atomic64_set(&sync->blocks_compared, 0);
	atomic64_set(&sync->blocks_copied, 0);

	sync->kcopyd = dm_kcopyd_client_create(NULL);
	if (IS_ERR(sync->kcopyd)) {
		int r = PTR_ERR(sync->kcopyd);

		sync->kcopyd = NULL;
		return r;
	}
	return 0;
}

void tandem_sync_exit(struct tandem_c *tc)
{
	if (tc->sync.kcopyd)
		dm_kcopyd_client_destroy(tc->sync.kcopyd);
}

static bool tandem_sync_copy_idle(struct tandem_c *tc)
{
	bool idle;

	spin_lock_irq(&tc->state_lock);
	idle = !tc->sync.copy_running;
	spin_unlock_irq(&tc->state_lock);
	return idle;
}

void tandem_sync_stop(struct tandem_c *tc)
{
	struct tandem_sync *sync = &tc->sync;
	struct bio_list writes;

	spin_lock_irq(&tc->state_lock);
	sync->stopped = true;
	spin_unlock_irq(&tc->state_lock);

	/* copy_done may queue the work again: cancel after the copy ended. */
	wait_event(sync->idle_wait, tandem_sync_copy_idle(tc));
	cancel_delayed_work_sync(&sync->work);

	/* A region claimed but not yet copied: let its writes go. */
	bio_list_init(&writes);
	spin_lock_irq(&tc->state_lock);
	if (!sync->copy_running)
		__tandem_sync_release(tc, &writes);
	spin_unlock_irq(&tc->state_lock);
	tandem_sync_resubmit(tc, &writes);
}

void tandem_sync_start(struct tandem_c *tc)
{
	spin_lock_irq(&tc->state_lock);
	tc->sync.stopped = false;
	spin_unlock_irq(&tc->state_lock);
	tandem_sync_kick(tc);
}

void tandem_sync_set_rate(struct tandem_c *tc, u32 rate)
{
	WRITE_ONCE(tc->sync.rate, rate);
	tandem_sync_kick(tc);
}

void tandem_sync_set_checksum(struct tandem_c *tc, bool checksum)
{
	WRITE_ONCE(tc->sync.checksum, checksum);
}

int tandem_sync_check(struct tandem_c *tc, bool repair, const char **error)
{
	struct tandem_sync *sync = &tc->sync;
	int r = 0;

	spin_lock_irq(&tc->state_lock);
	if (sync->check != TANDEM_CHECK_NONE) {
		*error = "A verify or repair is already running";
		r = -EBUSY;
	} else if (hweight_long(tc->readable) < 2) {
		*error = "Fewer than two legs in sync: nothing to compare";
		r = -EINVAL;
	} else {
		sync->check = repair ? TANDEM_CHECK_REPAIR_PASS :
				       TANDEM_CHECK_VERIFY_PASS;
		sync->check_cursor = 0;
		sync->check_mismatches = 0;
	}
	spin_unlock_irq(&tc->state_lock);
	if (!r)
		tandem_sync_kick(tc);
	return r;
}

const char *__tandem_check_action(struct tandem_c *tc)
{
	switch (tc->sync.check) {
	case TANDEM_CHECK_VERIFY_PASS:
		return TANDEM_CHECK_VERIFY;
	case TANDEM_CHECK_REPAIR_PASS:
		return TANDEM_CHECK_REPAIR;
	default:
		return TANDEM_CHECK_IDLE;
	}
}

const char *__tandem_sync_action(struct tandem_c *tc)
{
	if (!(tc->healthy & __tandem_legs_syncing(&tc->regions)))
		return TANDEM_SYNC_IDLE;
	if (!READ_ONCE(tc->sync.rate))
		return TANDEM_SYNC_PAUSED;
	return TANDEM_SYNC_RESYNC;
}
