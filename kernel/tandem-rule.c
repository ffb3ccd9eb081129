// SPDX-License-Identifier: GPL-2.0
/*
 * Classification rules: grammar, matching and canonical form; see
 * docs/target.md, "Classes and the scheduler".
 */
#include "tandem-rule.h"
#include "tandem-parse.h"

#ifdef __KERNEL__
#include <linux/kernel.h>
#else
#include <stdio.h>
#endif

static const char *const op_names[TANDEM_NR_OPS] = {
	[TANDEM_OP_READ] = "read",
	[TANDEM_OP_WRITE] = "write",
	[TANDEM_OP_FLUSH] = "flush",
	[TANDEM_OP_DISCARD] = "discard",
};

static const char *const ioprio_names[] = {
	[TANDEM_IOPRIO_NONE] = "none",
	[TANDEM_IOPRIO_RT] = "rt",
	[TANDEM_IOPRIO_BE] = "be",
	[TANDEM_IOPRIO_IDLE] = "idle",
};

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define NR_IOPRIO_NAMES ARRAY_SIZE(ioprio_names)

bool tandem_class_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (!len || len > TANDEM_CLASS_NAME_MAX)
		return false;
	if (name[0] < 'a' || name[0] > 'z')
		return false;
	for (i = 1; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	/* These would make "class add add" ambiguous. */
	return strcmp(name, TANDEM_CLASS_ADD) && strcmp(name, TANDEM_CLASS_REMOVE);
}

/* Does @word start with "<key>="? */
static bool has_key(const char *word, const char *key)
{
	size_t len = strlen(key);

	return !strncmp(word, key, len) && word[len] == '=';
}

/* Parse the decimal number in [s, end) into *out (<= max). */
static int parse_span(const char *s, const char *end, u64 max, u64 *out)
{
	char buf[24];
	size_t len = (size_t)(end - s);

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return tandem_parse_uint(buf, max, out);
}

static int parse_ioprio(const char *value, struct tandem_rule *rule,
			const char **error)
{
	const char *colon = strchr(value, ':');
	size_t len = colon ? (size_t)(colon - value) : strlen(value);
	unsigned int i;
	u64 level;

	for (i = 0; i < NR_IOPRIO_NAMES; i++)
		if (strlen(ioprio_names[i]) == len &&
		    !strncmp(value, ioprio_names[i], len))
			break;
	if (i == NR_IOPRIO_NAMES) {
		*error = "Invalid ioprio match: class must be none, rt, be or idle";
		return -EINVAL;
	}
	rule->ioprio_class = (u8)i;
	rule->has |= TANDEM_MATCH_HAS_IOPRIO;
	if (!colon)
		return 0;
	if (tandem_parse_uint(colon + 1, TANDEM_IOPRIO_LEVELS - 1, &level)) {
		*error = "Invalid ioprio match: level must be 0..7";
		return -EINVAL;
	}
	rule->ioprio_level = (u8)level;
	rule->has |= TANDEM_MATCH_HAS_LEVEL;
	return 0;
}

static int parse_ops(const char *value, struct tandem_rule *rule,
		     const char **error)
{
	const char *s = value;

	while (1) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		unsigned int op;

		for (op = 0; op < TANDEM_NR_OPS; op++)
			if (strlen(op_names[op]) == len &&
			    !strncmp(s, op_names[op], len))
				break;
		if (op == TANDEM_NR_OPS) {
			*error = "Invalid op match: each must be read, write, flush or discard";
			return -EINVAL;
		}
		if (rule->ops & (1U << op)) {
			*error = "Invalid op match: operation listed twice";
			return -EINVAL;
		}
		rule->ops |= 1U << op;
		if (!comma)
			break;
		s = comma + 1;
	}
	rule->has |= TANDEM_MATCH_HAS_OPS;
	return 0;
}

static int parse_size(const char *value, struct tandem_rule *rule,
		      const char **error)
{
	const char *dash = strchr(value, '-');
	u64 min, max;

	if (!dash ||
	    parse_span(value, dash, 0xffffffffULL, &min) ||
	    tandem_parse_uint(dash + 1, 0xffffffffULL, &max)) {
		*error = "Invalid size match: must be <min>-<max> in bytes";
		return -EINVAL;
	}
	if (min > max) {
		*error = "Invalid size match: min is above max";
		return -EINVAL;
	}
	rule->size_min = (u32)min;
	rule->size_max = (u32)max;
	rule->has |= TANDEM_MATCH_HAS_SIZE;
	return 0;
}

static int parse_route(const char *value, struct tandem_rule *rule,
		       const char **error)
{
	if (!strcmp(value, TANDEM_ROUTE_SHADOW)) {
		rule->to_shadow = true;
	} else if (strcmp(value, TANDEM_ROUTE_LEGS)) {
		*error = "Invalid route: must be legs or shadow";
		return -EINVAL;
	}
	rule->has |= TANDEM_MATCH_HAS_ROUTE;
	return 0;
}

static int parse_match(const char *word, struct tandem_rule *rule,
		       const char **error)
{
	const char *value = strchr(word, '=');
	unsigned int bit;

	if (has_key(word, TANDEM_MATCH_CGROUP)) {
		bit = TANDEM_MATCH_HAS_CGROUP;
	} else if (has_key(word, TANDEM_MATCH_IOPRIO)) {
		bit = TANDEM_MATCH_HAS_IOPRIO;
	} else if (has_key(word, TANDEM_MATCH_OP)) {
		bit = TANDEM_MATCH_HAS_OPS;
	} else if (has_key(word, TANDEM_MATCH_SIZE)) {
		bit = TANDEM_MATCH_HAS_SIZE;
	} else if (has_key(word, TANDEM_MATCH_ROUTE)) {
		bit = TANDEM_MATCH_HAS_ROUTE;
	} else {
		*error = "Unknown rule match: expected cgroup=, ioprio=, op=, size= or route=";
		return -EINVAL;
	}
	if (rule->has & bit) {
		*error = "Rule repeats a match";
		return -EINVAL;
	}
	value++;

	switch (bit) {
	case TANDEM_MATCH_HAS_CGROUP:
		if (tandem_parse_uint(value, ~0ULL, &rule->cgroup)) {
			*error = "Invalid cgroup match: must be a cgroup id";
			return -EINVAL;
		}
		rule->has |= bit;
		return 0;
	case TANDEM_MATCH_HAS_IOPRIO:
		return parse_ioprio(value, rule, error);
	case TANDEM_MATCH_HAS_OPS:
		return parse_ops(value, rule, error);
	case TANDEM_MATCH_HAS_ROUTE:
		return parse_route(value, rule, error);
	default:
		return parse_size(value, rule, error);
	}
}

int tandem_rule_parse(unsigned int argc, char **argv, struct tandem_rule *out,
		      const char **error)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (!argc) {
		*error = "Rule needs a class";
		return -EINVAL;
	}
	if (!tandem_class_name_valid(argv[0])) {
		*error = "Invalid class name in rule";
		return -EINVAL;
	}
	strcpy(out->class_name, argv[0]);

	for (i = 1; i < argc; i++)
		if (parse_match(argv[i], out, error))
			return -EINVAL;
	return 0;
}

static bool cgroup_matches(u64 id, const struct tandem_bio_facts *facts)
{
	unsigned int i;

	for (i = 0; i < facts->nr_cgroups; i++)
		if (facts->cgroups[i] == id)
			return true;
	return false;
}

bool tandem_rule_matches(const struct tandem_rule *rule,
			 const struct tandem_bio_facts *facts)
{
	if ((rule->has & TANDEM_MATCH_HAS_OPS) &&
	    !(rule->ops & (1U << facts->op)))
		return false;
	if ((rule->has & TANDEM_MATCH_HAS_SIZE) &&
	    (facts->bytes < rule->size_min || facts->bytes > rule->size_max))
		return false;
	if ((rule->has & TANDEM_MATCH_HAS_IOPRIO) &&
	    facts->ioprio_class != rule->ioprio_class)
		return false;
	if ((rule->has & TANDEM_MATCH_HAS_LEVEL) &&
	    facts->ioprio_level != rule->ioprio_level)
		return false;
	if ((rule->has & TANDEM_MATCH_HAS_CGROUP) &&
	    !cgroup_matches(rule->cgroup, facts))
		return false;
	return true;
}

/* snprintf at buf + *used, tracking the full length needed. */
#define EMIT(fmt, ...)							\
	do {								\
		unsigned int room = used < len ? len - used : 0;	\
		used += (unsigned int)snprintf(buf + (used < len ? used : len), \
					       room, fmt, ##__VA_ARGS__); \
	} while (0)

int tandem_rule_format(const struct tandem_rule *rule, char *buf,
		       unsigned int len)
{
	unsigned int used = 0, op;
	bool first = true;

	if (len)
		buf[0] = '\0';
	EMIT("%s", rule->class_name);
	if (rule->has & TANDEM_MATCH_HAS_CGROUP)
		EMIT(" " TANDEM_MATCH_CGROUP "=%llu",
		     (unsigned long long)rule->cgroup);
	if (rule->has & TANDEM_MATCH_HAS_IOPRIO)
		EMIT(" " TANDEM_MATCH_IOPRIO "=%s",
		     ioprio_names[rule->ioprio_class]);
	if (rule->has & TANDEM_MATCH_HAS_LEVEL)
		EMIT(":%u", rule->ioprio_level);
	if (rule->has & TANDEM_MATCH_HAS_OPS) {
		EMIT(" " TANDEM_MATCH_OP "=");
		for (op = 0; op < TANDEM_NR_OPS; op++) {
			if (!(rule->ops & (1U << op)))
				continue;
			EMIT("%s%s", first ? "" : ",", op_names[op]);
			first = false;
		}
	}
	if (rule->has & TANDEM_MATCH_HAS_SIZE)
		EMIT(" " TANDEM_MATCH_SIZE "=%u-%u", rule->size_min,
		     rule->size_max);
	if (rule->has & TANDEM_MATCH_HAS_ROUTE)
		EMIT(" " TANDEM_MATCH_ROUTE "=%s", rule->to_shadow ?
		     TANDEM_ROUTE_SHADOW : TANDEM_ROUTE_LEGS);
	return (int)used;
}

#undef EMIT

unsigned int tandem_rule_words(const struct tandem_rule *rule)
{
	return 1 + !!(rule->has & TANDEM_MATCH_HAS_CGROUP) +
	       !!(rule->has & TANDEM_MATCH_HAS_IOPRIO) +
	       !!(rule->has & TANDEM_MATCH_HAS_OPS) +
	       !!(rule->has & TANDEM_MATCH_HAS_SIZE) +
	       !!(rule->has & TANDEM_MATCH_HAS_ROUTE);
}
