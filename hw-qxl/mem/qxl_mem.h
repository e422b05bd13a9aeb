/* SPDX-License-Identifier: MIT */
/*
 * qxl_mem.h - layer 1 of the hw-qxl core: guest memory access.
 *
 * The lowest layer: memslots and the one bounds-checked translation from a
 * guest address to a host pointer, chunk lists, taking ring entries and
 * building the release ring's chains.  It knows nothing of commands,
 * surfaces or the device.  What it finds wrong in guest memory goes to a
 * report context (struct qxl_report) whose callback the device registers;
 * that a ring wants an interrupt is a return value the device acts on.
 * The layers above (parse, render, device) use it; it includes none of
 * them.
 */
#ifndef QXL_MEM_H
#define QXL_MEM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <qxl/qxl_abi.h>

/* Caps on guest-described data, so a hostile guest costs bounded work. */
#define QXL_MAX_CHUNKS		4096	  /* data chunks in one list */
#define QXL_MAX_IMAGE_BYTES	(256u << 20) /* one list's or image's bytes */

/* ---- reporting (report.c) ------------------------------------------ */

enum qxl_report_kind {
	QXL_REPORT_BUG,		/* refused guest input: the guest-bug state */
	QXL_REPORT_WARN,	/* tolerated guest error: a rate-limited log */
	QXL_REPORT_DEBUG,	/* not the guest's fault: a debug log line */
};

/*
 * Where the lower layers report guest errors: the device registers its
 * callback (NULL: reports are dropped).  fmt and ap are printf-style.
 */
struct qxl_report {
	void (*report)(void *opaque, enum qxl_report_kind kind,
		       const char *fmt, va_list ap);
	void *opaque;
};

void qxl_report_bug(const struct qxl_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void qxl_report_warn(const struct qxl_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void qxl_report_debug(const struct qxl_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- memslots (memslot.c) ------------------------------------------ */

/* Device memory the guest reaches at gpa (a mapped RAM or VRAM BAR). */
struct qxl_mem_window {
	uint8_t *host;
	uint64_t gpa;
	uint64_t size;
};

/* A memslot, resolved at MEMSLOT_ADD time into host memory. */
struct qxl_slot {
	bool active;
	uint8_t *host;		/* slot start, inside one window */
	uint64_t size;		/* mem_end - mem_start */
	uint64_t delta;		/* subtracted from offsets (0; SET_MODE: gpa) */
	uint32_t generation;
};

/* Guest memory as the device sees it: the slots and where errors go. */
struct qxl_mem {
	struct qxl_report report;
	struct qxl_slot slots[QXL_NUM_MEMSLOTS];
};

/*
 * Add slot slot_id over guest-physical [start, end], which must lie
 * inside one of the n windows (tried in order).  0, or -1 after a guest
 * bug.
 */
int qxl_memslot_add(struct qxl_mem *m, unsigned int slot_id, uint64_t start,
		    uint64_t end, uint64_t delta, uint32_t generation,
		    const struct qxl_mem_window *win, unsigned int n);
void qxl_memslot_del(struct qxl_mem *m, unsigned int slot_id);
void qxl_memslots_reset(struct qxl_mem *m);
/*
 * The only way from a guest address to a host pointer: [phys, phys +
 * len) inside one active slot of the right generation, else NULL (a
 * guest bug).
 */
void *qxl_memslot_translate(const struct qxl_mem *m, qxl_phys phys,
			    uint64_t len);
/*
 * Translate len bytes at phys and copy them once into *out; returns the
 * translated pointer (the command in guest memory), or NULL.
 */
uint8_t *qxl_memslot_copy(const struct qxl_mem *m, qxl_phys phys, void *out,
			  uint64_t len);

/* ---- chunk lists (chunks.c) ----------------------------------------- */

/* Bytes read from guest memory: ptr is either guest memory or owned. */
struct qxl_buf {
	const uint8_t *ptr;
	uint64_t size;
	uint8_t *owned;
};

void qxl_buf_free(struct qxl_buf *b);

/*
 * Gather 'need' bytes from the chunk list of a guest structure of
 * hdr_size bytes at addr, whose chunk header the caller already copied
 * out (into 'first', from inside its one copy of the structure): the
 * first chunk's data follows the structure, which is not read again.
 * Returns 0, or -1 after a guest bug.
 */
int qxl_chunks_read_at(const struct qxl_mem *m, const char *what,
		       qxl_phys addr, uint64_t hdr_size,
		       const struct qxl_data_chunk *first, uint64_t need,
		       struct qxl_buf *out);

/* ---- rings (ring.c) -------------------------------------------------- */

/*
 * Take one entry of a command or cursor ring: 1 and *cmd filled, 0 when
 * empty (notification armed), -1 after a guest bug.  *notify tells
 * whether the guest asked to be interrupted for this pop.
 */
int qxl_ring_take(const struct qxl_report *r, struct qxl_ring_header *hdr,
		  struct qxl_command *items, uint32_t size,
		  struct qxl_command *cmd, bool *notify);

/* ---- the release ring (release.c) ------------------------------------ */

#define QXL_FREE_BUNCH_SIZE	32	/* releases collected before a push */

/* The chain of released ids being built and the device's producer index. */
struct qxl_release_chain {
	struct qxl_release_ring *ring;	/* in the RAM header */
	const struct qxl_report *report;
	uint32_t prod;		/* our producer index (guest can't move it) */
	uint32_t n_ids;		/* ids in the chain at items[prod] */
	uint8_t *tail;		/* release_info of the chain's tail */
	bool hold;		/* push only when flushed (NOTIFY_OOM) */
	uint64_t releases;	/* ids handed back */
	uint64_t pushes;	/* chains published */
};

void qxl_release_init(struct qxl_release_chain *c,
		      struct qxl_release_ring *ring,
		      const struct qxl_report *report);
/* Forget the chain (the ring itself is re-initialised by its owner). */
void qxl_release_reset(struct qxl_release_chain *c);
/*
 * Hand back the command whose release_info (its first 8 bytes, in device
 * memory) is given; pushes the chain once it is long enough.  Both return
 * true when a push reached the guest's notify_on_prod: the caller raises
 * QXL_INTERRUPT_DISPLAY.
 */
bool qxl_release(struct qxl_release_chain *c, uint8_t *release_info);
/* Publish the chain now (flush) or when it is long enough. */
bool qxl_release_push(struct qxl_release_chain *c, bool flush);

#endif /* QXL_MEM_H */
