// SPDX-License-Identifier: MIT
/* Client bytes -> message structs (see demarshal.h). */
#include <string.h>
#include <spice/protocol.h>
#include <spice/enums.h>
#include <spice/vd_agent.h>

#include "net/bounds.h"
#include "net/buf.h"
#include "wire/demarshal.h"

int sc_parse_link_header(const uint8_t *p, uint32_t *size, const char **why)
{
	uint32_t magic = sc_get_u32(p);
	uint32_t major = sc_get_u32(p + 4);

	*size = sc_get_u32(p + 12);
	if (magic != SPICE_MAGIC) {
		*why = "bad magic (not REDQ)";
		return SPICE_LINK_ERR_INVALID_MAGIC;
	}
	if (major != SPICE_VERSION_MAJOR) {
		*why = "protocol major version is not 2";
		return SPICE_LINK_ERR_VERSION_MISMATCH;
	}
	if (*size < SC_LINK_MESS_SIZE || *size > SC_LINK_MAX_SIZE) {
		*why = "link message size outside [18, 4096]";
		return SPICE_LINK_ERR_INVALID_DATA;
	}
	return SPICE_LINK_ERR_OK;
}

static void read_caps(const uint8_t *p, uint32_t n, uint32_t *out)
{
	uint32_t i;

	memset(out, 0, SC_CAP_WORDS * sizeof(*out));
	for (i = 0; i < n && i < SC_CAP_WORDS; i++)
		out[i] = sc_get_u32(p + 4 * i);
}

int sc_parse_link_mess(const uint8_t *p, size_t size,
		       struct sc_link_mess *out, const char **why)
{
	size_t words, bytes, end;
	uint32_t off;

	memset(out, 0, sizeof(*out));
	if (size < SC_LINK_MESS_SIZE || size > SC_LINK_MAX_SIZE) {
		*why = "link message size outside [18, 4096]";
		return SPICE_LINK_ERR_INVALID_DATA;
	}
	out->connection_id = sc_get_u32(p);
	out->channel_type = p[4];
	out->channel_id = p[5];
	out->num_common_caps = sc_get_u32(p + 6);
	out->num_channel_caps = sc_get_u32(p + 10);
	off = sc_get_u32(p + 14);
	if (out->num_common_caps > SC_LINK_MAX_CAPS ||
	    out->num_channel_caps > SC_LINK_MAX_CAPS) {
		*why = "more than 1024 capability words";
		return SPICE_LINK_ERR_INVALID_DATA;
	}
	if (off < SC_LINK_MESS_SIZE) {
		*why = "caps_offset inside the link message";
		return SPICE_LINK_ERR_INVALID_DATA;
	}
	if (!sc_size_add(out->num_common_caps, out->num_channel_caps,
			 2 * SC_LINK_MAX_CAPS, &words) ||
	    !sc_size_mul(words, 4, size, &bytes) ||
	    !sc_size_add(off, bytes, size, &end)) {
		*why = "capabilities run past the link message";
		return SPICE_LINK_ERR_INVALID_DATA;
	}
	read_caps(p + off, out->num_common_caps, out->common_caps);
	read_caps(p + off + 4 * out->num_common_caps, out->num_channel_caps,
		  out->channel_caps);
	return SPICE_LINK_ERR_OK;
}

void sc_parse_data_header(const uint8_t *p, int mini, uint16_t *type,
			  uint32_t *size)
{
	if (mini) {
		*type = sc_get_u16(p);
		*size = sc_get_u32(p + 2);
	} else {		/* u64 serial, u16 type, u32 size, u32 sub_list */
		*type = sc_get_u16(p + 8);
		*size = sc_get_u32(p + 10);
	}
}

/* Base messages every channel accepts. */
static int parse_base(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	switch (type) {
	case SPICE_MSGC_ACK_SYNC:
		m->kind = SC_MSG_ACK_SYNC;
		m->u.generation = sc_rd_u32(r);
		return 1;
	case SPICE_MSGC_ACK:
		m->kind = SC_MSG_ACK;
		return 1;
	case SPICE_MSGC_PONG:
		m->kind = SC_MSG_PONG;
		m->u.pong.id = sc_rd_u32(r);
		m->u.pong.timestamp = sc_rd_u64(r);
		return 1;
	case SPICE_MSGC_DISCONNECTING:
		m->kind = SC_MSG_DISCONNECTING;
		return 1;
	case SPICE_MSGC_MIGRATE_FLUSH_MARK:
		m->kind = SC_MSG_MIGRATE_FLUSH_MARK;
		return 1;
	case SPICE_MSGC_MIGRATE_DATA:	/* checked by sc_parse_mig_data */
		m->kind = SC_MSG_MIGRATE_DATA;
		m->u.bytes.size = r->left;
		m->u.bytes.data = sc_rd_bytes(r, r->left);
		return 1;
	}
	return 0;
}

void sc_parse_main(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	switch (type) {
	case SPICE_MSGC_MAIN_ATTACH_CHANNELS:
		m->kind = SC_MSG_MAIN_ATTACH_CHANNELS;
		break;
	case SPICE_MSGC_MAIN_MOUSE_MODE_REQUEST:
		m->kind = SC_MSG_MAIN_MOUSE_MODE_REQUEST;
		m->u.mouse_mode = sc_rd_u16(r);
		break;
	case SPICE_MSGC_MAIN_AGENT_START:
		m->kind = SC_MSG_MAIN_AGENT_START;
		m->u.tokens = sc_rd_u32(r);
		break;
	case SPICE_MSGC_MAIN_AGENT_TOKEN:
		m->kind = SC_MSG_MAIN_AGENT_TOKEN;
		m->u.tokens = sc_rd_u32(r);
		break;
	case SPICE_MSGC_MAIN_AGENT_DATA:
		m->kind = SC_MSG_MAIN_AGENT_DATA;
		m->u.bytes.size = r->left;
		m->u.bytes.data = sc_rd_bytes(r, r->left);
		break;
	case SPICE_MSGC_MAIN_MIGRATE_CONNECTED:		/* no body */
		m->kind = SC_MSG_MAIN_MIGRATE_CONNECTED;
		break;
	case SPICE_MSGC_MAIN_MIGRATE_CONNECT_ERROR:
		m->kind = SC_MSG_MAIN_MIGRATE_CONNECT_ERROR;
		break;
	case SPICE_MSGC_MAIN_MIGRATE_END:
		m->kind = SC_MSG_MAIN_MIGRATE_END;
		break;
	case SPICE_MSGC_MAIN_MIGRATE_CONNECTED_SEAMLESS:
		m->kind = SC_MSG_MAIN_MIGRATE_CONNECTED_SEAMLESS;
		break;
	case SPICE_MSGC_MAIN_MIGRATE_DST_DO_SEAMLESS:
		m->kind = SC_MSG_MAIN_MIGRATE_DST_DO_SEAMLESS;
		m->u.mig_version = sc_rd_u32(r);
		break;
	}
}

void sc_parse_display(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	switch (type) {
	case SPICE_MSGC_DISPLAY_INIT:
		m->kind = SC_MSG_DISPLAY_INIT;
		sc_rd_u8(r);		/* pixmap_cache_id */
		m->u.display_init.pixmap_cache_size = (int64_t)sc_rd_u64(r);
		sc_rd_u8(r);		/* glz_dictionary_id */
		m->u.display_init.glz_window = (int32_t)sc_rd_u32(r);
		break;
	case SPICE_MSGC_DISPLAY_PREFERRED_COMPRESSION:
		m->kind = SC_MSG_DISPLAY_PREFERRED_COMPRESSION;
		m->u.compression = sc_rd_u8(r);
		break;
	}
}

void sc_parse_inputs(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	switch (type) {
	case SPICE_MSGC_INPUTS_KEY_DOWN:
	case SPICE_MSGC_INPUTS_KEY_UP:
		m->kind = type == SPICE_MSGC_INPUTS_KEY_DOWN ?
			  SC_MSG_INPUTS_KEY_DOWN : SC_MSG_INPUTS_KEY_UP;
		m->u.key_code = sc_rd_u32(r);
		break;
	case SPICE_MSGC_INPUTS_KEY_MODIFIERS:
		m->kind = SC_MSG_INPUTS_KEY_MODIFIERS;
		m->u.modifiers = sc_rd_u16(r);
		break;
	case SPICE_MSGC_INPUTS_KEY_SCANCODE:
		m->kind = SC_MSG_INPUTS_KEY_SCANCODE;
		m->u.bytes.size = r->left;
		m->u.bytes.data = sc_rd_bytes(r, r->left);
		break;
	case SPICE_MSGC_INPUTS_MOUSE_MOTION:
		m->kind = SC_MSG_INPUTS_MOUSE_MOTION;
		m->u.motion.dx = (int32_t)sc_rd_u32(r);
		m->u.motion.dy = (int32_t)sc_rd_u32(r);
		m->u.motion.buttons = sc_rd_u16(r);
		break;
	case SPICE_MSGC_INPUTS_MOUSE_POSITION:
		m->kind = SC_MSG_INPUTS_MOUSE_POSITION;
		m->u.position.x = sc_rd_u32(r);
		m->u.position.y = sc_rd_u32(r);
		m->u.position.buttons = sc_rd_u16(r);
		m->u.position.display_id = sc_rd_u8(r);
		break;
	case SPICE_MSGC_INPUTS_MOUSE_PRESS:
	case SPICE_MSGC_INPUTS_MOUSE_RELEASE:
		m->kind = type == SPICE_MSGC_INPUTS_MOUSE_PRESS ?
			  SC_MSG_INPUTS_MOUSE_PRESS :
			  SC_MSG_INPUTS_MOUSE_RELEASE;
		m->u.press.button = sc_rd_u8(r);
		m->u.press.buttons = sc_rd_u16(r);
		break;
	}
}

void sc_parse_record(uint16_t type, struct sc_rd *r, struct sc_msg *m)
{
	switch (type) {
	case SPICE_MSGC_RECORD_DATA:
		m->kind = SC_MSG_RECORD_DATA;
		m->u.record.time = sc_rd_u32(r);
		break;
	case SPICE_MSGC_RECORD_MODE:
		m->kind = SC_MSG_RECORD_MODE;
		m->u.record.time = sc_rd_u32(r);
		m->u.record.mode = sc_rd_u16(r);
		break;
	case SPICE_MSGC_RECORD_START_MARK:
		m->kind = SC_MSG_RECORD_START_MARK;
		m->u.record.time = sc_rd_u32(r);
		return;
	default:
		return;
	}
	m->u.record.size = r->left;
	m->u.record.data = sc_rd_bytes(r, r->left);
}

int sc_demarshal(sc_parse_fn *parse, uint16_t type, const uint8_t *body,
		 size_t size, struct sc_msg *out, const char **why)
{
	struct sc_rd r = sc_rd_init(body, size);

	memset(out, 0, sizeof(*out));
	out->type = type;
	if (!parse_base(type, &r, out) && parse)
		parse(type, &r, out);
	if (!r.ok) {
		*why = "message shorter than its type needs";
		return -1;
	}
	return 0;
}

int sc_parse_agent_header(const uint8_t *p, struct sc_agent_header *out,
			  const char **why)
{
	struct sc_rd r = sc_rd_init(p, SC_AGENT_HEADER_SIZE);

	out->protocol = sc_rd_u32(&r);
	out->type = sc_rd_u32(&r);
	out->opaque = sc_rd_u64(&r);
	out->size = sc_rd_u32(&r);
	if (out->protocol != VD_AGENT_PROTOCOL) {
		*why = "agent message protocol is not 1";
		return -1;
	}
	return 0;
}

#define MON_CONFIG_SIZE 20	/* VDAgentMonConfig */

int sc_parse_agent_monitors(const uint8_t *p, size_t size,
			    struct spice_core_head *heads, unsigned int *n,
			    const char **why)
{
	struct sc_rd r = sc_rd_init(p, size);
	uint32_t count, i;

	*n = 0;
	count = sc_rd_u32(&r);
	sc_rd_u32(&r);		/* flags */
	if (!r.ok) {
		*why = "monitors config shorter than its header";
		return -1;
	}
	if (count > r.left / MON_CONFIG_SIZE) {
		*why = "monitors config count larger than its payload";
		return -1;
	}
	for (i = 0; i < count; i++) {
		uint32_t h = sc_rd_u32(&r), w = sc_rd_u32(&r);
		int32_t x, y;

		sc_rd_u32(&r);	/* depth */
		x = sc_coord((int32_t)sc_rd_u32(&r));
		y = sc_coord((int32_t)sc_rd_u32(&r));
		if (w == 0 || h == 0)
			continue;	/* a disabled monitor */
		if (!sc_dim_ok(w) || !sc_dim_ok(h)) {
			*why = "monitor larger than 16384 pixels";
			return -1;
		}
		if (*n == SC_MAX_HEADS) {
			*why = "more than 16 enabled monitors";
			return -1;
		}
		heads[*n].x = x;
		heads[*n].y = y;
		heads[*n].width = w;
		heads[*n].height = h;
		(*n)++;
	}
	if (*n == 0) {
		*why = "monitors config without an enabled monitor";
		return -1;
	}
	return 0;
}

int sc_parse_agent_caps(const uint8_t *p, size_t size, uint32_t *request,
			uint32_t *caps0, const char **why)
{
	struct sc_rd r = sc_rd_init(p, size);

	*request = sc_rd_u32(&r);
	*caps0 = r.left >= 4 ? sc_rd_u32(&r) : 0;
	if (!r.ok) {
		*why = "agent capabilities shorter than 4 bytes";
		return -1;
	}
	return 0;
}

/* SASL ------------------------------------------------------------------------ */

int sc_parse_sasl_mechlen(const uint8_t *p, uint32_t *len, const char **why)
{
	*len = sc_get_u32(p);
	if (*len < 1 || *len > SC_SASL_MECH_MAX) {
		*why = "SASL mechanism name length outside [1, 100]";
		return -1;
	}
	return 0;
}

int sc_parse_sasl_mechname(const uint8_t *p, size_t len, const char *mechlist,
			   char out[SC_SASL_MECH_MAX + 1], const char **why)
{
	const char *hit;
	size_t i;

	out[0] = '\0';
	if (len < 1 || len > SC_SASL_MECH_MAX) {
		*why = "SASL mechanism name length outside [1, 100]";
		return -1;
	}
	for (i = 0; i < len; i++) {
		uint8_t ch = p[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-' || ch == '_')) {
			*why = "SASL mechanism name has a character outside "
			       "A-Z 0-9 - _";
			return -1;
		}
	}
	memcpy(out, p, len);
	out[len] = '\0';
	/* Whole names only: ",NAME," somewhere in ",A,B,". */
	for (hit = mechlist; (hit = strstr(hit, out)) != NULL; hit++) {
		if (hit > mechlist && hit[-1] == ',' && hit[len] == ',')
			return 0;
	}
	out[0] = '\0';
	*why = "SASL mechanism not offered";
	return -1;
}

int sc_parse_sasl_datalen(const uint8_t *p, uint32_t *len, const char **why)
{
	*len = sc_get_u32(p);
	if (*len > SC_SASL_DATA_MAX) {
		*why = "SASL data longer than 65536 bytes";
		return -1;
	}
	return 0;
}
