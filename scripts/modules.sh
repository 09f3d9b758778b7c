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
# into librefgroup.ko.
"$KSRC/scripts/config" --file "$out/.config" -e 64BIT -e MODULES \
	-e MODULE_UNLOAD -e DEBUG_FS -e FTRACE -e KUNIT -m FSM_LIB \
	-m FSM_KUNIT_TEST -m FSM_BENCH -m REFGROUP_LIB -m REFGROUP_BENCH
kmake olddefconfig
echo "modules: building x86_64 kernel and modules in $out"
kmake
kmake modules
cd "$out"
find "$GRAFT" -name '*.ko' | sort | while read -r ko; do
	printf 'modules: %-40s %8d bytes\n' "$ko" "$(stat -c %s "$ko")"
done
