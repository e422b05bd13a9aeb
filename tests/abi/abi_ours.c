// SPDX-License-Identifier: MIT
/* The ABI table as include/qxl/qxl_abi.h defines it. */
#include <qxl/qxl_abi.h>
#include "abi_table.h"

#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)
#define ABI_SIZE(ours, theirs) { #ours, 0, sizeof(ours) },
#define ABI_FIELD(ours, of, theirs, tf) \
	{ #ours "." #of, offsetof(ours, of), FIELD_SIZE(ours, of) },
#define ABI_FLEX(ours, of, theirs, tf) \
	{ #ours "." #of "[]", offsetof(ours, of), FIELD_SIZE(ours, of[0]) },
#define ABI_CONST(ours, theirs) { #ours, (uint64_t)(ours), 0 },

const struct abi_row abi_ours[] = {
#include "abi_fields.def"
};
const size_t abi_ours_count = sizeof(abi_ours) / sizeof(abi_ours[0]);
