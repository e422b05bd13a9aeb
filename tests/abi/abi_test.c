// SPDX-License-Identifier: MIT
/*
 * abi_test: every size, field offset and constant of qxl_abi.h against
 * spice-protocol's qxl_dev.h.  Prints TAP; exits 1 on any difference.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "abi_table.h"

int main(void)
{
	size_t i, failed = 0;

	if (abi_ours_count != abi_spice_count) {
		printf("Bail out! tables differ in length\n");
		return 1;
	}
	printf("TAP version 13\n1..%zu\n", abi_ours_count);
	for (i = 0; i < abi_ours_count; i++) {
		const struct abi_row *o = &abi_ours[i], *s = &abi_spice[i];
		int ok = o->offset == s->offset && o->size == s->size;

		printf("%s %zu %s\n", ok ? "ok" : "not ok", i + 1, o->name);
		if (!ok) {
			printf("# ours: offset/value %" PRIu64 " size %" PRIu64
			       "; spice: offset/value %" PRIu64 " size %" PRIu64
			       "\n", o->offset, o->size, s->offset, s->size);
			failed++;
		}
	}
	printf("# %zu passed, %zu failed\n", abi_ours_count - failed, failed);
	return failed ? 1 : 0;
}
