// SPDX-License-Identifier: GPL-2.0
/*
 * Compare (and optionally fix) a region across legs, block by block.
 */
#include <linux/ioprio.h>
#include <linux/vmalloc.h>
#include <linux/xxhash.h>

#include "tandem-core.h"

int tandem_compare_init(struct tandem_compare *cmp)
{
	unsigned int i;

	cmp->io = dm_io_client_create();
	if (IS_ERR(cmp->io)) {
		int r = PTR_ERR(cmp->io);

		cmp->io = NULL;
		return r;
	}
	for (i = 0; i < TANDEM_MAX_LEGS; i++) {
		cmp->buf[i] = vmalloc(TANDEM_COMPARE_CHUNK);
		if (!cmp->buf[i])
			return -ENOMEM;
	}
	return 0;
}

void tandem_compare_exit(struct tandem_compare *cmp)
{
	unsigned int i;

	for (i = 0; i < TANDEM_MAX_LEGS; i++)
		vfree(cmp->buf[i]);
	if (cmp->io)
		dm_io_client_destroy(cmp->io);
}

static int tandem_compare_io(struct tandem_c *tc, blk_opf_t opf,
			     unsigned int leg, sector_t sector,
			     sector_t count, void *buf)
{
	return tandem_dm_io(tc->compare.io, tc->legs[leg].dev->bdev, opf,
			    sector, count, DM_IO_VMA, buf);
}

static bool tandem_blocks_differ(const void *a, const void *b, size_t len,
				 bool by_checksum)
{
	if (by_checksum)
		return xxh64(a, len, 0) != xxh64(b, len, 0);
	return memcmp(a, b, len);
}

/* Compare one chunk; a leg that failed before is left out. */
static void tandem_compare_chunk(struct tandem_c *tc, sector_t sector,
				 sector_t count, struct tandem_compare_job *job)
{
	struct tandem_compare *cmp = &tc->compare;
	void *src = cmp->buf[0];
	size_t bytes = count << SECTOR_SHIFT, off, len;
	unsigned int i;

	if (tandem_compare_io(tc, REQ_OP_READ, job->source, sector, count,
			      src)) {
		job->read_error = 1;
		return;
	}
	for (i = 0; i < job->nr_others; i++) {
		unsigned long bit = 1UL << i;
		void *dst = cmp->buf[1 + i];

		if ((job->read_errors | job->write_errors) & bit)
			continue;
		if (tandem_compare_io(tc, REQ_OP_READ, job->other[i], sector,
				      count, dst)) {
			job->read_errors |= bit;
			continue;
		}
		job->blocks_compared += DIV_ROUND_UP(bytes, TANDEM_COMPARE_BLOCK);
		for (off = 0; off < bytes; off += TANDEM_COMPARE_BLOCK) {
			len = min_t(size_t, TANDEM_COMPARE_BLOCK, bytes - off);
			if (!tandem_blocks_differ(src + off, dst + off, len,
						  job->by_checksum))
				continue;
			job->blocks_differing++;
			if (job->fix &&
			    tandem_compare_io(tc, REQ_OP_WRITE, job->other[i],
					      sector + (off >> SECTOR_SHIFT),
					      len >> SECTOR_SHIFT, src + off))
				job->write_errors |= bit;
		}
	}
}

void tandem_compare_region(struct tandem_c *tc, sector_t start, sector_t len,
			   struct tandem_compare_job *job)
{
	sector_t done, count;

	job->blocks_compared = 0;
	job->blocks_differing = 0;
	job->read_error = 0;
	job->read_errors = 0;
	job->write_errors = 0;

	for (done = 0; done < len && !job->read_error; done += count) {
		count = min_t(sector_t, len - done,
			      TANDEM_COMPARE_CHUNK >> SECTOR_SHIFT);
		tandem_compare_chunk(tc, start + done, count, job);
	}
}
