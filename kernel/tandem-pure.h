/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types for the pure-logic files (argument parsing, weighted choice) that
 * build both in the kernel and in userspace, where the unit tests and fuzz
 * targets reach them without a VM.
 */
#ifndef TANDEM_PURE_H
#define TANDEM_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
#endif

#include <dm-tandem/tandem.h>

#endif /* TANDEM_PURE_H */
