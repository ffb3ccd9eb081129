// SPDX-License-Identifier: GPL-2.0
/*
 * The metadata device: load, validate or format it, keep the write-intent
 * bits durable ahead of the writes, and clear them lazily.
 */
#include <linux/crc32.h>
#include <linux/ioprio.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "tandem-core.h"

/* How often idle, in-sync regions get their bits cleared. */
#define TANDEM_MD_CLEAN_INTERVAL	(HZ)

static u32 tandem_md_csum(const void *block)
{
	return crc32_le(~0U, (const u8 *)block + sizeof(__le32),
			TANDEM_MD_BLOCK_SIZE - sizeof(__le32)) ^ ~0U;
}

static int tandem_md_io(struct tandem_metadata *md, blk_opf_t opf,
			sector_t block, void *buf)
{
	return tandem_dm_io(md->io, md->dev->bdev, opf,
			    block * TANDEM_MD_BLOCK_SECTORS,
			    buf ? TANDEM_MD_BLOCK_SECTORS : 0, DM_IO_KMEM, buf);
}

static int tandem_md_flush(struct tandem_metadata *md)
{
	return tandem_md_io(md, REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC, 0,
			    NULL);
}

static sector_t tandem_md_bitmap_block(struct tandem_metadata *md,
				       unsigned int leg, unsigned long index)
{
	return 1 + (sector_t)leg * md->blocks_per_leg + index;
}

/* Bits of @index's block start at this word of an in-core bitmap. */
static unsigned long *tandem_md_block_words(unsigned long *bitmap,
					    unsigned long index)
{
	return bitmap + index * (TANDEM_MD_BITS_PER_BLOCK / BITS_PER_LONG);
}

static unsigned long tandem_md_block_bits(struct tandem_c *tc,
					  unsigned long index)
{
	unsigned long first = index * TANDEM_MD_BITS_PER_BLOCK;

	return min_t(unsigned long, TANDEM_MD_BITS_PER_BLOCK,
		     tc->regions.nr_regions - first);
}

/* Caller holds state_lock (or owns tc alone). */
static void tandem_md_pack_bitmap(struct tandem_c *tc, unsigned int leg,
				  unsigned long index, void *block)
{
	struct tandem_md_bitmap_header *h = block;
	__le32 *words = (__le32 *)(h + 1);
	unsigned long nbits = tandem_md_block_bits(tc, index);
	unsigned int i;

	memset(block, 0, TANDEM_MD_BLOCK_SIZE);
	h->leg = cpu_to_le32(leg);
	h->index = cpu_to_le64(index);
	bitmap_to_arr32((u32 *)words,
			tandem_md_block_words(tc->md.intent[leg], index),
			nbits);
	for (i = 0; i < DIV_ROUND_UP(nbits, 32); i++)
		words[i] = cpu_to_le32(((u32 *)words)[i]);
	h->csum = cpu_to_le32(tandem_md_csum(block));
}

/* Decode the bits of a packed bitmap block into @bits (a block's worth). */
static void tandem_md_decode_bits(struct tandem_c *tc, unsigned long index,
				  void *block, unsigned long *bits)
{
	struct tandem_md_bitmap_header *h = block;
	u32 *words = (u32 *)(h + 1);
	unsigned long nbits = tandem_md_block_bits(tc, index);
	unsigned int i;

	for (i = 0; i < DIV_ROUND_UP(nbits, 32); i++)
		words[i] = le32_to_cpu((__force __le32)words[i]);
	bitmap_from_arr32(bits, words, nbits);
}

static int tandem_md_unpack_bitmap(struct tandem_c *tc, unsigned int leg,
				   unsigned long index, void *block)
{
	struct tandem_md_bitmap_header *h = block;

	if (le32_to_cpu(h->csum) != tandem_md_csum(block) ||
	    le32_to_cpu(h->leg) != leg || le64_to_cpu(h->index) != index)
		return -EINVAL;
	tandem_md_decode_bits(tc, index, block,
			      tandem_md_block_words(tc->md.intent[leg], index));
	return 0;
}

static void tandem_md_pack_super(struct tandem_c *tc, bool clean, void *block)
{
	struct tandem_md_superblock *sb = block;
	struct tandem_metadata *md = &tc->md;
	unsigned long healthy = READ_ONCE(tc->healthy);
	unsigned int leg;

	memset(block, 0, TANDEM_MD_BLOCK_SIZE);
	sb->version = cpu_to_le32(TANDEM_MD_VERSION);
	sb->magic = cpu_to_le64(TANDEM_MD_MAGIC);
	memcpy(sb->uuid, md->uuid, sizeof(sb->uuid));
	sb->events = cpu_to_le64(++md->events);
	sb->target_sectors = cpu_to_le64(tc->ti->len);
	sb->nr_regions = cpu_to_le64(tc->regions.nr_regions);
	sb->region_sectors = cpu_to_le32(tc->region_sectors);
	sb->nr_legs = cpu_to_le32(tc->nr_legs);
	sb->flags = cpu_to_le32(clean ? TANDEM_MD_CLEAN : 0);
	sb->bitmap_blocks_per_leg = cpu_to_le32(md->blocks_per_leg);
	for (leg = 0; leg < tc->nr_legs; leg++) {
		sb->legs[leg].flags = cpu_to_le32(healthy & (1UL << leg) ?
						  0 : TANDEM_MD_LEG_FAILED);
		sb->legs[leg].out_of_sync =
			cpu_to_le64(READ_ONCE(tc->regions.nr_out_of_sync[leg]));
	}
	sb->csum = cpu_to_le32(tandem_md_csum(block));
}

/* Validate a superblock against the table; 0, or -EINVAL with *error. */
static int tandem_md_check_super(struct tandem_c *tc, const void *block,
				 const char **error)
{
	const struct tandem_md_superblock *sb = block;

	if (le64_to_cpu(sb->magic) != TANDEM_MD_MAGIC) {
		*error = "Metadata device holds something else (bad magic); clear it to format";
		return -EINVAL;
	}
	if (le32_to_cpu(sb->csum) != tandem_md_csum(block)) {
		*error = "Metadata superblock checksum mismatch";
		return -EINVAL;
	}
	if (le32_to_cpu(sb->version) != TANDEM_MD_VERSION) {
		*error = "Unsupported metadata version";
		return -EINVAL;
	}
	if (le64_to_cpu(sb->target_sectors) != tc->ti->len) {
		*error = "Metadata was made for a target of another length";
		return -EINVAL;
	}
	if (le32_to_cpu(sb->region_sectors) != tc->region_sectors ||
	    le64_to_cpu(sb->nr_regions) != tc->regions.nr_regions) {
		*error = "Metadata was made with another region size";
		return -EINVAL;
	}
	if (le32_to_cpu(sb->nr_legs) != tc->nr_legs ||
	    le32_to_cpu(sb->bitmap_blocks_per_leg) != tc->md.blocks_per_leg) {
		*error = "Metadata was made for another number of legs";
		return -EINVAL;
	}
	return 0;
}

static int tandem_md_write_super(struct tandem_c *tc, bool clean)
{
	struct tandem_metadata *md = &tc->md;
	void *block = page_address(md->pages[0]);
	int r;

	mutex_lock(&md->io_lock);
	tandem_md_pack_super(tc, clean, block);
	r = tandem_md_io(md, REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH | REQ_FUA,
			 0, block);
	if (!r)
		md->clean_on_disk = clean;
	mutex_unlock(&md->io_lock);
	return r;
}

/*
 * After load: a region every healthy leg is marked in (a write was in
 * flight when the device stopped) is copied from the lowest healthy leg,
 * which therefore counts as having it.
 */
static void tandem_md_pick_references(struct tandem_c *tc)
{
	struct tandem_regions *rg = &tc->regions;
	unsigned long region, reference = __ffs(tc->healthy);
	unsigned int leg;
	bool everywhere;

	for_each_set_bit(region, tc->md.intent[reference], rg->nr_regions) {
		everywhere = true;
		for (leg = 0; leg < tc->nr_legs; leg++)
			if ((tc->healthy & (1UL << leg)) &&
			    !test_bit(region, tc->md.intent[leg]))
				everywhere = false;
		if (everywhere)
			__tandem_region_clear(rg, reference, region);
	}
}

/*
 * Read leg health and bitmaps from disk into the in-core state.  Done at
 * the first resume, not in the constructor: a table replacing a live one
 * must see what the old one wrote up to its suspend.
 */
static int tandem_md_load(struct tandem_c *tc, const char **error)
{
	struct tandem_metadata *md = &tc->md;
	void *block = page_address(md->pages[0]);
	struct tandem_md_superblock *sb = block;
	unsigned long index, region, healthy = tandem_all_legs(tc);
	unsigned int leg;
	int r;

	r = tandem_md_io(md, REQ_OP_READ, 0, block);
	if (r) {
		*error = "Cannot read the metadata superblock";
		return r;
	}
	r = tandem_md_check_super(tc, block, error);
	if (r)
		return r;
	md->events = le64_to_cpu(sb->events);
	md->clean_on_disk = le32_to_cpu(sb->flags) & TANDEM_MD_CLEAN;
	for (leg = 0; leg < tc->nr_legs; leg++)
		if (le32_to_cpu(sb->legs[leg].flags) & TANDEM_MD_LEG_FAILED)
			healthy &= ~(1UL << leg);
	if (!healthy) {
		*error = "Metadata says every leg failed";
		return -EINVAL;
	}

	for (leg = 0; leg < tc->nr_legs; leg++) {
		for (index = 0; index < md->blocks_per_leg; index++) {
			r = tandem_md_io(md, REQ_OP_READ,
					 tandem_md_bitmap_block(md, leg, index),
					 block);
			if (r) {
				*error = "Cannot read the metadata bitmap";
				return r;
			}
			if (tandem_md_unpack_bitmap(tc, leg, index, block)) {
				*error = "Metadata bitmap block checksum mismatch";
				return -EINVAL;
			}
		}
	}

	/* No I/O runs before the first resume: the lock is for form's sake. */
	spin_lock_irq(&tc->state_lock);
	tc->healthy = healthy;
	for (leg = 0; leg < tc->nr_legs; leg++) {
		bitmap_copy(md->durable[leg], md->intent[leg],
			    tc->regions.nr_regions);
		bitmap_zero(tc->regions.out_of_sync[leg], tc->regions.nr_regions);
		tc->regions.nr_out_of_sync[leg] = 0;
		for_each_set_bit(region, md->intent[leg], tc->regions.nr_regions)
			__tandem_region_mark(&tc->regions, leg, region);
	}
	tandem_md_pick_references(tc);
	__tandem_update_readable(tc);
	spin_unlock_irq(&tc->state_lock);
	return 0;
}

/* A blank device: the bits follow the table (nosync or a full sync). */
static int tandem_md_format(struct tandem_c *tc, const char **error)
{
	struct tandem_metadata *md = &tc->md;
	void *block = page_address(md->pages[0]);
	unsigned long index;
	unsigned int leg;
	int r;

	get_random_bytes(md->uuid, sizeof(md->uuid));
	md->events = 0;
	for (leg = 0; leg < tc->nr_legs; leg++) {
		bitmap_copy(md->intent[leg], tc->regions.out_of_sync[leg],
			    tc->regions.nr_regions);
		bitmap_copy(md->durable[leg], md->intent[leg],
			    tc->regions.nr_regions);
		for (index = 0; index < md->blocks_per_leg; index++) {
			tandem_md_pack_bitmap(tc, leg, index, block);
			r = tandem_md_io(md, REQ_OP_WRITE, tandem_md_bitmap_block(md, leg, index),
					 block);
			if (r)
				goto fail;
		}
	}
	r = tandem_md_write_super(tc, false);
	if (!r) {
		md->loaded = true;
		return 0;
	}
fail:
	*error = "Cannot write the metadata device";
	return r;
}

static bool tandem_md_blank(const void *block)
{
	return !memchr_inv(block, 0, TANDEM_MD_BLOCK_SIZE);
}

static void tandem_md_work(struct work_struct *work);
static void tandem_md_clean(struct work_struct *work);

static int tandem_md_alloc(struct tandem_c *tc)
{
	struct tandem_metadata *md = &tc->md;
	unsigned long longs = BITS_TO_LONGS(tc->regions.nr_regions);
	unsigned int leg, i;

	md->io = dm_io_client_create();
	if (IS_ERR(md->io)) {
		int r = PTR_ERR(md->io);

		md->io = NULL;
		return r;
	}
	for (i = 0; i < TANDEM_MD_BATCH; i++) {
		md->pages[i] = alloc_page(GFP_KERNEL);
		if (!md->pages[i])
			return -ENOMEM;
	}
	md->scratch = kcalloc(BITS_TO_LONGS(TANDEM_MD_BITS_PER_BLOCK),
			      sizeof(long), GFP_KERNEL);
	md->recent = kvcalloc(longs, sizeof(long), GFP_KERNEL);
	if (!md->scratch || !md->recent)
		return -ENOMEM;
	for (leg = 0; leg < tc->nr_legs; leg++) {
		md->intent[leg] = kvcalloc(longs, sizeof(long), GFP_KERNEL);
		md->durable[leg] = kvcalloc(longs, sizeof(long), GFP_KERNEL);
		md->dirty[leg] = kvcalloc(BITS_TO_LONGS(md->blocks_per_leg),
					  sizeof(long), GFP_KERNEL);
		if (!md->intent[leg] || !md->durable[leg] || !md->dirty[leg])
			return -ENOMEM;
	}
	return 0;
}

int tandem_md_open(struct tandem_c *tc, const char *path, bool nosync,
		   const char **error)
{
	struct tandem_metadata *md = &tc->md;
	void *block;
	sector_t needed;
	int r;

	mutex_init(&md->io_lock);
	bio_list_init(&md->waiting);
	INIT_WORK(&md->work, tandem_md_work);
	INIT_DELAYED_WORK(&md->cleaner, tandem_md_clean);
	md->stopped = true;
	if (!path)
		return 0;

	r = dm_get_device(tc->ti, path, dm_table_get_mode(tc->ti->table),
			  &md->dev);
	if (r) {
		md->dev = NULL;
		*error = "Error opening metadata device";
		return r;
	}
	md->blocks_per_leg = TANDEM_MD_BITMAP_BLOCKS(tc->regions.nr_regions);
	needed = (sector_t)TANDEM_MD_TOTAL_BLOCKS(tc->regions.nr_regions,
						  tc->nr_legs) *
		 TANDEM_MD_BLOCK_SECTORS;
	if (bdev_nr_sectors(md->dev->bdev) < needed) {
		*error = "Metadata device too small for this many regions";
		return -EINVAL;
	}
	r = tandem_md_alloc(tc);
	if (r) {
		*error = "Cannot allocate metadata state";
		return r;
	}

	block = page_address(md->pages[0]);
	r = tandem_md_io(md, REQ_OP_READ, 0, block);
	if (r) {
		*error = "Cannot read the metadata superblock";
		return r;
	}
	if (tandem_md_blank(block))
		return tandem_md_format(tc, error);

	/*
	 * Existing metadata knows better than nosync; its bits are read at
	 * the first resume.  Refuse it now if it does not fit the table.
	 */
	r = tandem_md_check_super(tc, block, error);
	if (!r)
		memcpy(md->uuid, ((struct tandem_md_superblock *)block)->uuid,
		       sizeof(md->uuid));
	return r;
}

void tandem_md_close(struct tandem_c *tc)
{
	struct tandem_metadata *md = &tc->md;
	unsigned int leg, i;

	for (leg = 0; leg < TANDEM_MAX_LEGS; leg++) {
		kvfree(md->intent[leg]);
		kvfree(md->durable[leg]);
		kvfree(md->dirty[leg]);
	}
	for (i = 0; i < TANDEM_MD_BATCH; i++)
		if (md->pages[i])
			__free_page(md->pages[i]);
	kfree(md->scratch);
	kvfree(md->recent);
	if (md->io)
		dm_io_client_destroy(md->io);
	if (md->dev)
		dm_put_device(tc->ti, md->dev);
}

/* Caller holds state_lock. */
static void __tandem_md_set_dirty(struct tandem_metadata *md, unsigned int leg,
				  unsigned long region)
{
	if (!__test_and_set_bit(region / TANDEM_MD_BITS_PER_BLOCK,
				md->dirty[leg]))
		md->nr_dirty++;
}

enum tandem_md_verdict __tandem_md_intent(struct tandem_c *tc,
					  unsigned long region)
{
	struct tandem_metadata *md = &tc->md;
	bool durable = true;
	unsigned int leg;

	if (!tandem_md_present(md))
		return TANDEM_MD_GO;
	if (md->failed)
		return TANDEM_MD_FAIL;
	__set_bit(region, md->recent);
	for (leg = 0; leg < tc->nr_legs; leg++)
		if (!test_bit(region, md->durable[leg]))
			durable = false;
	if (durable)
		return TANDEM_MD_GO;

	for (leg = 0; leg < tc->nr_legs; leg++) {
		if (!__test_and_set_bit(region, md->intent[leg]))
			__tandem_md_set_dirty(md, leg, region);
	}
	return TANDEM_MD_WAIT;
}

void tandem_md_kick(struct tandem_c *tc)
{
	queue_work(tc->wq, &tc->md.work);
}

/*
 * Write up to TANDEM_MD_BATCH dirty bitmap blocks and flush; then what
 * they hold is durable.  Returns true if dirty blocks remain.
 */
static bool tandem_md_write_round(struct tandem_c *tc, struct bio_list *go,
				  struct bio_list *fail)
{
	struct tandem_metadata *md = &tc->md;
	unsigned int legs[TANDEM_MD_BATCH];
	unsigned long indexes[TANDEM_MD_BATCH];
	unsigned int n = 0, i, leg;
	unsigned long index;
	bool more;
	int r = 0;

	spin_lock_irq(&tc->state_lock);
	for (leg = 0; leg < tc->nr_legs && n < TANDEM_MD_BATCH; leg++) {
		for_each_set_bit(index, md->dirty[leg], md->blocks_per_leg) {
			if (n == TANDEM_MD_BATCH)
				break;
			__clear_bit(index, md->dirty[leg]);
			md->nr_dirty--;
			tandem_md_pack_bitmap(tc, leg, index,
					      page_address(md->pages[n]));
			legs[n] = leg;
			indexes[n++] = index;
		}
	}
	spin_unlock_irq(&tc->state_lock);

	for (i = 0; i < n && !r; i++)
		r = tandem_md_io(md, REQ_OP_WRITE,
				 tandem_md_bitmap_block(md, legs[i], indexes[i]),
				 page_address(md->pages[i]));
	if (!r && n)
		r = tandem_md_flush(md);

	spin_lock_irq(&tc->state_lock);
	if (r) {
		if (!md->failed)
			DMERR("%s: metadata write failed: writes fail from now on",
			      dm_table_device_name(tc->ti->table));
		md->failed = true;
	} else {
		/*
		 * What was written is on disk now.  Only bits still wanted
		 * count as durable: the cleaner may have dropped some since
		 * (it clears durable first, and they get written again).
		 */
		for (i = 0; i < n; i++) {
			unsigned long *intent, *durable;

			tandem_md_decode_bits(tc, indexes[i],
					      page_address(md->pages[i]),
					      md->scratch);
			intent = tandem_md_block_words(md->intent[legs[i]],
						       indexes[i]);
			durable = tandem_md_block_words(md->durable[legs[i]],
							indexes[i]);
			bitmap_and(durable, md->scratch, intent,
				   tandem_md_block_bits(tc, indexes[i]));
		}
	}
	more = md->nr_dirty && !md->failed;
	if (!more) {
		struct bio_list *to = md->failed ? fail : go;

		bio_list_merge(to, &md->waiting);
		bio_list_init(&md->waiting);
	}
	spin_unlock_irq(&tc->state_lock);
	return more;
}

static void tandem_md_work(struct work_struct *work)
{
	struct tandem_metadata *md = container_of(work, struct tandem_metadata,
						  work);
	struct tandem_c *tc = container_of(md, struct tandem_c, md);
	struct bio_list go, fail;
	struct bio *bio;

	bio_list_init(&go);
	bio_list_init(&fail);
	mutex_lock(&md->io_lock);
	while (tandem_md_write_round(tc, &go, &fail))
		;
	mutex_unlock(&md->io_lock);

	while ((bio = bio_list_pop(&fail)))
		bio_io_error(bio);
	/* Their bits are durable now (or set again: they wait once more). */
	while ((bio = bio_list_pop(&go)))
		tandem_write_submit(tc, bio);
}

/*
 * Clear the bits of regions that are idle and in sync on the leg; returns
 * true if that left blocks to write.  Unless @all, a region written since
 * the previous round counts as busy: a bit is cleared only after a whole
 * round without writes, so a region in steady use keeps its bit (and its
 * writes their fast path).
 */
static bool tandem_md_clear_idle(struct tandem_c *tc, bool all)
{
	struct tandem_metadata *md = &tc->md;
	struct tandem_regions *rg = &tc->regions;
	unsigned long region;
	unsigned int leg;
	bool dirty;

	spin_lock_irq(&tc->state_lock);
	for (leg = 0; leg < tc->nr_legs; leg++) {
		for_each_set_bit(region, md->durable[leg], rg->nr_regions) {
			if ((!all && test_bit(region, md->recent)) ||
			    !tandem_region_in_sync(rg, leg, region) ||
			    rg->writes_in_flight[region] ||
			    rg->copying == region)
				continue;
			/* durable first: a racing write sets it again. */
			__clear_bit(region, md->durable[leg]);
			__clear_bit(region, md->intent[leg]);
			__tandem_md_set_dirty(md, leg, region);
		}
	}
	if (!all)
		bitmap_zero(md->recent, rg->nr_regions);
	dirty = md->nr_dirty;
	spin_unlock_irq(&tc->state_lock);
	return dirty;
}

static void tandem_md_clean(struct work_struct *work)
{
	struct tandem_metadata *md = container_of(to_delayed_work(work),
						  struct tandem_metadata,
						  cleaner);
	struct tandem_c *tc = container_of(md, struct tandem_c, md);

	if (tandem_md_clear_idle(tc, false))
		tandem_md_kick(tc);
	if (!READ_ONCE(md->stopped))
		queue_delayed_work(tc->wq, &md->cleaner,
				   TANDEM_MD_CLEAN_INTERVAL);
}

void tandem_md_suspend(struct tandem_c *tc)
{
	struct tandem_metadata *md = &tc->md;

	if (!tandem_md_present(md))
		return;
	WRITE_ONCE(md->stopped, true);
	cancel_delayed_work_sync(&md->cleaner);
	/* Nothing is in flight: leave exactly the regions a leg lacks set. */
	if (tandem_md_clear_idle(tc, true))
		tandem_md_kick(tc);
	flush_work(&md->work);
	if (!md->failed && tandem_md_write_super(tc, true))
		DMERR("%s: cannot mark the metadata clean",
		      dm_table_device_name(tc->ti->table));
}

int tandem_md_resume(struct tandem_c *tc, const char **error)
{
	struct tandem_metadata *md = &tc->md;
	int r;

	if (!tandem_md_present(md) || md->failed)
		return 0;
	if (!md->loaded) {
		r = tandem_md_load(tc, error);
		if (r)
			return r;
		md->loaded = true;
	}
	if (tandem_md_write_super(tc, false)) {
		*error = "Cannot write the metadata superblock";
		return -EIO;
	}
	WRITE_ONCE(md->stopped, false);
	queue_delayed_work(tc->wq, &md->cleaner, TANDEM_MD_CLEAN_INTERVAL);
	return 0;
}

void tandem_md_legs_changed(struct tandem_c *tc)
{
	struct tandem_metadata *md = &tc->md;

	if (!tandem_md_present(md) || md->failed)
		return;
	if (tandem_md_write_super(tc, md->clean_on_disk)) {
		spin_lock_irq(&tc->state_lock);
		md->failed = true;
		spin_unlock_irq(&tc->state_lock);
		DMERR("%s: metadata write failed: writes fail from now on",
		      dm_table_device_name(tc->ti->table));
	}
}

const char *tandem_md_state(struct tandem_c *tc)
{
	if (!tandem_md_present(&tc->md))
		return TANDEM_METADATA_NONE;
	return READ_ONCE(tc->md.failed) ? TANDEM_METADATA_FAILED :
					  TANDEM_METADATA_OK;
}
