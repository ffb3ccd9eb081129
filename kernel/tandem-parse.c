// SPDX-License-Identifier: GPL-2.0
/*
 * Constructor and message grammar of the tandem target; see
 * docs/target.md for the user-facing description.
 */
#include "tandem-parse.h"

int tandem_parse_uint(const char *s, u64 max, u64 *out)
{
	u64 value = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int digit;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		digit = (unsigned int)(*s - '0');
		if (digit > max || value > (max - digit) / 10)
			return -EINVAL;
		value = value * 10 + digit;
	}
	*out = value;
	return 0;
}

static bool is_power_of_two(u64 n)
{
	return n && !(n & (n - 1));
}

static bool streq(const char *a, const char *b)
{
	return !strcmp(a, b);
}

/* Parse exactly nr_legs weights, each 0..100, summing to 100. */
static int parse_weights(char **argv, unsigned int nr_legs, u8 *weights,
			 const char **error)
{
	unsigned int i, sum = 0;
	u64 w;

	for (i = 0; i < nr_legs; i++) {
		if (tandem_parse_uint(argv[i], TANDEM_WEIGHT_TOTAL, &w)) {
			*error = "Invalid read weight: each must be 0..100";
			return -EINVAL;
		}
		weights[i] = (u8)w;
		sum += (unsigned int)w;
	}
	if (sum != TANDEM_WEIGHT_TOTAL) {
		*error = "Read weights must sum to 100";
		return -EINVAL;
	}
	return 0;
}

static int parse_sync_rate(const char *arg, u32 *rate, const char **error)
{
	u64 value;

	if (!arg || tandem_parse_uint(arg, TANDEM_MAX_SYNC_RATE, &value)) {
		*error = "Invalid sync rate: must be 0..16777216 KiB/s";
		return -EINVAL;
	}
	*rate = (u32)value;
	return 0;
}

static int parse_resync_mode(const char *arg, bool *checksum,
			     const char **error)
{
	if (arg && streq(arg, TANDEM_RESYNC_COPY)) {
		*checksum = false;
		return 0;
	}
	if (arg && streq(arg, TANDEM_RESYNC_CHECKSUM)) {
		*checksum = true;
		return 0;
	}
	*error = "Invalid resync mode: must be copy or checksum";
	return -EINVAL;
}

static int parse_queue_depth(const char *arg, u32 *depth, const char **error)
{
	u64 value;

	if (!arg || tandem_parse_uint(arg, TANDEM_MAX_QUEUE_DEPTH, &value)) {
		*error = "Invalid queue depth: must be 0..4096";
		return -EINVAL;
	}
	*depth = (u32)value;
	return 0;
}

static int parse_class_weight(const char *arg, u32 *weight, const char **error)
{
	u64 value;

	if (!arg || tandem_parse_uint(arg, TANDEM_MAX_CLASS_WEIGHT, &value)) {
		*error = "Invalid class weight: must be 0..1000";
		return -EINVAL;
	}
	*weight = (u32)value;
	return 0;
}

static int parse_iops_limit(const char *arg, u32 *limit, const char **error)
{
	u64 value;

	if (!arg || tandem_parse_uint(arg, TANDEM_MAX_IOPS_LIMIT, &value)) {
		*error = "Invalid iops limit: must be 0..10000000";
		return -EINVAL;
	}
	*limit = (u32)value;
	return 0;
}

static int parse_bw_limit(const char *arg, u32 *limit, const char **error)
{
	u64 value;

	if (!arg || tandem_parse_uint(arg, TANDEM_MAX_BW_LIMIT, &value)) {
		*error = "Invalid bw limit: must be 0..4294967295 KiB/s";
		return -EINVAL;
	}
	*limit = (u32)value;
	return 0;
}

static int parse_class_name(const char *arg, char *name, const char **error)
{
	if (!arg || !tandem_class_name_valid(arg)) {
		*error = "Invalid class name: [a-z][a-z0-9_-]*, at most 15 characters, not add or remove";
		return -EINVAL;
	}
	strcpy(name, arg);
	return 0;
}

static const char *const shadow_mode_names[] = {
	[TANDEM_SHADOW_MODE_ASYNC] = TANDEM_SHADOW_ASYNC,
	[TANDEM_SHADOW_MODE_SYNC] = TANDEM_SHADOW_SYNC,
	[TANDEM_SHADOW_MODE_GATE] = TANDEM_SHADOW_GATE,
};

const char *tandem_shadow_mode_name(u32 mode)
{
	if (mode < TANDEM_SHADOW_MODE_ASYNC || mode > TANDEM_SHADOW_MODE_GATE)
		return "?";
	return shadow_mode_names[mode];
}

static int parse_shadow_mode(const char *arg, u32 *mode, const char **error)
{
	u32 m;

	for (m = TANDEM_SHADOW_MODE_ASYNC; arg && m <= TANDEM_SHADOW_MODE_GATE; m++) {
		if (streq(arg, shadow_mode_names[m])) {
			*mode = m;
			return 0;
		}
	}
	*error = "Invalid shadow mode: must be async, sync or gate";
	return -EINVAL;
}

static int parse_shadow_sample(const char *arg, u32 *sample,
			       const char **error)
{
	u64 value;

	if (!arg || tandem_parse_uint(arg, TANDEM_MAX_SHADOW_SAMPLE, &value)) {
		*error = "Invalid shadow sample: must be 0..1000000 (1 in n bios; 0 off)";
		return -EINVAL;
	}
	*sample = (u32)value;
	return 0;
}

static int parse_shadow_pool(const char *arg, u32 *kib, const char **error)
{
	u64 value;

	if (!arg || tandem_parse_uint(arg, TANDEM_MAX_SHADOW_POOL, &value)) {
		*error = "Invalid shadow pool: must be 0..4194304 KiB";
		return -EINVAL;
	}
	*kib = (u32)value;
	return 0;
}

/* class <name> <weight> <iops> <bw>: @argv starts at <name>, 4 words. */
static int parse_class_feature(unsigned int argc, char **argv,
			       struct tandem_table_args *out,
			       const char **error)
{
	struct tandem_class_args *cls = &out->classes[out->nr_classes];
	unsigned int i;

	if (argc < 4) {
		*error = "class needs a name, a weight, an iops and a bw limit";
		return -EINVAL;
	}
	if (out->nr_classes == TANDEM_MAX_CLASSES) {
		*error = "Too many classes";
		return -EINVAL;
	}
	if (parse_class_name(argv[0], cls->name, error) ||
	    parse_class_weight(argv[1], &cls->weight, error) ||
	    parse_iops_limit(argv[2], &cls->iops_limit, error) ||
	    parse_bw_limit(argv[3], &cls->bw_limit, error))
		return -EINVAL;
	for (i = 0; i < out->nr_classes; i++) {
		if (!strcmp(out->classes[i].name, cls->name)) {
			*error = "Duplicate class";
			return -EINVAL;
		}
	}
	out->nr_classes++;
	return 0;
}

/* rule <#words> <class> [<match>...]: @argv starts at <#words>. */
static int parse_rule_feature(unsigned int argc, char **argv,
			      struct tandem_table_args *out,
			      unsigned int *used, const char **error)
{
	u64 words;

	if (!argc || tandem_parse_uint(argv[0], 6, &words) || !words) {
		*error = "rule needs a word count of 1..6";
		return -EINVAL;
	}
	if (words > argc - 1) {
		*error = "rule has fewer words than its count";
		return -EINVAL;
	}
	if (out->nr_rules == TANDEM_MAX_RULES) {
		*error = "Too many rules";
		return -EINVAL;
	}
	if (tandem_rule_parse((unsigned int)words, argv + 1,
			      &out->rules[out->nr_rules], error))
		return -EINVAL;
	out->nr_rules++;
	*used = 1 + (unsigned int)words;
	return 0;
}

static int parse_features(unsigned int argc, char **argv,
			  struct tandem_table_args *out, const char **error)
{
	unsigned int i = 0;
	u64 count;

	if (!argc)
		return 0;
	if (tandem_parse_uint(argv[0], 1000, &count)) {
		*error = "Invalid feature argument count";
		return -EINVAL;
	}
	if (count != argc - 1) {
		*error = "Feature argument count does not match the arguments given";
		return -EINVAL;
	}
	argv++;
	argc--;

	while (i < argc) {
		const char *feature = argv[i++];

		if (streq(feature, TANDEM_FEAT_NOSYNC)) {
			if (out->nosync) {
				*error = "Duplicate feature: nosync";
				return -EINVAL;
			}
			out->nosync = true;
		} else if (streq(feature, TANDEM_FEAT_READ_WEIGHTS)) {
			if (out->has_read_weights) {
				*error = "Duplicate feature: read_weights";
				return -EINVAL;
			}
			if (argc - i < out->nr_legs) {
				*error = "read_weights needs one weight per leg";
				return -EINVAL;
			}
			if (parse_weights(argv + i, out->nr_legs,
					  out->read_weights, error))
				return -EINVAL;
			out->has_read_weights = true;
			i += out->nr_legs;
		} else if (streq(feature, TANDEM_FEAT_SYNC_RATE)) {
			if (out->has_sync_rate) {
				*error = "Duplicate feature: sync_rate";
				return -EINVAL;
			}
			if (parse_sync_rate(i < argc ? argv[i] : NULL,
					    &out->sync_rate, error))
				return -EINVAL;
			i++;
			out->has_sync_rate = true;
		} else if (streq(feature, TANDEM_FEAT_RESYNC_MODE)) {
			if (out->has_resync_mode) {
				*error = "Duplicate feature: resync_mode";
				return -EINVAL;
			}
			if (parse_resync_mode(i < argc ? argv[i] : NULL,
					      &out->resync_checksum, error))
				return -EINVAL;
			i++;
			out->has_resync_mode = true;
		} else if (streq(feature, TANDEM_FEAT_QUEUE_DEPTH)) {
			if (out->has_queue_depth) {
				*error = "Duplicate feature: queue_depth";
				return -EINVAL;
			}
			if (parse_queue_depth(i < argc ? argv[i] : NULL,
					      &out->queue_depth, error))
				return -EINVAL;
			i++;
			out->has_queue_depth = true;
		} else if (streq(feature, TANDEM_FEAT_CLASS)) {
			if (parse_class_feature(argc - i, argv + i, out, error))
				return -EINVAL;
			i += 4;
		} else if (streq(feature, TANDEM_FEAT_SHADOW)) {
			if (out->shadow_dev) {
				*error = "Duplicate feature: shadow";
				return -EINVAL;
			}
			if (i >= argc || streq(argv[i], "-") || !*argv[i]) {
				*error = "shadow needs a device";
				return -EINVAL;
			}
			out->shadow_dev = argv[i++];
		} else if (streq(feature, TANDEM_FEAT_SHADOW_MODE)) {
			if (out->has_shadow_mode) {
				*error = "Duplicate feature: shadow_mode";
				return -EINVAL;
			}
			if (parse_shadow_mode(i < argc ? argv[i] : NULL,
					      &out->shadow_mode, error))
				return -EINVAL;
			i++;
			out->has_shadow_mode = true;
		} else if (streq(feature, TANDEM_FEAT_SHADOW_SAMPLE)) {
			if (out->has_shadow_sample) {
				*error = "Duplicate feature: shadow_sample";
				return -EINVAL;
			}
			if (parse_shadow_sample(i < argc ? argv[i] : NULL,
						&out->shadow_sample, error))
				return -EINVAL;
			i++;
			out->has_shadow_sample = true;
		} else if (streq(feature, TANDEM_FEAT_SHADOW_POOL)) {
			if (out->has_shadow_pool) {
				*error = "Duplicate feature: shadow_pool";
				return -EINVAL;
			}
			if (parse_shadow_pool(i < argc ? argv[i] : NULL,
					      &out->shadow_pool, error))
				return -EINVAL;
			i++;
			out->has_shadow_pool = true;
		} else if (streq(feature, TANDEM_FEAT_RULE)) {
			unsigned int used;

			if (parse_rule_feature(argc - i, argv + i, out, &used,
					       error))
				return -EINVAL;
			i += used;
		} else {
			*error = "Unknown feature";
			return -EINVAL;
		}
	}
	return 0;
}

int tandem_parse_table(unsigned int argc, char **argv,
		       struct tandem_table_args *out, const char **error)
{
	unsigned int i;
	u64 value;

	memset(out, 0, sizeof(*out));
	if (argc < 3 + TANDEM_MIN_LEGS) {
		*error = "Not enough arguments";
		return -EINVAL;
	}

	out->metadata_dev = streq(argv[0], "-") ? NULL : argv[0];

	if (tandem_parse_uint(argv[1], TANDEM_MAX_REGION_SECTORS, &value) ||
	    value < TANDEM_MIN_REGION_SECTORS || !is_power_of_two(value)) {
		*error = "Invalid region size: must be a power of two from 8 to 2097152 sectors";
		return -EINVAL;
	}
	out->region_sectors = (u32)value;

	if (tandem_parse_uint(argv[2], TANDEM_MAX_LEGS, &value) ||
	    value < TANDEM_MIN_LEGS) {
		*error = "Invalid number of legs: must be 2 to 4";
		return -EINVAL;
	}
	out->nr_legs = (unsigned int)value;
	argc -= 3;
	argv += 3;

	if (argc < out->nr_legs) {
		*error = "Fewer leg devices than the number of legs";
		return -EINVAL;
	}
	for (i = 0; i < out->nr_legs; i++) {
		if (streq(argv[i], "-") || !*argv[i]) {
			*error = "Invalid leg device";
			return -EINVAL;
		}
		out->leg_path[i] = argv[i];
	}

	if (parse_features(argc - out->nr_legs, argv + out->nr_legs, out,
			   error))
		return -EINVAL;
	if (!out->shadow_dev && (out->has_shadow_mode ||
				 out->has_shadow_sample ||
				 out->has_shadow_pool)) {
		*error = "shadow_mode, shadow_sample and shadow_pool need a shadow device";
		return -EINVAL;
	}
	return 0;
}

static int parse_leg_index(unsigned int argc, char **argv,
			   unsigned int nr_legs, struct tandem_msg *out,
			   const char **error)
{
	u64 leg;

	if (argc != 2) {
		*error = "Expects exactly one leg index";
		return -EINVAL;
	}
	if (tandem_parse_uint(argv[1], TANDEM_MAX_LEGS, &leg) ||
	    leg >= nr_legs) {
		*error = "Invalid leg index";
		return -EINVAL;
	}
	out->leg = (unsigned int)leg;
	return 0;
}

/* class limit [iops <n>] [bw <KiB/s>]: @argv starts after "limit". */
static int parse_class_limits(unsigned int argc, char **argv,
			      struct tandem_msg *out, const char **error)
{
	unsigned int i;

	if (!argc || argc % 2) {
		*error = "class limit expects iops <n>, bw <KiB/s> or both";
		return -EINVAL;
	}
	for (i = 0; i < argc; i += 2) {
		if (streq(argv[i], TANDEM_LIMIT_IOPS) && !out->has_iops_limit) {
			if (parse_iops_limit(argv[i + 1],
					     &out->cls.iops_limit, error))
				return -EINVAL;
			out->has_iops_limit = true;
		} else if (streq(argv[i], TANDEM_LIMIT_BW) &&
			   !out->has_bw_limit) {
			if (parse_bw_limit(argv[i + 1], &out->cls.bw_limit,
					   error))
				return -EINVAL;
			out->has_bw_limit = true;
		} else {
			*error = "class limit expects iops <n>, bw <KiB/s> or both, once each";
			return -EINVAL;
		}
	}
	return 0;
}

/* class ...: @argv starts after "class". */
static int parse_class_message(unsigned int argc, char **argv,
			       struct tandem_msg *out, const char **error)
{
	if (argc == 2 && streq(argv[0], TANDEM_CLASS_ADD)) {
		out->verb = TANDEM_VERB_CLASS_ADD;
		return parse_class_name(argv[1], out->cls.name, error);
	}
	if (argc == 2 && streq(argv[0], TANDEM_CLASS_REMOVE)) {
		out->verb = TANDEM_VERB_CLASS_REMOVE;
		return parse_class_name(argv[1], out->cls.name, error);
	}
	if (argc < 2) {
		*error = "class expects add <name>, remove <name>, <name> weight <n> or <name> limit ...";
		return -EINVAL;
	}
	if (parse_class_name(argv[0], out->cls.name, error))
		return -EINVAL;
	if (streq(argv[1], TANDEM_CLASS_WEIGHT)) {
		out->verb = TANDEM_VERB_CLASS_WEIGHT;
		if (argc != 3) {
			*error = "class weight expects one weight";
			return -EINVAL;
		}
		return parse_class_weight(argv[2], &out->cls.weight, error);
	}
	if (streq(argv[1], TANDEM_CLASS_LIMIT)) {
		out->verb = TANDEM_VERB_CLASS_LIMIT;
		return parse_class_limits(argc - 2, argv + 2, out, error);
	}
	*error = "class expects add <name>, remove <name>, <name> weight <n> or <name> limit ...";
	return -EINVAL;
}

/* rule ...: @argv starts after "rule". */
static int parse_rule_message(unsigned int argc, char **argv,
			      struct tandem_msg *out, const char **error)
{
	u64 index;

	if (argc >= 2 && streq(argv[0], TANDEM_RULE_ADD)) {
		out->verb = TANDEM_VERB_RULE_ADD;
		return tandem_rule_parse(argc - 1, argv + 1, &out->rule, error);
	}
	if (argc == 2 && streq(argv[0], TANDEM_RULE_DEL)) {
		out->verb = TANDEM_VERB_RULE_DEL;
		if (tandem_parse_uint(argv[1], TANDEM_MAX_RULES, &index)) {
			*error = "Invalid rule index";
			return -EINVAL;
		}
		out->rule_index = (unsigned int)index;
		return 0;
	}
	if (argc == 1 && streq(argv[0], TANDEM_RULE_CLEAR)) {
		out->verb = TANDEM_VERB_RULE_CLEAR;
		return 0;
	}
	if (argc == 1 && streq(argv[0], TANDEM_RULE_LIST)) {
		out->verb = TANDEM_VERB_RULE_LIST;
		return 0;
	}
	*error = "rule expects add <class> [<match>...], del <index>, clear or list";
	return -EINVAL;
}

/* shadow ...: @argv starts after "shadow". */
static int parse_shadow_message(unsigned int argc, char **argv,
				struct tandem_msg *out, const char **error)
{
	if (argc == 1 && streq(argv[0], TANDEM_SHADOW_ON)) {
		out->verb = TANDEM_VERB_SHADOW_ON;
		return 0;
	}
	if (argc == 1 && streq(argv[0], TANDEM_SHADOW_OFF)) {
		out->verb = TANDEM_VERB_SHADOW_OFF;
		return 0;
	}
	if (argc == 2 && streq(argv[0], TANDEM_SHADOW_SAMPLE)) {
		out->verb = TANDEM_VERB_SHADOW_SAMPLE;
		return parse_shadow_sample(argv[1], &out->shadow_sample, error);
	}
	if (argc == 2 && streq(argv[0], TANDEM_SHADOW_POOL)) {
		out->verb = TANDEM_VERB_SHADOW_POOL;
		return parse_shadow_pool(argv[1], &out->shadow_pool, error);
	}
	*error = "shadow expects on, off, sample <n> or pool <KiB>";
	return -EINVAL;
}

int tandem_parse_message(unsigned int argc, char **argv, unsigned int nr_legs,
			 struct tandem_msg *out, const char **error)
{
	const char *verb;

	memset(out, 0, sizeof(*out));
	if (!argc) {
		*error = "Empty message";
		return -EINVAL;
	}
	verb = argv[0];

	if (streq(verb, TANDEM_MSG_WEIGHTS)) {
		out->verb = TANDEM_VERB_WEIGHTS;
		if (argc - 1 != nr_legs) {
			*error = "weights expects one weight per leg";
			return -EINVAL;
		}
		return parse_weights(argv + 1, nr_legs, out->weights, error);
	}
	if (streq(verb, TANDEM_MSG_FAIL_LEG)) {
		out->verb = TANDEM_VERB_FAIL_LEG;
		return parse_leg_index(argc, argv, nr_legs, out, error);
	}
	if (streq(verb, TANDEM_MSG_REINSTATE_LEG)) {
		out->verb = TANDEM_VERB_REINSTATE_LEG;
		return parse_leg_index(argc, argv, nr_legs, out, error);
	}
	if (streq(verb, TANDEM_MSG_STATS)) {
		if (argc == 1) {
			out->verb = TANDEM_VERB_STATS;
			return 0;
		}
		if (argc == 2 && streq(argv[1], TANDEM_MSG_STATS_RESET)) {
			out->verb = TANDEM_VERB_STATS_RESET;
			return 0;
		}
		*error = "stats takes no argument or 'reset'";
		return -EINVAL;
	}
	if (streq(verb, TANDEM_MSG_SYNC_RATE)) {
		out->verb = TANDEM_VERB_SYNC_RATE;
		if (argc != 2) {
			*error = "sync_rate expects one rate in KiB/s";
			return -EINVAL;
		}
		return parse_sync_rate(argv[1], &out->sync_rate, error);
	}
	if (streq(verb, TANDEM_MSG_RESYNC_MODE)) {
		out->verb = TANDEM_VERB_RESYNC_MODE;
		if (argc != 2) {
			*error = "resync_mode expects copy or checksum";
			return -EINVAL;
		}
		return parse_resync_mode(argv[1], &out->resync_checksum, error);
	}
	if (streq(verb, TANDEM_MSG_VERIFY) || streq(verb, TANDEM_MSG_REPAIR)) {
		out->verb = streq(verb, TANDEM_MSG_VERIFY) ?
			    TANDEM_VERB_VERIFY : TANDEM_VERB_REPAIR;
		if (argc != 1) {
			*error = "verify and repair take no argument";
			return -EINVAL;
		}
		return 0;
	}
	if (streq(verb, TANDEM_MSG_QUEUE_DEPTH)) {
		out->verb = TANDEM_VERB_QUEUE_DEPTH;
		if (argc != 2) {
			*error = "queue_depth expects one depth";
			return -EINVAL;
		}
		return parse_queue_depth(argv[1], &out->queue_depth, error);
	}
	if (streq(verb, TANDEM_MSG_CLASS))
		return parse_class_message(argc - 1, argv + 1, out, error);
	if (streq(verb, TANDEM_MSG_RULE))
		return parse_rule_message(argc - 1, argv + 1, out, error);
	if (streq(verb, TANDEM_MSG_SHADOW))
		return parse_shadow_message(argc - 1, argv + 1, out, error);
	if (streq(verb, TANDEM_MSG_SHADOW_MODE)) {
		out->verb = TANDEM_VERB_SHADOW_MODE;
		if (argc != 2) {
			*error = "shadow_mode expects async, sync or gate";
			return -EINVAL;
		}
		return parse_shadow_mode(argv[1], &out->shadow_mode, error);
	}
	*error = "Unknown message";
	return -EINVAL;
}
