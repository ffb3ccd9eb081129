// SPDX-License-Identifier: GPL-2.0
/*
 * Start-time fair queueing, token buckets and latency histograms of the
 * class scheduler; see tandem-fairq.h.
 */
#include "tandem-fairq.h"

void tandem_sfq_activate(struct tandem_sfq *q, unsigned int cls)
{
	/* No credit for the time a class had nothing to send. */
	if (q->start[cls] < q->vtime)
		q->start[cls] = q->vtime;
}

int tandem_sfq_pick(const struct tandem_sfq *q, unsigned long eligible,
		    const u32 *weights)
{
	int best = -1, best_idle = -1;
	unsigned int cls;

	for (cls = 0; cls < TANDEM_MAX_CLASSES; cls++) {
		if (!(eligible & (1UL << cls)))
			continue;
		if (weights[cls]) {
			if (best < 0 || q->start[cls] < q->start[best])
				best = (int)cls;
		} else if (best_idle < 0 ||
			   q->start[cls] < q->start[best_idle]) {
			best_idle = (int)cls;
		}
	}
	return best >= 0 ? best : best_idle;
}

void tandem_sfq_charge(struct tandem_sfq *q, unsigned int cls, u32 weight,
		       u32 bytes)
{
	u64 units = ((u64)bytes + (1U << TANDEM_SFQ_UNIT_SHIFT) - 1) >>
		    TANDEM_SFQ_UNIT_SHIFT;

	if (!units)
		units = 1;
	/*
	 * Weight-0 classes run only when the weighted ones are idle; they
	 * share among themselves as if weighted 1 and do not move the
	 * virtual time the weighted classes are measured against.
	 */
	if (weight)
		q->vtime = q->start[cls];
	else
		weight = 1;
	q->start[cls] += units * TANDEM_SFQ_SCALE / weight;
}

static s64 bucket_capacity(const struct tandem_bucket *b)
{
	return (s64)(b->rate * TANDEM_BUCKET_BURST_NS);
}

void tandem_bucket_set(struct tandem_bucket *b, u64 rate, u64 now_ns)
{
	b->rate = rate;
	b->tokens = bucket_capacity(b);
	b->last_ns = now_ns;
}

void tandem_bucket_refill(struct tandem_bucket *b, u64 now_ns)
{
	u64 elapsed, room;

	if (now_ns <= b->last_ns)
		return;
	elapsed = now_ns - b->last_ns;
	b->last_ns = now_ns;
	if (!b->rate)
		return;
	/* Compare in time, not tokens, so a long idle spell cannot overflow. */
	room = (u64)(bucket_capacity(b) - b->tokens);
	if (elapsed >= room / b->rate)
		b->tokens = bucket_capacity(b);
	else
		b->tokens += (s64)(elapsed * b->rate);
}

void tandem_bucket_take(struct tandem_bucket *b, u64 scaled)
{
	if (b->rate)
		b->tokens -= (s64)scaled;
}

u64 tandem_bucket_wait_ns(const struct tandem_bucket *b)
{
	if (tandem_bucket_ready(b))
		return 0;
	/* tokens + wait * rate > 0 */
	return (u64)(-b->tokens) / b->rate + 1;
}

unsigned int tandem_lat_bucket(u64 ns)
{
	u64 us = ns / 1000;
	unsigned int bucket;

	if (us < 2)
		return 0;
	bucket = 63 - (unsigned int)__builtin_clzll(us);
	return bucket < TANDEM_LAT_BUCKETS ? bucket : TANDEM_LAT_BUCKETS - 1;
}

u64 tandem_lat_percentile_us(const u64 *hist, unsigned int pct)
{
	u64 total = 0, seen = 0, target;
	unsigned int i;

	for (i = 0; i < TANDEM_LAT_BUCKETS; i++)
		total += hist[i];
	if (!total)
		return 0;
	/* The smallest bucket holding the ceil(total * pct / 100)-th completion. */
	target = (total * pct + 99) / 100;
	for (i = 0; i < TANDEM_LAT_BUCKETS; i++) {
		seen += hist[i];
		if (seen >= target)
			break;
	}
	if (i >= TANDEM_LAT_BUCKETS)
		i = TANDEM_LAT_BUCKETS - 1;
	return 1ULL << (i + 1);
}
