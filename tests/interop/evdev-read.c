// SPDX-License-Identifier: MIT
/*
 * evdev-read: print what an input device (/dev/input/eventN) reports, for
 * the interop guest (static, no libraries).
 *
 *   evdev-read [--timeout SECONDS] DEVICE
 *
 * Prints the device's name and its ABS_X/ABS_Y ranges:
 *   name <name>
 *   abs x <min> <max>
 *   abs y <min> <max>
 *   ready
 * then one line per event, "ev <type> <code> <value>" (decimal), and exits
 * 0 after the first key or button release and the SYN_REPORT that follows,
 * or 1 after SECONDS (default 30) without getting that far.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: evdev-read [--timeout SECONDS] DEVICE\n"
		"Prints the device's name and ABS_X/ABS_Y ranges, then its "
		"events\nuntil the first key or button release (exit 0) or "
		"the timeout (exit 1).\n");
}

static void print_abs(int fd, const char *axis, unsigned int code)
{
	struct input_absinfo ai;

	if (ioctl(fd, EVIOCGABS(code), &ai) < 0)
		printf("abs %s none\n", axis);
	else
		printf("abs %s %d %d\n", axis, ai.minimum, ai.maximum);
}

int main(int argc, char **argv)
{
	const char *dev = NULL;
	long timeout = 30;
	char name[256] = "";
	struct timespec start, now;
	int released = 0;
	int fd, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			char *end;

			timeout = strtol(argv[++i], &end, 10);
			if (*end || timeout <= 0 || timeout > 3600) {
				fprintf(stderr, "evdev-read: bad --timeout '%s'\n",
					argv[i]);
				return 2;
			}
		} else if (!dev && argv[i][0] != '-') {
			dev = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!dev) {
		usage(stderr);
		return 2;
	}
	fd = open(dev, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "evdev-read: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	if (ioctl(fd, EVIOCGNAME(sizeof(name) - 1), name) < 0)
		strcpy(name, "?");
	printf("name %s\n", name);
	print_abs(fd, "x", ABS_X);
	print_abs(fd, "y", ABS_Y);
	printf("ready\n");
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		struct input_event ev;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout) {
			printf("timeout\n");
			return 1;
		}
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(fd, &ev, sizeof(ev));
		if (n != (ssize_t)sizeof(ev))
			continue;
		printf("ev %u %u %d\n", ev.type, ev.code, ev.value);
		fflush(stdout);
		if (ev.type == EV_KEY && ev.value == 0)
			released = 1;
		if (released && ev.type == EV_SYN && ev.code == SYN_REPORT)
			return 0;
	}
}
