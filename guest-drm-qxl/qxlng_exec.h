/* SPDX-License-Identifier: GPL-2.0-only */
/* qxlng_exec.h - EXECBUFFER of the qxl uapi (qxlng_exec.c). */
#ifndef QXLNG_EXEC_H
#define QXLNG_EXEC_H

#include <drm/drm_device.h>
#include <drm/drm_file.h>

int qxlng_execbuffer_ioctl(struct drm_device *dev, void *data,
			   struct drm_file *file);

#endif /* QXLNG_EXEC_H */
