// SPDX-License-Identifier: GPL-2.0-only
/*
 * qxlng_drv.c - PCI probe/remove, the DRM driver and the module.
 *
 * The top layer: probe sets up each layer below, lowest first; their
 * devm actions undo them in the reverse order.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm.h>

#include <drm/drm_aperture.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_fb_helper.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_modeset_helper.h>
#include <drm/drm_module.h>
#include <drm/drm_print.h>

#include "qxlng_drv.h"

static unsigned int qxlng_num_heads = 1;
module_param_named(num_heads, qxlng_num_heads, uint, 0444);
MODULE_PARM_DESC(num_heads, "Number of heads (CRTCs), 1-8 (default 1)");

DEFINE_DRM_GEM_FOPS(qxlng_fops);

static const struct drm_driver qxlng_driver = {
	.driver_features = DRIVER_MODESET | DRIVER_GEM | DRIVER_ATOMIC,
	.name = QXLNG_DRIVER_NAME,
	.desc = QXLNG_DRIVER_DESC,
	.date = "20240101",
	.major = 1,
	.minor = 0,
	.fops = &qxlng_fops,
	.debugfs_init = qxlng_debugfs_init,
	.ioctls = qxlng_ioctls,
	.num_ioctls = QXLNG_NUM_IOCTLS,
	DRM_GEM_SHMEM_DRIVER_OPS,
};

static int qxlng_pci_probe(struct pci_dev *pdev,
			   const struct pci_device_id *ent)
{
	struct qxlng_device *qdev;
	struct drm_device *dev;
	int ret;

	if (pdev->revision < QXL_REVISION_MIN_KMS) {
		dev_info(&pdev->dev, "QXL revision %u too old, need %u\n",
			 pdev->revision, QXL_REVISION_MIN_KMS);
		return -ENODEV;
	}

	ret = drm_aperture_remove_conflicting_pci_framebuffers(pdev,
							       &qxlng_driver);
	if (ret)
		return ret;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_regions(pdev, QXLNG_DRIVER_NAME);
	if (ret)
		return ret;

	qdev = devm_drm_dev_alloc(&pdev->dev, &qxlng_driver,
				  struct qxlng_device, drm);
	if (IS_ERR(qdev))
		return PTR_ERR(qdev);
	dev = &qdev->drm;
	qdev->pdev = pdev;
	qdev->num_heads = clamp_t(unsigned int, qxlng_num_heads, 1,
				  QXLNG_MAX_HEADS);

	/* Interrupts come on last: by then every layer is set up. */
	ret = qxlng_hw_init(qdev);
	if (ret)
		return ret;
	ret = qxlng_mem_init(qdev);
	if (ret)
		return ret;
	ret = qxlng_cmd_init(qdev);
	if (ret)
		return ret;
	ret = qxlng_kms_init(qdev);
	if (ret)
		return ret;
	ret = qxlng_ioctl_init(qdev);
	if (ret)
		return ret;
	ret = qxlng_hw_start(qdev);
	if (ret)
		return ret;

	pci_set_drvdata(pdev, dev);
	ret = drm_dev_register(dev, 0);
	if (ret)
		return ret;
	drm_fbdev_generic_setup(dev, 32);
	return 0;
}

static void qxlng_pci_remove(struct pci_dev *pdev)
{
	struct drm_device *dev = pci_get_drvdata(pdev);

	drm_dev_unplug(dev);
	drm_atomic_helper_shutdown(dev);
	/*
	 * The devm actions then reset the device (qxlng_hw_start) and free
	 * what qxlng_cmd_init and qxlng_mem_init allocated.
	 */
}

static void qxlng_pci_shutdown(struct pci_dev *pdev)
{
	drm_atomic_helper_shutdown(pci_get_drvdata(pdev));
}

/*
 * System sleep: the atomic helpers save the display state and turn the
 * heads off; on resume the device is set up again before that state is
 * committed back.
 */
static int qxlng_pm_suspend(struct device *dev)
{
	return drm_mode_config_helper_suspend(dev_get_drvdata(dev));
}

static int qxlng_pm_resume(struct device *dev)
{
	struct drm_device *drm = dev_get_drvdata(dev);
	int ret;

	ret = qxlng_hw_resume(to_qxlng(drm));
	if (ret)
		return ret;
	return drm_mode_config_helper_resume(drm);
}

static DEFINE_SIMPLE_DEV_PM_OPS(qxlng_pm_ops, qxlng_pm_suspend,
				qxlng_pm_resume);

static const struct pci_device_id qxlng_pci_ids[] = {
	{ PCI_DEVICE(QXL_PCI_VENDOR_ID, QXL_PCI_DEVICE_ID),
	  .class = QXL_PCI_CLASS_VGA << 8, .class_mask = 0xffff00 },
	{ PCI_DEVICE(QXL_PCI_VENDOR_ID, QXL_PCI_DEVICE_ID),
	  .class = QXL_PCI_CLASS_DISPLAY_OTHER << 8, .class_mask = 0xffff00 },
	{ }
};
MODULE_DEVICE_TABLE(pci, qxlng_pci_ids);

static struct pci_driver qxlng_pci_driver = {
	.name = QXLNG_DRIVER_NAME,
	.id_table = qxlng_pci_ids,
	.probe = qxlng_pci_probe,
	.remove = qxlng_pci_remove,
	.shutdown = qxlng_pci_shutdown,
	.driver.pm = pm_sleep_ptr(&qxlng_pm_ops),
};

drm_module_pci_driver(qxlng_pci_driver);

MODULE_AUTHOR("qxl-ng project");
MODULE_DESCRIPTION(QXLNG_DRIVER_DESC);
MODULE_LICENSE("GPL");
