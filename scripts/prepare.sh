#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Make a kernel tree ready to build the project in:
#  1. install the Debian packages that are missing (extra names may be passed
#     as arguments, e.g. gcc-s390x-linux-gnu);
#  2. unpack Debian's linux-source-6.12 into the cache (once);
#  3. graft the project into it as one directory (a symlink, so edits are
#     picked up without copying) with one `source` line in the top Kconfig and
#     one obj-y line in the top Kbuild;
#  4. make drivers/vfio skip its own mdev core when the project's is
#     configured: drivers that `select VFIO_MDEV` then get drivers/mdev
#     (whose Kconfig makes VFIO_MDEV select MDEV_CORE) and the two never
#     export the same symbols.  One line of drivers/vfio/Makefile changes.
# Idempotent: a second run does nothing but check.
set -euo pipefail
. "$(dirname "$0")/common.sh"

pkgs=(linux-source-$KVER bc flex bison libelf-dev libssl-dev cpio kmod
      python3 qemu-system-x86 sparse "$@")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "prepare: installing ${missing[*]}"
	[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

tarball=/usr/src/linux-source-$KVER.tar.xz
if [ ! -f "$KSRC/.mdevccw-unpacked" ]; then
	echo "prepare: unpacking $tarball into $CACHE"
	mkdir -p "$CACHE"
	rm -rf "$KSRC"
	tar -xJf "$tarball" -C "$CACHE"
	touch "$KSRC/.mdevccw-unpacked"
fi

ln -sfn "$PROJECT" "$KSRC/$GRAFT"
grep -qx "source \"$GRAFT/Kconfig\"" "$KSRC/Kconfig" ||
	echo "source \"$GRAFT/Kconfig\"" >> "$KSRC/Kconfig"
grep -qx "obj-y += $GRAFT/" "$KSRC/Kbuild" ||
	echo "obj-y += $GRAFT/" >> "$KSRC/Kbuild"

vfio_mk=$KSRC/drivers/vfio/Makefile
upstream_line='obj-$(CONFIG_VFIO_MDEV) += mdev/'
grafted_line='obj-$(if $(CONFIG_MDEV_CORE),,$(CONFIG_VFIO_MDEV)) += mdev/'
if grep -qxF "$upstream_line" "$vfio_mk"; then
	sed -i "s|^obj-\$(CONFIG_VFIO_MDEV) += mdev/\$|$grafted_line|" "$vfio_mk"
fi
grep -qxF "$grafted_line" "$vfio_mk" ||
	die "drivers/vfio/Makefile: cannot find the mdev line to graft"
