// SPDX-License-Identifier: MIT
/*
 * abi_helpers_test: the static inline helpers of qxl_abi.h (ring math,
 * qxl_phys encoding, monitors-config CRC), compiled as strict userspace C.
 */
#include <stdio.h>
#include <string.h>
#include <qxl/qxl_abi.h>

static int test_no, failures;

static void check(int ok, const char *name)
{
	printf("%s %d %s\n", ok ? "ok" : "not ok", ++test_no, name);
	if (!ok)
		failures++;
}

static void ring_starts_empty_after_init(void)
{
	struct qxl_command_ring ring;
	qxl_u32 slot;

	memset(&ring, 0xa5, sizeof(ring));
	qxl_ring_init(&ring.hdr, QXL_COMMAND_RING_SIZE);
	check(ring.hdr.num_items == 32 && ring.hdr.notify_on_prod == 1 &&
	      qxl_ring_cons_empty(&ring.hdr) &&
	      qxl_ring_cons_slot(&ring.hdr, 32, &slot) == 0,
	      "ring_starts_empty_after_init");
}

static void ring_full_after_size_pushes(void)
{
	struct qxl_release_ring ring;
	int i, full_early = 0;

	qxl_ring_init(&ring.hdr, QXL_RELEASE_RING_SIZE);
	for (i = 0; i < QXL_RELEASE_RING_SIZE; i++) {
		full_early |= qxl_ring_prod_full(&ring.hdr,
						 QXL_RELEASE_RING_SIZE);
		ring.items[qxl_ring_prod_slot(&ring.hdr,
					      QXL_RELEASE_RING_SIZE)] = i + 1;
		qxl_ring_push(&ring.hdr);
	}
	check(!full_early &&
	      qxl_ring_prod_full(&ring.hdr, QXL_RELEASE_RING_SIZE),
	      "ring_full_after_size_pushes");
}

static void ring_first_push_notifies_waiting_consumer(void)
{
	struct qxl_command_ring ring;
	int first, second;

	qxl_ring_init(&ring.hdr, QXL_COMMAND_RING_SIZE);
	first = qxl_ring_push(&ring.hdr);	/* prod 1 == notify_on_prod */
	second = qxl_ring_push(&ring.hdr);	/* consumer did not re-arm */
	check(first && !second, "ring_first_push_notifies_waiting_consumer");
}

static void ring_cons_wait_arms_next_prod(void)
{
	struct qxl_command_ring ring;
	qxl_u32 slot;
	int still_empty;

	qxl_ring_init(&ring.hdr, QXL_COMMAND_RING_SIZE);
	qxl_ring_push(&ring.hdr);
	qxl_ring_cons_slot(&ring.hdr, 32, &slot);
	qxl_ring_pop(&ring.hdr);
	still_empty = qxl_ring_cons_wait(&ring.hdr);
	check(still_empty && ring.hdr.notify_on_prod == 2 &&
	      qxl_ring_push(&ring.hdr), "ring_cons_wait_arms_next_prod");
}

static void ring_pop_notifies_waiting_producer(void)
{
	struct qxl_cursor_ring ring;
	qxl_u32 slot;
	int i, wait;

	qxl_ring_init(&ring.hdr, QXL_CURSOR_RING_SIZE);
	for (i = 0; i < QXL_CURSOR_RING_SIZE; i++)
		qxl_ring_push(&ring.hdr);
	wait = qxl_ring_prod_wait(&ring.hdr, QXL_CURSOR_RING_SIZE);
	qxl_ring_cons_slot(&ring.hdr, QXL_CURSOR_RING_SIZE, &slot);
	check(wait && slot == 0 && qxl_ring_pop(&ring.hdr) &&
	      !qxl_ring_prod_full(&ring.hdr, QXL_CURSOR_RING_SIZE),
	      "ring_pop_notifies_waiting_producer");
}

static void ring_cons_slot_rejects_corrupt_indexes(void)
{
	struct qxl_command_ring ring;
	qxl_u32 slot = 99;

	qxl_ring_init(&ring.hdr, QXL_COMMAND_RING_SIZE);
	ring.hdr.prod = 33;	/* 33 items in a ring of 32 */
	check(qxl_ring_cons_slot(&ring.hdr, 32, &slot) == -1 && slot == 99,
	      "ring_cons_slot_rejects_corrupt_indexes");
}

static void ring_indexes_wrap_at_2_32(void)
{
	struct qxl_command_ring ring;
	qxl_u32 slot;
	int got;

	qxl_ring_init(&ring.hdr, QXL_COMMAND_RING_SIZE);
	ring.hdr.prod = ring.hdr.cons = 0xffffffffu;
	ring.hdr.notify_on_prod = 0;
	check(qxl_ring_push(&ring.hdr) && ring.hdr.prod == 0,
	      "ring_push_wraps_and_notifies_at_zero");
	got = qxl_ring_cons_slot(&ring.hdr, 32, &slot);
	check(got == 1 && slot == 31, "ring_indexes_wrap_at_2_32");
}

static void ring_need_notify_covers_batches(void)
{
	check(qxl_ring_need_notify(4, 8, 6) && qxl_ring_need_notify(4, 8, 8) &&
	      !qxl_ring_need_notify(4, 8, 4) && !qxl_ring_need_notify(4, 8, 9) &&
	      qxl_ring_need_notify(0xfffffffeu, 2, 0),
	      "ring_need_notify_covers_batches");
}

static void memslot_address_round_trips(void)
{
	qxl_u64 hi = qxl_memslot_high_bits(2, 7, QXL_MEMSLOT_ID_BITS,
					   QXL_MEMSLOT_GEN_BITS);
	qxl_u32 slot, gen;
	qxl_u64 off;
	int ok = qxl_phys_decode(hi | 0x123456789aULL, 8, 8, &slot, &gen,
				 &off);

	check(hi == 0x0207000000000000ULL && ok && slot == 2 && gen == 7 &&
	      off == 0x123456789aULL, "memslot_address_round_trips");
}

static void memslot_invalid_bit_split_is_refused(void)
{
	qxl_u32 slot, gen;
	qxl_u64 off;

	check(qxl_memslot_high_bits(1, 0, 0, 8) == 0 &&
	      qxl_memslot_high_bits(1, 0, 32, 32) == 0 &&
	      !qxl_phys_decode(1, 40, 30, &slot, &gen, &off) &&
	      qxl_phys_offset_bits(8, 0xfffffff8u) == 0 &&
	      qxl_phys_offset_bits(64, 0) == 0 &&
	      qxl_memslot_high_bits(1, 1, 8, 0xfffffff8u) == 0 &&
	      qxl_phys_offset_bits(8, 8) == 48,
	      "memslot_invalid_bit_split_is_refused");
}

static void monitors_crc_matches_linux_crc32_le(void)
{
	/* crc32_le(0, "123456789", 9) == zlib crc32(~0, ...) ^ ~0 */
	check(qxl_client_monitors_config_crc("123456789", 9) == 0x2dfd2d88,
	      "monitors_crc_matches_linux_crc32_le");
}

int main(void)
{
	printf("TAP version 13\n1..12\n");
	ring_starts_empty_after_init();
	ring_full_after_size_pushes();
	ring_first_push_notifies_waiting_consumer();
	ring_cons_wait_arms_next_prod();
	ring_pop_notifies_waiting_producer();
	ring_cons_slot_rejects_corrupt_indexes();
	ring_indexes_wrap_at_2_32();
	ring_need_notify_covers_batches();
	memslot_address_round_trips();
	memslot_invalid_bit_split_is_refused();
	monitors_crc_matches_linux_crc32_le();
	printf("# %d passed, %d failed\n", test_no - failures, failures);
	return failures ? 1 : 0;
}
