/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-in for <drm/qxl_drm.h>: the uapi header as libdrm installs it. */
#ifndef QXLNG_FUZZ_QXL_DRM_H
#define QXLNG_FUZZ_QXL_DRM_H
#include <libdrm/qxl_drm.h>
#endif
