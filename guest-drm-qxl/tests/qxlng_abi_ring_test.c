// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the ring helpers of qxl_abi.h (index math, kicks, full/empty,
 * hostile indexes), as the guest uses them on the command, cursor and
 * release rings.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <qxl/qxl_abi.h>

#include "qxlng_kunit.h"

#define RING_SIZE QXL_COMMAND_RING_SIZE

static void set_ring(struct qxl_ring_header *r, u32 prod, u32 cons)
{
	qxl_ring_init(r, RING_SIZE);
	r->prod = prod;
	r->cons = cons;
}

/* qxl_ring_need_notify(old, new, notify_on): kick iff notify_on in (old, new]. */
struct notify_case {
	const char *name;
	u32 old_idx;
	u32 new_idx;
	u32 notify_on;
	int kick;
};

static const struct notify_case notify_cases[] = {
	{ "next_index_requested", 0, 1, 1, 1 },
	{ "index_not_reached_yet", 0, 1, 2, 0 },
	{ "index_already_passed", 0, 1, 0, 0 },
	{ "index_inside_batch", 5, 8, 6, 1 },
	{ "index_at_batch_end", 5, 8, 8, 1 },
	{ "index_at_batch_start_excluded", 5, 8, 5, 0 },
	{ "index_after_batch", 5, 8, 9, 0 },
	{ "wrap_to_zero", 0xffffffff, 0, 0, 1 },
	{ "wrap_batch_across_2_32", 0xfffffffe, 2, 1, 1 },
	{ "wrap_notify_before_batch", 0xfffffffe, 2, 0xfffffffe, 0 },
	{ "no_move_never_kicks", 7, 7, 7, 0 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(notify, notify_cases, name);

static void qxlng_ring_need_notify_cases(struct kunit *test)
{
	const struct notify_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, qxl_ring_need_notify(c->old_idx, c->new_idx,
						   c->notify_on), c->kick);
}

static void qxlng_ring_slot_wraps_at_size(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxl_ring_slot(0, RING_SIZE), 0u);
	KUNIT_EXPECT_EQ(test, qxl_ring_slot(31, RING_SIZE), 31u);
	KUNIT_EXPECT_EQ(test, qxl_ring_slot(32, RING_SIZE), 0u);
	KUNIT_EXPECT_EQ(test, qxl_ring_slot(33, RING_SIZE), 1u);
	KUNIT_EXPECT_EQ(test, qxl_ring_slot(0xffffffff, RING_SIZE), 31u);
	KUNIT_EXPECT_EQ(test, qxl_ring_slot(0xffffffff,
					    QXL_RELEASE_RING_SIZE), 7u);
}

static void qxlng_ring_used_counts_across_index_wrap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qxl_ring_used(0, 0), 0u);
	KUNIT_EXPECT_EQ(test, qxl_ring_used(32, 0), 32u);
	KUNIT_EXPECT_EQ(test, qxl_ring_used(2, 0xfffffffe), 4u);
	/* cons ahead of prod: a corrupt header shows as a huge count. */
	KUNIT_EXPECT_GT(test, qxl_ring_used(0, 1), (u32)RING_SIZE);
}

static void qxlng_ring_init_gives_empty_ring_wanting_first_push(struct kunit *test)
{
	struct qxl_ring_header r;

	memset(&r, 0xa5, sizeof(r));
	qxl_ring_init(&r, RING_SIZE);
	KUNIT_EXPECT_EQ(test, r.num_items, (u32)RING_SIZE);
	KUNIT_EXPECT_EQ(test, r.prod, 0u);
	KUNIT_EXPECT_EQ(test, r.cons, 0u);
	KUNIT_EXPECT_EQ(test, r.notify_on_prod, 1u);
	KUNIT_EXPECT_EQ(test, r.notify_on_cons, 0u);
	KUNIT_EXPECT_TRUE(test, qxl_ring_cons_empty(&r));
	KUNIT_EXPECT_FALSE(test, qxl_ring_prod_full(&r, RING_SIZE));
}

static void qxlng_ring_prod_full_at_exactly_size_items(struct kunit *test)
{
	struct qxl_ring_header r;

	set_ring(&r, RING_SIZE - 1, 0);
	KUNIT_EXPECT_FALSE(test, qxl_ring_prod_full(&r, RING_SIZE));
	set_ring(&r, RING_SIZE, 0);
	KUNIT_EXPECT_TRUE(test, qxl_ring_prod_full(&r, RING_SIZE));
	set_ring(&r, 0x10, 0xfffffff0);		/* 32 used, across the wrap */
	KUNIT_EXPECT_TRUE(test, qxl_ring_prod_full(&r, RING_SIZE));
	set_ring(&r, 0x0f, 0xfffffff0);
	KUNIT_EXPECT_FALSE(test, qxl_ring_prod_full(&r, RING_SIZE));
	KUNIT_EXPECT_EQ(test, qxl_ring_prod_slot(&r, RING_SIZE), 0x0fu);
}

static void qxlng_ring_push_kicks_only_when_consumer_asked(struct kunit *test)
{
	struct qxl_ring_header r;

	qxl_ring_init(&r, RING_SIZE);
	/* Fresh ring: the consumer waits for the first item. */
	KUNIT_EXPECT_EQ(test, qxl_ring_push(&r), 1);
	KUNIT_EXPECT_EQ(test, r.prod, 1u);
	/* notify_on_prod is still 1: no kick for the second item. */
	KUNIT_EXPECT_EQ(test, qxl_ring_push(&r), 0);
	KUNIT_EXPECT_EQ(test, r.prod, 2u);
	r.notify_on_prod = 3;
	KUNIT_EXPECT_EQ(test, qxl_ring_push(&r), 1);
	KUNIT_EXPECT_EQ(test, r.prod, 3u);
	KUNIT_EXPECT_EQ(test, r.cons, 0u);
}

static void qxlng_ring_push_wraps_prod_past_2_32(struct kunit *test)
{
	struct qxl_ring_header r;

	set_ring(&r, 0xffffffff, 0xfffffff0);
	r.notify_on_prod = 0;
	KUNIT_EXPECT_EQ(test, qxl_ring_push(&r), 1);
	KUNIT_EXPECT_EQ(test, r.prod, 0u);
	KUNIT_EXPECT_EQ(test, qxl_ring_used(r.prod, r.cons), 16u);
}

static void qxlng_ring_prod_wait_arms_notify_on_cons_when_full(struct kunit *test)
{
	struct qxl_ring_header r;

	set_ring(&r, 100 + RING_SIZE, 100);
	KUNIT_EXPECT_EQ(test, qxl_ring_prod_wait(&r, RING_SIZE), 1);
	KUNIT_EXPECT_EQ(test, r.notify_on_cons, 101u);
	/* After one pop the ring has room and the pop asks for a kick. */
	KUNIT_EXPECT_EQ(test, qxl_ring_pop(&r), 1);
	KUNIT_EXPECT_EQ(test, qxl_ring_prod_wait(&r, RING_SIZE), 0);
}

static void qxlng_ring_prod_wait_leaves_notify_alone_when_room(struct kunit *test)
{
	struct qxl_ring_header r;

	set_ring(&r, 5, 0);
	r.notify_on_cons = 77;
	KUNIT_EXPECT_EQ(test, qxl_ring_prod_wait(&r, RING_SIZE), 0);
	KUNIT_EXPECT_EQ(test, r.notify_on_cons, 77u);
}

static void qxlng_ring_cons_slot_returns_zero_when_empty(struct kunit *test)
{
	struct qxl_ring_header r;
	u32 slot = 0xdead;

	set_ring(&r, 40, 40);
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_slot(&r, RING_SIZE, &slot), 0);
	KUNIT_EXPECT_EQ(test, slot, 0xdeadu);
}

static void qxlng_ring_cons_slot_gives_cons_slot(struct kunit *test)
{
	struct qxl_ring_header r;
	u32 slot = 0;

	set_ring(&r, 45, 40);
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_slot(&r, RING_SIZE, &slot), 1);
	KUNIT_EXPECT_EQ(test, slot, 8u);
	set_ring(&r, 3, 0xfffffffe);
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_slot(&r, RING_SIZE, &slot), 1);
	KUNIT_EXPECT_EQ(test, slot, 30u);
}

/* Hostile or corrupt indexes: more items than the ring holds. */
struct bad_index_case {
	const char *name;
	u32 prod;
	u32 cons;
};

static const struct bad_index_case bad_index_cases[] = {
	{ "prod_size_plus_one_ahead", RING_SIZE + 1, 0 },
	{ "cons_ahead_of_prod", 0, 1 },
	{ "prod_far_ahead", 0x80000000, 0 },
	{ "cons_ahead_across_wrap", 0xfffffffe, 2 },
};

QXLNG_KUNIT_ARRAY_PARAM_DESC(bad_index, bad_index_cases, name);

static void qxlng_ring_cons_slot_rejects_impossible_indexes(struct kunit *test)
{
	const struct bad_index_case *c = test->param_value;
	struct qxl_ring_header r;
	u32 slot = 0xdead;

	set_ring(&r, c->prod, c->cons);
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_slot(&r, RING_SIZE, &slot), -1);
	KUNIT_EXPECT_EQ(test, slot, 0xdeadu);
}

/* num_items is written by the device: the helpers must not use it. */
static void qxlng_ring_ignores_device_num_items(struct kunit *test)
{
	struct qxl_ring_header r;
	u32 slot = 0;

	set_ring(&r, 40, 0x24);
	r.num_items = 0x10000;
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_slot(&r, RING_SIZE, &slot), 1);
	KUNIT_EXPECT_EQ(test, slot, 4u);
	KUNIT_EXPECT_EQ(test, qxl_ring_prod_slot(&r, RING_SIZE), 8u);
	r.num_items = 0;
	r.prod = 0x24 + RING_SIZE;
	KUNIT_EXPECT_TRUE(test, qxl_ring_prod_full(&r, RING_SIZE));
	r.prod = 0x24 + RING_SIZE + 1;
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_slot(&r, RING_SIZE, &slot), -1);
}

static void qxlng_ring_pop_kicks_only_when_producer_asked(struct kunit *test)
{
	struct qxl_ring_header r;

	set_ring(&r, 10, 4);
	r.notify_on_cons = 0;
	KUNIT_EXPECT_EQ(test, qxl_ring_pop(&r), 0);
	KUNIT_EXPECT_EQ(test, r.cons, 5u);
	r.notify_on_cons = 6;
	KUNIT_EXPECT_EQ(test, qxl_ring_pop(&r), 1);
	KUNIT_EXPECT_EQ(test, r.cons, 6u);
	KUNIT_EXPECT_EQ(test, r.prod, 10u);
}

static void qxlng_ring_cons_wait_arms_notify_on_prod_when_empty(struct kunit *test)
{
	struct qxl_ring_header r;

	set_ring(&r, 9, 9);
	r.notify_on_prod = 0;
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_wait(&r), 1);
	KUNIT_EXPECT_EQ(test, r.notify_on_prod, 10u);
	/* The next push is the one the consumer asked about. */
	KUNIT_EXPECT_EQ(test, qxl_ring_push(&r), 1);
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_wait(&r), 0);
}

static void qxlng_ring_cons_wait_leaves_notify_alone_when_items(struct kunit *test)
{
	struct qxl_ring_header r;

	set_ring(&r, 9, 8);
	r.notify_on_prod = 55;
	KUNIT_EXPECT_EQ(test, qxl_ring_cons_wait(&r), 0);
	KUNIT_EXPECT_EQ(test, r.notify_on_prod, 55u);
}

/*
 * A producer and a consumer on one command ring, starting just below the
 * 2^32 index wrap: every item comes out once, in order, from the slot it
 * went into, and the ring never holds more than RING_SIZE items.
 */
static void qxlng_ring_fifo_order_across_index_wrap(struct kunit *test)
{
	struct qxl_command_ring ring;
	u64 next_in = 1000, next_out = 1000;
	u32 slot;
	int step, ret;

	qxl_ring_init(&ring.hdr, RING_SIZE);
	ring.hdr.prod = 0xffffffe0;
	ring.hdr.cons = 0xffffffe0;

	for (step = 0; step < 400; step++) {
		/* Produce up to 5, consume up to 3, then drain at the end. */
		int burst = step < 300 ? 5 : 0;

		while (burst-- > 0 && !qxl_ring_prod_full(&ring.hdr, RING_SIZE)) {
			slot = qxl_ring_prod_slot(&ring.hdr, RING_SIZE);
			ring.items[slot].data = next_in++;
			ring.items[slot].type = QXL_CMD_DRAW;
			qxl_ring_push(&ring.hdr);
		}
		KUNIT_ASSERT_LE(test, qxl_ring_used(ring.hdr.prod, ring.hdr.cons),
				(u32)RING_SIZE);
		for (burst = 0; burst < 3; burst++) {
			ret = qxl_ring_cons_slot(&ring.hdr, RING_SIZE, &slot);
			KUNIT_ASSERT_GE(test, ret, 0);
			if (!ret)
				break;
			KUNIT_ASSERT_EQ(test, ring.items[slot].data, next_out);
			next_out++;
			qxl_ring_pop(&ring.hdr);
		}
	}
	KUNIT_EXPECT_TRUE(test, qxl_ring_cons_empty(&ring.hdr));
	KUNIT_EXPECT_EQ(test, next_out, next_in);
	KUNIT_EXPECT_GT(test, next_in, (u64)1000 + 0x20);	/* it wrapped */
	KUNIT_EXPECT_LT(test, ring.hdr.prod, 0x1000u);
}

static struct kunit_case qxlng_abi_ring_cases[] = {
	KUNIT_CASE_PARAM(qxlng_ring_need_notify_cases, notify_gen_params),
	KUNIT_CASE(qxlng_ring_slot_wraps_at_size),
	KUNIT_CASE(qxlng_ring_used_counts_across_index_wrap),
	KUNIT_CASE(qxlng_ring_init_gives_empty_ring_wanting_first_push),
	KUNIT_CASE(qxlng_ring_prod_full_at_exactly_size_items),
	KUNIT_CASE(qxlng_ring_push_kicks_only_when_consumer_asked),
	KUNIT_CASE(qxlng_ring_push_wraps_prod_past_2_32),
	KUNIT_CASE(qxlng_ring_prod_wait_arms_notify_on_cons_when_full),
	KUNIT_CASE(qxlng_ring_prod_wait_leaves_notify_alone_when_room),
	KUNIT_CASE(qxlng_ring_cons_slot_returns_zero_when_empty),
	KUNIT_CASE(qxlng_ring_cons_slot_gives_cons_slot),
	KUNIT_CASE_PARAM(qxlng_ring_cons_slot_rejects_impossible_indexes,
			 bad_index_gen_params),
	KUNIT_CASE(qxlng_ring_ignores_device_num_items),
	KUNIT_CASE(qxlng_ring_pop_kicks_only_when_producer_asked),
	KUNIT_CASE(qxlng_ring_cons_wait_arms_notify_on_prod_when_empty),
	KUNIT_CASE(qxlng_ring_cons_wait_leaves_notify_alone_when_items),
	KUNIT_CASE(qxlng_ring_fifo_order_across_index_wrap),
	{}
};

static struct kunit_suite qxlng_abi_ring_suite = {
	.name = "qxlng_abi_ring",
	.test_cases = qxlng_abi_ring_cases,
};

kunit_test_suite(qxlng_abi_ring_suite);

MODULE_DESCRIPTION("KUnit tests for the qxl_abi.h ring helpers");
MODULE_LICENSE("GPL");
