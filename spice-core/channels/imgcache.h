/* SPDX-License-Identifier: MIT */
/*
 * A client's image cache, kept by the server (the client stores what it
 * is told to, SPICE_IMAGE_FLAGS_CACHE_ME, and forgets what INVAL_LIST
 * names): images are known by a hash of their pixels and size, so
 * content that comes back (a glyph, an icon, a window shown again) goes
 * as FROM_CACHE.  An image is kept the second time it is sent, so
 * one-off pictures do not push out useful ones; the budget is the
 * client's pixmap_cache_size (pixels, DISPLAY_INIT), least recently used
 * first out.
 */
#ifndef SPICE_CORE_CHANNELS_IMGCACHE_H
#define SPICE_CORE_CHANNELS_IMGCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#define SC_CACHE_SEEN		4096	/* hashes remembered, not kept */
#define SC_CACHE_MAX_PIXELS	(4u << 20)	/* larger images: never */

struct sc_imgcache {
	GHashTable *items;	/* hash -> struct sc_cache_item */
	GQueue lru;		/* items, most recently used at the head */
	int64_t budget;		/* pixels the client keeps; 0: no cache */
	int64_t used;
	uint64_t next_id;
	uint64_t seen[SC_CACHE_SEEN];
};

/* 64-bit hash of w x h pixels (stride pixels between rows) and the
 * size.  Never 0. */
uint64_t sc_pixels_hash(const uint32_t *px, size_t stride, uint32_t w,
			uint32_t h);

void sc_imgcache_init(struct sc_imgcache *c);
void sc_imgcache_fini(struct sc_imgcache *c);
/* The client's budget in pixels (clamped to [0, 2^31)). */
void sc_imgcache_set_budget(struct sc_imgcache *c, int64_t pixels);
/* The client has the image: its id (and it becomes most recent). */
bool sc_imgcache_lookup(struct sc_imgcache *c, uint64_t hash, uint64_t *id);
/*
 * Whether to have the client keep this image (n pixels): the second time
 * a hash comes, if it fits the budget.  Then *id is its new id and the
 * ids of the images pushed out to make room are appended to `dropped`
 * (uint64_t; the client must be told before the image).
 */
bool sc_imgcache_add(struct sc_imgcache *c, uint64_t hash, uint64_t n,
		     uint64_t *id, GArray *dropped);

#endif
