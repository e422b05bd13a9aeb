// SPDX-License-Identifier: MIT
/*
 * sim.c - the simulator's device and host side, the guest's memory and
 * rings: the device created and its BARs mapped as firmware does, host
 * ops recorded, bump allocators in BAR memory, ring pushes and kicks,
 * the release ring popped.
 */
#include <stdio.h>
#include <string.h>

#include "qxl_sim.h"

/* Both rings the guest pushes on have this many slots. */
#define RING_SIZE	32

/* Host ops ------------------------------------------------------------ */

static void h_set_irq(void *opaque, int level)
{
	struct qxl_sim *s = opaque;

	s->irq = level;
	s->irq_changes++;
}

static void h_schedule(void *opaque)
{
	((struct qxl_sim *)opaque)->schedules++;
}

static void h_log(void *opaque, enum qxl_log_level level, const char *msg)
{
	struct qxl_sim *s = opaque;

	s->logs++;
	if (level == QXL_LOG_GUEST_ERROR)
		s->guest_errors++;
	snprintf(s->last_log, sizeof(s->last_log), "%s", msg);
	if (s->ops && s->ops->log)
		s->ops->log(s->opaque, level, msg);
}

static void h_mode_changed(void *opaque, bool native)
{
	struct qxl_sim *s = opaque;

	s->mode_changes++;
	s->native = native;
	if (s->ops && s->ops->mode_changed)
		s->ops->mode_changed(s->opaque, native);
}

static void h_mem_written(void *opaque, unsigned int bar, uint64_t offset,
			  uint64_t size)
{
	struct qxl_sim *s = opaque;

	s->mem_writes++;
	if (s->ops && s->ops->mem_written)
		s->ops->mem_written(s->opaque, bar, offset, size);
}

static const struct qxl_host_ops sim_host_ops = {
	.set_irq = h_set_irq,
	.schedule = h_schedule,
	.log = h_log,
	.mode_changed = h_mode_changed,
	.mem_written = h_mem_written,
};

/* Life cycle ------------------------------------------------------------ */

int qxl_sim_init(struct qxl_sim *s, const struct qxl_device_config *cfg,
		 const struct qxl_sim_ops *ops, void *opaque)
{
	struct qxl_device_config small;

	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	if (!cfg) {
		qxl_device_config_init(&small);
		small.vgamem_size = 8u << 20;
		small.ram_size = 16u << 20;
		small.vram_size = 4u << 20;
		small.n_surfaces = 64;
		cfg = &small;
	}
	s->dev = qxl_device_new(cfg, &sim_host_ops, s);
	if (!s->dev)
		return -1;
	s->native = qxl_device_in_native_mode(s->dev);
	/* Program the BARs the way firmware does: config space writes. */
	qxl_device_pci_config_write(s->dev, 0x10, 4, (uint32_t)QXL_SIM_RAM_GPA);
	qxl_device_pci_config_write(s->dev, 0x14, 4,
				    (uint32_t)QXL_SIM_VRAM_GPA);
	qxl_device_pci_config_write(s->dev, 0x18, 4, (uint32_t)QXL_SIM_ROM_GPA);
	qxl_device_pci_config_write(s->dev, 0x1c, 4, QXL_SIM_IO_PORT);
	s->ram = qxl_device_bar_ptr(s->dev, QXL_RAM_RANGE_INDEX);
	s->vram = qxl_device_bar_ptr(s->dev, QXL_VRAM_RANGE_INDEX);
	s->rom = qxl_device_bar_ptr(s->dev, QXL_ROM_RANGE_INDEX);
	s->ram_size = qxl_device_bar_size(s->dev, QXL_RAM_RANGE_INDEX);
	s->vram_size = qxl_device_bar_size(s->dev, QXL_VRAM_RANGE_INDEX);
	s->romp = (const struct qxl_rom *)s->rom;
	s->ramh = (struct qxl_ram_header *)(s->ram +
					    s->romp->ram_header_offset);
	s->ram_next = s->romp->pages_offset;
	s->vram_next = 0;
	return 0;
}

void qxl_sim_fini(struct qxl_sim *s)
{
	qxl_device_free(s->dev);
	memset(s, 0, sizeof(*s));
}

void qxl_sim_io(struct qxl_sim *s, unsigned int port, uint8_t val)
{
	qxl_device_io_write(s->dev, port, val);
}

void qxl_sim_deferred(struct qxl_sim *s)
{
	int n = 0;

	while (s->schedules && n++ < 100) {
		s->schedules = 0;
		qxl_device_run_deferred(s->dev);
	}
}

bool qxl_sim_bug(struct qxl_sim *s)
{
	return qxl_device_guest_bug(s->dev);
}

void qxl_sim_add_slots(struct qxl_sim *s)
{
	s->ramh->mem_slot.mem_start = QXL_SIM_RAM_GPA;
	s->ramh->mem_slot.mem_end = QXL_SIM_RAM_GPA + s->ram_size;
	qxl_sim_io(s, QXL_IO_MEMSLOT_ADD, QXL_SIM_SLOT_RAM);
	s->ramh->mem_slot.mem_start = QXL_SIM_VRAM_GPA;
	s->ramh->mem_slot.mem_end = QXL_SIM_VRAM_GPA + s->vram_size;
	qxl_sim_io(s, QXL_IO_MEMSLOT_ADD, QXL_SIM_SLOT_VRAM);
}

/* Guest memory ------------------------------------------------------------ */

qxl_phys qxl_sim_phys(struct qxl_sim *s, const void *host)
{
	const uint8_t *p = host;

	if (p >= s->ram && p < s->ram + s->ram_size)
		return qxl_memslot_high_bits(QXL_SIM_SLOT_RAM, 0, 8, 8) |
		       (uint64_t)(p - s->ram);
	return qxl_memslot_high_bits(QXL_SIM_SLOT_VRAM, 0, 8, 8) |
	       (uint64_t)(p - s->vram);
}

void *qxl_sim_host(struct qxl_sim *s, qxl_phys phys)
{
	uint64_t off = phys & ((1ull << 48) - 1);

	return (phys >> 56) == QXL_SIM_SLOT_RAM ? s->ram + off : s->vram + off;
}

static void *bump(struct qxl_sim *s, uint8_t *base, uint64_t *next,
		  uint64_t end, uint64_t align, size_t size, const char *what)
{
	uint64_t off = (*next + align - 1) & ~(align - 1);

	if (off > end || size > end - off) {
		if (s->ops && s->ops->out_of_memory)
			s->ops->out_of_memory(s->opaque, what, size);
		return NULL;
	}
	*next = off + size;
	memset(base + off, 0, size);
	return base + off;
}

void *qxl_sim_alloc(struct qxl_sim *s, size_t size)
{
	return bump(s, s->ram, &s->ram_next, s->romp->ram_header_offset, 8,
		    size, "guest RAM");
}

void *qxl_sim_valloc(struct qxl_sim *s, size_t size)
{
	return bump(s, s->vram, &s->vram_next, s->vram_size, 64, size,
		    "guest VRAM");
}

uint64_t qxl_sim_mark(const struct qxl_sim *s)
{
	return s->ram_next;
}

void qxl_sim_rewind(struct qxl_sim *s, uint64_t mark)
{
	if (mark >= s->romp->pages_offset && mark <= s->ram_next)
		s->ram_next = mark;
}

/* Rings ------------------------------------------------------------------- */

/* One ring entry; 1 when the device asked to be kicked, -1 when full. */
static int queue(struct qxl_ring_header *hdr, struct qxl_command *items,
		 uint32_t type, qxl_phys data)
{
	uint32_t slot;

	if (qxl_ring_prod_full(hdr, RING_SIZE))
		return -1;
	slot = qxl_ring_prod_slot(hdr, RING_SIZE);
	items[slot].data = data;
	items[slot].type = type;
	items[slot].padding = 0;
	return qxl_ring_push(hdr) ? 1 : 0;
}

int qxl_sim_queue_cmd(struct qxl_sim *s, uint32_t type, qxl_phys data)
{
	return queue(&s->ramh->cmd_ring.hdr, s->ramh->cmd_ring.items, type,
		     data);
}

int qxl_sim_queue_cursor(struct qxl_sim *s, uint32_t type, qxl_phys data)
{
	return queue(&s->ramh->cursor_ring.hdr, s->ramh->cursor_ring.items,
		     type, data);
}

static int push(struct qxl_sim *s, bool cursor, uint32_t type, qxl_phys data)
{
	unsigned int kick = cursor ? QXL_IO_NOTIFY_CURSOR : QXL_IO_NOTIFY_CMD;
	int r = cursor ? qxl_sim_queue_cursor(s, type, data) :
			 qxl_sim_queue_cmd(s, type, data);

	if (r < 0) {
		qxl_sim_io(s, kick, 0);
		qxl_sim_deferred(s);
		r = cursor ? qxl_sim_queue_cursor(s, type, data) :
			     qxl_sim_queue_cmd(s, type, data);
	}
	if (r > 0)
		qxl_sim_io(s, kick, 0);
	return r < 0 ? -1 : 0;
}

int qxl_sim_push_cmd(struct qxl_sim *s, uint32_t type, qxl_phys data)
{
	return push(s, false, type, data);
}

int qxl_sim_push_cursor(struct qxl_sim *s, uint32_t type, qxl_phys data)
{
	return push(s, true, type, data);
}

void qxl_sim_submit(struct qxl_sim *s, uint32_t type, const void *cmd)
{
	qxl_sim_push_cmd(s, type, qxl_sim_phys(s, cmd));
	qxl_sim_io(s, QXL_IO_NOTIFY_CMD, 0);
	qxl_sim_deferred(s);
}

void qxl_sim_submit_cursor(struct qxl_sim *s, const void *cmd)
{
	qxl_sim_push_cursor(s, QXL_CMD_CURSOR, qxl_sim_phys(s, cmd));
	qxl_sim_io(s, QXL_IO_NOTIFY_CURSOR, 0);
	qxl_sim_deferred(s);
}

int qxl_sim_releases(struct qxl_sim *s, uint64_t *ids, int max)
{
	struct qxl_ring_header *hdr = &s->ramh->release_ring.hdr;
	uint32_t slot;
	int n = 0;

	while (qxl_ring_cons_slot(hdr, QXL_RELEASE_RING_SIZE, &slot) == 1) {
		uint64_t id = s->ramh->release_ring.items[slot];

		qxl_ring_pop(hdr);
		while (id && n < max) {
			union qxl_release_info *ri = qxl_sim_host(s, id);

			ids[n++] = id;
			id = ri->next;
		}
	}
	return n;
}

int qxl_sim_sync(struct qxl_sim *s)
{
	uint64_t ids[64];
	int n, total = 0;

	qxl_sim_io(s, QXL_IO_NOTIFY_CMD, 0);
	qxl_sim_io(s, QXL_IO_NOTIFY_CURSOR, 0);
	qxl_sim_deferred(s);
	qxl_sim_io(s, QXL_IO_FLUSH_RELEASE, 0);
	do {
		n = qxl_sim_releases(s, ids, 64);
		total += n;
	} while (n == 64);
	return qxl_sim_bug(s) ? -1 : total;
}

/* The primary ------------------------------------------------------------- */

int qxl_sim_create_primary(struct qxl_sim *s, uint32_t w, uint32_t h,
			   int32_t stride, uint32_t format)
{
	struct qxl_surface_create *c = &s->ramh->create_surface;

	c->width = w;
	c->height = h;
	c->stride = stride;
	c->format = format;
	c->position = 0;
	c->mouse_mode = 1;
	c->flags = 0;
	c->type = QXL_SURF_TYPE_PRIMARY;
	c->mem = qxl_sim_phys(s, s->ram);
	qxl_sim_io(s, QXL_IO_CREATE_PRIMARY, 0);
	return qxl_sim_bug(s) ? -1 : 0;
}

/* Where pixel (x, y) of the 32-bit primary is, or NULL. */
static uint8_t *primary_px(struct qxl_sim *s, int x, int y)
{
	struct qxl_primary_info p;

	if (!qxl_device_get_primary(s->dev, &p) || x < 0 || y < 0 ||
	    (uint32_t)x >= p.width || (uint32_t)y >= p.height)
		return NULL;
	return p.data + (size_t)y * p.stride + 4 * (size_t)x;
}

uint32_t qxl_sim_px(struct qxl_sim *s, int x, int y)
{
	uint8_t *p = primary_px(s, x, y);
	uint32_t v = 0;

	if (p)
		memcpy(&v, p, 4);
	return v;
}

void qxl_sim_set_px(struct qxl_sim *s, int x, int y, uint32_t v)
{
	uint8_t *p = primary_px(s, x, y);

	if (p)
		memcpy(p, &v, 4);
}
