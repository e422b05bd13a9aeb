// SPDX-License-Identifier: MIT
/* test_ports.c - PCI identity, BARs, ROM, RAM header and each I/O port. */
#include <stdlib.h>

#include "harness.h"

static void pci_config_vga_ids_class_revision_pin(void)
{
	struct guest g;

	g_init(&g);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0, 2), 0x1b36);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 2, 2), 0x0100);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 8, 1), 5);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x0a, 2), 0x0300);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x3d, 1), 1);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x10, 4), QXL_SIM_RAM_GPA);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x1c, 4), QXL_SIM_IO_PORT | 1);
	g_fini(&g);
}

static void pci_config_secondary_class_0380_and_rev3(void)
{
	struct qxl_device_config cfg;
	struct guest g;

	qxl_device_config_init(&cfg);
	cfg.is_vga = false;
	cfg.revision = 3;
	cfg.vgamem_size = 8u << 20;
	g_init_cfg(&g, &cfg);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x0a, 2), 0x0380);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 8, 1), 3);
	CHECK(qxl_device_in_native_mode(g.sim.dev));
	g_fini(&g);
}

static void pci_bar_sizing_reports_sizes(void)
{
	struct qxl_device_config cfg;
	struct guest g;

	qxl_device_config_init(&cfg);
	cfg.vram64_size = 256u << 20;	/* BAR4 appears */
	g_init_cfg(&g, &cfg);
	qxl_device_pci_config_write(g.sim.dev, 0x10, 4, 0xffffffff);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x10, 4),
		 ~(QXL_DEFAULT_RAM_SIZE - 1u));
	qxl_device_pci_config_write(g.sim.dev, 0x18, 4, 0xffffffff);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x18, 4), ~(8192u - 1));
	qxl_device_pci_config_write(g.sim.dev, 0x1c, 4, 0xffffffff);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x1c, 4), ~(32u - 1) | 1);
	CHECK_EQ(qxl_device_pci_config_read(g.sim.dev, 0x20, 4) & 0xf, 0xc);
	CHECK_EQ(qxl_device_bar_size(g.sim.dev, 4), 256u << 20);
	CHECK(qxl_device_bar_flags(g.sim.dev, 4) & QXL_BAR_FLAG_64BIT);
	CHECK_EQ(qxl_device_bar_size(g.sim.dev, 1), QXL_DEFAULT_VRAM_SIZE);
	g_fini(&g);
}

static void default_config_fits_4k_primary(void)
{
	struct qxl_device_config cfg;
	struct guest g;

	qxl_device_config_init(&cfg);
	g_init_cfg(&g, &cfg);
	g_add_slots(&g);
	CHECK(g.sim.romp->surface0_area_size >= 3840u * 2160 * 4);
	CHECK_EQ(g_create_primary(&g, 3840, 2160, 3840 * 4,
				  QXL_SURFACE_FMT_32_xRGB), 0);
	CHECK_EQ(g.primary.width, 3840);
	g_fini(&g);
}

static void rom_header_modes_and_ram_header(void)
{
	const struct qxl_modes *m;
	struct guest g;
	uint32_t i;
	bool has_1080 = false;

	g_init(&g);
	CHECK_EQ(g.sim.romp->magic, QXL_ROM_MAGIC);
	CHECK_EQ(g.sim.romp->n_surfaces, 64);
	CHECK_EQ(g.sim.romp->slot_id_bits, 8);
	CHECK_EQ(g.sim.romp->slot_gen_bits, 8);
	CHECK_EQ(g.sim.romp->slots_start, 1);
	CHECK_EQ(g.sim.romp->slots_end, 7);
	CHECK_EQ(g.sim.romp->ram_header_offset, (16u << 20) - 8192);
	CHECK_EQ(g.sim.romp->surface0_area_size, 8u << 20);
	CHECK_EQ(g.sim.romp->num_pages, ((16u << 20) - 8192 - (8u << 20)) / 4096);
	m = (const struct qxl_modes *)(g.sim.rom + g.sim.romp->modes_offset);
	CHECK(m->n_modes > 8);
	for (i = 0; i < m->n_modes; i++) {
		CHECK((uint64_t)m->modes[i].stride * m->modes[i].y_res <=
		      (8u << 20));
		if (m->modes[i].x_res == 1920 && m->modes[i].y_res == 1080 &&
		    m->modes[i].bits == 32)
			has_1080 = true;
	}
	CHECK(has_1080);
	CHECK_EQ(g.sim.ramh->magic, QXL_RAM_MAGIC);
	CHECK_EQ(g.sim.ramh->cmd_ring.hdr.num_items, 32);
	CHECK_EQ(g.sim.ramh->release_ring.hdr.num_items, 8);
	CHECK_EQ(g.sim.ramh->cmd_ring.hdr.notify_on_prod, 1);
	g_fini(&g);
}

static void io_read_returns_ff(void)
{
	struct guest g;

	g_init(&g);
	CHECK_EQ(qxl_device_io_read(g.sim.dev, QXL_IO_NOTIFY_CMD), 0xff);
	CHECK_EQ(qxl_device_io_read(g.sim.dev, 24), 0xff);
	g_fini(&g);
}

static void create_primary_leaves_vga_and_tells_sink(void)
{
	struct guest g;

	g_init(&g);
	CHECK(!qxl_device_in_native_mode(g.sim.dev));
	CHECK_EQ(g_create_primary(&g, 64, 32, 256, QXL_SURFACE_FMT_32_xRGB), 0);
	CHECK(qxl_device_in_native_mode(g.sim.dev));
	CHECK_EQ(g.sim.mode_changes, 1);
	CHECK_EQ(g.primary_creates, 1);
	CHECK_EQ(g.primary.width, 64);
	CHECK_EQ(g.primary.height, 32);
	CHECK_EQ(g.primary.stride, 256);
	CHECK(g.primary.data == g.sim.ram);
	g_io(&g, QXL_IO_DESTROY_PRIMARY, 0);
	CHECK_EQ(g.primary_destroys, 1);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void create_primary_async_raises_io_cmd_when_done(void)
{
	struct guest g;
	struct qxl_surface_create *c;

	g_init(&g);
	g.sim.ramh->int_mask = QXL_INTERRUPT_IO_CMD;
	g_io(&g, QXL_IO_UPDATE_IRQ, 0);
	c = &g.sim.ramh->create_surface;
	c->width = 32;
	c->height = 32;
	c->stride = 128;
	c->format = QXL_SURFACE_FMT_32_xRGB;
	c->mem = g_phys(&g, g.sim.ram);
	g_io(&g, QXL_IO_CREATE_PRIMARY_ASYNC, 0);
	CHECK_EQ(g.sim.irq, 0);		/* completion is deferred */
	CHECK(g.sim.schedules > 0);
	g_deferred(&g);
	CHECK_EQ(g.sim.irq, 1);
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_IO_CMD);
	CHECK_EQ(g.primary_creates, 1);
	g.sim.ramh->int_pending = 0;
	g_io(&g, QXL_IO_UPDATE_IRQ, 0);
	CHECK_EQ(g.sim.irq, 0);
	g_fini(&g);
}

static void update_irq_follows_pending_and_mask(void)
{
	struct guest g;

	g_init(&g);
	g.sim.ramh->int_pending = QXL_INTERRUPT_DISPLAY;
	g.sim.ramh->int_mask = 0;
	g_io(&g, QXL_IO_UPDATE_IRQ, 0);
	CHECK_EQ(g.sim.irq, 0);
	g.sim.ramh->int_mask = QXL_INTERRUPT_DISPLAY;
	g_io(&g, QXL_IO_UPDATE_IRQ, 0);
	CHECK_EQ(g.sim.irq, 1);
	g.sim.ramh->int_pending = 0;
	g_io(&g, QXL_IO_UPDATE_IRQ, 0);
	CHECK_EQ(g.sim.irq, 0);
	g_fini(&g);
}

static void memslot_del_then_use_is_guest_bug(void)
{
	struct guest g;
	struct qxl_drawable *d;

	g_init(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	g_io(&g, QXL_IO_MEMSLOT_DEL, QXL_SIM_SLOT_RAM);
	d = g_drawable(&g, QXL_DRAW_NOP, 0, 0, 0, 1, 1);
	g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, d));
	CHECK(g_bug(&g));
	g_fini(&g);
}

static void memslot_add_async_completes(void)
{
	struct guest g;

	g_init(&g);
	g.sim.ramh->int_mask = QXL_INTERRUPT_IO_CMD;
	g.sim.ramh->mem_slot.mem_start = QXL_SIM_RAM_GPA;
	g.sim.ramh->mem_slot.mem_end = QXL_SIM_RAM_GPA + 4096;
	g_io(&g, QXL_IO_MEMSLOT_ADD_ASYNC, 3);
	g_deferred(&g);
	CHECK(!g_bug(&g));
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_IO_CMD);
	CHECK_EQ(g.sim.romp->slot_generation, 0);
	g_fini(&g);
}

static void log_port_prints_bounded_text(void)
{
	struct guest g;

	g_init(&g);
	memcpy(g.sim.ramh->log_buf, "hello from guest\n", 18);
	g_io(&g, QXL_IO_LOG, 0);
	CHECK(strstr(g.sim.last_log, "hello from guest") != NULL);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void set_mode_creates_bottom_up_compat_primary(void)
{
	const struct qxl_modes *m;
	struct guest g;
	uint32_t i, idx = 0;

	g_init(&g);
	m = (const struct qxl_modes *)(g.sim.rom + g.sim.romp->modes_offset);
	for (i = 0; i < m->n_modes; i++)
		if (m->modes[i].x_res == 640 && m->modes[i].bits == 32) {
			idx = i;
			break;
		}
	g_io(&g, QXL_IO_SET_MODE, (uint8_t)idx);
	CHECK(!g_bug(&g));
	CHECK_EQ(g.primary_creates, 1);
	CHECK_EQ(g.primary.width, 640);
	CHECK_EQ(g.primary.height, 480);
	CHECK_EQ(g.primary.stride, 640 * 4);
	CHECK_EQ(g.sim.romp->mode, idx);
	/* Bottom-up: guest line 479 (start of BAR0) is the top row. */
	CHECK(g.primary.data != g.sim.ram);
	g_fini(&g);
}

static void reset_port_restores_power_on_state(void)
{
	struct guest g;

	g_init(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	g_io(&g, 30, 0);		/* a guest bug */
	CHECK(g_bug(&g));
	g_io(&g, QXL_IO_UPDATE_IRQ, 0);	/* ignored in guest-bug state */
	g_io(&g, QXL_IO_RESET, 0);
	CHECK(!g_bug(&g));
	CHECK(!qxl_device_in_native_mode(g.sim.dev));
	CHECK_EQ(g.primary_destroys, 1);
	CHECK_EQ(g.sim.ramh->int_pending, 0);
	CHECK_EQ(g.sim.ramh->cmd_ring.hdr.prod, 0);
	CHECK_EQ(g.sim.irq, 0);
	/* Memslots are gone after reset. */
	g.sim.ramh->create_surface.mem = g_phys(&g, g.sim.ram);
	g_io(&g, QXL_IO_CREATE_PRIMARY, 0);
	CHECK(g_bug(&g));
	g_fini(&g);
}

static void destroy_all_surfaces_and_flush_surfaces_async(void)
{
	struct guest g;

	g_init(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	g.sim.ramh->int_mask = QXL_INTERRUPT_IO_CMD;
	g_io(&g, QXL_IO_FLUSH_SURFACES_ASYNC, 0);
	g_deferred(&g);
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_IO_CMD);
	g.sim.ramh->int_pending = 0;
	g_io(&g, QXL_IO_DESTROY_ALL_SURFACES_ASYNC, 0);
	g_deferred(&g);
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_IO_CMD);
	CHECK_EQ(g.primary_destroys, 1);
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void client_monitors_config_written_with_crc_and_irq(void)
{
	struct qxl_client_head h[2] = { { 0, 0, 1024, 768 },
					{ 1024, 0, 800, 600 } };
	struct guest g;

	g_init(&g);
	/* Guest has not unmasked the interrupt: nothing written. */
	CHECK_EQ(qxl_device_client_monitors_config(g.sim.dev, 2, h), 0);
	g.sim.ramh->int_mask = QXL_INTERRUPT_CLIENT_MONITORS_CONFIG;
	CHECK_EQ(qxl_device_client_monitors_config(g.sim.dev, 2, h), 1);
	CHECK_EQ(g.sim.romp->client_monitors_config.count, 2);
	CHECK_EQ(g.sim.romp->client_monitors_config.heads[1].left, 1024);
	CHECK_EQ(g.sim.romp->client_monitors_config.heads[1].right, 1824);
	CHECK_EQ(g.sim.romp->client_monitors_config.heads[0].bottom, 768);
	CHECK_EQ(g.sim.romp->client_monitors_config_crc,
		 qxl_client_monitors_config_crc(&g.sim.romp->client_monitors_config,
			sizeof(g.sim.romp->client_monitors_config)));
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_CLIENT_MONITORS_CONFIG);
	CHECK_EQ(g.sim.irq, 1);
	/* Same config again: no new interrupt. */
	g.sim.ramh->int_pending = 0;
	g_io(&g, QXL_IO_UPDATE_IRQ, 0);
	CHECK_EQ(qxl_device_client_monitors_config(g.sim.dev, 2, h), 1);
	CHECK_EQ(g.sim.ramh->int_pending, 0);
	g_fini(&g);
}

static void client_monitors_config_capped_at_max_outputs(void)
{
	struct qxl_client_head h[3] = { { 0, 0, 10, 10 }, { 10, 0, 10, 10 },
					{ 20, 0, 10, 10 } };
	struct qxl_device_config cfg;
	struct guest g;

	qxl_device_config_init(&cfg);
	cfg.max_outputs = 2;
	cfg.vgamem_size = 8u << 20;
	g_init_cfg(&g, &cfg);
	g.sim.ramh->int_mask = QXL_INTERRUPT_CLIENT_MONITORS_CONFIG;
	CHECK_EQ(qxl_device_client_monitors_config(g.sim.dev, 3, h), 1);
	CHECK_EQ(g.sim.romp->client_monitors_config.count, 2);
	g_fini(&g);
}

static void client_caps_in_rom_raise_client_irq(void)
{
	uint8_t caps[QXL_CLIENT_CAPS_BYTES] = { 0 };
	struct guest g;

	g_init(&g);
	caps[0] = 0x2a;
	g.sim.ramh->int_mask = QXL_INTERRUPT_CLIENT;
	qxl_device_set_client_present(g.sim.dev, true);
	qxl_device_set_client_caps(g.sim.dev, caps);
	CHECK_EQ(g.sim.romp->client_present, 1);
	CHECK_EQ(g.sim.romp->client_capabilities[0], 0x2a);
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_CLIENT);
	CHECK_EQ(g.sim.irq, 1);
	g_fini(&g);
}

static void monitors_config_async_reaches_sink(void)
{
	struct qxl_monitors_config *mc;
	struct guest g;

	g_init(&g);
	g_create_primary(&g, 64, 64, 256, QXL_SURFACE_FMT_32_xRGB);
	mc = g_alloc(&g, sizeof(*mc) + 2 * sizeof(struct qxl_head));
	mc->count = 2;
	mc->max_allowed = 4;
	mc->heads[0].width = 32;
	mc->heads[0].height = 64;
	mc->heads[1].x = 32;
	mc->heads[1].width = 32;
	mc->heads[1].height = 64;
	g.sim.ramh->monitors_config = g_phys(&g, mc);
	g.sim.ramh->int_mask = QXL_INTERRUPT_IO_CMD;
	g_io(&g, QXL_IO_MONITORS_CONFIG_ASYNC, 0);
	g_deferred(&g);
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_IO_CMD);
	CHECK_EQ(g.mon_n, 2);
	CHECK_EQ(g.mons[1].x, 32);
	CHECK_EQ(g.mons[1].width, 32);
	g_fini(&g);
}

static void release_ring_batches_32_then_pushes(void)
{
	struct guest g;
	uint64_t ids[64];
	int i, n;

	g_init(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	for (i = 0; i < 31; i++)
		g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, g_drawable(&g,
				QXL_DRAW_NOP, 0, 0, 0, 1, 1)));
	g_io(&g, QXL_IO_NOTIFY_CMD, 0);
	CHECK_EQ(g_releases(&g, ids, 64), 0);	/* 31 < 32: held */
	g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, g_drawable(&g, QXL_DRAW_NOP,
			0, 0, 0, 1, 1)));
	g_io(&g, QXL_IO_NOTIFY_CMD, 0);
	n = g_releases(&g, ids, 64);
	CHECK_EQ(n, 32);			/* one chain of 32 */
	CHECK(!g_bug(&g));
	g_fini(&g);
}

static void flush_release_pushes_partial_chain(void)
{
	struct guest g;
	struct qxl_drawable *d1, *d2;
	uint64_t ids[8];

	g_init(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	d1 = g_drawable(&g, QXL_DRAW_NOP, 0, 0, 0, 1, 1);
	d2 = g_drawable(&g, QXL_DRAW_NOP, 0, 0, 0, 1, 1);
	g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, d1));
	g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, d2));
	g_io(&g, QXL_IO_NOTIFY_CMD, 0);
	CHECK_EQ(g_releases(&g, ids, 8), 0);
	g_io(&g, QXL_IO_FLUSH_RELEASE, 0);
	CHECK_EQ(g_releases(&g, ids, 8), 2);
	CHECK_EQ(ids[0], g_phys(&g, d1));	/* head first, then chain */
	CHECK_EQ(ids[1], g_phys(&g, d2));
	CHECK_EQ(d2->release_info.next, 0);
	g_fini(&g);
}

static void notify_oom_drains_ring_and_pushes(void)
{
	struct guest g;
	uint64_t ids[8];
	int i;

	g_init(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	/* Queue without notifying (ring notify already consumed). */
	for (i = 0; i < 3; i++)
		g_queue_cmd(&g, QXL_CMD_DRAW, g_phys(&g, g_drawable(&g,
			    QXL_DRAW_NOP, 0, 0, 0, 1, 1)));
	g_io(&g, QXL_IO_NOTIFY_OOM, 0);
	CHECK_EQ(g_releases(&g, ids, 8), 3);
	CHECK_EQ(g.sim.ramh->cmd_ring.hdr.cons, 3);
	g_fini(&g);
}

static void ring_budget_defers_the_rest(void)
{
	struct qxl_device_config cfg;
	struct guest g;
	int i;

	qxl_device_config_init(&cfg);
	cfg.vgamem_size = 8u << 20;
	cfg.ring_budget = 4;
	g_init_cfg(&g, &cfg);
	g_add_slots(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	for (i = 0; i < 10; i++)
		g_queue_cmd(&g, QXL_CMD_DRAW, g_phys(&g, g_drawable(&g,
			    QXL_DRAW_NOP, 0, 0, 0, 1, 1)));
	g_io(&g, QXL_IO_NOTIFY_CMD, 0);
	CHECK_EQ(g.sim.ramh->cmd_ring.hdr.cons, 4);
	CHECK(g.sim.schedules > 0);
	g_deferred(&g);
	CHECK_EQ(g.sim.ramh->cmd_ring.hdr.cons, 10);
	/* Empty again: the device asked for a kick at the next push. */
	CHECK_EQ(g.sim.ramh->cmd_ring.hdr.notify_on_prod, 11);
	g_fini(&g);
}

static void display_irq_when_ring_space_frees(void)
{
	struct guest g;
	struct qxl_ring_header *h;

	g_init(&g);
	g_create_primary(&g, 16, 16, 64, QXL_SURFACE_FMT_32_xRGB);
	g.sim.ramh->int_mask = QXL_INTERRUPT_DISPLAY;
	h = &g.sim.ramh->cmd_ring.hdr;
	h->notify_on_cons = 1;		/* guest waits for a free slot */
	g_push_cmd(&g, QXL_CMD_DRAW, g_phys(&g, g_drawable(&g, QXL_DRAW_NOP,
			0, 0, 0, 1, 1)));
	CHECK(g.sim.ramh->int_pending & QXL_INTERRUPT_DISPLAY);
	CHECK_EQ(g.sim.irq, 1);
	g_fini(&g);
}

const struct test tests_ports[] = {
	{ "pci_config_vga_ids_class_revision_pin",
	  pci_config_vga_ids_class_revision_pin },
	{ "pci_config_secondary_class_0380_and_rev3",
	  pci_config_secondary_class_0380_and_rev3 },
	{ "pci_bar_sizing_reports_sizes", pci_bar_sizing_reports_sizes },
	{ "default_config_fits_4k_primary", default_config_fits_4k_primary },
	{ "rom_header_modes_and_ram_header", rom_header_modes_and_ram_header },
	{ "io_read_returns_ff", io_read_returns_ff },
	{ "create_primary_leaves_vga_and_tells_sink",
	  create_primary_leaves_vga_and_tells_sink },
	{ "create_primary_async_raises_io_cmd_when_done",
	  create_primary_async_raises_io_cmd_when_done },
	{ "update_irq_follows_pending_and_mask",
	  update_irq_follows_pending_and_mask },
	{ "memslot_del_then_use_is_guest_bug",
	  memslot_del_then_use_is_guest_bug },
	{ "memslot_add_async_completes", memslot_add_async_completes },
	{ "log_port_prints_bounded_text", log_port_prints_bounded_text },
	{ "set_mode_creates_bottom_up_compat_primary",
	  set_mode_creates_bottom_up_compat_primary },
	{ "reset_port_restores_power_on_state",
	  reset_port_restores_power_on_state },
	{ "destroy_all_surfaces_and_flush_surfaces_async",
	  destroy_all_surfaces_and_flush_surfaces_async },
	{ "client_monitors_config_written_with_crc_and_irq",
	  client_monitors_config_written_with_crc_and_irq },
	{ "client_monitors_config_capped_at_max_outputs",
	  client_monitors_config_capped_at_max_outputs },
	{ "client_caps_in_rom_raise_client_irq",
	  client_caps_in_rom_raise_client_irq },
	{ "monitors_config_async_reaches_sink",
	  monitors_config_async_reaches_sink },
	{ "release_ring_batches_32_then_pushes",
	  release_ring_batches_32_then_pushes },
	{ "flush_release_pushes_partial_chain",
	  flush_release_pushes_partial_chain },
	{ "notify_oom_drains_ring_and_pushes",
	  notify_oom_drains_ring_and_pushes },
	{ "ring_budget_defers_the_rest", ring_budget_defers_the_rest },
	{ "display_irq_when_ring_space_frees",
	  display_irq_when_ring_space_frees },
	{ NULL, NULL },
};
