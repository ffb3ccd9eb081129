/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Smooth weighted round robin: picks the leg that serves a read so that,
 * over any window, each eligible leg's share follows its weight and picks
 * of one leg are spread out rather than bunched.
 *
 * Pure logic, no locking: the caller owns one struct tandem_wrr per
 * context (the target keeps one per CPU, used with preemption disabled).
 */
#ifndef TANDEM_WRR_H
#define TANDEM_WRR_H

#include "tandem-pure.h"

/* Read weights of up to four legs packed one byte each, leg 0 lowest. */
static inline u32 tandem_weights_pack(const u8 *weights, unsigned int nr_legs)
{
	u32 packed = 0;
	unsigned int i;

	for (i = 0; i < nr_legs; i++)
		packed |= (u32)weights[i] << (8 * i);
	return packed;
}

static inline unsigned int tandem_weight_of(u32 packed, unsigned int leg)
{
	return (packed >> (8 * leg)) & 0xff;
}

struct tandem_wrr {
	int current_weight[TANDEM_MAX_LEGS];
	/* The weights and eligible set the current weights were built for. */
	u32 weights_key;
	unsigned int eligible_key;
};

void tandem_wrr_init(struct tandem_wrr *wrr);

/*
 * Return the leg to use among those set in @eligible (bit i = leg i), or -1
 * if none is.  Eligible legs with weight 0 are used only when every
 * eligible leg has weight 0; they then share equally.  A change of weights
 * or of the eligible set restarts the sequence.
 */
int tandem_wrr_pick(struct tandem_wrr *wrr, u32 packed_weights,
		    unsigned int eligible, unsigned int nr_legs);

/*
 * Stateless choice for a retry: the eligible leg with the highest weight,
 * the lowest index on a tie; -1 if none is eligible.
 */
int tandem_wrr_fallback(u32 packed_weights, unsigned int eligible,
			unsigned int nr_legs);

#endif /* TANDEM_WRR_H */
