// SPDX-License-Identifier: MIT
/* A client's image cache (see imgcache.h). */
#include <string.h>

#include "channels/imgcache.h"

struct sc_cache_item {
	uint64_t hash, id, n;
	GList link;
};

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v * 0x9e3779b97f4a7c15ull;
	h = (h << 31 | h >> 33) * 0xff51afd7ed558ccdull;
	return h;
}

uint64_t sc_pixels_hash(const uint32_t *px, size_t stride, uint32_t w,
			uint32_t h)
{
	uint64_t a = 0x243f6a8885a308d3ull, b = 0x13198a2e03707344ull;
	uint64_t c = 0xa4093822299f31d0ull, d = 0x082efa98ec4e6c89ull;
	uint32_t y;

	for (y = 0; y < h; y++) {
		const uint8_t *p = (const uint8_t *)(px + (size_t)y * stride);
		size_t n = (size_t)w * 4, i = 0;
		uint64_t v[4];

		/* Four independent lanes of 8 bytes: the multiplies overlap. */
		for (; i + 32 <= n; i += 32) {
			memcpy(v, p + i, 32);
			a = mix(a, v[0]);
			b = mix(b, v[1]);
			c = mix(c, v[2]);
			d = mix(d, v[3]);
		}
		for (; i + 8 <= n; i += 8) {
			memcpy(v, p + i, 8);
			a = mix(a, v[0]);
		}
		if (i < n) {
			v[0] = 0;
			memcpy(v, p + i, n - i);
			b = mix(b, v[0]);
		}
		c = mix(c, y);
	}
	a = mix(mix(mix(mix(a, b), c), d), (uint64_t)w << 32 | h);
	a ^= a >> 29;
	return a ? a : 1;
}

static void item_free(gpointer p)
{
	g_free(p);
}

void sc_imgcache_init(struct sc_imgcache *c)
{
	memset(c, 0, sizeof(*c));
	c->items = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					 item_free);
	g_queue_init(&c->lru);
	c->next_id = 1;
}

void sc_imgcache_fini(struct sc_imgcache *c)
{
	if (c->items)
		g_hash_table_destroy(c->items);
	c->items = NULL;
}

void sc_imgcache_set_budget(struct sc_imgcache *c, int64_t pixels)
{
	c->budget = pixels < 0 ? 0 : MIN(pixels, (int64_t)G_MAXINT32);
}

bool sc_imgcache_lookup(struct sc_imgcache *c, uint64_t hash, uint64_t *id)
{
	struct sc_cache_item *it = g_hash_table_lookup(c->items, &hash);

	if (!it)
		return false;
	g_queue_unlink(&c->lru, &it->link);
	g_queue_push_head_link(&c->lru, &it->link);
	*id = it->id;
	return true;
}

bool sc_imgcache_add(struct sc_imgcache *c, uint64_t hash, uint64_t n,
		     uint64_t *id, GArray *dropped)
{
	uint64_t *seen = &c->seen[hash % SC_CACHE_SEEN];
	struct sc_cache_item *it;

	if (n == 0 || n > SC_CACHE_MAX_PIXELS || (int64_t)n > c->budget)
		return false;
	if (*seen != hash) {
		*seen = hash;		/* the first time: remember only */
		return false;
	}
	*seen = 0;
	while (c->used + (int64_t)n > c->budget) {
		GList *tail = g_queue_pop_tail_link(&c->lru);

		it = tail->data;
		c->used -= (int64_t)it->n;
		g_array_append_val(dropped, it->id);
		g_hash_table_remove(c->items, &it->hash);
	}
	it = g_new0(struct sc_cache_item, 1);
	it->hash = hash;
	it->id = c->next_id++;
	it->n = n;
	it->link.data = it;
	g_hash_table_insert(c->items, &it->hash, it);
	g_queue_push_head_link(&c->lru, &it->link);
	c->used += (int64_t)n;
	*id = it->id;
	return true;
}
