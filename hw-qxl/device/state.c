// SPDX-License-Identifier: MIT
/*
 * state.c - the device's state for savevm and migration.
 *
 * What lives in the BARs (the primary and off-screen surfaces' pixels,
 * the rings, the RAM header, the ROM the guest reads) travels with the
 * host's RAM; this file saves everything else: the configuration it must
 * match, the mode, the registers that are not in guest memory (release
 * chain, pending async port, interrupt level), the memslots, the surface
 * table, the commands the device holds, the cursor shape, the guest's
 * monitors config and the guest-bug state.  The format is a flat
 * little-endian byte string, versioned, described in
 * Documentation/qxl-device.rst ("Migration").
 *
 * A saved state is input like any other: the loader reads it into a
 * scratch copy, checks every field (sizes, ranges, that each pointer's
 * bytes lie inside one BAR), and only then replaces the device's state.
 * A bad stream leaves the device as it was and says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qxl_dev.h"

#define STATE_MAGIC	0x51584c53u	/* "SLXQ" read as bytes */
#define STATE_VERSION	1

/* Where a pointer into BAR memory points: a BAR and an offset. */
enum state_region {
	REGION_NONE = 0,	/* NULL */
	REGION_RAM = 1,		/* BAR0 */
	REGION_VRAM = 2,	/* BAR1 / BAR4 */
};

#define LOC_BYTES	9	/* u8 region + u64 offset */
#define SURFACE_BYTES	(5 * 4 + 2 * LOC_BYTES)
#define SLOT_BYTES	(1 + LOC_BYTES + 8 + 8 + 4)
#define HEAD_BYTES	(7 * 4)

/* ---- writing --------------------------------------------------------- */

struct wbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool oom;
};

static void w_bytes(struct wbuf *b, const void *src, size_t n)
{
	if (b->oom)
		return;
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap - b->len < n) {
			if (cap > SIZE_MAX / 2) {
				b->oom = true;
				return;
			}
			cap *= 2;
		}
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void w_u64(struct wbuf *b, uint64_t v, unsigned int bytes)
{
	uint8_t le[8];
	unsigned int i;

	for (i = 0; i < bytes; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	w_bytes(b, le, bytes);
}

#define w_u8(b, v)	w_u64(b, (uint8_t)(v), 1)
#define w_u16(b, v)	w_u64(b, (uint16_t)(v), 2)
#define w_u32(b, v)	w_u64(b, (uint32_t)(v), 4)

static void w_loc(struct wbuf *b, const struct qxl_device *dev,
		  const uint8_t *p)
{
	uintptr_t a = (uintptr_t)p, ram = (uintptr_t)dev->ram,
		  vram = (uintptr_t)dev->vram;

	/*
	 * Everything the device points at is in RAM or VRAM; an empty
	 * memslot may point just past the end of either.
	 */
	if (!p) {
		w_u8(b, REGION_NONE);
		w_u64(b, 0, 8);
	} else if (a >= vram && a - vram < dev->cfg.vram64_size) {
		w_u8(b, REGION_VRAM);
		w_u64(b, a - vram, 8);
	} else if (a >= ram && a - ram <= dev->cfg.ram_size) {
		w_u8(b, REGION_RAM);
		w_u64(b, a - ram, 8);
	} else {
		w_u8(b, REGION_VRAM);
		w_u64(b, a - vram, 8);
	}
}

/* ---- reading --------------------------------------------------------- */

struct rbuf {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool failed;
	char *err;
	size_t err_size;
};

static int fail(struct rbuf *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record the first error only; returns -1 for the caller to return. */
static int fail(struct rbuf *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return -1;
	r->failed = true;
	if (r->err && r->err_size) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->err_size, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const uint8_t *r_bytes(struct rbuf *r, size_t n)
{
	const uint8_t *p;

	if (r->failed)
		return NULL;
	if (n > r->len - r->pos) {
		fail(r, "state ends at byte %zu, %zu more bytes expected",
		     r->len, n - (r->len - r->pos));
		return NULL;
	}
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

/* A little-endian field of 1..8 bytes; 0 once the stream failed. */
static uint64_t r_u64(struct rbuf *r, unsigned int bytes)
{
	const uint8_t *p = r_bytes(r, bytes);
	uint64_t v = 0;
	unsigned int i;

	if (!p)
		return 0;
	for (i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

#define r_u8(r)		((uint8_t)r_u64(r, 1))
#define r_u16(r)	((uint16_t)r_u64(r, 2))
#define r_u32(r)	((uint32_t)r_u64(r, 4))
#define r_i32(r)	((int32_t)(uint32_t)r_u64(r, 4))

static bool r_bool(struct rbuf *r, const char *what)
{
	uint8_t v = r_u8(r);

	if (v > 1)
		fail(r, "%s: %u is not a boolean", what, v);
	return v == 1;
}

/*
 * A pointer into BAR memory with at least 'need' bytes behind it inside
 * the same BAR.  *out NULL for REGION_NONE (allowed only if may_be_null).
 */
static int r_loc(struct rbuf *r, struct qxl_device *dev, uint64_t need,
		 bool may_be_null, const char *what, uint8_t **out)
{
	uint8_t region = r_u8(r);
	uint64_t off = r_u64(r, 8), size;
	uint8_t *base;

	*out = NULL;
	if (r->failed)
		return -1;
	switch (region) {
	case REGION_NONE:
		if (!may_be_null)
			return fail(r, "%s: missing", what);
		return 0;
	case REGION_RAM:
		base = dev->ram;
		size = dev->cfg.ram_size;
		break;
	case REGION_VRAM:
		base = dev->vram;
		size = dev->cfg.vram64_size;
		break;
	default:
		return fail(r, "%s: unknown memory region %u", what, region);
	}
	if (off > size || need > size - off)
		return fail(r, "%s: %llu bytes at offset 0x%llx run past the "
			    "%s BAR (%llu bytes)", what,
			    (unsigned long long)need, (unsigned long long)off,
			    region == REGION_RAM ? "RAM" : "VRAM",
			    (unsigned long long)size);
	*out = base + off;
	return 0;
}

/* ---- the state --------------------------------------------------------- */

struct saved_surface {
	uint32_t id;
	struct qxl_surface_desc desc;
	uint8_t *held;		/* its CREATE command, or NULL */
};

/* Everything read from a stream, checked, before it replaces the state. */
struct loaded {
	enum qxl_dev_mode mode;
	int irq_level;
	bool guest_bug;
	char guest_bug_msg[sizeof(((struct qxl_device *)0)->guest_bug_msg)];
	uint32_t guest_warns;
	int async_io;
	bool async_done, cmd_pending, cursor_pending;
	struct qxl_rom rom;
	struct qxl_slot slots[QXL_NUM_MEMSLOTS];
	uint32_t rel_prod, rel_n_ids;
	uint8_t *rel_tail;
	uint64_t rel_releases, rel_pushes;
	uint32_t n_surfaces;
	struct saved_surface *surfaces;
	struct qxl_cursor_state cursor;
	unsigned int n_monitors;
	struct qxl_monitor_head monitors[QXL_MAX_MONITOR_HEADS];
};

static void loaded_free(struct loaded *l)
{
	free(l->surfaces);
	free(l->cursor.img.argb);
}

size_t qxl_device_state_max_size(const struct qxl_device *dev)
{
	return 4096 + sizeof(struct qxl_rom) +
	       QXL_NUM_MEMSLOTS * (size_t)SLOT_BYTES +
	       (size_t)dev->cfg.n_surfaces * SURFACE_BYTES +
	       (size_t)QXL_CURSOR_MAX_SIZE * QXL_CURSOR_MAX_SIZE * 4 +
	       QXL_MAX_MONITOR_HEADS * (size_t)HEAD_BYTES;
}

static void save_config(struct wbuf *b, const struct qxl_device_config *c)
{
	w_u8(b, c->is_vga);
	w_u8(b, c->revision);
	w_u64(b, c->ram_size, 8);
	w_u64(b, c->vram_size, 8);
	w_u64(b, c->vram64_size, 8);
	w_u64(b, c->vgamem_size, 8);
	w_u32(b, c->n_surfaces);
	w_u32(b, c->max_outputs);
}

static void save_surfaces(struct wbuf *b, const struct qxl_device *dev)
{
	const struct qxl_render *rd = &dev->render;
	uint32_t i, n = 0;

	for (i = 0; i < rd->n_surfaces; i++)
		n += rd->surfaces[i].live;
	w_u32(b, n);
	for (i = 0; i < rd->n_surfaces; i++) {
		const struct qxl_surface_state *s = &rd->surfaces[i];

		if (!s->live)
			continue;
		w_u32(b, i);
		w_u32(b, s->width);
		w_u32(b, s->height);
		w_u32(b, s->stride);
		w_u32(b, s->format);
		w_loc(b, dev, s->mem);
		w_loc(b, dev, i ? dev->held_create[i] : NULL);
	}
}

static void save_cursor(struct wbuf *b, const struct qxl_device *dev)
{
	const struct qxl_cursor_state *c = &dev->cursor;
	size_t i, n = (size_t)c->img.width * c->img.height;

	w_u8(b, c->defined);
	if (!c->defined)
		return;
	w_u8(b, c->visible);
	w_u32(b, c->x);
	w_u32(b, c->y);
	w_u64(b, c->img.unique, 8);
	w_u16(b, c->img.type);
	w_u16(b, c->img.width);
	w_u16(b, c->img.height);
	w_u16(b, c->img.hot_x);
	w_u16(b, c->img.hot_y);
	for (i = 0; i < n && c->img.argb; i++)
		w_u32(b, c->img.argb[i]);
	for (; i < n; i++)
		w_u32(b, 0);
	w_loc(b, dev, c->set_cmd);
}

int qxl_device_save_state(const struct qxl_device *dev, uint8_t **out,
			  size_t *len)
{
	struct wbuf b = { 0 };
	size_t msg_len = strnlen(dev->guest_bug_msg,
				 sizeof(dev->guest_bug_msg) - 1);
	unsigned int i;

	w_u32(&b, STATE_MAGIC);
	w_u32(&b, STATE_VERSION);
	save_config(&b, &dev->cfg);

	w_u8(&b, dev->mode);
	w_u8(&b, dev->irq_level);
	w_u8(&b, dev->guest_bug);
	w_u16(&b, msg_len);
	w_bytes(&b, dev->guest_bug_msg, msg_len);
	w_u32(&b, dev->guest_warns);
	w_u32(&b, dev->async_io);
	w_u8(&b, dev->async_done);
	w_u8(&b, dev->cmd_pending);
	w_u8(&b, dev->cursor_pending);
	w_bytes(&b, &dev->shadow_rom, sizeof(dev->shadow_rom));

	for (i = 0; i < QXL_NUM_MEMSLOTS; i++) {
		const struct qxl_slot *s = &dev->mem.slots[i];

		w_u8(&b, s->active);
		w_u64(&b, s->active ? s->size : 0, 8);
		w_u64(&b, s->active ? s->delta : 0, 8);
		w_u32(&b, s->active ? s->generation : 0);
		w_loc(&b, dev, s->active ? s->host : NULL);
	}

	w_u32(&b, dev->rel.prod);
	w_u32(&b, dev->rel.n_ids);
	w_loc(&b, dev, dev->rel.tail);
	w_u64(&b, dev->rel.releases, 8);
	w_u64(&b, dev->rel.pushes, 8);

	save_surfaces(&b, dev);
	save_cursor(&b, dev);

	w_u32(&b, dev->n_monitors);
	for (i = 0; i < dev->n_monitors; i++) {
		const struct qxl_monitor_head *h = &dev->monitors[i];

		w_u32(&b, h->id);
		w_u32(&b, h->surface_id);
		w_u32(&b, h->x);
		w_u32(&b, h->y);
		w_u32(&b, h->width);
		w_u32(&b, h->height);
		w_u32(&b, h->flags);
	}
	if (b.oom) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

/* ---- loading --------------------------------------------------------- */

static int load_config(struct rbuf *r, const struct qxl_device_config *c)
{
	struct {
		const char *name;
		uint64_t saved, here;
	} f[8];
	unsigned int i;

	f[0].name = "VGA class";
	f[0].saved = r_u8(r);
	f[0].here = c->is_vga;
	f[1].name = "revision";
	f[1].saved = r_u8(r);
	f[1].here = c->revision;
	f[2].name = "ram_size";
	f[2].saved = r_u64(r, 8);
	f[2].here = c->ram_size;
	f[3].name = "vram_size";
	f[3].saved = r_u64(r, 8);
	f[3].here = c->vram_size;
	f[4].name = "vram64_size";
	f[4].saved = r_u64(r, 8);
	f[4].here = c->vram64_size;
	f[5].name = "vgamem_size";
	f[5].saved = r_u64(r, 8);
	f[5].here = c->vgamem_size;
	f[6].name = "surfaces";
	f[6].saved = r_u32(r);
	f[6].here = c->n_surfaces;
	f[7].name = "max_outputs";
	f[7].saved = r_u32(r);
	f[7].here = c->max_outputs;
	if (r->failed)
		return -1;
	for (i = 0; i < 8; i++)
		if (f[i].saved != f[i].here)
			return fail(r, "saved device has %s %llu, this one %llu",
				    f[i].name,
				    (unsigned long long)f[i].saved,
				    (unsigned long long)f[i].here);
	return 0;
}

/* The ROM fields fixed by the configuration must be this device's. */
static int load_rom(struct rbuf *r, const struct qxl_device *dev,
		    struct qxl_rom *rom)
{
	const struct qxl_rom *here = &dev->shadow_rom;
	const uint8_t *p = r_bytes(r, sizeof(*rom));

	if (!p)
		return -1;
	memcpy(rom, p, sizeof(*rom));
	if (rom->magic != here->magic ||
	    rom->modes_offset != here->modes_offset ||
	    rom->num_pages != here->num_pages ||
	    rom->pages_offset != here->pages_offset ||
	    rom->draw_area_offset != here->draw_area_offset ||
	    rom->surface0_area_size != here->surface0_area_size ||
	    rom->ram_header_offset != here->ram_header_offset ||
	    rom->n_surfaces != here->n_surfaces ||
	    rom->slots_start != here->slots_start ||
	    rom->slots_end != here->slots_end ||
	    rom->slot_gen_bits != here->slot_gen_bits ||
	    rom->slot_id_bits != here->slot_id_bits)
		return fail(r, "saved ROM layout differs from this device's");
	if (rom->client_present > 1)
		return fail(r, "ROM client_present %u", rom->client_present);
	if (rom->client_monitors_config.count > QXL_CLIENT_MONITORS_MAX)
		return fail(r, "ROM client monitors count %u > %u",
			    rom->client_monitors_config.count,
			    QXL_CLIENT_MONITORS_MAX);
	return 0;
}

static int load_slots(struct rbuf *r, struct qxl_device *dev,
		      struct loaded *l)
{
	unsigned int i;

	for (i = 0; i < QXL_NUM_MEMSLOTS; i++) {
		struct qxl_slot *s = &l->slots[i];
		char what[32];

		snprintf(what, sizeof(what), "memslot %u", i);
		s->active = r_bool(r, what);
		s->size = r_u64(r, 8);
		s->delta = r_u64(r, 8);
		s->generation = r_u32(r);
		if (r_loc(r, dev, s->size, !s->active, what, &s->host))
			return -1;
		if (!s->active) {
			memset(s, 0, sizeof(*s));
			continue;
		}
		if (s->generation >= (1u << QXL_MEMSLOT_GEN_BITS))
			return fail(r, "%s: generation %u", what,
				    s->generation);
	}
	return 0;
}

static int load_surface(struct rbuf *r, struct qxl_device *dev,
			uint32_t prev_id, bool first,
			struct saved_surface *ss)
{
	struct qxl_surface_desc *d = &ss->desc;
	uint64_t abs_stride, min_stride;
	char what[32];
	int bpp;

	ss->id = r_u32(r);
	d->width = r_u32(r);
	d->height = r_u32(r);
	d->stride = r_i32(r);
	d->format = r_u32(r);
	if (r->failed)
		return -1;
	snprintf(what, sizeof(what), "surface %u", ss->id);
	if (ss->id >= dev->cfg.n_surfaces)
		return fail(r, "%s: id >= %u", what, dev->cfg.n_surfaces);
	if (!first && ss->id <= prev_id)
		return fail(r, "%s: ids out of order", what);
	bpp = qxl_surface_bpp(d->format);
	if (!bpp)
		return fail(r, "%s: format %u", what, d->format);
	if (!d->width || !d->height || d->width > QXL_MAX_SURFACE_DIM ||
	    d->height > QXL_MAX_SURFACE_DIM)
		return fail(r, "%s: size %ux%u", what, d->width, d->height);
	if (d->stride == INT32_MIN || (d->stride & 3))
		return fail(r, "%s: stride %d", what, d->stride);
	abs_stride = d->stride < 0 ? -(int64_t)d->stride : d->stride;
	min_stride = ((uint64_t)d->width * (uint64_t)bpp + 7) / 8;
	if (abs_stride < min_stride)
		return fail(r, "%s: stride %d < %llu", what, d->stride,
			    (unsigned long long)min_stride);
	d->size = abs_stride * d->height;
	d->keep_data = true;
	if (r_loc(r, dev, d->size, false, what, &d->mem) ||
	    r_loc(r, dev, sizeof(union qxl_release_info), true, what,
		  &ss->held))
		return -1;
	if (ss->id == 0 && (d->mem < dev->ram ||
			    d->mem + d->size > dev->ram + dev->cfg.vgamem_size))
		return fail(r, "%s: primary outside the surface 0 area", what);
	if (ss->id == 0 && ss->held)
		return fail(r, "%s: the primary holds no command", what);
	return 0;
}

static int load_surfaces(struct rbuf *r, struct qxl_device *dev,
			 struct loaded *l)
{
	uint32_t i;

	l->n_surfaces = r_u32(r);
	if (r->failed)
		return -1;
	if (l->n_surfaces > dev->cfg.n_surfaces)
		return fail(r, "%u surfaces saved, device has %u",
			    l->n_surfaces, dev->cfg.n_surfaces);
	/* Each takes SURFACE_BYTES: a short stream fails before a big alloc. */
	if ((uint64_t)l->n_surfaces * SURFACE_BYTES > r->len - r->pos)
		return fail(r, "%u surfaces saved, the state is too short",
			    l->n_surfaces);
	l->surfaces = calloc(l->n_surfaces ? l->n_surfaces : 1,
			     sizeof(*l->surfaces));
	if (!l->surfaces)
		return fail(r, "out of memory");
	for (i = 0; i < l->n_surfaces; i++)
		if (load_surface(r, dev, i ? l->surfaces[i - 1].id : 0, i == 0,
				 &l->surfaces[i]))
			return -1;
	return 0;
}

static int load_cursor(struct rbuf *r, struct qxl_device *dev,
		       struct qxl_cursor_state *c)
{
	const uint8_t *px;
	size_t n, i;

	c->defined = r_bool(r, "cursor defined");
	if (!c->defined)
		return r->failed ? -1 : 0;
	c->visible = r_bool(r, "cursor visible");
	c->x = r_i32(r);
	c->y = r_i32(r);
	c->img.unique = r_u64(r, 8);
	c->img.type = r_u16(r);
	c->img.width = r_u16(r);
	c->img.height = r_u16(r);
	c->img.hot_x = r_u16(r);
	c->img.hot_y = r_u16(r);
	if (r->failed)
		return -1;
	if (c->img.width > QXL_CURSOR_MAX_SIZE ||
	    c->img.height > QXL_CURSOR_MAX_SIZE)
		return fail(r, "cursor %ux%u larger than %u", c->img.width,
			    c->img.height, QXL_CURSOR_MAX_SIZE);
	n = (size_t)c->img.width * c->img.height;
	px = r_bytes(r, n * 4);
	if (!px)
		return -1;
	if (n) {
		c->img.argb = malloc(n * 4);
		if (!c->img.argb)
			return fail(r, "out of memory");
		for (i = 0; i < n; i++)
			c->img.argb[i] = (uint32_t)px[4 * i] |
					 (uint32_t)px[4 * i + 1] << 8 |
					 (uint32_t)px[4 * i + 2] << 16 |
					 (uint32_t)px[4 * i + 3] << 24;
	}
	return r_loc(r, dev, sizeof(union qxl_release_info), true,
		     "cursor command", &c->set_cmd);
}

static int load_monitors(struct rbuf *r, struct loaded *l)
{
	unsigned int i;

	l->n_monitors = r_u32(r);
	if (r->failed)
		return -1;
	if (l->n_monitors > QXL_MAX_MONITOR_HEADS)
		return fail(r, "%u monitor heads > %u", l->n_monitors,
			    QXL_MAX_MONITOR_HEADS);
	for (i = 0; i < l->n_monitors; i++) {
		struct qxl_monitor_head *h = &l->monitors[i];

		h->id = r_u32(r);
		h->surface_id = r_u32(r);
		h->x = r_u32(r);
		h->y = r_u32(r);
		h->width = r_u32(r);
		h->height = r_u32(r);
		h->flags = r_u32(r);
	}
	return r->failed ? -1 : 0;
}

static int load_registers(struct rbuf *r, struct qxl_device *dev,
			  struct loaded *l)
{
	uint8_t mode = r_u8(r);
	uint16_t msg_len;
	const uint8_t *msg;
	uint32_t async_io;

	l->irq_level = r_bool(r, "irq level");
	l->guest_bug = r_bool(r, "guest bug");
	msg_len = r_u16(r);
	if (r->failed)
		return -1;
	if (mode > QXL_MODE_NATIVE)
		return fail(r, "mode %u", mode);
	if (mode == QXL_MODE_VGA && !dev->cfg.is_vga)
		return fail(r, "VGA mode on a device without VGA");
	l->mode = mode;
	if (msg_len >= sizeof(l->guest_bug_msg))
		return fail(r, "guest bug message of %u bytes", msg_len);
	msg = r_bytes(r, msg_len);
	if (!msg)
		return -1;
	if (memchr(msg, 0, msg_len))
		return fail(r, "guest bug message holds a NUL");
	memcpy(l->guest_bug_msg, msg, msg_len);
	l->guest_bug_msg[msg_len] = 0;
	l->guest_warns = r_u32(r);
	async_io = r_u32(r);
	l->async_done = r_bool(r, "async done");
	l->cmd_pending = r_bool(r, "command ring pending");
	l->cursor_pending = r_bool(r, "cursor ring pending");
	if (r->failed)
		return -1;
	if (async_io != UINT32_MAX && (async_io < QXL_IO_UPDATE_AREA_ASYNC ||
				       async_io == QXL_IO_FLUSH_RELEASE ||
				       async_io >= QXL_IO_RANGE_SIZE))
		return fail(r, "pending async port %u", async_io);
	l->async_io = async_io == UINT32_MAX ? -1 : (int)async_io;
	if (l->async_done && l->async_io < 0)
		return fail(r, "async done with no async port pending");
	return 0;
}

static int load_release(struct rbuf *r, struct qxl_device *dev,
			struct loaded *l)
{
	l->rel_prod = r_u32(r);
	l->rel_n_ids = r_u32(r);
	if (r_loc(r, dev, sizeof(union qxl_release_info), true,
		  "release chain tail", &l->rel_tail))
		return -1;
	l->rel_releases = r_u64(r, 8);
	l->rel_pushes = r_u64(r, 8);
	if (r->failed)
		return -1;
	if ((l->rel_n_ids == 0) != (l->rel_tail == NULL))
		return fail(r, "release chain of %u ids with%s a tail",
			    l->rel_n_ids, l->rel_tail ? "" : "out");
	return 0;
}

static int load_all(struct rbuf *r, struct qxl_device *dev, struct loaded *l)
{
	uint32_t magic = r_u32(r), version = r_u32(r);

	if (r->failed)
		return -1;
	if (magic != STATE_MAGIC)
		return fail(r, "not a qxl device state (magic 0x%08x)", magic);
	if (version != STATE_VERSION)
		return fail(r, "state version %u, this device reads %u",
			    version, STATE_VERSION);
	if (load_config(r, &dev->cfg) || load_registers(r, dev, l) ||
	    load_rom(r, dev, &l->rom) || load_slots(r, dev, l) ||
	    load_release(r, dev, l) || load_surfaces(r, dev, l) ||
	    load_cursor(r, dev, &l->cursor) || load_monitors(r, l))
		return -1;
	if (r->pos != r->len)
		return fail(r, "%zu bytes after the end of the state",
			    r->len - r->pos);
	return 0;
}

/* Replace the device's state by l's (checked); 0, or -1 if out of memory. */
static int apply(struct qxl_device *dev, struct loaded *l)
{
	const struct qxl_display_sink *sink = dev->sink;
	uint32_t i;

	/* The old state goes without telling the sink: the host re-reads. */
	dev->sink = NULL;
	qxl_cursor_reset(dev, false);
	qxl_surfaces_destroy_all(dev, false);
	pixman_region32_clear(&dev->damage);

	dev->mode = l->mode;
	dev->irq_level = l->irq_level;
	dev->guest_bug = l->guest_bug;
	memcpy(dev->guest_bug_msg, l->guest_bug_msg,
	       sizeof(dev->guest_bug_msg));
	dev->guest_warns = l->guest_warns;
	dev->async_io = l->async_io;
	dev->async_done = l->async_done;
	dev->cmd_pending = l->cmd_pending;
	dev->cursor_pending = l->cursor_pending;
	dev->shadow_rom = l->rom;
	memcpy(dev->mem.slots, l->slots, sizeof(dev->mem.slots));
	dev->rel.prod = l->rel_prod;
	dev->rel.n_ids = l->rel_n_ids;
	dev->rel.tail = l->rel_tail;
	dev->rel.hold = false;
	dev->rel.releases = l->rel_releases;
	dev->rel.pushes = l->rel_pushes;
	dev->n_monitors = l->n_monitors;
	memcpy(dev->monitors, l->monitors, sizeof(dev->monitors));
	dev->cursor = l->cursor;
	l->cursor.img.argb = NULL;	/* now the device's */

	for (i = 0; i < l->n_surfaces; i++) {
		const struct saved_surface *ss = &l->surfaces[i];

		if (ss->id == 0 && ss->desc.stride < 0) {
			dev->primary_shadow = malloc(ss->desc.size);
			if (!dev->primary_shadow)
				goto oom;
		}
		if (qxl_surface_create(&dev->render, ss->id, &ss->desc))
			goto oom;
		if (ss->id)
			dev->held_create[ss->id] = ss->held;
	}
	if (dev->primary_shadow) {
		struct qxl_surface_state *s = &dev->render.surfaces[0];
		uint32_t abs_stride = (uint32_t)-s->stride, y;

		for (y = 0; y < s->height; y++)
			memcpy(dev->primary_shadow + (size_t)y * abs_stride,
			       s->line0 - (ptrdiff_t)y * abs_stride,
			       abs_stride);
	}
	dev->sink = sink;
	dev->deferred_scheduled = false;
	if (dev->cmd_pending || dev->cursor_pending || dev->async_done)
		qxl_schedule(dev);
	return 0;

oom:
	dev->sink = sink;
	qxl_hard_reset(dev);
	return -1;
}

int qxl_device_load_state(struct qxl_device *dev, const uint8_t *buf,
			  size_t len, char *err, size_t err_size)
{
	struct rbuf r = {
		.p = buf, .len = buf ? len : 0, .err = err,
		.err_size = err_size,
	};
	struct loaded *l = calloc(1, sizeof(*l));
	int ret;

	if (err && err_size)
		err[0] = 0;
	if (!l) {
		fail(&r, "out of memory");
		return -1;
	}
	ret = load_all(&r, dev, l);
	if (!ret && apply(dev, l)) {
		/*
		 * pixman refused a checked surface: only memory can be
		 * short.  The device was reset to a consistent state.
		 */
		fail(&r, "out of memory re-creating the surfaces");
		ret = -1;
	}
	loaded_free(l);
	free(l);
	return ret;
}
