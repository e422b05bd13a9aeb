// SPDX-License-Identifier: MIT
/* spice-serve --vmc: an echoing device behind a pass-through channel
 * (vmc-echo.h). */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include <spice/enums.h>

#include "tools/vmc-echo.h"

#define ECHO_BUF	(32 * 1024)	/* what the device holds */

struct vmc_echo {
	SpiceCoreVmc *vmc;
	char *name;
	uint8_t id;
	bool stuck;
	bool whole;		/* a VSC stream: never cut (smartcard) */
	uint8_t buf[ECHO_BUF];
	size_t len;			/* bytes held, to send back */
	guint idle;
};

static gboolean echo_send(gpointer data)
{
	struct vmc_echo *e = data;
	size_t took;
	bool was_full = e->len == ECHO_BUF;

	e->idle = 0;
	if (!e->len)
		return G_SOURCE_REMOVE;
	took = spice_core_vmc_read(e->vmc, e->buf, e->len);
	if (took > e->len)
		took = e->len;
	memmove(e->buf, e->buf + took, e->len - took);
	e->len -= took;
	if (was_full && e->len < ECHO_BUF)
		spice_core_vmc_wakeup(e->vmc);
	return G_SOURCE_REMOVE;
}

static void echo_soon(struct vmc_echo *e)
{
	if (!e->idle)
		e->idle = g_idle_add(echo_send, e);
}

static size_t echo_write(void *opaque, const void *data, size_t n)
{
	struct vmc_echo *e = opaque;
	size_t take = ECHO_BUF - e->len;

	if (e->stuck)
		return 0;
	if (take > n)
		take = n;
	memcpy(e->buf + e->len, data, take);
	e->len += take;
	echo_soon(e);
	return take;
}

static void echo_read_ready(void *opaque)
{
	echo_soon(opaque);
}

static void echo_client(void *opaque, bool connected)
{
	struct vmc_echo *e = opaque;

	if (!connected && !e->whole)
		e->len = 0;	/* a new client starts afresh */
	printf("vmc-client %s %u %d\n", e->name, e->id, connected);
	fflush(stdout);
}

static void echo_event(void *opaque, uint8_t event)
{
	struct vmc_echo *e = opaque;

	printf("vmc-event %s %u\n", e->name, event);
	fflush(stdout);
}

static const struct spice_core_vmc_ops echo_ops = {
	.write = echo_write,
	.read_ready = echo_read_ready,
	.client = echo_client,
	.event = echo_event,
};

struct vmc_echo *vmc_echo_new(SpiceCore *core, const char *spec,
			      const char **why)
{
	struct vmc_echo *e = g_new0(struct vmc_echo, 1);
	gchar **parts = g_strsplit(spec, ",", -1);
	bool closed = false;
	uint8_t type, id;
	unsigned int i;

	e->name = g_strdup(parts[0]);
	for (i = 1; parts[i]; i++) {
		if (!strcmp(parts[i], "stuck")) {
			e->stuck = true;
		} else if (!strcmp(parts[i], "closed")) {
			closed = true;
		} else {
			*why = "unknown flag (stuck, closed)";
			goto fail;
		}
	}
	e->vmc = spice_core_vmc_add(core, e->name, &echo_ops, e, why);
	if (!e->vmc)
		goto fail;
	spice_core_vmc_channel(e->vmc, &type, &id);
	e->id = id;
	e->whole = type == SPICE_CHANNEL_SMARTCARD;
	if (!closed)
		spice_core_vmc_port_opened(e->vmc, true);
	printf("vmc %s %u %u\n", e->name, type, id);
	g_strfreev(parts);
	return e;
fail:
	g_strfreev(parts);
	g_free(e->name);
	g_free(e);
	return NULL;
}

void vmc_echo_free(struct vmc_echo *e)
{
	if (!e)
		return;
	if (e->idle)
		g_source_remove(e->idle);
	spice_core_vmc_remove(e->vmc);
	g_free(e->name);
	g_free(e);
}
