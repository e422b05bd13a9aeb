// SPDX-License-Identifier: MIT
/*
 * SASL authentication through cyrus libsasl2 (CONFIG_SPICE_SASL), as
 * spice-gtk speaks it after choosing SPICE_COMMON_CAP_AUTH_SASL:
 *
 *   server: u32 length, mechanism list ",A,B," (no NUL)
 *   client: u32 length (1..100), mechanism name
 *   client: u32 length (0, or data length + 1), data and a NUL
 *   server: u32 length (0, or data length + 1), data and a NUL,
 *           u8 complete
 *   ... client step / server reply until complete ...
 *   server: u32 link result
 *
 * On plain TCP the negotiated mechanism must give a security layer
 * (SSF >= 56) and every byte after the link result goes through it; on
 * TLS the TLS layer counts and SASL only authenticates.  Parsing of the
 * client's bytes is in wire/demarshal.c (sc_parse_sasl_*); the security
 * layer is a filter on the stream (struct sc_stream_filter).
 */
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>
#include <spice/protocol.h>

#include "link/link.h"
#include "link/sasl.h"

#ifndef CONFIG_SPICE_SASL
bool sc_sasl_available(const char *appname)
{
	(void)appname;
	return false;
}

struct sc_sasl *sc_sasl_new(struct sc_stream *st)
{
	(void)st;
	return NULL;
}

enum sc_sasl_result sc_sasl_input(struct sc_sasl *s, const char **why)
{
	(void)s;
	*why = "SASL not built in";
	return SC_SASL_DENIED;
}

void sc_sasl_free(struct sc_sasl *s)
{
	(void)s;
}

#else /* CONFIG_SPICE_SASL */

#include <sasl/sasl.h>

#define SC_SASL_MIN_SSF		56	/* what spice-gtk demands without TLS */
#define SC_SASL_MAXBUF		8192	/* largest security-layer packet */

enum sasl_step {
	SC_SASL_WANT_MECHLEN,
	SC_SASL_WANT_MECHNAME,
	SC_SASL_WANT_DATALEN,
	SC_SASL_WANT_DATA,
};

struct sc_sasl {
	struct sc_stream *st;
	sasl_conn_t *conn;
	char *mechlist;			/* ",A,B," */
	char mech[SC_SASL_MECH_MAX + 1];
	bool started;			/* sasl_server_start done */
	enum sasl_step step;
	size_t need;			/* bytes that complete this step */
	unsigned int rounds;
	bool want_ssf;			/* plain TCP: needs a security layer */
	unsigned int maxout;		/* plain bytes per encoded packet */
};

static int sasl_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= SASL_LOG_WARN)
		g_message("libsasl2: %s", msg);
	else
		g_debug("libsasl2: %s", msg);
	return SASL_OK;
}

static const sasl_callback_t sasl_global_cbs[] = {
	{ SASL_CB_LOG, (int (*)(void))(void (*)(void))sasl_log, NULL },
	{ SASL_CB_LIST_END, NULL, NULL },
};

/* libsasl2's server side is set up once per process, under the first
 * server's application name (it names the config file, e.g. spice.conf,
 * looked up in SASL_CONF_PATH). */
bool sc_sasl_available(const char *appname)
{
	static gsize once;
	static int result;

	if (g_once_init_enter(&once)) {
		result = sasl_server_init(sasl_global_cbs,
					  appname ? appname : "spice");
		if (result != SASL_OK)
			g_message("SASL unavailable: sasl_server_init: %s",
				  sasl_errstring(result, NULL, NULL));
		g_once_init_leave(&once, 1);
	}
	return result == SASL_OK;
}

/* The security layer, as a filter on the stream. */
static int layer_encode(void *opaque, const uint8_t *p, size_t n,
			size_t *used, struct sc_buf *out)
{
	struct sc_sasl *s = opaque;
	const char *enc = NULL;
	unsigned int len = 0;
	size_t take = MIN(n, (size_t)s->maxout);

	*used = 0;
	if (sasl_encode(s->conn, (const char *)p, (unsigned int)take, &enc,
			&len) != SASL_OK)
		return -1;
	sc_buf_put(out, enc, len);
	*used = take;
	return 0;
}

static int layer_decode(void *opaque, const uint8_t *p, size_t n,
			struct sc_buf *in)
{
	struct sc_sasl *s = opaque;
	const char *dec = NULL;
	unsigned int len = 0;

	if (n > SC_FILTER_READ_CHUNK)
		return -1;
	if (sasl_decode(s->conn, (const char *)p, (unsigned int)n, &dec,
			&len) != SASL_OK)
		return -1;
	sc_buf_put(in, dec, len);
	return 0;
}

static const struct sc_stream_filter layer = {
	.encode = layer_encode,
	.decode = layer_decode,
};

/* "host;port" as libsasl2 wants it, or NULL. */
static char *addr_string(int fd, bool local)
{
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	int rc = local ? getsockname(fd, (struct sockaddr *)&sa, &len) :
			 getpeername(fd, (struct sockaddr *)&sa, &len);

	if (rc < 0 || (sa.ss_family != AF_INET && sa.ss_family != AF_INET6))
		return NULL;
	if (getnameinfo((struct sockaddr *)&sa, len, host, sizeof(host), serv,
			sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV))
		return NULL;
	return g_strdup_printf("%s;%s", host, serv);
}

static void expect(struct sc_sasl *s, enum sasl_step step, size_t need)
{
	s->step = step;
	s->need = need;
}

struct sc_sasl *sc_sasl_new(struct sc_stream *st)
{
	struct sc_sasl *s = g_new0(struct sc_sasl, 1);
	sasl_security_properties_t sp = { 0 };
	char *laddr = addr_string(st->fd, true);
	char *raddr = addr_string(st->fd, false);
	const char *list = NULL;
	unsigned int listlen = 0;
	int err;

	s->st = st;
	err = sasl_server_new("spice", NULL, NULL, laddr, raddr, NULL,
			      SASL_SUCCESS_DATA, &s->conn);
	g_free(laddr);
	g_free(raddr);
	if (err != SASL_OK) {
		g_message("%s: sasl_server_new: %s", st->peer,
			  sasl_errstring(err, NULL, NULL));
		s->conn = NULL;
		sc_sasl_free(s);
		return NULL;
	}
	if (st->ssl) {
		sasl_ssf_t ext = (sasl_ssf_t)sc_stream_tls_bits(st);

		err = sasl_setprop(s->conn, SASL_SSF_EXTERNAL, &ext);
		if (err != SASL_OK)
			goto fail;
		/* TLS protects the link: any mechanism, no layer. */
		sp.min_ssf = 0;
		sp.max_ssf = 0;
		sp.security_flags = SASL_SEC_NOANONYMOUS;
	} else {
		s->want_ssf = true;
		sp.min_ssf = SC_SASL_MIN_SSF;
		sp.max_ssf = 100000;
		sp.security_flags = SASL_SEC_NOANONYMOUS |
				    SASL_SEC_NOPLAINTEXT;
	}
	sp.maxbufsize = SC_SASL_MAXBUF;
	err = sasl_setprop(s->conn, SASL_SEC_PROPS, &sp);
	if (err != SASL_OK)
		goto fail;
	err = sasl_listmech(s->conn, NULL, ",", ",", ",", &list, &listlen,
			    NULL);
	if (err != SASL_OK || !list || listlen < 3)
		goto fail;
	s->mechlist = g_strndup(list, listlen);
	sc_buf_u32(&st->out, listlen);
	sc_buf_put(&st->out, list, listlen);
	expect(s, SC_SASL_WANT_MECHLEN, 4);
	return s;
fail:
	g_message("%s: SASL setup: %s", st->peer,
		  err == SASL_OK ? "no usable mechanism" :
		  sasl_errdetail(s->conn));
	sc_sasl_free(s);
	return NULL;
}

/* Reply to a start or step: u32 length, data + NUL, u8 complete. */
static void send_reply(struct sc_sasl *s, const char *out, unsigned int len,
		       bool complete)
{
	struct sc_buf *b = &s->st->out;

	if (out && len) {
		sc_buf_u32(b, len + 1);
		sc_buf_put(b, out, len);
		sc_buf_u8(b, 0);
	} else {
		sc_buf_u32(b, 0);
	}
	sc_buf_u8(b, complete ? 1 : 0);
}

static bool ssf_ok(struct sc_sasl *s, const char **why)
{
	const void *val = NULL;
	int ssf;

	if (!s->want_ssf)
		return true;
	if (sasl_getprop(s->conn, SASL_SSF, &val) != SASL_OK || !val) {
		*why = "cannot read the negotiated SSF";
		return false;
	}
	ssf = *(const int *)val;
	if (ssf < SC_SASL_MIN_SSF) {
		*why = "mechanism gives no security layer on plain TCP";
		return false;
	}
	val = NULL;
	if (sasl_getprop(s->conn, SASL_MAXOUTBUF, &val) != SASL_OK || !val ||
	    *(const unsigned int *)val == 0) {
		*why = "no security layer buffer size";
		return false;
	}
	s->maxout = *(const unsigned int *)val;
	return true;
}

static void log_user(struct sc_sasl *s)
{
	const void *user = NULL;
	char *u;

	if (sasl_getprop(s->conn, SASL_USERNAME, &user) != SASL_OK || !user)
		return;
	u = g_strescape(user, NULL);
	g_message("%s: SASL %s: authenticated '%s'%s", s->st->peer, s->mech,
		  u, s->want_ssf ? " with a security layer" : "");
	g_free(u);
}

/* Run sasl_server_start / _step on the client's data (len counts the NUL
 * the client appends; its value is not trusted). */
static enum sc_sasl_result run_step(struct sc_sasl *s, const uint8_t *p,
				    uint32_t len, const char **why)
{
	const char *out = NULL;
	unsigned int outlen = 0;
	char *data = NULL;
	int err;

	if (++s->rounds > SC_SASL_MAX_STEPS) {
		sc_stream_close(s->st, "SASL: more than %d steps",
				SC_SASL_MAX_STEPS);
		return SC_SASL_DROPPED;
	}
	if (len) {
		data = g_malloc(len);
		memcpy(data, p, len - 1);
		data[len - 1] = '\0';
	}
	if (!s->started) {
		s->started = true;
		err = sasl_server_start(s->conn, s->mech, data,
					len ? len - 1 : 0, &out, &outlen);
	} else {
		err = sasl_server_step(s->conn, data, len ? len - 1 : 0, &out,
				       &outlen);
	}
	if (data) {
		memset(data, 0, len);
		g_free(data);
	}
	if (err != SASL_OK && err != SASL_CONTINUE) {
		/* spice-gtk waits for a reply length here; closing is the
		 * only answer it understands (it reports ERROR_AUTH). */
		*why = sasl_errdetail(s->conn);
		return SC_SASL_DENIED;
	}
	if (outlen > SC_SASL_DATA_MAX) {
		*why = "SASL reply too long";
		return SC_SASL_DENIED;
	}
	send_reply(s, out, outlen, err == SASL_OK);
	if (err == SASL_CONTINUE) {
		expect(s, SC_SASL_WANT_DATALEN, 4);
		return SC_SASL_PROGRESS;
	}
	if (!ssf_ok(s, why))
		return SC_SASL_DENIED;
	log_user(s);
	/* SASL's own result goes in plain text.  With a security layer,
	 * everything after it is encoded both ways: spice-gtk turns its
	 * layer on once it has read that u32, before the link result. */
	sc_buf_u32(&s->st->out, SPICE_LINK_ERR_OK);
	if (s->want_ssf && sc_stream_set_filter(s->st, &layer, s) < 0) {
		sc_stream_close(s->st, "SASL: cannot decode the first data");
		return SC_SASL_DROPPED;
	}
	return SC_SASL_OK;
}

enum sc_sasl_result sc_sasl_input(struct sc_sasl *s, const char **why)
{
	const uint8_t *p = sc_stream_in_data(s->st);
	size_t need = s->need;
	uint32_t len;

	if (sc_stream_in_len(s->st) < need)
		return SC_SASL_WAIT;
	switch (s->step) {
	case SC_SASL_WANT_MECHLEN:
		if (sc_parse_sasl_mechlen(p, &len, why) < 0)
			goto bad;
		expect(s, SC_SASL_WANT_MECHNAME, len);
		break;
	case SC_SASL_WANT_MECHNAME:
		if (sc_parse_sasl_mechname(p, need, s->mechlist, s->mech,
					   why) < 0)
			goto bad;
		expect(s, SC_SASL_WANT_DATALEN, 4);
		break;
	case SC_SASL_WANT_DATALEN:
		if (sc_parse_sasl_datalen(p, &len, why) < 0)
			goto bad;
		if (len) {
			expect(s, SC_SASL_WANT_DATA, len);
			break;
		}
		sc_stream_consume(s->st, need);
		return run_step(s, NULL, 0, why);
	case SC_SASL_WANT_DATA:
		sc_stream_consume(s->st, need);
		return run_step(s, p, (uint32_t)need, why);
	}
	sc_stream_consume(s->st, need);
	return SC_SASL_PROGRESS;
bad:
	sc_stream_close(s->st, "SASL: %s", *why);
	return SC_SASL_DROPPED;
}

void sc_sasl_free(struct sc_sasl *s)
{
	if (!s)
		return;
	if (s->conn)
		sasl_dispose(&s->conn);
	g_free(s->mechlist);
	g_free(s);
}

#endif /* CONFIG_SPICE_SASL */
