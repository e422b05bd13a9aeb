// SPDX-License-Identifier: MIT
/*
 * Command-line pieces the spice-core tools share.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/options.h"

void tool_die(const char *fmt, ...)
{
	const char *prog = g_get_prgname();
	va_list ap;

	fprintf(stderr, "%s: ", prog ? prog : "spice-core");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

int tool_opt_port(const char *opt, const char *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < 0 || n > 65535)
		tool_die("%s: '%s' is not a port number (0..65535)", opt, v);
	return n == 0 ? -1 : (int)n;
}

uint32_t tool_opt_secure(const char *v)
{
	static const struct {
		const char *name;
		uint32_t mask;
	} names[] = {
		{ "all", SPICE_CORE_SECURE_ALL },
		{ "main", SPICE_CORE_SECURE_MAIN },
		{ "display", SPICE_CORE_SECURE_DISPLAY },
		{ "inputs", SPICE_CORE_SECURE_INPUTS },
		{ "cursor", SPICE_CORE_SECURE_CURSOR },
	};
	gchar **parts = g_strsplit(v, ",", -1);
	uint32_t mask = 0;
	unsigned int i, j;

	for (i = 0; parts[i]; i++) {
		for (j = 0; j < G_N_ELEMENTS(names); j++)
			if (!strcmp(parts[i], names[j].name))
				break;
		if (j == G_N_ELEMENTS(names))
			tool_die("--secure-channels: unknown channel '%s'",
				 parts[i]);
		mask |= names[j].mask;
	}
	g_strfreev(parts);
	return mask;
}

enum spice_core_compression tool_opt_compression(const char *v)
{
	static const char *const names[] = {
		[SPICE_CORE_COMPRESSION_AUTO] = "auto",
		[SPICE_CORE_COMPRESSION_OFF] = "off",
		[SPICE_CORE_COMPRESSION_LZ4] = "lz4",
		[SPICE_CORE_COMPRESSION_QUIC] = "quic",
		[SPICE_CORE_COMPRESSION_LZ] = "lz",
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(names); i++)
		if (names[i] && !strcmp(v, names[i]))
			return (enum spice_core_compression)i;
	tool_die("--compression: '%s' is not auto, off, lz4, quic or lz", v);
}

char *tool_opt_password_file(const char *file)
{
	gchar *text = NULL, *nl;
	GError *err = NULL;

	if (!g_file_get_contents(file, &text, NULL, &err))
		tool_die("--password-file: %s", err->message);
	nl = strpbrk(text, "\r\n");
	if (nl)
		*nl = '\0';
	if (strlen(text) > 60)
		tool_die("--password-file: password longer than 60 bytes");
	if (!*text)
		tool_die("--password-file: %s holds an empty password", file);
	return text;
}

char *tool_opt_check_auth(const struct spice_core_config *cfg,
			  const char *pwfile, bool noticket)
{
	if (!cfg->port && !cfg->tls_port)
		tool_die("give --port and/or --tls-port (see --help)");
	if (cfg->tls_port && !cfg->x509_dir)
		tool_die("--tls-port needs --x509-dir");
	if (!pwfile && !noticket && !cfg->sasl)
		tool_die("no ticket policy: give --password-file F, "
			 "--disable-ticketing or --sasl");
	if (!!pwfile + noticket + cfg->sasl > 1)
		tool_die("--password-file, --disable-ticketing and --sasl "
			 "exclude each other");
	return pwfile ? tool_opt_password_file(pwfile) : NULL;
}
