// SPDX-License-Identifier: MIT
/*
 * qxl-hostile: a hostile guest program.  From guest userspace, with no
 * driver bound, it feeds a QXL device garbage through its BARs: random
 * port writes, scribbled RAM header and rings, commands pointing anywhere,
 * bad primaries and memslots, writes to the ROM.  It then resets the device
 * (QXL_IO_RESET) and checks that the ROM and RAM header are sane again.
 *
 *   qxl-hostile [--seed N] [--rounds N]
 *
 * Prints TAP; exits 0 when the device came back after the reset.  The host
 * side (tests/interop) checks that QEMU is still running and that a driver
 * works afterwards.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <unistd.h>

#include <qxl/qxl_abi.h>

struct bar {
	uint64_t start, size;
	uint8_t *map;
};

static struct bar bars[5];
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from --seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static int read_hex(const char *dir, const char *name, unsigned long *out)
{
	char path[640], buf[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	*out = strtoul(buf, NULL, 16);
	return 0;
}

static int find_device(char *dir, size_t len)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	unsigned long ven, dev;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, len, "/sys/bus/pci/devices/%s", e->d_name);
		if (!read_hex(dir, "vendor", &ven) && ven == QXL_PCI_VENDOR_ID &&
		    !read_hex(dir, "device", &dev) && dev == QXL_PCI_DEVICE_ID) {
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return -1;
}

static int map_bars(const char *dir)
{
	char path[640];
	unsigned long long start, end, flags;
	FILE *f;
	int i, fd;

	snprintf(path, sizeof(path), "%s/resource", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (i = 0; i < 5; i++) {
		if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3)
			break;
		if (!start)
			continue;
		bars[i].start = start;
		bars[i].size = end - start + 1;
		if (i == QXL_IO_RANGE_INDEX)
			continue;
		snprintf(path, sizeof(path), "%s/resource%d", dir, i);
		fd = open(path, O_RDWR | O_SYNC);
		if (fd < 0)
			continue;
		bars[i].map = mmap(NULL, bars[i].size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, fd, 0);
		if (bars[i].map == MAP_FAILED)
			bars[i].map = NULL;
		close(fd);
	}
	fclose(f);
	return 0;
}

static void port_out(unsigned int port, uint8_t val)
{
	if (port < bars[QXL_IO_RANGE_INDEX].size)
		outb(val, bars[QXL_IO_RANGE_INDEX].start + port);
}

static struct qxl_rom *rom(void)
{
	return (struct qxl_rom *)bars[QXL_ROM_RANGE_INDEX].map;
}

static struct qxl_ram_header *ram_header(void)
{
	uint32_t off = rom()->ram_header_offset;

	if (off > bars[0].size - sizeof(struct qxl_ram_header))
		off = bars[0].size - sizeof(struct qxl_ram_header);
	return (struct qxl_ram_header *)(bars[0].map + off);
}

static void fill_random(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = rnd();
}

/* A guest address in memslot 1 (as the driver would build it), or junk. */
static uint64_t some_address(void)
{
	unsigned int id_bits = rom()->slot_id_bits;
	unsigned int gen_bits = rom()->slot_gen_bits;
	uint64_t high;

	if (rnd_below(4) == 0 || id_bits + gen_bits >= 64)
		return rnd();
	high = (1ull << (64 - id_bits)) |
	       ((uint64_t)rom()->slot_generation << (64 - id_bits - gen_bits));
	return high | (bars[0].start + rnd_below(bars[0].size + 4096));
}

static void add_memslot(void)
{
	struct qxl_ram_header *h = ram_header();

	h->mem_slot.mem_start = bars[0].start;
	h->mem_slot.mem_end = bars[0].start + bars[0].size -
			      (rnd_below(3) == 0 ? 0 : rnd_below(8192));
	if (rnd_below(5) == 0)
		h->mem_slot.mem_end = rnd();
	port_out(rnd_below(2) ? QXL_IO_MEMSLOT_ADD : QXL_IO_MEMSLOT_ADD_ASYNC,
		 rnd_below(4) ? 1 : rnd());
}

static void push_commands(int cursor)
{
	struct qxl_ram_header *h = ram_header();
	struct qxl_ring_header *hdr = cursor ? &h->cursor_ring.hdr
					     : &h->cmd_ring.hdr;
	struct qxl_command *items = cursor ? h->cursor_ring.items
					   : h->cmd_ring.items;
	unsigned int i, n = 1 + rnd_below(40);

	for (i = 0; i < n; i++) {
		struct qxl_command *c = &items[hdr->prod % QXL_COMMAND_RING_SIZE];
		uint64_t addr = some_address();
		uint64_t off = addr & ((1ull << 40) - 1);

		c->data = addr;
		c->type = rnd_below(8);
		/* Scribble over what the command points at, inside BAR0. */
		if (off >= bars[0].start && off < bars[0].start + bars[0].size) {
			uint64_t o = off - bars[0].start;
			size_t len = bars[0].size - o < 512 ? bars[0].size - o : 512;

			fill_random(bars[0].map + o, len);
		}
		hdr->prod += rnd_below(10) ? 1 : rnd();
	}
	port_out(cursor ? QXL_IO_NOTIFY_CURSOR : QXL_IO_NOTIFY_CMD, 0);
}

static void bad_primary(void)
{
	struct qxl_ram_header *h = ram_header();
	struct qxl_surface_create *s = &h->create_surface;

	s->width = rnd_below(3) ? rnd_below(4096) : rnd();
	s->height = rnd_below(3) ? rnd_below(4096) : rnd();
	s->stride = rnd_below(2) ? -(int32_t)s->width * 4 : (int32_t)rnd();
	s->format = rnd_below(2) ? QXL_SURFACE_FMT_32_xRGB : rnd();
	s->position = rnd();
	s->mouse_mode = rnd();
	s->flags = rnd();
	s->type = rnd_below(2);
	s->mem = some_address();
	port_out(rnd_below(2) ? QXL_IO_CREATE_PRIMARY
			      : QXL_IO_CREATE_PRIMARY_ASYNC, 0);
}

static void bad_update_area(void)
{
	struct qxl_ram_header *h = ram_header();

	h->update_area.left = rnd();
	h->update_area.right = rnd_below(2) ? rnd_below(5000) : rnd();
	h->update_area.top = rnd();
	h->update_area.bottom = rnd_below(2) ? rnd_below(5000) : rnd();
	h->update_surface = rnd_below(2) ? 0 : rnd();
	port_out(rnd_below(2) ? QXL_IO_UPDATE_AREA : QXL_IO_UPDATE_AREA_ASYNC, 0);
}

static void one_round(void)
{
	struct qxl_ram_header *h = ram_header();
	unsigned int k;

	switch (rnd_below(10)) {
	case 0:
		port_out(rnd_below(32), rnd());
		break;
	case 1:
		k = rnd_below(sizeof(*h));
		/* the log buffer is boring; the rest is not */
		((uint8_t *)h)[k] = rnd();
		h->int_mask = 0;
		break;
	case 2:
		add_memslot();
		break;
	case 3:
	case 4:
		push_commands(0);
		break;
	case 5:
		push_commands(1);
		break;
	case 6:
		bad_primary();
		break;
	case 7:
		bad_update_area();
		break;
	case 8:
		if (bars[QXL_ROM_RANGE_INDEX].map)
			bars[QXL_ROM_RANGE_INDEX].map[rnd_below(
				bars[QXL_ROM_RANGE_INDEX].size)] = rnd();
		break;
	case 9:
		h->monitors_config = some_address();
		port_out(QXL_IO_MONITORS_CONFIG_ASYNC, 0);
		port_out(QXL_IO_DESTROY_ALL_SURFACES + rnd_below(10), rnd());
		break;
	}
}

int main(int argc, char **argv)
{
	char dir[512];
	long rounds = 2000;
	int i, fails = 0;
	uint32_t rom_magic_before;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			rng_state = strtoull(argv[++i], NULL, 0) | 1;
		} else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) {
			rounds = strtol(argv[++i], NULL, 0);
		} else {
			printf("usage: qxl-hostile [--seed N] [--rounds N]\n");
			return !strcmp(argv[i], "--help") ? 0 : 2;
		}
	}
	printf("TAP version 13\n");
	if (find_device(dir, sizeof(dir)) || map_bars(dir) ||
	    !bars[0].map || !bars[QXL_ROM_RANGE_INDEX].map ||
	    !bars[QXL_IO_RANGE_INDEX].start) {
		printf("not ok 1 find and map the QXL device\n");
		return 1;
	}
	if (ioperm(bars[QXL_IO_RANGE_INDEX].start,
		   bars[QXL_IO_RANGE_INDEX].size, 1)) {
		printf("not ok 1 ioperm: %s\n", strerror(errno));
		return 1;
	}
	printf("ok 1 mapped %s (ram %llu KiB, io 0x%llx)\n", dir,
	       (unsigned long long)bars[0].size >> 10,
	       (unsigned long long)bars[QXL_IO_RANGE_INDEX].start);
	rom_magic_before = rom()->magic;
	port_out(QXL_IO_RESET, 0);
	add_memslot();
	for (i = 0; i < rounds; i++)
		one_round();
	printf("ok 2 %ld rounds of garbage\n", rounds);

	/* Back to a known state: no interrupts wanted, then reset. */
	ram_header()->int_mask = 0;
	port_out(QXL_IO_RESET, 0);
	usleep(100000);
	if (rom()->magic != QXL_ROM_MAGIC || rom_magic_before != QXL_ROM_MAGIC) {
		printf("not ok 3 rom magic 0x%08x after reset\n", rom()->magic);
		fails++;
	} else {
		printf("ok 3 rom intact after reset\n");
	}
	if (ram_header()->magic != QXL_RAM_MAGIC) {
		printf("not ok 4 ram header magic 0x%08x after reset\n",
		       ram_header()->magic);
		fails++;
	} else {
		printf("ok 4 ram header restored by reset\n");
	}
	printf("1..4\n");
	return fails ? 1 : 0;
}
