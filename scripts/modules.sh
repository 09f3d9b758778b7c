#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job for now: build the project's modules for x86_64 against the
# prepared tree (a small allnoconfig-based kernel with modules enabled).
set -euo pipefail
. "$(dirname "$0")/common.sh"
"$PROJECT/scripts/prepare.sh"

out=$BUILD/modules
mkdir -p "$out"
cd "$KSRC"
kmake() { make -s ARCH=x86_64 O="$out" -j"$JOBS" "$@"; }
[ -f "$out/.config" ] || kmake allnoconfig
# Applied every time, so options of new parts reach an existing tree.
# The refgroup KUnit test stays out: it compiles a fault-injection hook
# into librefgroup.ko.  The kernel's mtty and mdpy samples are built
# unchanged against drivers/mdev's mdev.ko: that is the compatibility claim.
"$KSRC/scripts/config" --file "$out/.config" -e 64BIT -e MODULES \
	-e MODULE_UNLOAD -e DEBUG_FS -e FTRACE -e KUNIT -m FSM_LIB \
	-m FSM_KUNIT_TEST -m FSM_BENCH -m REFGROUP_LIB -m REFGROUP_BENCH \
	-m MDEV_CORE -m VFIO -e SAMPLES -m SAMPLE_VFIO_MDEV_MTTY \
	-m SAMPLE_VFIO_MDEV_MDPY
kmake olddefconfig
echo "modules: building x86_64 kernel and modules in $out"
kmake
kmake modules
cd "$out"
find "$GRAFT" samples/vfio-mdev -name '*.ko' | sort | while read -r ko; do
	printf 'modules: %-40s %8d bytes\n' "$ko" "$(stat -c %s "$ko")"
done
# The samples must have linked against this project's core, not the
# kernel's drivers/vfio/mdev (which the graft turns off).
[ ! -e drivers/vfio/mdev/mdev.ko ] || die "the kernel's own mdev.ko was built"
for ko in samples/vfio-mdev/mtty.ko samples/vfio-mdev/mdpy.ko; do
	modinfo -F depends "$ko" | tr , '\n' | grep -qx mdev ||
		die "$ko does not depend on mdev.ko"
done
echo "modules: mtty.ko and mdpy.ko link against $GRAFT/drivers/mdev/mdev.ko"
