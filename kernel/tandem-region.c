// SPDX-License-Identifier: GPL-2.0
/*
 * Per-leg out-of-sync bitmaps and per-region write counts.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "tandem-region.h"

int tandem_regions_init(struct tandem_regions *rg, sector_t len,
			u32 region_sectors, unsigned int nr_legs,
			unsigned long out_of_sync)
{
	unsigned int leg;

	rg->shift = ilog2(region_sectors);
	rg->nr_regions = (unsigned long)((len + region_sectors - 1) >> rg->shift);
	rg->nr_legs = nr_legs;
	rg->copying = TANDEM_NO_REGION;
	bio_list_init(&rg->waiting);

	rg->writes_in_flight = kvcalloc(rg->nr_regions,
					sizeof(*rg->writes_in_flight),
					GFP_KERNEL);
	if (!rg->writes_in_flight)
		return -ENOMEM;

	for (leg = 0; leg < nr_legs; leg++) {
		rg->out_of_sync[leg] = kvcalloc(BITS_TO_LONGS(rg->nr_regions),
						sizeof(unsigned long),
						GFP_KERNEL);
		if (!rg->out_of_sync[leg])
			return -ENOMEM;
		if (out_of_sync & (1UL << leg)) {
			bitmap_set(rg->out_of_sync[leg], 0, rg->nr_regions);
			rg->nr_out_of_sync[leg] = rg->nr_regions;
		}
	}
	return 0;
}

void tandem_regions_exit(struct tandem_regions *rg)
{
	unsigned int leg;

	for (leg = 0; leg < rg->nr_legs; leg++)
		kvfree(rg->out_of_sync[leg]);
	kvfree(rg->writes_in_flight);
}

unsigned long __tandem_legs_syncing(struct tandem_regions *rg)
{
	unsigned long legs = 0;
	unsigned int leg;

	for (leg = 0; leg < rg->nr_legs; leg++)
		if (rg->nr_out_of_sync[leg])
			legs |= 1UL << leg;
	return legs;
}

void __tandem_region_mark(struct tandem_regions *rg, unsigned int leg,
			  unsigned long region)
{
	if (!__test_and_set_bit(region, rg->out_of_sync[leg]))
		rg->nr_out_of_sync[leg]++;
}

void __tandem_region_clear(struct tandem_regions *rg, unsigned int leg,
			   unsigned long region)
{
	if (__test_and_clear_bit(region, rg->out_of_sync[leg]))
		rg->nr_out_of_sync[leg]--;
}

unsigned long __tandem_region_next_out_of_sync(struct tandem_regions *rg,
					       unsigned long legs,
					       unsigned long from)
{
	unsigned long best = TANDEM_NO_REGION, found;
	unsigned int leg;
	int pass;

	/* Two passes: from the cursor to the end, then from the start. */
	for (pass = 0; pass < 2 && best == TANDEM_NO_REGION; pass++) {
		unsigned long start = pass ? 0 : from;
		unsigned long end = pass ? from : rg->nr_regions;

		for (leg = 0; leg < rg->nr_legs; leg++) {
			if (!(legs & (1UL << leg)) || !rg->nr_out_of_sync[leg])
				continue;
			found = find_next_bit(rg->out_of_sync[leg], end, start);
			if (found < end && found < best)
				best = found;
		}
	}
	return best;
}
