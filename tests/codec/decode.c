// SPDX-License-Identifier: MIT
/* Test decoders for QUIC and LZ (see decode.h), written from the format
 * description, independent of the encoders' tables and code paths. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

enum {
	ERR_HEADER = -1,	/* magic, version, type or size wrong */
	ERR_OVERRUN = -2,	/* read past the end of the input */
	ERR_CODEWORD = -3,	/* a codeword decodes to more than 255 */
	ERR_RUN = -4,		/* a run or match leaves the row / image */
	ERR_MELC = -5,		/* a run-length hit in the last state */
	ERR_TRAILING = -6,	/* input left over */
	ERR_REF = -7,		/* a match reaches before the image */
};

const char *test_decode_error(int err)
{
	switch (err) {
	case 0: return "ok";
	case ERR_HEADER: return "bad header";
	case ERR_OVERRUN: return "read past the end of the data";
	case ERR_CODEWORD: return "invalid codeword";
	case ERR_RUN: return "run or match past the end of the row or image";
	case ERR_MELC: return "run-length hit in the last state (spice-html5 "
			      "and spice-common would disagree)";
	case ERR_TRAILING: return "data left after the image";
	case ERR_REF: return "match before the start of the image";
	default: return "?";
	}
}

/* QUIC --------------------------------------------------------------- */

static const unsigned trig[11] = {
	110, 550, 900, 800, 550, 400, 350, 250, 140, 160, 140,
};
static const unsigned jlen[32] = {
	0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
	4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};

/* the format's fixed table of gaps between model updates */
static const uint32_t gaps[256] = {
#include "quic_gaps.inc"
};

struct qd {
	const uint8_t *in;
	size_t nbits, pos;
	int err;
	/* code tables */
	unsigned prefix[8], n_gr[8], suffix[8];
};

static uint32_t word_at(const struct qd *d, size_t i)
{
	uint32_t v;

	if (4 * i + 4 > d->nbits / 8)
		return 0;
	memcpy(&v, d->in + 4 * i, 4);
	return v;
}

static uint32_t peek(const struct qd *d)
{
	size_t i = d->pos >> 5;
	unsigned off = d->pos & 31;
	uint64_t v = (uint64_t)word_at(d, i) << 32 | word_at(d, i + 1);

	return (uint32_t)((v << off) >> 32);
}

static void eat(struct qd *d, unsigned n)
{
	d->pos += n;
	/* a real decoder keeps 32 bits of lookahead loaded */
	if (d->pos + 32 > d->nbits && !d->err)
		d->err = ERR_OVERRUN;
}

static unsigned golomb(struct qd *d, unsigned l)
{
	uint32_t bits = peek(d);
	unsigned n, len;

	if (bits >> (32 - d->prefix[l])) {
		unsigned z = (unsigned)__builtin_clz(bits);

		len = z + 1 + l;
		n = (z << l) | ((bits >> (32 - len)) & ((1u << l) - 1));
	} else {
		len = d->prefix[l] + d->suffix[l];
		n = d->n_gr[l] + ((bits >> (32 - len)) &
				  ((1u << d->suffix[l]) - 1));
	}
	if (n > 255 && !d->err)
		d->err = ERR_CODEWORD;
	eat(d, len);
	return n & 0xff;
}

static unsigned cw_len(const struct qd *d, unsigned n, unsigned l)
{
	return n < d->n_gr[l] ? (n >> l) + 1 + l : d->prefix[l] + d->suffix[l];
}

struct qstate {
	unsigned waitcnt, seed, wmidx, wmileft, trigger, melc;
};

struct qchan {
	unsigned cnt[8][8];
	unsigned best[8];
	uint8_t *corr;		/* [-1 .. w-1] */
};

static unsigned bucket_of(unsigned ctx)
{
	unsigned b = 0;

	while (b < 7 && ctx + 1 >= (2u << b))
		b++;
	return b;
}

static void update(const struct qd *d, struct qchan *c, unsigned ctx,
		   unsigned val, unsigned trigger)
{
	unsigned b = bucket_of(ctx), l, best = 7, bestlen;

	c->cnt[b][7] += cw_len(d, val, 7);
	bestlen = c->cnt[b][7];
	for (l = 7; l-- > 0;) {
		c->cnt[b][l] += cw_len(d, val, l);
		if (c->cnt[b][l] < bestlen) {
			bestlen = c->cnt[b][l];
			best = l;
		}
	}
	c->best[b] = best;
	if (bestlen > trigger)
		for (l = 0; l < 8; l++)
			c->cnt[b][l] >>= 1;
}

static unsigned decode_run(struct qd *d, struct qstate *s)
{
	unsigned len = 0;

	while (peek(d) >> 31) {
		if (s->melc == 31) {
			if (!d->err)
				d->err = ERR_MELC;
			return 0;
		}
		len += 1u << jlen[s->melc];
		s->melc++;
		eat(d, 1);
		if (d->err)
			return 0;
	}
	eat(d, 1);
	if (jlen[s->melc]) {
		len += peek(d) >> (32 - jlen[s->melc]);
		eat(d, jlen[s->melc]);
	}
	if (s->melc)
		s->melc--;
	return len;
}

/* Byte k of pixel p. */
static unsigned byte_of(uint32_t p, unsigned k)
{
	return (p >> (8 * k)) & 0xff;
}

static void set_byte(uint32_t *p, unsigned k, unsigned v)
{
	*p = (*p & ~(0xffu << (8 * k))) | (v & 0xff) << (8 * k);
}

static unsigned unzig(unsigned n)
{
	return n & 1 ? 255 - (n >> 1) : n >> 1;
}

/* One plane's segment: channels ch[0..nch-1] at bytes bytes[], the loop of
 * every QUIC decoder. */
static void qd_segment(struct qd *d, struct qstate *s, struct qchan *ch,
		       const unsigned *bytes, unsigned nch, bool row0,
		       const uint32_t *prev, uint32_t *cur, unsigned i,
		       unsigned end, unsigned waitmask)
{
	unsigned stopidx, run_index = 0, c;
	uint32_t mask = 0;

	for (c = 0; c < nch; c++)
		mask |= 0xffu << (8 * bytes[c]);

#define DECODE(i) do {							\
		for (c = 0; c < nch; c++) {				\
			unsigned k = bytes[c], n, pred;			\
			n = golomb(d, ch[c].best[bucket_of(ch[c].corr[(int)(i) - 1])]); \
			ch[c].corr[i] = (uint8_t)n;			\
			if ((i) == 0)					\
				pred = row0 ? 0 : byte_of(prev[0], k);	\
			else if (row0)					\
				pred = byte_of(cur[(i) - 1], k);	\
			else						\
				pred = (byte_of(cur[(i) - 1], k) +	\
					byte_of(prev[i], k)) >> 1;	\
			set_byte(&cur[i], k, unzig(n) + pred);		\
		}							\
	} while (0)
#define UPDATE(i) do {							\
		for (c = 0; c < nch; c++)				\
			update(d, &ch[c], ch[c].corr[(int)(i) - 1],	\
			       ch[c].corr[i], s->trigger);		\
	} while (0)
#define RUN_HERE(i) (!row0 && (i) > 2 && run_index != (i) &&		\
		     !((prev[(i) - 1] ^ prev[i]) & mask) &&		\
		     !((cur[(i) - 1] ^ cur[(i) - 2]) & mask))

	if (i == 0) {
		DECODE(0);
		if (s->waitcnt) {
			s->waitcnt--;
		} else {
			s->waitcnt = gaps[++s->seed & 0xff] & waitmask;
			UPDATE(0);
		}
		stopidx = ++i + s->waitcnt;
	} else {
		stopidx = i + s->waitcnt;
	}
	while (!d->err) {
		unsigned len;

		while (stopidx < end && !d->err) {
			for (; i <= stopidx; i++) {
				if (RUN_HERE(i))
					goto run;
				DECODE(i);
			}
			UPDATE(stopidx);
			stopidx = i + (gaps[++s->seed & 0xff] & waitmask);
		}
		for (; i < end; i++) {
			if (RUN_HERE(i))
				goto run;
			DECODE(i);
		}
		s->waitcnt = stopidx - end;
		return;
run:
		run_index = i;
		s->waitcnt = stopidx - i;
		len = decode_run(d, s);
		if (len > end - i) {
			if (!d->err)
				d->err = ERR_RUN;
			return;
		}
		for (; len; len--, i++)
			cur[i] = (cur[i] & ~mask) | (cur[i - 1] & mask);
		if (i == end)
			return;
		stopidx = i + s->waitcnt;
	}
#undef DECODE
#undef UPDATE
#undef RUN_HERE
}

static void qd_row(struct qd *d, struct qstate *s, struct qchan *ch,
		   const unsigned *bytes, unsigned nch, bool row0,
		   const uint32_t *prev, uint32_t *cur, unsigned w)
{
	unsigned pos = 0, width = w;

	while (s->wmidx < 6 && s->wmileft <= width) {
		if (s->wmileft) {
			qd_segment(d, s, ch, bytes, nch, row0, prev, cur, pos,
				   pos + s->wmileft, (1u << s->wmidx) - 1);
			pos += s->wmileft;
			width -= s->wmileft;
		}
		s->wmidx++;
		s->trigger = trig[s->wmidx];
		s->wmileft = 2048;
	}
	if (width) {
		qd_segment(d, s, ch, bytes, nch, row0, prev, cur, pos,
			   pos + width, (1u << s->wmidx) - 1);
		if (s->wmidx < 6)
			s->wmileft -= width;
	}
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int test_quic_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		     int alpha, uint32_t *px)
{
	static const unsigned rgb_bytes[3] = { 2, 1, 0 }, a_bytes[1] = { 3 };
	struct qd d = { .in = in, .nbits = 8 * len };
	struct qstate st[2];
	struct qchan ch[4];
	uint8_t corr[4][1 + 4096 * 4];
	uint8_t *big = NULL;
	unsigned l, y, c;
	int ret;

	if (len < 24 || len % 4 || le32(in) != 0x43495551 || le32(in + 4) ||
	    le32(in + 8) != (alpha ? 5u : 4u) || le32(in + 12) != w ||
	    le32(in + 16) != h || !w || !h)
		return ERR_HEADER;
	for (l = 0; l < 8; l++) {
		unsigned p = 18, k = 0;

		if (p > (1u << (8 - l)) - 1)
			p = (1u << (8 - l)) - 1;
		d.prefix[l] = p;
		d.n_gr[l] = p << l;
		while ((1u << k) < 256 - d.n_gr[l])
			k++;
		d.suffix[l] = k;
	}
	memset(ch, 0, sizeof(ch));
	for (c = 0; c < 4; c++) {
		for (l = 0; l < 8; l++)
			ch[c].best[l] = 7;
		if (w <= 4096 * 4) {
			ch[c].corr = corr[c] + 1;
		} else {
			if (!big)
				big = calloc(4, (size_t)w + 1);
			if (!big)
				return ERR_HEADER;
			ch[c].corr = big + c * ((size_t)w + 1) + 1;
		}
		ch[c].corr[-1] = 0;
	}
	for (c = 0; c < 2; c++) {
		st[c].waitcnt = 0;
		st[c].seed = 0xff;
		st[c].wmidx = 0;
		st[c].wmileft = 2048;
		st[c].trigger = trig[0];
		st[c].melc = 0;
	}
	d.pos = 160;
	memset(px, 0, 4 * (size_t)w * h);
	for (y = 0; y < h && !d.err; y++) {
		uint32_t *cur = px + (size_t)y * w;
		const uint32_t *prev = y ? cur - w : NULL;

		for (c = 0; c < 4; c++)
			ch[c].corr[-1] = y ? ch[c].corr[0] : 0;
		qd_row(&d, &st[0], ch, rgb_bytes, 3, !y, prev, cur, w);
		if (alpha && !d.err)
			qd_row(&d, &st[1], ch + 3, a_bytes, 1, !y, prev, cur, w);
	}
	ret = d.err;
	/* exactly the words holding the data, plus the one of lookahead */
	if (!ret && len != 4 * ((d.pos + 31) / 32 + 1))
		ret = ERR_TRAILING;
	free(big);
	return ret;
}

/* LZ ----------------------------------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* One stream (RGB or alpha) into n pixels; returns the bytes used or a
 * negative error. */
static long lz_stream(const uint8_t *in, size_t len, uint32_t *px, size_t n,
		      bool alpha)
{
	size_t ip = 0, op = 0;

	while (op < n) {
		unsigned ctrl;

		if (ip >= len)
			return ERR_OVERRUN;
		ctrl = in[ip++];
		if (ctrl < 32) {
			size_t k = ctrl + 1u, per = alpha ? 1 : 3, i;

			if (k > n - op)
				return ERR_RUN;
			if (k * per > len - ip)
				return ERR_OVERRUN;
			for (i = 0; i < k; i++, op++) {
				if (alpha) {
					px[op] = (px[op] & 0xffffff) |
						 (uint32_t)in[ip++] << 24;
				} else {
					px[op] = (px[op] & 0xff000000) |
						 (uint32_t)in[ip + 2] << 16 |
						 (uint32_t)in[ip + 1] << 8 |
						 in[ip];
					ip += 3;
				}
			}
		} else {
			size_t l = (ctrl >> 5) - 1, ofs = (ctrl & 31) << 8;
			unsigned code;
			uint32_t m = alpha ? 0xff000000u : 0x00ffffffu;
			size_t ref, i;

			if (l == 6) {
				do {
					if (ip >= len)
						return ERR_OVERRUN;
					code = in[ip++];
					l += code;
				} while (code == 255);
			}
			if (ip >= len)
				return ERR_OVERRUN;
			code = in[ip++];
			ofs += code;
			if (code == 255 && (ctrl & 31) == 31) {
				if (len - ip < 2)
					return ERR_OVERRUN;
				ofs = ((size_t)in[ip] << 8 | in[ip + 1]) + 8191;
				ip += 2;
			}
			l += alpha ? 3 : 1;
			ofs += 1;
			if (ofs > op)
				return ERR_REF;
			if (l > n - op)
				return ERR_RUN;
			ref = op - ofs;
			for (i = 0; i < l; i++, op++, ref++)
				px[op] = (px[op] & ~m) | (px[ref] & m);
		}
	}
	return (long)ip;
}

int test_lz_decode(const uint8_t *in, size_t len, uint32_t w, uint32_t h,
		   int alpha, uint32_t *px)
{
	size_t n = (size_t)w * h;
	long used;

	if (len < 28 || be32(in) != 0x20205a4c || be32(in + 4) != 0x00010001 ||
	    be32(in + 8) != (alpha ? 9u : 8u) || be32(in + 12) != w ||
	    be32(in + 16) != h || be32(in + 20) != 4 * w || be32(in + 24) != 1)
		return ERR_HEADER;
	in += 28;
	len -= 28;
	memset(px, 0, 4 * n);
	used = lz_stream(in, len, px, n, false);
	if (used < 0)
		return (int)used;
	if (alpha) {
		long a = lz_stream(in + used, len - (size_t)used, px, n, true);

		if (a < 0)
			return (int)a;
		used += a;
	}
	return (size_t)used == len ? 0 : ERR_TRAILING;
}
