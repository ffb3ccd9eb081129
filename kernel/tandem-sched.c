// SPDX-License-Identifier: GPL-2.0
/*
 * Admission and dispatch of the class scheduler.
 *
 * Every mapped bio is classified (tandem-class.c) and counted.  With no
 * queue depth and no limit on its class it goes straight on.  With a
 * queue depth, a bio that finds a free slot and nothing queued takes the
 * slot with one atomic increment and goes on.  Otherwise it joins its
 * class's FIFO, and bios are popped in start-time fair queueing order
 * (tandem-fairq.c) while slots are free and their class has tokens:
 * right away by the bio that queued, and later by the dispatch work that
 * completions and token refills kick.
 *
 * Past the limit a flood would hold every slot, and a class that sends a
 * bio now and then would wait for a completion each time.  So a class
 * leaves one slot free for each class of higher weight that was active in
 * the last TANDEM_RESERVE_MS and has nothing queued or in flight: that
 * class's next bio goes at once, and the flood, which keeps the other
 * slots, loses little.  Backlogged classes share by weight alone.
 *
 * The slot count and the queue count are the two sides of a handshake:
 * a completion drops its slot and then looks for queued bios, a queuer
 * adds its bio and then looks for free slots, each with a full barrier in
 * between, so one of them always sees the other and nothing is stranded.
 */
#include "tandem-core.h"

#define TANDEM_RESERVE_MS	20

static void sched_kick(struct tandem_sched *s)
{
	mod_delayed_work(s->wq, &s->dispatch, 0);
}

/* The slots class @cls must leave free for idle classes of higher weight. */
static u32 sched_reserved(struct tandem_sched *s, unsigned int cls, u32 depth)
{
	unsigned long used = READ_ONCE(s->used), now = jiffies;
	unsigned long window = msecs_to_jiffies(TANDEM_RESERVE_MS);
	u32 weight = READ_ONCE(s->weights[cls]), n = 0;
	unsigned int i;

	for_each_set_bit(i, &used, TANDEM_MAX_CLASSES) {
		struct tandem_class *c = &s->classes[i];

		if (READ_ONCE(s->weights[i]) > weight &&
		    !atomic_read(&c->in_flight) && !READ_ONCE(c->nr_queued) &&
		    time_before(now, READ_ONCE(c->last_active) + window))
			n++;
	}
	return min(n, depth - 1);
}

/* Whether class @cls may take a slot while @in_flight are taken. */
static bool sched_has_room(struct tandem_sched *s, unsigned int cls,
			   u32 depth, u32 in_flight)
{
	if (in_flight >= depth)
		return false;
	/* Far from the limit, no reserve can be in the way. */
	if (in_flight + TANDEM_MAX_CLASSES < depth)
		return true;
	return in_flight < depth - sched_reserved(s, cls, depth);
}

static void sched_take_slot(struct tandem_sched *s, struct tandem_io *io)
{
	atomic_inc(&s->classes[io->cls].in_flight);
	io->holds_slot = true;
}

/* Caller holds s->lock. */
static bool __class_has_tokens(struct tandem_class *c, u64 now)
{
	tandem_bucket_refill(&c->iops, now);
	tandem_bucket_refill(&c->bw, now);
	return tandem_bucket_ready(&c->iops) && tandem_bucket_ready(&c->bw);
}

/* Caller holds s->lock: when the first of classes @throttled may go again. */
static void __arm_refill(struct tandem_sched *s, unsigned long throttled)
{
	u64 wait = U64_MAX;
	unsigned int i;

	for_each_set_bit(i, &throttled, TANDEM_MAX_CLASSES) {
		struct tandem_class *c = &s->classes[i];

		wait = min(wait, max(tandem_bucket_wait_ns(&c->iops),
				     tandem_bucket_wait_ns(&c->bw)));
	}
	if (wait != U64_MAX)
		queue_delayed_work(s->wq, &s->dispatch,
				   max_t(unsigned long, 1,
					 nsecs_to_jiffies(wait)));
}

/*
 * Caller holds s->lock: pop the bios that may go now onto @out, each
 * holding a slot if there is a queue depth.
 */
static void __sched_pop(struct tandem_sched *s, struct bio_list *out)
{
	u32 depth = s->queue_depth;
	u64 now = ktime_get_ns();

	/* Pairs with the barrier in sched_release_slot(). */
	smp_mb();
	while (s->nr_queued) {
		unsigned long eligible = 0, throttled = 0;
		u32 in_flight = atomic_read(&s->in_flight);
		struct tandem_class *c;
		struct tandem_io *io;
		struct bio *bio;
		unsigned int i;
		int cls;

		if (!s->draining && depth && in_flight >= depth)
			return;
		for_each_set_bit(i, &s->backlogged, TANDEM_MAX_CLASSES) {
			if (s->draining) {
				eligible |= BIT(i);
			} else if (!__class_has_tokens(&s->classes[i], now)) {
				throttled |= BIT(i);
			} else if (!depth ||
				   sched_has_room(s, i, depth, in_flight)) {
				eligible |= BIT(i);
			}
		}
		/*
		 * A class kept out by a reserve has slots in flight: their
		 * completions look again.
		 */
		cls = tandem_sfq_pick(&s->sfq, eligible, s->weights);
		if (cls < 0) {
			__arm_refill(s, throttled);
			return;
		}

		c = &s->classes[cls];
		bio = bio_list_pop(&c->queue);
		io = dm_per_bio_data(bio, sizeof(struct tandem_io));
		if (!--c->nr_queued)
			s->backlogged &= ~BIT(cls);
		WRITE_ONCE(s->nr_queued, s->nr_queued - 1);
		tandem_sfq_charge(&s->sfq, cls, s->weights[cls], io->bytes);
		tandem_bucket_take(&c->iops, TANDEM_BUCKET_ONE);
		tandem_bucket_take(&c->bw, tandem_bucket_bw_cost(io->bytes));
		if (depth) {
			atomic_inc(&s->in_flight);
			sched_take_slot(s, io);
		}
		bio_list_add(out, bio);
	}
}

static void sched_release_slot(struct tandem_sched *s)
{
	atomic_dec(&s->in_flight);
	/* Pairs with the barrier in __sched_pop(). */
	smp_mb__after_atomic();
	if (READ_ONCE(s->nr_queued))
		sched_kick(s);
}

/* Send on the popped bios; true if @self was among them. */
static bool sched_send(struct tandem_c *tc, struct bio_list *bios,
		       struct bio *self)
{
	bool found = false;
	struct bio *bio;

	while ((bio = bio_list_pop(bios))) {
		if (bio == self) {
			found = true;
			continue;
		}
		atomic64_inc(&tc->sched.classes[tandem_io_of(bio)->cls].waited);
		tandem_io_dispatch(tc, bio);
	}
	return found;
}

static void sched_dispatch_work(struct work_struct *work)
{
	struct tandem_sched *s = container_of(to_delayed_work(work),
					      struct tandem_sched, dispatch);
	struct tandem_c *tc = container_of(s, struct tandem_c, sched);
	struct bio_list bios = BIO_EMPTY_LIST;

	spin_lock_irq(&s->lock);
	__sched_pop(s, &bios);
	spin_unlock_irq(&s->lock);
	sched_send(tc, &bios, NULL);
}

static void sched_count(struct tandem_class *c, u32 bytes)
{
	struct tandem_class_stats *st = get_cpu_ptr(c->stats);

	st->bios++;
	st->bytes += bytes;
	put_cpu_ptr(c->stats);
}

/* Queue @bio and pop onto @out what may go now, @bio itself perhaps. */
static void sched_enqueue(struct tandem_sched *s, struct bio *bio,
			  struct tandem_io *io, struct bio_list *out)
{
	struct tandem_class *c = &s->classes[io->cls];
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	if (!c->nr_queued) {
		tandem_sfq_activate(&s->sfq, io->cls);
		s->backlogged |= BIT(io->cls);
	}
	if (!__class_has_tokens(c, ktime_get_ns()))
		atomic64_inc(&c->throttled);
	bio_list_add(&c->queue, bio);
	c->nr_queued++;
	WRITE_ONCE(s->nr_queued, s->nr_queued + 1);
	__sched_pop(s, out);
	spin_unlock_irqrestore(&s->lock, flags);
}

bool tandem_sched_admit(struct tandem_c *tc, struct bio *bio,
			struct tandem_io *io)
{
	struct tandem_sched *s = &tc->sched;
	struct bio_list bios = BIO_EMPTY_LIST;
	u32 depth;

	io->bytes = bio->bi_iter.bi_size;
	io->start_ns = ktime_get_ns();
	io->holds_slot = false;

	/*
	 * Classify and queue in one read section, so that a class removal
	 * that waited for a grace period finds every bio an older rule set
	 * sent its way already queued.
	 */
	rcu_read_lock();
	io->cls = tandem_classify(s, bio, io->op, &io->confined);
	/*
	 * Sampled now, before it may be queued and sent from elsewhere;
	 * confined bios are not production and do not count.
	 */
	io->shadow_mode = !io->confined && tandem_shadow_sampled(&tc->shadow) ?
			  READ_ONCE(tc->shadow.mode) : TANDEM_SHADOW_MODE_NONE;
	sched_count(&s->classes[io->cls], io->bytes);

	depth = READ_ONCE(s->queue_depth);
	if (depth) {
		struct tandem_class *c = &s->classes[io->cls];
		unsigned long now = jiffies;

		/* Written once a tick at most: the line is shared. */
		if (READ_ONCE(c->last_active) != now)
			WRITE_ONCE(c->last_active, now);
	}
	if (!(READ_ONCE(s->limited) & BIT(io->cls))) {
		if (!depth) {
			rcu_read_unlock();
			return true;
		}
		if (!READ_ONCE(s->nr_queued)) {
			u32 n = atomic_inc_return(&s->in_flight);

			if (sched_has_room(s, io->cls, depth, n - 1)) {
				sched_take_slot(s, io);
				rcu_read_unlock();
				return true;
			}
			sched_release_slot(s);
		}
	}
	sched_enqueue(s, bio, io, &bios);
	rcu_read_unlock();

	/*
	 * Sending may sleep on a mempool.  In map context the bios sent
	 * here are only added to current->bio_list, and go after this one.
	 */
	return sched_send(tc, &bios, bio);
}

void tandem_sched_done(struct tandem_c *tc, struct tandem_io *io)
{
	struct tandem_sched *s = &tc->sched;
	struct tandem_class_stats *st;

	st = get_cpu_ptr(s->classes[io->cls].stats);
	st->lat[tandem_lat_bucket(ktime_get_ns() - io->start_ns)]++;
	put_cpu_ptr(s->classes[io->cls].stats);

	if (io->holds_slot) {
		io->holds_slot = false;
		atomic_dec(&s->classes[io->cls].in_flight);
		sched_release_slot(s);
	}
}

void tandem_sched_drain(struct tandem_sched *s, bool drain)
{
	spin_lock_irq(&s->lock);
	s->draining = drain;
	spin_unlock_irq(&s->lock);
	if (drain)
		sched_kick(s);
}

void tandem_sched_set_queue_depth(struct tandem_sched *s, u32 depth)
{
	WRITE_ONCE(s->queue_depth, depth);
	sched_kick(s);
}

int tandem_sched_start(struct tandem_sched *s)
{
	INIT_DELAYED_WORK(&s->dispatch, sched_dispatch_work);
	/* Queued bios wait on it: it must run under memory pressure. */
	s->wq = alloc_workqueue("dm-tandem-dispatch",
				WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	return s->wq ? 0 : -ENOMEM;
}

void tandem_sched_stop(struct tandem_sched *s)
{
	if (!s->wq)
		return;
	cancel_delayed_work_sync(&s->dispatch);
	destroy_workqueue(s->wq);
	s->wq = NULL;
}
