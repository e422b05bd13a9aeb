// SPDX-License-Identifier: MIT
/* Listening sockets: bind, accept (bounded by SC_MAX_CONNS and what the
 * layer above admits), a stream per client; the net's counters. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <openssl/ssl.h>

#include "net/net.h"

void sc_net_init(struct sc_net *net, GMainContext *ctx,
		 const struct sc_net_ops *ops, void *opaque)
{
	unsigned int i;

	net->ctx = ctx;
	net->ops = ops;
	net->opaque = opaque;
	for (i = 0; i < G_N_ELEMENTS(net->listener); i++) {
		net->listener[i].net = net;
		net->listener[i].tls = i == 1;
		net->listener[i].fd = -1;
	}
	g_queue_init(&net->dead);
	g_mutex_init(&net->lock);
}

static void accept_ready(void *data, GIOCondition cond)
{
	struct sc_listener *l = data;
	struct sc_net *net = l->net;
	int i;

	(void)cond;
	for (i = 0; i < 16; i++) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		char host[NI_MAXHOST] = "?", serv[NI_MAXSERV] = "?";
		char peer[NI_MAXHOST + NI_MAXSERV + 8];
		const char *why = "too many connections";
		unsigned int open;
		SSL *ssl = NULL;
		int fd = accept4(l->fd, (struct sockaddr *)&sa, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (l->path) {	/* no address: session.c knows "unix" */
			snprintf(peer, sizeof(peer), "unix");
		} else {
			getnameinfo((struct sockaddr *)&sa, len, host,
				    sizeof(host), serv, sizeof(serv),
				    NI_NUMERICHOST | NI_NUMERICSERV);
			snprintf(peer, sizeof(peer), "%s:%s%s", host, serv,
				 l->tls ? "/tls" : "");
		}
		g_mutex_lock(&net->lock);
		open = net->stats.connections;
		g_mutex_unlock(&net->lock);
		if (open >= SC_MAX_CONNS ||
		    !net->ops->admit(net->opaque, &why)) {
			g_message("%s: refused: %s", peer, why);
			close(fd);
			continue;
		}
		if (l->tls && !(ssl = sc_tls_session_new(net->tls, fd))) {
			g_message("%s: refused: cannot start TLS: %s", peer,
				  sc_tls_error());
			close(fd);
			continue;
		}
		net->ops->accepted(net->opaque,
				   sc_stream_new(net, fd, ssl, peer));
	}
}

int sc_net_listen(struct sc_net *net, bool tls, const char *addr, int port,
		  GError **err)
{
	struct sc_listener *l = &net->listener[tls];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL, *a;
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char serv[16], bound[NI_MAXSERV];
	int fd = -1, rc, saved = 0;
	gpointer tag;

	snprintf(serv, sizeof(serv), "%d", port < 0 ? 0 : port);
	rc = getaddrinfo(addr, serv, &hints, &ai);
	if (rc) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "bad listen address '%s': %s", addr,
			    gai_strerror(rc));
		return -1;
	}
	for (a = ai; a; a = a->ai_next) {
		int one = 1;

		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 &&
		    listen(fd, 64) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0) {
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "cannot listen on %s port %s: %s", addr, serv,
			    saved == EADDRINUSE ? "port in use" :
			    g_strerror(saved));
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&sa, &len);
	getnameinfo((struct sockaddr *)&sa, len, NULL, 0, bound, sizeof(bound),
		    NI_NUMERICSERV);
	l->port = atoi(bound);
	l->fd = fd;
	l->src = sc_fd_source_new(net->ctx, fd, G_IO_IN, accept_ready, l, &tag);
	return 0;
}

int sc_net_listen_unix(struct sc_net *net, const char *path, GError **err)
{
	struct sc_listener *l = &net->listener[2];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	gpointer tag;
	int fd, saved;

	if (!path || !*path || strlen(path) >= sizeof(sun.sun_path)) {
		g_set_error(err, SC_ERROR, SC_ERR_INVALID,
			    "unix socket path '%s': empty or too long (%zu max)",
			    path ? path : "", sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	/* A socket left by an earlier run is ours to replace; a file of
	 * another kind is not. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 64) < 0) {
		saved = errno;
		if (fd >= 0)
			close(fd);
		g_set_error(err, SC_ERROR, SC_ERR_FAILED,
			    "cannot listen on unix socket %s: %s", path,
			    g_strerror(saved));
		return -1;
	}
	l->fd = fd;
	l->path = g_strdup(path);
	l->src = sc_fd_source_new(net->ctx, fd, G_IO_IN, accept_ready, l, &tag);
	return 0;
}

int sc_net_adopt(struct sc_net *net, int fd, bool tls, bool skip_auth,
		 const char **why)
{
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	char peer[NI_MAXHOST + NI_MAXSERV + 8] = "unix";
	unsigned int open;
	struct sc_stream *st;
	SSL *ssl = NULL;
	int flags;

	*why = "too many connections";
	g_mutex_lock(&net->lock);
	open = net->stats.connections;
	g_mutex_unlock(&net->lock);
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		*why = "not a usable file descriptor";
		goto fail;
	}
	if (open >= SC_MAX_CONNS || !net->ops->admit(net->opaque, why))
		goto fail;
	if (tls && !net->tls) {
		*why = "TLS client, but no TLS port (no certificate)";
		goto fail;
	}
	if (tls) {
		ssl = sc_tls_session_new(net->tls, fd);
		if (!ssl) {
			*why = "cannot start TLS";
			goto fail;
		}
	}
	/* The peer as for accepted sockets; "unix" when it has no address. */
	if (getpeername(fd, (struct sockaddr *)&sa, &len) == 0 &&
	    (sa.ss_family == AF_INET || sa.ss_family == AF_INET6) &&
	    getnameinfo((struct sockaddr *)&sa, len, host, sizeof(host),
			serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		snprintf(peer, sizeof(peer), "%s:%s%s", host, serv,
			 tls ? "/tls" : "");
	st = sc_stream_new(net, fd, ssl, peer);
	st->skip_auth = skip_auth;
	net->ops->accepted(net->opaque, st);
	return 0;

fail:
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags);	/* the caller's again */
	return -1;
}

void sc_net_get_stats(struct sc_net *net, struct sc_net_stats *out)
{
	g_mutex_lock(&net->lock);
	*out = net->stats;
	g_mutex_unlock(&net->lock);
}

void sc_net_fini(struct sc_net *net)
{
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(net->listener); i++) {
		sc_source_drop(&net->listener[i].src);
		if (net->listener[i].fd >= 0)
			close(net->listener[i].fd);
		net->listener[i].fd = -1;
		if (net->listener[i].path)
			unlink(net->listener[i].path);
		g_free(net->listener[i].path);
		net->listener[i].path = NULL;
	}
	sc_net_reap(net);
	if (net->tls)
		SSL_CTX_free(net->tls);
	net->tls = NULL;
	g_free(net->web_root);
	net->web_root = NULL;
	g_mutex_clear(&net->lock);
}
