/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels dm-tandem builds for (Debian's 6.1
 * and 6.12) lives here, so the rest of the code reads as one version.
 */
#ifndef TANDEM_COMPAT_H
#define TANDEM_COMPAT_H

#include <linux/version.h>
#include <linux/device-mapper.h>

#endif /* TANDEM_COMPAT_H */
