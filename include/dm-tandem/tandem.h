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
#define TANDEM_STATUS_VERSION		4U

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

/*
 * Table features.  <#features> counts feature words, not features:
 * "4 nosync read_weights 70 30".
 */
#define TANDEM_FEAT_NOSYNC		"nosync"
#define TANDEM_FEAT_READ_WEIGHTS	"read_weights"
#define TANDEM_FEAT_SYNC_RATE		"sync_rate"
#define TANDEM_FEAT_RESYNC_MODE		"resync_mode"

#endif /* DM_TANDEM_TANDEM_H */
