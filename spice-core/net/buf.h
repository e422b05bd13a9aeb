/* SPDX-License-Identifier: MIT */
/* Growable byte buffer with little-endian writers and a bounded reader. */
#ifndef SPICE_CORE_BUF_H
#define SPICE_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sc_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void sc_buf_init(struct sc_buf *b);
void sc_buf_free(struct sc_buf *b);
void sc_buf_reserve(struct sc_buf *b, size_t more);
/* Append `n` uninitialised bytes; returns where they start. */
uint8_t *sc_buf_append(struct sc_buf *b, size_t n);
void sc_buf_put(struct sc_buf *b, const void *p, size_t n);
void sc_buf_u8(struct sc_buf *b, uint8_t v);
void sc_buf_u16(struct sc_buf *b, uint16_t v);
void sc_buf_u32(struct sc_buf *b, uint32_t v);
void sc_buf_u64(struct sc_buf *b, uint64_t v);
/* Drop the first `n` bytes. */
void sc_buf_consume(struct sc_buf *b, size_t n);
void sc_put_u32(uint8_t *p, uint32_t v);
void sc_put_u16(uint8_t *p, uint16_t v);

/* A cursor over received bytes: every get fails once it would read past
 * the end, and the failure sticks (check r.ok once at the end). */
struct sc_rd {
	const uint8_t *p;
	size_t left;
	bool ok;
};

static inline struct sc_rd sc_rd_init(const void *p, size_t n)
{
	struct sc_rd r = { p, n, true };
	return r;
}

const uint8_t *sc_rd_bytes(struct sc_rd *r, size_t n);
uint8_t sc_rd_u8(struct sc_rd *r);
uint16_t sc_rd_u16(struct sc_rd *r);
uint32_t sc_rd_u32(struct sc_rd *r);
uint64_t sc_rd_u64(struct sc_rd *r);
uint32_t sc_get_u32(const uint8_t *p);
uint16_t sc_get_u16(const uint8_t *p);

#endif
