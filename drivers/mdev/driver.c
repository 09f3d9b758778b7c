// SPDX-License-Identifier: GPL-2.0
/*
 * The mdev bus and its drivers.
 *
 * A device is bound only to its parent's driver, explicitly, by its
 * creator: the bus matches nothing, so neither registering another
 * mdev_driver nor a write to a driver's `bind` file can attach a driver to
 * a device the core has not finished (M11).
 */

#include <linux/device.h>
#include <linux/export.h>
#include <linux/mdev.h>

#include "internal.h"

static struct mdev_driver *to_mdev_driver(const struct device_driver *drv)
{
	return container_of(drv, struct mdev_driver, driver);
}

static int mdev_bus_probe(struct device *dev)
{
	struct mdev_driver *drv = to_mdev_driver(dev->driver);

	return drv->probe ? drv->probe(to_mdev_device(dev)) : 0;
}

static void mdev_bus_remove(struct device *dev)
{
	struct mdev_driver *drv = to_mdev_driver(dev->driver);

	if (drv->remove)
		drv->remove(to_mdev_device(dev));
}

static int mdev_bus_match(struct device *dev, const struct device_driver *drv)
{
	return 0;
}

/*
 * mdev_bus_type - the bus of every mediated device, /sys/bus/mdev
 *
 * Its match callback matches nothing: a device is bound only to its
 * parent's driver, by the core, once the core's part of it is complete.
 */
const struct bus_type mdev_bus_type = {
	.name = "mdev",
	.probe = mdev_bus_probe,
	.remove = mdev_bus_remove,
	.match = mdev_bus_match,
};
EXPORT_SYMBOL_GPL(mdev_bus_type);

/**
 * mdev_register_driver() - register a vendor's mdev driver
 * @drv: the driver; &mdev_driver.device_api is required, and
 *	&mdev_driver.driver needs at least a name
 *
 * &mdev_driver.probe runs when an mdev of a parent registered with @drv is
 * created, &mdev_driver.remove when it is removed, both in the thread
 * doing so, and with no lock of the core held.  Probes and removes of
 * different mdevs may run at the same time, also on one parent: the core
 * does not serialize them (M10).
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL without a device_api, or the error of
 * driver_register().
 */
int mdev_register_driver(struct mdev_driver *drv)
{
	if (!drv->device_api)
		return -EINVAL;
	drv->driver.bus = &mdev_bus_type;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL(mdev_register_driver);

/**
 * mdev_unregister_driver() - unregister a vendor's mdev driver
 * @drv: a driver mdev_register_driver() succeeded on
 *
 * Unregister the parents using @drv first.
 *
 * Context: process context; may sleep.
 */
void mdev_unregister_driver(struct mdev_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL(mdev_unregister_driver);

int mdev_bus_init(void)
{
	return bus_register(&mdev_bus_type);
}

void mdev_bus_exit(void)
{
	bus_unregister(&mdev_bus_type);
}
