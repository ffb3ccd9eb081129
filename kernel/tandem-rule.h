/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classification rules: a class name and the matches a bio must meet.
 *
 * Pure logic shared with userspace (see tandem-parse.h for the
 * conventions): parsing from words, matching against the facts of a bio,
 * and formatting back into words.  Resolving the class name to a class
 * and collecting a bio's facts belong to the target.
 */
#ifndef TANDEM_RULE_H
#define TANDEM_RULE_H

#include "tandem-pure.h"

/* Operations a rule can match; a bio has exactly one. */
enum tandem_rule_op {
	TANDEM_OP_READ,
	TANDEM_OP_WRITE,
	TANDEM_OP_FLUSH,
	TANDEM_OP_DISCARD,
	TANDEM_NR_OPS,
};

/* I/O priority classes, numbered as the kernel's IOPRIO_CLASS_*. */
#define TANDEM_IOPRIO_NONE	0
#define TANDEM_IOPRIO_RT	1
#define TANDEM_IOPRIO_BE	2
#define TANDEM_IOPRIO_IDLE	3
#define TANDEM_IOPRIO_LEVELS	8

/* Which matches a rule has. */
#define TANDEM_MATCH_HAS_CGROUP	(1U << 0)
#define TANDEM_MATCH_HAS_IOPRIO	(1U << 1)
#define TANDEM_MATCH_HAS_LEVEL	(1U << 2)
#define TANDEM_MATCH_HAS_OPS	(1U << 3)
#define TANDEM_MATCH_HAS_SIZE	(1U << 4)
#define TANDEM_MATCH_HAS_ROUTE	(1U << 5)	/* route= given */

/* A cgroup match looks this many levels up from the bio's cgroup. */
#define TANDEM_CGROUP_DEPTH	16

struct tandem_rule {
	char class_name[TANDEM_CLASS_NAME_MAX + 1];
	u8 class_idx;		/* set by the target once resolved */
	u8 has;			/* TANDEM_MATCH_HAS_* */
	u8 ioprio_class;
	u8 ioprio_level;
	u8 ops;			/* bit per enum tandem_rule_op */
	bool to_shadow;		/* route=shadow: confined to the shadow */
	u32 size_min;		/* bytes, inclusive */
	u32 size_max;
	u64 cgroup;
};

/* What a rule can look at in a bio, collected once per bio. */
struct tandem_bio_facts {
	enum tandem_rule_op op;
	u32 bytes;
	u8 ioprio_class;
	u8 ioprio_level;
	/* The bio's cgroup id, then its ancestors', up to the root. */
	unsigned int nr_cgroups;
	u64 cgroups[TANDEM_CGROUP_DEPTH];
};

/* [a-z][a-z0-9_-]*, at most TANDEM_CLASS_NAME_MAX, not a message word. */
bool tandem_class_name_valid(const char *name);

/*
 * Parse "<class> [<match>...] [route=legs|shadow]" (argc >= 1).  The class name is checked
 * for form only.
 */
int tandem_rule_parse(unsigned int argc, char **argv, struct tandem_rule *out,
		      const char **error);

bool tandem_rule_matches(const struct tandem_rule *rule,
			 const struct tandem_bio_facts *facts);

/*
 * Write "<class> [<match>...]" with matches in canonical order.  Returns
 * the length it needed (as snprintf); the output is truncated to len.
 */
int tandem_rule_format(const struct tandem_rule *rule, char *buf,
		       unsigned int len);

/* Words tandem_rule_format() produces: the class plus one per match and route. */
unsigned int tandem_rule_words(const struct tandem_rule *rule);

#endif /* TANDEM_RULE_H */
