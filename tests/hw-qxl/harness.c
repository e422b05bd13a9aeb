// SPDX-License-Identifier: MIT
/* harness.c - the in-process fake guest and host for hw-qxl tests. */
#include <stdlib.h>

#include "harness.h"

int t_failed;

static void h_set_irq(void *o, int level)
{
	struct guest *g = o;

	g->irq = level;
	g->irq_changes++;
}

static void h_schedule(void *o)
{
	((struct guest *)o)->schedules++;
}

static void h_log(void *o, enum qxl_log_level level, const char *msg)
{
	struct guest *g = o;

	g->logs++;
	if (level == QXL_LOG_GUEST_ERROR)
		g->guest_errors++;
	snprintf(g->last_log, sizeof(g->last_log), "%s", msg);
	if (getenv("HWQXL_VERBOSE"))
		printf("#   log: %s\n", msg);
}

static void h_mode(void *o, bool native)
{
	struct guest *g = o;

	g->mode_changes++;
	g->native = native;
}

static void s_primary_create(void *o, const struct qxl_primary_info *i)
{
	struct guest *g = o;

	g->primary_creates++;
	g->primary = *i;
}

static void s_primary_destroy(void *o)
{
	((struct guest *)o)->primary_destroys++;
}

static void s_damage(void *o, int x, int y, int w, int h)
{
	struct guest *g = o;

	if (!g->damages || x < g->dmg_x1)
		g->dmg_x1 = x;
	if (!g->damages || y < g->dmg_y1)
		g->dmg_y1 = y;
	if (!g->damages || x + w > g->dmg_x2)
		g->dmg_x2 = x + w;
	if (!g->damages || y + h > g->dmg_y2)
		g->dmg_y2 = y + h;
	g->damages++;
}

static void s_flush(void *o)
{
	((struct guest *)o)->flushes++;
}

static void s_cursor_set(void *o, const struct qxl_cursor_shape *s, int x,
			 int y, bool visible)
{
	struct guest *g = o;

	g->cursor_sets++;
	g->cursor_x = x;
	g->cursor_y = y;
	g->cursor_visible = visible;
	g->cursor_w = s->width;
	g->cursor_h = s->height;
	g->cursor_px0 = s->argb[0];
}

static void s_cursor_move(void *o, int x, int y)
{
	struct guest *g = o;

	g->cursor_moves++;
	g->cursor_x = x;
	g->cursor_y = y;
}

static void s_cursor_hide(void *o)
{
	struct guest *g = o;

	g->cursor_hides++;
	g->cursor_visible = false;
}

static void s_monitors(void *o, unsigned int n,
		       const struct qxl_monitor_head *h)
{
	struct guest *g = o;

	g->mon_calls++;
	g->mon_n = n;
	memcpy(g->mons, h, n * sizeof(*h));
}

static const struct qxl_host_ops host_ops = {
	.set_irq = h_set_irq,
	.schedule = h_schedule,
	.log = h_log,
	.mode_changed = h_mode,
};

static const struct qxl_display_sink sink = {
	.primary_create = s_primary_create,
	.primary_destroy = s_primary_destroy,
	.damage = s_damage,
	.flush = s_flush,
	.cursor_set = s_cursor_set,
	.cursor_move = s_cursor_move,
	.cursor_hide = s_cursor_hide,
	.monitors_config = s_monitors,
};

void g_init_cfg(struct guest *g, const struct qxl_device_config *cfg)
{
	memset(g, 0, sizeof(*g));
	g->dev = qxl_device_new(cfg, &host_ops, g);
	if (!g->dev) {
		printf("Bail out! qxl_device_new failed\n");
		exit(1);
	}
	qxl_device_set_sink(g->dev, &sink, g);
	/* Program the BARs the way firmware does: config space writes. */
	qxl_device_pci_config_write(g->dev, 0x10, 4, (uint32_t)G_RAM_GPA);
	qxl_device_pci_config_write(g->dev, 0x14, 4, (uint32_t)G_VRAM_GPA);
	qxl_device_pci_config_write(g->dev, 0x18, 4, (uint32_t)G_ROM_GPA);
	qxl_device_pci_config_write(g->dev, 0x1c, 4, G_IO_PORT);
	g->ram = qxl_device_bar_ptr(g->dev, QXL_RAM_RANGE_INDEX);
	g->vram = qxl_device_bar_ptr(g->dev, QXL_VRAM_RANGE_INDEX);
	g->rom = qxl_device_bar_ptr(g->dev, QXL_ROM_RANGE_INDEX);
	g->ram_size = qxl_device_bar_size(g->dev, QXL_RAM_RANGE_INDEX);
	g->vram_size = qxl_device_bar_size(g->dev, QXL_VRAM_RANGE_INDEX);
	g->romp = (const struct qxl_rom *)g->rom;
	g->ramh = (struct qxl_ram_header *)(g->ram +
					    g->romp->ram_header_offset);
	g->ram_next = g->romp->pages_offset;
	g->vram_next = 0;
}

void g_init(struct guest *g)
{
	struct qxl_device_config cfg;

	qxl_device_config_init(&cfg);
	cfg.vgamem_size = 8u << 20;
	cfg.ram_size = 16u << 20;
	cfg.vram_size = 4u << 20;
	cfg.n_surfaces = 64;
	g_init_cfg(g, &cfg);
	g_add_slots(g);
}

void g_fini(struct guest *g)
{
	qxl_device_free(g->dev);
	memset(g, 0, sizeof(*g));
}

void g_io(struct guest *g, unsigned int port, uint8_t val)
{
	qxl_device_io_write(g->dev, port, val);
}

void g_deferred(struct guest *g)
{
	int n = 0;

	while (g->schedules && n++ < 100) {
		g->schedules = 0;
		qxl_device_run_deferred(g->dev);
	}
}

void g_add_slots(struct guest *g)
{
	g->ramh->mem_slot.mem_start = G_RAM_GPA;
	g->ramh->mem_slot.mem_end = G_RAM_GPA + g->ram_size;
	g_io(g, QXL_IO_MEMSLOT_ADD, G_SLOT_RAM);
	g->ramh->mem_slot.mem_start = G_VRAM_GPA;
	g->ramh->mem_slot.mem_end = G_VRAM_GPA + g->vram_size;
	g_io(g, QXL_IO_MEMSLOT_ADD, G_SLOT_VRAM);
}

qxl_phys g_phys(struct guest *g, const void *host)
{
	const uint8_t *p = host;

	if (p >= g->ram && p < g->ram + g->ram_size)
		return qxl_memslot_high_bits(G_SLOT_RAM, 0, 8, 8) |
		       (uint64_t)(p - g->ram);
	return qxl_memslot_high_bits(G_SLOT_VRAM, 0, 8, 8) |
	       (uint64_t)(p - g->vram);
}

void *g_host(struct guest *g, qxl_phys phys)
{
	uint64_t off = phys & ((1ull << 48) - 1);

	return (phys >> 56) == G_SLOT_RAM ? g->ram + off : g->vram + off;
}

void *g_alloc(struct guest *g, size_t size)
{
	uint64_t off = (g->ram_next + 7) & ~7ull;

	if (off + size > g->romp->ram_header_offset) {
		printf("Bail out! guest RAM exhausted\n");
		exit(1);
	}
	g->ram_next = off + size;
	memset(g->ram + off, 0, size);
	return g->ram + off;
}

void *g_valloc(struct guest *g, size_t size)
{
	uint64_t off = (g->vram_next + 63) & ~63ull;

	if (off + size > g->vram_size) {
		printf("Bail out! guest VRAM exhausted\n");
		exit(1);
	}
	g->vram_next = off + size;
	memset(g->vram + off, 0, size);
	return g->vram + off;
}

int g_create_primary(struct guest *g, uint32_t w, uint32_t h,
		     int32_t stride, uint32_t format)
{
	struct qxl_surface_create *c = &g->ramh->create_surface;

	c->width = w;
	c->height = h;
	c->stride = stride;
	c->format = format;
	c->position = 0;
	c->mouse_mode = 1;
	c->flags = 0;
	c->type = QXL_SURF_TYPE_PRIMARY;
	c->mem = g_phys(g, g->ram);
	g_io(g, QXL_IO_CREATE_PRIMARY, 0);
	return qxl_device_guest_bug(g->dev) ? -1 : 0;
}

/* One ring entry; true when the device asked to be kicked. */
static bool queue(struct qxl_ring_header *hdr, struct qxl_command *items,
		  uint32_t type, qxl_phys data)
{
	uint32_t slot;

	if (qxl_ring_prod_full(hdr, 32)) {
		printf("#   ring full\n");
		return false;
	}
	slot = qxl_ring_prod_slot(hdr, 32);
	items[slot].data = data;
	items[slot].type = type;
	items[slot].padding = 0;
	return qxl_ring_push(hdr);
}

void g_queue_cmd(struct guest *g, uint32_t type, qxl_phys data)
{
	queue(&g->ramh->cmd_ring.hdr, g->ramh->cmd_ring.items, type, data);
}

void g_push_cmd(struct guest *g, uint32_t type, qxl_phys data)
{
	if (queue(&g->ramh->cmd_ring.hdr, g->ramh->cmd_ring.items, type, data))
		g_io(g, QXL_IO_NOTIFY_CMD, 0);
}

void g_push_cursor(struct guest *g, uint32_t type, qxl_phys data)
{
	if (queue(&g->ramh->cursor_ring.hdr, g->ramh->cursor_ring.items, type,
		  data))
		g_io(g, QXL_IO_NOTIFY_CURSOR, 0);
}

void g_submit(struct guest *g, uint32_t type, const void *cmd)
{
	g_push_cmd(g, type, g_phys(g, cmd));
	g_io(g, QXL_IO_NOTIFY_CMD, 0);
}

void g_submit_cursor(struct guest *g, const void *cmd)
{
	g_push_cursor(g, QXL_CMD_CURSOR, g_phys(g, cmd));
	g_io(g, QXL_IO_NOTIFY_CURSOR, 0);
}

int g_releases(struct guest *g, uint64_t *ids, int max)
{
	struct qxl_ring_header *hdr = &g->ramh->release_ring.hdr;
	uint32_t slot;
	int n = 0;

	while (qxl_ring_cons_slot(hdr, QXL_RELEASE_RING_SIZE, &slot) == 1) {
		uint64_t id = g->ramh->release_ring.items[slot];

		qxl_ring_pop(hdr);
		while (id && n < max) {
			union qxl_release_info *ri = g_host(g, id);

			ids[n++] = id;
			id = ri->next;
		}
	}
	return n;
}

uint32_t g_px(struct guest *g, int x, int y)
{
	uint32_t v;

	memcpy(&v, g->primary.data + (size_t)y * g->primary.stride + 4 * x, 4);
	return v;
}

void g_set_px(struct guest *g, int x, int y, uint32_t v)
{
	memcpy(g->primary.data + (size_t)y * g->primary.stride + 4 * x, &v, 4);
}

struct qxl_drawable *g_drawable(struct guest *g, uint8_t type,
				uint32_t surface_id, int l, int t, int r,
				int b)
{
	struct qxl_drawable *d = g_alloc(g, sizeof(*d));

	d->release_info.id = g_phys(g, d);
	d->surface_id = surface_id;
	d->effect = QXL_EFFECT_OPAQUE;
	d->type = type;
	d->bbox.left = l;
	d->bbox.top = t;
	d->bbox.right = r;
	d->bbox.bottom = b;
	d->clip.type = QXL_CLIP_TYPE_NONE;
	d->surfaces_dest[0] = d->surfaces_dest[1] = d->surfaces_dest[2] = -1;
	return d;
}

struct qxl_image *g_bitmap(struct guest *g, uint8_t fmt, uint32_t w,
			   uint32_t h, uint32_t stride, uint8_t flags,
			   const void *pixels, const uint32_t *pal,
			   unsigned int n_pal)
{
	struct qxl_image *im = g_alloc(g, sizeof(*im));
	struct qxl_data_chunk *ch = g_alloc(g, sizeof(*ch) +
					    (size_t)stride * h);

	im->descriptor.type = QXL_IMAGE_TYPE_BITMAP;
	im->descriptor.width = w;
	im->descriptor.height = h;
	im->bitmap.format = fmt;
	im->bitmap.flags = flags;
	im->bitmap.x = w;
	im->bitmap.y = h;
	im->bitmap.stride = stride;
	ch->data_size = stride * h;
	memcpy(ch->data, pixels, (size_t)stride * h);
	im->bitmap.data = g_phys(g, ch);
	if (pal) {
		struct qxl_palette *p = g_alloc(g, sizeof(*p) + 4 * n_pal);

		p->num_ents = (uint16_t)n_pal;
		memcpy(p->ents, pal, 4 * n_pal);
		im->bitmap.palette = g_phys(g, p);
	}
	return im;
}

struct qxl_image *g_bitmap32(struct guest *g, uint32_t w, uint32_t h,
			     const uint32_t *px)
{
	return g_bitmap(g, QXL_BITMAP_FMT_32BIT, w, h, w * 4,
			QXL_BITMAP_TOP_DOWN, px, NULL, 0);
}

struct qxl_surface_cmd *g_surface_cmd(struct guest *g,
				      struct qxl_surface_cmd *sc, uint32_t id,
				      uint8_t type, uint32_t w, uint32_t h,
				      void *mem)
{
	if (!sc)
		sc = g_alloc(g, sizeof(*sc));
	memset(sc, 0, sizeof(*sc));
	sc->release_info.id = g_phys(g, sc);
	sc->surface_id = id;
	sc->type = type;
	sc->u.surface_create.format = QXL_SURFACE_FMT_32_xRGB;
	sc->u.surface_create.width = w;
	sc->u.surface_create.height = h;
	sc->u.surface_create.stride = (int32_t)(w * 4);
	sc->u.surface_create.data = mem ? g_phys(g, mem) : 0;
	return sc;
}

struct qxl_cursor *g_cursor(struct guest *g, uint16_t type, uint16_t w,
			    uint16_t h, uint32_t bytes)
{
	struct qxl_cursor *cur = g_alloc(g, sizeof(*cur) + bytes);

	cur->header.type = type;
	cur->header.width = w;
	cur->header.height = h;
	cur->data_size = bytes;
	cur->chunk.data_size = bytes;
	return cur;
}

struct qxl_cursor_cmd *g_cursor_cmd(struct guest *g, uint8_t type,
				    const struct qxl_cursor *shape)
{
	struct qxl_cursor_cmd *c = g_alloc(g, sizeof(*c));

	c->release_info.id = g_phys(g, c);
	c->type = type;
	if (type == QXL_CURSOR_SET) {
		c->u.set.visible = 1;
		c->u.set.shape = g_phys(g, shape);
	}
	return c;
}

qxl_phys g_clip_rects(struct guest *g, const struct qxl_rect *r, unsigned n)
{
	struct qxl_clip_rects *c = g_alloc(g, sizeof(*c) + n * sizeof(*r));

	c->num_rects = n;
	c->chunk.data_size = n * sizeof(*r);
	memcpy(c->chunk.data, r, n * sizeof(*r));
	return g_phys(g, c);
}

bool g_bug(struct guest *g)
{
	return qxl_device_guest_bug(g->dev);
}
