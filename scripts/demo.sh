#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: this project's vfio-ccw doing real channel I/O in an s390x
# guest.  Cross-builds a tinyconfig s390x kernel with the project's mdev
# core and vfio-ccw (Linux's own off), a static consumer
# (scripts/demo/vccw-demo.c) as the initramfs's /init, and boots it in
# qemu-system-s390x (TCG, s390-ccw-virtio) with two virtio-ccw devices.
# The consumer does what QEMU does on a host and prints one line per
# step; this script prints them, checks the guest's whole console for
# warnings and exits non-zero unless the consumer said PASS.
#
#   demo.sh [ours|upstream] [demo|bench] [count]
#
# The guest kernels are cached (MDEVCCW_CACHE); a second run rebuilds
# nothing and takes seconds.  `upstream` is the same guest with Linux's
# own vfio_ccw (make demo-compare).
set -uo pipefail
. "$(dirname "$0")/common.sh"

variant=${1:-ours}
mode=${2:-demo}
count=${3:-1000}
"$PROJECT/scripts/prepare.sh" gcc-s390x-linux-gnu libc6-dev-s390x-cross \
	qemu-system-misc >/dev/null || die "prepare"

frags=("$PROJECT/scripts/demo/guest.config"
       "$PROJECT/scripts/demo/$variant.config")
# The demo run carries lockdep: it sees the real VFIO container's locks.
[ "$mode" = demo ] && frags+=("$PROJECT/scripts/demo/debug.config")
name=$variant-$mode
out=$BUILD/demo-$name
mkdir -p "$out"
kmake() {
	make -s -C "$KSRC" ARCH=s390 CROSS_COMPILE=s390x-linux-gnu- O="$out" \
		-j"$JOBS" "$@"
}

# Configure when the fragments change, not on every run.
sum=$(cat "${frags[@]}" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$out/.demo-config" 2>/dev/null)" != "$sum" ]; then
	echo "demo: configuring the $name guest (tinyconfig + ${frags[*]##*/})"
	kmake tinyconfig >/dev/null || die "tinyconfig"
	"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${frags[@]}" >/dev/null || die "merge_config"
	kmake olddefconfig >/dev/null || die "olddefconfig"
	# A fragment line the kernel dropped is a broken demo, not a detail.
	for f in "${frags[@]}"; do
		grep -E '^CONFIG_[A-Z0-9_]+=' "$f" | while IFS= read -r l; do
			v=${l#*=}
			o=${l%%=*}
			if [ "$v" = n ]; then
				! grep -q "^$o=" "$out/.config" ||
					die "$o is set in the $name guest"
			else
				grep -qx "$l" "$out/.config" ||
					die "$l did not survive in the $name guest"
			fi
		done || exit 1
	done
	echo "$sum" > "$out/.demo-config"
fi
t0=$(date +%s)
kmake bzImage headers >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log"; die "the $name guest does not build"; }
# The build users make of an s390x guest: no diagnostic from our files.
if grep -E "$GRAFT/.*(warning|error):" "$out/build.log"; then
	die "the $name guest build warns about the project's files"
fi
t1=$(date +%s)
[ $((t1 - t0)) -gt 5 ] && echo "demo: $name guest kernel built in $((t1 - t0)) s"

# The consumer, against the guest's own UAPI headers (6.12's VFIO, iommufd).
s390x-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -Wno-unused-parameter \
	-isystem "$out/usr/include" -o "$out/vccw-demo" \
	"$PROJECT/scripts/demo/vccw-demo.c" || die "the consumer does not build"
cat > "$out/initramfs.list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
file /init $out/vccw-demo 0755 0 0
EOF
"$out/usr/gen_init_cpio" "$out/initramfs.list" > "$out/initramfs.cpio" ||
	die "initramfs"

# One vCPU: the consumer's SCHED_FIFO steps rely on the bottom half not
# running elsewhere.  Two virtio-rng-ccw devices: free subchannels (the
# guest has no virtio driver) with a device behind each.
echo "demo: booting the $name guest (qemu-system-s390x, TCG)"
t0=$(date +%s%N)
timeout 600 qemu-system-s390x -machine s390-ccw-virtio -cpu qemu -smp 1 \
	-m 512 -nodefaults -nographic -no-reboot -serial stdio \
	-kernel "$out/arch/s390/boot/bzImage" -initrd "$out/initramfs.cpio" \
	-append "console=ttysclp0 vccw_mode=$mode vccw_count=$count" \
	-device virtio-rng-ccw,devno=fe.0.0001 \
	-device virtio-rng-ccw,devno=fe.0.0002 \
	< /dev/null > "$out/console.raw" 2>&1
rc=$?
# The console ends its lines with CR LF.
tr -d '\r' < "$out/console.raw" > "$out/console.log"
t1=$(date +%s%N)
sed -n 's/^vccw-demo: //p' "$out/console.log"
echo "demo: guest ran $(( (t1 - t0) / 1000000 )) ms (console: $out/console.log)"
[ $rc -eq 0 ] || die "qemu exited with $rc"
# The guest's own check reads /dev/kmsg; this one reads the console,
# which also holds what came after.
if grep -nE 'WARNING:|BUG:|kernel BUG at|possible circular|inconsistent lock|Call Trace|sleeping function called|Kernel panic|UBSAN:|KASAN:|Unable to handle|list_(add|del) corruption|cannot quiesce' \
	"$out/console.log"; then
	die "the $name guest's console holds a warning"
fi
grep -qx "vccw-demo: PASS" "$out/console.log" || exit 1
