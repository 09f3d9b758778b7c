// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs side of the mdev core, laid out as in Linux 6.12:
 *
 *   <parent>/mdev_supported_types/<driver>-<type>/
 *       create  name  device_api  available_instances  [description]
 *       devices/<uuid> -> the mdev
 *   <parent>/<uuid>/  (the mdev, on /sys/bus/mdev)
 *       remove  mdev_type -> its type directory
 *
 * The `remove` attribute lives in the device's groups, so the driver core
 * adds and deletes it with the device (M15); the two links are added once
 * the vendor probed the device and deleted before it goes.
 */

#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/kstrtox.h>
#include <linux/mdev.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "internal.h"

/**
 * mdev_parse_uuid() - parse a UUID as a write to `create` carries it
 * @buf: the bytes written
 * @count: their number
 * @uuid: set to the UUID on success
 *
 * Accepts exactly 36 characters in either hex case, optionally followed by
 * one newline, as 6.12 does.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int mdev_parse_uuid(const char *buf, size_t count, guid_t *uuid)
{
	char str[UUID_STRING_LEN + 1];

	if (count == UUID_STRING_LEN + 1 && buf[UUID_STRING_LEN] == '\n')
		count--;
	if (count != UUID_STRING_LEN)
		return -EINVAL;
	memcpy(str, buf, UUID_STRING_LEN);
	str[UUID_STRING_LEN] = '\0';
	/* An embedded NUL is not a hex digit: refused like any other. */
	return guid_parse(str, uuid);
}
EXPORT_SYMBOL_IF_KUNIT(mdev_parse_uuid);

/*
 * A type's directory, mdev_supported_types/<driver>-<type>/.  Its kobject
 * is the core's, not the one in the vendor's struct mdev_type: a kobject's
 * release may run after its last put returns (a reference still held, or
 * CONFIG_DEBUG_KOBJECT_RELEASE delaying it on purpose), by which time the
 * vendor may have freed its types or registered them again.  @type is
 * valid while the directory is in sysfs: removing it waits for its stores
 * and shows.
 */
struct mdev_type_dir {
	struct kobject kobj;
	struct mdev_type *type;
};

static struct mdev_type *kobj_to_type(struct kobject *kobj)
{
	return container_of(kobj, struct mdev_type_dir, kobj)->type;
}

static ssize_t create_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	guid_t uuid;
	int ret;

	ret = mdev_parse_uuid(buf, count, &uuid);
	if (ret)
		return ret;
	ret = mdev_create(kobj_to_type(kobj), &uuid);
	return ret ? ret : count;
}

static struct kobj_attribute mdev_type_attr_create = __ATTR_WO(create);

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct mdev_type *type = kobj_to_type(kobj);

	return sysfs_emit(buf, "%s\n", type->pretty_name ?: type->sysfs_name);
}

static struct kobj_attribute mdev_type_attr_name = __ATTR_RO(name);

static ssize_t device_api_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  kobj_to_type(kobj)->parent->mdev_driver->device_api);
}

static struct kobj_attribute mdev_type_attr_device_api = __ATTR_RO(device_api);

static ssize_t available_instances_show(struct kobject *kobj,
					struct kobj_attribute *attr, char *buf)
{
	struct mdev_type *type = kobj_to_type(kobj);
	struct mdev_driver *drv = type->parent->mdev_driver;

	if (drv->get_available)
		return sysfs_emit(buf, "%u\n", drv->get_available(type));
	return sysfs_emit(buf, "%d\n",
			  atomic_read(&type->parent->available_instances));
}

static struct kobj_attribute mdev_type_attr_available_instances =
	__ATTR_RO(available_instances);

static ssize_t description_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct mdev_type *type = kobj_to_type(kobj);

	return type->parent->mdev_driver->show_description(type, buf);
}

static struct kobj_attribute mdev_type_attr_description =
	__ATTR_RO(description);

static struct attribute *mdev_type_attrs[] = {
	&mdev_type_attr_create.attr,
	&mdev_type_attr_name.attr,
	&mdev_type_attr_device_api.attr,
	&mdev_type_attr_available_instances.attr,
	&mdev_type_attr_description.attr,
	NULL,
};

static umode_t mdev_type_attr_visible(struct kobject *kobj,
				      struct attribute *attr, int n)
{
	if (attr == &mdev_type_attr_description.attr &&
	    !kobj_to_type(kobj)->parent->mdev_driver->show_description)
		return 0;
	return attr->mode;
}

static const struct attribute_group mdev_type_group = {
	.attrs = mdev_type_attrs,
	.is_visible = mdev_type_attr_visible,
};
__ATTRIBUTE_GROUPS(mdev_type);

static void mdev_type_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct mdev_type_dir, kobj));
}

static const struct kobj_type mdev_type_ktype = {
	.sysfs_ops = &kobj_sysfs_ops,
	.release = mdev_type_release,
	.default_groups = mdev_type_groups,
};

static void mdev_type_del(struct mdev_type *type)
{
	struct kobject *kobj = mdev_type_kobj(type);

	kobject_put(type->devices_kobj);
	type->devices_kobj = NULL;
	/* Waits for `create` stores still running. */
	kobject_del(kobj);
	kobject_put(kobj);
}

/**
 * mdev_type_add() - add one type's directory under its parent (tests may
 *	stub it)
 * @parent: the parent being registered
 * @type: one of its types
 *
 * Return: 0, -ENOMEM or a sysfs error (-EEXIST for a duplicate name).
 */
int mdev_type_add(struct mdev_parent *parent, struct mdev_type *type)
{
	struct mdev_type_dir *dir;
	int ret;

	/* Lets a test act between two types of one registration. */
	KUNIT_STATIC_STUB_REDIRECT(mdev_type_add, parent, type);

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	dir->type = type;
	type->parent = parent;
	dir->kobj.kset = parent->mdev_types_kset;
	ret = kobject_init_and_add(&dir->kobj, &mdev_type_ktype, NULL,
				   "%s-%s", dev_driver_string(parent->dev),
				   type->sysfs_name);
	if (ret) {
		kobject_put(&dir->kobj);
		return ret;
	}
	type->devices_kobj = kobject_create_and_add("devices", &dir->kobj);
	if (!type->devices_kobj) {
		kobject_del(&dir->kobj);
		kobject_put(&dir->kobj);
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mdev_type_add);

int mdev_types_add(struct mdev_parent *parent)
{
	unsigned int i;
	int ret;

	parent->mdev_types_kset = kset_create_and_add("mdev_supported_types",
						      NULL, &parent->dev->kobj);
	if (!parent->mdev_types_kset)
		return -ENOMEM;
	for (i = 0; i < parent->nr_types; i++) {
		ret = mdev_type_add(parent, parent->types[i]);
		if (ret)
			goto unwind;
	}
	return 0;

unwind:
	while (i--)
		mdev_type_del(parent->types[i]);
	kset_unregister(parent->mdev_types_kset);
	parent->mdev_types_kset = NULL;
	return ret;
}

void mdev_types_remove(struct mdev_parent *parent)
{
	unsigned int i;

	for (i = 0; i < parent->nr_types; i++)
		mdev_type_del(parent->types[i]);
	kset_unregister(parent->mdev_types_kset);
	parent->mdev_types_kset = NULL;
}

int mdev_links_add(struct mdev_device *mdev)
{
	struct kobject *kobj = &mdev->dev.kobj;
	int ret;

	ret = mdev_fault() ? -ENOMEM :
	      sysfs_create_link(mdev->type->devices_kobj, kobj,
				dev_name(&mdev->dev));
	if (ret)
		return ret;
	ret = mdev_fault() ? -ENOMEM :
	      sysfs_create_link(kobj, mdev_type_kobj(mdev->type), "mdev_type");
	if (ret)
		sysfs_remove_link(mdev->type->devices_kobj,
				  dev_name(&mdev->dev));
	return ret;
}

void mdev_links_remove(struct mdev_device *mdev)
{
	sysfs_remove_link(&mdev->dev.kobj, "mdev_type");
	sysfs_remove_link(mdev->type->devices_kobj, dev_name(&mdev->dev));
}

/* Writing a non-zero number removes the device; zero does nothing. */
static ssize_t remove_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned long val;
	int ret;

	if (kstrtoul(buf, 0, &val) < 0)
		return -EINVAL;
	if (!val)
		return count;
	ret = mdev_remove(to_mdev_instance(to_mdev_device(dev)), &attr->attr);
	return ret ? ret : count;
}

static DEVICE_ATTR_WO(remove);

static struct attribute *mdev_device_attrs[] = {
	&dev_attr_remove.attr,
	NULL,
};

static const struct attribute_group mdev_device_group = {
	.attrs = mdev_device_attrs,
};

const struct attribute_group *mdev_device_groups[] = {
	&mdev_device_group,
	NULL,
};
