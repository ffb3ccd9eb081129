/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Regions: the device is cut into regions of region_sectors, and for each
 * leg a bitmap says which regions it lacks the latest data of (out of
 * sync).  For each region a count of writes in flight lets the resync
 * engine copy a region only while no write to it is under way; writes
 * that arrive while it is copied wait on a list.
 *
 * Every function whose name starts with __ needs tc->state_lock held (it
 * is taken from bio completion: irqsave).  tandem_region_in_sync() may be
 * called without it.
 */
#ifndef TANDEM_REGION_H
#define TANDEM_REGION_H

#include <linux/bio.h>
#include <linux/types.h>

#include "tandem-pure.h"

#define TANDEM_NO_REGION	ULONG_MAX

struct tandem_regions {
	unsigned int shift;		/* region_sectors == 1 << shift */
	unsigned long nr_regions;
	unsigned int nr_legs;

	unsigned long *out_of_sync[TANDEM_MAX_LEGS];
	unsigned long nr_out_of_sync[TANDEM_MAX_LEGS];
	unsigned int *writes_in_flight;	/* per region */

	unsigned long copying;		/* region being copied, or TANDEM_NO_REGION */
	struct bio_list waiting;	/* writes to the region being copied */
};

/* Process context.  @out_of_sync: legs whose every region starts out of sync. */
int tandem_regions_init(struct tandem_regions *rg, sector_t len,
			u32 region_sectors, unsigned int nr_legs,
			unsigned long out_of_sync);
void tandem_regions_exit(struct tandem_regions *rg);

static inline unsigned long tandem_region_of(struct tandem_regions *rg,
					     sector_t sector)
{
	return sector >> rg->shift;
}

static inline sector_t tandem_region_start(struct tandem_regions *rg,
					   unsigned long region)
{
	return (sector_t)region << rg->shift;
}

static inline bool tandem_region_in_sync(struct tandem_regions *rg,
					 unsigned int leg, unsigned long region)
{
	return !test_bit(region, rg->out_of_sync[leg]);
}

/* Legs with at least one region out of sync, as a mask. */
unsigned long __tandem_legs_syncing(struct tandem_regions *rg);

void __tandem_region_mark(struct tandem_regions *rg, unsigned int leg,
			  unsigned long region);
void __tandem_region_clear(struct tandem_regions *rg, unsigned int leg,
			   unsigned long region);

/*
 * First region at or after @from (wrapping once) that one of @legs lacks,
 * or TANDEM_NO_REGION.
 */
unsigned long __tandem_region_next_out_of_sync(struct tandem_regions *rg,
					       unsigned long legs,
					       unsigned long from);

#endif /* TANDEM_REGION_H */
