#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test of the project.
#  - self-test of the log checker on canned logs;
#  - checkpatch --strict on every .c/.h of the project;
#  - kernel-doc -Wall on the public headers and exporting files;
#  - KUnit on UML (lockdep, KASAN, UBSAN, DEBUG_OBJECTS, PREEMPT);
#  - KUnit on x86_64 under qemu -smp 4 (KCSAN strict, lockdep);
#  - KUnit on s390x under qemu-system-s390x -smp 2 (lockdep), cross-built;
#  - the project built as users build it: KUnit off, W=1, built in and
#    as modules (scripts/build-prod.sh);
#  - drivers/vfio-ccw cross-compiled for s390x (scripts/cross-s390.sh);
#  - make demo: an s390x tinyconfig guest doing channel I/O through the
#    project's vfio_ccw (scripts/demo.sh), one item per step;
#  - docs/mdev-lifecycle.dot, docs/vfio-ccw-fsm.dot, the errno table of
#    docs/vfio-ccw-cp.rst and the cell table of docs/vfio-ccw.rst against
#    what the code runs;
#  - the Sphinx build of docs/ (kernel-doc, graphviz), warnings fatal;
#  - sparse (C=2) over the project's directories.
# A KUnit run fails on any failed case and on any kernel report in its log.
# The last line sums everything: "N passed, N failed, N skipped".
set -uo pipefail
. "$(dirname "$0")/common.sh"

t0=$(date +%s)
"$PROJECT/scripts/prepare.sh" || die "could not prepare the kernel tree"
verdicts=$(mktemp)
trap 'rm -f "$verdicts"' EXIT

# One pass/fail item for a static check.
item() {
	local name=$1 rc=$2
	if [ "$rc" -eq 0 ]; then
		echo "$name: 1 passed, 0 failed, 0 skipped" | tee -a "$verdicts"
	else
		echo "$name: 0 passed, 1 failed, 0 skipped" | tee -a "$verdicts"
	fi
}

"$PROJECT/scripts/test-check-log.sh"
item check-log-selftest $?

cd "$PROJECT"
mapfile -t srcs < <(find . -path ./.git -prune -o -name '*.[ch]' -print | sort)
cp_out=$(perl "$KSRC/scripts/checkpatch.pl" --strict --no-tree --terse \
	--show-types -f "${srcs[@]}" 2>&1 | grep -E ': (ERROR|WARNING|CHECK):')
[ -n "$cp_out" ] && echo "$cp_out"
item checkpatch "$([ -z "$cp_out" ]; echo $?)"

# kernel-doc of every exported symbol and public header, as the docs use it.
kd_out=$(perl "$KSRC/scripts/kernel-doc" -none -Wall include/linux/*.h \
	$(grep -rl EXPORT_SYMBOL --include='*.c' lib drivers 2>/dev/null) 2>&1)
[ -n "$kd_out" ] && echo "$kd_out"
item kernel-doc "$([ -z "$kd_out" ]; echo $?)"

# s390x needs the cross compiler and qemu-system-s390x (qemu-system-misc).
"$PROJECT/scripts/prepare.sh" gcc-s390x-linux-gnu libc6-dev-s390x-cross \
	qemu-system-misc ||
	die "could not install the s390x tools"
for cfg in uml x86_64 s390x; do
	"$PROJECT/scripts/kunit.sh" $cfg
	v=$(tail -n 1 "$BUILD/$cfg/verdict" 2>/dev/null)
	if [[ "$v" =~ ^$cfg:\ [0-9]+\ passed ]]; then
		echo "$v" >> "$verdicts"
	else
		item "$cfg" 1
	fi
done

# What users build: KUnit off, built in and as modules, W=1, no warning
# from the project's files (requirement M22).
for how in y m; do
	"$PROJECT/scripts/build-prod.sh" x86_64 "$how"
	item "prod-x86_64-$how" $?
done
# The s390-only code compiles for s390x, W=1, KUnit off: the layout
# checks of drivers/vfio-ccw/ccw_s390_check.c hold.
"$PROJECT/scripts/cross-s390.sh"
item s390x-cross $?

# The main job, end to end: the s390x tinyconfig guest with the project
# built in (KUnit off), real channel I/O through vfio_ccw under qemu, one
# item per step of the consumer's report.
"$PROJECT/scripts/demo.sh" > "$BUILD/demo.out" 2>&1
rc=$?
cat "$BUILD/demo.out"
steps=$(sed -n 's/^\([0-9]*\) steps, \([0-9]*\) failed$/\1 \2/p' "$BUILD/demo.out")
if [ -n "$steps" ] && [ $rc -eq 0 ]; then
	set -- $steps
	echo "demo: $(($1 - $2)) passed, $2 failed, 0 skipped" | tee -a "$verdicts"
else
	item demo 1
fi

# The lifecycle picture in docs/ is the table the code runs: the mdev
# suite prints it between markers (UML log).
sed -n 's/^.*mdev-lifecycle-dot: //p' "$BUILD/uml/test.log" 2>/dev/null |
	sed '1d;$d' | diff -u <(grep -v '^//' "$PROJECT/docs/mdev-lifecycle.dot") -
item docs-lifecycle-graph $?

# The same for vfio-ccw's I/O table, and its cell table: what each request
# does in each state, as the explorer measured it (UML log).
sed -n 's/^.*vfio-ccw-dot: //p' "$BUILD/uml/test.log" 2>/dev/null |
	sed '1d;$d' | diff -u <(grep -v '^//' "$PROJECT/docs/vfio-ccw-fsm.dot") -
item docs-vfio-ccw-graph $?
diff -u <(awk '/^\.\. vfio-ccw-cells: begin/ { f = 1; next }
	       /^\.\. vfio-ccw-cells: end/ { f = 0 }
	       f && NF == 4 { print $1, $2, $3, $4 }' "$PROJECT/docs/vfio-ccw.rst") \
	<(sed -n 's/^.*vfio-ccw-cells: //p' "$BUILD/uml/test.log" 2>/dev/null |
	  sed '1d;$d')
item docs-vfio-ccw-cells $?

# The errno table of docs/vfio-ccw-cp.rst is what the code returns: the
# translation suite prints each malformed case and its errno (UML log).
diff -u <(awk '/^   \* - ``/ { gsub(/[`*-]/, "", $0); c = $1; next }
	       c && /^     - -E/ { print c, $2; c = "" }' \
	       "$PROJECT/docs/vfio-ccw-cp.rst" | sort) \
	<(sed -n 's/^.*vfio-ccw-cp-errno: //p' "$BUILD/uml/test.log" 2>/dev/null |
	  sort)
item docs-cp-errno-table $?

# The documentation builds, with its kernel-doc and diagrams, warning-free.
"$PROJECT/scripts/docs.sh"
item docs $?

# sparse over the project's directories, on the x86_64 build just made.
sp_out=$(cd "$KSRC" && make -s ARCH=x86_64 O="$BUILD/x86_64" C=2 \
	-j"$JOBS" "$GRAFT/" 2>&1 | grep -E 'warning:|error:')
[ -n "$sp_out" ] && echo "$sp_out"
item sparse "$([ -z "$sp_out" ]; echo $?)"

echo "time: $(( $(date +%s) - t0 ))s"
awk -F'[:,] *' '{ for (i = 2; i <= NF; i++) { split($i, a, " ");
	n[a[2]] += a[1] } }
	END { printf "%d passed, %d failed, %d skipped\n",
		n["passed"], n["failed"], n["skipped"]; exit n["failed"] > 0 }' \
	"$verdicts"
