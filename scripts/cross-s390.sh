#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Cross-compile the project's s390-aware code for s390x with W=1, KUnit
# off, against the same tree: drivers/vfio-ccw (the translator, the
# arch-neutral core and the s390 backend), whose ccw_s390_check.c proves at
# build time that ccw.h's layouts match asm/cio.h, asm/scsw.h and
# drivers/s390/cio/orb.h.  Objects only (defconfig plus
# modules_prepare, about 30 seconds the first time), then sparse over
# them; make demo links a whole s390x kernel.  Fails on any diagnostic.
set -uo pipefail
. "$(dirname "$0")/common.sh"
"$PROJECT/scripts/prepare.sh" gcc-s390x-linux-gnu || die "prepare"

out=$BUILD/s390x-check
mkdir -p "$out"
cd "$KSRC" || die "no kernel tree"
kmake() {
	make -s ARCH=s390 CROSS_COMPILE=s390x-linux-gnu- O="$out" -j"$JOBS" "$@"
}
if [ ! -f "$out/.config" ]; then
	kmake defconfig >/dev/null || die "s390x: defconfig"
fi
# The kernel's own vfio_ccw off, so that the project's core can build.
scripts/config --file "$out/.config" -d KUNIT -d VFIO_CCW -m VFIO_CCW_CP \
	-m FSM_LIB -m REFGROUP_LIB -m MDEV_CORE -m VFIO_CCW_CORE -m VFIO_CCW_S390
kmake olddefconfig >/dev/null || die "s390x: olddefconfig"
for o in VFIO_CCW_CP VFIO_CCW_CORE VFIO_CCW_S390; do
	grep -qx "CONFIG_$o=m" "$out/.config" ||
		die "s390x: CONFIG_$o=m did not survive olddefconfig"
done
kmake modules_prepare >/dev/null 2>&1 || die "s390x: modules_prepare"
# Objects are rebuilt each time: a warning must not vanish on a re-run.
find "$out/$GRAFT" -name '*.o' -delete 2>/dev/null
log=$(kmake W=1 "$GRAFT/drivers/vfio-ccw/" 2>&1)
rc=$?
# Only the project's diagnostics count: W=1 also rebuilds host tools
# (genksyms' bison grammar warns).
diag=$(grep -E "$GRAFT/(lib|drivers|include|kunit)/" <<< "$log")
[ -n "$diag" ] && echo "$diag"
[ $rc -eq 0 ] || echo "$log" | tail -n 20
[ $rc -eq 0 ] && [ -z "$diag" ] ||
	die "s390x: drivers/vfio-ccw does not build cleanly"
# sparse as well: the s390 backend is built on s390 only, so the x86_64
# sparse run of check.sh never sees it.
sp=$(kmake C=2 "$GRAFT/drivers/vfio-ccw/" 2>&1 | grep -E "$GRAFT/.*(warning|error):")
[ -n "$sp" ] && { echo "$sp"; die "s390x: sparse warns about drivers/vfio-ccw"; }
echo "s390x: drivers/vfio-ccw built with W=1, layouts checked, sparse clean"
