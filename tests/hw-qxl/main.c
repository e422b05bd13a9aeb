// SPDX-License-Identifier: MIT
/* main.c - runs every hw-qxl device test, printing TAP. */
#include <stdlib.h>

#include "harness.h"

extern const struct test tests_ports[], tests_draw[], tests_release[],
	tests_hostile[], tests_spice[], tests_state[], tests_written[];

int main(int argc, char **argv)
{
	const struct test *sets[] = { tests_ports, tests_draw, tests_release,
				      tests_hostile, tests_spice,
				      tests_state, tests_written };
	const char *only = argc > 1 ? argv[1] : NULL;
	int total = 0, n = 0, fails = 0;
	unsigned int s;
	const struct test *t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (only && (!strcmp(only, "--help") || !strcmp(only, "-h"))) {
		printf("usage: %s [TEST-NAME-SUBSTRING]\n"
		       "Runs the hw-qxl device tests (TAP output).\n", argv[0]);
		return 0;
	}
	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		for (t = sets[s]; t->name; t++)
			if (!only || strstr(t->name, only))
				total++;
	printf("TAP version 13\n1..%d\n", total);
	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		for (t = sets[s]; t->name; t++) {
			if (only && !strstr(t->name, only))
				continue;
			t_failed = 0;
			t->fn();
			n++;
			printf("%sok %d %s\n", t_failed ? "not " : "", n,
			       t->name);
			fails += t_failed;
		}
	}
	printf("# %d tests, %d failed\n", total, fails);
	return fails ? 1 : 0;
}
