// SPDX-License-Identifier: MIT
/*
 * Compile-only check: include/qxl/qxl_abi.h builds in a kernel module,
 * with the kernel's types and barriers, and its helpers link.
 */
#include <linux/module.h>
#include <qxl/qxl_abi.h>

static struct qxl_ram_header qxl_abi_kmod_ram;

static int __init qxl_abi_kmod_init(void)
{
	struct qxl_ring_header *r = &qxl_abi_kmod_ram.cmd_ring.hdr;
	qxl_u32 slot;

	qxl_ring_init(r, QXL_COMMAND_RING_SIZE);
	qxl_ring_push(r);
	if (qxl_ring_cons_slot(r, QXL_COMMAND_RING_SIZE, &slot) != 1)
		return -EINVAL;
	qxl_ring_pop(r);
	return qxl_memslot_high_bits(1, 0, QXL_MEMSLOT_ID_BITS,
				     QXL_MEMSLOT_GEN_BITS) ? 0 : -EINVAL;
}

static void __exit qxl_abi_kmod_exit(void)
{
}

module_init(qxl_abi_kmod_init);
module_exit(qxl_abi_kmod_exit);
MODULE_LICENSE("Dual MIT/GPL");
MODULE_DESCRIPTION("qxl_abi.h kernel build check");
