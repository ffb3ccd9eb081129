// SPDX-License-Identifier: GPL-2.0
/*
 * Leg health: which legs receive I/O, which have missed writes, per-leg
 * counters, and the dm event that tells userspace a leg changed state.
 *
 * The invariants kept here: the last healthy leg is never failed, and a
 * leg that may lack a write the healthy legs have (or the other way round)
 * is marked diverged and cannot be reinstated without a resync.  A write
 * is acknowledged only when every leg healthy at its completion took it,
 * so the healthy legs always hold every acknowledged write.
 */
#include "tandem-core.h"

static void tandem_event_work(struct work_struct *work)
{
	struct tandem_c *tc = container_of(work, struct tandem_c, event_work);

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
	tc->diverged = 0;

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

/* Caller holds state_lock.  Returns true if the leg was failed now. */
static bool __tandem_fail_leg(struct tandem_c *tc, unsigned int leg)
{
	unsigned long bit = 1UL << leg;

	if (!(tc->healthy & bit) || tc->healthy == bit)
		return false;
	WRITE_ONCE(tc->healthy, tc->healthy & ~bit);
	return true;
}

void tandem_leg_write_error(struct tandem_c *tc, unsigned int leg)
{
	unsigned long flags;
	bool failed;

	atomic64_inc(&tc->legs[leg].write_errors);

	spin_lock_irqsave(&tc->state_lock, flags);
	failed = __tandem_fail_leg(tc, leg);
	if (tc->healthy != (1UL << leg)) {
		tc->diverged |= 1UL << leg;
	} else {
		/*
		 * The last healthy leg stays the reference and the error goes
		 * up.  A failed leg may still have taken this write, so it
		 * no longer matches the reference.
		 */
		tc->diverged |= tandem_all_legs(tc) & ~tc->healthy;
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
	unsigned long bit = 1UL << leg;
	int r = 0;

	spin_lock_irq(&tc->state_lock);
	if (!(tc->healthy & bit)) {
		*error = "Leg is already failed";
		r = -EINVAL;
	} else if (!__tandem_fail_leg(tc, leg)) {
		*error = "Refusing to fail the last healthy leg";
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

/* Caller holds state_lock. */
static int __tandem_reinstate_refused(struct tandem_c *tc, unsigned int leg,
				      const char **error)
{
	unsigned long bit = 1UL << leg;

	if (tc->healthy & bit) {
		*error = "Leg is already healthy";
		return -EINVAL;
	}
	if (tc->diverged & bit) {
		*error = "Leg missed writes while failed and needs a resync, which this device cannot do";
		return -EINVAL;
	}
	return 0;
}

int tandem_leg_reinstate(struct tandem_c *tc, unsigned int leg,
			 const char **error)
{
	int r;

	spin_lock_irq(&tc->state_lock);
	r = __tandem_reinstate_refused(tc, leg, error);
	spin_unlock_irq(&tc->state_lock);
	if (r)
		return r;

	/*
	 * Flushes issued while the leg was out skipped it: make what it
	 * took before it was failed durable before it counts again.
	 */
	if (blkdev_issue_flush(tc->legs[leg].dev->bdev)) {
		*error = "Leg failed to flush its write cache";
		return -EIO;
	}

	/* Check again: a write error may have diverged it meanwhile. */
	spin_lock_irq(&tc->state_lock);
	r = __tandem_reinstate_refused(tc, leg, error);
	if (!r) {
		atomic_set(&tc->legs[leg].recent_read_errors, 0);
		WRITE_ONCE(tc->healthy, tc->healthy | (1UL << leg));
	}
	spin_unlock_irq(&tc->state_lock);

	if (!r) {
		DMINFO("%s: leg %u reinstated",
		       dm_table_device_name(tc->ti->table), leg);
		tandem_raise_event(tc);
	}
	return r;
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
}

char tandem_leg_state_char(struct tandem_c *tc, unsigned int leg)
{
	return tandem_leg_healthy(tc, leg) ? TANDEM_LEG_ALIVE : TANDEM_LEG_DEAD;
}
