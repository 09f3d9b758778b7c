#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and run one KUnit configuration, then judge it with check-log.py.
#   kunit.sh uml | x86_64 | s390x | uml-detector | x86_64-detector | bench
# Each architecture/debug configuration has its own build directory in the
# cache, so switching between them never forces a rebuild from scratch.
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
s390x*)
	# The real architecture of vfio-ccw, big-endian, under qemu TCG.
	args+=(--arch=s390 --cross_compile=s390x-linux-gnu-
	       --kunitconfig="$PROJECT/kunit/tests.kunitconfig"
	       --kunitconfig="$PROJECT/kunit/s390x.kunitconfig"
	       # A virtio-ccw device: an I/O subchannel for the backend's
	       # suite (the guest has no virtio driver to claim it).
	       --qemu_args="-smp 2 -m 2048 -device virtio-rng-ccw,devno=fe.0.0001"
	       # TCG runs s390x slowest: a tenth of the translation fuzz
	       # and one step less of exploration (UML and x86_64 run all).
	       --kernel_args=vfio_ccw_kunit.fuzz_count=10000
	       --kernel_args=vfio_ccw_kunit.explore_depth=7) ;;
bench-uml)
	# UML runs the kernel natively on the host CPU: real cycle costs,
	# where x86_64 under TCG distorts every instruction's price.
	args+=(--arch=um --kunitconfig="$PROJECT/kunit/bench.kunitconfig"
	       --kconfig_add=CONFIG_UML_PCI_OVER_VIRTIO_DEVICE_ID=65535) ;;
bench)
	# SMP: the lookup scaling figures need the four CPUs qemu gives.
	args+=(--arch=x86_64 --kunitconfig="$PROJECT/kunit/bench.kunitconfig"
	       --kconfig_add=CONFIG_SMP=y --qemu_args="-smp 4 -m 1024") ;;
*)	die "unknown configuration $name" ;;
esac
case $name in
*-detector)
	args+=(--kconfig_add=CONFIG_MDEVCCW_DETECTOR_TEST=y) ;;
esac
# TCG by default: on this workplace's machines /dev/kvm opens but a KVM
# guest hangs while decompressing the kernel (nested virtualization).
# MDEVCCW_KVM=1 opts in where KVM is known to work.
case $name in
uml*|*-uml)	;;
*)	[ "${MDEVCCW_KVM:-0}" = 1 ] && args+=(--qemu_args="-enable-kvm -cpu host") ;;
esac

# A detector run shares its build directory with the normal run: only
# the objects depending on CONFIG_MDEVCCW_DETECTOR_TEST rebuild.
out=$BUILD/${name%-detector}
mkdir -p "$out"
rm -f "$out/test.log" "$out/results.json" "$out/verdict"
cd "$KSRC" || die "no kernel tree; run scripts/prepare.sh"
echo "kunit: $name (log: $out/kunit.out)"
python3 tools/testing/kunit/kunit.py run --build_dir="$out" --jobs="$JOBS" \
	--timeout=1200 --json="$out/results.json" "${args[@]}" "$@" \
	> "$out/kunit.out" 2>&1
rc=$?
# Show the figures of a benchmark run, the tail of a failed one.
if [ "$name" != "${name#bench}" ]; then
	grep -E "bench:" "$out/test.log" | sed 's/^\[[ 0-9.]*\] *//'
elif [ $rc -ne 0 ]; then
	tail -n 40 "$out/kunit.out"
fi
python3 "$PROJECT/scripts/check-log.py" "$name" "$out/test.log" \
	"$out/results.json" "$rc" --objs "$out/mdevccw" | tee "$out/verdict"
