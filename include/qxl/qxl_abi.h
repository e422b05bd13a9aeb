/* SPDX-License-Identifier: MIT */
/*
 * qxl_abi.h - the QXL device ABI, revision 5, as one header.
 *
 * This is the contract between the emulated QXL PCI display device
 * (hw-qxl/) and the guest DRM driver (guest-drm-qxl/).  It is binary
 * compatible with the QXL device QEMU 7.2 emulates and Linux 6.1's qxl.ko
 * drives.  Documentation/qxl-device.rst describes the same contract as
 * tables; the two must agree.
 *
 * Rules of this header:
 *  - every structure is packed on its own (no #pragma pack) and its size is
 *    checked below with _Static_assert;
 *  - every value is little-endian; both ends of the ABI run on
 *    little-endian machines (x86, arm64 in LE mode);
 *  - every name starts with qxl_ or QXL_, so it can sit next to other
 *    headers, including spice-protocol's;
 *  - it builds unchanged in the kernel (<linux/types.h>) and in userspace
 *    (<stdint.h>);
 *  - layouts are append-only: a field, once defined, never moves.
 */
#ifndef QXL_ABI_H
#define QXL_ABI_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
typedef __u8 qxl_u8;
typedef __u16 qxl_u16;
typedef __u32 qxl_u32;
typedef __u64 qxl_u64;
typedef __s16 qxl_s16;
typedef __s32 qxl_s32;
#define QXL_PACKED __packed
#define QXL_ALIGNED4 __aligned(4)
/*
 * Ordering between the guest and the emulated device: virt_*() barriers,
 * since the other side is a device model on another CPU.
 */
#define qxl_ring_mb() virt_mb()
#define qxl_ring_rmb() virt_rmb()
#define qxl_ring_wmb() virt_wmb()
#define QXL_RING_READ(x) READ_ONCE(x)
#define QXL_RING_WRITE(x, v) WRITE_ONCE(x, v)
#else
#include <stdint.h>
typedef uint8_t qxl_u8;
typedef uint16_t qxl_u16;
typedef uint32_t qxl_u32;
typedef uint64_t qxl_u64;
typedef int16_t qxl_s16;
typedef int32_t qxl_s32;
#define QXL_PACKED __attribute__((__packed__))
#define QXL_ALIGNED4 __attribute__((__aligned__(4)))
#define qxl_ring_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define qxl_ring_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define qxl_ring_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
/* Each ring index is read and written exactly once per access. */
#define QXL_RING_READ(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define QXL_RING_WRITE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#endif

/* ------------------------------------------------------------------ */
/* PCI identity                                                        */
/* ------------------------------------------------------------------ */

#define QXL_PCI_VENDOR_ID		0x1b36	/* Red Hat, Inc. */
#define QXL_PCI_DEVICE_ID		0x0100	/* the stable QXL device */
#define QXL_PCI_DEVICE_ID_DEVEL		0x01ff	/* unstable development id */
#define QXL_PCI_CLASS_VGA		0x0300	/* primary, VGA compatible */
#define QXL_PCI_CLASS_DISPLAY_OTHER	0x0380	/* secondary heads */
#define QXL_PCI_INTERRUPT_PIN		1	/* INTA# */

/* PCI revision ids; each revision keeps everything the previous had. */
#define QXL_REVISION_STABLE_V04		0x01	/* qxl-1: SET_MODE era */
#define QXL_REVISION_STABLE_V06		0x02	/* qxl-2: memslots, surfaces */
#define QXL_REVISION_STABLE_V10		0x03	/* qxl-3: async I/O ports */
#define QXL_REVISION_STABLE_V12		0x04	/* qxl-4: monitors config */
/* Revision 5: VGA port writes no longer drop the device to VGA mode. */
#define QXL_REVISION_STABLE_V12_VGA_SAFE 0x05
#define QXL_REVISION_DEFAULT		QXL_REVISION_STABLE_V12_VGA_SAFE
#define QXL_REVISION_MIN_KMS		QXL_REVISION_STABLE_V12 /* for KMS */

/* BAR indexes. */
#define QXL_RAM_RANGE_INDEX		0 /* RAM: surface0 + pages + ram hdr */
#define QXL_VRAM_RANGE_INDEX		1 /* 32-bit VRAM: off-screen surfaces */
#define QXL_ROM_RANGE_INDEX		2 /* ROM: struct qxl_rom + mode list */
#define QXL_IO_RANGE_INDEX		3 /* I/O ports, one byte each */
#define QXL_VRAM64_RANGE_INDEX		4 /* optional 64-bit VRAM */
#define QXL_PCI_RANGES			4 /* BARs every revision has */

#define QXL_PAGE_SIZE			4096 /* RAM header and ROM alignment */
#define QXL_IO_BAR_SIZE			32 /* I/O BAR size, revision >= 3 */

/* ------------------------------------------------------------------ */
/* I/O ports: BAR3 offset = port; the byte written is the argument.    */
/* ------------------------------------------------------------------ */

#define QXL_IO_NOTIFY_CMD		0  /* command ring has new items */
#define QXL_IO_NOTIFY_CURSOR		1  /* cursor ring has new items */
#define QXL_IO_UPDATE_AREA		2  /* render ram.update_area, sync */
#define QXL_IO_UPDATE_IRQ		3  /* re-evaluate the IRQ line */
#define QXL_IO_NOTIFY_OOM		4  /* guest is out of memory: release */
#define QXL_IO_RESET			5  /* reset; legal in guest-bug state */
#define QXL_IO_SET_MODE			6  /* qxl-1 compat mode = argument */
#define QXL_IO_LOG			7  /* print ram.log_buf */
#define QXL_IO_MEMSLOT_ADD		8  /* slot = argument; ram.mem_slot */
#define QXL_IO_MEMSLOT_DEL		9  /* slot = argument */
#define QXL_IO_DETACH_PRIMARY		10 /* unused: a guest bug */
#define QXL_IO_ATTACH_PRIMARY		11 /* unused: a guest bug */
#define QXL_IO_CREATE_PRIMARY		12 /* ram.create_surface; argument 0 */
#define QXL_IO_DESTROY_PRIMARY		13 /* argument 0 */
#define QXL_IO_DESTROY_SURFACE_WAIT	14 /* surface id = argument */
#define QXL_IO_DESTROY_ALL_SURFACES	15
#define QXL_IO_UPDATE_AREA_ASYNC	16 /* async forms: IO_CMD irq when */
#define QXL_IO_MEMSLOT_ADD_ASYNC	17 /* done; one outstanding at most */
#define QXL_IO_CREATE_PRIMARY_ASYNC	18
#define QXL_IO_DESTROY_PRIMARY_ASYNC	19
#define QXL_IO_DESTROY_SURFACE_ASYNC	20
#define QXL_IO_DESTROY_ALL_SURFACES_ASYNC 21
#define QXL_IO_FLUSH_SURFACES_ASYNC	22 /* render everything pending */
#define QXL_IO_FLUSH_RELEASE		23 /* push the release chain now */
#define QXL_IO_MONITORS_CONFIG_ASYNC	24 /* read ram.monitors_config */
#define QXL_IO_RANGE_SIZE		25 /* number of ports */

/* ------------------------------------------------------------------ */
/* Interrupts: bits of ram.int_pending and ram.int_mask.               */
/* The line is high while (int_pending & int_mask) != 0.               */
/* ------------------------------------------------------------------ */

#define QXL_INTERRUPT_DISPLAY		(1 << 0) /* command ring consumed */
#define QXL_INTERRUPT_CURSOR		(1 << 1) /* cursor ring consumed */
#define QXL_INTERRUPT_IO_CMD		(1 << 2) /* async I/O completed */
#define QXL_INTERRUPT_ERROR		(1 << 3) /* device saw a guest bug */
#define QXL_INTERRUPT_CLIENT		(1 << 4) /* client caps changed */
#define QXL_INTERRUPT_CLIENT_MONITORS_CONFIG (1 << 5) /* rom config new */
#define QXL_INTERRUPT_ALL		0x3f	/* every defined bit */

/* ------------------------------------------------------------------ */
/* Magic numbers, sizes                                                */
/* ------------------------------------------------------------------ */

#define QXL_ROM_MAGIC			0x4f525851 /* "QXRO" little-endian */
#define QXL_RAM_MAGIC			0x41525851 /* "QXRA" little-endian */

#define QXL_COMMAND_RING_SIZE		32 /* struct qxl_command entries */
#define QXL_CURSOR_RING_SIZE		32 /* struct qxl_command entries */
#define QXL_RELEASE_RING_SIZE		8  /* u64 release ids */
#define QXL_LOG_BUF_SIZE		4096 /* ram.log_buf bytes */
#define QXL_CLIENT_CAPS_BYTES		58 /* rom.client_capabilities */
#define QXL_CLIENT_MONITORS_MAX		64 /* rom client_monitors_config */
/* CRC-32 over rom.client_monitors_config: reflected, init 0, no xorout. */
#define QXL_CLIENT_MONITORS_CONFIG_CRC32_POLY 0xedb88320
#define QXL_CURSOR_DEVICE_DATA_SIZE	128 /* qxl_cursor_cmd.device_data */

/* ------------------------------------------------------------------ */
/* Memory slots and QXL physical addresses                             */
/*                                                                     */
/* A guest pointer inside device commands (qxl_phys) is                */
/*   slot id << (64 - id_bits) | generation << (64 - id_bits -         */
/*   gen_bits) | offset                                                */
/* where the offset is relative to the slot's mem_start.  The guest    */
/* reads id_bits, gen_bits and the generation from the ROM after       */
/* every MEMSLOT_ADD.                                                  */
/* ------------------------------------------------------------------ */

typedef qxl_u64 qxl_phys;

#define QXL_NUM_MEMSLOTS		8 /* slot ids 0..7 */
#define QXL_MEMSLOT_START		1 /* first slot the guest may use */
#define QXL_MEMSLOT_END			7 /* rom.slots_end as QEMU sets it */
#define QXL_MEMSLOT_ID_BITS		8 /* rom.slot_id_bits */
#define QXL_MEMSLOT_GEN_BITS		8 /* rom.slot_gen_bits */

/* Bits of a qxl_phys left for the offset, or 0 if the split is invalid. */
static inline unsigned int qxl_phys_offset_bits(unsigned int id_bits,
						unsigned int gen_bits)
{
	if (id_bits == 0 || id_bits >= 64 || gen_bits >= 64 - id_bits)
		return 0;
	return 64 - id_bits - gen_bits;
}

/* The high bits the guest ORs into slot-relative offsets. */
static inline qxl_u64 qxl_memslot_high_bits(unsigned int slot_id,
					    unsigned int generation,
					    unsigned int id_bits,
					    unsigned int gen_bits)
{
	unsigned int off_bits = qxl_phys_offset_bits(id_bits, gen_bits);
	qxl_u64 gen_mask;

	if (!off_bits)
		return 0;
	gen_mask = gen_bits ? ((qxl_u64)1 << gen_bits) - 1 : 0;
	return ((((qxl_u64)slot_id << gen_bits) |
		 ((qxl_u64)generation & gen_mask)) << off_bits);
}

/* The parts of a qxl_phys; returns 0 if the bit split is invalid. */
static inline int qxl_phys_decode(qxl_phys addr, unsigned int id_bits,
				  unsigned int gen_bits, qxl_u32 *slot_id,
				  qxl_u32 *generation, qxl_u64 *offset)
{
	unsigned int off_bits = qxl_phys_offset_bits(id_bits, gen_bits);

	if (!off_bits)
		return 0;
	*slot_id = (qxl_u32)(addr >> (64 - id_bits));
	*generation = gen_bits ?
		(qxl_u32)((addr >> off_bits) & (((qxl_u64)1 << gen_bits) - 1)) :
		0;
	*offset = addr & (((qxl_u64)1 << off_bits) - 1);
	return 1;
}

/* ------------------------------------------------------------------ */
/* Geometry                                                            */
/* ------------------------------------------------------------------ */

struct qxl_point {		/* 8 bytes */
	qxl_s32 x;
	qxl_s32 y;
} QXL_PACKED;

struct qxl_point16 {		/* 4 bytes; cursor positions */
	qxl_s16 x;
	qxl_s16 y;
} QXL_PACKED;

struct qxl_point_fix {		/* 8 bytes; 28.4 fixed point */
	qxl_s32 x;
	qxl_s32 y;
} QXL_PACKED;

struct qxl_rect {		/* 16 bytes; right and bottom exclusive */
	qxl_s32 top;
	qxl_s32 left;
	qxl_s32 bottom;
	qxl_s32 right;
} QXL_PACKED;

struct qxl_urect {		/* 16 bytes; client monitor rectangles */
	qxl_u32 top;
	qxl_u32 left;
	qxl_u32 bottom;
	qxl_u32 right;
} QXL_PACKED;

/* ------------------------------------------------------------------ */
/* ROM (BAR2): struct qxl_rom, then struct qxl_modes at modes_offset.  */
/* ------------------------------------------------------------------ */

struct qxl_client_monitors_config {	/* 1028 bytes */
	qxl_u16 count;			/* valid entries of heads[] */
	qxl_u16 padding;
	struct qxl_urect heads[QXL_CLIENT_MONITORS_MAX];
} QXL_PACKED;

struct qxl_rom {		/* 1160 bytes */
	qxl_u32 magic;			/* QXL_ROM_MAGIC */
	qxl_u32 id;			/* device instance */
	qxl_u32 update_id;		/* qxl-1 */
	qxl_u32 compression_level;	/* hint from the SPICE server */
	qxl_u32 log_level;		/* guest debug level */
	qxl_u32 mode;			/* qxl-1: current SET_MODE index */
	qxl_u32 modes_offset;		/* struct qxl_modes, from ROM start */
	qxl_u32 num_pages;		/* RAM pages after surface0 area */
	qxl_u32 pages_offset;		/* qxl-1: = surface0_area_size */
	qxl_u32 draw_area_offset;	/* qxl-1: 0 */
	qxl_u32 surface0_area_size;	/* primary area at BAR0 offset 0 */
	qxl_u32 ram_header_offset;	/* struct qxl_ram, from BAR0 start */
	qxl_u32 mm_clock;		/* multimedia clock, ms */
	/* qxl-2 */
	qxl_u32 n_surfaces;		/* surface ids are < n_surfaces */
	qxl_u64 flags;
	qxl_u8 slots_start;		/* first guest memslot id */
	qxl_u8 slots_end;		/* last guest memslot id */
	qxl_u8 slot_gen_bits;		/* generation bits in a qxl_phys */
	qxl_u8 slot_id_bits;		/* slot id bits in a qxl_phys */
	qxl_u8 slot_generation;		/* generation of the last slot added */
	/* qxl-4 */
	qxl_u8 client_present;		/* a SPICE client is connected */
	qxl_u8 client_capabilities[QXL_CLIENT_CAPS_BYTES]; /* bit n: cap n */
	qxl_u32 client_monitors_config_crc; /* over client_monitors_config */
	struct qxl_client_monitors_config client_monitors_config;
} QXL_PACKED;

struct qxl_mode {		/* 32 bytes */
	qxl_u32 id;			/* index for QXL_IO_SET_MODE */
	qxl_u32 x_res;
	qxl_u32 y_res;
	qxl_u32 bits;			/* 16 or 32 */
	qxl_u32 stride;			/* bytes per line */
	qxl_u32 x_mili;			/* physical size, mm */
	qxl_u32 y_mili;
	qxl_u32 orientation;		/* 0..3: multiples of 90 degrees */
} QXL_PACKED;

struct qxl_modes {		/* 4 bytes + n_modes entries */
	qxl_u32 n_modes;
	struct qxl_mode modes[];
} QXL_PACKED;

/* ------------------------------------------------------------------ */
/* Rings                                                               */
/*                                                                     */
/* Indexes run freely and wrap at 2^32; a slot is index & (size - 1).  */
/* The ring is empty when prod == cons and full when prod - cons ==    */
/* size.  The command and cursor rings are produced by the guest and   */
/* consumed by the device; the release ring the other way round.       */
/* ------------------------------------------------------------------ */

struct qxl_ring_header {	/* 20 bytes */
	qxl_u32 num_items;		/* ring size; set by the device */
	qxl_u32 prod;			/* producer's next index */
	qxl_u32 notify_on_prod;		/* consumer wants a kick at this prod */
	qxl_u32 cons;			/* consumer's next index */
	qxl_u32 notify_on_cons;		/* producer wants a kick at this cons */
} QXL_PACKED QXL_ALIGNED4;

struct qxl_command {		/* 16 bytes; one ring entry */
	qxl_phys data;			/* the command payload */
	qxl_u32 type;			/* QXL_CMD_* */
	qxl_u32 padding;
} QXL_PACKED;

struct qxl_command_ring {	/* 532 bytes */
	struct qxl_ring_header hdr;
	struct qxl_command items[QXL_COMMAND_RING_SIZE];
} QXL_PACKED QXL_ALIGNED4;

struct qxl_cursor_ring {	/* 532 bytes */
	struct qxl_ring_header hdr;
	struct qxl_command items[QXL_CURSOR_RING_SIZE];
} QXL_PACKED QXL_ALIGNED4;

struct qxl_release_ring {	/* 84 bytes; items are release ids */
	struct qxl_ring_header hdr;
	qxl_u64 items[QXL_RELEASE_RING_SIZE];
} QXL_PACKED QXL_ALIGNED4;

/*
 * Ring helpers, used by both ends.  'size' is the ring size the caller
 * knows at compile time (a power of two); never trust hdr->num_items.
 *
 * Producer:                           Consumer:
 *   if (qxl_ring_prod_full(...))        if (qxl_ring_cons_empty(...))
 *       qxl_ring_prod_wait() or retry       qxl_ring_cons_wait() or sleep
 *   write items[slot]                   check qxl_ring_cons_valid()
 *   qxl_ring_push() -> kick?            read items[slot] once, copy it
 *                                       qxl_ring_pop() -> kick?
 *
 * Ordering: the producer's item stores must be visible before the new
 * prod (write barrier in qxl_ring_push), and prod must be visible before
 * it reads notify_on_prod (full barrier).  The consumer reads prod, then
 * the item (read barrier in qxl_ring_cons_slot), and publishes cons
 * before reading notify_on_cons (full barrier in qxl_ring_pop).  The
 * *_wait helpers arm the notify index, then re-check with a full barrier
 * in between, so a kick cannot be missed.
 */

static inline qxl_u32 qxl_ring_slot(qxl_u32 index, qxl_u32 size)
{
	return index & (size - 1);
}

/* Items in the ring from the indexes; > size means a corrupt header. */
static inline qxl_u32 qxl_ring_used(qxl_u32 prod, qxl_u32 cons)
{
	return prod - cons;
}

/*
 * Should the side that moved an index from old_idx to new_idx kick the
 * other side, which asked for a kick when the index reaches notify_on?
 * True when notify_on lies in (old_idx, new_idx], wrap-safe.
 */
static inline int qxl_ring_need_notify(qxl_u32 old_idx, qxl_u32 new_idx,
				       qxl_u32 notify_on)
{
	return (qxl_u32)(new_idx - notify_on) < (qxl_u32)(new_idx - old_idx);
}

static inline int qxl_ring_prod_full(struct qxl_ring_header *r,
				     qxl_u32 size)
{
	return qxl_ring_used(QXL_RING_READ(r->prod),
			     QXL_RING_READ(r->cons)) >= size;
}

/* Slot the producer writes next; call when not full. */
static inline qxl_u32 qxl_ring_prod_slot(struct qxl_ring_header *r,
					 qxl_u32 size)
{
	return qxl_ring_slot(QXL_RING_READ(r->prod), size);
}

/* Publish the item at the producer slot; returns 1 if a kick is due. */
static inline int qxl_ring_push(struct qxl_ring_header *r)
{
	qxl_u32 old_prod = QXL_RING_READ(r->prod);

	qxl_ring_wmb();
	QXL_RING_WRITE(r->prod, old_prod + 1);
	qxl_ring_mb();
	return qxl_ring_need_notify(old_prod, old_prod + 1,
				    QXL_RING_READ(r->notify_on_prod));
}

/* Ring full: ask for a kick at the next pop; returns 1 if still full. */
static inline int qxl_ring_prod_wait(struct qxl_ring_header *r,
				     qxl_u32 size)
{
	if (!qxl_ring_prod_full(r, size))
		return 0;
	QXL_RING_WRITE(r->notify_on_cons, QXL_RING_READ(r->cons) + 1);
	qxl_ring_mb();
	return qxl_ring_prod_full(r, size);
}

static inline int qxl_ring_cons_empty(struct qxl_ring_header *r)
{
	return QXL_RING_READ(r->prod) == QXL_RING_READ(r->cons);
}

/*
 * Consumer: if an item is ready, store its slot and return 1; return 0
 * when empty and -1 when the indexes are impossible (prod - cons > size):
 * the other side is buggy or hostile.
 */
static inline int qxl_ring_cons_slot(struct qxl_ring_header *r,
				     qxl_u32 size, qxl_u32 *slot)
{
	qxl_u32 cons = QXL_RING_READ(r->cons);
	qxl_u32 used = qxl_ring_used(QXL_RING_READ(r->prod), cons);

	if (used == 0)
		return 0;
	if (used > size)
		return -1;
	qxl_ring_rmb();
	*slot = qxl_ring_slot(cons, size);
	return 1;
}

/* Retire the consumer slot; returns 1 if a kick is due. */
static inline int qxl_ring_pop(struct qxl_ring_header *r)
{
	qxl_u32 old_cons = QXL_RING_READ(r->cons);

	qxl_ring_mb();
	QXL_RING_WRITE(r->cons, old_cons + 1);
	qxl_ring_mb();
	return qxl_ring_need_notify(old_cons, old_cons + 1,
				    QXL_RING_READ(r->notify_on_cons));
}

/* Ring empty: ask for a kick at the next push; returns 1 if still empty. */
static inline int qxl_ring_cons_wait(struct qxl_ring_header *r)
{
	if (!qxl_ring_cons_empty(r))
		return 0;
	QXL_RING_WRITE(r->notify_on_prod, QXL_RING_READ(r->prod) + 1);
	qxl_ring_mb();
	return qxl_ring_cons_empty(r);
}

/* The state a device gives a ring on reset. */
static inline void qxl_ring_init(struct qxl_ring_header *r, qxl_u32 size)
{
	QXL_RING_WRITE(r->num_items, size);
	QXL_RING_WRITE(r->prod, 0);
	QXL_RING_WRITE(r->cons, 0);
	QXL_RING_WRITE(r->notify_on_prod, 1);
	QXL_RING_WRITE(r->notify_on_cons, 0);
}

/* ------------------------------------------------------------------ */
/* RAM header (BAR0 + rom.ram_header_offset)                           */
/* ------------------------------------------------------------------ */

struct qxl_memslot {		/* 16 bytes; argument of MEMSLOT_ADD */
	qxl_u64 mem_start;		/* guest physical start */
	qxl_u64 mem_end;		/* guest physical end, exclusive */
} QXL_PACKED;

#define QXL_SURF_TYPE_PRIMARY		0 /* qxl_surface_create.type */
#define QXL_SURF_FLAG_KEEP_DATA		(1 << 0) /* keep surface contents */

struct qxl_surface_create {	/* 40 bytes; argument of CREATE_PRIMARY */
	qxl_u32 width;
	qxl_u32 height;
	qxl_s32 stride;			/* bytes; negative means bottom-up */
	qxl_u32 format;			/* QXL_SURFACE_FMT_* */
	qxl_u32 position;		/* head position (unused) */
	qxl_u32 mouse_mode;		/* client mouse allowed */
	qxl_u32 flags;			/* QXL_SURF_FLAG_* */
	qxl_u32 type;			/* QXL_SURF_TYPE_PRIMARY */
	qxl_phys mem;			/* pixels, through a memslot */
} QXL_PACKED;

struct qxl_ram_header {		/* 5348 bytes */
	qxl_u32 magic;			/* QXL_RAM_MAGIC */
	qxl_u32 int_pending;		/* QXL_INTERRUPT_* set by the device */
	qxl_u32 int_mask;		/* QXL_INTERRUPT_* the guest wants */
	qxl_u8 log_buf[QXL_LOG_BUF_SIZE]; /* QXL_IO_LOG text, maybe no NUL */
	struct qxl_command_ring cmd_ring;
	struct qxl_cursor_ring cursor_ring;
	struct qxl_release_ring release_ring;
	struct qxl_rect update_area;	/* argument of UPDATE_AREA */
	/* qxl-2 */
	qxl_u32 update_surface;		/* argument of UPDATE_AREA */
	struct qxl_memslot mem_slot;	/* argument of MEMSLOT_ADD */
	struct qxl_surface_create create_surface; /* of CREATE_PRIMARY */
	qxl_u64 flags;
	/* qxl-4 */
	qxl_phys monitors_config;	/* of MONITORS_CONFIG_ASYNC */
} QXL_PACKED QXL_ALIGNED4;

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

#define QXL_CMD_NOP			0
#define QXL_CMD_DRAW			1 /* struct qxl_drawable */
#define QXL_CMD_UPDATE			2 /* legacy, ignored */
#define QXL_CMD_CURSOR			3 /* struct qxl_cursor_cmd */
#define QXL_CMD_MESSAGE			4 /* legacy, ignored */
#define QXL_CMD_SURFACE			5 /* struct qxl_surface_cmd */

/* qxl_command.padding bits in qxl-1 compat mode (device-internal). */
#define QXL_COMMAND_FLAG_COMPAT		(1 << 0)
#define QXL_COMMAND_FLAG_COMPAT_16BPP	(2 << 0)

/*
 * Every command payload starts with this.  The guest stores its own id
 * in it; the device hands the id back on the release ring once it is
 * done with the command, chaining several through 'next'.
 */
union qxl_release_info {	/* 8 bytes */
	qxl_u64 id;			/* in: guest's id, never 0 */
	qxl_u64 next;			/* out: next id in a release chain */
} QXL_PACKED;

struct qxl_data_chunk {		/* 20 bytes + data */
	qxl_u32 data_size;		/* bytes in data[] */
	qxl_phys prev_chunk;
	qxl_phys next_chunk;		/* 0 ends the list */
	qxl_u8 data[];
} QXL_PACKED;

struct qxl_message {		/* legacy */
	union qxl_release_info release_info;
	qxl_u8 data[];
} QXL_PACKED;

struct qxl_update_cmd {		/* legacy QXL_CMD_UPDATE */
	union qxl_release_info release_info;
	struct qxl_rect area;
	qxl_u32 update_id;
	qxl_u32 surface_id;
} QXL_PACKED;

/* Cursor ------------------------------------------------------------ */

#define QXL_CURSOR_SET			0
#define QXL_CURSOR_MOVE			1
#define QXL_CURSOR_HIDE			2
#define QXL_CURSOR_TRAIL		3

#define QXL_CURSOR_TYPE_ALPHA		0 /* 32-bit ARGB */
#define QXL_CURSOR_TYPE_MONO		1 /* AND mask + XOR mask, 1 bit */
#define QXL_CURSOR_TYPE_COLOR4		2
#define QXL_CURSOR_TYPE_COLOR8		3
#define QXL_CURSOR_TYPE_COLOR16		4
#define QXL_CURSOR_TYPE_COLOR24		5
#define QXL_CURSOR_TYPE_COLOR32		6

struct qxl_cursor_header {	/* 18 bytes */
	qxl_u64 unique;			/* shape id for caching */
	qxl_u16 type;			/* QXL_CURSOR_TYPE_* */
	qxl_u16 width;
	qxl_u16 height;
	qxl_u16 hot_spot_x;
	qxl_u16 hot_spot_y;
} QXL_PACKED;

struct qxl_cursor {		/* 42 bytes + chunk data */
	struct qxl_cursor_header header;
	qxl_u32 data_size;		/* total bytes over all chunks */
	struct qxl_data_chunk chunk;	/* first chunk, inline */
} QXL_PACKED;

struct qxl_cursor_cmd {		/* 150 bytes */
	union qxl_release_info release_info;
	qxl_u8 type;			/* QXL_CURSOR_SET..TRAIL */
	union {
		struct {
			struct qxl_point16 position;
			qxl_u8 visible;
			qxl_phys shape;	/* struct qxl_cursor */
		} QXL_PACKED set;
		struct {
			qxl_u16 length;
			qxl_u16 frequency;
		} QXL_PACKED trail;
		struct qxl_point16 position; /* QXL_CURSOR_MOVE */
	} QXL_PACKED u;
	qxl_u8 device_data[QXL_CURSOR_DEVICE_DATA_SIZE];
} QXL_PACKED;

/* Drawing ------------------------------------------------------------ */

#define QXL_DRAW_NOP			0
#define QXL_DRAW_FILL			1
#define QXL_DRAW_OPAQUE			2
#define QXL_DRAW_COPY			3
#define QXL_COPY_BITS			4
#define QXL_DRAW_BLEND			5
#define QXL_DRAW_BLACKNESS		6
#define QXL_DRAW_WHITENESS		7
#define QXL_DRAW_INVERS			8
#define QXL_DRAW_ROP3			9
#define QXL_DRAW_STROKE			10
#define QXL_DRAW_TEXT			11
#define QXL_DRAW_TRANSPARENT		12
#define QXL_DRAW_ALPHA_BLEND		13
#define QXL_DRAW_COMPOSITE		14

/* qxl_drawable.effect: how the draw combines with a duplicate. */
#define QXL_EFFECT_BLEND		0
#define QXL_EFFECT_OPAQUE		1
#define QXL_EFFECT_REVERT_ON_DUP	2
#define QXL_EFFECT_BLACKNESS_ON_DUP	3
#define QXL_EFFECT_WHITENESS_ON_DUP	4
#define QXL_EFFECT_NOP_ON_DUP		5
#define QXL_EFFECT_NOP			6
#define QXL_EFFECT_OPAQUE_BRUSH		7

#define QXL_CLIP_TYPE_NONE		0
#define QXL_CLIP_TYPE_RECTS		1 /* clip.data -> struct qxl_clip_rects */

#define QXL_BRUSH_TYPE_NONE		0
#define QXL_BRUSH_TYPE_SOLID		1
#define QXL_BRUSH_TYPE_PATTERN		2

#define QXL_MASK_FLAGS_INVERS		(1 << 0)

#define QXL_SCALE_MODE_INTERPOLATE	0
#define QXL_SCALE_MODE_NEAREST		1

/* rop_descriptor bits: optional inversions, then one operation. */
#define QXL_ROPD_INVERS_SRC		(1 << 0)
#define QXL_ROPD_INVERS_BRUSH		(1 << 1)
#define QXL_ROPD_INVERS_DEST		(1 << 2)
#define QXL_ROPD_OP_PUT			(1 << 3)
#define QXL_ROPD_OP_OR			(1 << 4)
#define QXL_ROPD_OP_AND			(1 << 5)
#define QXL_ROPD_OP_XOR			(1 << 6)
#define QXL_ROPD_OP_BLACKNESS		(1 << 7)
#define QXL_ROPD_OP_WHITENESS		(1 << 8)
#define QXL_ROPD_OP_INVERS		(1 << 9)
#define QXL_ROPD_INVERS_RES		(1 << 10)

#define QXL_ALPHA_FLAGS_DEST_HAS_ALPHA	(1 << 0)
#define QXL_ALPHA_FLAGS_SRC_SURFACE_HAS_ALPHA (1 << 1)

#define QXL_PATH_BEGIN			(1 << 0)
#define QXL_PATH_END			(1 << 1)
#define QXL_PATH_CLOSE			(1 << 3)
#define QXL_PATH_BEZIER			(1 << 4)

#define QXL_LINE_FLAGS_START_WITH_GAP	(1 << 2)
#define QXL_LINE_FLAGS_STYLED		(1 << 3)

#define QXL_STRING_FLAGS_RASTER_A1	(1 << 0)
#define QXL_STRING_FLAGS_RASTER_A4	(1 << 1)
#define QXL_STRING_FLAGS_RASTER_A8	(1 << 2)
#define QXL_STRING_FLAGS_RASTER_TOP_DOWN (1 << 3)

struct qxl_pattern {		/* 16 bytes */
	qxl_phys pat;			/* struct qxl_image */
	struct qxl_point pos;
} QXL_PACKED;

struct qxl_brush {		/* 20 bytes */
	qxl_u32 type;			/* QXL_BRUSH_TYPE_* */
	union {
		qxl_u32 color;		/* xRGB */
		struct qxl_pattern pattern;
	} QXL_PACKED u;
} QXL_PACKED;

struct qxl_q_mask {		/* 17 bytes */
	qxl_u8 flags;			/* QXL_MASK_FLAGS_* */
	struct qxl_point pos;
	qxl_phys bitmap;		/* struct qxl_image, 0 = no mask */
} QXL_PACKED;

struct qxl_fill {		/* 39 bytes */
	struct qxl_brush brush;
	qxl_u16 rop_descriptor;
	struct qxl_q_mask mask;
} QXL_PACKED;

struct qxl_opaque {		/* 80 bytes */
	qxl_phys src_bitmap;
	struct qxl_rect src_area;
	struct qxl_brush brush;
	qxl_u16 rop_descriptor;
	qxl_u8 scale_mode;
	struct qxl_q_mask mask;
} QXL_PACKED;

struct qxl_copy {		/* 44 bytes; also DRAW_BLEND */
	qxl_phys src_bitmap;		/* struct qxl_image */
	struct qxl_rect src_area;
	qxl_u16 rop_descriptor;
	qxl_u8 scale_mode;
	struct qxl_q_mask mask;
} QXL_PACKED;

struct qxl_transparent {	/* 32 bytes */
	qxl_phys src_bitmap;
	struct qxl_rect src_area;
	qxl_u32 src_color;		/* colour that is not drawn */
	qxl_u32 true_color;
} QXL_PACKED;

struct qxl_alpha_blend {	/* 27 bytes */
	qxl_u16 alpha_flags;		/* QXL_ALPHA_FLAGS_* */
	qxl_u8 alpha;			/* constant alpha */
	qxl_phys src_bitmap;
	struct qxl_rect src_area;
} QXL_PACKED;

struct qxl_copy_bits {		/* 8 bytes; bbox is the destination */
	struct qxl_point src_pos;
} QXL_PACKED;

struct qxl_rop3 {		/* 63 bytes */
	qxl_phys src_bitmap;
	struct qxl_rect src_area;
	struct qxl_brush brush;
	qxl_u8 rop3;			/* ternary raster op code */
	qxl_u8 scale_mode;
	struct qxl_q_mask mask;
} QXL_PACKED;

struct qxl_line_attr {		/* 20 bytes */
	qxl_u8 flags;			/* QXL_LINE_FLAGS_* */
	qxl_u8 join_style;
	qxl_u8 end_style;
	qxl_u8 style_nseg;
	qxl_s32 width;			/* 28.4 fixed */
	qxl_s32 miter_limit;		/* 28.4 fixed */
	qxl_phys style;
} QXL_PACKED;

struct qxl_stroke {		/* 52 bytes */
	qxl_phys path;			/* struct qxl_path */
	struct qxl_line_attr attr;
	struct qxl_brush brush;
	qxl_u16 fore_mode;
	qxl_u16 back_mode;
} QXL_PACKED;

struct qxl_text {		/* 68 bytes */
	qxl_phys str;			/* struct qxl_string */
	struct qxl_rect back_area;
	struct qxl_brush fore_brush;
	struct qxl_brush back_brush;
	qxl_u16 fore_mode;
	qxl_u16 back_mode;
} QXL_PACKED;

struct qxl_mask {		/* 17 bytes; BLACKNESS/WHITENESS/INVERS */
	struct qxl_q_mask mask;
} QXL_PACKED;

/* Composite: qxl_composite.flags bit fields. */
#define QXL_COMPOSITE_OP_MASK		0xff	  /* QXL_OP_* */
#define QXL_COMPOSITE_SRC_FILTER_SHIFT	8	  /* 3 bits */
#define QXL_COMPOSITE_MASK_FILTER_SHIFT	11	  /* 3 bits */
#define QXL_COMPOSITE_SRC_REPEAT_SHIFT	14	  /* 2 bits */
#define QXL_COMPOSITE_MASK_REPEAT_SHIFT	16	  /* 2 bits */
#define QXL_COMPOSITE_COMPONENT_ALPHA	(1 << 18)
#define QXL_COMPOSITE_FILTER_NEAREST	0
#define QXL_COMPOSITE_FILTER_BILINEAR	1
#define QXL_COMPOSITE_REPEAT_NONE	0
#define QXL_COMPOSITE_REPEAT_NORMAL	1
#define QXL_COMPOSITE_REPEAT_PAD	2
#define QXL_COMPOSITE_REPEAT_REFLECT	3

/* Composite operators (pixman's values). */
#define QXL_OP_CLEAR			0x00
#define QXL_OP_SOURCE			0x01
#define QXL_OP_DST			0x02
#define QXL_OP_OVER			0x03
#define QXL_OP_OVER_REVERSE		0x04
#define QXL_OP_IN			0x05
#define QXL_OP_IN_REVERSE		0x06
#define QXL_OP_OUT			0x07
#define QXL_OP_OUT_REVERSE		0x08
#define QXL_OP_ATOP			0x09
#define QXL_OP_ATOP_REVERSE		0x0a
#define QXL_OP_XOR			0x0b
#define QXL_OP_ADD			0x0c
#define QXL_OP_SATURATE			0x0d
#define QXL_OP_MULTIPLY			0x30
#define QXL_OP_SCREEN			0x31
#define QXL_OP_OVERLAY			0x32
#define QXL_OP_DARKEN			0x33
#define QXL_OP_LIGHTEN			0x34
#define QXL_OP_COLOR_DODGE		0x35
#define QXL_OP_COLOR_BURN		0x36
#define QXL_OP_HARD_LIGHT		0x37
#define QXL_OP_SOFT_LIGHT		0x38
#define QXL_OP_DIFFERENCE		0x39
#define QXL_OP_EXCLUSION		0x3a
#define QXL_OP_HSL_HUE			0x3b
#define QXL_OP_HSL_SATURATION		0x3c
#define QXL_OP_HSL_COLOR		0x3d
#define QXL_OP_HSL_LUMINOSITY		0x3e

struct qxl_transform {		/* 24 bytes; 16.16 fixed 2x3 matrix */
	qxl_u32 t00;
	qxl_u32 t01;
	qxl_u32 t02;
	qxl_u32 t10;
	qxl_u32 t11;
	qxl_u32 t12;
} QXL_PACKED;

struct qxl_composite {		/* 44 bytes */
	qxl_u32 flags;			/* QXL_COMPOSITE_* fields */
	qxl_phys src;			/* struct qxl_image */
	qxl_phys src_transform;		/* struct qxl_transform, or 0 */
	qxl_phys mask;			/* struct qxl_image, or 0 */
	qxl_phys mask_transform;	/* struct qxl_transform, or 0 */
	struct qxl_point16 src_origin;
	struct qxl_point16 mask_origin;
} QXL_PACKED;

struct qxl_clip {		/* 12 bytes */
	qxl_u32 type;			/* QXL_CLIP_TYPE_* */
	qxl_phys data;			/* struct qxl_clip_rects for RECTS */
} QXL_PACKED;

struct qxl_clip_rects {		/* 24 bytes + chunk data */
	qxl_u32 num_rects;		/* struct qxl_rect over all chunks */
	struct qxl_data_chunk chunk;
} QXL_PACKED;

struct qxl_drawable {		/* 191 bytes */
	union qxl_release_info release_info;
	qxl_u32 surface_id;		/* destination surface */
	qxl_u8 effect;			/* QXL_EFFECT_* */
	qxl_u8 type;			/* QXL_DRAW_*, selects u */
	qxl_u8 self_bitmap;		/* send back self_bitmap_area */
	struct qxl_rect self_bitmap_area;
	struct qxl_rect bbox;		/* destination rectangle */
	struct qxl_clip clip;
	qxl_u32 mm_time;
	qxl_s32 surfaces_dest[3];	/* surfaces read, -1 = none */
	struct qxl_rect surfaces_rects[3];
	union {
		struct qxl_fill fill;
		struct qxl_opaque opaque;
		struct qxl_copy copy;
		struct qxl_transparent transparent;
		struct qxl_alpha_blend alpha_blend;
		struct qxl_copy_bits copy_bits;
		struct qxl_copy blend;
		struct qxl_rop3 rop3;
		struct qxl_stroke stroke;
		struct qxl_text text;
		struct qxl_mask blackness;
		struct qxl_mask invers;
		struct qxl_mask whiteness;
		struct qxl_composite composite;
	} QXL_PACKED u;
} QXL_PACKED;

struct qxl_path_seg {		/* 8 bytes + points */
	qxl_u32 flags;			/* QXL_PATH_* */
	qxl_u32 count;			/* points that follow */
	struct qxl_point_fix points[];
} QXL_PACKED;

struct qxl_path {		/* 24 bytes + chunk data of path segs */
	qxl_u32 data_size;
	struct qxl_data_chunk chunk;
} QXL_PACKED;

struct qxl_raster_glyph {	/* 20 bytes + bitmap */
	struct qxl_point render_pos;
	struct qxl_point glyph_origin;
	qxl_u16 width;
	qxl_u16 height;
	qxl_u8 data[];
} QXL_PACKED;

struct qxl_string {		/* 28 bytes + chunk data of glyphs */
	qxl_u32 data_size;
	qxl_u16 length;			/* glyph count */
	qxl_u16 flags;			/* QXL_STRING_FLAGS_* */
	struct qxl_data_chunk chunk;
} QXL_PACKED;

/* Surfaces ------------------------------------------------------------ */

#define QXL_SURFACE_CMD_CREATE		0
#define QXL_SURFACE_CMD_DESTROY		1

#define QXL_SURFACE_FMT_INVALID		0
#define QXL_SURFACE_FMT_1_A		1
#define QXL_SURFACE_FMT_8_A		8
#define QXL_SURFACE_FMT_16_555		16
#define QXL_SURFACE_FMT_32_xRGB		32
#define QXL_SURFACE_FMT_16_565		80
#define QXL_SURFACE_FMT_32_ARGB		96

struct qxl_surface {		/* 24 bytes */
	qxl_u32 format;			/* QXL_SURFACE_FMT_* */
	qxl_u32 width;
	qxl_u32 height;
	qxl_s32 stride;			/* negative means bottom-up */
	qxl_phys data;			/* pixels */
} QXL_PACKED;

struct qxl_surface_cmd {	/* 41 bytes */
	union qxl_release_info release_info;
	qxl_u32 surface_id;		/* < rom.n_surfaces; 0 is primary */
	qxl_u8 type;			/* QXL_SURFACE_CMD_* */
	qxl_u32 flags;
	union {
		struct qxl_surface surface_create;
	} QXL_PACKED u;
} QXL_PACKED;

/* Images ------------------------------------------------------------- */

#define QXL_IMAGE_TYPE_BITMAP		0   /* struct qxl_bitmap */
#define QXL_IMAGE_TYPE_QUIC		1   /* qxl_quic_data */
#define QXL_IMAGE_TYPE_LZ_PLT		100
#define QXL_IMAGE_TYPE_LZ_RGB		101
#define QXL_IMAGE_TYPE_GLZ_RGB		102
#define QXL_IMAGE_TYPE_FROM_CACHE	103
#define QXL_IMAGE_TYPE_SURFACE		104 /* struct qxl_surface_id */
#define QXL_IMAGE_TYPE_JPEG		105
#define QXL_IMAGE_TYPE_FROM_CACHE_LOSSLESS 106
#define QXL_IMAGE_TYPE_ZLIB_GLZ_RGB	107
#define QXL_IMAGE_TYPE_JPEG_ALPHA	108
#define QXL_IMAGE_TYPE_LZ4		109

#define QXL_IMAGE_GROUP_DRIVER		0
#define QXL_IMAGE_GROUP_DEVICE		1
#define QXL_IMAGE_GROUP_RED		2
#define QXL_IMAGE_GROUP_DRIVER_DONT_CACHE 3

#define QXL_IMAGE_CACHE			(1 << 0) /* server may cache by id */
#define QXL_IMAGE_HIGH_BITS_SET		(1 << 1) /* alpha bits are used */

#define QXL_BITMAP_DIRECT		(1 << 0) /* data: pixels, not chunk */
#define QXL_BITMAP_UNSTABLE		(1 << 1) /* guest may change it */
#define QXL_BITMAP_TOP_DOWN		(1 << 2) /* first line is the top */

#define QXL_BITMAP_FMT_INVALID		0
#define QXL_BITMAP_FMT_1BIT_LE		1
#define QXL_BITMAP_FMT_1BIT_BE		2
#define QXL_BITMAP_FMT_4BIT_LE		3
#define QXL_BITMAP_FMT_4BIT_BE		4
#define QXL_BITMAP_FMT_8BIT		5  /* palette indexes */
#define QXL_BITMAP_FMT_16BIT		6  /* x555 */
#define QXL_BITMAP_FMT_24BIT		7  /* B, G, R bytes */
#define QXL_BITMAP_FMT_32BIT		8  /* xRGB */
#define QXL_BITMAP_FMT_RGBA		9  /* ARGB, premultiplied */
#define QXL_BITMAP_FMT_8BIT_A		10 /* alpha only */

/* Image ids: QXL_IMAGE_ID(group, unique). */
#define QXL_IMAGE_ID(group, unique) \
	((((qxl_u64)(unique)) << 32) | (qxl_u32)(group))

struct qxl_image_descriptor {	/* 18 bytes */
	qxl_u64 id;			/* QXL_IMAGE_ID() */
	qxl_u8 type;			/* QXL_IMAGE_TYPE_* */
	qxl_u8 flags;			/* QXL_IMAGE_CACHE | ... */
	qxl_u32 width;
	qxl_u32 height;
} QXL_PACKED;

struct qxl_palette {		/* 10 bytes + entries */
	qxl_u64 unique;
	qxl_u16 num_ents;
	qxl_u32 ents[];			/* xRGB */
} QXL_PACKED;

struct qxl_bitmap {		/* 30 bytes */
	qxl_u8 format;			/* QXL_BITMAP_FMT_* */
	qxl_u8 flags;			/* QXL_BITMAP_* */
	qxl_u32 x;			/* width, pixels */
	qxl_u32 y;			/* height, lines */
	qxl_u32 stride;			/* bytes per line */
	qxl_phys palette;		/* struct qxl_palette, or 0 */
	qxl_phys data;			/* chunk, or pixels if DIRECT */
} QXL_PACKED;

struct qxl_surface_id {		/* 4 bytes */
	qxl_u32 surface_id;
} QXL_PACKED;

struct qxl_quic_data {		/* 4 bytes + chunk; QUIC, LZ, JPEG */
	qxl_u32 data_size;
	qxl_u8 data[];
} QXL_PACKED;

struct qxl_image {		/* 48 bytes for a bitmap */
	struct qxl_image_descriptor descriptor;
	union {
		struct qxl_bitmap bitmap;
		struct qxl_quic_data quic;
		struct qxl_surface_id surface_image;
	} QXL_PACKED;
} QXL_PACKED;

/* Monitors (guest -> device, MONITORS_CONFIG_ASYNC) -------------------- */

struct qxl_head {		/* 28 bytes; one output on a surface */
	qxl_u32 id;
	qxl_u32 surface_id;
	qxl_u32 width;
	qxl_u32 height;
	qxl_u32 x;			/* offset in the surface */
	qxl_u32 y;
	qxl_u32 flags;
} QXL_PACKED;

struct qxl_monitors_config {	/* 4 bytes + count heads */
	qxl_u16 count;
	qxl_u16 max_allowed;		/* 0 = no limit given by the guest */
	struct qxl_head heads[];
} QXL_PACKED;

/*
 * CRC of rom.client_monitors_config as both ends compute it: CRC-32,
 * reflected polynomial QXL_CLIENT_MONITORS_CONFIG_CRC32_POLY, initial
 * value 0 and no final inversion (Linux's crc32_le(0, ...)).
 */
static inline qxl_u32 qxl_client_monitors_config_crc(const void *buf,
						     unsigned long len)
{
	const qxl_u8 *p = (const qxl_u8 *)buf;
	qxl_u32 crc = 0;
	unsigned long i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^
			      (QXL_CLIENT_MONITORS_CONFIG_CRC32_POLY &
			       (0u - (crc & 1)));
	}
	return crc;
}

/* ------------------------------------------------------------------ */
/* Size checks: a failure here means the ABI moved.                    */
/* ------------------------------------------------------------------ */

_Static_assert(sizeof(struct qxl_rom) == 1160, "qxl_rom size");
_Static_assert(sizeof(struct qxl_mode) == 32, "qxl_mode size");
_Static_assert(sizeof(struct qxl_modes) == 4, "qxl_modes size");
_Static_assert(sizeof(struct qxl_ring_header) == 20, "ring header size");
_Static_assert(sizeof(struct qxl_command) == 16, "qxl_command size");
_Static_assert(sizeof(struct qxl_command_ring) == 532, "cmd ring size");
_Static_assert(sizeof(struct qxl_cursor_ring) == 532, "cursor ring size");
_Static_assert(sizeof(struct qxl_release_ring) == 84, "release ring size");
_Static_assert(sizeof(struct qxl_memslot) == 16, "qxl_memslot size");
_Static_assert(sizeof(struct qxl_surface_create) == 40,
	       "qxl_surface_create size");
_Static_assert(sizeof(struct qxl_ram_header) == 5348, "qxl_ram size");
_Static_assert(sizeof(union qxl_release_info) == 8, "release info size");
_Static_assert(sizeof(struct qxl_data_chunk) == 20, "qxl_data_chunk size");
_Static_assert(sizeof(struct qxl_cursor_header) == 18, "cursor hdr size");
_Static_assert(sizeof(struct qxl_cursor) == 42, "qxl_cursor size");
_Static_assert(sizeof(struct qxl_cursor_cmd) == 150, "cursor cmd size");
_Static_assert(sizeof(struct qxl_rect) == 16, "qxl_rect size");
_Static_assert(sizeof(struct qxl_brush) == 20, "qxl_brush size");
_Static_assert(sizeof(struct qxl_q_mask) == 17, "qxl_q_mask size");
_Static_assert(sizeof(struct qxl_fill) == 39, "qxl_fill size");
_Static_assert(sizeof(struct qxl_copy) == 44, "qxl_copy size");
_Static_assert(sizeof(struct qxl_composite) == 44, "qxl_composite size");
_Static_assert(sizeof(struct qxl_text) == 68, "qxl_text size");
_Static_assert(sizeof(struct qxl_clip) == 12, "qxl_clip size");
_Static_assert(sizeof(struct qxl_drawable) == 191, "qxl_drawable size");
_Static_assert(sizeof(struct qxl_surface_cmd) == 41, "surface cmd size");
_Static_assert(sizeof(struct qxl_image_descriptor) == 18,
	       "image descriptor size");
_Static_assert(sizeof(struct qxl_bitmap) == 30, "qxl_bitmap size");
_Static_assert(sizeof(struct qxl_head) == 28, "qxl_head size");
_Static_assert(sizeof(struct qxl_monitors_config) == 4,
	       "monitors config size");

#endif /* QXL_ABI_H */
