/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of the constructor line and of messages into plain structs.
 *
 * Pure logic: no allocation, no locking, no device lookups; callable from
 * any context.  Strings in the results point into the caller's argv.  On
 * failure -EINVAL is returned, *error names the problem in the short
 * capitalised style of ti->error, and *out is left in an unspecified state
 * the caller must not apply.  Checks that depend on the live device (is
 * the leg healthy, does it exist) belong to the target, not here.
 */
#ifndef TANDEM_PARSE_H
#define TANDEM_PARSE_H

#include "tandem-pure.h"
#include "tandem-rule.h"

enum tandem_shadow_mode {
	TANDEM_SHADOW_MODE_NONE,	/* per bio: not cloned */
	TANDEM_SHADOW_MODE_ASYNC,
	TANDEM_SHADOW_MODE_SYNC,
	TANDEM_SHADOW_MODE_GATE,
};

/* A class as the table or a message sets it. */
struct tandem_class_args {
	char name[TANDEM_CLASS_NAME_MAX + 1];
	u32 weight;
	u32 iops_limit;
	u32 bw_limit;		/* KiB/s */
};

struct tandem_table_args {
	const char *metadata_dev;	/* NULL when given as "-" */
	u32 region_sectors;
	unsigned int nr_legs;
	const char *leg_path[TANDEM_MAX_LEGS];

	bool nosync;
	bool has_read_weights;
	u8 read_weights[TANDEM_MAX_LEGS];
	bool has_sync_rate;
	u32 sync_rate;				/* KiB/s */
	bool has_resync_mode;
	bool resync_checksum;			/* resync_mode checksum */
	bool has_queue_depth;
	u32 queue_depth;
	unsigned int nr_classes;
	struct tandem_class_args classes[TANDEM_MAX_CLASSES];
	unsigned int nr_rules;
	struct tandem_rule rules[TANDEM_MAX_RULES];
	const char *shadow_dev;			/* NULL: none */
	bool has_shadow_mode;
	u32 shadow_mode;			/* enum tandem_shadow_mode */
	bool has_shadow_sample;
	u32 shadow_sample;
	bool has_shadow_pool;
	u32 shadow_pool;			/* KiB */
};

/* @out is large: callers allocate it rather than put it on the stack. */
int tandem_parse_table(unsigned int argc, char **argv,
		       struct tandem_table_args *out, const char **error);

enum tandem_msg_verb {
	TANDEM_VERB_WEIGHTS,
	TANDEM_VERB_FAIL_LEG,
	TANDEM_VERB_REINSTATE_LEG,
	TANDEM_VERB_STATS,
	TANDEM_VERB_STATS_RESET,
	TANDEM_VERB_SYNC_RATE,
	TANDEM_VERB_RESYNC_MODE,
	TANDEM_VERB_VERIFY,
	TANDEM_VERB_REPAIR,
	TANDEM_VERB_QUEUE_DEPTH,
	TANDEM_VERB_CLASS_ADD,
	TANDEM_VERB_CLASS_REMOVE,
	TANDEM_VERB_CLASS_WEIGHT,
	TANDEM_VERB_CLASS_LIMIT,
	TANDEM_VERB_RULE_ADD,
	TANDEM_VERB_RULE_DEL,
	TANDEM_VERB_RULE_CLEAR,
	TANDEM_VERB_RULE_LIST,
	TANDEM_VERB_SHADOW_ON,
	TANDEM_VERB_SHADOW_OFF,
	TANDEM_VERB_SHADOW_SAMPLE,
	TANDEM_VERB_SHADOW_POOL,
	TANDEM_VERB_SHADOW_MODE,
};

struct tandem_msg {
	enum tandem_msg_verb verb;
	unsigned int leg;			/* fail_leg, reinstate_leg */
	u8 weights[TANDEM_MAX_LEGS];		/* weights */
	u32 sync_rate;				/* sync_rate, KiB/s */
	bool resync_checksum;			/* resync_mode */
	u32 queue_depth;			/* queue_depth */
	/* class: name always; weight or the limits given (has_*) */
	struct tandem_class_args cls;
	bool has_iops_limit;
	bool has_bw_limit;
	struct tandem_rule rule;		/* rule add */
	unsigned int rule_index;		/* rule del */
	u32 shadow_sample;			/* shadow sample */
	u32 shadow_pool;			/* shadow pool, KiB */
	u32 shadow_mode;			/* shadow_mode */
};

/* The name of a shadow mode, for status and table. */
const char *tandem_shadow_mode_name(u32 mode);

int tandem_parse_message(unsigned int argc, char **argv, unsigned int nr_legs,
			 struct tandem_msg *out, const char **error);

/*
 * Strict unsigned decimal: digits only (no sign, space or suffix), no
 * overflow, value <= max.
 */
int tandem_parse_uint(const char *s, u64 max, u64 *out);

#endif /* TANDEM_PARSE_H */
