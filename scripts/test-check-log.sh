#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Self-test of check-log.py on canned logs: it must pass a clean run and
# fail on each kind of report, on a missing or wrong expected report and on
# a crashed run.  Cheap; part of `make check`.  CHECK_LOG=<path> runs it
# against another version of the checker (to show a case is new).
set -uo pipefail
here=$(dirname "$0")
checker=${CHECK_LOG:-$here/check-log.py}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 cases=0

cat > "$tmp/ok.json" <<'J'
{"name": "all", "sub_groups": [{"name": "s", "sub_groups": [],
 "test_cases": [{"name": "a", "status": "PASS"},
                {"name": "b", "status": "SKIP"}]}], "test_cases": []}
J

# expect <want rc> <description> <kunit rc> <log text> [<checker options>
# [<regex its output must match>]]
expect() {
	local want=$1 what=$2 krc=$3 opts=${5:-} out=${6:-}
	cases=$((cases + 1))
	printf '%s\n' "$4" > "$tmp/log"
	# shellcheck disable=SC2086 # options are words
	python3 "$checker" t "$tmp/log" "$tmp/ok.json" "$krc" $opts \
		> "$tmp/out" 2>&1
	local rc=$?
	if [ $(( rc != 0 )) -ne "$want" ] ||
	   { [ -n "$out" ] && ! grep -Eq "$out" "$tmp/out"; }; then
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
expect 1 "sysfs duplicate filename fails" 0 "$clean
[    1.0] sysfs: cannot create duplicate filename '/devices/x/remove'
[    1.0] Call Trace:
[    1.0]  dump_stack_lvl+0x1/0x2
[    1.0]  sysfs_warn_dup+0x1/0x2"
expect 1 "slab poison of a named cache fails" 0 "$clean
[    1.0] BUG fsm_cache (Not tainted): Poison overwritten"

# Stack frames, one a line: a word "f" prints " f+0x1/0x2", "f:mod" prints
# " f+0x1/0x2 [mod]".
frames() {
	local f
	for f in "$@"; do
		case $f in
		*:*) printf ' %s+0x1/0x2 [%s]\n' "${f%%:*}" "${f#*:}" ;;
		*)   printf ' %s+0x1/0x2\n' "$f" ;;
		esac
	done
}
# A KCSAN report after a clean log: kcsan "<header>" "<stack>"...,
# each stack a space-separated list of frames, first access a write.
kcsan() {
	local hdr=$1 kind=write st
	shift
	printf '%s\nBUG: KCSAN: data-race in %s\n' "$clean" "$hdr"
	for st in "$@"; do
		printf '%s to 0xffff1 of 4 bytes by task 1 on cpu 0:\n' "$kind"
		# shellcheck disable=SC2086 # a list of frames
		frames $st
		kind='read'
	done
	printf '%s\n' '=================================================================='
}
# A helper thread exits while the test sleeps in the scheduler.
sched_read='kthread_is_per_cpu can_migrate_task sched_balance_rq __schedule schedule schedule_timeout vccw_race_stress'
expect 0 "exit vs load balancing, ours only asleep below __schedule, is excused" 0 \
	"$(kcsan 'exit_signals / kthread_is_per_cpu' 'exit_signals do_exit kthread_exit' "$sched_read")"
expect 1 "exit vs load balancing, a function of ours running, fails" 0 \
	"$(kcsan 'exit_signals / kthread_is_per_cpu' 'exit_signals do_exit vccw_unlink' "$sched_read")"
expect 1 "a race inside the scheduler with ours above __schedule fails" 0 \
	"$(kcsan 'exit_signals / kthread_is_per_cpu' 'exit_signals do_exit kthread_exit' 'kthread_is_per_cpu vccw_race_stress __schedule')"
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
expect 1 "kernfs refresh with a function of ours lower on a stack fails" 0 \
	"$(kcsan 'set_nlink / set_nlink' "set_nlink $kernfs" \
		"set_nlink $kernfs mdev_type_add")"
walk='inode_permission link_path_walk path_openat do_file_open_root file_open_root'
expect 0 "kernfs refresh in path walks our test asked for is excused" 0 \
	"$(kcsan 'set_nlink / set_nlink' "set_nlink $kernfs $walk tv_write stress_worker" \
		"set_nlink $kernfs $walk tv_remove stress_worker")"
expect 1 "kernfs refresh with ours between it and the path walk fails" 0 \
	"$(kcsan 'set_nlink / set_nlink' "set_nlink $kernfs mdev_type_add $walk" \
		"set_nlink $kernfs $walk tv_write")"
unknown() {
	printf '%s\nBUG: KCSAN: data-race in %s\n\n' "$clean" "$1"
	printf 'race at unknown origin, with read to 0xffff1 of 8 bytes by task 46 on cpu 3:\n'
	# shellcheck disable=SC2086 # a list of frames
	frames $2
	printf '%s\n' '=================================================================='
}
expect 0 "workqueue runtime sample at unknown origin is excused" 0 \
	"$(unknown process_one_work+0x21c/0xb90 'process_one_work worker_thread kthread')"
expect 1 "an unknown-origin race in a work function of ours fails" 0 \
	"$(unknown fsm_post_work 'fsm_post_work process_one_work worker_thread kthread')"
expect 1 "an unknown-origin race elsewhere in the workqueue fails" 0 \
	"$(unknown worker_thread 'worker_thread kthread')"

# A task stalled at a watchpoint and an interrupt: irq_race <header> <irq
# cpu> <interrupt's own frames> <task's frames>, the task on cpu 3.  The
# interrupt's stack goes on below its entry with the task's frames.
irq_race() {
	printf '%s\nBUG: KCSAN: data-race in %s\n' "$clean" "$1"
	printf 'read to 0xffff1 of 4 bytes by interrupt on cpu %s:\n' "$2"
	# shellcheck disable=SC2086 # lists of frames
	frames $3 asm_sysvec_apic_timer_interrupt $4
	printf 'write to 0xffff1 of 4 bytes by task 241 on cpu 3:\n'
	# shellcheck disable=SC2086
	frames $4
	printf '%s\n' '=================================================================='
}
rcu='rcu_core rcu_core_si handle_softirqs __irq_exit_rcu'
kern_task='device_del device_unregister bus_remove_device'
expect 0 "kernel interrupt on the stalled task's cpu, kernel frames only, is excused" 0 \
	"$(irq_race 'device_del / rcu_core' 3 "$rcu" "$kern_task")"
expect 1 "kernel interrupt on the task's cpu, a function of ours lower on the task's stack, fails" 0 \
	"$(irq_race 'device_del / rcu_core' 3 "$rcu" 'device_del mdev_teardown')"
expect 1 "kfree vs rcu_core in an interrupt, a function of ours lower on the task's stack, fails" 0 \
	"$(irq_race 'kfree / rcu_core' 3 "$rcu" \
		'kfree kobject_put refgroup_put kthread')"
expect 1 "an interrupt running a function of ours fails" 0 \
	"$(irq_race 'device_del / rcu_core' 3 'rcu_core mdev_release' "$kern_task")"
expect 1 "an interrupt running a function of ours with a clone suffix fails" 0 \
	"$(irq_race 'device_del / rcu_core' 3 'rcu_core mdev_release.isra.0' "$kern_task")"
expect 1 "an interrupt on another cpu fails" 0 \
	"$(irq_race 'device_del / rcu_core' 2 "$rcu" "$kern_task")"
expect 1 "a static inline of include/linux (refgroup_tryget) racing with an interrupt fails" 0 \
	"$(irq_race 'refgroup_tryget / rcu_core' 3 "$rcu" 'refgroup_tryget kthread')"
expect 1 "a static inline of an internal.h (mdev_type_kobj) racing with an interrupt fails" 0 \
	"$(irq_race 'mdev_type_kobj / rcu_core' 3 "$rcu" 'mdev_type_kobj kthread')"
expect 1 "a DEFINE_GUARD destructor (class_fsm_destructor) racing with an interrupt fails" 0 \
	"$(irq_race 'class_fsm_destructor / rcu_core' 3 "$rcu" \
		'class_fsm_destructor kthread')"
expect 1 "a DEFINE_SHOW_ATTRIBUTE open (fsm_hist_open) racing with an interrupt fails" 0 \
	"$(irq_race 'fsm_hist_open / rcu_core' 3 "$rcu" \
		'fsm_hist_open do_dentry_open vfs_open')"
expect 1 "a frame tagged with a module of ours fails" 0 \
	"$(irq_race 'kfree / rcu_core' 3 'rcu_core vendor_free_rcu:mdev_kunit' \
		"$kern_task")"
expect 1 "a KCSAN header naming a function of a module of ours fails" 0 \
	"$(kcsan 'osq_lock / helper [mdev]' osq_lock 'helper:mdev')"
expect 1 "a KCSAN report cut short (no closing = line) is not excused" 0 \
	"$(kcsan 'osq_lock / osq_unlock' osq_lock osq_unlock | sed '$d')"

# --objs: the text symbols of the objects count as ours, even a name no
# source defines; without objects the checker says so and uses the sources.
mkdir -p "$tmp/objs" "$tmp/noobjs"
objrace=$(irq_race 'kfree / rcu_core' 3 "$rcu" 'kfree mdevccw_objonly_fn kthread')
if printf 'void mdevccw_objonly_fn(void) {}\n' |
   cc -x c -c -o "$tmp/objs/t.o" - 2>/dev/null; then
	expect 0 "a function no source defines, without --objs, is not ours" 0 "$objrace"
	expect 1 "a function only the objects define (--objs) fails" 0 \
		"$objrace" "--objs $tmp/objs"
else
	echo "check-log selftest: no C compiler, --objs symbol cases skipped"
fi
expect 1 "--objs without objects falls back to the sources, and says so" 0 \
	"$(irq_race 'kfree / rcu_core' 3 "$rcu" 'kfree refgroup_put kthread')" \
	"--objs $tmp/noobjs" 'no object symbols'
expect 1 "crashed run fails" 1 "$clean"

# Reports in expect-report brackets.  warn <x86|uml> <func> <file:line>
# <message>: a WARN section as each architecture prints it (x86 the
# message before the WARNING line, UML after).
warn() {
	local msg=$4 at="WARNING: CPU: 0 PID: 12 at $3 $2+0x12/0x40"
	echo '------------[ cut here ]------------'
	if [ "$1" = x86 ]; then
		printf '%s\n%s\n' "$msg" "$at"
	else
		printf '%s\n%s\n' "$at" "$msg"
	fi
	printf '%s\n' 'Modules linked in:' \
		'CPU: 0 UID: 0 PID: 12 Comm: kunit_try_catch Not tainted 6.12.0 #1' \
		"RIP: 0010:$2+0x12/0x40" 'Call Trace:' ' <TASK>'
	frames '? __warn' "$2" fsm_test_undeclared_move kunit_try_run_case
	printf '%s\n' ' </TASK>' '---[ end trace 0000000000000000 ]---'
}
bad_move=$(warn x86 fsm_report_bad_move lib/fsm/report.c:31 \
	'fsm: fsm_test_liar/x: move idle --start--> broken not declared, refused')
odebug_msg='ODEBUG: assert_init not available (active state 0) object: 00000000c0ffee00 object type: fsm hint: 0x0'
lockdep='======================================================
WARNING: possible circular locking dependency detected
6.12.0 #1 Not tainted
------------------------------------------------------
kunit_try_catch/12 is trying to acquire lock:
ffff888003c0 (&b->lock){+.+.}-{3:3}, at: detector_lock_inversion+0x1/0x2

but task is already holding lock:
ffff888003d0 (&a->lock){+.+.}-{3:3}, at: detector_lock_inversion+0x3/0x4

-> #1 (&a->lock){+.+.}-{3:3}:
       lock_acquire+0x1/0x2
       __mutex_lock+0x1/0x2
       detector_lock_inversion+0x5/0x6

stack backtrace:
CPU: 0 UID: 0 PID: 12 Comm: kunit_try_catch Not tainted 6.12.0 #1
Call Trace:
 <TASK>
 dump_stack_lvl+0x1/0x2
 print_circular_bug+0x1/0x2
 __lock_acquire+0x1/0x2
 detector_lock_inversion+0x7/0x8
 </TASK>'
begin() { echo "mdevccw-expect-report: begin $*"; }
end='mdevccw-expect-report: end'
expect 0 "expected WARN (x86 order) passes" 0 "$clean
$(begin WARNING fsm_report_bad_move)
$bad_move
$end"
expect 0 "expected WARN (UML order) passes" 0 "$(begin WARNING fsm_report_bad_move)
$(warn uml fsm_report_bad_move lib/fsm/report.c:31 'fsm: x/y: move refused')
$end"
expect 0 "two expected WARNs in one bracket pass" 0 "$(begin WARNING fsm_report_bad_move)
$bad_move
$bad_move
$end"
expect 0 "a WARN at either of two named sites passes" 0 "$(begin WARNING 'fsm_assert_held|__fsm_event')
$(warn x86 __fsm_event lib/fsm/core.c:333 '')
$end"
expect 0 "expected ODEBUG report (x86 order) passes" 0 "$(begin ODEBUG fsm)
$(warn x86 debug_print_object lib/debugobjects.c:514 "$odebug_msg")
$end"
expect 0 "expected ODEBUG report (UML order) passes" 0 "$(begin ODEBUG fsm)
$(warn uml debug_print_object lib/debugobjects.c:514 "$odebug_msg")
$end"
expect 0 "expected lockdep report passes" 0 "$(begin LOCKDEP detector_lock_inversion)
$lockdep
$end"
expect 0 "expected KCSAN report passes" 0 "$(begin KCSAN detector_data_race)
$(kcsan 'detector_data_race / detector_data_race' detector_data_race detector_data_race)
$end"
expect 1 "missing expected report fails" 0 "$(begin WARNING fsm_report_bad_move)
$end"
expect 1 "a lockdep splat in a WARNING bracket fails" 0 "$(begin WARNING fsm_report_bad_move)
$lockdep
$end"
expect 1 "a lockdep splat next to the expected WARN fails" 0 "$(begin WARNING fsm_report_bad_move)
$bad_move
$lockdep
$end"
expect 1 "a KASAN report next to the expected WARN fails" 0 "$(begin WARNING fsm_report_bad_move)
$bad_move
==================================================================
BUG: KASAN: slab-use-after-free in fsm_event+0x1/0x2
==================================================================
$end"
expect 1 "a second WARN of another function in the bracket fails" 0 "$(begin WARNING fsm_report_bad_move)
$bad_move
$(warn x86 fsm_move_slow lib/fsm/core.c:494 '')
$end"
expect 1 "a WARN of another function fails" 0 "$(begin WARNING fsm_report_bad_move)
$(warn x86 refgroup_registry_destroy lib/refgroup/core.c:192 'refgroup: r destroyed')
$end"
expect 1 "an ODEBUG report in a WARNING bracket fails" 0 "$(begin WARNING debug_print_object)
$(warn x86 debug_print_object lib/debugobjects.c:514 "$odebug_msg")
$end"
expect 1 "an ODEBUG report on another object type fails" 0 "$(begin ODEBUG fsm)
$(warn uml debug_print_object lib/debugobjects.c:514 "${odebug_msg/type: fsm/type: timer_list}")
$end"
expect 1 "a plain WARN in an ODEBUG bracket fails" 0 "$(begin ODEBUG fsm)
$bad_move
$end"
expect 1 "a UBSAN report in a WARN section fails" 0 "$(begin WARNING fsm_report_bad_move)
$(warn uml fsm_report_bad_move lib/fsm/report.c:31 'UBSAN: shift-out-of-bounds in lib/fsm/report.c:31:2')
$end"
expect 1 "a bracket without a function (old marker) fails" 0 "$(begin WARNING)
WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2
$end"
expect 1 "a bracket opened inside another fails" 0 "$(begin WARNING fsm_report_bad_move)
$(begin WARNING fsm_report_bad_move)
$bad_move
$end"
expect 1 "other report in a bracket fails" 0 "$(begin ODEBUG fsm)
BUG: KASAN: slab-use-after-free in x
$end"
expect 1 "unterminated bracket fails" 0 "$(begin WARNING f)
WARNING: CPU: 0 PID: 1 at lib/x.c:1 f+0x1/0x2"

[ $fails -eq 0 ] && echo "check-log selftest: $cases cases ok"
exit $(( fails > 0 ))
