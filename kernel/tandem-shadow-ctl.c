// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow's setup and teardown, messages, and its figures in status,
 * table and stats.  The data path is in tandem-shadow.c.
 */
#include "tandem-core.h"

static const char *const op_names[TANDEM_NR_OPS] = {
	[TANDEM_OP_READ] = "read",
	[TANDEM_OP_WRITE] = "write",
	[TANDEM_OP_FLUSH] = "flush",
	[TANDEM_OP_DISCARD] = "discard",
};

static u32 kib_to_pages(u32 kib)
{
	return kib / (PAGE_SIZE >> 10);
}

static u32 pages_to_kib(u32 pages)
{
	return pages * (PAGE_SIZE >> 10);
}

int tandem_shadow_init(struct tandem_c *tc,
		       const struct tandem_table_args *args,
		       const char **error)
{
	struct tandem_shadow *sh = &tc->shadow;
	struct dm_target *ti = tc->ti;
	int r;

	atomic_set(&sh->pool_used, 0);
	atomic_set(&sh->in_flight, 0);
	init_waitqueue_head(&sh->idle);
	spin_lock_init(&sh->mismatch_lock);
	spin_lock_init(&sh->gate_lock);
	bio_list_init(&sh->gate_passed);
	INIT_WORK(&sh->gate_work, tandem_shadow_gate_work);
	spin_lock_init(&sh->submit_lock);
	bio_list_init(&sh->submit_list);
	INIT_WORK(&sh->submit_work, tandem_shadow_submit_work);
	sh->mode = args->has_shadow_mode ? args->shadow_mode :
					   TANDEM_SHADOW_MODE_ASYNC;
	sh->sample = args->has_shadow_sample ? args->shadow_sample : 1;
	sh->last_sample = sh->sample ? sh->sample : 1;
	sh->pool_pages = kib_to_pages(args->has_shadow_pool ?
				      args->shadow_pool :
				      TANDEM_DEFAULT_SHADOW_POOL);

	sh->tick = alloc_percpu(unsigned int);
	sh->stats = alloc_percpu(struct tandem_shadow_stats);
	if (!sh->tick || !sh->stats) {
		*error = "Cannot allocate shadow figures";
		return -ENOMEM;
	}
	if (!args->shadow_dev)
		return 0;

	sh->submit_wq = alloc_ordered_workqueue("dm-tandem-shadow",
						WQ_MEM_RECLAIM);
	if (!sh->submit_wq) {
		*error = "Cannot allocate the shadow's workqueue";
		return -ENOMEM;
	}
	r = bioset_init(&sh->bs, BIO_POOL_SIZE,
			offsetof(struct tandem_shadow_clone, bio),
			BIOSET_NEED_BVECS | BIOSET_NEED_RESCUER);
	if (r) {
		*error = "Cannot allocate shadow bios";
		return r;
	}
	r = dm_get_device(ti, args->shadow_dev, dm_table_get_mode(ti->table),
			  &sh->dev);
	if (r) {
		*error = "Error opening shadow device";
		return r;
	}
	if (bdev_nr_sectors(sh->dev->bdev) < ti->len) {
		*error = "Shadow device is smaller than the target";
		return -EINVAL;
	}
	return 0;
}

void tandem_shadow_exit(struct tandem_c *tc)
{
	struct tandem_shadow *sh = &tc->shadow;

	if (sh->dev)
		dm_put_device(tc->ti, sh->dev);
	if (sh->submit_wq)
		destroy_workqueue(sh->submit_wq);
	bioset_exit(&sh->bs);
	free_percpu(sh->stats);
	free_percpu(sh->tick);
}

void tandem_shadow_quiesce(struct tandem_c *tc)
{
	struct tandem_shadow *sh = &tc->shadow;

	/* Async clones outlive their production bios; a hung shadow blocks here. */
	if (sh->submit_wq)
		flush_workqueue(sh->submit_wq);
	wait_event(sh->idle, !atomic_read(&sh->in_flight));
	flush_work(&sh->gate_work);
}

int tandem_shadow_message(struct tandem_c *tc, const struct tandem_msg *msg,
			  const char **error)
{
	struct tandem_shadow *sh = &tc->shadow;

	if (!sh->dev) {
		*error = "No shadow device: add one with the shadow feature";
		return -EINVAL;
	}
	switch (msg->verb) {
	case TANDEM_VERB_SHADOW_ON:
		WRITE_ONCE(sh->sample, sh->last_sample);
		break;
	case TANDEM_VERB_SHADOW_OFF:
		WRITE_ONCE(sh->sample, 0);
		break;
	case TANDEM_VERB_SHADOW_SAMPLE:
		WRITE_ONCE(sh->sample, msg->shadow_sample);
		if (msg->shadow_sample)
			sh->last_sample = msg->shadow_sample;
		break;
	case TANDEM_VERB_SHADOW_POOL:
		WRITE_ONCE(sh->pool_pages, kib_to_pages(msg->shadow_pool));
		break;
	case TANDEM_VERB_SHADOW_MODE:
		WRITE_ONCE(sh->mode, msg->shadow_mode);
		break;
	default:
		*error = "Unknown message";
		return -EINVAL;
	}
	return 0;
}

void tandem_shadow_stats_reset(struct tandem_shadow *sh)
{
	unsigned long flags;
	int cpu;

	atomic64_set(&sh->dropped, 0);
	atomic64_set(&sh->gate_failures, 0);
	atomic64_set(&sh->compared, 0);
	atomic64_set(&sh->mismatches, 0);
	atomic64_set(&sh->confined, 0);
	atomic64_set(&sh->confined_errors, 0);
	spin_lock_irqsave(&sh->mismatch_lock, flags);
	sh->nr_mismatch_sectors = 0;
	spin_unlock_irqrestore(&sh->mismatch_lock, flags);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(sh->stats, cpu), 0, sizeof(*sh->stats));
}

static void figures_sum(struct tandem_shadow *sh, unsigned int side,
			unsigned int op, struct tandem_op_figures *sum)
{
	unsigned int b;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct tandem_op_figures *f =
			&per_cpu_ptr(sh->stats, cpu)->op[side][op];

		sum->count += READ_ONCE(f->count);
		sum->errors += READ_ONCE(f->errors);
		for (b = 0; b < TANDEM_LAT_BUCKETS; b++)
			sum->lat[b] += READ_ONCE(f->lat[b]);
	}
}

/* The shadow's counters, in status order; @named: "<name> <value>" pairs. */
static unsigned int emit_counters(struct tandem_shadow *sh, bool named,
				  char *result, unsigned int maxlen,
				  unsigned int sz)
{
	const struct {
		const char *name;
		atomic64_t *value;
	} counters[] = {
		{ "dropped", &sh->dropped },
		{ "gate_failures", &sh->gate_failures },
		{ "compared", &sh->compared },
		{ "mismatches", &sh->mismatches },
		{ "confined", &sh->confined },
		{ "confined_errors", &sh->confined_errors },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(counters); i++)
		DMEMIT(" %s%s%llu", named ? counters[i].name : "",
		       named ? " " : "", (u64)atomic64_read(counters[i].value));
	return sz;
}

unsigned int tandem_shadow_emit_status(struct tandem_shadow *sh, char *result,
				       unsigned int maxlen, unsigned int sz)
{
	struct tandem_op_figures sum;
	unsigned int op, side;

	DMEMIT(" %s %s %u %u %u", sh->dev ? sh->dev->name : "-",
	       tandem_shadow_mode_name(READ_ONCE(sh->mode)),
	       READ_ONCE(sh->sample), pages_to_kib(READ_ONCE(sh->pool_pages)),
	       pages_to_kib(atomic_read(&sh->pool_used)));
	sz = emit_counters(sh, false, result, maxlen, sz);
	for (op = 0; op < TANDEM_NR_OPS; op++) {
		DMEMIT(" %s", op_names[op]);
		for (side = 0; side < TANDEM_NR_SIDES; side++) {
			figures_sum(sh, side, op, &sum);
			DMEMIT(" %llu %llu %llu", sum.count, sum.errors,
			       tandem_lat_percentile_us(sum.lat, 99));
		}
	}
	return sz;
}

static bool pool_is_default(struct tandem_shadow *sh)
{
	return READ_ONCE(sh->pool_pages) ==
	       kib_to_pages(TANDEM_DEFAULT_SHADOW_POOL);
}

unsigned int tandem_shadow_table_words(struct tandem_shadow *sh)
{
	if (!sh->dev)
		return 0;
	return 2 + (READ_ONCE(sh->mode) != TANDEM_SHADOW_MODE_ASYNC ? 2 : 0) +
	       (READ_ONCE(sh->sample) != 1 ? 2 : 0) +
	       (pool_is_default(sh) ? 0 : 2);
}

unsigned int tandem_shadow_emit_table(struct tandem_shadow *sh, char *result,
				      unsigned int maxlen, unsigned int sz)
{
	if (!sh->dev)
		return sz;
	DMEMIT(" " TANDEM_FEAT_SHADOW " %s", sh->dev->name);
	if (READ_ONCE(sh->mode) != TANDEM_SHADOW_MODE_ASYNC)
		DMEMIT(" " TANDEM_FEAT_SHADOW_MODE " %s",
		       tandem_shadow_mode_name(READ_ONCE(sh->mode)));
	if (READ_ONCE(sh->sample) != 1)
		DMEMIT(" " TANDEM_FEAT_SHADOW_SAMPLE " %u", READ_ONCE(sh->sample));
	if (!pool_is_default(sh))
		DMEMIT(" " TANDEM_FEAT_SHADOW_POOL " %u",
		       pages_to_kib(READ_ONCE(sh->pool_pages)));
	return sz;
}

unsigned int tandem_shadow_emit_stats(struct tandem_shadow *sh, char *result,
				      unsigned int maxlen, unsigned int sz)
{
	static const char *const side_names[TANDEM_NR_SIDES] = {
		[TANDEM_SIDE_PRODUCTION] = "production",
		[TANDEM_SIDE_SHADOW] = "shadow",
	};
	sector_t sectors[TANDEM_SHADOW_MISMATCH_SECTORS];
	struct tandem_op_figures sum;
	unsigned int op, side, b, i, n;
	unsigned long flags;

	if (!sh->dev)
		return sz;
	DMEMIT("shadow dev %s mode %s sample %u pool_kib %u pool_used_kib %u",
	       sh->dev->name, tandem_shadow_mode_name(READ_ONCE(sh->mode)),
	       READ_ONCE(sh->sample), pages_to_kib(READ_ONCE(sh->pool_pages)),
	       pages_to_kib(atomic_read(&sh->pool_used)));
	sz = emit_counters(sh, true, result, maxlen, sz);
	DMEMIT("\n");
	for (op = 0; op < TANDEM_NR_OPS; op++) {
		for (side = 0; side < TANDEM_NR_SIDES; side++) {
			figures_sum(sh, side, op, &sum);
			DMEMIT("shadow_op %s side %s count %llu errors %llu p50_us %llu p99_us %llu lat_us ",
			       op_names[op], side_names[side], sum.count,
			       sum.errors, tandem_lat_percentile_us(sum.lat, 50),
			       tandem_lat_percentile_us(sum.lat, 99));
			for (b = 0; b < TANDEM_LAT_BUCKETS; b++)
				DMEMIT("%s%llu", b ? "," : "", sum.lat[b]);
			DMEMIT("\n");
		}
	}
	spin_lock_irqsave(&sh->mismatch_lock, flags);
	n = sh->nr_mismatch_sectors;
	memcpy(sectors, sh->mismatch_sector, n * sizeof(sectors[0]));
	spin_unlock_irqrestore(&sh->mismatch_lock, flags);
	DMEMIT("shadow_mismatch_sectors");
	for (i = 0; i < n; i++)
		DMEMIT("%s%llu", i ? "," : " ", (u64)sectors[i]);
	DMEMIT("\n");
	return sz;
}
