/* SPDX-License-Identifier: MIT */
/* The channels spice-core serves, one file each; the server lists them in
 * its registry (server/server.c), in CHANNELS_LIST order after main. */
#ifndef SPICE_CORE_CHANNELS_CHANNELS_H
#define SPICE_CORE_CHANNELS_CHANNELS_H

#include "channels/channel.h"

extern const struct sc_channel_ops sc_main_channel;	/* main.c */
extern const struct sc_channel_ops sc_display_channel;	/* display.c */
extern const struct sc_channel_ops sc_inputs_channel;	/* inputs.c */
extern const struct sc_channel_ops sc_cursor_channel;	/* cursor.c */
extern const struct sc_channel_ops sc_playback_channel;	/* playback.c */
extern const struct sc_channel_ops sc_record_channel;	/* record.c */
extern const struct sc_channel_ops sc_usbredir_channel;	/* vmc.c */
extern const struct sc_channel_ops sc_port_channel;	/* vmc.c */
extern const struct sc_channel_ops sc_webdav_channel;	/* vmc.c */
extern const struct sc_channel_ops sc_smartcard_channel;	/* smartcard.c */

#endif
