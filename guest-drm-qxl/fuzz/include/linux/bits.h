/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the kernel header, for the logic fuzz target. */
#ifndef QXLNG_FUZZ_LINUX_BITS_H
#define QXLNG_FUZZ_LINUX_BITS_H
#define BIT(nr)	(1UL << (nr))
#endif
