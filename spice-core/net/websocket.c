// SPDX-License-Identifier: MIT
/* HTTP request heads and WebSocket frames (RFC 6455): pure parsers and
 * the frame writer, no I/O (the unit test and the fuzz target link this
 * file alone); net/http.c puts them on a stream.  See websocket.h. */
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "net/websocket.h"

/* HTTP request head ------------------------------------------------------ */

long sc_http_head_end(const uint8_t *p, size_t n)
{
	size_t i, lim = MIN(n, (size_t)SC_HTTP_MAX_HEAD);

	for (i = 0; i < lim; i++) {
		if (p[i] == '\0')
			return -1;
		if (p[i] != '\r')
			continue;
		if (i + 1 >= n)
			return 0;		/* the LF may still come */
		if (p[i + 1] != '\n')
			return -1;		/* a bare CR */
		if (i + 3 < n && p[i + 2] == '\r' && p[i + 3] == '\n')
			return i + 4 <= SC_HTTP_MAX_HEAD ? (long)(i + 4) : -1;
	}
	return n >= SC_HTTP_MAX_HEAD ? -1 : 0;
}

static bool is_tchar(uint8_t c)
{
	return g_ascii_isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Visible ASCII, space, tab and bytes >= 0x80 (obs-text). */
static bool is_vchar(uint8_t c)
{
	return c == ' ' || c == '\t' || (c > 0x20 && c != 0x7f);
}

/* Whether the comma-separated list v[0..n) holds token t (ASCII case
 * ignored when icase). */
static bool list_has(const char *v, size_t n, const char *t, bool icase)
{
	size_t i = 0, tl = strlen(t);

	while (i < n) {
		size_t s, e;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s == tl && (icase ? !g_ascii_strncasecmp(v + s, t, tl) :
				    !memcmp(v + s, t, tl)))
			return true;
	}
	return false;
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && !g_ascii_strncasecmp(name, want, n);
}

static int parse_request_line(const char *l, size_t n, struct sc_http_req *r,
			      int *minor, const char **why)
{
	const char *sp1 = memchr(l, ' ', n), *sp2;
	size_t tlen;

	if (!sp1 || sp1 == l) {
		*why = "malformed request line";
		return -1;
	}
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - l));
	if (!sp2 || sp2 == sp1 + 1) {
		*why = "malformed request line";
		return -1;
	}
	for (const char *c = l; c < sp1; c++)
		if (!is_tchar((uint8_t)*c)) {
			*why = "malformed method";
			return -1;
		}
	if (sp1 - l == 3 && !memcmp(l, "GET", 3))
		r->method = SC_HTTP_GET;
	else if (sp1 - l == 4 && !memcmp(l, "HEAD", 4))
		r->method = SC_HTTP_HEAD;
	else
		r->method = SC_HTTP_OTHER;
	tlen = (size_t)(sp2 - sp1 - 1);
	if (tlen > SC_HTTP_MAX_TARGET) {
		*why = "request target too long";
		return -1;
	}
	for (size_t i = 0; i < tlen; i++)
		if ((uint8_t)sp1[1 + i] <= 0x20 || (uint8_t)sp1[1 + i] >= 0x7f) {
			*why = "bad byte in the request target";
			return -1;
		}
	memcpy(r->target, sp1 + 1, tlen);
	r->target[tlen] = '\0';
	if (l + n - (sp2 + 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) ||
	    (sp2[8] != '0' && sp2[8] != '1')) {
		*why = "not HTTP/1.0 or HTTP/1.1";
		return -1;
	}
	*minor = sp2[8] - '0';
	return 0;
}

static int parse_header(const char *l, size_t n, struct sc_http_req *r,
			const char **why)
{
	const char *colon = memchr(l, ':', n), *v;
	size_t nl, vl;

	if (!colon || colon == l) {
		*why = "malformed header line";
		return -1;
	}
	nl = (size_t)(colon - l);
	for (size_t i = 0; i < nl; i++)
		if (!is_tchar((uint8_t)l[i])) {
			*why = "malformed header name";
			return -1;
		}
	v = colon + 1;
	vl = n - nl - 1;
	for (size_t i = 0; i < vl; i++)
		if (!is_vchar((uint8_t)v[i])) {
			*why = "bad byte in a header value";
			return -1;
		}
	while (vl && (*v == ' ' || *v == '\t')) {
		v++;
		vl--;
	}
	while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		vl--;
	if (name_is(l, nl, "Upgrade")) {
		if (list_has(v, vl, "websocket", true))
			r->upgrade_websocket = true;
	} else if (name_is(l, nl, "Connection")) {
		if (list_has(v, vl, "upgrade", true))
			r->connection_upgrade = true;
	} else if (name_is(l, nl, "Sec-WebSocket-Key")) {
		if (r->has_key || vl >= sizeof(r->key)) {
			*why = "repeated or overlong Sec-WebSocket-Key";
			return -1;
		}
		memcpy(r->key, v, vl);
		r->key[vl] = '\0';
		r->has_key = true;
	} else if (name_is(l, nl, "Sec-WebSocket-Version")) {
		int ver = 0;

		if (r->version >= 0 || !vl || vl > 3) {
			*why = "repeated or bad Sec-WebSocket-Version";
			return -1;
		}
		for (size_t i = 0; i < vl; i++) {
			if (!g_ascii_isdigit(v[i])) {
				*why = "bad Sec-WebSocket-Version";
				return -1;
			}
			ver = ver * 10 + (v[i] - '0');
		}
		r->version = ver;
	} else if (name_is(l, nl, "Sec-WebSocket-Protocol")) {
		r->has_protocols = true;
		if (list_has(v, vl, "binary", false))
			r->proto_binary = true;
	}
	return 0;
}

int sc_http_parse(const uint8_t *p, size_t n, struct sc_http_req *r,
		  const char **why)
{
	const char *s = (const char *)p, *end = s + n;
	unsigned int headers = 0;
	int minor = 0;
	bool first = true;

	memset(r, 0, sizeof(*r));
	r->version = -1;
	while (s < end) {
		const char *eol = NULL;

		for (const char *c = s; c + 1 < end; c++)
			if (c[0] == '\r' && c[1] == '\n') {
				eol = c;
				break;
			}
		if (!eol) {
			*why = "request head not ended by CRLF";
			return -1;
		}
		if (eol == s)
			break;			/* the blank line */
		if (first) {
			if (parse_request_line(s, (size_t)(eol - s), r, &minor,
					       why) < 0)
				return -1;
			first = false;
		} else {
			if (*s == ' ' || *s == '\t') {
				*why = "folded header line";
				return -1;
			}
			if (++headers > SC_HTTP_MAX_HEADERS) {
				*why = "too many header lines";
				return -1;
			}
			if (parse_header(s, (size_t)(eol - s), r, why) < 0)
				return -1;
		}
		s = eol + 2;
	}
	if (first) {
		*why = "no request line";
		return -1;
	}
	if (minor == 0 && r->upgrade_websocket) {
		*why = "WebSocket upgrade needs HTTP/1.1";
		return -1;
	}
	return 0;
}

/* 16 bytes in base64: 22 characters of the alphabet and "==". */
static bool key_ok(const char *k)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	if (strlen(k) != 24 || strcmp(k + 22, "=="))
		return false;
	for (i = 0; i < 22; i++)
		if (!strchr(b64, k[i]))
			return false;
	/* The last character carries 2 bits: the 4 below must be 0. */
	return (strchr(b64, k[21]) - b64) % 16 == 0;
}

int sc_ws_check_handshake(const struct sc_http_req *r, const char **why)
{
	if (r->method != SC_HTTP_GET) {
		*why = "WebSocket upgrade not with GET";
		return 400;
	}
	if (!r->connection_upgrade) {
		*why = "WebSocket upgrade without 'Connection: Upgrade'";
		return 400;
	}
	if (!r->has_key || !key_ok(r->key)) {
		*why = "missing or bad Sec-WebSocket-Key";
		return 400;
	}
	if (r->version != 13) {
		*why = "Sec-WebSocket-Version is not 13";
		return 426;
	}
	return 0;
}

void sc_ws_accept_key(const char *key, char out[29])
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);
	uint8_t digest[20];
	gsize len = sizeof(digest);
	gchar *b64;

	g_checksum_update(sum, (const guchar *)key, (gssize)strlen(key));
	g_checksum_update(sum, (const guchar *)guid, sizeof(guid) - 1);
	g_checksum_get_digest(sum, digest, &len);
	g_checksum_free(sum);
	b64 = g_base64_encode(digest, sizeof(digest));
	g_strlcpy(out, b64, 29);
	g_free(b64);
}

static int hexval(char c)
{
	return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

char *sc_http_clean_path(const char *target, const char **why)
{
	size_t n = strcspn(target, "?#"), i;
	GString *dec, *out;
	gchar **segs;

	if (target[0] != '/') {
		*why = "request target is not a path";
		return NULL;
	}
	dec = g_string_sized_new(n);
	for (i = 0; i < n; i++) {
		char c = target[i];

		if (c == '%') {
			int hi = i + 2 < n ? hexval(target[i + 1]) : -1;
			int lo = hi >= 0 ? hexval(target[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				*why = "bad %-escape in the path";
				g_string_free(dec, TRUE);
				return NULL;
			}
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (c == '\0' || c == '\\' || (uint8_t)c < 0x20 || c == 0x7f) {
			*why = "NUL, control byte or backslash in the path";
			g_string_free(dec, TRUE);
			return NULL;
		}
		g_string_append_c(dec, c);
	}
	segs = g_strsplit(dec->str, "/", -1);
	g_string_free(dec, TRUE);
	out = g_string_new(NULL);
	for (i = 0; segs[i]; i++) {
		if (!*segs[i] || !strcmp(segs[i], "."))
			continue;
		if (segs[i][0] == '.') {
			/* "..", and hidden files */
			*why = "path segment starting with '.'";
			g_strfreev(segs);
			g_string_free(out, TRUE);
			return NULL;
		}
		if (out->len)
			g_string_append_c(out, '/');
		g_string_append(out, segs[i]);
	}
	g_strfreev(segs);
	return g_string_free(out, FALSE);
}

const char *sc_http_content_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".htm", "text/html; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".map", "application/json" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".svg", "image/svg+xml" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".md", "text/plain; charset=utf-8" },
		{ ".wasm", "application/wasm" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot && !strchr(dot, '/'))
		for (i = 0; i < G_N_ELEMENTS(types); i++)
			if (!g_ascii_strcasecmp(dot, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

/* Frames ----------------------------------------------------------------- */

static bool opcode_known(uint8_t op)
{
	return op <= SC_WS_OP_BINARY ||
	       (op >= SC_WS_OP_CLOSE && op <= SC_WS_OP_PONG);
}

static bool close_code_ok(uint16_t c)
{
	return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1011) ||
	       (c >= 3000 && c <= 4999);
}

static enum sc_ws_event fail(struct sc_ws_dec *d, const char **why,
			     const char *what)
{
	d->closed = true;
	*why = what;
	return SC_WS_ERROR;
}

/* The header in d->hdr is complete (d->hdr_len bytes): check it and set
 * up the payload. */
static enum sc_ws_event start_frame(struct sc_ws_dec *d, const char **why)
{
	uint64_t max_frame = d->max_frame ? d->max_frame : SC_WS_MAX_FRAME;
	uint64_t max_msg = d->max_message ? d->max_message : SC_WS_MAX_MESSAGE;
	uint8_t len7 = d->hdr[1] & 0x7f;
	uint64_t len = len7;
	bool control;

	d->fin = d->hdr[0] & 0x80;
	d->opcode = d->hdr[0] & 0x0f;
	control = d->opcode & 0x8;
	if (d->hdr[0] & 0x70)
		return fail(d, why, "reserved bits set (no extension was "
			    "agreed)");
	if (!opcode_known(d->opcode))
		return fail(d, why, "undefined opcode");
	if (!(d->hdr[1] & 0x80))
		return fail(d, why, "unmasked client frame");
	if (len7 == 126) {
		len = (uint64_t)d->hdr[2] << 8 | d->hdr[3];
		if (len < 126)
			return fail(d, why, "length not in its shortest form");
		memcpy(d->mask, d->hdr + 4, 4);
	} else if (len7 == 127) {
		len = 0;
		for (int i = 0; i < 8; i++)
			len = len << 8 | d->hdr[2 + i];
		if (len >> 63)
			return fail(d, why, "64-bit length with its top bit set");
		if (len < 65536)
			return fail(d, why, "length not in its shortest form");
		memcpy(d->mask, d->hdr + 10, 4);
	} else {
		memcpy(d->mask, d->hdr + 2, 4);
	}
	if (control) {
		if (!d->fin)
			return fail(d, why, "fragmented control frame");
		if (len > 125)
			return fail(d, why, "control frame over 125 bytes");
		d->ctl_len = 0;
	} else {
		if (d->opcode == SC_WS_OP_TEXT)
			return fail(d, why, "text frame (only binary frames "
				    "carry SPICE)");
		if (d->opcode == SC_WS_OP_CONT && !d->in_message)
			return fail(d, why, "continuation frame outside a "
				    "message");
		if (d->opcode != SC_WS_OP_CONT && d->in_message)
			return fail(d, why, "new message inside a fragmented "
				    "one");
		if (len > max_frame)
			return fail(d, why, "frame too large");
		if (d->message_len + len > max_msg)
			return fail(d, why, "message too large");
		d->message_len += len;
	}
	d->left = len;
	d->mask_pos = 0;
	d->in_payload = true;
	return SC_WS_MORE;
}

/* The frame's payload is all here. */
static enum sc_ws_event end_frame(struct sc_ws_dec *d, const char **why)
{
	d->in_payload = false;
	d->hdr_len = 0;
	d->frames++;
	switch (d->opcode) {
	case SC_WS_OP_PING:
		return SC_WS_PING;
	case SC_WS_OP_PONG:
		return SC_WS_PONG;
	case SC_WS_OP_CLOSE:
		if (d->ctl_len == 1)
			return fail(d, why, "close frame of one byte");
		d->close_code = 1005;
		if (d->ctl_len >= 2) {
			d->close_code = (uint16_t)(d->ctl[0] << 8 | d->ctl[1]);
			if (!close_code_ok(d->close_code))
				return fail(d, why, "bad close code");
			if (!g_utf8_validate((const char *)d->ctl + 2,
					     d->ctl_len - 2, NULL))
				return fail(d, why, "close reason not UTF-8");
		}
		d->closed = true;
		return SC_WS_CLOSE;
	default:
		d->in_message = !d->fin;
		if (d->fin)
			d->message_len = 0;
		return SC_WS_MORE;
	}
}

static size_t header_size(const uint8_t *h)
{
	uint8_t len7 = h[1] & 0x7f;

	return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) +
	       (h[1] & 0x80 ? 4 : 0);
}

enum sc_ws_event sc_ws_decode(struct sc_ws_dec *d, const uint8_t *p,
			      size_t n, size_t *used, struct sc_buf *data,
			      const char **why)
{
	size_t pos = 0;

	*used = 0;
	if (d->closed) {
		*why = "data after the close";
		return n ? SC_WS_ERROR : SC_WS_MORE;
	}
	while (pos < n || (d->in_payload && !d->left)) {
		enum sc_ws_event ev;

		if (!d->in_payload) {
			/* Header bytes, one at a time until its size is
			 * known, then what it still lacks. */
			size_t want = d->hdr_len < 2 ? 2 : header_size(d->hdr);
			size_t k = MIN(want - d->hdr_len, n - pos);

			memcpy(d->hdr + d->hdr_len, p + pos, k);
			d->hdr_len = (uint8_t)(d->hdr_len + k);
			pos += k;
			if (d->hdr_len < 2 || d->hdr_len < header_size(d->hdr))
				continue;
			ev = start_frame(d, why);
			if (ev != SC_WS_MORE) {
				*used = pos;
				return ev;
			}
		}
		if (d->left) {
			size_t k = (size_t)MIN(d->left, (uint64_t)(n - pos));
			uint8_t *dst;

			if (!k)
				break;
			if (d->opcode & 0x8)
				dst = d->ctl + d->ctl_len;
			else
				dst = sc_buf_append(data, k);
			for (size_t i = 0; i < k; i++)
				dst[i] = p[pos + i] ^
					 d->mask[(d->mask_pos + i) & 3];
			d->mask_pos = (uint8_t)((d->mask_pos + k) & 3);
			if (d->opcode & 0x8)
				d->ctl_len = (uint8_t)(d->ctl_len + k);
			d->left -= k;
			pos += k;
		}
		if (!d->left) {
			ev = end_frame(d, why);
			if (ev != SC_WS_MORE) {
				*used = pos;
				return ev;
			}
		}
	}
	*used = pos;
	return SC_WS_MORE;
}

void sc_ws_frame(struct sc_buf *out, uint8_t opcode, const void *payload,
		 size_t len)
{
	uint8_t h[10];
	size_t hl = 2;

	h[0] = (uint8_t)(0x80 | opcode);
	if (len < 126) {
		h[1] = (uint8_t)len;
	} else if (len < 65536) {
		h[1] = 126;
		h[2] = (uint8_t)(len >> 8);
		h[3] = (uint8_t)len;
		hl = 4;
	} else {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
		hl = 10;
	}
	sc_buf_put(out, h, hl);
	if (len)
		sc_buf_put(out, payload, len);
}
