/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arithmetic of the class scheduler, kept free of locking and time
 * sources so that it builds and is tested in userspace too:
 *
 * - start-time fair queueing over classes: each class with bios waiting
 *   carries the virtual start tag of its next bio; the smallest goes
 *   next, and dispatching advances the class by cost / weight;
 * - token buckets for the class limits, with time passed in;
 * - log2 latency histograms and their percentiles.
 *
 * The caller serialises calls on one struct.
 */
#ifndef TANDEM_FAIRQ_H
#define TANDEM_FAIRQ_H

#include "tandem-pure.h"

/* Dispatch cost is counted in 4 KiB units, at least one per bio. */
#define TANDEM_SFQ_UNIT_SHIFT	12
/* Virtual time of one unit at weight 1. */
#define TANDEM_SFQ_SCALE	(1ULL << 20)

struct tandem_sfq {
	u64 vtime;				/* start tag last dispatched */
	u64 start[TANDEM_MAX_CLASSES];		/* next start tag per class */
};

/* @cls had nothing waiting and now has: it starts no earlier than now. */
void tandem_sfq_activate(struct tandem_sfq *q, unsigned int cls);

/*
 * The class to dispatch from among @eligible (bit per class): the
 * smallest start tag among those with a weight, else among those
 * without.  -1 if @eligible is empty.
 */
int tandem_sfq_pick(const struct tandem_sfq *q, unsigned long eligible,
		    const u32 *weights);

/* A bio of @bytes was dispatched from @cls. */
void tandem_sfq_charge(struct tandem_sfq *q, unsigned int cls, u32 weight,
		       u32 bytes);

/*
 * A token bucket in units scaled by 10^9 (tokens per second times
 * nanoseconds), holding TANDEM_BUCKET_BURST_NS worth of tokens.  A bio
 * may go while the bucket is positive and may drive it negative: large
 * bios then wait proportionally, and the long-run rate is exact.
 */
#define TANDEM_BUCKET_BURST_NS	50000000ULL	/* 50 ms */

struct tandem_bucket {
	u64 rate;	/* tokens per second; 0: unlimited */
	s64 tokens;
	u64 last_ns;
};

/* Set the rate (0: unlimited) and fill the bucket. */
void tandem_bucket_set(struct tandem_bucket *b, u64 rate, u64 now_ns);
/* Add the tokens earned since the last refill. */
void tandem_bucket_refill(struct tandem_bucket *b, u64 now_ns);
static inline bool tandem_bucket_ready(const struct tandem_bucket *b)
{
	return !b->rate || b->tokens > 0;
}

/* Take @amount tokens (scaled: amount * 10^9 units). */
void tandem_bucket_take(struct tandem_bucket *b, u64 scaled);
/* Nanoseconds until the bucket is positive again (0 if it is). */
u64 tandem_bucket_wait_ns(const struct tandem_bucket *b);

/* Scaled costs of a bio for an iops bucket and a KiB/s bucket. */
#define TANDEM_BUCKET_ONE	1000000000ULL
static inline u64 tandem_bucket_bw_cost(u32 bytes)
{
	/* bytes / 1024 tokens, scaled by 10^9 = bytes * 1953125 / 2 */
	return (u64)bytes * 1953125ULL / 2;
}

/* Histogram bucket of a latency in nanoseconds. */
unsigned int tandem_lat_bucket(u64 ns);
/*
 * The @pct percentile (1..100) of a histogram of TANDEM_LAT_BUCKETS
 * counts, in microseconds: the upper bound of the bucket it falls in;
 * 0 for an empty histogram.
 */
u64 tandem_lat_percentile_us(const u64 *hist, unsigned int pct);

#endif /* TANDEM_FAIRQ_H */
