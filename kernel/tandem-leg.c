// SPDX-License-Identifier: GPL-2.0
/*
 * Leg health: which legs receive I/O, per-leg counters, and the dm event
 * that tells userspace a leg changed state.
 *
 * The invariants kept here: a leg is failed only while another healthy
 * leg has every region in sync, so some healthy leg always holds all the
 * data; a leg that may lack a write the others have is marked out of
 * sync for that region; and a write is acknowledged only when every leg
 * healthy at its completion took it (tandem-io.c).
 */
#include "tandem-core.h"

static void tandem_event_work(struct work_struct *work)
{
	struct tandem_c *tc = container_of(work, struct tandem_c, event_work);

	tandem_md_legs_changed(tc);
	dm_table_event(tc->ti->table);
}

void tandem_raise_event(struct tandem_c *tc)
{
	queue_work(tc->wq, &tc->event_work);
}

int tandem_legs_init(struct tandem_c *tc)
{
	unsigned int i;

	spin_lock_init(&tc->state_lock);
	INIT_WORK(&tc->event_work, tandem_event_work);
	tc->healthy = tandem_all_legs(tc);

	for (i = 0; i < tc->nr_legs; i++) {
		struct tandem_leg *leg = &tc->legs[i];

		leg->stats = alloc_percpu(struct tandem_leg_stats);
		if (!leg->stats)
			return -ENOMEM;
		atomic64_set(&leg->read_errors, 0);
		atomic64_set(&leg->write_errors, 0);
		atomic_set(&leg->recent_read_errors, 0);
	}
	return 0;
}

void tandem_legs_exit(struct tandem_c *tc)
{
	unsigned int i;

	for (i = 0; i < tc->nr_legs; i++)
		free_percpu(tc->legs[i].stats);
}

/* Caller holds state_lock: may @leg fail without taking data with it? */
static bool __tandem_may_fail(struct tandem_c *tc, unsigned int leg)
{
	unsigned long others = tc->healthy & ~(1UL << leg);

	return (tc->healthy & (1UL << leg)) &&
	       (others & ~__tandem_legs_syncing(&tc->regions));
}

/* Caller holds state_lock.  Returns true if the leg was failed now. */
static bool __tandem_fail_leg(struct tandem_c *tc, unsigned int leg)
{
	if (!__tandem_may_fail(tc, leg))
		return false;
	WRITE_ONCE(tc->healthy, tc->healthy & ~(1UL << leg));
	__tandem_update_readable(tc);
	return true;
}

void tandem_leg_write_error(struct tandem_c *tc, unsigned int leg,
			    unsigned long region)
{
	struct tandem_regions *rg = &tc->regions;
	unsigned long flags;
	unsigned int other;
	bool failed;

	atomic64_inc(&tc->legs[leg].write_errors);

	spin_lock_irqsave(&tc->state_lock, flags);
	failed = __tandem_fail_leg(tc, leg);
	if (region != TANDEM_NO_REGION) {
		if (failed || !(tc->healthy & (1UL << leg))) {
			__tandem_region_mark(rg, leg, region);
		} else {
			/*
			 * The leg stays the reference and the error goes up;
			 * the other legs may have taken the write.
			 */
			for (other = 0; other < tc->nr_legs; other++)
				if (other != leg)
					__tandem_region_mark(rg, other, region);
		}
		__tandem_update_readable(tc);
	}
	spin_unlock_irqrestore(&tc->state_lock, flags);

	if (failed) {
		DMERR_LIMIT("%s: leg %u failed on a write error",
			    dm_table_device_name(tc->ti->table), leg);
		tandem_raise_event(tc);
	}
}

void tandem_leg_read_error(struct tandem_c *tc, unsigned int leg)
{
	struct tandem_leg *l = &tc->legs[leg];
	unsigned long flags;
	bool failed = false;

	atomic64_inc(&l->read_errors);
	if (atomic_inc_return(&l->recent_read_errors) >= TANDEM_MAX_READ_ERRORS) {
		spin_lock_irqsave(&tc->state_lock, flags);
		failed = __tandem_fail_leg(tc, leg);
		spin_unlock_irqrestore(&tc->state_lock, flags);
	}

	if (failed)
		DMERR_LIMIT("%s: leg %u failed after %u read errors",
			    dm_table_device_name(tc->ti->table), leg,
			    TANDEM_MAX_READ_ERRORS);
	/* A read error is news for userspace even when the leg stays in. */
	tandem_raise_event(tc);
}

int tandem_leg_fail(struct tandem_c *tc, unsigned int leg, const char **error)
{
	int r = 0;

	spin_lock_irq(&tc->state_lock);
	if (!(tc->healthy & (1UL << leg))) {
		*error = "Leg is already failed";
		r = -EINVAL;
	} else if (!__tandem_fail_leg(tc, leg)) {
		*error = "Refusing to fail the last healthy leg with every region in sync";
		r = -EINVAL;
	}
	spin_unlock_irq(&tc->state_lock);

	if (!r) {
		DMINFO("%s: leg %u failed by request",
		       dm_table_device_name(tc->ti->table), leg);
		tandem_raise_event(tc);
	}
	return r;
}

/*
 * A reinstated leg receives writes at once and serves reads once the
 * resync has copied every region it missed.
 */
int tandem_leg_reinstate(struct tandem_c *tc, unsigned int leg,
			 const char **error)
{
	unsigned long missed;

	if (tandem_leg_healthy(tc, leg)) {
		*error = "Leg is already healthy";
		return -EINVAL;
	}
	/*
	 * Flushes issued while the leg was out skipped it: make what it
	 * took before it was failed durable before it counts again.
	 */
	if (blkdev_issue_flush(tc->legs[leg].dev->bdev)) {
		*error = "Leg failed to flush its write cache";
		return -EIO;
	}

	spin_lock_irq(&tc->state_lock);
	atomic_set(&tc->legs[leg].recent_read_errors, 0);
	WRITE_ONCE(tc->healthy, tc->healthy | (1UL << leg));
	__tandem_update_readable(tc);
	missed = tc->regions.nr_out_of_sync[leg];
	spin_unlock_irq(&tc->state_lock);

	DMINFO("%s: leg %u reinstated, %lu regions to resync",
	       dm_table_device_name(tc->ti->table), leg, missed);
	tandem_sync_kick(tc);
	tandem_raise_event(tc);
	return 0;
}

void tandem_leg_counts(struct tandem_c *tc, unsigned int leg,
		       struct tandem_leg_stats *sum)
{
	int cpu;

	sum->reads = 0;
	sum->writes = 0;
	for_each_possible_cpu(cpu) {
		struct tandem_leg_stats *s = per_cpu_ptr(tc->legs[leg].stats, cpu);

		sum->reads += READ_ONCE(s->reads);
		sum->writes += READ_ONCE(s->writes);
	}
}

void tandem_stats_reset(struct tandem_c *tc)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < tc->nr_legs; i++) {
		struct tandem_leg *leg = &tc->legs[i];

		for_each_possible_cpu(cpu) {
			struct tandem_leg_stats *s = per_cpu_ptr(leg->stats, cpu);

			WRITE_ONCE(s->reads, 0);
			WRITE_ONCE(s->writes, 0);
		}
		atomic64_set(&leg->read_errors, 0);
		atomic64_set(&leg->write_errors, 0);
	}
	atomic64_set(&tc->read_retries, 0);
	atomic64_set(&tc->sync.regions_copied, 0);
	atomic64_set(&tc->sync.sectors_copied, 0);
	atomic64_set(&tc->sync.blocks_compared, 0);
	atomic64_set(&tc->sync.blocks_copied, 0);
	/* The resync's busy detector compares against these counters. */
	tc->sync.app_io_seen = 0;
}

char tandem_leg_state_char(struct tandem_c *tc, unsigned int leg)
{
	if (!tandem_leg_healthy(tc, leg))
		return TANDEM_LEG_DEAD;
	if (READ_ONCE(tc->regions.nr_out_of_sync[leg]))
		return TANDEM_LEG_SYNCING;
	return TANDEM_LEG_ALIVE;
}
