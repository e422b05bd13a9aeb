/* SPDX-License-Identifier: MIT */
/*
 * Command-line pieces the spice-core tools share (spice-serve, spice-x11):
 * the fatal error, and the SPICE options both take (ports, secure
 * channels, image compression, password file), each refused with a
 * message that names the option and the value.
 */
#ifndef SC_TOOLS_OPTIONS_H
#define SC_TOOLS_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include <spice-core/spice-core.h>

/* "PROGRAM: message" on stderr, then exit status 2.  PROGRAM is
 * g_get_prgname(): each tool sets it first thing. */
void tool_die(const char *fmt, ...) G_GNUC_PRINTF(1, 2) G_GNUC_NORETURN;

/* A TCP port 0..65535 for option `opt`; 0 gives -1 (no listener). */
int tool_opt_port(const char *opt, const char *v);

/* --secure-channels: a comma list of all, main, display, inputs,
 * cursor. */
uint32_t tool_opt_secure(const char *v);

/* --compression: auto, off, lz4, quic or lz. */
enum spice_core_compression tool_opt_compression(const char *v);

/* --password-file: its first line, 1..60 bytes (g_free it). */
char *tool_opt_password_file(const char *file);

/* The listeners and the ticket policy the options gave: a port or a TLS
 * port (TLS with --x509-dir), and exactly one of --password-file,
 * --disable-ticketing (noticket) and --sasl.  Returns the password read
 * from pwfile, or NULL without one (g_free it). */
char *tool_opt_check_auth(const struct spice_core_config *cfg,
			  const char *pwfile, bool noticket);

#endif
