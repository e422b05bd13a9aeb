// SPDX-License-Identifier: MIT
/* What the channels serve, shared with the server's API (see model.h). */
#include <string.h>
#include <spice/enums.h>

#include "channels/model.h"

void sc_model_init(struct sc_model *m, const struct spice_core_ops *ops,
		   void *opaque, enum spice_core_compression compression,
		   const char *name, const uint8_t *uuid)
{
	static const struct spice_core_ops none;

	m->ops = ops ? ops : &none;
	m->opaque = opaque;
	m->compression = compression;
	m->name = name;
	m->uuid = uuid;
	g_mutex_init(&m->lock);
	g_queue_init(&m->play_chunks);
	m->playback.volume[0] = m->playback.volume[1] = UINT16_MAX;
	m->record.volume[0] = m->record.volume[1] = UINT16_MAX;
}

void sc_model_fini(struct sc_model *m)
{
	sc_model_play_clear(m);
	g_free(m->mig_host);
	g_free(m->mig_subject);
	g_mutex_clear(&m->lock);
}

struct SpiceCoreDisplay *sc_model_lock_display(struct sc_model *m,
					       unsigned int id)
{
	struct SpiceCoreDisplay *d;

	g_mutex_lock(&m->lock);
	d = id < SC_MAX_DISPLAYS ? m->displays[id] : NULL;
	if (!d)
		g_mutex_unlock(&m->lock);
	return d;
}

bool sc_model_has_display(struct sc_model *m, unsigned int id)
{
	if (!sc_model_lock_display(m, id))
		return false;
	g_mutex_unlock(&m->lock);
	return true;
}

unsigned int sc_model_display_ids(struct sc_model *m,
				  uint8_t ids[SC_MAX_DISPLAYS])
{
	unsigned int i, n = 0;

	g_mutex_lock(&m->lock);
	for (i = 0; i < SC_MAX_DISPLAYS; i++)
		if (m->displays[i])
			ids[n++] = (uint8_t)i;
	g_mutex_unlock(&m->lock);
	return n;
}

void sc_model_take_changes(struct sc_model *m, struct sc_changes *ch)
{
	unsigned int i;

	g_mutex_lock(&m->lock);
	for (i = 0; i < SC_MAX_DISPLAYS; i++) {
		pixman_region32_init(&ch->damage[i]);
		ch->copies[i] = NULL;
		if (m->displays[i]) {
			pixman_region32_copy(&ch->damage[i],
					     &m->displays[i]->damage);
			pixman_region32_clear(&m->displays[i]->damage);
			ch->copies[i] = m->displays[i]->copies;
			m->displays[i]->copies = NULL;
		}
	}
	g_mutex_unlock(&m->lock);
}

void sc_changes_fini(struct sc_changes *ch)
{
	unsigned int i;

	for (i = 0; i < SC_MAX_DISPLAYS; i++) {
		pixman_region32_fini(&ch->damage[i]);
		sc_copies_free(ch->copies[i]);
	}
}

void sc_copies_free(GArray *copies)
{
	unsigned int i;

	if (!copies)
		return;
	for (i = 0; i < copies->len; i++)
		pixman_region32_fini(&g_array_index(copies, struct sc_copy,
						    i).before);
	g_array_free(copies, TRUE);
}

void sc_model_count(struct sc_model *m, uint64_t *field, uint64_t n)
{
	g_mutex_lock(&m->lock);
	*field += n;
	g_mutex_unlock(&m->lock);
}

bool sc_model_mouse_host_abs(struct sc_model *m)
{
	bool avail;

	g_mutex_lock(&m->lock);
	avail = m->mouse_abs_available;
	g_mutex_unlock(&m->lock);
	return avail;
}

bool sc_model_mouse_abs_available(struct sc_model *m)
{
	return sc_model_mouse_host_abs(m) || m->agentdev;
}

uint32_t sc_model_mouse_modes(struct sc_model *m)
{
	return SPICE_MOUSE_MODE_SERVER |
	       (sc_model_mouse_abs_available(m) ? SPICE_MOUSE_MODE_CLIENT : 0);
}

void sc_model_play_push(struct sc_model *m, const uint8_t *pcm, size_t size,
			uint32_t time)
{
	while (size >= 4) {
		size_t n = MIN(size, (size_t)SPICE_CORE_AUDIO_CHUNK_MAX) &
			   ~(size_t)3;
		struct sc_audio_chunk *ch = g_malloc(sizeof(*ch) + n);

		ch->seq = m->play_seq++;
		ch->time = time;
		ch->size = (uint32_t)n;
		memcpy(ch->data, pcm, n);
		g_queue_push_tail(&m->play_chunks, ch);
		while (m->play_chunks.length > SPICE_CORE_AUDIO_QUEUE)
			g_free(g_queue_pop_head(&m->play_chunks));
		pcm += n;
		size -= n;
	}
}

void sc_model_play_clear(struct sc_model *m)
{
	gpointer ch;

	while ((ch = g_queue_pop_head(&m->play_chunks)))
		g_free(ch);
}

const struct sc_audio_chunk *sc_model_play_chunk(struct sc_model *m,
						 uint64_t *seq)
{
	const struct sc_audio_chunk *head = g_queue_peek_head(&m->play_chunks);
	const struct sc_audio_chunk *ch;

	if (!head)
		return NULL;
	if (*seq < head->seq)
		*seq = head->seq;	/* fell behind: the oldest kept */
	if (*seq - head->seq >= m->play_chunks.length)
		return NULL;
	ch = g_queue_peek_nth(&m->play_chunks, (guint)(*seq - head->seq));
	return ch;
}
