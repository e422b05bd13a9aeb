/* SPDX-License-Identifier: MIT */
/* Clocks, pacing and stdin for the benchmark's two servers. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static inline void bench_die(const char *why)
{
	fprintf(stderr, "bench: %s\n", why);
	exit(2);
}

static inline uint64_t bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

/* CPU time of the whole process (every thread), user + system. */
static inline double bench_process_cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* CPU time of the calling thread. */
static inline double bench_thread_cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t bench_t0_us;
static int bench_fps;

static inline void bench_pace_start(int fps)
{
	bench_t0_us = bench_now_us();
	bench_fps = fps;
}

/* Sleep until frame i's time (frame 1 at once). */
static inline void bench_pace_wait(int i)
{
	uint64_t due = bench_t0_us + (uint64_t)(i - 1) * 1000000u /
				     (uint64_t)bench_fps;
	uint64_t now = bench_now_us();

	if (due > now) {
		struct timespec ts = { (time_t)((due - now) / 1000000u),
				       (long)((due - now) % 1000000u) * 1000 };

		nanosleep(&ts, NULL);
	}
}

/* Read stdin until a line starting with word. */
static inline void bench_wait_line(const char *word)
{
	char line[64];

	while (fgets(line, sizeof(line), stdin))
		if (!strncmp(line, word, strlen(word)))
			return;
	exit(1);
}

#endif
