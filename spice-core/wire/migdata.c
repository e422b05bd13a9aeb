// SPDX-License-Identifier: MIT
/* Seamless migration data, one blob per channel (migdata.h). */
#include <string.h>
#include <spice/enums.h>

#include "net/bounds.h"
#include "wire/migdata.h"

#define MAIN_BODY	1
#define DISPLAY_BODY	19
#define INPUTS_BODY	4
#define PIXMAP_CACHE_MAX	((int64_t)INT32_MAX)

static uint8_t body_size(uint8_t channel_type)
{
	switch (channel_type) {
	case SPICE_CHANNEL_MAIN:
		return MAIN_BODY;
	case SPICE_CHANNEL_DISPLAY:
		return DISPLAY_BODY;
	case SPICE_CHANNEL_INPUTS:
		return INPUTS_BODY;
	default:
		return 0;
	}
}

void sc_mig_data_put(struct sc_buf *b, const struct sc_mig_data *d)
{
	sc_buf_u32(b, SC_MIG_MAGIC);
	sc_buf_u32(b, SC_MIG_VERSION);
	sc_buf_u8(b, d->channel_type);
	sc_buf_u8(b, body_size(d->channel_type));
	switch (d->channel_type) {
	case SPICE_CHANNEL_MAIN:
		sc_buf_u8(b, d->u.main.agent_connected);
		break;
	case SPICE_CHANNEL_DISPLAY:
		sc_buf_u8(b, d->u.display.has_surface);
		sc_buf_u32(b, d->u.display.width);
		sc_buf_u32(b, d->u.display.height);
		sc_buf_u64(b, (uint64_t)d->u.display.pixmap_cache);
		sc_buf_u8(b, d->u.display.compression);
		sc_buf_u8(b, d->u.display.stream);
		break;
	case SPICE_CHANNEL_INPUTS:
		sc_buf_u32(b, d->u.inputs.motion_count);
		break;
	}
}

/* A 0/1 flag; anything else is a bad blob. */
static bool flag(struct sc_rd *r, bool *out)
{
	uint8_t v = sc_rd_u8(r);

	*out = v == 1;
	return v <= 1;
}

int sc_parse_mig_data(const uint8_t *p, size_t size, struct sc_mig_data *d,
		      const char **why)
{
	struct sc_rd r = sc_rd_init(p, size);
	uint32_t magic, version;
	uint8_t len;
	bool ok = true;

	memset(d, 0, sizeof(*d));
	if (size < SC_MIG_HEADER_SIZE) {
		*why = "migration data shorter than its header";
		return -1;
	}
	magic = sc_rd_u32(&r);
	version = sc_rd_u32(&r);
	d->channel_type = sc_rd_u8(&r);
	len = sc_rd_u8(&r);
	if (magic != SC_MIG_MAGIC) {
		*why = "migration data of another server (bad magic)";
		return -1;
	}
	if (version != SC_MIG_VERSION) {
		*why = "migration data of another version";
		return -1;
	}
	if (len != body_size(d->channel_type) || r.left != len) {
		*why = "migration data body of the wrong size";
		return -1;
	}
	switch (d->channel_type) {
	case SPICE_CHANNEL_MAIN:
		ok = flag(&r, &d->u.main.agent_connected);
		break;
	case SPICE_CHANNEL_DISPLAY:
		ok = flag(&r, &d->u.display.has_surface);
		d->u.display.width = sc_rd_u32(&r);
		d->u.display.height = sc_rd_u32(&r);
		d->u.display.pixmap_cache = (int64_t)sc_rd_u64(&r);
		d->u.display.compression = sc_rd_u8(&r);
		ok = flag(&r, &d->u.display.stream) && ok;
		if (ok && (d->u.display.pixmap_cache < 0 ||
			   d->u.display.pixmap_cache > PIXMAP_CACHE_MAX)) {
			*why = "migration data: pixmap cache budget out of "
			       "range";
			return -1;
		}
		if (ok && d->u.display.has_surface &&
		    (!sc_dim_ok(d->u.display.width) ||
		     !sc_dim_ok(d->u.display.height))) {
			*why = "migration data: surface size out of range";
			return -1;
		}
		if (ok && d->u.display.compression >=
		    SPICE_IMAGE_COMPRESSION_ENUM_END) {
			*why = "migration data: unknown compression";
			return -1;
		}
		break;
	case SPICE_CHANNEL_INPUTS:
		d->u.inputs.motion_count = sc_rd_u32(&r);
		break;
	}
	if (!ok || !r.ok) {
		*why = "migration data: a flag is neither 0 nor 1";
		return -1;
	}
	return 0;
}
