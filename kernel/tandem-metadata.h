/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The metadata device: superblock and per-leg write-intent / out-of-sync
 * bitmaps (format in include/dm-tandem/metadata.h).
 *
 * In core, for every leg, `intent` holds the bits wanted on disk and
 * `durable` the bits known to be on disk.  A write may go to the legs only
 * once its region's bit is durable on every leg; otherwise the bits are
 * set in `intent`, their blocks marked dirty, and the write waits for the
 * metadata work item, which writes the dirty blocks, flushes, and lets the
 * waiting writes go.  Bits are cleared lazily by the cleaner once a region
 * went a whole cleaner interval without a write and is in sync; `durable`
 * is cleared first, so a write racing with the clear sets the bit again
 * before it proceeds.
 *
 * With "-" as metadata device none of this exists and every function here
 * is a no-op that lets writes through.
 *
 * __ functions need tc->state_lock; the others run in process context and
 * may sleep.
 */
#ifndef TANDEM_METADATA_H
#define TANDEM_METADATA_H

#include <linux/bio.h>
#include <linux/dm-io.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include <dm-tandem/metadata.h>

struct tandem_c;

/* Dirty blocks written per round of the metadata work item. */
#define TANDEM_MD_BATCH		16

struct tandem_metadata {
	struct dm_dev *dev;		/* NULL: in-core only ("-") */
	struct dm_io_client *io;
	struct mutex io_lock;		/* serialises metadata writes */
	struct page *pages[TANDEM_MD_BATCH];
	unsigned long *scratch;		/* one block's bits, under io_lock */

	u8 uuid[16];
	u64 events;
	unsigned long blocks_per_leg;

	/* Under tc->state_lock: */
	unsigned long *intent[TANDEM_MAX_LEGS];
	unsigned long *durable[TANDEM_MAX_LEGS];
	unsigned long *dirty[TANDEM_MAX_LEGS];	/* bitmap blocks to write */
	unsigned long *recent;		/* regions written since the last clean */
	unsigned long nr_dirty;
	struct bio_list waiting;	/* writes waiting for their intent bits */
	bool failed;			/* a metadata write failed: writes fail */
	bool clean_on_disk;		/* the superblock says CLEAN */
	bool loaded;			/* in-core state came from (or went to) disk */

	struct work_struct work;	/* writes dirty blocks */
	struct delayed_work cleaner;	/* clears idle, in-sync bits */
	bool stopped;			/* suspended: no cleaning */
};

static inline bool tandem_md_present(struct tandem_metadata *md)
{
	return md->dev;
}

/*
 * Constructor: open @path and check it fits the table, or format it if
 * blank (then @nosync says whether the legs start in sync).  Needs
 * tc->regions initialised.  The legs' health and bitmaps are read at the
 * first resume (tandem_md_resume).
 */
int tandem_md_open(struct tandem_c *tc, const char *path, bool nosync,
		   const char **error);
void tandem_md_close(struct tandem_c *tc);

enum tandem_md_verdict {
	TANDEM_MD_GO,		/* the region's bits are durable: write */
	TANDEM_MD_WAIT,		/* park on md->waiting, tandem_md_kick() */
	TANDEM_MD_FAIL,		/* metadata failed: fail the write */
};

/* Write path: may a write to @region go to the legs now? */
enum tandem_md_verdict __tandem_md_intent(struct tandem_c *tc,
					  unsigned long region);
void tandem_md_kick(struct tandem_c *tc);

/* Suspend/resume: clean flag, cleaner on and off; resume loads the state. */
void tandem_md_suspend(struct tandem_c *tc);
int tandem_md_resume(struct tandem_c *tc, const char **error);
/* Record leg health in the superblock (after a leg failed or came back). */
void tandem_md_legs_changed(struct tandem_c *tc);

/* "-", "ok" or "failed", for the status line. */
const char *tandem_md_state(struct tandem_c *tc);

#endif /* TANDEM_METADATA_H */
