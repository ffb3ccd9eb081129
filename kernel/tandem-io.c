// SPDX-License-Identifier: GPL-2.0
/*
 * The data path.
 *
 * Writes, flushes, discards and write-zeroes are cloned to every healthy
 * leg in parallel; the original completes when all clones have, and
 * succeeds if every leg still healthy took it.  Each write is counted in
 * flight on its region, and waits while the resync engine copies it.
 *
 * A read is remapped to one readable leg (healthy, every region in sync)
 * picked by smooth weighted round robin.  If it fails, its iterator (saved at map time) is restored and a
 * clone is sent to another healthy leg from the retry work item, until a
 * leg succeeds or none is left.
 */
#include "tandem-core.h"

struct tandem_clone {
	u8 leg;
	struct bio bio;		/* last: the bio_set front_pad ends here */
};

static struct tandem_clone *to_tandem_clone(struct bio *clone)
{
	return container_of(clone, struct tandem_clone, bio);
}

/*
 * Clone @bio for @leg.  Never fails: GFP_NOIO waits on the bio_set's
 * mempool, whose rescuer keeps it moving.
 */
static struct bio *tandem_clone_to(struct tandem_c *tc, struct bio *bio,
				   unsigned int leg, bio_end_io_t *end_io)
{
	struct bio *clone = bio_alloc_clone(tc->legs[leg].dev->bdev, bio,
					    GFP_NOIO, &tc->bs);

	/* dm core polls only its own clone; ours complete by interrupt. */
	bio_clear_polled(clone);
	to_tandem_clone(clone)->leg = leg;
	clone->bi_private = bio;
	clone->bi_end_io = end_io;
	return clone;
}

/* Pick a readable leg by the read weights, or -1. */
static int tandem_pick_read_leg(struct tandem_c *tc)
{
	unsigned int eligible = READ_ONCE(tc->readable);
	struct tandem_wrr *wrr;
	int leg;

	wrr = get_cpu_ptr(tc->wrr);
	leg = tandem_wrr_pick(wrr, READ_ONCE(tc->read_weights), eligible,
			      tc->nr_legs);
	put_cpu_ptr(tc->wrr);
	return leg;
}

/* ---- writes ---- */

/*
 * Acknowledge the write only if every leg it was sent to that is still
 * healthy took it: then the legs that serve reads agree.  (A healthy leg
 * that failed it could not be failed for it; legs reinstated meanwhile
 * did not get it, but have its region marked out of sync.)
 */
static void tandem_write_done(struct tandem_c *tc, struct bio *bio,
			      struct tandem_io *io)
{
	struct tandem_regions *rg = &tc->regions;
	unsigned long flags, healthy;
	bool drained = false;

	spin_lock_irqsave(&tc->state_lock, flags);
	healthy = tc->healthy;
	if (io->region != TANDEM_NO_REGION &&
	    !--rg->writes_in_flight[io->region])
		drained = rg->copying == io->region;
	spin_unlock_irqrestore(&tc->state_lock, flags);

	if (drained)
		tandem_sync_kick(tc);

	if (io->unsupported)
		bio->bi_status = io->error;
	else if (!(healthy & io->targets & ~io->ok_legs) &&
		 (healthy & io->ok_legs))
		bio->bi_status = BLK_STS_OK;
	else
		bio->bi_status = io->error ? io->error : BLK_STS_IOERR;
	bio_endio(bio);
}

/*
 * A leg that cannot discard or write zeroes is not broken: pass that up,
 * so the caller falls back (blkdev_issue_zeroout writes zero pages).
 */
static bool tandem_op_unsupported(struct bio *bio, blk_status_t status)
{
	enum req_op op = bio_op(bio);

	return (op == REQ_OP_DISCARD || op == REQ_OP_WRITE_ZEROES) &&
	       (status == BLK_STS_NOTSUPP || status == BLK_STS_TARGET);
}

static void tandem_write_endio(struct bio *clone)
{
	unsigned int leg = to_tandem_clone(clone)->leg;
	blk_status_t status = clone->bi_status;
	struct bio *bio = clone->bi_private;
	struct tandem_io *io = tandem_io_of(bio);
	struct tandem_c *tc = io->tc;

	if (!status) {
		set_bit(leg, &io->ok_legs);
	} else if (tandem_op_unsupported(clone, status)) {
		WRITE_ONCE(io->unsupported, true);
		WRITE_ONCE(io->error, status);
	} else {
		tandem_leg_write_error(tc, leg, io->region);
		WRITE_ONCE(io->error, status);
	}
	bio_put(clone);

	tandem_write_put(tc, bio);
}

void tandem_write_put(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_io *io = tandem_io_of(bio);

	if (atomic_dec_and_test(&io->pending))
		tandem_write_done(tc, bio, io);
}

void tandem_write_submit(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_io *io = tandem_io_of(bio);
	struct tandem_regions *rg = &tc->regions;
	unsigned long targets, skipped, flags;
	unsigned long region = TANDEM_NO_REGION;
	struct bio *clone;
	unsigned int leg;

	/* An empty flush carries no data: no region, nothing to miss. */
	if (bio_sectors(bio))
		region = tandem_region_of(rg, bio->bi_iter.bi_sector);

	/*
	 * Choose the legs, mark the region out of sync on the ones skipped
	 * and count the write in flight in one step, so neither a reinstate
	 * nor the resync engine can slip in between.
	 */
	spin_lock_irqsave(&tc->state_lock, flags);
	if (region != TANDEM_NO_REGION) {
		if (region == rg->copying) {
			bio_list_add(&rg->waiting, bio);
			spin_unlock_irqrestore(&tc->state_lock, flags);
			return;
		}
		switch (__tandem_md_intent(tc, region)) {
		case TANDEM_MD_GO:
			break;
		case TANDEM_MD_WAIT:
			bio_list_add(&tc->md.waiting, bio);
			spin_unlock_irqrestore(&tc->state_lock, flags);
			tandem_md_kick(tc);
			return;
		case TANDEM_MD_FAIL:
			spin_unlock_irqrestore(&tc->state_lock, flags);
			bio_io_error(bio);
			return;
		}
	}
	targets = tc->healthy;
	if (region != TANDEM_NO_REGION) {
		skipped = tandem_all_legs(tc) & ~targets;
		for_each_set_bit(leg, &skipped, tc->nr_legs)
			__tandem_region_mark(rg, leg, region);
		rg->writes_in_flight[region]++;
	}
	spin_unlock_irqrestore(&tc->state_lock, flags);

	io->region = region;
	io->targets = targets;
	io->unsupported = false;
	io->ok_legs = 0;
	io->error = BLK_STS_OK;
	/* In sync mode the shadow's clone holds the write back too. */
	atomic_set(&io->pending, hweight_long(targets) +
		   (io->shadow_mode == TANDEM_SHADOW_MODE_SYNC));

	/*
	 * Submit each clone as soon as it is allocated: a clone still held
	 * here could not be punted to the bio_set's rescuer, and a later
	 * allocation could then wait on the mempool forever.  pending
	 * already counts every clone, so none can complete the original.
	 */
	for_each_set_bit(leg, &targets, tc->nr_legs) {
		clone = tandem_clone_to(tc, bio, leg, tandem_write_endio);
		this_cpu_inc(tc->legs[leg].stats->writes);
		submit_bio_noacct(clone);
	}
	if (io->shadow_mode != TANDEM_SHADOW_MODE_NONE)
		tandem_shadow_write(tc, bio);
}

/* ---- reads ---- */

static int tandem_map_read(struct tandem_c *tc, struct bio *bio,
			   struct tandem_io *io)
{
	int leg = tandem_pick_read_leg(tc);

	if (leg < 0)
		return DM_MAPIO_KILL;

	io->is_read = true;
	io->completed_by_retry = false;
	io->leg = leg;
	io->tried = 1U << leg;
	io->error = BLK_STS_OK;
	io->iter = bio->bi_iter;

	bio_set_dev(bio, tc->legs[leg].dev->bdev);
	this_cpu_inc(tc->legs[leg].stats->reads);
	return DM_MAPIO_REMAPPED;
}

static void tandem_queue_retry(struct tandem_c *tc, struct bio *bio)
{
	unsigned long flags;

	spin_lock_irqsave(&tc->retry_lock, flags);
	bio_list_add(&tc->retry_bios, bio);
	spin_unlock_irqrestore(&tc->retry_lock, flags);
	queue_work(tc->wq, &tc->retry_work);
}

static void tandem_read_complete(struct bio *bio, blk_status_t status)
{
	struct tandem_io *io = tandem_io_of(bio);

	io->completed_by_retry = true;
	bio->bi_status = status;
	bio_endio(bio);
}

/* A read failed on io->leg: retry it elsewhere if a leg is left. */
static bool tandem_read_failed(struct tandem_c *tc, struct bio *bio,
			       blk_status_t status)
{
	struct tandem_io *io = tandem_io_of(bio);

	io->error = status;
	tandem_leg_read_error(tc, io->leg);
	if (!(READ_ONCE(tc->readable) & ~(unsigned long)io->tried))
		return false;
	tandem_queue_retry(tc, bio);
	return true;
}

static void tandem_retry_endio(struct bio *clone)
{
	blk_status_t status = clone->bi_status;
	struct bio *bio = clone->bi_private;
	struct tandem_io *io = tandem_io_of(bio);

	bio_put(clone);

	if (!status)
		tandem_read_complete(bio, BLK_STS_OK);
	else if (!tandem_read_failed(io->tc, bio, status))
		tandem_read_complete(bio, status);
}

static void tandem_retry_read(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_io *io = tandem_io_of(bio);
	struct bio *clone;
	int leg;

	/*
	 * A stateless choice, so retries do not disturb the round robin
	 * that spreads first reads by weight.
	 */
	leg = tandem_wrr_fallback(READ_ONCE(tc->read_weights),
				  READ_ONCE(tc->readable) & ~(unsigned long)io->tried,
				  tc->nr_legs);
	if (leg < 0) {
		tandem_read_complete(bio, io->error);
		return;
	}
	io->leg = leg;
	io->tried |= 1U << leg;

	/* The lower layer may have advanced the iterator: rewind it. */
	bio->bi_iter = io->iter;
	clone = tandem_clone_to(tc, bio, leg, tandem_retry_endio);
	atomic64_inc(&tc->read_retries);
	this_cpu_inc(tc->legs[leg].stats->reads);
	submit_bio_noacct(clone);
}

static void tandem_retry_work(struct work_struct *work)
{
	struct tandem_c *tc = container_of(work, struct tandem_c, retry_work);
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&tc->retry_lock);
	bios = tc->retry_bios;
	bio_list_init(&tc->retry_bios);
	spin_unlock_irq(&tc->retry_lock);

	while ((bio = bio_list_pop(&bios)))
		tandem_retry_read(tc, bio);
}

/* ---- target hooks ---- */

/* Map a bio the scheduler let go, now or later. */
static int tandem_map_bio(struct tandem_c *tc, struct bio *bio,
			  struct tandem_io *io)
{
	int r;

	if (io->confined)
		return tandem_shadow_confine(tc, bio);

	switch (bio_op(bio)) {
	case REQ_OP_READ:
		r = tandem_map_read(tc, bio, io);
		if (r == DM_MAPIO_REMAPPED &&
		    io->shadow_mode != TANDEM_SHADOW_MODE_NONE)
			tandem_shadow_read(tc, bio);
		return r;
	case REQ_OP_WRITE:
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		if (io->shadow_mode == TANDEM_SHADOW_MODE_GATE)
			tandem_shadow_gate(tc, bio);
		else
			tandem_write_submit(tc, bio);
		return DM_MAPIO_SUBMITTED;
	default:
		return DM_MAPIO_KILL;
	}
}

/*
 * Reads and writes never cross a region (max_io_len); discards and
 * write-zeroes may: take the part in this region, dm core sends the
 * rest as a new bio.  Only possible from map.
 */
static void tandem_trim_to_region(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_regions *rg = &tc->regions;
	sector_t sector = bio->bi_iter.bi_sector;
	sector_t region_end;

	if (!bio_sectors(bio))
		return;
	region_end = tandem_region_start(rg, tandem_region_of(rg, sector) + 1);
	if (bio_end_sector(bio) > region_end)
		dm_accept_partial_bio(bio, region_end - sector);
}

int tandem_map(struct dm_target *ti, struct bio *bio)
{
	struct tandem_c *tc = ti->private;
	struct tandem_io *io = tandem_io_of(bio);
	int r;

	io->tc = tc;
	io->is_read = false;
	io->confined = false;
	io->cmp = NULL;
	bio->bi_iter.bi_sector = dm_target_offset(ti, bio->bi_iter.bi_sector);
	if (bio_op(bio) != REQ_OP_READ)
		tandem_trim_to_region(tc, bio);
	io->op = tandem_bio_op(bio);

	if (!tandem_sched_admit(tc, bio, io))
		return DM_MAPIO_SUBMITTED;

	r = tandem_map_bio(tc, bio, io);
	/* dm core ends a killed bio without calling end_io. */
	if (r == DM_MAPIO_KILL) {
		tandem_shadow_done(tc, bio, BLK_STS_IOERR);
		tandem_sched_done(tc, io);
	}
	return r;
}

void tandem_io_dispatch(struct tandem_c *tc, struct bio *bio)
{
	switch (tandem_map_bio(tc, bio, tandem_io_of(bio))) {
	case DM_MAPIO_REMAPPED:
		/* Nobody polls a bio sent from here: complete by interrupt. */
		bio_clear_polled(bio);
		dm_submit_bio_remap(bio, NULL);
		break;
	case DM_MAPIO_KILL:
		bio_io_error(bio);
		break;
	}
}

static int tandem_read_end_io(struct tandem_c *tc, struct bio *bio,
			      struct tandem_io *io, blk_status_t *error)
{
	/* Writes and retried reads were completed by our own clones. */
	if (!io->is_read || io->completed_by_retry || !*error)
		return DM_ENDIO_DONE;

	/* Read-ahead may fail; the caller reads again if it needs the data. */
	if (bio->bi_opf & REQ_RAHEAD)
		return DM_ENDIO_DONE;

	if (tandem_read_failed(tc, bio, *error))
		return DM_ENDIO_INCOMPLETE;
	return DM_ENDIO_DONE;
}

int tandem_end_io(struct dm_target *ti, struct bio *bio, blk_status_t *error)
{
	struct tandem_c *tc = ti->private;
	struct tandem_io *io = tandem_io_of(bio);
	int r = tandem_read_end_io(tc, bio, io, error);

	if (r == DM_ENDIO_DONE) {
		tandem_shadow_done(tc, bio, *error);
		tandem_sched_done(tc, io);
	}
	return r;
}

int tandem_io_init(struct tandem_c *tc)
{
	int r;

	spin_lock_init(&tc->retry_lock);
	bio_list_init(&tc->retry_bios);
	INIT_WORK(&tc->retry_work, tandem_retry_work);
	atomic64_set(&tc->read_retries, 0);

	tc->wrr = alloc_percpu(struct tandem_wrr);
	if (!tc->wrr)
		return -ENOMEM;

	/* The rescuer submits clones parked on current->bio_list under pressure. */
	r = bioset_init(&tc->bs, BIO_POOL_SIZE * TANDEM_MAX_LEGS,
			offsetof(struct tandem_clone, bio), BIOSET_NEED_RESCUER);
	if (r)
		return r;
	return 0;
}

void tandem_io_exit(struct tandem_c *tc)
{
	bioset_exit(&tc->bs);
	free_percpu(tc->wrr);
}
