/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dm-tandem: the vocabulary shared by the kernel target and userspace.
 *
 * Plain C with no kernel-only types, so the same definitions serve the
 * module, tandemd/tandemctl and the unit tests.  docs/target.md is the
 * prose reference for everything declared here.
 */
#ifndef DM_TANDEM_TANDEM_H
#define DM_TANDEM_TANDEM_H

#define TANDEM_TARGET_NAME		"tandem"

/* Legs: leg 0 is the source, the others are targets. */
#define TANDEM_MIN_LEGS			2
#define TANDEM_MAX_LEGS			4

/* Region size in 512-byte sectors: a power of two in [8, 2^21] (4 KiB..1 GiB). */
#define TANDEM_MIN_REGION_SECTORS	8U
#define TANDEM_MAX_REGION_SECTORS	(1U << 21)

/* Read weights are percentages: each 0..100, summing to 100. */
#define TANDEM_WEIGHT_TOTAL		100U

/*
 * A leg is failed after this many read errors since it was last
 * (re)instated; single bad sectors are retried on another leg instead.
 */
#define TANDEM_MAX_READ_ERRORS		20U

/*
 * Resync rate in KiB/s: 0 pauses resync; while application I/O is busy
 * the rate drops to a quarter, never lower.
 */
#define TANDEM_DEFAULT_SYNC_RATE	65536U		/* 64 MiB/s */
#define TANDEM_MAX_SYNC_RATE		(1U << 24)	/* 16 GiB/s */

/* Leg state letters in the status line (dm-raid style). */
#define TANDEM_LEG_ALIVE		'A'	/* healthy, in sync */
#define TANDEM_LEG_SYNCING		'a'	/* healthy, regions to resync */
#define TANDEM_LEG_DEAD			'D'	/* failed: no I/O is sent to it */

/* What the resync engine is doing, as the status shows it. */
#define TANDEM_SYNC_IDLE		"idle"		/* every healthy leg in sync */
#define TANDEM_SYNC_RESYNC		"resync"	/* copying regions */
#define TANDEM_SYNC_PAUSED		"paused"	/* regions to copy, rate 0 */

/* How the resync brings a region over (resync_mode). */
#define TANDEM_RESYNC_COPY		"copy"		/* the whole region */
#define TANDEM_RESYNC_CHECKSUM		"checksum"	/* only blocks whose xxh64 differs */

/* The verify / repair pass, as the status shows it. */
#define TANDEM_CHECK_IDLE		"idle"
#define TANDEM_CHECK_VERIFY		"verify"	/* count differing blocks */
#define TANDEM_CHECK_REPAIR		"repair"	/* and copy the source's over them */

/*
 * STATUSTYPE_INFO layout, positional and append-only; the first field is
 * the version so parsers know which fields follow.  Version 1:
 *
 *   <version> <#legs> <states> <weight>{#legs}
 *   {<reads> <writes> <read_errors> <write_errors>}{#legs} <read_retries>
 *
 * Version 2 appends:
 *
 *   <#regions> <out_of_sync_regions>{#legs} <sync_action> <sync_rate>
 *   <regions_copied> <kib_copied>
 *
 * Version 3 appends:
 *
 *   <metadata>      "-" (in core only), "ok", or "failed" (writes fail)
 *
 * Version 4 appends:
 *
 *   <resync_mode> <blocks_compared> <blocks_copied>
 *   <check_action> <check_regions_done> <check_mismatches>
 */
/*
 * Version 5 appends the class scheduler:
 *
 *   <queue_depth> <in_flight> <#classes>
 *   {<name> <weight> <iops_limit> <bw_limit> <bios> <kib> <queued>
 *    <waited> <throttled> <p50_us> <p99_us>}{#classes} <#rules>
 */
/*
 * Version 6 appends the shadow:
 *
 *   <shadow_dev> <shadow_mode> <shadow_sample> <pool_kib> <pool_used_kib>
 *   <dropped> <gate_failures> <compared> <mismatches> <confined>
 *   <confined_errors>
 *   {<op> <prod_count> <prod_errors> <prod_p99_us>
 *    <shadow_count> <shadow_errors> <shadow_p99_us>}{4: read write flush discard}
 */
#define TANDEM_STATUS_VERSION		6U

#define TANDEM_METADATA_NONE		"-"
#define TANDEM_METADATA_OK		"ok"
#define TANDEM_METADATA_FAILED		"failed"

/* Message verbs (dmsetup message <dev> 0 <verb> [args]). */
#define TANDEM_MSG_WEIGHTS		"weights"
#define TANDEM_MSG_FAIL_LEG		"fail_leg"
#define TANDEM_MSG_REINSTATE_LEG	"reinstate_leg"
#define TANDEM_MSG_STATS		"stats"		/* [reset] */
#define TANDEM_MSG_STATS_RESET		"reset"
#define TANDEM_MSG_SYNC_RATE		"sync_rate"	/* <KiB/s> */
#define TANDEM_MSG_RESYNC_MODE		"resync_mode"	/* copy|checksum */
#define TANDEM_MSG_VERIFY		"verify"
#define TANDEM_MSG_REPAIR		"repair"
#define TANDEM_MSG_QUEUE_DEPTH		"queue_depth"	/* <n> */
#define TANDEM_MSG_CLASS		"class"		/* add|remove <c>, <c> weight|limit ... */
#define TANDEM_MSG_RULE			"rule"		/* add|del|clear|list */
#define TANDEM_MSG_SHADOW		"shadow"	/* on|off|sample <n>|pool <KiB> */
#define TANDEM_MSG_SHADOW_MODE		"shadow_mode"	/* async|sync|gate */
#define TANDEM_SHADOW_ON		"on"
#define TANDEM_SHADOW_OFF		"off"
#define TANDEM_SHADOW_SAMPLE		"sample"
#define TANDEM_SHADOW_POOL		"pool"

/*
 * Table features.  <#features> counts feature words, not features:
 * "4 nosync read_weights 70 30".
 */
#define TANDEM_FEAT_NOSYNC		"nosync"
#define TANDEM_FEAT_READ_WEIGHTS	"read_weights"
#define TANDEM_FEAT_SYNC_RATE		"sync_rate"
#define TANDEM_FEAT_RESYNC_MODE		"resync_mode"
#define TANDEM_FEAT_QUEUE_DEPTH		"queue_depth"	/* <n> */
#define TANDEM_FEAT_CLASS		"class"		/* <name> <weight> <iops> <bw> */
#define TANDEM_FEAT_RULE		"rule"		/* <#words> <class> <match>... */
#define TANDEM_FEAT_SHADOW		"shadow"	/* <dev> */
#define TANDEM_FEAT_SHADOW_MODE		"shadow_mode"	/* async|sync|gate */
#define TANDEM_FEAT_SHADOW_SAMPLE	"shadow_sample"	/* <n>: 1 in n; 0 off */
#define TANDEM_FEAT_SHADOW_POOL		"shadow_pool"	/* <KiB> */

/*
 * The shadow: a replica (typically a snapshot of the source) that
 * production bios are cloned to, sampled 1 in shadow_sample, and that
 * bios of a rule with route=shadow are confined to.
 */
#define TANDEM_SHADOW_ASYNC		"async"	/* own payload copy; never waits */
#define TANDEM_SHADOW_SYNC		"sync"	/* shared payload; completes after both */
#define TANDEM_SHADOW_GATE		"gate"	/* shadow first; production only if it succeeded */
#define TANDEM_DEFAULT_SHADOW_POOL	8192U		/* KiB of payload copies */
#define TANDEM_MAX_SHADOW_POOL		(1U << 22)	/* 4 GiB */
#define TANDEM_MAX_SHADOW_SAMPLE	1000000U
/* Sectors of the first content mismatches kept for stats. */
#define TANDEM_SHADOW_MISMATCH_SECTORS	8U

/*
 * The class scheduler.  Every bio is classified by the first matching
 * rule (default: production).  With queue_depth > 0, bios past that many
 * in flight wait in per-class queues and are dispatched by class weight
 * (start-time fair queueing); class limits are token buckets that apply
 * whether or not queue_depth is set.
 */
#define TANDEM_MAX_CLASSES		8U
#define TANDEM_CLASS_NAME_MAX		15U	/* [a-z][a-z0-9_-]* */
#define TANDEM_CLASS_CRITICAL		"critical"
#define TANDEM_CLASS_PRODUCTION		"production"	/* unmatched bios */
#define TANDEM_CLASS_TEST		"test"
#define TANDEM_WEIGHT_CRITICAL		200U
#define TANDEM_WEIGHT_PRODUCTION	100U
#define TANDEM_WEIGHT_TEST		50U
/* 0: the class runs only while no class with a weight has bios waiting. */
#define TANDEM_MAX_CLASS_WEIGHT		1000U
#define TANDEM_MAX_IOPS_LIMIT		10000000U
#define TANDEM_MAX_BW_LIMIT		4294967295U	/* KiB/s */
#define TANDEM_MAX_QUEUE_DEPTH		4096U
#define TANDEM_MAX_RULES		32U

/* Words of the class message (after the class name) and of rules. */
#define TANDEM_CLASS_ADD		"add"
#define TANDEM_CLASS_REMOVE		"remove"
#define TANDEM_CLASS_WEIGHT		"weight"	/* <n> */
#define TANDEM_CLASS_LIMIT		"limit"		/* [iops <n>] [bw <KiB/s>] */
#define TANDEM_LIMIT_IOPS		"iops"
#define TANDEM_LIMIT_BW			"bw"
#define TANDEM_RULE_ADD			"add"		/* <class> [<match>...] */
#define TANDEM_RULE_DEL			"del"		/* <index> */
#define TANDEM_RULE_CLEAR		"clear"
#define TANDEM_RULE_LIST		"list"

/*
 * Rule matches, key=value words; a rule matches a bio when all of its
 * matches do (none: every bio):
 *   cgroup=<id>              the bio's io cgroup or one of its ancestors
 *                            (id: the inode number of its cgroup2 directory)
 *   ioprio=<class>[:<level>] none|rt|be|idle, level 0..7
 *   op=<op>[,<op>...]        read|write|flush|discard
 *   size=<min>-<max>         bytes, inclusive
 */
#define TANDEM_MATCH_CGROUP		"cgroup"
#define TANDEM_MATCH_IOPRIO		"ioprio"
#define TANDEM_MATCH_OP			"op"
#define TANDEM_MATCH_SIZE		"size"
/* Not a match but the rule's action: route=shadow confines to the shadow. */
#define TANDEM_MATCH_ROUTE		"route"
#define TANDEM_ROUTE_LEGS		"legs"
#define TANDEM_ROUTE_SHADOW		"shadow"

/* Latency histograms: bucket i counts [2^i, 2^(i+1)) us, the last the rest. */
#define TANDEM_LAT_BUCKETS		24U

#endif /* DM_TANDEM_TANDEM_H */
