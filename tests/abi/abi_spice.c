// SPDX-License-Identifier: MIT
/*
 * The ABI table as spice-protocol's spice/qxl_dev.h defines it.  Its
 * names collide with ours, so it lives in a translation unit of its own.
 */
#include <spice/qxl_dev.h>
#include "abi_table.h"

#define FIELD_SIZE(type, field) sizeof(((type *)0)->field)
#define ABI_SIZE(ours, theirs) { #ours, 0, sizeof(theirs) },
#define ABI_FIELD(ours, of, theirs, tf) \
	{ #ours "." #of, offsetof(theirs, tf), FIELD_SIZE(theirs, tf) },
#define ABI_FLEX(ours, of, theirs, tf) \
	{ #ours "." #of "[]", offsetof(theirs, tf), FIELD_SIZE(theirs, tf[0]) },
#define ABI_CONST(ours, theirs) { #ours, (uint64_t)(theirs), 0 },

const struct abi_row abi_spice[] = {
#include "abi_fields.def"
};
const size_t abi_spice_count = sizeof(abi_spice) / sizeof(abi_spice[0]);
