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

/* Leg state letters in the status line (dm-raid style). */
#define TANDEM_LEG_ALIVE		'A'	/* healthy, in sync */
#define TANDEM_LEG_DEAD			'D'	/* failed: no I/O is sent to it */

/*
 * STATUSTYPE_INFO layout, positional and append-only; the first field is
 * this version so parsers know which fields follow:
 *
 *   <version> <#legs> <states> <weight>{#legs}
 *   {<reads> <writes> <read_errors> <write_errors>}{#legs} <read_retries>
 */
#define TANDEM_STATUS_VERSION		1U

/* Message verbs (dmsetup message <dev> 0 <verb> [args]). */
#define TANDEM_MSG_WEIGHTS		"weights"
#define TANDEM_MSG_FAIL_LEG		"fail_leg"
#define TANDEM_MSG_REINSTATE_LEG	"reinstate_leg"
#define TANDEM_MSG_STATS		"stats"		/* [reset] */
#define TANDEM_MSG_STATS_RESET		"reset"

/*
 * Table features.  <#features> counts feature words, not features:
 * "4 nosync read_weights 70 30".
 */
#define TANDEM_FEAT_NOSYNC		"nosync"
#define TANDEM_FEAT_READ_WEIGHTS	"read_weights"

#endif /* DM_TANDEM_TANDEM_H */
