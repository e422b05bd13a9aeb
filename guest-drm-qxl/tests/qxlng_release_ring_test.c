// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: draining the release ring (qxlng_ring.c).  The device produces
 * release ids; the driver takes a bounded number per drain, in order,
 * and refuses impossible ring indexes.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "../qxlng_logic.h"
#include "qxlng_kunit.h"

#define RSIZE QXL_RELEASE_RING_SIZE

/* What the take() callback saw, and what it may do to the ring. */
struct taker {
	struct qxl_release_ring *ring;
	u64 ids[64];
	unsigned int n;
	u64 next_id;		/* device_push: the id the device adds next */
	bool device_pushes;	/* produce one more entry per take() */
	bool corrupt_after_first; /* set impossible indexes after one take */
};

/* The device side: put one id on the ring (caller checks for room). */
static void device_push(struct qxl_release_ring *ring, u64 id)
{
	u32 slot = qxl_ring_prod_slot(&ring->hdr, RSIZE);

	memcpy(&ring->items[slot], &id, sizeof(id));
	qxl_ring_push(&ring->hdr);
}

static void take(void *ctx, u64 id)
{
	struct taker *t = ctx;

	if (t->n < ARRAY_SIZE(t->ids))
		t->ids[t->n] = id;
	t->n++;
	if (t->device_pushes && !qxl_ring_prod_full(&t->ring->hdr, RSIZE))
		device_push(t->ring, t->next_id++);
	if (t->corrupt_after_first)
		t->ring->hdr.prod = t->ring->hdr.cons + RSIZE + 2;
}

static struct qxl_release_ring *new_ring(struct kunit *test, u32 start)
{
	struct qxl_release_ring *ring;

	ring = kunit_kzalloc(test, sizeof(*ring), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ring);
	qxl_ring_init(&ring->hdr, RSIZE);
	ring->hdr.prod = start;
	ring->hdr.cons = start;
	return ring;
}

/* n ids on a ring whose indexes start at start: all come out, in order. */
struct drain_case {
	const char *name;
	u32 start;
	unsigned int n;
};

static const struct drain_case drain_cases[] = {
	{ "five_from_zero", 0, 5 },
	{ "across_index_wrap", 0xfffffffd, 6 },
	{ "whole_ring", 0, RSIZE },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(drain, drain_cases, name);

static void qxlng_release_ring_drains_all_in_order(struct kunit *test)
{
	const struct drain_case *c = test->param_value;
	struct qxl_release_ring *ring = new_ring(test, c->start);
	struct taker t = { .ring = ring };
	unsigned int i;

	for (i = 0; i < c->n; i++)
		device_push(ring, 0x1000 + i);
	KUNIT_EXPECT_EQ(test, qxlng_release_ring_drain(ring, 100, take, &t),
			(int)c->n);
	KUNIT_ASSERT_EQ(test, t.n, c->n);
	for (i = 0; i < c->n; i++)
		KUNIT_EXPECT_EQ(test, t.ids[i], 0x1000ull + i);
	KUNIT_EXPECT_TRUE(test, qxl_ring_cons_empty(&ring->hdr));
	KUNIT_EXPECT_EQ(test, ring->hdr.cons, c->start + c->n);
}

/* Drains that take nothing and leave cons where it was. */
struct nothing_case {
	const char *name;
	u32 start;
	unsigned int pushed;	/* ids on the ring */
	unsigned int max;	/* the drain's bound */
};

static const struct nothing_case nothing_cases[] = {
	{ "empty_ring", 77, 0, 100 },
	{ "max_zero", 0, 1, 0 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(nothing, nothing_cases, name);

static void qxlng_release_ring_takes_nothing(struct kunit *test)
{
	const struct nothing_case *c = test->param_value;
	struct qxl_release_ring *ring = new_ring(test, c->start);
	struct taker t = { .ring = ring };
	unsigned int i;

	for (i = 0; i < c->pushed; i++)
		device_push(ring, 42 + i);
	KUNIT_EXPECT_EQ(test, qxlng_release_ring_drain(ring, c->max, take, &t),
			0);
	KUNIT_EXPECT_EQ(test, t.n, 0u);
	KUNIT_EXPECT_EQ(test, ring->hdr.cons, c->start);
}

static void qxlng_release_ring_takes_at_most_max(struct kunit *test)
{
	struct qxl_release_ring *ring = new_ring(test, 0);
	struct taker t = { .ring = ring };
	unsigned int i;

	for (i = 0; i < RSIZE; i++)
		device_push(ring, i + 1);
	KUNIT_EXPECT_EQ(test, qxlng_release_ring_drain(ring, 3, take, &t), 3);
	KUNIT_EXPECT_EQ(test, t.n, 3u);
	KUNIT_EXPECT_EQ(test, qxl_ring_used(ring->hdr.prod, ring->hdr.cons),
			(u32)RSIZE - 3);
	/* The next drain continues where this one stopped. */
	KUNIT_EXPECT_EQ(test, qxlng_release_ring_drain(ring, 100, take, &t),
			RSIZE - 3);
	KUNIT_EXPECT_EQ(test, t.ids[3], 4ull);
	KUNIT_EXPECT_EQ(test, t.ids[RSIZE - 1], (u64)RSIZE);
}

/* A device that refills the ring as fast as we drain it. */
static void qxlng_release_ring_bounded_against_endless_device(struct kunit *test)
{
	struct qxl_release_ring *ring = new_ring(test, 0);
	struct taker t = { .ring = ring, .device_pushes = true, .next_id = 2 };

	device_push(ring, 1);
	KUNIT_EXPECT_EQ(test, qxlng_release_ring_drain(ring, 50, take, &t), 50);
	KUNIT_EXPECT_EQ(test, t.n, 50u);
	KUNIT_EXPECT_EQ(test, t.ids[49], 50ull);
	KUNIT_EXPECT_FALSE(test, qxl_ring_cons_empty(&ring->hdr));
}

/* Hostile indexes: more entries than the ring holds. */
struct bad_release_case {
	const char *name;
	u32 prod;
	u32 cons;
};

static const struct bad_release_case bad_release_cases[] = {
	{ "prod_ahead_by_size_plus_one", RSIZE + 1, 0 },
	{ "cons_ahead_of_prod", 5, 6 },
	{ "prod_far_ahead_across_wrap", 0x10, 0xfffffff0 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(bad_release, bad_release_cases, name);

static void qxlng_release_ring_rejects_impossible_indexes(struct kunit *test)
{
	const struct bad_release_case *c = test->param_value;
	struct qxl_release_ring *ring = new_ring(test, 0);
	struct taker t = { .ring = ring };

	ring->hdr.prod = c->prod;
	ring->hdr.cons = c->cons;
	KUNIT_EXPECT_EQ(test, qxlng_release_ring_drain(ring, 100, take, &t),
			-EIO);
	KUNIT_EXPECT_EQ(test, t.n, 0u);
	KUNIT_EXPECT_EQ(test, ring->hdr.cons, c->cons);
}

static void qxlng_release_ring_rejects_indexes_corrupted_mid_drain(struct kunit *test)
{
	struct qxl_release_ring *ring = new_ring(test, 0);
	struct taker t = { .ring = ring, .corrupt_after_first = true };

	device_push(ring, 1);
	device_push(ring, 2);
	KUNIT_EXPECT_EQ(test, qxlng_release_ring_drain(ring, 100, take, &t),
			-EIO);
	KUNIT_EXPECT_EQ(test, t.n, 1u);
}

static struct kunit_case qxlng_release_ring_cases[] = {
	KUNIT_CASE_PARAM(qxlng_release_ring_drains_all_in_order,
			 drain_gen_params),
	KUNIT_CASE_PARAM(qxlng_release_ring_takes_nothing, nothing_gen_params),
	KUNIT_CASE(qxlng_release_ring_takes_at_most_max),
	KUNIT_CASE(qxlng_release_ring_bounded_against_endless_device),
	KUNIT_CASE_PARAM(qxlng_release_ring_rejects_impossible_indexes,
			 bad_release_gen_params),
	KUNIT_CASE(qxlng_release_ring_rejects_indexes_corrupted_mid_drain),
	{}
};

static struct kunit_suite qxlng_release_ring_suite = {
	.name = "qxlng_release_ring",
	.test_cases = qxlng_release_ring_cases,
};

kunit_test_suite(qxlng_release_ring_suite);

MODULE_DESCRIPTION("KUnit tests for qxlng's release ring drain");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QXLNG_KUNIT);
