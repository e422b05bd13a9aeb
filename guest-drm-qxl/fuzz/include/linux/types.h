/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the kernel header, for the logic fuzz target. */
#ifndef QXLNG_FUZZ_LINUX_TYPES_H
#define QXLNG_FUZZ_LINUX_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
/* The uapi spellings, for <drm/qxl_drm.h>. */
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int8_t __s8;
typedef int16_t __s16;
typedef int32_t __s32;
typedef int64_t __s64;
typedef size_t __kernel_size_t;
#endif
