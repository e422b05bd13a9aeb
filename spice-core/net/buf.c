// SPDX-License-Identifier: MIT
/* Byte buffers: the only place that turns integers into wire bytes. */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "net/buf.h"

void sc_buf_init(struct sc_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void sc_buf_free(struct sc_buf *b)
{
	g_free(b->data);
	sc_buf_init(b);
}

void sc_buf_reserve(struct sc_buf *b, size_t more)
{
	size_t need, cap;

	g_assert(more <= SIZE_MAX - b->len);
	need = b->len + more;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = g_realloc(b->data, cap);
	b->cap = cap;
}

uint8_t *sc_buf_append(struct sc_buf *b, size_t n)
{
	uint8_t *p;

	sc_buf_reserve(b, n);
	p = b->data + b->len;
	b->len += n;
	return p;
}

void sc_buf_put(struct sc_buf *b, const void *p, size_t n)
{
	if (n)
		memcpy(sc_buf_append(b, n), p, n);
}

void sc_put_u16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void sc_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

void sc_buf_u8(struct sc_buf *b, uint8_t v)
{
	*sc_buf_append(b, 1) = v;
}

void sc_buf_u16(struct sc_buf *b, uint16_t v)
{
	sc_put_u16(sc_buf_append(b, 2), v);
}

void sc_buf_u32(struct sc_buf *b, uint32_t v)
{
	sc_put_u32(sc_buf_append(b, 4), v);
}

void sc_buf_u64(struct sc_buf *b, uint64_t v)
{
	sc_buf_u32(b, (uint32_t)v);
	sc_buf_u32(b, (uint32_t)(v >> 32));
}

void sc_buf_consume(struct sc_buf *b, size_t n)
{
	g_assert(n <= b->len);
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

uint16_t sc_get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t sc_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

const uint8_t *sc_rd_bytes(struct sc_rd *r, size_t n)
{
	const uint8_t *p;

	if (!r->ok || n > r->left) {
		r->ok = false;
		return NULL;
	}
	p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

uint8_t sc_rd_u8(struct sc_rd *r)
{
	const uint8_t *p = sc_rd_bytes(r, 1);

	return p ? p[0] : 0;
}

uint16_t sc_rd_u16(struct sc_rd *r)
{
	const uint8_t *p = sc_rd_bytes(r, 2);

	return p ? sc_get_u16(p) : 0;
}

uint32_t sc_rd_u32(struct sc_rd *r)
{
	const uint8_t *p = sc_rd_bytes(r, 4);

	return p ? sc_get_u32(p) : 0;
}

uint64_t sc_rd_u64(struct sc_rd *r)
{
	uint64_t lo = sc_rd_u32(r);
	uint64_t hi = sc_rd_u32(r);

	return lo | hi << 32;
}
