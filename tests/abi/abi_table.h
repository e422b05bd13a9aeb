/* SPDX-License-Identifier: MIT */
/* One row of the ABI comparison: a name and what one header says of it. */
#ifndef ABI_TABLE_H
#define ABI_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct abi_row {
	const char *name;	/* our spelling, e.g. "struct qxl_rom.magic" */
	uint64_t offset;	/* field offset, or the constant's value */
	uint64_t size;		/* field or type size; 0 for constants */
};

/* Rows in abi_fields.def order, from our header and from spice's. */
extern const struct abi_row abi_ours[];
extern const struct abi_row abi_spice[];
extern const size_t abi_ours_count;
extern const size_t abi_spice_count;

#endif
