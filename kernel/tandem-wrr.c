// SPDX-License-Identifier: GPL-2.0
/*
 * Smooth weighted round robin (the scheme nginx uses for upstreams): each
 * pick adds every eligible leg's weight to its current weight, takes the
 * leg with the highest current weight and subtracts the total from it.
 * Over one cycle of sum-of-weights picks each leg is chosen exactly
 * weight times, interleaved.
 */
#include "tandem-wrr.h"

void tandem_wrr_init(struct tandem_wrr *wrr)
{
	memset(wrr, 0, sizeof(*wrr));
}

static void tandem_wrr_restart(struct tandem_wrr *wrr, u32 packed_weights,
			       unsigned int eligible)
{
	memset(wrr->current_weight, 0, sizeof(wrr->current_weight));
	wrr->weights_key = packed_weights;
	wrr->eligible_key = eligible;
}

int tandem_wrr_pick(struct tandem_wrr *wrr, u32 packed_weights,
		    unsigned int eligible, unsigned int nr_legs)
{
	int weight[TANDEM_MAX_LEGS];
	int total = 0, best = -1;
	unsigned int i;

	if (nr_legs > TANDEM_MAX_LEGS)
		nr_legs = TANDEM_MAX_LEGS;
	eligible &= (1U << nr_legs) - 1;
	if (!eligible)
		return -1;

	if (wrr->weights_key != packed_weights || wrr->eligible_key != eligible)
		tandem_wrr_restart(wrr, packed_weights, eligible);

	for (i = 0; i < nr_legs; i++) {
		weight[i] = (eligible & (1U << i)) ?
			    (int)tandem_weight_of(packed_weights, i) : 0;
		total += weight[i];
	}
	/* All eligible legs weigh 0 (e.g. the weighted ones failed): share. */
	if (!total) {
		for (i = 0; i < nr_legs; i++) {
			weight[i] = (eligible & (1U << i)) ? 1 : 0;
			total += weight[i];
		}
	}

	for (i = 0; i < nr_legs; i++) {
		if (!weight[i])
			continue;
		wrr->current_weight[i] += weight[i];
		if (best < 0 ||
		    wrr->current_weight[i] > wrr->current_weight[best])
			best = (int)i;
	}
	wrr->current_weight[best] -= total;
	return best;
}

int tandem_wrr_fallback(u32 packed_weights, unsigned int eligible,
			unsigned int nr_legs)
{
	int best = -1;
	unsigned int i;

	if (nr_legs > TANDEM_MAX_LEGS)
		nr_legs = TANDEM_MAX_LEGS;
	for (i = 0; i < nr_legs; i++) {
		if (!(eligible & (1U << i)))
			continue;
		if (best < 0 || tandem_weight_of(packed_weights, i) >
				tandem_weight_of(packed_weights, best))
			best = (int)i;
	}
	return best;
}
