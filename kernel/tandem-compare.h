/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Block-by-block comparison of one region across legs, for the checksum
 * resync, verify and repair: the region is read from the source and the
 * other legs in chunks with dm-io, each 4 KiB block is compared (by xxh64
 * checksum or byte for byte), and where asked the source's block is
 * written over a differing one.
 *
 * Process context only: the I/O is synchronous.  The caller makes sure no
 * write to the region is in flight (the resync engine claims it).
 */
#ifndef TANDEM_COMPARE_H
#define TANDEM_COMPARE_H

#include <linux/dm-io.h>

#include "tandem-pure.h"

struct tandem_c;

#define TANDEM_COMPARE_BLOCK	4096U
#define TANDEM_COMPARE_CHUNK	(256U << 10)	/* bytes read per leg per step */

struct tandem_compare {
	struct dm_io_client *io;
	void *buf[TANDEM_MAX_LEGS];		/* TANDEM_COMPARE_CHUNK each */
};

struct tandem_compare_job {
	unsigned int source;
	unsigned int nr_others;
	unsigned int other[TANDEM_MAX_LEGS];
	bool by_checksum;	/* compare xxh64 checksums, else bytes */
	bool fix;		/* write the source's block over differences */

	/* Results, counted per (block, other leg) pair. */
	u64 blocks_compared;
	u64 blocks_differing;
	int read_error;		/* the source could not be read */
	unsigned long write_errors;	/* bit i: other[i] failed a write */
	unsigned long read_errors;	/* bit i: other[i] failed a read */
};

int tandem_compare_init(struct tandem_compare *cmp);
void tandem_compare_exit(struct tandem_compare *cmp);

void tandem_compare_region(struct tandem_c *tc, sector_t start, sector_t len,
			   struct tandem_compare_job *job);

#endif /* TANDEM_COMPARE_H */
