#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of check-log.py on canned logs: it must pass a clean run and
# fail on each kind of report, on a missing expected report and on a
# crashed run.  Cheap; part of `make check`.
set -uo pipefail
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

cat > "$tmp/ok.json" <<'J'
{"name": "all", "sub_groups": [{"name": "s", "sub_groups": [],
 "test_cases": [{"name": "a", "status": "PASS"},
                {"name": "b", "status": "SKIP"}]}], "test_cases": []}
J

# expect <want rc> <description> <kunit rc> <log text>
expect() {
	local want=$1 what=$2 krc=$3
	printf '%s\n' "$4" > "$tmp/log"
	python3 "$here/check-log.py" t "$tmp/log" "$tmp/ok.json" "$krc" \
		> "$tmp/out" 2>&1
	local rc=$?
	if [ $(( rc != 0 )) -ne "$want" ]; then
		echo "check-log selftest: FAILED: $what"; cat "$tmp/out"
		fails=$((fails + 1))
	fi
}

clean='[    0.1] KTAP version 1
[    0.2]     ok 1 a'
expect 0 "clean log passes" 0 "$clean"
expect 1 "lockdep splat fails" 0 "$clean
[    1.0] WARNING: possible circular locking dependency detected"
expect 1 "KCSAN report fails" 0 "$clean
[    1.0] BUG: KCSAN: data-race in foo / bar"
expect 1 "KASAN report fails" 0 "BUG: KASAN: slab-use-after-free in x"
expect 1 "UBSAN report fails" 0 "UBSAN: array-index-out-of-bounds in x.c:1:2"
expect 1 "plain WARN fails" 0 "WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2"
expect 1 "hung task fails" 0 "INFO: task kworker/0:1:12 blocked for more than 60 seconds."
# A KCSAN report after a clean log: kcsan "<header>" "<stack>"...,
# each stack a space-separated list of frames, first access a write.
kcsan() {
	local hdr=$1 kind=write st f
	shift
	printf '%s\nBUG: KCSAN: data-race in %s\n' "$clean" "$hdr"
	for st in "$@"; do
		printf '%s to 0xffff1 of 4 bytes by task 1 on cpu 0:\n' "$kind"
		for f in $st; do printf ' %s+0x1/0x2\n' "$f"; done
		kind=read
	done
	printf '%s\n' '=================================================================='
}
kernfs='kernfs_refresh_inode kernfs_iop_permission'
expect 0 "known kernel race (osq_lock) is excused" 0 "$clean
[    1.0] BUG: KCSAN: data-race in osq_unlock+0xc5/0x140
[    1.0] race at unknown origin, with read to 0xffff1 of 8 bytes by task 240 on cpu 2:
[    1.0]  osq_unlock+0xc5/0x140
[    1.0] =================================================================="
expect 0 "known kernel race, both sides, is excused" 0 \
	"$(kcsan 'osq_lock / osq_unlock' osq_lock osq_unlock)"
expect 1 "a race with one function of ours fails" 0 \
	"$(kcsan 'mdev_create / osq_unlock' mdev_create osq_unlock)"
expect 0 "set_nlink from kernfs_refresh_inode is excused" 0 \
	"$(kcsan 'set_nlink / set_nlink' "set_nlink $kernfs" "set_nlink $kernfs")"
expect 0 "kernfs permission vs refresh is excused" 0 \
	"$(kcsan 'generic_permission / kernfs_refresh_inode' \
		'generic_permission kernfs_iop_permission' "$kernfs")"
expect 1 "kernfs refresh vs a reader of ours fails" 0 \
	"$(kcsan 'kernfs_refresh_inode / mdev_create' "$kernfs" mdev_create)"
expect 1 "set_nlink from elsewhere on one side fails" 0 \
	"$(kcsan 'set_nlink / set_nlink' "set_nlink $kernfs" \
		'set_nlink my_fs_refresh')"
# A task stalled at a watchpoint and an interrupt: irq_race <irq cpu>
# <interrupt's own frames>, the task (on cpu 3) in device_del().
irq_race() {
	printf '%s\nBUG: KCSAN: data-race in device_del / rcu_core\n' "$clean"
	printf 'read to 0xffff1 of 4 bytes by interrupt on cpu %s:\n' "$1"
	for f in $2 asm_sysvec_apic_timer_interrupt device_del mdev_teardown; do
		printf ' %s+0x1/0x2\n' "$f"
	done
	printf 'write to 0xffff1 of 4 bytes by task 241 on cpu 3:\n'
	printf ' device_del+0xbe/0x680\n mdev_teardown+0x19d/0x260\n'
	printf '%s\n' '=================================================================='
}
expect 0 "kernel interrupt on the stalled task's cpu is excused" 0 \
	"$(irq_race 3 'rcu_core rcu_core_si')"
expect 1 "an interrupt running a function of ours fails" 0 \
	"$(irq_race 3 'rcu_core mdev_release')"
expect 1 "an interrupt on another cpu fails" 0 \
	"$(irq_race 2 'rcu_core rcu_core_si')"
expect 1 "crashed run fails" 1 "$clean"
expect 0 "expected report passes" 0 "mdevccw-expect-report: begin WARNING
WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2
mdevccw-expect-report: end"
expect 1 "missing expected report fails" 0 "mdevccw-expect-report: begin WARNING
mdevccw-expect-report: end"
expect 1 "other report in a bracket fails" 0 "mdevccw-expect-report: begin ODEBUG
BUG: KASAN: slab-use-after-free in x
mdevccw-expect-report: end"
expect 1 "unterminated bracket fails" 0 "mdevccw-expect-report: begin WARNING
WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2"

[ $fails -eq 0 ] && echo "check-log selftest: 22 cases ok"
exit $(( fails > 0 ))
