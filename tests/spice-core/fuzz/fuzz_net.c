// SPDX-License-Identifier: MIT
/*
 * spice-core-net: a libFuzzer target that drives the whole server through
 * its real socket code.  Each input makes a fresh server (the library's
 * own spice_core_new(), listening on a free loopback port, plain and for
 * some inputs TLS) on a GMainContext this harness iterates, and is read as
 * a script of steps over up to NCONN client connections (a step is an op
 * byte: bits 0-3 the op, 4-6 the connection, bit 7 "the server does not
 * run after this step", so that the next steps' bytes arrive in the same
 * poll; then the op's arguments):
 *
 *   open (TCP, or TLS with an in-process OpenSSL client, or plain bytes
 *   to the TLS port, or TLS with later writes beneath it: records that do
 *   not decrypt; any of them as WebSocket: an HTTP upgrade, then every
 *   write in masked binary frames of a chosen size, maybe fragmented),
 *   link (a valid
 *   REDQ link message built from a few input bytes: channel, id, session
 *   to join, caps), auth (a garbage ticket, the right password RSA-OAEP
 *   encrypted with the key in the link reply, or a wrong mechanism),
 *   framed messages (known types of the channel or any type, mini or full
 *   header, any body), VD agent messages split over AGENT_DATA chunks,
 *   raw bytes (written at once, under any WebSocket framing), the last
 *   message repeated (pipelining), one write of all
 *   pending bytes, half-close, RST, close, drain / never read, run the
 *   server loop, and host-side changes (damage, copies, primary resize and
 *   format, cursor, monitors, mouse mode, LEDs, ticket, disconnect, a
 *   display removed (or back, with a device address and heads for the
 *   guest agent's graphics device info), playback PCM written, playback restarted, the
 *   guest agent's port opened or closed, guest agent bytes, room for
 *   bytes to the guest; a pass-through device, usbredir 0 or port 0,
 *   writing, taking bytes, its port opening or closing, going and
 *   coming back).
 *
 * Input byte 0 picks the configuration (TLS port, ticketing or a known
 * password, max clients, exclusive mode, displays, compression); byte 1
 * bit 6 turns audio on (playback and record started).  The
 * callbacks and the checks after each step hold the server to what
 * Documentation/spice-core.rst promises: clamped coordinates, bounded
 * queues, no running channel without its session, and at the end no
 * connection left once the clients have gone and a new link answered;
 * a violation traps.
 * Built with -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION (link/ticket.c
 * then reuses one RSA key instead of making one per link).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spice/enums.h>
#include <spice/protocol.h>
#include <spice/vd_agent.h>

#include "net/bounds.h"
#include "server/server.h"
#include "channels/vmc.h"

#define NCONN		6
#define PASSWORD	"fuzz-pw"
#define MAX_W		200
#define MAX_H		100

#define check(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_net: check failed at line %d: %s\n", line, what);
	__builtin_trap();
}

/* The input, read a field at a time; zeros once it runs out. */
struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint16_t u16(struct in *in)
{
	return (uint16_t)(u8(in) | u8(in) << 8);
}

static uint32_t u32(struct in *in)
{
	return (uint32_t)u16(in) | (uint32_t)u16(in) << 16;
}

/* Up to n bytes of input appended to b; with pad, zeros up to n. */
static void take(struct in *in, struct sc_buf *b, size_t n, bool pad)
{
	size_t k = MIN(n, in->n);

	sc_buf_put(b, in->p, k);
	in->p += k;
	in->n -= k;
	if (pad && k < n)
		memset(sc_buf_append(b, n - k), 0, n - k);
}

/* Process-wide: TLS files, the client TLS context, log policy --------------- */

static char tls_dir[64];
static SSL_CTX *client_tls;
static bool verbose;

static void log_handler(const gchar *domain, GLogLevelFlags level,
			const gchar *msg, gpointer data)
{
	(void)data;
	if (verbose)
		fprintf(stderr, "%s: %s\n", domain ? domain : "", msg);
	/* The library logs drops as messages; a warning or critical is a
	 * bug (GLib's g_return_if_fail included). */
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
		     G_LOG_LEVEL_WARNING)) {
		fprintf(stderr, "fuzz_net: %s: %s\n", domain ? domain : "",
			msg);
		__builtin_trap();
	}
}

static void write_pem(const char *name, EVP_PKEY *key, X509 *cert)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tls_dir, name);
	f = fopen(path, "w");
	check(f);
	if (key)
		check(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
	else
		check(PEM_write_X509(f, cert));
	fclose(f);
}

static void remove_tls_dir(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/server-key.pem", tls_dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/server-cert.pem", tls_dir);
	unlink(path);
	rmdir(tls_dir);
}

/* A self-signed P-256 certificate for the server's TLS port. */
static void make_tls_files(void)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *cert = X509_new();
	X509_NAME *name;

	check(key && cert);
	snprintf(tls_dir, sizeof(tls_dir), "/tmp/spice-core-net-XXXXXX");
	check(mkdtemp(tls_dir));
	atexit(remove_tls_dir);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * 3650);
	X509_set_pubkey(cert, key);
	name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"127.0.0.1", -1, -1,
				   0);
	X509_set_issuer_name(cert, name);
	check(X509_sign(cert, key, EVP_sha256()));
	write_pem("server-key.pem", key, NULL);
	write_pem("server-cert.pem", NULL, cert);
	X509_free(cert);
	EVP_PKEY_free(key);
	client_tls = SSL_CTX_new(TLS_client_method());
	check(client_tls);
	SSL_CTX_set_verify(client_tls, SSL_VERIFY_NONE, NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* GLib's slice allocator would hide use-after-free from ASan. */
	setenv("G_SLICE", "always-malloc", 1);
	/* Our OpenSSL clients write with write(): a reset socket must not
	 * kill the run (the server's own writes never raise SIGPIPE). */
	signal(SIGPIPE, SIG_IGN);
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	g_log_set_default_handler(log_handler, NULL);
	g_log_set_handler("spice-core", G_LOG_LEVEL_MASK, log_handler, NULL);
	make_tls_files();
	return 0;
}

/* One run ---------------------------------------------------------------------- */

struct conn {
	int fd;				/* -1: none */
	SSL *ssl;			/* the client's TLS, or NULL */
	bool mini;			/* mini data headers (offered) */
	bool drain;			/* read what the server sends */
	bool hup;			/* read EOF or an error */
	uint8_t type;			/* channel type it linked as */
	struct sc_buf pend;		/* bytes for the next write */
	size_t last_msg;		/* where the last message in pend starts */
	struct sc_buf got;		/* the first bytes received (replies) */
	uint64_t serial;
	bool under;			/* TLS: writes bypass it (garbage records) */
	bool ws;			/* WebSocket: writes framed */
	bool ws_fragment;		/* one message in several frames */
	size_t ws_frame;		/* payload bytes per frame */
	bool ws_open;			/* the 101 has been read */
	struct sc_buf ws_in;		/* received, not yet unframed */
	uint64_t ws_left;		/* payload left in the current frame */
};

struct run {
	GMainContext *ctx;
	SpiceCore *core;
	SpiceCoreDisplay *display[2];
	unsigned int max_clients;
	bool tls;
	uint32_t px[MAX_W * MAX_H];
	uint16_t px16[MAX_W * MAX_H];
	uint32_t cursor[32 * 32];
	struct conn c[NCONN];
	unsigned int clients;
	bool agent_open;		/* a guest agent port is open */
	size_t agent_take;		/* bytes its next writes take */
	struct fuzz_vmc {		/* pass-through devices: usbredir 0,
					 * port 0 (host op 14) */
		struct run *r;
		SpiceCoreVmc *vmc;
		size_t take;		/* bytes its next writes take */
		bool client;		/* a client has it, as told */
	} vmc[2];
};

/* The callbacks: what the server hands the host must keep its promises. */
static void on_key(void *o, uint32_t sc, bool down)
{
	(void)o;
	(void)down;
	check((sc & ~(0x7fu | SPICE_CORE_KEY_EXTENDED)) == 0);
	check((sc & 0x7f) != 0);
}

static void on_leds(void *o, uint32_t leds)
{
	(void)o;
	check(leds <= 7);
}

static void on_rel(void *o, int32_t dx, int32_t dy, int32_t dz,
		   uint32_t buttons)
{
	(void)o;
	check(dx >= -SC_DIM_MAX && dx <= SC_DIM_MAX);
	check(dy >= -SC_DIM_MAX && dy <= SC_DIM_MAX);
	check(dz >= -1 && dz <= 1);
	check(buttons <= 0x7f);
}

static void on_abs(void *o, uint32_t id, int32_t x, int32_t y, int32_t dz,
		   uint32_t buttons)
{
	(void)o;
	check(id < 256);
	check(x >= 0 && x < SC_DIM_MAX && y >= 0 && y < SC_DIM_MAX);
	check(dz >= -1 && dz <= 1);
	check(buttons <= 0x7f);
}

/* Taken or not by the "device", by the first width's parity: a guest
 * agent then gets the request or not. */
static bool on_monitors(void *o, uint32_t id,
			const struct spice_core_head *heads, unsigned int n)
{
	struct run *r = o;
	unsigned int i;

	check(id < SC_MAX_DISPLAYS && r->display[id < 2 ? id : 0]);
	check(n >= 1 && n <= SC_MAX_HEADS);
	for (i = 0; i < n; i++) {
		check(sc_dim_ok(heads[i].width) && sc_dim_ok(heads[i].height));
		check(heads[i].x >= 0 && heads[i].x <= 2 * SC_COORD_LIMIT);
		check(heads[i].y >= 0 && heads[i].y <= 2 * SC_COORD_LIMIT);
	}
	return heads[0].width & 1;
}

static void on_clients(void *o, unsigned int n)
{
	struct run *r = o;

	r->clients = n;
	check(n <= r->max_clients);
}

/* A client's microphone: whole frames, one message's worth at most. */
static void on_record(void *o, uint32_t client, const void *pcm,
		      size_t bytes)
{
	(void)o;
	(void)client;
	(void)pcm;
	check(bytes && bytes % 4 == 0 && bytes <= SPICE_CORE_AUDIO_CHUNK_MAX);
}

/* The guest agent's port: takes agent_take bytes, then nothing until the
 * script gives more; what it is offered is bounded by the client's token
 * window (Documentation/channels.rst). */
static size_t on_agent_write(void *o, const void *data, size_t n)
{
	struct run *r = o;
	size_t took = MIN(n, r->agent_take);

	check(data && n > 0 && n <= 32 * (VD_AGENT_MAX_DATA_SIZE + 8) + 64);
	r->agent_take -= took;
	return took;
}

static void on_agent_ready(void *o)
{
	(void)o;
}

static const struct spice_core_agent_ops agent_ops = {
	.write = on_agent_write,
	.read_ready = on_agent_ready,
};

/* A pass-through device: takes `take` bytes, then nothing until the
 * script gives more; offered at most what the channel buffers. */
static size_t on_vmc_write(void *o, const void *data, size_t n)
{
	struct fuzz_vmc *v = o;
	size_t took = MIN(n, v->take);

	check(data && n > 0 && n <= SC_VMC_IN_LIMIT + SC_VMC_CLIENT_MSG_MAX);
	check(v->client);
	v->take -= took;
	return took;
}

static void on_vmc_client(void *o, bool connected)
{
	struct fuzz_vmc *v = o;

	check(v->client != connected);	/* told once each way */
	v->client = connected;
}

static void on_vmc_event(void *o, uint8_t event)
{
	(void)o;
	(void)event;
}

static const struct spice_core_vmc_ops vmc_ops = {
	.write = on_vmc_write,
	.client = on_vmc_client,
	.event = on_vmc_event,
};

static void vmc_add(struct run *r, unsigned int i)
{
	static const char *const names[] = { "usbredir", "org.fuzz.port0" };
	struct fuzz_vmc *v = &r->vmc[i];

	v->r = r;
	v->client = false;
	v->vmc = spice_core_vmc_add(r->core, names[i], &vmc_ops, v, NULL);
	check(v->vmc);
}

static const struct spice_core_ops ops = {
	.record_data = on_record,
	.key = on_key,
	.key_leds = on_leds,
	.mouse_rel = on_rel,
	.mouse_abs = on_abs,
	.monitors_request = on_monitors,
	.clients_changed = on_clients,
};

/* The server's loop: up to n turns, fewer once idle. */
static void pump(struct run *r, unsigned int n)
{
	while (n-- && g_main_context_iteration(r->ctx, FALSE))
		;
}

/* What the server promises about every connection it still has. */
static void check_server(struct run *r)
{
	struct sc_net_stats st;
	unsigned int linking = 0;
	GList *it;

	for (it = r->core->chs.conns; it; it = it->next) {
		struct sc_conn *c = it->data;

		if (c->phase == SC_CONN_LINKING)
			linking++;
		if (sc_stream_dead(c->st))
			continue;
		check(sc_stream_queued(c->st) <= SC_OUT_HARD_LIMIT);
		check(sc_stream_in_len(c->st) <= SC_IN_LIMIT + SC_READ_CHUNK);
		/* A channel runs only inside its session. */
		if (c->phase == SC_CONN_RUNNING)
			check(c->session != NULL);
	}
	check(linking == r->core->chs.n_linking);
	check(linking <= SC_MAX_LINKING);
	sc_net_get_stats(&r->core->net, &st);
	check(st.connections <= SC_MAX_CONNS);
	check(st.queued_bytes <= SC_OUT_TOTAL_LIMIT + SC_OUT_HARD_LIMIT);
	check(g_list_length(r->core->sessions) <= r->max_clients);
}

/* Client connections --------------------------------------------------------------- */

static int port_of(struct run *r, bool tls)
{
	return tls ? spice_core_get_tls_port(r->core) :
		     spice_core_get_port(r->core);
}

static void conn_reset(struct conn *c)
{
	sc_buf_free(&c->pend);
	sc_buf_free(&c->got);
	sc_buf_free(&c->ws_in);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Close; rst: with SO_LINGER 0 (a reset, and no TIME_WAIT left behind). */
static void conn_close(struct conn *c, bool rst)
{
	if (c->fd < 0)
		return;
	if (rst) {
		struct linger l = { 1, 0 };

		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	}
	if (c->ssl)
		SSL_free(c->ssl);
	close(c->fd);
	conn_reset(c);
}

static void ws_upgrade(struct run *r, struct conn *c, uint8_t mode);

/* mode bit 0: a WebSocket (ws_upgrade's mode); on the TLS port, bit 5:
 * no handshake (the bytes written are the server's TLS input), bit 6:
 * after the handshake, writes bypass TLS (records that do not decrypt). */
static void conn_open(struct run *r, struct conn *c, bool tls, uint8_t mode)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd, one = 1, tries;

	conn_close(c, true);
	if (tls && !r->tls)
		tls = false;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	check(fd >= 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* From 127.0.0.2, the port chosen at connect: whatever TIME_WAIT
	 * this leaves never blocks a port of other programs on 127.0.0.1. */
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
	bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons((uint16_t)port_of(r, tls));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->drain = true;
	pump(r, 2);		/* accept */
	if (!tls || (mode & 0x20))
		goto upgrade;
	c->ssl = SSL_new(client_tls);
	check(c->ssl);
	SSL_set_fd(c->ssl, fd);
	for (tries = 0; tries < 64; tries++) {
		int rc = SSL_connect(c->ssl);

		if (rc == 1)
			goto upgrade;
		rc = SSL_get_error(c->ssl, rc);
		if (rc != SSL_ERROR_WANT_READ && rc != SSL_ERROR_WANT_WRITE)
			break;
		pump(r, 4);
	}
	ERR_clear_error();
	c->hup = true;		/* no handshake: writes go nowhere */
	return;
upgrade:
	if (mode & 1)
		ws_upgrade(r, c, mode);
	c->under = c->ssl && (mode & 0x40);
}

/* WebSocket: the server's bytes after its 101, unframed into got. */
static void ws_unframe(struct conn *c, const uint8_t *p, size_t n)
{
	struct sc_buf *in = &c->ws_in;

	if (in->len < 65536)
		sc_buf_put(in, p, MIN(n, 65536 - in->len));
	if (!c->ws_open) {
		uint8_t *end = memmem(in->data, in->len, "\r\n\r\n", 4);

		if (!end)
			return;
		c->ws_open = true;
		sc_buf_consume(in, (size_t)(end + 4 - in->data));
	}
	while (in->len) {
		size_t hdr = 2, k;

		if (c->ws_left) {
			k = (size_t)MIN((uint64_t)in->len, c->ws_left);
			if (c->got.len < 4096)
				sc_buf_put(&c->got, in->data,
					   MIN(k, 4096 - c->got.len));
			sc_buf_consume(in, k);
			c->ws_left -= k;
			continue;
		}
		if (in->len < 2)
			return;
		c->ws_left = in->data[1] & 127;
		if (c->ws_left == 126)
			hdr = 4;
		else if (c->ws_left == 127)
			hdr = 10;
		if (in->len < hdr)
			return;
		if (hdr > 2) {
			c->ws_left = 0;
			for (k = 2; k < hdr; k++)
				c->ws_left = c->ws_left << 8 | in->data[k];
		}
		sc_buf_consume(in, hdr);
	}
}

/* Read what is there now; the first bytes are kept for the link reply. */
static void conn_read(struct conn *c)
{
	uint8_t buf[16384];
	int rounds;

	for (rounds = 0; c->fd >= 0 && !c->hup && rounds < 256; rounds++) {
		ssize_t n;

		if (c->ssl) {
			int rc = SSL_read(c->ssl, buf, sizeof(buf));

			if (rc <= 0) {
				rc = SSL_get_error(c->ssl, rc);
				if (rc != SSL_ERROR_WANT_READ &&
				    rc != SSL_ERROR_WANT_WRITE)
					c->hup = true;
				ERR_clear_error();
				return;
			}
			n = rc;
		} else {
			n = recv(c->fd, buf, sizeof(buf), 0);
			if (n <= 0) {
				if (n == 0 || (errno != EAGAIN &&
					       errno != EINTR))
					c->hup = true;
				return;
			}
		}
		if (c->ws)
			ws_unframe(c, buf, (size_t)n);
		else if (c->got.len < 4096)
			sc_buf_put(&c->got, buf,
				   MIN((size_t)n, 4096 - c->got.len));
	}
}

/* Write b in one go (one TLS record up to 16 KiB); what the socket does
 * not take after a few turns of the server is dropped. */
static void conn_write(struct run *r, struct conn *c, const struct sc_buf *b)
{
	size_t off = 0;
	int tries;

	for (tries = 0; c->fd >= 0 && off < b->len && tries < 8; tries++) {
		ssize_t n;

		if (c->ssl && !c->under) {
			int rc = c->hup ? -1 :
				 SSL_write(c->ssl, b->data + off,
					   (int)(b->len - off));

			ERR_clear_error();
			n = rc;
		} else {
			n = send(c->fd, b->data + off, b->len - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		}
		if (n <= 0)
			break;
		off += (size_t)n;
		if (off < b->len)
			pump(r, 4);
	}
}

/* A masked client frame (the mask is fixed: the server must unmask). */
static void ws_frame(struct sc_buf *out, uint8_t opcode, bool fin,
		     const uint8_t *p, size_t n)
{
	static const uint8_t mask[4] = { 0x37, 0xfa, 0x21, 0x3d };
	size_t i;

	sc_buf_u8(out, (uint8_t)((fin ? 0x80 : 0) | opcode));
	if (n < 126) {
		sc_buf_u8(out, (uint8_t)(0x80 | n));
	} else if (n < 65536) {
		sc_buf_u8(out, 0x80 | 126);
		sc_buf_u8(out, (uint8_t)(n >> 8));
		sc_buf_u8(out, (uint8_t)n);
	} else {
		sc_buf_u8(out, 0x80 | 127);
		for (i = 0; i < 8; i++)
			sc_buf_u8(out, (uint8_t)((uint64_t)n >> (56 - 8 * i)));
	}
	sc_buf_put(out, mask, 4);
	for (i = 0; i < n; i++)
		sc_buf_u8(out, p[i] ^ mask[i % 4]);
}

/* Send the pending bytes in one write, in WebSocket frames if the
 * connection is one. */
static void conn_flush(struct run *r, struct conn *c)
{
	if (c->ws && c->pend.len) {
		struct sc_buf framed;
		size_t off;

		sc_buf_init(&framed);
		for (off = 0; off < c->pend.len; off += c->ws_frame) {
			size_t n = MIN(c->ws_frame, c->pend.len - off);
			bool last = off + n == c->pend.len;

			if (c->ws_fragment)
				ws_frame(&framed, off ? 0 : 2, last,
					 c->pend.data + off, n);
			else
				ws_frame(&framed, 2, true, c->pend.data + off,
					 n);
		}
		conn_write(r, c, &framed);
		sc_buf_free(&framed);
	} else {
		conn_write(r, c, &c->pend);
	}
	c->pend.len = 0;
	c->last_msg = 0;
}

/* Become a WebSocket: the upgrade request, then wait for the 101. */
static void ws_upgrade(struct run *r, struct conn *c, uint8_t mode)
{
	static const char req[] =
		"GET /spice HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		"Upgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
		"Sec-WebSocket-Protocol: binary\r\n"
		"Sec-WebSocket-Version: 13\r\n\r\n";
	static const size_t frames[] = { 65536, 1, 7, 125, 126, 4096, 65535,
					 300000 };
	struct sc_buf b;
	int tries;

	sc_buf_init(&b);
	sc_buf_put(&b, req, sizeof(req) - 1);
	conn_write(r, c, &b);
	sc_buf_free(&b);
	c->ws = true;
	c->ws_frame = frames[(mode >> 1) & 7];
	c->ws_fragment = mode & 16;
	for (tries = 0; tries < 16 && !c->ws_open && !c->hup; tries++) {
		pump(r, 4);
		conn_read(c);
	}
}

/* Protocol pieces ------------------------------------------------------------------ */

static const uint8_t channel_types[] = {
	SPICE_CHANNEL_MAIN, SPICE_CHANNEL_DISPLAY, SPICE_CHANNEL_INPUTS,
	SPICE_CHANNEL_CURSOR, SPICE_CHANNEL_MAIN, SPICE_CHANNEL_DISPLAY,
	SPICE_CHANNEL_PLAYBACK, SPICE_CHANNEL_RECORD, SPICE_CHANNEL_USBREDIR,
	SPICE_CHANNEL_PORT,
};

/* A session id for a link: 0, one of the server's sessions, or any. */
static uint32_t pick_session(struct run *r, uint8_t sel, struct in *in)
{
	guint n = g_list_length(r->core->sessions);
	struct sc_session *s;

	if (sel < 16)
		return 0;
	if (sel == 0xff || !n)
		return u32(in);
	s = g_list_nth_data(r->core->sessions, sel % n);
	return s->id;
}

/* LINK: a REDQ header and link message. */
static void op_link(struct run *r, struct conn *c, struct in *in)
{
	uint8_t sel = u8(in), id = u8(in), flags = u8(in), who = u8(in);
	uint32_t conn_id = pick_session(r, who, in);
	uint32_t common = 0, chan = u32(in);
	struct sc_buf *b = &c->pend;

	c->type = sel < 0xf0 ? channel_types[sel % sizeof(channel_types)] :
		  sel;
	if (!(flags & 1))
		common |= 1u << SPICE_COMMON_CAP_PROTOCOL_AUTH_SELECTION;
	if (!(flags & 2))
		common |= 1u << SPICE_COMMON_CAP_MINI_HEADER;
	if (flags & 4)
		common |= 1u << SPICE_COMMON_CAP_AUTH_SASL;
	if (flags & 8)
		common |= 1u << SPICE_COMMON_CAP_AUTH_SPICE;
	c->mini = !(flags & 2);
	c->serial = 0;
	sc_buf_put(b, "REDQ", 4);
	sc_buf_u32(b, SPICE_VERSION_MAJOR);
	sc_buf_u32(b, SPICE_VERSION_MINOR);
	sc_buf_u32(b, 18 + 8);
	sc_buf_u32(b, conn_id);
	sc_buf_u8(b, c->type);
	sc_buf_u8(b, (flags & 0x80) ? id : id % 3);
	sc_buf_u32(b, 1);		/* common caps words */
	sc_buf_u32(b, 1);		/* channel caps words */
	sc_buf_u32(b, 18);		/* caps offset */
	sc_buf_u32(b, common);
	sc_buf_u32(b, chan);
}

/* The link reply's public key, once it arrived (pump first). */
static EVP_PKEY *reply_key(struct run *r, struct conn *c)
{
	const uint8_t *p;
	int tries;

	for (tries = 0; tries < 16 && c->got.len < 16 + 4 + 162; tries++) {
		pump(r, 4);
		conn_read(c);
	}
	if (c->got.len < 16 + 4 + 162 || memcmp(c->got.data, "REDQ", 4) ||
	    sc_get_u32(c->got.data + 16) != SPICE_LINK_ERR_OK)
		return NULL;
	p = c->got.data + 20;
	return d2i_PUBKEY(NULL, &p, 162);
}

/* AUTH: the auth mechanism, then a ticket. */
static void op_auth(struct run *r, struct conn *c, struct in *in)
{
	uint8_t mode = u8(in);
	uint8_t ticket[128] = { 0 };
	size_t len = sizeof(ticket);

	if (!(mode & 0x80))
		sc_buf_u32(&c->pend, mode & 0x40 ? u32(in) :
				     SPICE_COMMON_CAP_AUTH_SPICE);
	switch (mode & 3) {
	case 0:		/* garbage: fine with ticketing off */
		break;
	case 1: {	/* the right password, encrypted for this link */
		EVP_PKEY *key;
		EVP_PKEY_CTX *ctx;

		conn_flush(r, c);
		key = reply_key(r, c);
		if (!key)
			break;
		ctx = EVP_PKEY_CTX_new(key, NULL);
		if (ctx && EVP_PKEY_encrypt_init(ctx) > 0 &&
		    EVP_PKEY_CTX_set_rsa_padding(ctx,
						 RSA_PKCS1_OAEP_PADDING) > 0)
			EVP_PKEY_encrypt(ctx, ticket, &len,
					 (const uint8_t *)PASSWORD,
					 sizeof(PASSWORD));
		EVP_PKEY_CTX_free(ctx);
		EVP_PKEY_free(key);
		break;
	}
	case 2: {	/* bytes from the input */
		struct sc_buf t;

		sc_buf_init(&t);
		take(in, &t, sizeof(ticket), true);
		memcpy(ticket, t.data, sizeof(ticket));
		sc_buf_free(&t);
		break;
	}
	case 3:		/* short: the client stops mid-ticket */
		len = u8(in) % sizeof(ticket);
		break;
	}
	sc_buf_put(&c->pend, ticket, len);
}

/* A message header for the conn's framing (or the other one: lie). */
static void msg_header(struct conn *c, uint16_t type, uint32_t size,
		       bool lie)
{
	struct sc_buf *b = &c->pend;

	c->last_msg = b->len;
	if (c->mini != lie) {
		sc_buf_u16(b, type);
		sc_buf_u32(b, size);
	} else {
		sc_buf_u64(b, ++c->serial);
		sc_buf_u16(b, type);
		sc_buf_u32(b, size);
		sc_buf_u32(b, 0);
	}
}

static const uint16_t base_types[] = {
	SPICE_MSGC_ACK_SYNC, SPICE_MSGC_ACK, SPICE_MSGC_PONG,
	SPICE_MSGC_MIGRATE_FLUSH_MARK, SPICE_MSGC_MIGRATE_DATA,
	SPICE_MSGC_DISCONNECTING,
};

/* A known type for the conn's channel (a base one now and then). */
static uint16_t known_type(struct conn *c, uint8_t sel)
{
	if (sel % 4 == 0)
		return base_types[(sel / 4) % G_N_ELEMENTS(base_types)];
	switch (c->type) {
	case SPICE_CHANNEL_MAIN:
		return SPICE_MSGC_MAIN_CLIENT_INFO + sel % 12;
	case SPICE_CHANNEL_DISPLAY:
		return SPICE_MSGC_DISPLAY_INIT + sel % 5;
	case SPICE_CHANNEL_INPUTS:
		return (sel & 8) ? SPICE_MSGC_INPUTS_MOUSE_MOTION + sel % 4 :
				   SPICE_MSGC_INPUTS_KEY_DOWN + sel % 4;
	case SPICE_CHANNEL_RECORD:
		return SPICE_MSGC_RECORD_DATA + sel % 3;
	case SPICE_CHANNEL_USBREDIR:
	case SPICE_CHANNEL_PORT:
		return (sel & 8) ? SPICE_MSGC_PORT_EVENT :
				   SPICE_MSGC_SPICEVMC_DATA + sel % 2;
	default:
		return SPICE_MSGC_ACK + sel % 200;
	}
}

/* MSG: type (known or any), size, body. */
static void op_msg(struct conn *c, struct in *in)
{
	uint8_t sel = u8(in), flags = u8(in);
	uint16_t type = (flags & 1) ? u16(in) : known_type(c, sel);
	size_t len = (flags & 2) ? u16(in) : u8(in) % 32;
	struct sc_buf body;

	sc_buf_init(&body);
	take(in, &body, len, flags & 4);
	/* flags & 8: a size field that is not the body's. */
	msg_header(c, type, (flags & 8) ? u32(in) : (uint32_t)body.len,
		   flags & 16);
	sc_buf_put(&c->pend, body.data, body.len);
	sc_buf_free(&body);
}

/* AGENT: one VD agent message, split over AGENT_DATA chunks. */
static void op_agent(struct conn *c, struct in *in)
{
	uint8_t flags = u8(in);
	uint32_t type = (flags & 1) ? u32(in) : 1 + u8(in) % 16;
	size_t chunk = 1 + (u8(in) % 16) * 128, off;
	struct sc_buf m, body;

	sc_buf_init(&m);
	sc_buf_init(&body);
	if (type == VD_AGENT_MONITORS_CONFIG && !(flags & 2)) {
		/* count, flags and heads with any geometry */
		uint32_t i, n = u8(in) % 20;

		sc_buf_u32(&body, n);
		sc_buf_u32(&body, u8(in));
		for (i = 0; i < n; i++) {
			sc_buf_u32(&body, (flags & 4) ? u32(in) : u16(in));
			sc_buf_u32(&body, (flags & 4) ? u32(in) : u16(in));
			sc_buf_u32(&body, 32);
			sc_buf_u32(&body, u32(in));
			sc_buf_u32(&body, u32(in));
		}
	} else {
		take(in, &body, (flags & 8) ? u16(in) : u8(in), false);
	}
	sc_buf_u32(&m, (flags & 16) ? u32(in) : VD_AGENT_PROTOCOL);
	sc_buf_u32(&m, type);
	sc_buf_u64(&m, 0);
	sc_buf_u32(&m, (flags & 32) ? u32(in) : (uint32_t)body.len);
	sc_buf_put(&m, body.data, body.len);
	for (off = 0; off < m.len; off += chunk) {
		size_t n = MIN(chunk, m.len - off);

		msg_header(c, SPICE_MSGC_MAIN_AGENT_DATA, (uint32_t)n, false);
		sc_buf_put(&c->pend, m.data + off, n);
	}
	sc_buf_free(&m);
	sc_buf_free(&body);
}

/* REPEAT: the last message again, many times (pipelining). */
static void op_repeat(struct conn *c, struct in *in)
{
	size_t start = c->last_msg, len = c->pend.len - start;
	unsigned int n = 1 + u8(in) * 4u, i;

	if (!len || len > 65536)
		return;
	for (i = 0; i < n && c->pend.len + len <= (1u << 20); i++) {
		uint8_t *p = sc_buf_append(&c->pend, len);

		memcpy(p, c->pend.data + start, len);
	}
}

/* Host side ---------------------------------------------------------------------- */

/* Small first: every update is encoded, and that takes most of a run. */
static const struct { uint32_t w, h, fmt; } sizes[] = {
	{ 16, 8, SPICE_CORE_FMT_32_xRGB }, { 1, 1, SPICE_CORE_FMT_32_xRGB },
	{ 17, 9, SPICE_CORE_FMT_32_ARGB }, { MAX_W, MAX_H,
	SPICE_CORE_FMT_32_xRGB }, { 33, 7, SPICE_CORE_FMT_16_565 },
	{ 40, 30, SPICE_CORE_FMT_16_555 }, { 64, 48, SPICE_CORE_FMT_32_xRGB },
};

static void set_primary(struct run *r, unsigned int di, uint8_t sel)
{
	unsigned int i = sel % G_N_ELEMENTS(sizes);
	uint32_t w = sizes[i].w, h = sizes[i].h, fmt = sizes[i].fmt;
	bool is16 = fmt == SPICE_CORE_FMT_16_565 ||
		    fmt == SPICE_CORE_FMT_16_555;
	int32_t stride = (int32_t)(w * (is16 ? 2 : 4));
	const uint8_t *top = is16 ? (const uint8_t *)r->px16 :
				    (const uint8_t *)r->px;

	if (sel & 0x80) {	/* bottom-up */
		top += (size_t)(h - 1) * (size_t)stride;
		stride = -stride;
	}
	if (r->display[di])
		check(spice_core_display_set_primary(r->display[di], top, w,
						     h, stride, fmt) == 0);
}

static void op_host(struct run *r, struct in *in)
{
	uint8_t what = u8(in), arg = u8(in);
	SpiceCoreDisplay *d = r->display[arg & 1] ? r->display[arg & 1] :
			      r->display[0];
	unsigned int i;

	switch (what % 16) {
	case 0: {
		int32_t x = (int32_t)u32(in), y = (int32_t)u32(in);
		uint32_t w = u32(in), h = u32(in);

		if (d)
			spice_core_display_damage(d, x, y, w, h);
		break;
	}
	case 1:
		set_primary(r, arg & 1, u8(in));
		break;
	case 2:
		if (d)
			spice_core_display_clear_primary(d);
		break;
	case 3: {
		uint16_t w = 1 + u8(in) % 32, h = 1 + u8(in) % 32;

		if (d)
			spice_core_display_cursor_set(d, r->cursor, w, h,
						      u8(in) % w, u8(in) % h);
		break;
	}
	case 4:
		if (d)
			spice_core_display_cursor_move(d, (int32_t)u32(in),
						       (int32_t)u32(in));
		break;
	case 5:
		if (d)
			spice_core_display_cursor_hide(d);
		break;
	case 6: {
		struct spice_core_head h[SC_MAX_HEADS + 1];
		unsigned int n = u8(in) % (SC_MAX_HEADS + 2);

		for (i = 0; i < n && i <= SC_MAX_HEADS; i++) {
			h[i].x = (int32_t)u32(in);
			h[i].y = (int32_t)u32(in);
			h[i].width = u16(in);
			h[i].height = u16(in);
		}
		if (d)
			spice_core_display_set_monitors(d, h, n);
		break;
	}
	case 7:
		spice_core_set_mouse_absolute(r->core, arg & 2);
		break;
	case 8:
		spice_core_set_key_leds(r->core, u8(in));
		break;
	case 9:
		if (arg & 2)
			spice_core_expire_ticket(r->core);
		else
			spice_core_set_ticket(r->core, (arg & 4) ? "" :
					      PASSWORD, 0);
		break;
	case 10:
		spice_core_disconnect_clients(r->core);
		break;
	case 15:	/* client migration: begin, switch, cancel */
		if ((arg & 3) == 0) {
			const char *why;

			spice_core_migrate_target(r->core, "127.0.0.1", 5930,
						  0, NULL, &why);
			spice_core_migrate_begin(r->core);
		} else if ((arg & 3) == 1) {
			spice_core_migrate_switch(r->core);
		} else {
			spice_core_migrate_cancel(r->core);
		}
		break;
	case 11:	/* a display source goes, and maybe comes back */
		if (r->display[arg & 1]) {
			spice_core_display_remove(r->display[arg & 1]);
			r->display[arg & 1] = NULL;
		} else {
			char addr[SPICE_CORE_DEVICE_ADDRESS_MAX + 8];
			size_t len = u8(in) * 2u % sizeof(addr);
			unsigned int n = u8(in) % (SC_MAX_HEADS + 2);
			int rc;

			r->display[arg & 1] =
				spice_core_display_add(r->core, arg & 1);
			set_primary(r, arg & 1, u8(in));
			/* and maybe a device info, too long or too many */
			memset(addr, 'a' + n, len);
			addr[len] = '\0';
			rc = spice_core_display_set_device_info(
				r->display[arg & 1], (arg & 2) ? addr : NULL,
				u8(in), n);
			check((rc == 0) == (n <= SC_MAX_HEADS &&
					    (!(arg & 2) || len <
					     SPICE_CORE_DEVICE_ADDRESS_MAX)));
		}
		break;
	case 13: {	/* the guest's agent: opens, closes, takes, writes */
		uint8_t buf[8 + 255];
		size_t n = 0, took;

		if (!r->agent_open) {
			check(spice_core_agent_open(r->core, &agent_ops,
						    r) == 0);
			r->agent_open = true;
			r->agent_take = u8(in) * 64u;
		} else if (arg & 2) {
			spice_core_agent_close(r->core);
			r->agent_open = false;
		} else if (arg & 4) {
			r->agent_take = u8(in) * 64u;
			spice_core_agent_wakeup(r->core);
		} else {
			uint8_t len = u8(in);

			if (arg & 8) {	/* a well-formed chunk header */
				sc_put_u32(buf, 1 + (arg >> 4 & 1));
				sc_put_u32(buf + 4, len);
				n = 8;
			}
			for (i = 0; i < len && in->n; i++)
				buf[n++] = u8(in);
			took = spice_core_agent_read(r->core, buf, n);
			check(took <= n);
		}
		break;
	}
	case 14: {	/* a pass-through device (arg bit 0: which) */
		struct fuzz_vmc *v = &r->vmc[arg & 1];
		uint8_t buf[255];
		uint8_t len;
		size_t took;

		switch (arg >> 1 & 3) {
		case 0:		/* the guest writes */
			len = u8(in);
			for (i = 0; i < len && in->n; i++)
				buf[i] = u8(in);
			took = spice_core_vmc_read(v->vmc, buf, i);
			check(took <= i);
			check(v->client || took == 0);
			break;
		case 1:		/* the guest takes more */
			v->take = u8(in) * 256u;
			spice_core_vmc_wakeup(v->vmc);
			break;
		case 2:		/* the port opens or closes */
			spice_core_vmc_port_opened(v->vmc, arg & 8);
			break;
		default:	/* the device goes and comes back */
			spice_core_vmc_remove(v->vmc);
			vmc_add(r, arg & 1);
			break;
		}
		break;
	}
	default:
		if (arg & 0x80) {
			/* A copy, mostly inside the display (the rest is
			 * refused and becomes damage). */
			int32_t x = u8(in) % (MAX_W + 8) - 4;
			int32_t y = u8(in) % (MAX_H + 8) - 4;
			uint32_t w = u8(in) % (MAX_W + 8);
			uint32_t h = u8(in) % (MAX_H + 8);
			int32_t sx = u8(in) % (MAX_W + 8) - 4;
			int32_t sy = u8(in) % (MAX_H + 8) - 4;

			if (d)
				spice_core_display_copy(d, x, y, w, h, sx, sy);
			break;
		}
		/* new pixels, damaged whole */
		for (i = 0; i < G_N_ELEMENTS(r->px); i++) {
			r->px[i] = i * 2654435761u + arg;
			r->px16[i] = (uint16_t)(r->px[i] >> 7);
		}
		for (i = 0; i < G_N_ELEMENTS(r->cursor); i++)
			r->cursor[i] = r->px[i];
		if (r->core->model.audio) {	/* and new sound */
			if (arg & 0x40) {
				spice_core_playback_stop(r->core);
				spice_core_playback_start(r->core, 44100);
			}
			spice_core_playback_write(r->core,
						  (const int16_t *)r->px,
						  arg * 64u %
						  G_N_ELEMENTS(r->px));
		}
		if (d)
			spice_core_display_damage(d, 0, 0, MAX_W, MAX_H);
		break;
	}
}

/* The run -------------------------------------------------------------------------- */

static void run_init(struct run *r, uint8_t cfg_byte, uint8_t more)
{
	struct spice_core_config cfg = { 0 };
	unsigned int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < NCONN; i++)
		conn_reset(&r->c[i]);
	r->ctx = g_main_context_new();
	r->tls = cfg_byte & 1;
	cfg.context = r->ctx;
	cfg.addr = "127.0.0.1";
	cfg.port = -1;
	if (r->tls) {
		cfg.tls_port = -1;
		cfg.x509_dir = tls_dir;
		if (cfg_byte & 0x40)
			cfg.secure_channels = SPICE_CORE_SECURE_MAIN |
					      SPICE_CORE_SECURE_INPUTS;
	}
	cfg.disable_ticketing = !(cfg_byte & 2);
	cfg.max_clients = (cfg_byte & 4) ? 1 + more % 3 : 0;
	r->max_clients = cfg.max_clients ? cfg.max_clients :
			 SC_DEFAULT_MAX_CLIENTS;
	cfg.exclusive = cfg_byte & 8;
	cfg.image_compression = (cfg_byte & 0x10) ?
				SPICE_CORE_COMPRESSION_OFF :
				SPICE_CORE_COMPRESSION_AUTO;
	cfg.name = (cfg_byte & 0x80) ? "fuzz" : NULL;
	cfg.audio = more & 0x40;
	/* seamless client migration with clients that offer it */
	cfg.seamless_migration = more & 0x20;
	cfg.ops = &ops;
	cfg.opaque = r;
	r->core = spice_core_new(&cfg, NULL);
	check(r->core);
	if (cfg_byte & 2)
		spice_core_set_ticket(r->core, PASSWORD, 0);
	for (i = 0; i < 2; i++) {
		if (i == 1 && !(cfg_byte & 0x20))
			break;
		r->display[i] = spice_core_display_add(r->core, i);
		set_primary(r, i, (uint8_t)(more >> (4 * i)));
		/* what a guest agent announcing graphics device info gets */
		check(spice_core_display_set_device_info(r->display[i],
			i ? "pci/0000/1e.0/03.0" : "pci/0000/02.0", 0,
			1 + i) == 0);
	}
	spice_core_set_mouse_absolute(r->core, more & 0x80);
	vmc_add(r, 0);
	vmc_add(r, 1);
	if (cfg.audio) {
		spice_core_playback_start(r->core, 48000);
		spice_core_record_start(r->core, 48000);
	}
	pump(r, 8);
}

/* Loopback delivers a close or a reply at once on an idle machine, but on a
 * loaded one the kernel may hand the packet on a little later: waits for
 * what must come are bounded by time, not by a count of idle turns. */
#define SETTLE_US	(10 * G_USEC_PER_SEC)

static bool past(gint64 deadline)
{
	if (g_get_monotonic_time() >= deadline)
		return true;
	g_usleep(1000);
	return false;
}

static unsigned int server_connections(struct run *r)
{
	struct sc_net_stats st;

	sc_net_get_stats(&r->core->net, &st);
	return st.connections;
}

/* Not wedged: once every client has gone so has every connection, and a
 * new client's link is answered. */
static void check_alive(struct run *r)
{
	static const uint8_t zeros[8];
	struct in in = { zeros, sizeof(zeros) };
	struct conn *c = &r->c[0];
	gint64 deadline = g_get_monotonic_time() + SETTLE_US;

	while (server_connections(r) && !past(deadline))
		pump(r, 16);
	check(server_connections(r) == 0);
	conn_reset(c);		/* bytes left pending by a conn never opened */
	conn_open(r, c, false, 0);
	if (c->fd < 0)
		return;
	op_link(r, c, &in);	/* main, no session, no caps */
	conn_flush(r, c);
	deadline = g_get_monotonic_time() + SETTLE_US;
	for (;;) {
		pump(r, 4);
		conn_read(c);
		if (c->got.len >= 16 || c->hup || past(deadline))
			break;
	}
	check(c->got.len >= 16 && !memcmp(c->got.data, "REDQ", 4));
	conn_close(c, true);
	pump(r, 16);
}

static void run_fini(struct run *r)
{
	unsigned int i;

	for (i = 0; i < NCONN; i++)
		conn_close(&r->c[i], true);
	pump(r, 64);
	check_server(r);
	check_alive(r);
	spice_core_free(r->core);
	g_main_context_unref(r->ctx);
	for (i = 0; i < NCONN; i++)
		conn_reset(&r->c[i]);
	ERR_clear_error();
}

enum op {
	OP_OPEN, OP_OPEN_TLS, OP_LINK, OP_AUTH, OP_MSG, OP_AGENT, OP_RAW,
	OP_REPEAT, OP_FLUSH, OP_HALF_CLOSE, OP_RST, OP_CLOSE, OP_DRAIN,
	OP_PUMP, OP_HOST, OP_SESSION,
};

/* SESSION: open, link as a channel and authenticate in one go, so that
 * short inputs reach the channels. */
static void op_session(struct run *r, struct conn *c, struct in *in)
{
	uint8_t sel = u8(in);

	conn_open(r, c, sel & 1, sel >> 1);
	if (c->fd < 0)
		return;
	op_link(r, c, in);
	op_auth(r, c, in);
	conn_flush(r, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run run;
	struct run *r = &run;
	struct in in = { data, size };
	unsigned int steps = 0;
	uint8_t cfg_byte = u8(&in), more = u8(&in);

	run_init(r, cfg_byte, more);
	while (in.n && steps++ < 256) {
		uint8_t op = u8(&in);
		struct conn *c = &r->c[((op >> 4) & 7) % NCONN];
		unsigned int i;

		switch (op & 15) {
		case OP_OPEN:
			conn_open(r, c, false, u8(&in));
			break;
		case OP_OPEN_TLS:
			conn_open(r, c, true, u8(&in));
			break;
		case OP_LINK:
			op_link(r, c, &in);
			break;
		case OP_AUTH:
			op_auth(r, c, &in);
			break;
		case OP_MSG:
			op_msg(c, &in);
			break;
		case OP_AGENT:
			op_agent(c, &in);
			break;
		case OP_RAW: {	/* on the wire now, under any framing */
			struct sc_buf b;

			sc_buf_init(&b);
			take(&in, &b, u8(&in), false);
			conn_write(r, c, &b);
			sc_buf_free(&b);
			break;
		}
		case OP_REPEAT:
			op_repeat(c, &in);
			break;
		case OP_FLUSH:
			conn_flush(r, c);
			break;
		case OP_HALF_CLOSE:
			if (c->fd >= 0) {
				if (c->ssl && !c->hup)
					SSL_shutdown(c->ssl);
				shutdown(c->fd, SHUT_WR);
			}
			break;
		case OP_RST:
			conn_close(c, true);
			break;
		case OP_CLOSE:
			conn_close(c, false);
			break;
		case OP_DRAIN:
			c->drain = !c->drain;
			break;
		case OP_PUMP:
			pump(r, 1 + u8(&in) % 32);
			break;
		case OP_HOST:
			op_host(r, &in);
			break;
		case OP_SESSION:
			op_session(r, c, &in);
			break;
		}
		/* Between steps the server runs a little and the clients
		 * that read, read. */
		if (op & 0x80)
			continue;
		pump(r, 4);
		for (i = 0; i < NCONN; i++)
			if (r->c[i].drain)
				conn_read(&r->c[i]);
		check_server(r);
	}
	run_fini(r);
	return 0;
}
