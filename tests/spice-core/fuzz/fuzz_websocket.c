// SPDX-License-Identifier: MIT
/* libFuzzer target: spice-core/net/websocket.c, the HTTP request head
 * parser, the handshake checks, web-root paths and the WebSocket frame
 * decoder fed in pieces.  The first byte picks the part and the piece
 * sizes; invariants are checked with abort() (a finding). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "net/websocket.h"

/* A cleaned path stays under the root: relative, no empty segment, none
 * starting with '.' (so no "..", "." or hidden file), no backslash.  A
 * name with dots inside ("1..2") is an ordinary file name. */
static bool path_under_root(const char *path)
{
	const char *seg = path;

	if (!*path)
		return true;
	if (strchr(path, '\\'))
		return false;
	for (;;) {
		const char *end = strchr(seg, '/');

		if (!end)
			end = seg + strlen(seg);
		if (end == seg || seg[0] == '.')
			return false;
		if (!*end)
			return true;
		seg = end + 1;
	}
}

static void fuzz_http(const uint8_t *p, size_t n)
{
	struct sc_http_req r;
	const char *why = NULL;
	long end = sc_http_head_end(p, n);
	char accept[29];
	char *path;

	if (end > (long)n || end > SC_HTTP_MAX_HEAD)
		abort();
	if (end <= 0)
		return;
	if (sc_http_parse(p, (size_t)end, &r, &why) < 0) {
		if (!why)
			abort();
		return;
	}
	if (strlen(r.target) > SC_HTTP_MAX_TARGET || strlen(r.key) >= 64)
		abort();
	if (sc_ws_check_handshake(&r, &why) == 0) {
		sc_ws_accept_key(r.key, accept);
		if (strlen(accept) != 28)
			abort();
	}
	path = sc_http_clean_path(r.target, &why);
	if (path) {
		/* Never a way out of the root. */
		if (!path_under_root(path))
			abort();
		sc_http_content_type(path);
		g_free(path);
	}
}

static void fuzz_frames(uint8_t mode, const uint8_t *p, size_t n)
{
	struct sc_ws_dec d = { 0 };
	struct sc_buf data;
	size_t pos = 0, step = 1 + (mode & 0x3f) * 3;
	bool ended = false;

	if (mode & 0x40) {
		d.max_frame = 300;
		d.max_message = 1000;
	}
	sc_buf_init(&data);
	while (pos < n) {
		size_t k = MIN(step, n - pos), used = 99999999;
		const char *why = NULL;
		enum sc_ws_event ev = sc_ws_decode(&d, p + pos, k, &used, &data,
						   &why);

		if (used > k)
			abort();
		if (ended && ev != SC_WS_ERROR)
			abort();	/* nothing after a close or an error */
		if (ev == SC_WS_ERROR && !why)
			abort();
		if (ev == SC_WS_PING && d.ctl_len > 125)
			abort();
		if (ev == SC_WS_ERROR || ev == SC_WS_CLOSE) {
			if (!d.closed)
				abort();
			ended = true;
			used = k;
		}
		if (ev == SC_WS_MORE && used != k)
			abort();
		pos += used;
	}
	/* Payload never exceeds the input. */
	if (data.len > n)
		abort();
	sc_buf_free(&data);
}

int LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	if (!n)
		return 0;
	if (p[0] & 0x80)
		fuzz_http(p + 1, n - 1);
	else
		fuzz_frames(p[0], p + 1, n - 1);
	return 0;
}
