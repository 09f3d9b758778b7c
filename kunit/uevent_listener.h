/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A uevent listener for KUnit tests: a kernel socket on
 * NETLINK_KOBJECT_UEVENT bound to the kernel's multicast group, which is
 * what udev and mdevctl listen on, so a test sees each event exactly as
 * userspace would, after every filter of kobject_uevent_env().
 */
#ifndef _MDEVCCW_KUNIT_UEVENT_LISTENER_H
#define _MDEVCCW_KUNIT_UEVENT_LISTENER_H

#include <kunit/test.h>
#include <linux/types.h>

/* One event as sent: "action@devpath", then KEY=value strings. */
struct uev {
	char buf[2048];
	size_t len;
	const char *action;		/* ACTION= */
	const char *devpath;		/* DEVPATH= */
	u64 seqnum;			/* SEQNUM= */
};

struct uev_listener;

struct uev_listener *uev_listen(struct kunit *test);
int uev_next(struct uev_listener *l, struct uev *ev);
const char *uev_get(const struct uev *ev, const char *key);
unsigned int uev_count_prefix(const struct uev *ev, const char *prefix);
char *uev_describe(struct kunit *test, const struct uev *ev);

#endif
