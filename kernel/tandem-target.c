// SPDX-License-Identifier: GPL-2.0
/*
 * dm-tandem: a device-mapper target that mirrors a volume onto two to four
 * legs and steers reads between them by weights userspace sets.
 *
 * This file is the target glue: constructor, status, messages and the
 * struct target_type.  The data path is in tandem-io.c, leg health in
 * tandem-leg.c, the table and message grammar in tandem-parse.c.
 */
#include "tandem-core.h"
#include "tandem-parse.h"

#include <linux/module.h>
#include <linux/slab.h>

static void tandem_put_legs(struct tandem_c *tc)
{
	unsigned int i;

	for (i = 0; i < tc->nr_legs; i++)
		if (tc->legs[i].dev)
			dm_put_device(tc->ti, tc->legs[i].dev);
}

static int tandem_get_legs(struct tandem_c *tc,
			   const struct tandem_table_args *args)
{
	struct dm_target *ti = tc->ti;
	unsigned int i, j;
	int r;

	for (i = 0; i < tc->nr_legs; i++) {
		struct dm_dev *dev;

		r = dm_get_device(ti, args->leg_path[i],
				  dm_table_get_mode(ti->table), &dev);
		if (r) {
			ti->error = "Error opening leg device";
			return r;
		}
		tc->legs[i].dev = dev;

		if (bdev_nr_sectors(dev->bdev) < ti->len) {
			ti->error = "Leg device is smaller than the target";
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (tc->legs[j].dev->bdev == dev->bdev) {
				ti->error = "Same device given as two legs";
				return -EINVAL;
			}
		}
	}
	return 0;
}

static void tandem_default_weights(struct tandem_c *tc, u8 *weights)
{
	memset(weights, 0, TANDEM_MAX_LEGS);
	weights[0] = TANDEM_WEIGHT_TOTAL;
}

static void tandem_free(struct tandem_c *tc)
{
	if (tc->wq) {
		cancel_delayed_work_sync(&tc->sync.work);
		cancel_delayed_work_sync(&tc->md.cleaner);
		destroy_workqueue(tc->wq);
	}
	tandem_sched_stop(&tc->sched);
	tandem_sched_exit(&tc->sched);
	tandem_shadow_exit(tc);
	tandem_sync_exit(tc);
	tandem_compare_exit(&tc->compare);
	tandem_md_close(tc);
	tandem_regions_exit(&tc->regions);
	tandem_io_exit(tc);
	tandem_legs_exit(tc);
	tandem_put_legs(tc);
	kfree(tc);
}

/*
 * Construct a tandem mapping:
 *
 *   <metadata_dev | -> <region_sectors> <#legs> <leg_dev>...
 *   [<#feature_args> <feature_arg>...]
 *
 * features:  nosync                    legs are identical, skip initial sync
 *            read_weights <w>{#legs}   read weights in percent (sum 100)
 *            sync_rate <KiB/s>         resync rate, 0 pauses
 *            resync_mode copy|checksum whole regions, or differing blocks
 *            queue_depth <n>           in-flight limit of the class scheduler
 *            class <name> <weight> <iops> <bw>
 *            rule <#words> <class> [<match>...]
 *            shadow <dev>              clone production bios to it
 *            shadow_mode async|sync|gate
 *            shadow_sample <n>         1 in n production bios; 0 off
 *            shadow_pool <KiB>         payload copies of async clones
 */
static int tandem_construct(struct dm_target *ti, struct tandem_c *tc,
			    unsigned int argc, char **argv,
			    struct tandem_table_args *args)
{
	const char *error = NULL;
	u8 weights[TANDEM_MAX_LEGS];
	int r;

	r = tandem_parse_table(argc, argv, args, &error);
	if (r) {
		ti->error = (char *)error;
		return r;
	}

	tc->ti = ti;
	tc->nr_legs = args->nr_legs;
	tc->region_sectors = args->region_sectors;
	tc->nosync = args->nosync;
	mutex_init(&tc->msg_lock);

	if (args->has_read_weights)
		memcpy(weights, args->read_weights, sizeof(weights));
	else
		tandem_default_weights(tc, weights);
	tc->read_weights = tandem_weights_pack(weights, tc->nr_legs);

	r = tandem_get_legs(tc, args);
	if (r)
		return r;

	r = tandem_legs_init(tc);
	if (!r)
		r = tandem_io_init(tc);
	if (!r)
		r = tandem_regions_init(&tc->regions, ti->len, tc->region_sectors,
					tc->nr_legs,
					args->nosync ? 0 : tandem_all_legs(tc) & ~1UL);
	if (!r)
		r = tandem_sync_init(tc, args->has_sync_rate ? args->sync_rate :
					 TANDEM_DEFAULT_SYNC_RATE);
	if (!r)
		r = tandem_compare_init(&tc->compare);
	tc->sync.checksum = args->resync_checksum;
	if (r) {
		ti->error = "Cannot allocate I/O and region state";
		return r;
	}

	r = tandem_sched_init(&tc->sched, args, &error);
	if (!r)
		r = tandem_sched_start(&tc->sched);
	if (!r)
		r = tandem_shadow_init(tc, args, &error);
	if (r) {
		ti->error = error ? (char *)error : "Cannot allocate the scheduler";
		return r;
	}

	/* Loads the legs' state, or formats a blank device after the table. */
	r = tandem_md_open(tc, args->metadata_dev, args->nosync, &error);
	if (r) {
		ti->error = (char *)error;
		return r;
	}
	/* Leg 0, the source, starts in sync; the others once copied. */
	__tandem_update_readable(tc);

	tc->wq = alloc_workqueue("dm-tandem", WQ_MEM_RECLAIM, 0);
	if (!tc->wq) {
		ti->error = "Cannot allocate workqueue";
		return -ENOMEM;
	}

	/*
	 * Bios never cross a region, so region state can be tracked per bio,
	 * and never outgrow one bio of single pages, so a shadow clone can
	 * always hold a copy of the payload.
	 */
	r = dm_set_target_max_io_len(ti, min_t(u32, tc->region_sectors,
					       BIO_MAX_VECS << (PAGE_SHIFT - SECTOR_SHIFT)));
	if (r)
		return r;

	/* One flush/discard/write-zeroes bio; the target fans it out itself. */
	ti->num_flush_bios = 1;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->per_io_data_size = sizeof(struct tandem_io);
	return 0;
}

static int tandem_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	struct tandem_table_args *args;
	struct tandem_c *tc;
	int r;

	args = kzalloc(sizeof(*args), GFP_KERNEL);
	tc = kzalloc(sizeof(*tc), GFP_KERNEL);
	if (!args || !tc) {
		kfree(args);
		kfree(tc);
		ti->error = "Cannot allocate context";
		return -ENOMEM;
	}
	r = tandem_construct(ti, tc, argc, argv, args);
	kfree(args);
	if (r) {
		tandem_free(tc);
		return r;
	}
	ti->private = tc;
	return 0;
}

static void tandem_dtr(struct dm_target *ti)
{
	tandem_free(ti->private);
}

static void tandem_presuspend(struct dm_target *ti)
{
	struct tandem_c *tc = ti->private;

	/* dm core is about to wait for every mapped bio: queued ones too. */
	tandem_sched_drain(&tc->sched, true);
}

static void tandem_presuspend_undo(struct dm_target *ti)
{
	struct tandem_c *tc = ti->private;

	tandem_sched_drain(&tc->sched, false);
}

static void tandem_postsuspend(struct dm_target *ti)
{
	struct tandem_c *tc = ti->private;

	/*
	 * dm core waited for every mapped bio; stop the resync after the
	 * region it is copying and let pending events go out.
	 */
	tandem_sync_stop(tc);
	tandem_shadow_quiesce(tc);
	flush_workqueue(tc->wq);
	tandem_md_suspend(tc);
}

static int tandem_preresume(struct dm_target *ti)
{
	struct tandem_c *tc = ti->private;
	const char *error = NULL;
	int r = tandem_md_resume(tc, &error);

	if (r)
		DMERR("%s: %s", dm_table_device_name(ti->table), error);
	return r;
}

static void tandem_resume(struct dm_target *ti)
{
	struct tandem_c *tc = ti->private;

	tandem_sched_drain(&tc->sched, false);
	tandem_sync_start(tc);
}

/* Emit the read weights, @first before the first and @sep before the rest. */
static unsigned int tandem_emit_weights(struct tandem_c *tc, u32 weights,
					char *result, unsigned int maxlen,
					unsigned int sz, const char *first,
					const char *sep)
{
	unsigned int i;

	for (i = 0; i < tc->nr_legs; i++)
		DMEMIT("%s%u", i ? sep : first, tandem_weight_of(weights, i));
	return sz;
}

static bool tandem_weights_are_default(struct tandem_c *tc, u32 weights)
{
	u8 defaults[TANDEM_MAX_LEGS];

	tandem_default_weights(tc, defaults);
	return weights == tandem_weights_pack(defaults, tc->nr_legs);
}

/*
 * The constructor line for the device as it is now.  nosync is printed
 * only while every leg is healthy and in sync: loading the line then
 * skips a needless copy, and otherwise starts a full one, which is safe.
 */
static unsigned int tandem_emit_table(struct tandem_c *tc, u32 weights,
				      char *result, unsigned int maxlen,
				      unsigned int sz)
{
	bool print_weights = !tandem_weights_are_default(tc, weights);
	u32 rate = READ_ONCE(tc->sync.rate);
	bool print_rate = rate != TANDEM_DEFAULT_SYNC_RATE;
	bool checksum = READ_ONCE(tc->sync.checksum);
	bool nosync = READ_ONCE(tc->readable) == tandem_all_legs(tc);
	unsigned int i, nr_features;

	DMEMIT("%s %u %u", tandem_md_present(&tc->md) ? tc->md.dev->name : "-",
	       tc->region_sectors, tc->nr_legs);
	for (i = 0; i < tc->nr_legs; i++)
		DMEMIT(" %s", tc->legs[i].dev->name);
	nr_features = nosync + (print_weights ? 1 + tc->nr_legs : 0) +
		      (print_rate ? 2 : 0) + (checksum ? 2 : 0) +
		      tandem_sched_table_words(&tc->sched) +
		      tandem_shadow_table_words(&tc->shadow);
	if (nr_features)
		DMEMIT(" %u", nr_features);
	if (nosync)
		DMEMIT(" " TANDEM_FEAT_NOSYNC);
	if (print_weights) {
		DMEMIT(" " TANDEM_FEAT_READ_WEIGHTS);
		sz = tandem_emit_weights(tc, weights, result, maxlen, sz,
					 " ", " ");
	}
	if (print_rate)
		DMEMIT(" " TANDEM_FEAT_SYNC_RATE " %u", rate);
	if (checksum)
		DMEMIT(" " TANDEM_FEAT_RESYNC_MODE " " TANDEM_RESYNC_CHECKSUM);
	sz = tandem_sched_emit_table(&tc->sched, result, maxlen, sz);
	return tandem_shadow_emit_table(&tc->shadow, result, maxlen, sz);
}

static unsigned int tandem_emit_sync_status(struct tandem_c *tc, char *result,
					    unsigned int maxlen,
					    unsigned int sz)
{
	unsigned long out_of_sync[TANDEM_MAX_LEGS], check_done;
	const char *action, *check;
	u64 mismatches;
	unsigned int i;

	spin_lock_irq(&tc->state_lock);
	for (i = 0; i < tc->nr_legs; i++)
		out_of_sync[i] = tc->regions.nr_out_of_sync[i];
	action = __tandem_sync_action(tc);
	check = __tandem_check_action(tc);
	check_done = tc->sync.check_cursor;
	mismatches = tc->sync.check_mismatches;
	spin_unlock_irq(&tc->state_lock);

	DMEMIT(" %lu", tc->regions.nr_regions);
	for (i = 0; i < tc->nr_legs; i++)
		DMEMIT(" %lu", out_of_sync[i]);
	DMEMIT(" %s %u %llu %llu", action, READ_ONCE(tc->sync.rate),
	       (u64)atomic64_read(&tc->sync.regions_copied),
	       (u64)atomic64_read(&tc->sync.sectors_copied) >> 1);
	DMEMIT(" %s", tandem_md_state(tc));
	DMEMIT(" %s %llu %llu %s %lu %llu",
	       READ_ONCE(tc->sync.checksum) ? TANDEM_RESYNC_CHECKSUM :
					      TANDEM_RESYNC_COPY,
	       (u64)atomic64_read(&tc->sync.blocks_compared),
	       (u64)atomic64_read(&tc->sync.blocks_copied), check, check_done,
	       mismatches);
	return sz;
}

static void tandem_status(struct dm_target *ti, status_type_t type,
			  unsigned int status_flags, char *result,
			  unsigned int maxlen)
{
	struct tandem_c *tc = ti->private;
	struct tandem_leg_stats counts;
	unsigned int sz = 0, i;
	/* One snapshot, so a concurrent weights message cannot tear the line. */
	u32 weights = READ_ONCE(tc->read_weights);

	switch (type) {
	case STATUSTYPE_INFO:
		DMEMIT("%u %u ", TANDEM_STATUS_VERSION, tc->nr_legs);
		for (i = 0; i < tc->nr_legs; i++)
			DMEMIT("%c", tandem_leg_state_char(tc, i));
		sz = tandem_emit_weights(tc, weights, result, maxlen, sz,
					 " ", " ");
		for (i = 0; i < tc->nr_legs; i++) {
			tandem_leg_counts(tc, i, &counts);
			DMEMIT(" %llu %llu %llu %llu", counts.reads,
			       counts.writes,
			       (u64)atomic64_read(&tc->legs[i].read_errors),
			       (u64)atomic64_read(&tc->legs[i].write_errors));
		}
		DMEMIT(" %llu", (u64)atomic64_read(&tc->read_retries));
		sz = tandem_emit_sync_status(tc, result, maxlen, sz);
		sz = tandem_sched_emit_status(&tc->sched, result, maxlen, sz);
		sz = tandem_shadow_emit_status(&tc->shadow, result, maxlen, sz);
		break;

	case STATUSTYPE_TABLE:
		/* The feature count and the features from one rule set. */
		mutex_lock(&tc->msg_lock);
		sz = tandem_emit_table(tc, weights, result, maxlen, sz);
		mutex_unlock(&tc->msg_lock);
		break;

	case STATUSTYPE_IMA:
		DMEMIT("metadata=%s,region_sectors=%u,nr_legs=%u",
		       tandem_md_present(&tc->md) ? tc->md.dev->name : "-",
		       tc->region_sectors, tc->nr_legs);
		for (i = 0; i < tc->nr_legs; i++)
			DMEMIT(",leg_%u_name=%s,leg_%u_state=%c", i,
			       tc->legs[i].dev->name, i,
			       tandem_leg_state_char(tc, i));
		DMEMIT(",nosync=%c,read_weights=", tc->nosync ? 'y' : 'n');
		sz = tandem_emit_weights(tc, weights, result, maxlen, sz,
					 "", ":");
		DMEMIT(",sync_rate=%u;", READ_ONCE(tc->sync.rate));
		break;
	}
}

static int tandem_emit_stats(struct tandem_c *tc, char *result,
			     unsigned int maxlen)
{
	struct tandem_leg_stats counts;
	unsigned int sz = 0, i;
	u32 weights = READ_ONCE(tc->read_weights);

	for (i = 0; i < tc->nr_legs; i++) {
		tandem_leg_counts(tc, i, &counts);
		DMEMIT("leg %u state %c weight %u reads %llu writes %llu read_errors %llu write_errors %llu\n",
		       i, tandem_leg_state_char(tc, i),
		       tandem_weight_of(weights, i), counts.reads,
		       counts.writes,
		       (u64)atomic64_read(&tc->legs[i].read_errors),
		       (u64)atomic64_read(&tc->legs[i].write_errors));
	}
	DMEMIT("read_retries %llu\n", (u64)atomic64_read(&tc->read_retries));
	sz = tandem_sched_emit_stats(&tc->sched, result, maxlen, sz);
	tandem_shadow_emit_stats(&tc->shadow, result, maxlen, sz);
	return 1;
}

/* The class scheduler's and the shadow's messages; msg_lock held. */
static int tandem_sched_message(struct tandem_c *tc, struct tandem_msg *msg,
				char *result, unsigned int maxlen,
				const char **error)
{
	struct tandem_sched *s = &tc->sched;

	switch (msg->verb) {
	case TANDEM_VERB_QUEUE_DEPTH:
		tandem_sched_set_queue_depth(s, msg->queue_depth);
		return 0;
	case TANDEM_VERB_CLASS_ADD:
		return tandem_sched_class_add(s, msg->cls.name, error);
	case TANDEM_VERB_CLASS_REMOVE:
		return tandem_sched_class_remove(s, msg->cls.name, error);
	case TANDEM_VERB_CLASS_WEIGHT:
	case TANDEM_VERB_CLASS_LIMIT:
		return tandem_sched_class_set(s, msg, error);
	case TANDEM_VERB_RULE_ADD:
		return tandem_sched_rule_add(s, &msg->rule, error);
	case TANDEM_VERB_RULE_DEL:
		return tandem_sched_rule_del(s, msg->rule_index, error);
	case TANDEM_VERB_RULE_CLEAR:
		return tandem_sched_rule_clear(s, error);
	case TANDEM_VERB_RULE_LIST:
		tandem_sched_emit_rules(s, result, maxlen, 0);
		return 1;
	case TANDEM_VERB_SHADOW_ON:
	case TANDEM_VERB_SHADOW_OFF:
	case TANDEM_VERB_SHADOW_SAMPLE:
	case TANDEM_VERB_SHADOW_POOL:
	case TANDEM_VERB_SHADOW_MODE:
		return tandem_shadow_message(tc, msg, error);
	default:
		*error = "Unknown message";
		return -EINVAL;
	}
}

static int tandem_message(struct dm_target *ti, unsigned int argc, char **argv,
			  char *result, unsigned int maxlen)
{
	struct tandem_c *tc = ti->private;
	const char *error = NULL;
	struct tandem_msg msg;
	int r;

	r = tandem_parse_message(argc, argv, tc->nr_legs, &msg, &error);
	if (r)
		goto out;

	mutex_lock(&tc->msg_lock);
	switch (msg.verb) {
	case TANDEM_VERB_WEIGHTS:
		WRITE_ONCE(tc->read_weights,
			   tandem_weights_pack(msg.weights, tc->nr_legs));
		break;
	case TANDEM_VERB_FAIL_LEG:
		r = tandem_leg_fail(tc, msg.leg, &error);
		break;
	case TANDEM_VERB_REINSTATE_LEG:
		r = tandem_leg_reinstate(tc, msg.leg, &error);
		break;
	case TANDEM_VERB_STATS:
		r = tandem_emit_stats(tc, result, maxlen);
		break;
	case TANDEM_VERB_STATS_RESET:
		tandem_stats_reset(tc);
		tandem_sched_stats_reset(&tc->sched);
		tandem_shadow_stats_reset(&tc->shadow);
		break;
	case TANDEM_VERB_SYNC_RATE:
		tandem_sync_set_rate(tc, msg.sync_rate);
		break;
	case TANDEM_VERB_RESYNC_MODE:
		tandem_sync_set_checksum(tc, msg.resync_checksum);
		break;
	case TANDEM_VERB_VERIFY:
	case TANDEM_VERB_REPAIR:
		r = tandem_sync_check(tc, msg.verb == TANDEM_VERB_REPAIR,
				      &error);
		break;
	default:
		r = tandem_sched_message(tc, &msg, result, maxlen, &error);
		break;
	}
	mutex_unlock(&tc->msg_lock);

out:
	if (r < 0)
		DMWARN("%s: message '%s' rejected: %s",
		       dm_table_device_name(ti->table), argc ? argv[0] : "",
		       error);
	return r;
}

static int tandem_iterate_devices(struct dm_target *ti,
				  iterate_devices_callout_fn fn, void *data)
{
	struct tandem_c *tc = ti->private;
	unsigned int i;
	int r = 0;

	for (i = 0; i < tc->nr_legs && !r; i++)
		r = fn(ti, tc->legs[i].dev, 0, ti->len, data);
	if (!r && tc->shadow.dev)
		r = fn(ti, tc->shadow.dev, 0, ti->len, data);
	return r;
}

static struct target_type tandem_target = {
	.name = TANDEM_TARGET_NAME,
	.version = { 1, 1, 0 },
	.module = THIS_MODULE,
	.ctr = tandem_ctr,
	.dtr = tandem_dtr,
	.map = tandem_map,
	.end_io = tandem_end_io,
	.presuspend = tandem_presuspend,
	.presuspend_undo = tandem_presuspend_undo,
	.postsuspend = tandem_postsuspend,
	.preresume = tandem_preresume,
	.resume = tandem_resume,
	.status = tandem_status,
	.message = tandem_message,
	.iterate_devices = tandem_iterate_devices,
};

static int __init dm_tandem_init(void)
{
	return dm_register_target(&tandem_target);
}

static void __exit dm_tandem_exit(void)
{
	dm_unregister_target(&tandem_target);
}

module_init(dm_tandem_init);
module_exit(dm_tandem_exit);

MODULE_DESCRIPTION(DM_NAME " target mirroring onto legs with weighted reads");
MODULE_LICENSE("GPL");
