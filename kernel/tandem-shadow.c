// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow.
 *
 * Sampled production bios are cloned to the shadow device:
 *
 * - async: a write's payload is copied into pages from a bounded pool at
 *   map time, so production never waits for the shadow and never shares
 *   pages with it; without pool pages or memory the clone is dropped and
 *   counted, never waited for;
 * - sync: the clone shares the payload and the original completes after
 *   the legs and the clone;
 * - gate: the clone goes first, and the write goes to the legs only if
 *   the clone succeeded; otherwise it fails with the shadow's error.
 *
 * Reads are compared in every mode: a sampled read is also read from the
 * shadow into pool pages, and the xxh64 of the two payloads compared when
 * both are in, without holding up the production read.
 *
 * Bios of a route=shadow rule are remapped to the shadow instead of the
 * legs (confined); without a shadow they fail, counted.
 */
#include "tandem-core.h"

#include <linux/slab.h>
#include <linux/xxhash.h>

static struct tandem_shadow_clone *to_shadow_clone(struct bio *bio)
{
	return container_of(bio, struct tandem_shadow_clone, bio);
}

static void figures_add(struct tandem_shadow *sh, unsigned int side,
			unsigned int op, u64 start_ns, blk_status_t status)
{
	struct tandem_shadow_stats *st = get_cpu_ptr(sh->stats);
	struct tandem_op_figures *f = &st->op[side][op];

	f->count++;
	if (status)
		f->errors++;
	f->lat[tandem_lat_bucket(ktime_get_ns() - start_ns)]++;
	put_cpu_ptr(sh->stats);
}

/* ---- pool and clones ---- */

static bool pool_get(struct tandem_shadow *sh, unsigned int pages)
{
	if (atomic_add_return(pages, &sh->pool_used) <= READ_ONCE(sh->pool_pages))
		return true;
	atomic_sub(pages, &sh->pool_used);
	return false;
}

static void clone_release(struct tandem_shadow *sh, struct bio *clone)
{
	struct tandem_shadow_clone *sc = to_shadow_clone(clone);

	if (sc->nr_pages) {
		bio_free_pages(clone);
		atomic_sub(sc->nr_pages, &sh->pool_used);
	}
	bio_put(clone);
	if (atomic_dec_and_test(&sh->in_flight))
		wake_up_all(&sh->idle);
}

static void clone_init(struct tandem_c *tc, struct bio *clone,
		       struct bio *orig, unsigned int op, bio_end_io_t *end_io)
{
	struct tandem_shadow_clone *sc = to_shadow_clone(clone);

	sc->tc = tc;
	sc->orig = orig;
	sc->cmp = NULL;
	sc->start_ns = ktime_get_ns();
	sc->nr_pages = 0;
	sc->op = op;
	clone->bi_end_io = end_io;
	atomic_inc(&tc->shadow.in_flight);
}

/*
 * A clone of @bio with its own pages (filled from @bio if @copy), or NULL
 * if the pool or memory is short.  Never sleeps.
 */
static struct bio *clone_own_pages(struct tandem_c *tc, struct bio *bio,
				   bool copy)
{
	struct tandem_shadow *sh = &tc->shadow;
	unsigned int size = bio->bi_iter.bi_size, nr_pages = 0, i;
	bool has_data = bio_has_data(bio);
	struct bio *clone;

	if (has_data) {
		nr_pages = DIV_ROUND_UP(size, PAGE_SIZE);
		if (!pool_get(sh, nr_pages))
			return NULL;
	}
	clone = bio_alloc_bioset(sh->dev->bdev, nr_pages, bio->bi_opf,
				 GFP_NOWAIT | __GFP_NOWARN, &sh->bs);
	if (!clone)
		goto no_bio;
	/* Completed by interrupt; nobody polls it. */
	bio_clear_polled(clone);
	clone->bi_iter.bi_sector = bio->bi_iter.bi_sector;
	if (!has_data) {
		clone->bi_iter.bi_size = size;	/* discard, write zeroes, flush */
		return clone;
	}
	for (i = 0; i < nr_pages; i++) {
		unsigned int len = min_t(unsigned int, PAGE_SIZE,
					 size - i * PAGE_SIZE);
		struct page *page = alloc_page(GFP_NOWAIT | __GFP_NOWARN);

		if (!page)
			goto no_pages;
		__bio_add_page(clone, page, len, 0);
	}
	if (copy)
		bio_copy_data(clone, bio);
	return clone;

no_pages:
	bio_free_pages(clone);
	bio_put(clone);
no_bio:
	if (nr_pages)
		atomic_sub(nr_pages, &sh->pool_used);
	return NULL;
}

static void clone_set_pages(struct bio *clone, struct bio *bio)
{
	if (bio_has_data(bio))
		to_shadow_clone(clone)->nr_pages =
			DIV_ROUND_UP(bio->bi_iter.bi_size, PAGE_SIZE);
}

static void shadow_clone_endio(struct bio *clone)
{
	struct tandem_shadow_clone *sc = to_shadow_clone(clone);
	struct tandem_shadow *sh = &sc->tc->shadow;

	figures_add(sh, TANDEM_SIDE_SHADOW, sc->op, sc->start_ns,
		    clone->bi_status);
	clone_release(sh, clone);
}

/*
 * Async clones and read-compare clones are submitted by a worker: a
 * shadow out of queue tags would otherwise put the production bio's
 * submitter to sleep.  The pool bounds what waits here.
 */
static void shadow_submit_later(struct tandem_shadow *sh, struct bio *clone)
{
	unsigned long flags;

	spin_lock_irqsave(&sh->submit_lock, flags);
	bio_list_add(&sh->submit_list, clone);
	spin_unlock_irqrestore(&sh->submit_lock, flags);
	queue_work(sh->submit_wq, &sh->submit_work);
}

void tandem_shadow_submit_work(struct work_struct *work)
{
	struct tandem_shadow *sh = container_of(work, struct tandem_shadow,
						submit_work);
	struct bio_list bios;
	struct bio *clone;

	spin_lock_irq(&sh->submit_lock);
	bios = sh->submit_list;
	bio_list_init(&sh->submit_list);
	spin_unlock_irq(&sh->submit_lock);

	while ((clone = bio_list_pop(&bios)))
		submit_bio_noacct(clone);
}

bool tandem_shadow_sampled(struct tandem_shadow *sh)
{
	u32 every = READ_ONCE(sh->sample);
	unsigned int *tick;
	bool hit;

	if (!every || !sh->dev)
		return false;
	if (every == 1)
		return true;
	tick = get_cpu_ptr(sh->tick);
	hit = ++*tick >= every;
	if (hit)
		*tick = 0;
	put_cpu_ptr(sh->tick);
	return hit;
}

/* ---- writes ---- */

static void shadow_sync_endio(struct bio *clone)
{
	struct tandem_shadow_clone *sc = to_shadow_clone(clone);
	struct tandem_c *tc = sc->tc;
	struct bio *orig = sc->orig;

	figures_add(&tc->shadow, TANDEM_SIDE_SHADOW, sc->op, sc->start_ns,
		    clone->bi_status);
	clone_release(&tc->shadow, clone);
	tandem_write_put(tc, orig);
}

void tandem_shadow_write(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_io *io = tandem_io_of(bio);
	struct tandem_shadow *sh = &tc->shadow;
	struct bio *clone;

	if (io->shadow_mode == TANDEM_SHADOW_MODE_SYNC) {
		clone = bio_alloc_clone(sh->dev->bdev, bio, GFP_NOIO, &sh->bs);
		bio_clear_polled(clone);
		clone_init(tc, clone, bio, io->op, shadow_sync_endio);
		submit_bio_noacct(clone);
		return;
	}

	clone = clone_own_pages(tc, bio, true);
	if (!clone) {
		atomic64_inc(&sh->dropped);
		return;
	}
	clone_init(tc, clone, NULL, io->op, shadow_clone_endio);
	clone_set_pages(clone, bio);
	shadow_submit_later(sh, clone);
}

static void shadow_gate_endio(struct bio *clone)
{
	struct tandem_shadow_clone *sc = to_shadow_clone(clone);
	blk_status_t status = clone->bi_status;
	struct tandem_c *tc = sc->tc;
	struct tandem_shadow *sh = &tc->shadow;
	struct bio *orig = sc->orig;
	unsigned long flags;

	figures_add(sh, TANDEM_SIDE_SHADOW, sc->op, sc->start_ns, status);
	clone_release(sh, clone);

	if (status) {
		atomic64_inc(&sh->gate_failures);
		orig->bi_status = status;
		bio_endio(orig);
		return;
	}
	/* Fanning out may sleep on a mempool: not from here. */
	spin_lock_irqsave(&sh->gate_lock, flags);
	bio_list_add(&sh->gate_passed, orig);
	spin_unlock_irqrestore(&sh->gate_lock, flags);
	queue_work(tc->wq, &sh->gate_work);
}

void tandem_shadow_gate_work(struct work_struct *work)
{
	struct tandem_shadow *sh = container_of(work, struct tandem_shadow,
						gate_work);
	struct tandem_c *tc = container_of(sh, struct tandem_c, shadow);
	struct bio_list bios;
	struct bio *bio;

	spin_lock_irq(&sh->gate_lock);
	bios = sh->gate_passed;
	bio_list_init(&sh->gate_passed);
	spin_unlock_irq(&sh->gate_lock);

	while ((bio = bio_list_pop(&bios)))
		tandem_write_submit(tc, bio);
}

void tandem_shadow_gate(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_io *io = tandem_io_of(bio);
	struct bio *clone;

	/* Once through the gate, the fan-out makes no further clone. */
	io->shadow_mode = TANDEM_SHADOW_MODE_NONE;
	clone = bio_alloc_clone(tc->shadow.dev->bdev, bio, GFP_NOIO,
				&tc->shadow.bs);
	bio_clear_polled(clone);
	clone_init(tc, clone, bio, io->op, shadow_gate_endio);
	submit_bio_noacct(clone);
}

/* ---- reads ---- */

static u64 hash_payload(struct bio *bio, struct bvec_iter start)
{
	struct xxh64_state state;
	struct bvec_iter iter;
	struct bio_vec bv;

	xxh64_reset(&state, 0);
	__bio_for_each_segment(bv, bio, iter, start) {
		void *p = bvec_kmap_local(&bv);

		xxh64_update(&state, p, bv.bv_len);
		kunmap_local(p);
	}
	return xxh64_digest(&state);
}

/* The same hash over a clone's own pages, whose iterator is spent. */
static u64 hash_own_pages(struct bio *clone)
{
	struct xxh64_state state;
	unsigned short i;

	xxh64_reset(&state, 0);
	for (i = 0; i < clone->bi_vcnt; i++) {
		struct bio_vec *bv = &clone->bi_io_vec[i];
		void *p = kmap_local_page(bv->bv_page);

		xxh64_update(&state, p + bv->bv_offset, bv->bv_len);
		kunmap_local(p);
	}
	return xxh64_digest(&state);
}

static void cmp_put(struct tandem_shadow *sh, struct tandem_shadow_cmp *cmp)
{
	unsigned long flags;

	if (!atomic_dec_and_test(&cmp->refs))
		return;
	if (cmp->ok[TANDEM_SIDE_PRODUCTION] && cmp->ok[TANDEM_SIDE_SHADOW]) {
		atomic64_inc(&sh->compared);
		if (cmp->hash[TANDEM_SIDE_PRODUCTION] !=
		    cmp->hash[TANDEM_SIDE_SHADOW]) {
			atomic64_inc(&sh->mismatches);
			spin_lock_irqsave(&sh->mismatch_lock, flags);
			if (sh->nr_mismatch_sectors < TANDEM_SHADOW_MISMATCH_SECTORS)
				sh->mismatch_sector[sh->nr_mismatch_sectors++] =
					cmp->sector;
			spin_unlock_irqrestore(&sh->mismatch_lock, flags);
		}
	}
	kfree(cmp);
}

static void shadow_read_endio(struct bio *clone)
{
	struct tandem_shadow_clone *sc = to_shadow_clone(clone);
	struct tandem_shadow *sh = &sc->tc->shadow;
	struct tandem_shadow_cmp *cmp = sc->cmp;

	figures_add(sh, TANDEM_SIDE_SHADOW, sc->op, sc->start_ns,
		    clone->bi_status);
	if (!clone->bi_status) {
		cmp->hash[TANDEM_SIDE_SHADOW] = hash_own_pages(clone);
		cmp->ok[TANDEM_SIDE_SHADOW] = true;
	}
	clone_release(sh, clone);
	cmp_put(sh, cmp);
}

void tandem_shadow_read(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_io *io = tandem_io_of(bio);
	struct tandem_shadow *sh = &tc->shadow;
	struct tandem_shadow_cmp *cmp;
	struct bio *clone;

	cmp = kzalloc(sizeof(*cmp), GFP_NOWAIT | __GFP_NOWARN);
	clone = cmp ? clone_own_pages(tc, bio, false) : NULL;
	if (!clone) {
		kfree(cmp);
		atomic64_inc(&sh->dropped);
		return;
	}
	atomic_set(&cmp->refs, 2);
	cmp->sector = bio->bi_iter.bi_sector;
	io->cmp = cmp;

	clone_init(tc, clone, NULL, io->op, shadow_read_endio);
	clone_set_pages(clone, bio);
	to_shadow_clone(clone)->cmp = cmp;
	shadow_submit_later(sh, clone);
}

/* ---- confinement and completion ---- */

int tandem_shadow_confine(struct tandem_c *tc, struct bio *bio)
{
	struct tandem_shadow *sh = &tc->shadow;

	atomic64_inc(&sh->confined);
	if (!sh->dev) {
		/* Counted in confined_errors on completion. */
		DMWARN_LIMIT("%s: bio routed to the shadow, but there is none: failed",
			     dm_table_device_name(tc->ti->table));
		return DM_MAPIO_KILL;
	}
	bio_set_dev(bio, sh->dev->bdev);
	return DM_MAPIO_REMAPPED;
}

void tandem_shadow_done(struct tandem_c *tc, struct bio *bio,
			blk_status_t status)
{
	struct tandem_io *io = tandem_io_of(bio);
	struct tandem_shadow *sh = &tc->shadow;
	struct tandem_shadow_cmp *cmp = io->cmp;

	if (io->confined) {
		if (status)
			atomic64_inc(&sh->confined_errors);
		if (sh->dev)
			figures_add(sh, TANDEM_SIDE_SHADOW, io->op,
				    io->start_ns, status);
		return;
	}
	if (!sh->dev)
		return;
	figures_add(sh, TANDEM_SIDE_PRODUCTION, io->op, io->start_ns, status);
	if (!cmp)
		return;
	io->cmp = NULL;
	if (!status) {
		cmp->hash[TANDEM_SIDE_PRODUCTION] = hash_payload(bio, io->iter);
		cmp->ok[TANDEM_SIDE_PRODUCTION] = true;
	}
	cmp_put(sh, cmp);
}
