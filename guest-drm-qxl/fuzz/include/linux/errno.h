/* SPDX-License-Identifier: GPL-2.0-only */
/* Error numbers, as the uapi header provides them. */
#include <asm/errno.h>
