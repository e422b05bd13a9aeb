// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-side regression tests for qxlng_release_ring_drain(): the release
 * ring is produced by the device, which may be hostile.  Built in
 * userspace with the stand-in kernel headers of ../fuzz/include; prints
 * TAP.
 */
#include <linux/errno.h>
#include <stdio.h>
#include <string.h>

#include "../qxlng_logic.h"

static int failed;

#define CHECK(c) do { if (!(c)) { \
	printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
	failed = 1; } } while (0)

struct ctx {
	struct qxl_release_ring *ring;
	unsigned int calls;
	bool keep_producing;
	u64 ids[8];
};

static void take(void *p, u64 id)
{
	struct ctx *c = p;

	if (c->calls < 8)
		c->ids[c->calls] = id;
	c->calls++;
	if (c->keep_producing)	/* the device refills behind our back */
		c->ring->hdr.prod++;
	/* An unbounded drain would never return; stop the test instead. */
	if (c->calls > 8 * QXL_RELEASE_RING_SIZE) {
		printf("#   drain still looping after %u entries\n", c->calls);
		c->keep_producing = false;
		c->ring->hdr.prod = c->ring->hdr.cons + 1;
	}
}

static void init(struct qxl_release_ring *r, struct ctx *c)
{
	memset(r, 0, sizeof(*r));
	qxl_ring_init(&r->hdr, QXL_RELEASE_RING_SIZE);
	memset(c, 0, sizeof(*c));
	c->ring = r;
}

static void release_drain_takes_each_entry_once(void)
{
	static struct qxl_release_ring r;
	struct ctx c;

	init(&r, &c);
	r.items[0] = 11;
	r.items[1] = 12;
	r.items[2] = 13;
	r.hdr.prod = 3;
	CHECK(qxlng_release_ring_drain(&r, QXL_RELEASE_RING_SIZE, take, &c) == 3);
	CHECK(c.calls == 3);
	CHECK(c.ids[0] == 11 && c.ids[1] == 12 && c.ids[2] == 13);
	CHECK(r.hdr.cons == 3);
	CHECK(qxlng_release_ring_drain(&r, QXL_RELEASE_RING_SIZE, take, &c) == 0);
}

/* A device that keeps producing must not keep the driver in the loop. */
static void release_drain_bounded_when_device_keeps_producing(void)
{
	static struct qxl_release_ring r;
	struct ctx c;
	int n;

	init(&r, &c);
	r.hdr.prod = 1;
	c.keep_producing = true;
	n = qxlng_release_ring_drain(&r, QXL_RELEASE_RING_SIZE, take, &c);
	CHECK(n == QXL_RELEASE_RING_SIZE);
	CHECK(c.calls == QXL_RELEASE_RING_SIZE);
}

static void release_drain_refuses_impossible_indexes(void)
{
	static struct qxl_release_ring r;
	struct ctx c;

	init(&r, &c);
	r.hdr.prod = QXL_RELEASE_RING_SIZE + 1;
	CHECK(qxlng_release_ring_drain(&r, QXL_RELEASE_RING_SIZE, take, &c) ==
	      -EIO);
	CHECK(c.calls == 0);
	r.hdr.cons = 5;		/* cons ahead of prod */
	r.hdr.prod = 4;
	CHECK(qxlng_release_ring_drain(&r, QXL_RELEASE_RING_SIZE, take, &c) ==
	      -EIO);
	CHECK(c.calls == 0);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "release_drain_takes_each_entry_once",
	  release_drain_takes_each_entry_once },
	{ "release_drain_bounded_when_device_keeps_producing",
	  release_drain_bounded_when_device_keeps_producing },
	{ "release_drain_refuses_impossible_indexes",
	  release_drain_refuses_impossible_indexes },
};

int main(void)
{
	unsigned int i, n = sizeof(tests) / sizeof(tests[0]);
	int any = 0;

	printf("TAP version 13\n1..%u\n", n);
	for (i = 0; i < n; i++) {
		failed = 0;
		tests[i].fn();
		printf("%s %u %s\n", failed ? "not ok" : "ok", i + 1,
		       tests[i].name);
		any |= failed;
	}
	return any;
}
