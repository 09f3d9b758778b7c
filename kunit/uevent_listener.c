// SPDX-License-Identifier: GPL-2.0
/*
 * The uevent listener of the KUnit suites (see uevent_listener.h).
 *
 * kobject_uevent_env() broadcasts synchronously: when the call that
 * caused an event returns, the event is queued on every listening socket.
 * So a test reads with MSG_DONTWAIT and an empty queue means "no more
 * events", without any timeout.
 */

#include <kunit/resource.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "uevent_listener.h"

struct uev_listener {
	struct socket *sock;
};

#if IS_ENABLED(CONFIG_NET)
static void uev_release(void *data)
{
	struct uev_listener *l = data;

	sock_release(l->sock);
}

/**
 * uev_listen() - start listening to uevents for the rest of a test
 * @test: the test; the socket is closed when it ends
 *
 * Return: the listener, or NULL (the test is then skipped) without
 * CONFIG_NET or if the socket cannot be set up.
 */
struct uev_listener *uev_listen(struct kunit *test)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,		/* the kernel's uevents */
	};
	struct uev_listener *l;
	int ret;

	l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	if (!l)
		return NULL;
	ret = sock_create_kern(&init_net, AF_NETLINK, SOCK_DGRAM,
			       NETLINK_KOBJECT_UEVENT, &l->sock);
	if (ret) {
		kunit_skip(test, "no uevent socket: %d", ret);
		return NULL;
	}
	/* Room for the bursts a test causes; overflow would drop events. */
	sock_set_rcvbuf(l->sock->sk, 1 << 20);
	ret = kernel_bind(l->sock, (struct sockaddr *)&addr, sizeof(addr));
	if (ret || kunit_add_action_or_reset(test, uev_release, l)) {
		if (ret)
			sock_release(l->sock);
		kunit_skip(test, "cannot listen to uevents: %d", ret);
		return NULL;
	}
	return l;
}

/**
 * uev_next() - the next queued event
 * @l: the listener
 * @ev: filled in
 *
 * Return: 1 with @ev filled in, 0 if no event is queued, or a negative
 * errno (-ENOBUFS: events were dropped, the socket overflowed).
 */
int uev_next(struct uev_listener *l, struct uev *ev)
{
	struct kvec iov = { .iov_base = ev->buf, .iov_len = sizeof(ev->buf) - 1 };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	const char *seq;
	int n;

	n = kernel_recvmsg(l->sock, &msg, &iov, 1, iov.iov_len, MSG_DONTWAIT);
	if (n == -EAGAIN)
		return 0;
	if (n < 0)
		return n;
	ev->buf[n] = '\0';
	ev->len = n;
	ev->action = uev_get(ev, "ACTION");
	ev->devpath = uev_get(ev, "DEVPATH");
	seq = uev_get(ev, "SEQNUM");
	if (!ev->action || !ev->devpath || !seq || kstrtou64(seq, 10, &ev->seqnum))
		return -EPROTO;
	return 1;
}
#else
struct uev_listener *uev_listen(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_NET for a uevent socket");
	return NULL;
}

int uev_next(struct uev_listener *l, struct uev *ev)
{
	return 0;
}
#endif

/**
 * uev_get() - the value of one variable of an event
 * @ev: the event
 * @key: the variable's name
 *
 * Return: its value, or NULL if the event does not carry it.
 */
const char *uev_get(const struct uev *ev, const char *key)
{
	size_t klen = strlen(key), off;

	/* The first string is the "action@devpath" header. */
	for (off = strnlen(ev->buf, ev->len) + 1; off < ev->len;
	     off += strnlen(ev->buf + off, ev->len - off) + 1) {
		const char *s = ev->buf + off;

		if (!strncmp(s, key, klen) && s[klen] == '=')
			return s + klen + 1;
	}
	return NULL;
}

/**
 * uev_count_prefix() - how many variables of an event start with a prefix
 * @ev: the event
 * @prefix: e.g. "MDEV_"
 *
 * Return: the number of them.
 */
unsigned int uev_count_prefix(const struct uev *ev, const char *prefix)
{
	size_t plen = strlen(prefix), off;
	unsigned int n = 0;

	for (off = strnlen(ev->buf, ev->len) + 1; off < ev->len;
	     off += strnlen(ev->buf + off, ev->len - off) + 1)
		n += !strncmp(ev->buf + off, prefix, plen);
	return n;
}

/**
 * uev_describe() - an event as one line, its variables space-separated
 * @test: the allocation's owner
 * @ev: the event
 *
 * SEQNUM is left out, so that lines compare across runs.
 *
 * Return: the line, or "(no memory)".
 */
char *uev_describe(struct kunit *test, const struct uev *ev)
{
	char *line = kunit_kzalloc(test, ev->len + 1, GFP_KERNEL);
	size_t off, pos = 0;

	if (!line)
		return "(no memory)";
	for (off = strnlen(ev->buf, ev->len) + 1; off < ev->len;
	     off += strnlen(ev->buf + off, ev->len - off) + 1) {
		const char *s = ev->buf + off;

		if (!strncmp(s, "SEQNUM=", 7))
			continue;
		pos += scnprintf(line + pos, ev->len + 1 - pos, "%s%s",
				 pos ? " " : "", s);
	}
	return line;
}
