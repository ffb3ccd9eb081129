/* SPDX-License-Identifier: GPL-2.0 */
/*
 * On-disk format of the tandem metadata device.  All fields little-endian;
 * every block is TANDEM_MD_BLOCK_SIZE bytes and starts with a checksum of
 * the rest of the block: the standard CRC-32 (zlib's crc32(), the kernel's
 * crc32_le(~0, ...) ^ ~0) of bytes 4..4095.
 *
 *   block 0                      superblock
 *   block 1 + leg * bpl + i      bitmap block i of leg `leg`
 *                                (bpl: bitmap_blocks_per_leg)
 *
 * Bitmap bit r of a leg (block r / TANDEM_MD_BITS_PER_BLOCK, bit
 * r % TANDEM_MD_BITS_PER_BLOCK, least significant bit of each byte first)
 * set means: the leg may lack the latest data of region r.  A bit is set
 * on disk before any write to that region reaches any leg (write intent)
 * and stays set while the leg lacks the region; it is cleared lazily once
 * the region is idle and in sync.  After any stop, clean or not, the
 * regions whose bit is set are copied onto that leg from a leg that has
 * them.
 */
#ifndef DM_TANDEM_METADATA_H
#define DM_TANDEM_METADATA_H

#include <linux/types.h>

#include "tandem.h"

#define TANDEM_MD_MAGIC			0x3161746d646e6174ULL	/* "tandmta1" */
#define TANDEM_MD_VERSION		1U
#define TANDEM_MD_BLOCK_SIZE		4096U
#define TANDEM_MD_BLOCK_SECTORS		(TANDEM_MD_BLOCK_SIZE >> 9)

/* Superblock flags. */
#define TANDEM_MD_CLEAN			(1U << 0)	/* stopped with no write in flight */

/* Per-leg flags. */
#define TANDEM_MD_LEG_FAILED		(1U << 0)	/* failed when last written */

struct tandem_md_leg {
	__le32 flags;
	__le32 reserved;
	__le64 out_of_sync;		/* bits set in its bitmap when last written */
} __attribute__((packed));

struct tandem_md_superblock {
	__le32 csum;
	__le32 version;			/* TANDEM_MD_VERSION */
	__le64 magic;			/* TANDEM_MD_MAGIC */
	__u8 uuid[16];			/* random, chosen when formatted */
	__le64 events;			/* incremented at every superblock write */
	__le64 target_sectors;		/* length of the mapping */
	__le64 nr_regions;
	__le32 region_sectors;
	__le32 nr_legs;
	__le32 flags;			/* TANDEM_MD_CLEAN */
	__le32 bitmap_blocks_per_leg;
	struct tandem_md_leg legs[TANDEM_MAX_LEGS];
} __attribute__((packed));

struct tandem_md_bitmap_header {
	__le32 csum;
	__le32 leg;
	__le64 index;			/* block index within the leg's bitmap */
} __attribute__((packed));

#define TANDEM_MD_BITS_PER_BLOCK \
	((TANDEM_MD_BLOCK_SIZE - sizeof(struct tandem_md_bitmap_header)) * 8)

/* Blocks needed for one leg's bitmap, and for the whole metadata. */
#define TANDEM_MD_BITMAP_BLOCKS(nr_regions) \
	(((nr_regions) + TANDEM_MD_BITS_PER_BLOCK - 1) / TANDEM_MD_BITS_PER_BLOCK)
#define TANDEM_MD_TOTAL_BLOCKS(nr_regions, nr_legs) \
	(1 + (nr_legs) * TANDEM_MD_BITMAP_BLOCKS(nr_regions))

#endif /* DM_TANDEM_METADATA_H */
