// SPDX-License-Identifier: MIT
/* The first bytes of a stream: SPICE passes through; an HTTP request is
 * a WebSocket handshake, after which a filter carries the stream's bytes
 * in binary frames (parsers in net/websocket.c), or a GET of a file under
 * the net's web root, answered once and closed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/net.h"
#include "net/websocket.h"

int sc_net_set_web_root(struct sc_net *net, const char *dir, GError **err)
{
	char *real;
	struct stat sb;

	g_free(net->web_root);
	net->web_root = NULL;
	if (!dir || !*dir)
		return 0;
	real = realpath(dir, NULL);
	if (!real || stat(real, &sb) || !S_ISDIR(sb.st_mode)) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "web root '%s' is not a directory", dir);
		free(real);
		return -1;
	}
	net->web_root = g_strdup(real);
	free(real);
	return 0;
}

/* Could p[0..n) be the start of an HTTP request line?  1 yes, 0 not yet
 * known, -1 no (a SPICE link starts with "REDQ"). */
static int http_start(const uint8_t *p, size_t n)
{
	static const char *const methods[] = { "GET ", "HEAD ", "POST ",
		"PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE " };
	bool maybe = false;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(methods); i++) {
		size_t l = strlen(methods[i]);

		if (!memcmp(p, methods[i], MIN(n, l))) {
			if (n >= l)
				return 1;
			maybe = true;
		}
	}
	return maybe ? 0 : -1;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 426: return "Upgrade Required";
	default: return "Error";
	}
}

/* Queue a reply (head, and body unless head_only) and close once sent. */
static void reply(struct sc_stream *st, int status, const char *ctype,
		  const void *body, size_t len, bool head_only,
		  const char *extra)
{
	char *head = g_strdup_printf(
		"HTTP/1.1 %d %s\r\n"
		"Content-Type: %s\r\n"
		"Content-Length: %zu\r\n"
		"Cache-Control: no-cache\r\n"
		"X-Content-Type-Options: nosniff\r\n"
		"Connection: close\r\n"
		"%s\r\n", status, reason(status), ctype, len, extra ? extra : "");

	sc_buf_put(&st->out, head, strlen(head));
	g_free(head);
	if (!head_only && len)
		sc_buf_put(&st->out, body, len);
	st->close_when_sent = "HTTP reply sent";
}

static void reply_error(struct sc_stream *st, int status, const char *what,
			bool head_only, const char *extra)
{
	char *body = g_strdup_printf("%d %s: %s\n", status, reason(status),
				     what);

	reply(st, status, "text/plain; charset=utf-8", body, strlen(body),
	      head_only, extra);
	g_free(body);
}

/* Read a regular file of at most SC_HTTP_MAX_FILE bytes whose real path
 * lies under root; NULL with *why otherwise. */
static gchar *read_under(const char *root, const char *rel, gsize *len,
			 const char **why)
{
	gchar *path = g_build_filename(root, rel, NULL);
	char *real = realpath(path, NULL);
	size_t rl = strlen(root);
	struct stat sb;
	gchar *data = NULL;
	size_t got = 0;
	int fd = -1;

	g_free(path);
	*why = "no such file";
	if (!real)
		goto out;
	if (strncmp(real, root, rl) || real[rl] != '/') {
		*why = "outside the web root";
		goto out;
	}
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &sb))
		goto out;
	if (!S_ISREG(sb.st_mode)) {
		*why = "not a regular file";
		goto out;
	}
	if (sb.st_size > SC_HTTP_MAX_FILE) {
		*why = "file too large";
		goto out;
	}
	data = g_malloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, data + got, (size_t)sb.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	*len = got;
out:
	if (fd >= 0)
		close(fd);
	free(real);
	return data;
}

static void serve_file(struct sc_stream *st, const struct sc_http_req *r)
{
	const char *root = st->net->web_root, *why = NULL;
	bool head_only = r->method == SC_HTTP_HEAD;
	gchar *rel, *data = NULL;
	gsize len = 0;

	if (!root) {
		g_message("%s: HTTP %s: 404 (no web root configured)", st->peer,
			  r->target);
		reply_error(st, 404, "spice-core serves SPICE and WebSocket "
			    "here; no web root is configured", head_only, NULL);
		return;
	}
	rel = sc_http_clean_path(r->target, &why);
	if (!rel) {
		g_message("%s: HTTP %s: 400 (%s)", st->peer, r->target, why);
		reply_error(st, 400, why, head_only, NULL);
		return;
	}
	if (!*rel) {
		/* The root: an index page, else spice-html5's own page that
		 * connects back to where it came from. */
		data = read_under(root, "index.html", &len, &why);
		g_free(rel);
		rel = g_strdup(data ? "index.html" : "spice_auto.html");
	}
	if (!data)
		data = read_under(root, rel, &len, &why);
	if (!data) {
		g_message("%s: HTTP %s: 404 (%s)", st->peer, r->target, why);
		reply_error(st, 404, "not found", head_only, NULL);
	} else {
		g_debug("%s: HTTP %s: 200 (%s, %zu bytes)", st->peer,
			r->target, rel, (size_t)len);
		reply(st, 200, sc_http_content_type(rel), data, len, head_only,
		      NULL);
	}
	g_free(data);
	g_free(rel);
}

bool sc_http_sniff(struct sc_stream *st)
{
	const uint8_t *p = sc_stream_in_data(st);
	size_t n = sc_stream_in_len(st);
	struct sc_http_req r;
	const char *why = NULL;
	long end;
	int status;

	if (st->close_when_sent) {
		sc_stream_consume(st, n);	/* replied: the rest is moot */
		return false;
	}
	if (!n)
		return false;
	switch (http_start(p, n)) {
	case -1:
		st->sniffing = false;		/* SPICE (or garbage) */
		return true;
	case 0:
		return false;
	}
	sc_stream_set_label(st, "HTTP");
	end = sc_http_head_end(p, n);
	if (!end)
		return false;
	if (end < 0 || sc_http_parse(p, (size_t)end, &r, &why) < 0) {
		g_message("%s: HTTP: 400 (%s)", st->peer, why ? why :
			  "request head too long or not CRLF-delimited");
		sc_stream_consume(st, n);
		reply_error(st, 400, why ? why : "bad request head", false,
			    NULL);
		return false;
	}
	if (r.upgrade_websocket) {
		status = sc_ws_check_handshake(&r, &why);
		if (!status)
			return sc_ws_start(st, (size_t)end, &r);
		g_message("%s: HTTP %s: %d (%s)", st->peer, r.target, status,
			  why);
		sc_stream_consume(st, n);
		reply_error(st, status, why, false, status == 426 ?
			    "Sec-WebSocket-Version: 13\r\n" : NULL);
		return false;
	}
	sc_stream_consume(st, n);
	if (r.method == SC_HTTP_OTHER) {
		g_message("%s: HTTP %s: 405 (only GET and HEAD)", st->peer,
			  r.target);
		reply_error(st, 405, "only GET and HEAD", false,
			    "Allow: GET, HEAD\r\n");
		return false;
	}
	serve_file(st, &r);
	return false;
}

/* The WebSocket filter on a stream ------------------------------------------------- */

struct sc_ws {
	struct sc_stream *st;
	struct sc_ws_dec dec;
	bool closing;		/* a close frame came: ours is queued */
};

static int ws_decode(void *opaque, const uint8_t *p, size_t n,
		     struct sc_buf *in)
{
	struct sc_ws *ws = opaque;
	struct sc_stream *st = ws->st;
	size_t off = 0;

	while (!ws->closing) {
		const char *why = NULL;
		size_t used;
		enum sc_ws_event ev = sc_ws_decode(&ws->dec, p + off, n - off,
						   &used, in, &why);
		uint8_t code[2];

		off += used;
		switch (ev) {
		case SC_WS_MORE:
			return 0;
		case SC_WS_PING:
			/* Whole frames are appended: one never splits
			 * another in the bytes still to send. */
			sc_ws_frame(&st->filter_out, SC_WS_OP_PONG,
				    ws->dec.ctl, ws->dec.ctl_len);
			break;
		case SC_WS_PONG:
			break;
		case SC_WS_CLOSE:
			/* Answer with the same code, send what is queued
			 * up to it, then close. */
			g_debug("%s: %s: WebSocket close from the client "
				"(code %u)", st->peer, st->label,
				ws->dec.close_code);
			code[0] = (uint8_t)(ws->dec.close_code >> 8);
			code[1] = (uint8_t)ws->dec.close_code;
			sc_ws_frame(&st->filter_out, SC_WS_OP_CLOSE, code,
				    ws->dec.close_code == 1005 ? 0 : 2);
			ws->closing = true;
			st->close_when_sent = "WebSocket closed by the client";
			return 0;
		default:
			sc_stream_close(st, "WebSocket: %s (frame %" G_GUINT64_FORMAT
					")", why ? why : "protocol error",
					ws->dec.frames + 1);
			return -1;
		}
	}
	return 0;		/* closing: later bytes are dropped */
}

static int ws_encode(void *opaque, const uint8_t *p, size_t n, size_t *used,
		     struct sc_buf *out)
{
	struct sc_ws *ws = opaque;
	size_t k = MIN(n, (size_t)SC_WS_MAX_OUT_FRAME);

	if (ws->closing) {
		*used = n;	/* nothing goes after our close frame */
		return 0;
	}
	sc_ws_frame(out, SC_WS_OP_BINARY, p, k);
	*used = k;
	return 0;
}

static const struct sc_stream_filter ws_filter = {
	.encode = ws_encode,
	.decode = ws_decode,
};

bool sc_ws_start(struct sc_stream *st, size_t head_len,
		 const struct sc_http_req *r)
{
	char accept[29];
	struct sc_ws *ws;
	GString *reply = g_string_new("HTTP/1.1 101 Switching Protocols\r\n"
				      "Upgrade: websocket\r\n"
				      "Connection: Upgrade\r\n");

	sc_ws_accept_key(r->key, accept);
	g_string_append_printf(reply, "Sec-WebSocket-Accept: %s\r\n", accept);
	/* spice-html5 asks for "binary" (websockify's name for raw binary
	 * frames); a browser fails a connection whose asked-for protocol is
	 * not echoed. */
	if (r->proto_binary)
		g_string_append(reply, "Sec-WebSocket-Protocol: binary\r\n");
	g_string_append(reply, "\r\n");
	sc_buf_put(&st->out, reply->str, reply->len);
	g_string_free(reply, TRUE);

	ws = g_new0(struct sc_ws, 1);
	ws->st = st;
	st->ws = ws;
	g_strlcat(st->peer, "/ws", sizeof(st->peer));
	sc_stream_set_label(st, "channel 0:0");
	g_debug("%s: WebSocket (%s)", st->peer, r->target);
	sc_stream_consume(st, head_len);
	st->sniffing = false;
	/* The 101 goes as it is; later bytes both ways are frames. */
	return sc_stream_set_filter(st, &ws_filter, ws) == 0 &&
	       !sc_stream_dead(st);
}

void sc_ws_free(struct sc_stream *st)
{
	g_free(st->ws);
	st->ws = NULL;
}
