#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the project the way users build it: KUnit off, the project's
# files with W=1, everything linked (vmlinux and modpost), from a small
# allnoconfig-based kernel.
#   build-prod.sh x86_64 y    everything built in; no debugfs, no tracing
#                             (what a tinyconfig guest such as `make demo`'s
#                             boots)
#   build-prod.sh x86_64 m    everything as modules, with debugfs and
#                             tracing (what a distribution kernel has)
# Fails on a build error, on an option the configuration silently dropped,
# and on any diagnostic naming a file of the project (a warning in a kernel
# header is reported with the project file that included it, so it counts).
# Prints "prod-<arch>-<y|m>: ok" on success.
set -uo pipefail
. "$(dirname "$0")/common.sh"

arch=${1:?arch}
how=${2:?y or m}
name=prod-$arch-$how
out=$BUILD/$name
mkdir -p "$out"
cd "$KSRC" || die "no kernel tree; run scripts/prepare.sh"
kmake() { make -s ARCH="$arch" O="$out" -j"$JOBS" "$@"; }

opts=(FSM_LIB REFGROUP_LIB MDEV_CORE VFIO_CCW_CP VFIO VFIO_CCW_CORE
      SAMPLE_VFIO_MDEV_MTTY
      SAMPLE_VFIO_MDEV_MDPY)
[ -f "$out/.config" ] || kmake allnoconfig >/dev/null || die "$name: config"
cfg=("$KSRC/scripts/config" --file "$out/.config")
"${cfg[@]}" -e 64BIT -d KUNIT -e SAMPLES
if [ "$how" = m ]; then
	"${cfg[@]}" -e MODULES -e MODULE_UNLOAD -e DEBUG_FS -e FTRACE
else
	"${cfg[@]}" -d MODULES -d DEBUG_FS -d FTRACE
fi
for o in "${opts[@]}"; do "${cfg[@]}" --set-val "$o" "$how"; done
kmake olddefconfig >/dev/null || die "$name: olddefconfig"
want=("${opts[@]/%/=$how}" 64BIT=y)
nope=()
if [ "$how" = m ]; then
	want+=(MODULES=y DEBUG_FS=y TRACEPOINTS=y)
else
	nope=(MODULES DEBUG_FS TRACEPOINTS)
fi
for o in "${want[@]}"; do
	grep -qx "CONFIG_$o" "$out/.config" ||
		die "$name: CONFIG_$o did not survive olddefconfig"
done
for o in KUNIT "${nope[@]}"; do
	grep -q "^CONFIG_$o=" "$out/.config" && die "$name: CONFIG_$o is set"
done

# Warnings do not stop an object from being written: without this a
# second run would not recompile a file that warned, and would pass.
[ -d "$out/$GRAFT" ] && find "$out/$GRAFT" -name '*.o' -delete

log=$out/build.log
echo "build: $name (log: $log)"
# The project's objects with W=1 first, then everything else without it
# (W=1 over the whole kernel would run kernel-doc on every file and take
# minutes); the second pass recompiles ours without W=1 and links them.
kmake W=1 "$GRAFT/" > "$log" 2>&1
rc=$?
[ $rc -eq 0 ] && { kmake all >> "$log" 2>&1; rc=$?; }
# Our sources as the compiler names them (the cache path holds the
# project's name too, so match the directories inside it), and any
# modpost warning: for vmlinux it names symbols, not files.
ours=$(grep -nE "$GRAFT/(lib|drivers|include|kunit)/|modpost.*(WARNING|ERROR)" "$log")
if [ $rc -ne 0 ] || [ -n "$ours" ]; then
	[ -n "$ours" ] && echo "$ours" || tail -n 30 "$log"
	echo "$name: failed (make exited $rc)"
	exit 1
fi
echo "$name: ok"
