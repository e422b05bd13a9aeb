/* SPDX-License-Identifier: MIT */
/*
 * spice-core: a compact SPICE server library.
 *
 * It serves framebuffers held in the caller's memory ("display sources")
 * to SPICE clients (spice-gtk, spice-html5) and hands the clients' keys,
 * mouse and monitor-layout requests back through callbacks.  It knows
 * nothing about QXL commands; the surface format numbers happen to equal
 * QXL_SURFACE_FMT_* / SPICE_SURFACE_FMT_* so a QXL device can pass its
 * formats through unchanged.
 *
 * Threads.  A server runs on one GMainContext: the caller's (config.context)
 * or, when that is NULL, a context on a thread of its own.  Every callback
 * is invoked on that context's thread.  The display-source functions
 * (spice_core_display_*) may be called from any thread; they take the
 * source's lock and wake the server.  spice_core_set_ticket(),
 * spice_core_expire_ticket(), spice_core_set_* and spice_core_get_stats()
 * may be called from any thread too.  spice_core_free() must not race with
 * any other call on the same server.
 *
 * Pixels.  The server reads the primary surface lazily, when a client is
 * ready for more: damage only records *where* to read.  After
 * spice_core_display_set_primary() or _clear_primary() returns, the old
 * pointer is never read again, so the caller may free or remap it.
 *
 * Errors.  Functions returning int give 0 on success and a negative errno
 * value on bad arguments; a client that misbehaves is dropped with a log
 * message (GLib log domain "spice-core") and never affects the caller.
 */
#ifndef SPICE_CORE_SPICE_CORE_H
#define SPICE_CORE_SPICE_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Surface formats (numerically equal to QXL_SURFACE_FMT_*). */
#define SPICE_CORE_FMT_16_555	16	/* x1r5g5b5, little-endian u16 */
#define SPICE_CORE_FMT_32_xRGB	32	/* b, g, r, x bytes (u32 0xXXRRGGBB) */
#define SPICE_CORE_FMT_16_565	80	/* r5g6b5, little-endian u16 */
#define SPICE_CORE_FMT_32_ARGB	96	/* b, g, r, a bytes; alpha is ignored */

/* Mouse button state bits (equal to SPICE_MOUSE_BUTTON_MASK_*). */
#define SPICE_CORE_BUTTON_LEFT		(1u << 0)
#define SPICE_CORE_BUTTON_MIDDLE	(1u << 1)
#define SPICE_CORE_BUTTON_RIGHT		(1u << 2)
#define SPICE_CORE_BUTTON_WHEEL_UP	(1u << 3)
#define SPICE_CORE_BUTTON_WHEEL_DOWN	(1u << 4)
#define SPICE_CORE_BUTTON_SIDE		(1u << 5)
#define SPICE_CORE_BUTTON_EXTRA		(1u << 6)

/* Keyboard LED bits (equal to SPICE_KEYBOARD_MODIFIER_FLAGS_*). */
#define SPICE_CORE_LED_SCROLL_LOCK	(1u << 0)
#define SPICE_CORE_LED_NUM_LOCK		(1u << 1)
#define SPICE_CORE_LED_CAPS_LOCK	(1u << 2)

/* Extended (0xE0-prefixed) key flag in a scancode passed to ops.key. */
#define SPICE_CORE_KEY_EXTENDED		0x100u

/* Channels that config.secure_channels can require to be on TLS. */
#define SPICE_CORE_SECURE_MAIN		(1u << 1)	/* SPICE_CHANNEL_MAIN */
#define SPICE_CORE_SECURE_DISPLAY	(1u << 2)
#define SPICE_CORE_SECURE_INPUTS	(1u << 3)
#define SPICE_CORE_SECURE_CURSOR	(1u << 4)
#define SPICE_CORE_SECURE_ALL		0x1eu

/* Image encodings (config.image_compression). */
enum spice_core_compression {
	SPICE_CORE_COMPRESSION_AUTO = 0,	/* per client and region, by
						 * content: QUIC for photo-like
						 * pixels, LZ4 (if the client
						 * has it) or LZ for the rest */
	SPICE_CORE_COMPRESSION_OFF,		/* raw bitmaps only */
	SPICE_CORE_COMPRESSION_LZ4,		/* LZ4 to clients that have it,
						 * else as AUTO */
	SPICE_CORE_COMPRESSION_QUIC,		/* QUIC to every client */
	SPICE_CORE_COMPRESSION_LZ,		/* LZ_RGB to every client */
};

/* One monitor (head): a rectangle in the surface of its display. */
struct spice_core_head {
	int32_t x, y;
	uint32_t width, height;
};

/* One channel of a client, as channel_event tells it. */
struct spice_core_channel_info {
	char host[64];		/* the client's numeric address */
	char port[8];		/* and port */
	bool ipv6;		/* host is an IPv6 address */
	bool tls;		/* came in on the TLS port */
	bool unix_socket;	/* came in on the unix socket (no host, port) */
	uint32_t connection_id;	/* its session's id */
	uint8_t channel_type;	/* SPICE_CHANNEL_* */
	uint8_t channel_id;
};

/*
 * Input and layout callbacks.  Any member may be NULL.  `opaque` is the
 * pointer given with the ops.  All are called on the server's context.
 */
struct spice_core_ops {
	/* A key pressed or released: PC/XT set-1 make code (0x01..0x7f),
	 * with SPICE_CORE_KEY_EXTENDED set for 0xE0-prefixed keys. */
	void (*key)(void *opaque, uint32_t scancode, bool down);
	/* The client's keyboard LEDs (SPICE_CORE_LED_*) changed. */
	void (*key_leds)(void *opaque, uint32_t leds);
	/* Server mouse mode: relative motion; dz < 0 is wheel up. */
	void (*mouse_rel)(void *opaque, int32_t dx, int32_t dy, int32_t dz,
			  uint32_t buttons);
	/* Client mouse mode: absolute position in display `display_id`'s
	 * surface coordinates; dz as above. */
	void (*mouse_abs)(void *opaque, uint32_t display_id, int32_t x,
			  int32_t y, int32_t dz, uint32_t buttons);
	/* The mouse mode in use changed (true: absolute / client mode). */
	void (*mouse_mode)(void *opaque, bool absolute);
	/* A client asked for a new monitor layout on display `display_id`
	 * (e.g. its window was resized).  heads[0..n) are in that display's
	 * coordinates; n >= 1.  The arrays are only valid during the call.
	 * Returns true when the display took the request (a QXL device
	 * whose guest driver handles client monitors configs); with a
	 * guest agent connected, a request no display takes goes on to the
	 * agent. */
	bool (*monitors_request)(void *opaque, uint32_t display_id,
				 const struct spice_core_head *heads,
				 unsigned int n);
	/* Number of connected (authenticated main channel) clients changed. */
	void (*clients_changed)(void *opaque, unsigned int n_clients);
	/* A client's channel was linked (authenticated and attached to its
	 * session: up) or has gone (!up), for management events (QEMU's
	 * SPICE_INITIALIZED / SPICE_DISCONNECTED).  info is only valid
	 * during the call. */
	void (*channel_event)(void *opaque,
			      const struct spice_core_channel_info *info,
			      bool up);

	/* Clipboard, with no guest agent: set all four and spice-core acts
	 * as the agent towards the clients for copy and paste (see
	 * spice_core_clipboard_grab()).  `client` is the session id of the
	 * client's main channel; `selection` SPICE_CORE_SELECTION_*; types
	 * are VD_AGENT_CLIPBOARD_* (spice/vd_agent.h).  The pointers are only
	 * valid during the call. */
	/* The client owns `selection`, with data of types[0..n) (n <= 16). */
	void (*clipboard_grab)(void *opaque, uint32_t client,
			       unsigned int selection, const uint32_t *types,
			       unsigned int n);
	/* The client wants our `selection` as `type`: answer with
	 * spice_core_clipboard_data() (an empty one if there is none). */
	void (*clipboard_request)(void *opaque, uint32_t client,
				  unsigned int selection, uint32_t type);
	/* The client's answer to spice_core_clipboard_request() (at most
	 * SPICE_CORE_CLIPBOARD_MAX bytes; larger ones are dropped). */
	void (*clipboard_data)(void *opaque, uint32_t client,
			       unsigned int selection, uint32_t type,
			       const uint8_t *data, size_t size);
	/* The client no longer owns `selection`. */
	void (*clipboard_release)(void *opaque, uint32_t client,
				  unsigned int selection);
	/* Audio input (config.audio, after spice_core_record_start()): a
	 * client's microphone, S16 little-endian stereo interleaved at the
	 * rate given to record_start; `bytes` is a whole number of frames
	 * (4 bytes each), at most SPICE_CORE_AUDIO_CHUNK_MAX.  Only valid
	 * during the call. */
	void (*record_data)(void *opaque, uint32_t client, const void *pcm,
			    size_t bytes);
	/* Seamless migration at the target: is the VM's state still being
	 * loaded (the displays not yet what the guest shows)?  A channel's
	 * migration data waits while it is (asked again every 10 ms);
	 * NULL: never. */
	bool (*migration_loading)(void *opaque);
};

/* Clipboard selections (VD_AGENT_CLIPBOARD_SELECTION_*).  A client that
 * lacks VD_AGENT_CAP_CLIPBOARD_SELECTION has CLIPBOARD only. */
#define SPICE_CORE_SELECTION_CLIPBOARD	0
#define SPICE_CORE_SELECTION_PRIMARY	1
#define SPICE_CORE_SELECTION_SECONDARY	2
#define SPICE_CORE_CLIPBOARD_MAX	(16u << 20)	/* bytes, either way */

struct spice_core_config {
	GMainContext *context;	/* NULL: run on a thread of our own */
	const char *addr;	/* listen address; NULL: "127.0.0.1" */
	int port;		/* plain port; 0: none; -1: pick a free one */
	int tls_port;		/* TLS port; 0: none; -1: pick a free one */
	const char *unix_path;	/* also a unix socket for plain clients */
	/* None of the three: clients come through spice_core_add_client()
	 * only. */
	/* TLS files.  x509_dir holds ca-cert.pem, server-cert.pem,
	 * server-key.pem (QEMU's names); the *_file members override. */
	const char *x509_dir;
	const char *x509_ca_file;
	const char *x509_cert_file;
	const char *x509_key_file;
	const char *x509_key_password;	/* NULL: key not encrypted */
	const char *tls_ciphers;	/* NULL: OpenSSL's defaults */
	uint32_t secure_channels;	/* SPICE_CORE_SECURE_* */
	bool disable_ticketing;	/* accept any ticket (no password) */
	/* Authenticate with SASL (needs CONFIG_SPICE_SASL) instead of the
	 * ticket, which is then refused.  libsasl2 is initialised once per
	 * process, with the first server's sasl_appname (NULL: "spice"),
	 * which names its config file (spice.conf in SASL_CONF_PATH). */
	bool sasl;
	const char *sasl_appname;
	enum spice_core_compression image_compression;
	/* Areas the source updates at a video's rate (the same rectangle,
	 * at least 96x96, in 10 or more updates under 200 ms apart) are
	 * sent to clients as an MJPEG stream, lossy at video_quality (JPEG
	 * quality 1..100; 0: 80), until they stop for a second, when they
	 * are sent again losslessly.  Off by default, as spice-server's
	 * streaming-video=off. */
	bool video_streaming;
	int video_quality;
	/* Serve the files under this directory (e.g. Debian's spice-html5,
	 * /usr/share/spice-html5) to HTTP GETs on the ports; NULL: none.
	 * WebSocket clients (spice-html5) connect to the same ports with or
	 * without it. */
	const char *web_root;
	/* A second client: by default clients share the display (each
	 * sees it all, inputs come from all, the last resize request
	 * wins), at most max_clients at once (0: 16); one more is refused
	 * at link with SPICE_LINK_ERR_ERROR.  exclusive: as spice-server,
	 * a client that authenticated disconnects every other one. */
	unsigned int max_clients;
	bool exclusive;
	const char *name;	/* VM name sent to clients; NULL: none */
	const uint8_t *uuid;	/* 16 bytes or NULL */
	const struct spice_core_ops *ops;
	void *opaque;
	/* Serve the playback and record channels (SPICE audio, raw PCM). */
	bool audio;
	/* Client migration goes seamless with clients that can (QEMU's
	 * -spice seamless-migration=on): spice_core_migrate_begin sends
	 * them MIGRATE_BEGIN_SEAMLESS, and at the switch each channel hands
	 * its state to the target through the client, which keeps its
	 * channels (and the picture it shows) instead of resetting them. */
	bool seamless_migration;
};

typedef struct SpiceCore SpiceCore;
typedef struct SpiceCoreDisplay SpiceCoreDisplay;

/* Server ------------------------------------------------------------------ */

/* Create a server and start listening.  NULL on error (*err says why, e.g.
 * "port 5900 in use", "cannot read x509-dir/server-key.pem"). */
SpiceCore *spice_core_new(const struct spice_core_config *config,
			  GError **err);
/* Disconnect every client, stop listening and free the server.  Display
 * sources still attached are removed. */
void spice_core_free(SpiceCore *core);

/* The ports actually bound (useful with port = -1), or 0. */
int spice_core_get_port(SpiceCore *core);
int spice_core_get_tls_port(SpiceCore *core);

/* Set the ticket: password of at most 60 bytes; expires_at is a UNIX time
 * in seconds (g_get_real_time() / G_USEC_PER_SEC), 0 for never.  An empty
 * password with ticketing enabled refuses every ticket.  -EINVAL if the
 * password is too long.  Connected clients stay connected. */
int spice_core_set_ticket(SpiceCore *core, const char *password,
			  int64_t expires_at);
/* Make the current ticket invalid now. */
void spice_core_expire_ticket(SpiceCore *core);

/* Whether absolute (client-mode) pointing is available; when true, clients
 * may switch to client mouse mode and ops.mouse_abs gets positions. */
void spice_core_set_mouse_absolute(SpiceCore *core, bool available);
/* Keyboard LEDs (SPICE_CORE_LED_*) to show on the clients. */
void spice_core_set_key_leds(SpiceCore *core, uint32_t leds);
/* Drop every client (e.g. on password change with disconnect policy). */
void spice_core_disconnect_clients(SpiceCore *core);
/* Serve a client whose connection was made elsewhere (QMP add_client):
 * fd is a connected stream socket, ours when this succeeds (on error the
 * caller still owns it), speaking TLS if tls; with skip_auth its channels
 * need no ticket (SASL, when on, still applies).  Call it on the server's
 * context.  0, or -1 with *err set. */
int spice_core_add_client(SpiceCore *core, int fd, bool tls, bool skip_auth,
			  GError **err);

/*
 * SPICE client migration, switch-host style (QMP client_migrate_info):
 * where the VM's clients go once it runs elsewhere.  host: a host name
 * or address (1..255 printable bytes, no spaces), NULL to forget the
 * target; port / tls_port: 1..65535, or 0 / -1 for none, at least one;
 * cert_subject: the target's TLS certificate subject or NULL.  -EINVAL
 * with *why (static text) if an argument is bad: nothing changes then.
 */
int spice_core_migrate_target(SpiceCore *core, const char *host, int port,
			      int tls_port, const char *cert_subject,
			      const char **why);
/*
 * A migration to the target set may start: clients with the
 * semi-seamless capability get SPICE_MSG_MAIN_MIGRATE_BEGIN and link to
 * the target now (a second call, after a new target, cancels the first
 * one's); with config.seamless_migration, those with the seamless one
 * get MIGRATE_BEGIN_SEAMLESS instead.  -ENOENT with no target set.
 */
int spice_core_migrate_begin(SpiceCore *core);
/*
 * The VM now runs at the target: each client that linked to the target
 * after MIGRATE_BEGIN gets SPICE_MSG_MAIN_MIGRATE_END (it goes on with
 * that connection; seamless: each of its channels gets SPICE_MSG_MIGRATE
 * and its migration data), every other one SPICE_MSG_MAIN_MIGRATE_SWITCH_HOST
 * (it reconnects there); the target is forgotten.  Returns the number of
 * clients connected, -ENOENT with no target set.
 */
int spice_core_migrate_switch(SpiceCore *core);
/*
 * The migration failed or was cancelled: clients that got MIGRATE_BEGIN
 * get SPICE_MSG_MAIN_MIGRATE_CANCEL (they drop their target connection
 * and stay), and the target is forgotten.
 */
void spice_core_migrate_cancel(SpiceCore *core);

/* Clipboard towards the clients (with the ops.clipboard_* callbacks set;
 * otherwise these do nothing).  Call them on the server's context (from
 * a callback, or where config.context runs); elsewhere they fail with
 * -EAGAIN (grab and release log it).  Messages go to the clients in
 * order, cut into AGENT_DATA chunks as the clients' tokens allow.
 * We own `selection` now, with types[0..n) (n <= 16): every client is
 * told. */
void spice_core_clipboard_grab(SpiceCore *core, unsigned int selection,
			       const uint32_t *types, unsigned int n);
/* We no longer own `selection`: every client is told. */
void spice_core_clipboard_release(SpiceCore *core, unsigned int selection);
/* Ask client `client` for its `selection` as `type`; the answer comes
 * through ops.clipboard_data.  -ENOENT: no such client with a clipboard. */
int spice_core_clipboard_request(SpiceCore *core, uint32_t client,
				 unsigned int selection, uint32_t type);
/* Answer client `client`'s ops.clipboard_request (size 0: nothing).
 * -EINVAL: over SPICE_CORE_CLIPBOARD_MAX; -ENOENT: no such client;
 * -ENOSPC: the client has not taken enough of what was sent before. */
int spice_core_clipboard_data(SpiceCore *core, uint32_t client,
			      unsigned int selection, uint32_t type,
			      const void *data, size_t size);

/* Guest agent ---------------------------------------------------------------
 *
 * A guest's spice-vdagent (behind a virtio-serial port named
 * com.redhat.spice.0) instead of spice-core's own agent emulation.  The
 * host moves the port's bytes, the VDI chunk stream of spice/vd_agent.h,
 * both ways; spice-core passes the client's agent messages through to one
 * client at a time (Documentation/channels.rst).  All of these run on the
 * server's context. */
struct spice_core_agent_ops {
	/* Bytes for the guest: returns how many it took (0..n).  Having
	 * taken fewer, the host calls spice_core_agent_wakeup() once the
	 * guest can take more. */
	size_t (*write)(void *opaque, const void *data, size_t n);
	/* spice_core_agent_read() took fewer bytes than offered before and
	 * would take more now.  May be NULL (then offer again later). */
	void (*read_ready)(void *opaque);
};
/* The guest opened its agent port: clients are switched from the
 * emulation to it.  -EBUSY if one is open already; -EINVAL without
 * ops->write. */
int spice_core_agent_open(SpiceCore *core,
			  const struct spice_core_agent_ops *ops, void *opaque);
/* The guest closed it: the clients get the emulation back. */
void spice_core_agent_close(SpiceCore *core);
/* Bytes the guest wrote; returns how many spice-core took (the client
 * has not taken enough yet: offer the rest after ops->read_ready). */
size_t spice_core_agent_read(SpiceCore *core, const void *data, size_t n);
/* The guest can take bytes again. */
void spice_core_agent_wakeup(SpiceCore *core);

/* Pass-through channels ----------------------------------------------------
 *
 * A guest device's byte stream passed to one client over a channel of its
 * own (Documentation/channels.rst): name "usbredir" gives a
 * SPICE_CHANNEL_USBREDIR channel (QEMU's usb-redir speaks the usbredir
 * protocol through it), "org.spice-space.webdav.0" a SPICE_CHANNEL_WEBDAV
 * channel and any other name with a dot (a virtio-serial port's FQDN) a
 * SPICE_CHANNEL_PORT channel.  Each gets the lowest id free for its type.
 * One client at a time has a channel; bytes are SPICEVMC_DATA both ways,
 * bounded: what the guest writes waits for at most SC_VMC_OUT_LIMIT queued
 * bytes of the client's, what the client sends for SC_VMC_IN_LIMIT bytes
 * the guest has not taken (beyond, its socket is not read).  All of these
 * run on the server's context. */
typedef struct SpiceCoreVmc SpiceCoreVmc;

/* Port events, as on the wire (spice/protocol.h SPICE_PORT_EVENT_*). */
enum {
	SPICE_CORE_PORT_EVENT_OPENED,
	SPICE_CORE_PORT_EVENT_CLOSED,
	SPICE_CORE_PORT_EVENT_BREAK,
};

struct spice_core_vmc_ops {
	/* Bytes for the guest: returns how many it took (0..n).  Having
	 * taken fewer, the host calls spice_core_vmc_wakeup() once the
	 * guest can take more. */
	size_t (*write)(void *opaque, const void *data, size_t n);
	/* spice_core_vmc_read() took fewer bytes than offered before and
	 * would take more now.  May be NULL. */
	void (*read_ready)(void *opaque);
	/* A client took the channel (true) or left it (false).  May be
	 * NULL. */
	void (*client)(void *opaque, bool connected);
	/* A port channel's client sent an event: SPICE_CORE_PORT_EVENT_*
	 * or any other value (the client's, unchecked).  May be NULL. */
	void (*event)(void *opaque, uint8_t event);
};
/* NULL with *why: a name of no channel type, or no free id. */
SpiceCoreVmc *spice_core_vmc_add(SpiceCore *core, const char *name,
				 const struct spice_core_vmc_ops *ops,
				 void *opaque, const char **why);
/* The channel goes; its client is dropped. */
void spice_core_vmc_remove(SpiceCoreVmc *vmc);
/* The SPICE_CHANNEL_* type and id it got. */
void spice_core_vmc_channel(const SpiceCoreVmc *vmc, uint8_t *type,
			    uint8_t *id);
/* Bytes the guest wrote; returns how many spice-core took: 0 while no
 * client has the channel, fewer while the client is behind (offer the
 * rest after ops->read_ready). */
size_t spice_core_vmc_read(SpiceCoreVmc *vmc, const void *data, size_t n);
/* The guest can take bytes again. */
void spice_core_vmc_wakeup(SpiceCoreVmc *vmc);
/* A port channel's guest side opened or closed the port (PORT_INIT says
 * it, PORT_EVENT tells the client). */
void spice_core_vmc_port_opened(SpiceCoreVmc *vmc, bool opened);

struct spice_core_stats {
	unsigned int clients;		/* authenticated main channels */
	unsigned int connections;	/* open sockets, any state */
	uint64_t bytes_sent;
	uint64_t bytes_received;
	uint64_t images_raw;		/* DRAW_COPY with raw bitmaps */
	uint64_t images_lz4;		/* DRAW_COPY with LZ4 images */
	uint64_t images_quic;		/* DRAW_COPY with QUIC images */
	uint64_t images_lz;		/* DRAW_COPY with LZ_RGB images */
	uint64_t fills;			/* DRAW_FILL sent */
	uint64_t frames;		/* MARK-terminated updates sent */
	uint64_t copies;		/* COPY_BITS sent (copies and moves) */
	uint64_t moves;			/* of them, moves found in damage */
	uint64_t unchanged;		/* damaged rectangles found unchanged */
	uint64_t cache_hits;		/* images sent as FROM_CACHE */
	uint64_t cache_adds;		/* images the client was told to keep */
	uint64_t streams;		/* MJPEG streams opened */
	uint64_t stream_frames;		/* MJPEG frames sent */
	uint64_t clients_dropped;	/* for a protocol or auth error */
	size_t queued_bytes;		/* output buffered over all clients */
};
void spice_core_get_stats(SpiceCore *core, struct spice_core_stats *out);

/* Audio ------------------------------------------------------------------- */

/* With config.audio; otherwise these do nothing (-ENODEV).  Any thread.
 * PCM is S16 little-endian, 2 channels interleaved, at 44100 or 48000
 * frames per second.  Playback: what is written goes to every playback
 * client in chunks; the server keeps only the newest
 * SPICE_CORE_AUDIO_QUEUE chunks, so a slow client loses the oldest audio
 * (never memory).  Volumes are 0..65535 per channel. */
#define SPICE_CORE_AUDIO_CHUNK_MAX	8192	/* bytes per message */
#define SPICE_CORE_AUDIO_QUEUE		64	/* chunks kept for clients */
int spice_core_playback_start(SpiceCore *core, uint32_t rate);
/* n_frames frames of PCM (copied); -EAGAIN if playback is stopped. */
int spice_core_playback_write(SpiceCore *core, const int16_t *pcm,
			      size_t n_frames);
void spice_core_playback_stop(SpiceCore *core);
void spice_core_playback_volume(SpiceCore *core, uint16_t left,
				uint16_t right, bool mute);
/* Serve the playback and record channels from now on, as config.audio
 * would have: for a host that learns of its sound card after
 * spice_core_new() (QEMU creates -audiodev backends after -object).
 * Call it on the server's context, as the clipboard functions.  Clients
 * linked before see the channels only when they reconnect. */
void spice_core_audio_enable(SpiceCore *core);
/* Ask clients for their microphone at `rate`: ops.record_data gets it. */
int spice_core_record_start(SpiceCore *core, uint32_t rate);
void spice_core_record_stop(SpiceCore *core);
void spice_core_record_volume(SpiceCore *core, uint16_t left,
			      uint16_t right, bool mute);

/* Display sources ----------------------------------------------------------- */

/* Attach a display source as display channel `channel_id` (0..15), once
 * per id.  NULL if the id is taken or out of range. */
SpiceCoreDisplay *spice_core_display_add(SpiceCore *core,
					 unsigned int channel_id);
/* Detach and free; clients see the surface destroyed. */
void spice_core_display_remove(SpiceCoreDisplay *display);

/* The primary surface: `top_line` points at the first byte of the top row,
 * `stride` is the distance in bytes between rows (negative for a bottom-up
 * buffer), format is SPICE_CORE_FMT_*.  width and height 1..16384;
 * |stride| >= width * bytes per pixel.  The whole surface counts as
 * damaged.  Clients see SURFACE_DESTROY + SURFACE_CREATE when the size or
 * format changes.  -EINVAL on bad arguments (nothing changes). */
int spice_core_display_set_primary(SpiceCoreDisplay *display,
				   const void *top_line, uint32_t width,
				   uint32_t height, int32_t stride,
				   uint32_t format);
/* No primary any more (clients see SURFACE_DESTROY). */
void spice_core_display_clear_primary(SpiceCoreDisplay *display);
/* Pixels in this rectangle changed; clipped to the surface. */
void spice_core_display_damage(SpiceCoreDisplay *display, int32_t x,
			       int32_t y, uint32_t w, uint32_t h);

/* The pixels of (x, y, w, h) now hold what (src_x, src_y, w, h) held
 * before (both inside the primary; the caller already moved them in its
 * memory): a window moved, a scroll.  Clients that are up to date with
 * the source area get a COPY_BITS; the others, and copies the clients
 * cannot replay (outside the surface), get the pixels as damage. */
void spice_core_display_copy(SpiceCoreDisplay *display, int32_t x,
			     int32_t y, uint32_t w, uint32_t h, int32_t src_x,
			     int32_t src_y);

/* Hold the server's wake-up: the damage and copies from here to the
 * matching release go out together, as one update, instead of the
 * server sending the first while the host reports the rest (a device
 * reporting a frame as many rectangles).  Holds nest; the last release
 * wakes the server if anything changed meanwhile.  Clients still get
 * what changed before a hold whenever the server runs for another
 * reason. */
void spice_core_display_hold(SpiceCoreDisplay *display);
void spice_core_display_release(SpiceCoreDisplay *display);

/* Cursor: ARGB32 (premultiplied or straight, as u32 0xAARRGGBB in host
 * order), width and height 1..512, hotspot inside.  The data is copied. */
int spice_core_display_cursor_set(SpiceCoreDisplay *display,
				  const uint32_t *argb, uint16_t width,
				  uint16_t height, uint16_t hot_x,
				  uint16_t hot_y);
void spice_core_display_cursor_move(SpiceCoreDisplay *display, int32_t x,
				    int32_t y);
void spice_core_display_cursor_hide(SpiceCoreDisplay *display);

/* The guest's monitor layout on this display, n in 0..16 (0: one head
 * covering the primary).  Sent to clients with the MONITORS_CONFIG cap. */
#define SPICE_CORE_MAX_HEADS	16
int spice_core_display_set_monitors(SpiceCoreDisplay *display,
				    const struct spice_core_head *heads,
				    unsigned int n);

/* Where the guest sees this display's device, for the guest's agent
 * (VD_AGENT_GRAPHICS_DEVICE_INFO, as spice-server's
 * spice_qxl_set_device_info): `address` in QEMU's form ("pci/0000/02.0":
 * the PCI domain, then slot.function of each device from the root bus
 * down), and the guest's ids of this display's monitors 0..n-1:
 * first_id..first_id+n-1 (the DRM connector index of each head).  The
 * agent hears it again whenever it changes.  address NULL or "" (or n 0):
 * nothing to tell.  -EINVAL: an address of SPICE_CORE_DEVICE_ADDRESS_MAX
 * bytes or more, or n over SPICE_CORE_MAX_HEADS (nothing changes). */
#define SPICE_CORE_DEVICE_ADDRESS_MAX	256
int spice_core_display_set_device_info(SpiceCoreDisplay *display,
				       const char *address,
				       uint32_t first_id, unsigned int n);

/* What a display source serves now, copied: the state a client connecting
 * now would be sent.  For tests and tools that check a producer (a device
 * model, a display-sink adapter) against the server's view, no client
 * needed. */
struct spice_core_snapshot {
	/* The primary, as clients get it: height rows of width xRGB
	 * pixels (u32 0xXXRRGGBB, 16-bit formats widened), top row first;
	 * NULL without a primary.  format is the source's SPICE_CORE_FMT_*. */
	bool has_primary;
	uint32_t width, height, format;
	uint32_t *pixels;
	/* Bumps whenever clients see the surface destroyed or created
	 * (a primary set with a new size or format, or cleared). */
	uint32_t generation;
	/* The cursor: NULL if none was set, else cursor_width *
	 * cursor_height ARGB pixels as given to cursor_set. */
	uint32_t *cursor;
	uint16_t cursor_width, cursor_height, hot_x, hot_y;
	bool cursor_visible;
	int32_t cursor_x, cursor_y;
	/* The monitor layout last set (0: one head over the primary). */
	unsigned int n_heads;
	struct spice_core_head heads[SPICE_CORE_MAX_HEADS];
};
/* Fill *out; release its buffers with spice_core_snapshot_clear().  Any
 * thread, like the other display-source functions. */
void spice_core_display_snapshot(SpiceCoreDisplay *display,
				 struct spice_core_snapshot *out);
void spice_core_snapshot_clear(struct spice_core_snapshot *snap);

#ifdef __cplusplus
}
#endif

#endif /* SPICE_CORE_SPICE_CORE_H */
