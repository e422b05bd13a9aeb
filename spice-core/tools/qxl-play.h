/* SPDX-License-Identifier: MIT */
/*
 * qxl-play.h - spice-serve --qxl: pictures and animations played as QXL
 * commands.  The device simulator (hw-qxl/sim) drives a QXL device whose
 * display sink is the SPICE adapter (hw-qxl/spice) serving a display
 * source: device core, display sink, spice-core, socket, the path QEMU
 * users run minus QEMU.
 */
#ifndef SPICE_SERVE_QXL_PLAY_H
#define SPICE_SERVE_QXL_PLAY_H

#include <stdint.h>
#include <spice-core/spice-core.h>

struct qxl_play;

/*
 * A QXL device (qxlng-vga-like: VGA until its primary exists) whose
 * display `display` serves, with a w x h primary of format
 * (SPICE_CORE_FMT_*, which equal QXL's).  NULL with *why set if it cannot
 * be made (too large for the device, ...).
 */
struct qxl_play *qxl_play_new(SpiceCoreDisplay *display, uint32_t w,
			      uint32_t h, uint32_t format, const char **why);
void qxl_play_free(struct qxl_play *p);

/*
 * Drawing, queued as commands; each returns 0, or -1 once the device saw
 * a guest bug (qxl_play_error() says which).  px is the picture as 32-bit
 * xRGB, width pixels a row, (0, 0) at the top left of the primary.
 */
/* DRAW_COPY of px's rectangle (x, y, w, h), in bands of bitmaps. */
int qxl_play_rect(struct qxl_play *p, const uint32_t *px, uint32_t width,
		  uint32_t x, uint32_t y, uint32_t w, uint32_t h);
/* DRAW_FILL of (x, y, w, h) with color. */
int qxl_play_fill(struct qxl_play *p, uint32_t x, uint32_t y, uint32_t w,
		  uint32_t h, uint32_t color);
/* COPY_BITS: (x, y, w, h) takes the pixels at (x + dx, y + dy). */
int qxl_play_scroll(struct qxl_play *p, uint32_t x, uint32_t y, uint32_t w,
		    uint32_t h, int dx, int dy);
/* A cursor SET: an ALPHA shape, shown at (0, 0). */
int qxl_play_cursor(struct qxl_play *p, const uint32_t *argb, uint16_t w,
		    uint16_t h, uint16_t hot_x, uint16_t hot_y);
/* End of frame: the device renders what is queued (its damage reaches
 * spice-core) and releases it. */
int qxl_play_flush(struct qxl_play *p);
const char *qxl_play_error(const struct qxl_play *p);

#endif
