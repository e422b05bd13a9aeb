// SPDX-License-Identifier: MIT
/*
 * gen_seeds.c - writes the seed corpus for fuzz-hwqxl-cmd and
 * fuzz-hwqxl-io (tests/hw-qxl/corpus/<target>/).  Run by hand:
 *   gen-seeds DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qxl/qxl_abi.h>

#define S3(off) (qxl_memslot_high_bits(3, 0, 8, 8) | (off))

static uint8_t data[8192];

static void put(const char *dir, const char *name, const uint8_t *hdr,
		size_t hl, const uint8_t *d, size_t dl)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(hdr, 1, hl, f);
	fwrite(d, 1, dl, f);
	fclose(f);
}

/* One command of 'type' (fuzz encoding) at data offset 0. */
static void cmd_seed(const char *dir, const char *name, uint8_t type,
		     size_t dl)
{
	uint8_t hdr[6] = { 1, type, 0, 0, 0, 0 };

	put(dir, name, hdr, sizeof(hdr), data, dl);
}

int main(int argc, char **argv)
{
	char cdir[400], idir[400];
	struct qxl_drawable *d = (struct qxl_drawable *)data;
	struct qxl_image *im = (struct qxl_image *)(data + 512);
	struct qxl_data_chunk *ch = (struct qxl_data_chunk *)(data + 1024);
	struct qxl_surface_cmd *sc = (struct qxl_surface_cmd *)data;
	struct qxl_cursor_cmd *cc = (struct qxl_cursor_cmd *)data;
	struct qxl_cursor *cur = (struct qxl_cursor *)(data + 512);
	struct qxl_clip_rects *cr = (struct qxl_clip_rects *)(data + 2048);
	uint8_t io[64];
	size_t i;

	if (argc != 2 || !strcmp(argv[1], "--help")) {
		printf("usage: gen-seeds DIR\nWrites DIR/fuzz-hwqxl-cmd/* and "
		       "DIR/fuzz-hwqxl-io/* seed inputs.\n");
		return argc == 2 ? 0 : 2;
	}
	snprintf(cdir, sizeof(cdir), "%s/fuzz-hwqxl-cmd", argv[1]);
	snprintf(idir, sizeof(idir), "%s/fuzz-hwqxl-io", argv[1]);

	/* FILL with a clip list */
	memset(data, 0, sizeof(data));
	d->type = QXL_DRAW_FILL;
	d->bbox = (struct qxl_rect){ 2, 2, 30, 40 };
	d->u.fill.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.fill.brush.u.color = 0x336699;
	d->u.fill.rop_descriptor = QXL_ROPD_OP_XOR;
	d->clip.type = QXL_CLIP_TYPE_RECTS;
	d->clip.data = S3(2048);
	cr->num_rects = 2;
	cr->chunk.data_size = 32;
	memcpy(cr->chunk.data, &(struct qxl_rect[2]){ { 0, 0, 8, 8 },
						       { 10, 10, 20, 20 } }, 32);
	cmd_seed(cdir, "fill-clip", 1, 2100);

	/* COPY of a chunked 8x8 32-bit bitmap */
	memset(data, 0, sizeof(data));
	d->type = QXL_DRAW_COPY;
	d->bbox = (struct qxl_rect){ 0, 0, 8, 8 };
	d->u.copy.src_bitmap = S3(512);
	d->u.copy.src_area = (struct qxl_rect){ 0, 0, 8, 8 };
	d->u.copy.rop_descriptor = QXL_ROPD_OP_PUT;
	im->descriptor.type = QXL_IMAGE_TYPE_BITMAP;
	im->bitmap.format = QXL_BITMAP_FMT_32BIT;
	im->bitmap.flags = QXL_BITMAP_TOP_DOWN;
	im->bitmap.x = 8;
	im->bitmap.y = 8;
	im->bitmap.stride = 32;
	im->bitmap.data = S3(1024);
	ch->data_size = 256;
	for (i = 0; i < 256; i++)
		ch->data[i] = (uint8_t)(i * 7);
	cmd_seed(cdir, "copy-bitmap32", 1, 1400);

	/* ROP3 with an 8-bit palette bitmap, scaled */
	d->type = QXL_DRAW_ROP3;
	d->bbox = (struct qxl_rect){ 0, 0, 16, 16 };
	d->u.rop3.src_bitmap = S3(512);
	d->u.rop3.src_area = (struct qxl_rect){ 0, 0, 8, 8 };
	d->u.rop3.brush.type = QXL_BRUSH_TYPE_SOLID;
	d->u.rop3.rop3 = 0xb8;
	im->bitmap.format = QXL_BITMAP_FMT_8BIT;
	im->bitmap.stride = 8;
	im->bitmap.palette = S3(3000);
	ch->data_size = 64;
	((struct qxl_palette *)(data + 3000))->num_ents = 4;
	cmd_seed(cdir, "rop3-palette", 1, 3100);

	/* COMPOSITE */
	memset(data, 0, sizeof(data));
	d->type = QXL_DRAW_COMPOSITE;
	d->bbox = (struct qxl_rect){ 0, 0, 8, 8 };
	d->u.composite.flags = QXL_OP_OVER | (1 << QXL_COMPOSITE_SRC_REPEAT_SHIFT);
	d->u.composite.src = S3(512);
	im->descriptor.type = QXL_IMAGE_TYPE_BITMAP;
	im->bitmap.format = QXL_BITMAP_FMT_RGBA;
	im->bitmap.flags = QXL_BITMAP_TOP_DOWN | QXL_BITMAP_DIRECT;
	im->bitmap.x = 4;
	im->bitmap.y = 4;
	im->bitmap.stride = 16;
	im->bitmap.data = S3(1024);
	cmd_seed(cdir, "composite", 1, 1200);

	/* surface create */
	memset(data, 0, sizeof(data));
	sc->surface_id = 3;
	sc->type = QXL_SURFACE_CMD_CREATE;
	sc->u.surface_create.format = QXL_SURFACE_FMT_32_xRGB;
	sc->u.surface_create.width = 16;
	sc->u.surface_create.height = 16;
	sc->u.surface_create.stride = -64;
	sc->u.surface_create.data = S3(1024);
	cmd_seed(cdir, "surface-create", 4, 2100);

	/* cursor set, mono */
	memset(data, 0, sizeof(data));
	cc->type = QXL_CURSOR_SET;
	cc->u.set.visible = 1;
	cc->u.set.shape = S3(512);
	cur->header.type = QXL_CURSOR_TYPE_MONO;
	cur->header.width = 16;
	cur->header.height = 16;
	cur->data_size = 64;
	cur->chunk.data_size = 64;
	cmd_seed(cdir, "cursor-mono", 6, 700);

	/* io: header bytes for mem_slot + create_surface, then ports */
	{
		struct qxl_ram_header rh;
		uint16_t L = sizeof(rh);
		uint8_t *out = malloc(2 + sizeof(rh) + 2 + sizeof(io));
		size_t n = 0, k = 0;

		memset(&rh, 0, sizeof(rh));
		rh.int_mask = QXL_INTERRUPT_ALL;
		rh.mem_slot.mem_start = 0xe0000000ull;
		rh.mem_slot.mem_end = 0xe0000000ull + (16u << 20);
		rh.create_surface.width = 32;
		rh.create_surface.height = 32;
		rh.create_surface.stride = 128;
		rh.create_surface.format = QXL_SURFACE_FMT_32_xRGB;
		rh.create_surface.mem = qxl_memslot_high_bits(4, 0, 8, 8);
		rh.update_area = (struct qxl_rect){ 0, 0, 8, 8 };
		memcpy(rh.log_buf, "hi", 3);
		memcpy(out, &L, 2);
		memcpy(out + 2, &rh, sizeof(rh));
		n = 2 + sizeof(rh);
		out[n++] = 0xff;
		out[n++] = 0xff;
		io[k++] = QXL_IO_MEMSLOT_ADD; io[k++] = 4;
		io[k++] = QXL_IO_CREATE_PRIMARY_ASYNC; io[k++] = 0;
		io[k++] = 0xf0; io[k++] = 0;
		io[k++] = QXL_IO_UPDATE_AREA; io[k++] = 0;
		io[k++] = QXL_IO_LOG; io[k++] = 0;
		io[k++] = 0xf1; io[k++] = 2;
		io[k++] = QXL_IO_NOTIFY_OOM; io[k++] = 0;
		io[k++] = QXL_IO_FLUSH_RELEASE; io[k++] = 0;
		io[k++] = QXL_IO_MONITORS_CONFIG_ASYNC; io[k++] = 0;
		io[k++] = 0xf0; io[k++] = 0;
		io[k++] = QXL_IO_DESTROY_PRIMARY; io[k++] = 0;
		io[k++] = QXL_IO_SET_MODE; io[k++] = 1;
		io[k++] = QXL_IO_RESET; io[k++] = 0;
		memcpy(out + n, io, k);
		put(idir, "create-update-reset", out, n + k, NULL, 0);
		free(out);
	}
	return 0;
}
