#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and run one KUnit configuration, then judge it with check-log.py.
#   kunit.sh uml | x86_64 | uml-detector | x86_64-detector | bench
# Each configuration has its own build directory in the cache, so switching
# between them never forces a rebuild from scratch.
set -uo pipefail
. "$(dirname "$0")/common.sh"

name=${1:?configuration}
shift
args=()
case $name in
uml*)
	args+=(--arch=um --kunitconfig="$PROJECT/kunit/tests.kunitconfig"
	       --kunitconfig="$PROJECT/kunit/uml.kunitconfig") ;;
x86_64*)
	args+=(--arch=x86_64 --kunitconfig="$PROJECT/kunit/tests.kunitconfig"
	       --kunitconfig="$PROJECT/kunit/x86_64.kunitconfig"
	       --qemu_args="-smp 4 -m 2048") ;;
bench)
	args+=(--arch=x86_64 --kunitconfig="$PROJECT/kunit/bench.kunitconfig"
	       --qemu_args="-smp 4 -m 1024") ;;
*)	die "unknown configuration $name" ;;
esac
case $name in
*-detector)
	args+=(--kconfig_add=CONFIG_MDEVCCW_DETECTOR_TEST=y) ;;
esac
# Use KVM when this machine lets us open it; plain TCG must work too.
if [ "$name" != "${name#x86_64}" ] || [ "$name" = bench ]; then
	if python3 -c 'import os; os.close(os.open("/dev/kvm", os.O_RDWR))' \
		2>/dev/null; then
		args+=(--qemu_args="-enable-kvm -cpu host")
	fi
fi

out=$BUILD/$name
mkdir -p "$out"
rm -f "$out/test.log" "$out/results.json" "$out/verdict"
cd "$KSRC" || die "no kernel tree; run scripts/prepare.sh"
echo "kunit: $name (log: $out/kunit.out)"
python3 tools/testing/kunit/kunit.py run --build_dir="$out" --jobs="$JOBS" \
	--timeout=1200 --json="$out/results.json" "${args[@]}" "$@" \
	> "$out/kunit.out" 2>&1
rc=$?
# Show the figures of a benchmark run, the tail of a failed one.
if [ "$name" = bench ]; then
	grep -E "bench:" "$out/test.log" | sed 's/^\[[ 0-9.]*\] *//'
elif [ $rc -ne 0 ]; then
	tail -n 40 "$out/kunit.out"
fi
python3 "$PROJECT/scripts/check-log.py" "$name" "$out/test.log" \
	"$out/results.json" "$rc" | tee "$out/verdict"
