// SPDX-License-Identifier: MIT
/*
 * ccid-probe: talk CCID to QEMU's usb-ccid reader (08e6:4433) from the
 * test guest through usbdevfs, no driver needed.
 *
 *   ccid-probe status           GetSlotStatus: "slot ICC=<0|1|2> err=<n>"
 *                               (ICC 0 present and powered, 1 present,
 *                               2 no card)
 *   ccid-probe atr              IccPowerOn: "atr <hex> status <n>"
 *   ccid-probe apdu HEX         XfrBlock: "resp <hex> status <n>"
 *
 * Exit 0 when a reply came, 1 on any failure (with a message saying
 * which step failed).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usbdevice_fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define EP_BULK_IN	0x82
#define EP_BULK_OUT	0x03
#define TIMEOUT_MS	120000	/* the card answers through a TCG guest */

#define PC_TO_RDR_ICC_POWER_ON		0x62
#define PC_TO_RDR_GET_SLOT_STATUS	0x65
#define PC_TO_RDR_XFR_BLOCK		0x6f

/* A number in sysfs file dir/name, in base 16 or 10. */
static int read_num_file(const char *dir, const char *name, int base,
			 unsigned *v)
{
	char path[512], text[32], *end;
	unsigned long n;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(text, sizeof(text), f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	errno = 0;
	n = strtoul(text, &end, base);
	if (errno || end == text || n > 0xffffffffUL)
		return -1;
	*v = (unsigned)n;
	return 0;
}

static int open_reader(void)
{
	const char *base = "/sys/bus/usb/devices";
	DIR *d = opendir(base);
	struct dirent *e;
	char dir[512], node[64];
	unsigned vid, pid, bus, dev;
	int fd = -1;

	if (!d) {
		perror("ccid-probe: /sys/bus/usb/devices");
		return -1;
	}
	while ((e = readdir(d))) {
		snprintf(dir, sizeof(dir), "%s/%s", base, e->d_name);
		if (read_num_file(dir, "idVendor", 16, &vid) ||
		    read_num_file(dir, "idProduct", 16, &pid) ||
		    vid != 0x08e6 || pid != 0x4433)
			continue;
		if (read_num_file(dir, "busnum", 10, &bus) ||
		    read_num_file(dir, "devnum", 10, &dev))
			continue;
		snprintf(node, sizeof(node), "/dev/bus/usb/%03u/%03u", bus, dev);
		fd = open(node, O_RDWR);
		if (fd < 0)
			fprintf(stderr, "ccid-probe: %s: %s\n", node,
				strerror(errno));
		break;
	}
	closedir(d);
	if (fd < 0 && !e)
		fprintf(stderr, "ccid-probe: no 08e6:4433 device\n");
	return fd;
}

static int bulk(int fd, unsigned ep, void *buf, unsigned len)
{
	struct usbdevfs_bulktransfer t = {
		.ep = ep, .len = len, .timeout = TIMEOUT_MS, .data = buf,
	};

	return ioctl(fd, USBDEVFS_BULK, &t);
}

/* One command, one reply (of the type the caller checks). */
static int transact(int fd, uint8_t type, const uint8_t *data, unsigned n,
		    uint8_t *reply, unsigned cap)
{
	static uint8_t seq;
	uint8_t msg[10 + 512];
	int got;

	if (n > sizeof(msg) - 10)
		return -1;
	memset(msg, 0, 10);
	msg[0] = type;
	msg[1] = n & 0xff;
	msg[2] = (n >> 8) & 0xff;
	msg[6] = seq++;
	memcpy(msg + 10, data, n);
	if (bulk(fd, EP_BULK_OUT, msg, 10 + n) < 0) {
		perror("ccid-probe: bulk out");
		return -1;
	}
	got = bulk(fd, EP_BULK_IN, reply, cap);
	if (got < 10) {
		fprintf(stderr, "ccid-probe: bulk in: %s (%d bytes)\n",
			got < 0 ? strerror(errno) : "short", got);
		return -1;
	}
	return got;
}

static void print_block(const char *what, const uint8_t *r, int got)
{
	uint32_t len = r[1] | r[2] << 8 | (uint32_t)r[3] << 16 |
		       (uint32_t)r[4] << 24;
	uint32_t i;

	if (len > (uint32_t)got - 10)
		len = (uint32_t)got - 10;
	printf("%s ", what);
	for (i = 0; i < len; i++)
		printf("%02x", r[10 + i]);
	printf(" status %u\n", r[7]);
}

int main(int argc, char **argv)
{
	uint8_t reply[10 + 1024], apdu[256];
	unsigned iface = 0, n = 0;
	int fd, got;

	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(stderr, "usage: ccid-probe status|atr|apdu HEX\n");
		return argc < 2;
	}
	fd = open_reader();
	if (fd < 0)
		return 1;
	if (ioctl(fd, USBDEVFS_CLAIMINTERFACE, &iface) < 0) {
		perror("ccid-probe: claim interface 0");
		return 1;
	}
	if (!strcmp(argv[1], "status")) {
		got = transact(fd, PC_TO_RDR_GET_SLOT_STATUS, NULL, 0, reply,
			       sizeof(reply));
		if (got < 0)
			return 1;
		printf("slot ICC=%u err=%u\n", reply[7] & 3, reply[8]);
	} else if (!strcmp(argv[1], "atr")) {
		got = transact(fd, PC_TO_RDR_ICC_POWER_ON, NULL, 0, reply,
			       sizeof(reply));
		if (got < 0)
			return 1;
		print_block("atr", reply, got);
	} else if (!strcmp(argv[1], "apdu") && argc == 3) {
		const char *h = argv[2];

		while (h[0] && h[1] && n < sizeof(apdu)) {
			if (sscanf(h, "%2hhx", &apdu[n]) != 1)
				return 1;
			n++;
			h += 2;
		}
		got = transact(fd, PC_TO_RDR_XFR_BLOCK, apdu, n, reply,
			       sizeof(reply));
		if (got < 0)
			return 1;
		print_block("resp", reply, got);
	} else {
		fprintf(stderr, "ccid-probe: unknown command\n");
		return 1;
	}
	fflush(stdout);
	return 0;
}
