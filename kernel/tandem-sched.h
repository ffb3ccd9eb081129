/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The class scheduler: classification of every mapped bio by rules,
 * per-class figures, and (with queue_depth) an in-flight limit with
 * per-class queues dispatched by weight, plus per-class token buckets.
 */
#ifndef TANDEM_SCHED_H
#define TANDEM_SCHED_H

#include <linux/bio.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "tandem-fairq.h"
#include "tandem-parse.h"
#include "tandem-rule.h"

struct tandem_c;
struct tandem_io;

/* Per-CPU figures of one class. */
struct tandem_class_stats {
	u64 bios;
	u64 bytes;
	u64 lat[TANDEM_LAT_BUCKETS];
};

struct tandem_class {
	char name[TANDEM_CLASS_NAME_MAX + 1];
	u32 weight;
	u32 iops_limit;
	u32 bw_limit;			/* KiB/s */
	/* Dispatch state, under tandem_sched.lock. */
	struct bio_list queue;
	unsigned int nr_queued;
	struct tandem_bucket iops;
	struct tandem_bucket bw;
	/* Slot reserve: bios holding a slot, and the last admission. */
	atomic_t in_flight;
	unsigned long last_active;	/* jiffies; READ_ONCE */
	atomic64_t waited;
	atomic64_t throttled;
	struct tandem_class_stats __percpu *stats;
};

/* Rules in force, replaced as a whole and freed after a grace period. */
struct tandem_ruleset {
	struct rcu_head rcu;
	unsigned int nr;
	bool uses_cgroup;
	struct tandem_rule rules[];
};

struct tandem_sched {
	/*
	 * Protects the queues, the buckets, the fair-queueing tags and the
	 * class settings.  Taken from map (process or softirq context).
	 */
	spinlock_t lock;
	u32 queue_depth;		/* READ_ONCE on the fast path */
	atomic_t in_flight;		/* bios holding a slot */
	unsigned int nr_queued;		/* all classes; READ_ONCE outside lock */
	unsigned long used;		/* class slots in use */
	unsigned long backlogged;	/* classes with bios queued */
	unsigned long limited;		/* classes with a limit; READ_ONCE */
	bool draining;			/* suspending: limits lifted */
	struct tandem_sfq sfq;
	u32 weights[TANDEM_MAX_CLASSES];
	struct tandem_class classes[TANDEM_MAX_CLASSES];
	struct tandem_ruleset __rcu *rules;

	struct workqueue_struct *wq;
	struct delayed_work dispatch;
};

/* The built-in classes' slots; unmatched bios go to production. */
#define TANDEM_CLASS_IDX_CRITICAL	0
#define TANDEM_CLASS_IDX_PRODUCTION	1
#define TANDEM_CLASS_IDX_TEST		2

/* Set up the built-in classes, then the table's classes and rules. */
int tandem_sched_init(struct tandem_sched *s,
		      const struct tandem_table_args *args,
		      const char **error);
void tandem_sched_exit(struct tandem_sched *s);
/* The dispatch work and its queue: after init, before the device is live. */
int tandem_sched_start(struct tandem_sched *s);
void tandem_sched_stop(struct tandem_sched *s);

/*
 * The class of @bio by the first matching rule, and whether that rule
 * confines it to the shadow.  Caller holds rcu_read_lock.
 */
unsigned int tandem_classify(struct tandem_sched *s, struct bio *bio,
			     enum tandem_rule_op op, bool *to_shadow);

/*
 * Classify @bio and admit it: true if it may be sent on now, false if it
 * was queued and will be sent by tandem_io_dispatch() later.
 */
bool tandem_sched_admit(struct tandem_c *tc, struct bio *bio,
			struct tandem_io *io);
/* @io's bio has completed: account it and release its slot. */
void tandem_sched_done(struct tandem_c *tc, struct tandem_io *io);

/* Suspend: dispatch everything queued, ignoring the limits, until resume. */
void tandem_sched_drain(struct tandem_sched *s, bool drain);

/* Message handlers: msg_lock held.  0, or -errno with *error set. */
void tandem_sched_set_queue_depth(struct tandem_sched *s, u32 depth);
int tandem_sched_class_add(struct tandem_sched *s, const char *name,
			   const char **error);
int tandem_sched_class_remove(struct tandem_sched *s, const char *name,
			      const char **error);
int tandem_sched_class_set(struct tandem_sched *s, const struct tandem_msg *msg,
			   const char **error);
int tandem_sched_rule_add(struct tandem_sched *s,
			  const struct tandem_rule *rule, const char **error);
int tandem_sched_rule_del(struct tandem_sched *s, unsigned int index,
			  const char **error);
int tandem_sched_rule_clear(struct tandem_sched *s, const char **error);
void tandem_sched_stats_reset(struct tandem_sched *s);

/* Output for status, table and messages; DMEMIT conventions. */
unsigned int tandem_sched_emit_status(struct tandem_sched *s, char *result,
				      unsigned int maxlen, unsigned int sz);
unsigned int tandem_sched_emit_table(struct tandem_sched *s, char *result,
				     unsigned int maxlen, unsigned int sz);
/* Feature words tandem_sched_emit_table() prints. */
unsigned int tandem_sched_table_words(struct tandem_sched *s);
unsigned int tandem_sched_emit_stats(struct tandem_sched *s, char *result,
				     unsigned int maxlen, unsigned int sz);
unsigned int tandem_sched_emit_rules(struct tandem_sched *s, char *result,
				     unsigned int maxlen, unsigned int sz);

#endif /* TANDEM_SCHED_H */
