// SPDX-License-Identifier: GPL-2.0
/*
 * Classes and rules: the class table, the rule set (replaced as a whole
 * under RCU), classification of a bio, and the class figures in status,
 * table and messages.  Queueing and dispatch are in tandem-sched.c.
 */
#include "tandem-core.h"

#include <linux/blk-cgroup.h>
#include <linux/cgroup.h>
#include <linux/ioprio.h>
#include <linux/slab.h>

static const struct {
	const char *name;
	u32 weight;
} builtin_classes[] = {
	[TANDEM_CLASS_IDX_CRITICAL] = { TANDEM_CLASS_CRITICAL, TANDEM_WEIGHT_CRITICAL },
	[TANDEM_CLASS_IDX_PRODUCTION] = { TANDEM_CLASS_PRODUCTION, TANDEM_WEIGHT_PRODUCTION },
	[TANDEM_CLASS_IDX_TEST] = { TANDEM_CLASS_TEST, TANDEM_WEIGHT_TEST },
};

#define NR_BUILTIN_CLASSES ARRAY_SIZE(builtin_classes)

static int class_find(struct tandem_sched *s, const char *name)
{
	unsigned int i;

	for_each_set_bit(i, &s->used, TANDEM_MAX_CLASSES)
		if (!strcmp(s->classes[i].name, name))
			return i;
	return -1;
}

/* Caller holds s->lock, or the scheduler is not yet live. */
static void __class_set_limits(struct tandem_sched *s, unsigned int i,
			       u32 iops, u32 bw)
{
	struct tandem_class *c = &s->classes[i];
	u64 now = ktime_get_ns();

	c->iops_limit = iops;
	c->bw_limit = bw;
	tandem_bucket_set(&c->iops, iops, now);
	tandem_bucket_set(&c->bw, bw, now);
	if (iops || bw)
		WRITE_ONCE(s->limited, s->limited | BIT(i));
	else
		WRITE_ONCE(s->limited, s->limited & ~BIT(i));
}

/* A free slot set up as @name with @weight and no limits; the lock as above. */
static void __class_install(struct tandem_sched *s, unsigned int i,
			    const char *name, u32 weight)
{
	struct tandem_class *c = &s->classes[i];
	int cpu;

	strscpy(c->name, name, sizeof(c->name));
	c->weight = weight;
	s->weights[i] = weight;
	__class_set_limits(s, i, 0, 0);
	atomic64_set(&c->waited, 0);
	atomic64_set(&c->throttled, 0);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(c->stats, cpu), 0, sizeof(*c->stats));
	s->sfq.start[i] = s->sfq.vtime;
	s->used |= BIT(i);
}

static bool class_is_builtin(unsigned int i)
{
	return i < NR_BUILTIN_CLASSES;
}

static struct tandem_ruleset *ruleset_alloc(unsigned int nr)
{
	struct tandem_ruleset *rs;

	rs = kzalloc(struct_size(rs, rules, nr), GFP_KERNEL);
	if (rs)
		rs->nr = nr;
	return rs;
}

/* Resolve the rules' class names; fill uses_cgroup. */
static int ruleset_resolve(struct tandem_sched *s, struct tandem_ruleset *rs,
			   const char **error)
{
	unsigned int i;

	for (i = 0; i < rs->nr; i++) {
		int cls = class_find(s, rs->rules[i].class_name);

		if (cls < 0) {
			*error = "Rule names an unknown class";
			return -EINVAL;
		}
		rs->rules[i].class_idx = cls;
		if (rs->rules[i].has & TANDEM_MATCH_HAS_CGROUP)
			rs->uses_cgroup = true;
	}
	return 0;
}

/* Caller holds msg_lock (or is the constructor). */
static struct tandem_ruleset *ruleset_current(struct tandem_sched *s)
{
	return rcu_dereference_protected(s->rules, true);
}

static void ruleset_replace(struct tandem_sched *s, struct tandem_ruleset *rs)
{
	struct tandem_ruleset *old = ruleset_current(s);

	rcu_assign_pointer(s->rules, rs);
	if (old)
		kfree_rcu(old, rcu);
}

int tandem_sched_init(struct tandem_sched *s,
		      const struct tandem_table_args *args,
		      const char **error)
{
	struct tandem_ruleset *rs;
	unsigned int i;
	int cls;

	spin_lock_init(&s->lock);
	atomic_set(&s->in_flight, 0);
	s->queue_depth = args->queue_depth;
	for (i = 0; i < TANDEM_MAX_CLASSES; i++) {
		bio_list_init(&s->classes[i].queue);
		atomic_set(&s->classes[i].in_flight, 0);
		s->classes[i].last_active = jiffies - HZ;
		s->classes[i].stats = alloc_percpu(struct tandem_class_stats);
		if (!s->classes[i].stats) {
			*error = "Cannot allocate class figures";
			return -ENOMEM;
		}
	}
	for (i = 0; i < NR_BUILTIN_CLASSES; i++)
		__class_install(s, i, builtin_classes[i].name,
				builtin_classes[i].weight);

	for (i = 0; i < args->nr_classes; i++) {
		const struct tandem_class_args *ca = &args->classes[i];

		cls = class_find(s, ca->name);
		if (cls < 0) {
			cls = find_first_zero_bit(&s->used, TANDEM_MAX_CLASSES);
			if (cls >= TANDEM_MAX_CLASSES) {
				*error = "Too many classes";
				return -EINVAL;
			}
			__class_install(s, cls, ca->name, ca->weight);
		}
		s->classes[cls].weight = ca->weight;
		s->weights[cls] = ca->weight;
		__class_set_limits(s, cls, ca->iops_limit, ca->bw_limit);
	}

	rs = ruleset_alloc(args->nr_rules);
	if (!rs) {
		*error = "Cannot allocate rules";
		return -ENOMEM;
	}
	memcpy(rs->rules, args->rules, args->nr_rules * sizeof(rs->rules[0]));
	RCU_INIT_POINTER(s->rules, rs);
	return ruleset_resolve(s, rs, error);
}

void tandem_sched_exit(struct tandem_sched *s)
{
	unsigned int i;

	/* No reader is left: the device is suspended or never went live. */
	kfree(rcu_dereference_protected(s->rules, true));
	for (i = 0; i < TANDEM_MAX_CLASSES; i++)
		free_percpu(s->classes[i].stats);
}

/* ---- classification ---- */

static void bio_facts(struct bio *bio, enum tandem_rule_op op,
		      bool want_cgroups, struct tandem_bio_facts *f)
{
	struct cgroup_subsys_state *css;
	unsigned short prio = bio_prio(bio);

	f->op = op;
	f->bytes = bio->bi_iter.bi_size;
	/* As blk-mq does: a bio without a priority has its submitter's. */
	if (IOPRIO_PRIO_CLASS(prio) == IOPRIO_CLASS_NONE)
		prio = get_current_ioprio();
	f->ioprio_class = IOPRIO_PRIO_CLASS(prio);
	f->ioprio_level = IOPRIO_PRIO_LEVEL(prio);

	f->nr_cgroups = 0;
	if (!want_cgroups)
		return;
#ifdef CONFIG_BLK_CGROUP
	/*
	 * dm core's clone of the bio carries no cgroup: take the
	 * submitter's, as bio_set_dev() to a leg would.
	 */
	if (!bio->bi_blkg)
		bio_associate_blkg(bio);
#endif
	/* The bio pins its blkcg, and a cgroup pins its ancestors. */
	for (css = bio_blkcg_css(bio); css && f->nr_cgroups < TANDEM_CGROUP_DEPTH;
	     css = css->parent)
		f->cgroups[f->nr_cgroups++] = cgroup_id(css->cgroup);
}

unsigned int tandem_classify(struct tandem_sched *s, struct bio *bio,
			     enum tandem_rule_op op, bool *to_shadow)
{
	struct tandem_ruleset *rs = rcu_dereference(s->rules);
	struct tandem_bio_facts facts;
	unsigned int i;

	*to_shadow = false;
	if (!rs->nr)
		return TANDEM_CLASS_IDX_PRODUCTION;
	bio_facts(bio, op, rs->uses_cgroup, &facts);
	for (i = 0; i < rs->nr; i++) {
		if (tandem_rule_matches(&rs->rules[i], &facts)) {
			*to_shadow = rs->rules[i].to_shadow;
			return rs->rules[i].class_idx;
		}
	}
	return TANDEM_CLASS_IDX_PRODUCTION;
}

/* ---- messages ---- */

int tandem_sched_class_add(struct tandem_sched *s, const char *name,
			   const char **error)
{
	unsigned int i;

	if (class_find(s, name) >= 0) {
		*error = "Class exists";
		return -EINVAL;
	}
	i = find_first_zero_bit(&s->used, TANDEM_MAX_CLASSES);
	if (i >= TANDEM_MAX_CLASSES) {
		*error = "Too many classes";
		return -EINVAL;
	}
	spin_lock_irq(&s->lock);
	__class_install(s, i, name, TANDEM_WEIGHT_PRODUCTION);
	spin_unlock_irq(&s->lock);
	return 0;
}

static bool ruleset_names(struct tandem_ruleset *rs, unsigned int cls)
{
	unsigned int i;

	for (i = 0; i < rs->nr; i++)
		if (rs->rules[i].class_idx == cls)
			return true;
	return false;
}

int tandem_sched_class_remove(struct tandem_sched *s, const char *name,
			      const char **error)
{
	int cls = class_find(s, name);
	int r = 0;

	if (cls < 0) {
		*error = "No such class";
		return -EINVAL;
	}
	if (class_is_builtin(cls)) {
		*error = "Built-in classes cannot be removed";
		return -EINVAL;
	}
	if (ruleset_names(ruleset_current(s), cls)) {
		*error = "Class is named by a rule";
		return -EINVAL;
	}
	/* Bios classified by earlier rule sets have been queued by now. */
	synchronize_rcu();

	spin_lock_irq(&s->lock);
	if (s->classes[cls].nr_queued) {
		*error = "Class has bios queued";
		r = -EBUSY;
	} else {
		s->used &= ~BIT(cls);
		__class_set_limits(s, cls, 0, 0);
	}
	spin_unlock_irq(&s->lock);
	return r;
}

int tandem_sched_class_set(struct tandem_sched *s, const struct tandem_msg *msg,
			   const char **error)
{
	int cls = class_find(s, msg->cls.name);
	struct tandem_class *c;

	if (cls < 0) {
		*error = "No such class";
		return -EINVAL;
	}
	c = &s->classes[cls];

	spin_lock_irq(&s->lock);
	if (msg->verb == TANDEM_VERB_CLASS_WEIGHT) {
		c->weight = msg->cls.weight;
		s->weights[cls] = msg->cls.weight;
	} else {
		__class_set_limits(s, cls,
				   msg->has_iops_limit ? msg->cls.iops_limit :
							 c->iops_limit,
				   msg->has_bw_limit ? msg->cls.bw_limit :
						       c->bw_limit);
	}
	spin_unlock_irq(&s->lock);
	/* Bios may be waiting on tokens that are now plentiful. */
	mod_delayed_work(s->wq, &s->dispatch, 0);
	return 0;
}

int tandem_sched_rule_add(struct tandem_sched *s,
			  const struct tandem_rule *rule, const char **error)
{
	struct tandem_ruleset *old = ruleset_current(s), *rs;
	int r;

	if (old->nr >= TANDEM_MAX_RULES) {
		*error = "Too many rules";
		return -EINVAL;
	}
	rs = ruleset_alloc(old->nr + 1);
	if (!rs) {
		*error = "Cannot allocate rules";
		return -ENOMEM;
	}
	memcpy(rs->rules, old->rules, old->nr * sizeof(rs->rules[0]));
	rs->rules[old->nr] = *rule;
	r = ruleset_resolve(s, rs, error);
	if (r) {
		kfree(rs);
		return r;
	}
	ruleset_replace(s, rs);
	return 0;
}

int tandem_sched_rule_del(struct tandem_sched *s, unsigned int index,
			  const char **error)
{
	struct tandem_ruleset *old = ruleset_current(s), *rs;
	const char *unused;

	if (index >= old->nr) {
		*error = "No such rule";
		return -EINVAL;
	}
	rs = ruleset_alloc(old->nr - 1);
	if (!rs) {
		*error = "Cannot allocate rules";
		return -ENOMEM;
	}
	memcpy(rs->rules, old->rules, index * sizeof(rs->rules[0]));
	memcpy(rs->rules + index, old->rules + index + 1,
	       (old->nr - index - 1) * sizeof(rs->rules[0]));
	/* The remaining rules resolved before; this only recomputes uses_cgroup. */
	ruleset_resolve(s, rs, &unused);
	ruleset_replace(s, rs);
	return 0;
}

int tandem_sched_rule_clear(struct tandem_sched *s, const char **error)
{
	struct tandem_ruleset *rs = ruleset_alloc(0);

	if (!rs) {
		*error = "Cannot allocate rules";
		return -ENOMEM;
	}
	ruleset_replace(s, rs);
	return 0;
}

void tandem_sched_stats_reset(struct tandem_sched *s)
{
	unsigned int i;
	int cpu;

	for (i = 0; i < TANDEM_MAX_CLASSES; i++) {
		atomic64_set(&s->classes[i].waited, 0);
		atomic64_set(&s->classes[i].throttled, 0);
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(s->classes[i].stats, cpu), 0,
			       sizeof(struct tandem_class_stats));
	}
}

/* ---- output ---- */

static void class_sum(struct tandem_class *c, struct tandem_class_stats *sum)
{
	unsigned int b;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		struct tandem_class_stats *st = per_cpu_ptr(c->stats, cpu);

		sum->bios += READ_ONCE(st->bios);
		sum->bytes += READ_ONCE(st->bytes);
		for (b = 0; b < TANDEM_LAT_BUCKETS; b++)
			sum->lat[b] += READ_ONCE(st->lat[b]);
	}
}

/* A consistent copy of one class's settings and queue length. */
struct class_view {
	char name[TANDEM_CLASS_NAME_MAX + 1];
	u32 weight, iops_limit, bw_limit;
	unsigned int queued;
};

static void class_view(struct tandem_sched *s, unsigned int i,
		       struct class_view *v)
{
	struct tandem_class *c = &s->classes[i];

	spin_lock_irq(&s->lock);
	memcpy(v->name, c->name, sizeof(v->name));
	v->weight = c->weight;
	v->iops_limit = c->iops_limit;
	v->bw_limit = c->bw_limit;
	v->queued = c->nr_queued;
	spin_unlock_irq(&s->lock);
}

unsigned int tandem_sched_emit_status(struct tandem_sched *s, char *result,
				      unsigned int maxlen, unsigned int sz)
{
	unsigned long used = READ_ONCE(s->used);
	struct tandem_class_stats sum;
	struct class_view v;
	unsigned int i;

	DMEMIT(" %u %d %lu", READ_ONCE(s->queue_depth),
	       atomic_read(&s->in_flight), hweight_long(used));
	for_each_set_bit(i, &used, TANDEM_MAX_CLASSES) {
		class_view(s, i, &v);
		class_sum(&s->classes[i], &sum);
		DMEMIT(" %s %u %u %u %llu %llu %u %llu %llu %llu %llu", v.name,
		       v.weight, v.iops_limit, v.bw_limit, sum.bios,
		       sum.bytes >> 10, v.queued,
		       (u64)atomic64_read(&s->classes[i].waited),
		       (u64)atomic64_read(&s->classes[i].throttled),
		       tandem_lat_percentile_us(sum.lat, 50),
		       tandem_lat_percentile_us(sum.lat, 99));
	}
	rcu_read_lock();
	DMEMIT(" %u", rcu_dereference(s->rules)->nr);
	rcu_read_unlock();
	return sz;
}

static bool class_is_default(struct tandem_sched *s, unsigned int i)
{
	struct tandem_class *c = &s->classes[i];

	return class_is_builtin(i) && c->weight == builtin_classes[i].weight &&
	       !c->iops_limit && !c->bw_limit;
}

unsigned int tandem_sched_table_words(struct tandem_sched *s)
{
	struct tandem_ruleset *rs;
	unsigned int i, words = 0;

	if (READ_ONCE(s->queue_depth))
		words += 2;
	spin_lock_irq(&s->lock);
	for_each_set_bit(i, &s->used, TANDEM_MAX_CLASSES)
		if (!class_is_default(s, i))
			words += 5;
	spin_unlock_irq(&s->lock);
	rcu_read_lock();
	rs = rcu_dereference(s->rules);
	for (i = 0; i < rs->nr; i++)
		words += 2 + tandem_rule_words(&rs->rules[i]);
	rcu_read_unlock();
	return words;
}

static unsigned int emit_rule(const struct tandem_rule *rule, char *result,
			      unsigned int maxlen, unsigned int sz)
{
	int len;

	if (sz >= maxlen)
		return sz;
	len = tandem_rule_format(rule, result + sz, maxlen - sz);
	return min_t(unsigned int, sz + len, maxlen);
}

unsigned int tandem_sched_emit_table(struct tandem_sched *s, char *result,
				     unsigned int maxlen, unsigned int sz)
{
	unsigned long used = READ_ONCE(s->used);
	struct tandem_ruleset *rs;
	struct class_view v;
	unsigned int i;

	if (READ_ONCE(s->queue_depth))
		DMEMIT(" " TANDEM_FEAT_QUEUE_DEPTH " %u",
		       READ_ONCE(s->queue_depth));
	for_each_set_bit(i, &used, TANDEM_MAX_CLASSES) {
		if (class_is_default(s, i))
			continue;
		class_view(s, i, &v);
		DMEMIT(" " TANDEM_FEAT_CLASS " %s %u %u %u", v.name, v.weight,
		       v.iops_limit, v.bw_limit);
	}
	rcu_read_lock();
	rs = rcu_dereference(s->rules);
	for (i = 0; i < rs->nr; i++) {
		DMEMIT(" " TANDEM_FEAT_RULE " %u ",
		       tandem_rule_words(&rs->rules[i]));
		sz = emit_rule(&rs->rules[i], result, maxlen, sz);
	}
	rcu_read_unlock();
	return sz;
}

unsigned int tandem_sched_emit_stats(struct tandem_sched *s, char *result,
				     unsigned int maxlen, unsigned int sz)
{
	unsigned long used = READ_ONCE(s->used);
	struct tandem_class_stats sum;
	struct class_view v;
	unsigned int i, b;

	DMEMIT("queue_depth %u in_flight %d\n", READ_ONCE(s->queue_depth),
	       atomic_read(&s->in_flight));
	for_each_set_bit(i, &used, TANDEM_MAX_CLASSES) {
		class_view(s, i, &v);
		class_sum(&s->classes[i], &sum);
		DMEMIT("class %s weight %u iops_limit %u bw_limit %u bios %llu kib %llu queued %u waited %llu throttled %llu p50_us %llu p99_us %llu lat_us ",
		       v.name, v.weight, v.iops_limit, v.bw_limit, sum.bios,
		       sum.bytes >> 10, v.queued,
		       (u64)atomic64_read(&s->classes[i].waited),
		       (u64)atomic64_read(&s->classes[i].throttled),
		       tandem_lat_percentile_us(sum.lat, 50),
		       tandem_lat_percentile_us(sum.lat, 99));
		for (b = 0; b < TANDEM_LAT_BUCKETS; b++)
			DMEMIT("%s%llu", b ? "," : "", sum.lat[b]);
		DMEMIT("\n");
	}
	return sz;
}

unsigned int tandem_sched_emit_rules(struct tandem_sched *s, char *result,
				     unsigned int maxlen, unsigned int sz)
{
	struct tandem_ruleset *rs = ruleset_current(s);
	unsigned int i;

	for (i = 0; i < rs->nr; i++) {
		DMEMIT("%u ", i);
		sz = emit_rule(&rs->rules[i], result, maxlen, sz);
		DMEMIT("\n");
	}
	return sz;
}
