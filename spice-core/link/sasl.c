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
 * client's bytes is in demarshal.c (sc_parse_sasl_*).
 */
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>

#include "internal.h"

#ifndef CONFIG_SPICE_SASL
bool sc_sasl_available(SpiceCore *core)
{
	(void)core;
	return false;
}

int sc_sasl_start(struct sc_conn *c)
{
	(void)c;
	return -1;
}

bool sc_sasl_input(struct sc_conn *c)
{
	(void)c;
	return false;
}

int sc_sasl_encode(struct sc_conn *c, const uint8_t *p, size_t n,
		   size_t *used)
{
	(void)c;
	(void)p;
	(void)n;
	*used = 0;
	return -1;
}

int sc_sasl_decode(struct sc_conn *c, const uint8_t *p, size_t n)
{
	(void)c;
	(void)p;
	(void)n;
	return -1;
}

void sc_sasl_channel_started(struct sc_conn *c)
{
	(void)c;
}

void sc_sasl_free(struct sc_conn *c)
{
	sc_buf_free(&c->ssf_out);
}

#else /* CONFIG_SPICE_SASL */

#include <sasl/sasl.h>
#include <openssl/ssl.h>

#define SC_SASL_MIN_SSF		56	/* what spice-gtk demands without TLS */
#define SC_SASL_MAXBUF		8192	/* largest security-layer packet */

enum sasl_step {
	SC_SASL_WANT_MECHLEN,
	SC_SASL_WANT_MECHNAME,
	SC_SASL_WANT_DATALEN,
	SC_SASL_WANT_DATA,
};

struct sc_sasl {
	sasl_conn_t *conn;
	char *mechlist;			/* ",A,B," */
	char mech[SC_SASL_MECH_MAX + 1];
	bool started;			/* sasl_server_start done */
	enum sasl_step step;
	unsigned int rounds;
	bool want_ssf;			/* plain TCP: needs a security layer */
	unsigned int maxout;		/* plain bytes per encoded packet */
	unsigned int pings;		/* wake-up PINGs sent */
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
bool sc_sasl_available(SpiceCore *core)
{
	static gsize once;
	static int result;

	if (g_once_init_enter(&once)) {
		result = sasl_server_init(sasl_global_cbs,
					  core->cfg.sasl_appname ?
					  core->cfg.sasl_appname : "spice");
		if (result != SASL_OK)
			g_message("SASL unavailable: sasl_server_init: %s",
				  sasl_errstring(result, NULL, NULL));
		g_once_init_leave(&once, 1);
	}
	return result == SASL_OK;
}

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

static void put_u32(struct sc_conn *c, uint32_t v)
{
	sc_buf_u32(&c->out, v);
}

int sc_sasl_start(struct sc_conn *c)
{
	struct sc_sasl *s = g_new0(struct sc_sasl, 1);
	sasl_security_properties_t sp = { 0 };
	char *laddr = addr_string(c->fd, true);
	char *raddr = addr_string(c->fd, false);
	const char *list = NULL;
	unsigned int listlen = 0;
	int err;

	c->sasl = s;
	err = sasl_server_new("spice", NULL, NULL, laddr, raddr, NULL,
			      SASL_SUCCESS_DATA, &s->conn);
	g_free(laddr);
	g_free(raddr);
	if (err != SASL_OK) {
		g_message("%s: sasl_server_new: %s", c->peer,
			  sasl_errstring(err, NULL, NULL));
		s->conn = NULL;
		return -1;
	}
	if (c->ssl) {
		sasl_ssf_t ext = (sasl_ssf_t)SSL_get_cipher_bits(c->ssl, NULL);

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
	put_u32(c, listlen);
	sc_buf_put(&c->out, list, listlen);
	c->state = SC_ST_SASL;
	s->step = SC_SASL_WANT_MECHLEN;
	c->need = 4;
	return 0;
fail:
	g_message("%s: SASL setup: %s", c->peer,
		  err == SASL_OK ? "no usable mechanism" :
		  sasl_errdetail(s->conn));
	return -1;
}

/* Reply to a start or step: u32 length, data + NUL, u8 complete. */
static void send_reply(struct sc_conn *c, const char *out, unsigned int len,
		       bool complete)
{
	if (out && len) {
		put_u32(c, len + 1);
		sc_buf_put(&c->out, out, len);
		sc_buf_u8(&c->out, 0);
	} else {
		put_u32(c, 0);
	}
	sc_buf_u8(&c->out, complete ? 1 : 0);
}

static bool ssf_ok(struct sc_conn *c, const char **why)
{
	struct sc_sasl *s = c->sasl;
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

/* SASL said OK (the u32 just queued goes in plain text).  With a security
 * layer, everything after it is encoded both ways: spice-gtk turns its
 * layer on once it has read that u32, before the link result. */
static void start_layer(struct sc_conn *c)
{
	struct sc_sasl *s = c->sasl;
	size_t rest;

	if (!s->want_ssf)
		return;
	c->ssf = true;
	c->ssf_plain = sc_conn_queued(c);
	/* Bytes the client sent after its last step are already layered. */
	rest = sc_in_len(c);
	if (rest) {
		uint8_t *tmp = g_memdup2(sc_in_data(c), rest);

		c->in.len = c->in_off;
		if (sc_sasl_decode(c, tmp, rest) < 0)
			sc_conn_close(c, "SASL: cannot decode the first data");
		g_free(tmp);
	}
}

/* Run sasl_server_start / _step on the client's data (len counts the NUL
 * the client appends; its value is not trusted). */
static void run_step(struct sc_conn *c, const uint8_t *p, uint32_t len)
{
	struct sc_sasl *s = c->sasl;
	const char *out = NULL;
	unsigned int outlen = 0;
	char *data = NULL;
	const char *why = NULL;
	int err;

	if (++s->rounds > SC_SASL_MAX_STEPS) {
		sc_conn_close(c, "SASL: more than %d steps", SC_SASL_MAX_STEPS);
		return;
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
		sc_link_finish_auth(c, false, sasl_errdetail(s->conn));
		return;
	}
	if (outlen > SC_SASL_DATA_MAX) {
		sc_link_finish_auth(c, false, "SASL reply too long");
		return;
	}
	send_reply(c, out, outlen, err == SASL_OK);
	if (err == SASL_CONTINUE) {
		s->step = SC_SASL_WANT_DATALEN;
		c->need = 4;
		return;
	}
	if (!ssf_ok(c, &why)) {
		sc_link_finish_auth(c, false, why);
		return;
	}
	{
		const void *user = NULL;

		if (sasl_getprop(s->conn, SASL_USERNAME, &user) == SASL_OK &&
		    user) {
			char *u = g_strescape(user, NULL);

			g_message("%s: SASL %s: authenticated '%s'%s", c->peer,
				  s->mech, u,
				  s->want_ssf ? " with a security layer" : "");
			g_free(u);
		}
	}
	put_u32(c, SPICE_LINK_ERR_OK);
	start_layer(c);
	if (c->state != SC_ST_DEAD)
		sc_link_finish_auth(c, true, NULL);
}

bool sc_sasl_input(struct sc_conn *c)
{
	struct sc_sasl *s = c->sasl;
	const uint8_t *p = sc_in_data(c);
	size_t need = c->need;
	const char *why = NULL;
	uint32_t len;

	if (!s || sc_in_len(c) < need)
		return false;
	switch (s->step) {
	case SC_SASL_WANT_MECHLEN:
		if (sc_parse_sasl_mechlen(p, &len, &why) < 0)
			goto bad;
		s->step = SC_SASL_WANT_MECHNAME;
		c->need = len;
		break;
	case SC_SASL_WANT_MECHNAME:
		if (sc_parse_sasl_mechname(p, need, s->mechlist, s->mech,
					   &why) < 0)
			goto bad;
		s->step = SC_SASL_WANT_DATALEN;
		c->need = 4;
		break;
	case SC_SASL_WANT_DATALEN:
		if (sc_parse_sasl_datalen(p, &len, &why) < 0)
			goto bad;
		sc_in_consume(c, need);
		if (len == 0) {
			run_step(c, NULL, 0);
			return c->state != SC_ST_DEAD;
		}
		s->step = SC_SASL_WANT_DATA;
		c->need = len;
		return true;
	case SC_SASL_WANT_DATA:
		sc_in_consume(c, need);
		run_step(c, p, (uint32_t)need);
		return c->state != SC_ST_DEAD;
	}
	sc_in_consume(c, need);
	return true;
bad:
	sc_conn_close(c, "SASL: %s", why);
	return false;
}

int sc_sasl_encode(struct sc_conn *c, const uint8_t *p, size_t n,
		   size_t *used)
{
	struct sc_sasl *s = c->sasl;
	const char *out = NULL;
	unsigned int outlen = 0;
	size_t take = MIN(n, (size_t)s->maxout);

	*used = 0;
	if (sasl_encode(s->conn, (const char *)p, (unsigned int)take, &out,
			&outlen) != SASL_OK)
		return -1;
	sc_buf_put(&c->ssf_out, out, outlen);
	*used = take;
	return 0;
}

int sc_sasl_decode(struct sc_conn *c, const uint8_t *p, size_t n)
{
	struct sc_sasl *s = c->sasl;
	const char *out = NULL;
	unsigned int outlen = 0;

	if (n > SC_SASL_READ_CHUNK)
		return -1;
	if (sasl_decode(s->conn, (const char *)p, (unsigned int)n, &out,
			&outlen) != SASL_OK)
		return -1;
	sc_buf_put(&c->in, out, outlen);
	return 0;
}

/*
 * spice-gtk reads the link result through its layer with one read of up to
 * 8 KiB, then waits for the socket to become readable before it looks at
 * what it decoded.  If the channel's first packets arrived together with
 * the result they sit decoded but unseen until more bytes come.  Those
 * bytes are a few PINGs (harmless: the client answers PONG) sent after
 * the channel started, each in a packet of its own.
 */
static const unsigned int wake_ms[] = { 20, 200, 1000 };

static gboolean wake_ping(gpointer data)
{
	struct sc_conn *c = data;
	struct sc_sasl *s = c->sasl;
	struct sc_buf *b;

	if (c->state != SC_ST_DATA)
		return G_SOURCE_REMOVE;
	b = sc_msg_begin(c, SPICE_MSG_PING);
	sc_buf_u32(b, ++s->pings);
	sc_buf_u64(b, (uint64_t)g_get_monotonic_time());
	sc_msg_end(c);
	sc_conn_flush(c);
	if (c->state != SC_ST_DATA)
		return G_SOURCE_REMOVE;
	g_source_unref(c->timeout);
	c->timeout = NULL;
	if (s->pings < G_N_ELEMENTS(wake_ms))
		sc_sasl_channel_started(c);
	return G_SOURCE_REMOVE;
}

void sc_sasl_channel_started(struct sc_conn *c)
{
	struct sc_sasl *s = c->sasl;

	if (!s || !c->ssf || c->timeout || s->pings >= G_N_ELEMENTS(wake_ms))
		return;
	c->timeout = g_timeout_source_new(wake_ms[s->pings]);
	g_source_set_callback(c->timeout, wake_ping, c, NULL);
	g_source_attach(c->timeout, c->core->ctx);
}

void sc_sasl_free(struct sc_conn *c)
{
	struct sc_sasl *s = c->sasl;

	sc_buf_free(&c->ssf_out);
	if (!s)
		return;
	if (s->conn)
		sasl_dispose(&s->conn);
	g_free(s->mechlist);
	g_free(s);
	c->sasl = NULL;
}

#endif /* CONFIG_SPICE_SASL */
