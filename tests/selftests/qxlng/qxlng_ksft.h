/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The qxlng selftests' kselftest exit codes and common start: options,
 * QXLNG_SHOTS, the TAP header, and a skip when the card is missing.
 */
#ifndef QXLNG_KSFT_H
#define QXLNG_KSFT_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

/*
 * --help or -h prints @usage (a format taking argv[0]) and returns 0.
 * Else *card is argv[1] or /dev/dri/card0, *shots is whether
 * QXLNG_SHOTS=1, "TAP version 13" is printed, and the return is
 * KSFT_SKIP (plan 1..0 printed) when *card does not exist, -1 to go on.
 */
static inline int ksft_start(int argc, char **argv, const char *usage,
			     const char **card, bool *shots)
{
	*card = "/dev/dri/card0";
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf(usage, argv[0]);
		return 0;
	}
	if (argc > 1)
		*card = argv[1];
	*shots = getenv("QXLNG_SHOTS") && !strcmp(getenv("QXLNG_SHOTS"), "1");

	printf("TAP version 13\n");
	if (access(*card, F_OK)) {
		printf("1..0 # SKIP no %s\n", *card);
		return KSFT_SKIP;
	}
	return -1;
}

/* The 'qxlng_state' debugfs value for key, or -1. */
static inline long debugfs_value(const char *key)
{
	char path[128], line[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/0/qxlng_state");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(key);

		if (!strncmp(line, key, n) && line[n] == ' ') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

#endif
