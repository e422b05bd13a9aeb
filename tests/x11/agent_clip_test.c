// SPDX-License-Identifier: MIT
/*
 * agent_clip_test: spice-core's server-side clipboard (channels/agent.c)
 * on its own, with the agent stream a client sends cut into AGENT_DATA
 * sized (and odd-sized) chunks.  TAP output.  Built with -DFUZZ_CLIPBOARD
 * it is instead a libFuzzer target: the input is an agent stream (first
 * byte: the chunk size) fed to an agent with the clipboard on.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <spice/vd_agent.h>

#include "channels/agent.h"

struct rec {
	unsigned int grabs, requests, datas, releases;
	uint32_t client;
	unsigned int sel, n_types;
	uint32_t types[SC_CLIPBOARD_TYPES_MAX], type;
	GByteArray *data;
	/* what the agent sent */
	unsigned int sent;
	uint32_t sent_type;
	GByteArray *sent_body;
};

static void on_grab(void *o, uint32_t client, unsigned int sel,
		    const uint32_t *types, unsigned int n)
{
	struct rec *r = o;

	if (n > SC_CLIPBOARD_TYPES_MAX)
		__builtin_trap();
	r->grabs++;
	r->client = client;
	r->sel = sel;
	r->n_types = n;
	memcpy(r->types, types, n * sizeof(*types));
}

static void on_request(void *o, uint32_t client, unsigned int sel,
		       uint32_t type)
{
	struct rec *r = o;

	r->requests++;
	r->client = client;
	r->sel = sel;
	r->type = type;
}

static void on_data(void *o, uint32_t client, unsigned int sel, uint32_t type,
		    const uint8_t *data, size_t size)
{
	struct rec *r = o;

	if (size > SPICE_CORE_CLIPBOARD_MAX || (size && !data))
		__builtin_trap();
	r->datas++;
	r->client = client;
	r->sel = sel;
	r->type = type;
	g_byte_array_set_size(r->data, 0);
	g_byte_array_append(r->data, data, (guint)size);
}

static void on_release(void *o, uint32_t client, unsigned int sel)
{
	struct rec *r = o;

	r->releases++;
	r->client = client;
	r->sel = sel;
}

static const struct spice_core_ops clip_ops = {
	.clipboard_grab = on_grab,
	.clipboard_request = on_request,
	.clipboard_data = on_data,
	.clipboard_release = on_release,
};

static void on_send(void *o, uint32_t type, const void *data, uint32_t size)
{
	struct rec *r = o;

	r->sent++;
	r->sent_type = type;
	g_byte_array_set_size(r->sent_body, 0);
	g_byte_array_append(r->sent_body, data, size);
}

static void rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->data = g_byte_array_new();
	r->sent_body = g_byte_array_new();
}

static void rec_fini(struct rec *r)
{
	g_byte_array_unref(r->data);
	g_byte_array_unref(r->sent_body);
}

#ifdef FUZZ_CLIPBOARD

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_agent_clipboard cb;
	struct sc_model model;
	struct sc_agent a;
	const char *why = NULL;
	struct rec r;
	size_t chunk;

	if (size < 2)
		return 0;
	chunk = 1 + data[0] % VD_AGENT_MAX_DATA_SIZE;
	data++;
	size--;
	sc_parse_agent_clipboard(VD_AGENT_CLIPBOARD_GRAB + data[0] % 8, data + 1,
				 size - 1, data[0] & 0x80, &cb, &why);
	rec_init(&r);
	memset(&model, 0, sizeof(model));
	sc_model_init(&model, &clip_ops, &r, SPICE_CORE_COMPRESSION_AUTO, NULL,
		      NULL);
	sc_agent_init(&a, &model, 1, on_send, &r);
	while (size) {
		size_t n = MIN(chunk, size);

		if (sc_agent_input(&a, data, n, &why) < 0) {
			if (!why)
				__builtin_trap();
			break;
		}
		data += n;
		size -= n;
	}
	sc_agent_clipboard_grab(&a, 1, r.types, r.n_types);
	sc_agent_clipboard_data(&a, 0, 1, "x", 1);
	sc_agent_fini(&a);
	sc_model_fini(&model);
	rec_fini(&r);
	return 0;
}

#else

static unsigned int test_no;
static int failed;

static void ok(int cond, const char *name, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
static void ok(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u - %s", cond ? "" : "not ", ++test_no, name);
	if (!cond) {
		printf(": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		failed = 1;
	}
	putchar('\n');
}

/* One agent message (header + body) in a byte array. */
static GByteArray *message(uint32_t type, const void *body, uint32_t size)
{
	GByteArray *m = g_byte_array_new();
	uint8_t h[SC_AGENT_HEADER_SIZE] = { 0 };

	sc_put_u32(h, VD_AGENT_PROTOCOL);
	sc_put_u32(h + 4, type);
	sc_put_u32(h + 16, size);
	g_byte_array_append(m, h, sizeof(h));
	if (size)
		g_byte_array_append(m, body, size);
	return m;
}

/* Feed m in chunks of `chunk` bytes; the last call's result. */
static int feed(struct sc_agent *a, GByteArray *m, size_t chunk,
		const char **why)
{
	size_t off = 0;
	int rc = 0;

	while (off < m->len && rc == 0) {
		size_t n = MIN(chunk, m->len - off);

		rc = sc_agent_input(a, m->data + off, n, why);
		off += n;
	}
	g_byte_array_unref(m);
	return rc;
}

static void announce(struct sc_agent *a, uint32_t caps0)
{
	uint32_t caps[2] = { GUINT32_TO_LE(1), GUINT32_TO_LE(caps0) };
	const char *why = NULL;

	feed(a, message(VD_AGENT_ANNOUNCE_CAPABILITIES, caps, sizeof(caps)),
	     2048, &why);
}

#define SEL_CAPS (1u << VD_AGENT_CAP_CLIPBOARD_BY_DEMAND | \
		  1u << VD_AGENT_CAP_CLIPBOARD_SELECTION)

int main(void)
{
	struct sc_model model, plain;
	struct sc_agent a, b;
	const char *why = NULL;
	struct rec r, rb;
	uint8_t body[64];
	uint8_t *big;
	size_t i, big_n = 100000;
	int rc;

	rec_init(&r);
	rec_init(&rb);
	memset(&model, 0, sizeof(model));
	memset(&plain, 0, sizeof(plain));
	sc_model_init(&model, &clip_ops, &r, SPICE_CORE_COMPRESSION_AUTO, NULL,
		      NULL);
	sc_agent_init(&a, &model, 0x1234, on_send, &r);

	/* Our caps in answer to the client's. */
	sc_agent_clipboard_grab(&a, 0, (uint32_t[]){ 1 }, 1);
	ok(r.sent == 0, "nothing before caps", "sent %u", r.sent);
	announce(&a, SEL_CAPS);
	ok(r.sent == 1 && r.sent_type == VD_AGENT_ANNOUNCE_CAPABILITIES &&
	   r.sent_body->len == 8 &&
	   (sc_get_u32(r.sent_body->data + 4) & SEL_CAPS) == SEL_CAPS,
	   "caps", "sent %u type %u len %u", r.sent, r.sent_type,
	   r.sent_body->len);

	/* GRAB of PRIMARY, two types, in 3-byte chunks. */
	memset(body, 0, sizeof(body));
	body[0] = VD_AGENT_CLIPBOARD_SELECTION_PRIMARY;
	sc_put_u32(body + 4, VD_AGENT_CLIPBOARD_UTF8_TEXT);
	sc_put_u32(body + 8, VD_AGENT_CLIPBOARD_IMAGE_PNG);
	rc = feed(&a, message(VD_AGENT_CLIPBOARD_GRAB, body, 12), 3, &why);
	ok(rc == 0 && r.grabs == 1 && r.client == 0x1234 && r.sel == 1 &&
	   r.n_types == 2 && r.types[0] == 1 && r.types[1] == 2, "grab",
	   "rc %d grabs %u sel %u n %u", rc, r.grabs, r.sel, r.n_types);

	/* REQUEST of CLIPBOARD. */
	memset(body, 0, sizeof(body));
	sc_put_u32(body + 4, VD_AGENT_CLIPBOARD_UTF8_TEXT);
	rc = feed(&a, message(VD_AGENT_CLIPBOARD_REQUEST, body, 8), 2048,
		  &why);
	ok(rc == 0 && r.requests == 1 && r.sel == 0 && r.type == 1,
	   "request", "rc %d requests %u", rc, r.requests);

	/* 100000 bytes of data over AGENT_DATA-sized chunks. */
	big = g_malloc(8 + big_n);
	memset(big, 0, 8);
	big[0] = VD_AGENT_CLIPBOARD_SELECTION_PRIMARY;
	sc_put_u32(big + 4, VD_AGENT_CLIPBOARD_UTF8_TEXT);
	for (i = 0; i < big_n; i++)
		big[8 + i] = (uint8_t)(i * 7 + 3);
	rc = feed(&a, message(VD_AGENT_CLIPBOARD, big, (uint32_t)(8 + big_n)),
		  VD_AGENT_MAX_DATA_SIZE, &why);
	ok(rc == 0 && r.datas == 1 && r.sel == 1 && r.data->len == big_n &&
	   memcmp(r.data->data, big + 8, big_n) == 0, "data-reassembled",
	   "rc %d datas %u len %u", rc, r.datas, r.data->len);
	g_free(big);

	/* RELEASE of PRIMARY. */
	memset(body, 0, sizeof(body));
	body[0] = 1;
	rc = feed(&a, message(VD_AGENT_CLIPBOARD_RELEASE, body, 4), 2048,
		  &why);
	ok(rc == 0 && r.releases == 1 && r.sel == 1, "release", "rc %d", rc);

	/* Over the limit: skipped without being stored, the stream goes on. */
	{
		uint32_t huge = 8 + SPICE_CORE_CLIPBOARD_MAX + 1;
		GByteArray *m = message(VD_AGENT_CLIPBOARD, NULL, 0);
		uint8_t *zero = g_malloc0(1 << 20);
		size_t left = huge;

		sc_put_u32(m->data + 16, huge);
		rc = feed(&a, m, 2048, &why);
		while (rc == 0 && left) {
			size_t n = MIN(left, (size_t)1 << 20);

			rc = sc_agent_input(&a, zero, n, &why);
			left -= n;
		}
		g_free(zero);
		memset(body, 0, sizeof(body));
		body[0] = 0;
		rc = rc ? rc : feed(&a, message(VD_AGENT_CLIPBOARD_RELEASE,
						body, 4), 2048, &why);
		ok(rc == 0 && r.datas == 1 && r.releases == 2 && r.sel == 0 &&
		   a.in.cap <= 2 * SC_AGENT_MSG_MAX, "over-limit-skipped",
		   "rc %d datas %u releases %u cap %zu", rc, r.datas,
		   r.releases, a.in.cap);
	}

	/* What we send: the selection word, the type, the bytes. */
	r.sent = 0;
	sc_agent_clipboard_data(&a, 1, VD_AGENT_CLIPBOARD_UTF8_TEXT, "abc", 3);
	ok(r.sent == 1 && r.sent_type == VD_AGENT_CLIPBOARD &&
	   r.sent_body->len == 11 &&
	   memcmp(r.sent_body->data, "\1\0\0\0\1\0\0\0abc", 11) == 0,
	   "send-data", "sent %u type %u len %u", r.sent, r.sent_type,
	   r.sent_body->len);
	sc_agent_clipboard_grab(&a, 0, (uint32_t[]){ 1 }, 1);
	ok(r.sent == 2 && r.sent_type == VD_AGENT_CLIPBOARD_GRAB &&
	   r.sent_body->len == 8 &&
	   memcmp(r.sent_body->data, "\0\0\0\0\1\0\0\0", 8) == 0,
	   "send-grab", "sent %u len %u", r.sent, r.sent_body->len);
	sc_agent_clipboard_release(&a, 3);
	ok(r.sent == 2, "send-bad-selection", "sent %u", r.sent);

	/* Malformed: a short request, an unknown selection, a torn grab. */
	memset(body, 0, sizeof(body));
	rc = feed(&a, message(VD_AGENT_CLIPBOARD_REQUEST, body, 6), 2048,
		  &why);
	ok(rc < 0 && why, "short-request", "rc %d", rc);
	sc_agent_reset(&a);
	announce(&a, SEL_CAPS);
	body[0] = 7;
	rc = feed(&a, message(VD_AGENT_CLIPBOARD_RELEASE, body, 4), 2048,
		  &why);
	ok(rc < 0 && why, "bad-selection", "rc %d %s", rc, why ? why : "");
	sc_agent_reset(&a);
	announce(&a, SEL_CAPS);
	body[0] = 0;
	rc = feed(&a, message(VD_AGENT_CLIPBOARD_GRAB, body, 10), 2048, &why);
	ok(rc < 0 && why, "torn-grab", "rc %d", rc);

	/* A client without CLIPBOARD_SELECTION: no selection word, and
	 * CLIPBOARD only. */
	sc_agent_reset(&a);
	announce(&a, 1u << VD_AGENT_CAP_CLIPBOARD_BY_DEMAND);
	sc_put_u32(body, VD_AGENT_CLIPBOARD_UTF8_TEXT);
	r.grabs = 0;
	rc = feed(&a, message(VD_AGENT_CLIPBOARD_GRAB, body, 4), 2048, &why);
	ok(rc == 0 && r.grabs == 1 && r.sel == 0 && r.n_types == 1 &&
	   r.types[0] == 1, "no-selection-cap", "rc %d grabs %u", rc,
	   r.grabs);
	r.sent = 0;
	sc_agent_clipboard_grab(&a, 1, (uint32_t[]){ 1 }, 1);
	sc_agent_clipboard_request(&a, 0, 1);
	ok(r.sent == 1 && r.sent_body->len == 4, "no-selection-cap-send",
	   "sent %u len %u", r.sent, r.sent_body->len);

	/* The host's grab from before a client came reaches it after our
	 * caps; a client's grab of that selection ends it. */
	{
		struct sc_agent c;
		struct rec rc2;

		rec_init(&rc2);
		model.opaque = &rc2;
		model.clip[1].owned = true;
		model.clip[1].n = 1;
		model.clip[1].types[0] = VD_AGENT_CLIPBOARD_UTF8_TEXT;
		sc_agent_init(&c, &model, 3, on_send, &rc2);
		announce(&c, SEL_CAPS);
		ok(rc2.sent == 2 && rc2.sent_type == VD_AGENT_CLIPBOARD_GRAB &&
		   rc2.sent_body->len == 8 &&
		   memcmp(rc2.sent_body->data, "\1\0\0\0\1\0\0\0", 8) == 0,
		   "host-grab-told-late", "sent %u type %u", rc2.sent,
		   rc2.sent_type);
		memset(body, 0, sizeof(body));
		body[0] = 1;
		sc_put_u32(body + 4, VD_AGENT_CLIPBOARD_UTF8_TEXT);
		rc = feed(&c, message(VD_AGENT_CLIPBOARD_GRAB, body, 8), 2048,
			  &why);
		ok(rc == 0 && rc2.grabs == 1 && !model.clip[1].owned,
		   "client-grab-ends-host-grab", "rc %d grabs %u owned %d", rc,
		   rc2.grabs, model.clip[1].owned);
		sc_agent_fini(&c);
		rec_fini(&rc2);
		model.opaque = &r;
	}

	/* Without the host's callbacks: no clipboard caps, messages
	 * dropped, the monitors part as before. */
	sc_model_init(&plain, NULL, NULL, SPICE_CORE_COMPRESSION_AUTO, NULL,
		      NULL);
	sc_agent_init(&b, &plain, 2, on_send, &rb);
	announce(&b, SEL_CAPS);
	memset(body, 0, sizeof(body));
	rc = feed(&b, message(VD_AGENT_CLIPBOARD_REQUEST, body, 2), 2048,
		  &why);
	ok(rb.sent == 1 && rc == 0 &&
	   !(sc_get_u32(rb.sent_body->data + 4) & SEL_CAPS) &&
	   (sc_get_u32(rb.sent_body->data + 4) &
	    1u << VD_AGENT_CAP_MONITORS_CONFIG), "off-without-callbacks",
	   "sent %u rc %d", rb.sent, rc);

	sc_agent_fini(&a);
	sc_agent_fini(&b);
	sc_model_fini(&model);
	sc_model_fini(&plain);
	rec_fini(&r);
	rec_fini(&rb);
	printf("1..%u\n", test_no);
	return failed;
}

#endif
