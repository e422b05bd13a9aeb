// SPDX-License-Identifier: MIT
/*
 * chunks.c - reading a qxl_data_chunk list into one contiguous buffer.
 *
 * The list is walked once; each header is copied out before use; the
 * number of chunks and the total bytes are capped, so circular or endless
 * lists end in a guest bug instead of a hang.
 */
#include <stdlib.h>
#include <string.h>

#include "qxl_mem.h"

void qxl_buf_free(struct qxl_buf *b)
{
	free(b->owned);
	memset(b, 0, sizeof(*b));
}

/* 'first' is a copy of the first header, data0 its translated data. */
static int chunks_read(const struct qxl_mem *m, const char *what,
		       const struct qxl_data_chunk *first, const uint8_t *data0,
		       uint64_t need, struct qxl_buf *out)
{
	const struct qxl_report *r = &m->report;
	struct qxl_data_chunk hdr = *first;
	const uint8_t *data = data0;
	uint64_t have = 0;
	unsigned int n = 1;

	if (need > QXL_MAX_IMAGE_BYTES) {
		qxl_report_bug(r, "%s: %llu bytes is above the %u byte cap",
			       what, (unsigned long long)need,
			       QXL_MAX_IMAGE_BYTES);
		return -1;
	}
	if (hdr.data_size >= need) {	/* the common case: no copy */
		out->ptr = data;
		out->size = need;
		return 0;
	}
	out->owned = malloc(need ? need : 1);
	if (!out->owned) {
		qxl_report_warn(r, "%s: no memory", what);
		return -1;
	}
	for (;;) {
		uint64_t take = hdr.data_size;
		uint8_t *p;
		qxl_phys next;

		if (take > need - have)
			take = need - have;
		memcpy(out->owned + have, data, take);
		have += take;
		if (have == need)
			break;
		if (!hdr.next_chunk) {
			qxl_report_bug(r, "%s: chunks hold %llu bytes, need "
				       "%llu", what, (unsigned long long)have,
				       (unsigned long long)need);
			goto fail;
		}
		if (++n > QXL_MAX_CHUNKS) {
			qxl_report_bug(r, "%s: more than %u chunks", what,
				       QXL_MAX_CHUNKS);
			goto fail;
		}
		next = hdr.next_chunk;
		if (!qxl_memslot_copy(m, next, &hdr, sizeof(hdr)))
			goto fail;
		/* Translate header and data together: the data follows it. */
		p = qxl_memslot_translate(m, next,
					  sizeof(hdr) + (uint64_t)hdr.data_size);
		if (!p)
			goto fail;
		data = p + sizeof(hdr);
	}
	out->ptr = out->owned;
	out->size = need;
	return 0;
fail:
	qxl_buf_free(out);
	return -1;
}

int qxl_chunks_read_at(const struct qxl_mem *m, const char *what,
		       qxl_phys addr, uint64_t hdr_size,
		       const struct qxl_data_chunk *first, uint64_t need,
		       struct qxl_buf *out)
{
	uint8_t *p;

	memset(out, 0, sizeof(*out));
	p = qxl_memslot_translate(m, addr,
				  hdr_size + (uint64_t)first->data_size);
	if (!p)
		return -1;
	return chunks_read(m, what, first, p + hdr_size, need, out);
}
