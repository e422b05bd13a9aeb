/* SPDX-License-Identifier: MIT */
/*
 * Layer 1: HTTP and WebSocket (RFC 6455) on the SPICE ports.
 *
 * A stream's first bytes say what it carries: a SPICE link starts with
 * "REDQ", an HTTP request with a method name.  An HTTP GET asking for
 * "Upgrade: websocket" gets 101 and the stream gets a byte filter that
 * unwraps the client's binary frames and wraps ours, so the layers above
 * see the SPICE bytes only (spice-html5 speaks SPICE over WebSocket).
 * Any other GET or HEAD is answered from the net's web root (read-only,
 * regular files under it) or with 404, then the connection closes.
 *
 * The parsers below are pure (no I/O, no allocation but GLib's for the
 * accept key), for the unit test and the fuzz target; net/http.c puts
 * them on a stream.
 */
#ifndef SPICE_CORE_NET_WEBSOCKET_H
#define SPICE_CORE_NET_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/buf.h"

struct sc_stream;

/* Limits on what a client sends. */
#define SC_HTTP_MAX_HEAD	8192	/* request line and headers */
#define SC_HTTP_MAX_HEADERS	64
#define SC_HTTP_MAX_TARGET	1024	/* the request target */
#define SC_HTTP_MAX_FILE	(16u << 20)	/* a file served from the root */
#define SC_WS_MAX_FRAME		(256u << 10)	/* a client frame's payload */
#define SC_WS_MAX_MESSAGE	(1u << 20)	/* a fragmented client message */
#define SC_WS_MAX_OUT_FRAME	(1u << 20)	/* payload of a frame we send */

/* HTTP request head ---------------------------------------------------- */

enum sc_http_method { SC_HTTP_GET = 1, SC_HTTP_HEAD, SC_HTTP_OTHER };

struct sc_http_req {
	enum sc_http_method method;
	char target[SC_HTTP_MAX_TARGET + 1];	/* as sent, NUL-terminated */
	bool upgrade_websocket;		/* Upgrade: websocket */
	bool connection_upgrade;	/* Connection: ... upgrade ... */
	bool has_key;
	char key[64];			/* Sec-WebSocket-Key, as sent */
	int version;			/* Sec-WebSocket-Version, -1: none */
	bool proto_binary;		/* "binary" among the subprotocols */
	bool has_protocols;		/* any Sec-WebSocket-Protocol */
};

/* Where the request head in p[0..n) ends (the byte after the blank line),
 * 0 if it has not ended yet, -1 if it can never be a request head (too
 * long, a NUL, a bare CR). */
long sc_http_head_end(const uint8_t *p, size_t n);

/* Parse a complete request head (p[0..n), n from sc_http_head_end).
 * 0, or -1 with *why (a static string) for a malformed one. */
int sc_http_parse(const uint8_t *p, size_t n, struct sc_http_req *r,
		  const char **why);

/* A WebSocket handshake the server accepts: GET, HTTP/1.1, Upgrade,
 * Connection: upgrade, a key of 16 bytes in base64, version 13.  0, or an
 * HTTP status (400, 426) with *why. */
int sc_ws_check_handshake(const struct sc_http_req *r, const char **why);

/* Sec-WebSocket-Accept for a key: base64(SHA-1(key + GUID)), 28 chars. */
void sc_ws_accept_key(const char *key, char out[29]);

/* The path a target names under a web root: the target's path part
 * (before '?' or '#'), %-decoded, "/" as "index".  NULL (with *why) when
 * it would leave the root or is not a plain path: "..", NUL, backslash,
 * a bad escape, no leading '/'.  The caller g_free()s it.  It has no
 * leading '/': "", or segments joined by '/'. */
char *sc_http_clean_path(const char *target, const char **why);

/* The Content-Type for a file name, by its extension. */
const char *sc_http_content_type(const char *name);

/* WebSocket frames -------------------------------------------------------- */

enum {
	SC_WS_OP_CONT = 0x0,
	SC_WS_OP_TEXT = 0x1,
	SC_WS_OP_BINARY = 0x2,
	SC_WS_OP_CLOSE = 0x8,
	SC_WS_OP_PING = 0x9,
	SC_WS_OP_PONG = 0xa,
};

/* What sc_ws_decode stopped at. */
enum sc_ws_event {
	SC_WS_MORE = 0,		/* every byte taken, data appended */
	SC_WS_PING,		/* a ping: answer with a pong of ctl[] */
	SC_WS_PONG,		/* a pong (ignored) */
	SC_WS_CLOSE,		/* a close frame: close_code, ctl[] */
	SC_WS_ERROR,		/* a protocol violation: why */
};

/* The client-to-server frame decoder's state.  Zero it to start. */
struct sc_ws_dec {
	uint8_t hdr[14];
	uint8_t hdr_len;
	uint8_t opcode;			/* of the frame being read */
	bool fin;
	bool in_payload;
	uint64_t left;			/* payload bytes still to come */
	uint8_t mask[4];
	uint8_t mask_pos;
	bool in_message;		/* a fragmented data message goes on */
	uint64_t message_len;
	uint8_t ctl[125];		/* a control frame's payload */
	uint8_t ctl_len;
	uint16_t close_code;		/* of a close frame; 1005: none */
	bool closed;			/* a close frame or an error was seen */
	/* Limits (0: SC_WS_MAX_FRAME, SC_WS_MAX_MESSAGE). */
	uint64_t max_frame, max_message;
	/* Totals, for the log and the tests. */
	uint64_t frames;
};

/* Decode client bytes p[0..n): unmasked data payload is appended to
 * data.  Returns at the end of the input (SC_WS_MORE) or after a
 * control frame or an error; *used says how many bytes were taken (call
 * again with the rest).  After SC_WS_CLOSE or SC_WS_ERROR every later
 * byte is refused (SC_WS_ERROR). */
enum sc_ws_event sc_ws_decode(struct sc_ws_dec *d, const uint8_t *p,
			      size_t n, size_t *used, struct sc_buf *data,
			      const char **why);

/* Append one unmasked server frame (FIN set) with this payload. */
void sc_ws_frame(struct sc_buf *out, uint8_t opcode, const void *payload,
		 size_t len);

/* On a stream (net/http.c) ------------------------------------------------- */

/* The stream's first bytes: true when what `in` holds is for the layer
 * above (SPICE, maybe through a WebSocket filter put on just now); false
 * while an HTTP request head is still coming, after an HTTP reply was
 * queued (the stream closes once it is sent) or after closing. */
bool sc_http_sniff(struct sc_stream *st);
/* Answer the handshake r (its head is the first head_len bytes of the
 * stream's input) with 101 and put the frame filter on the stream; true
 * when bytes for the layer above may follow (false: closed). */
bool sc_ws_start(struct sc_stream *st, size_t head_len,
		 const struct sc_http_req *r);
/* Free a stream's WebSocket state. */
void sc_ws_free(struct sc_stream *st);

#endif
