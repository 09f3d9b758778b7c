#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one KUnit run: test results plus the kernel log.

KUnit marks a case failed only when an expectation fails.  A lockdep splat,
a KCSAN/KASAN/UBSAN report, a WARN or a BUG leaves every case green, so this
script also scans the console log and counts each such report as a failure.

A test that checks that a report *is* produced brackets the faulty step with

    mdevccw-expect-report: begin <token>
    mdevccw-expect-report: end

One report header line inside the bracket must contain <token> (a WARN
prints several header lines, in an order that depends on the reporter);
then all of them belong to the expected report.  A bracket without its
report is itself a failure, so the test also proves the detector fires.

usage: check-log.py NAME TEST_LOG RESULTS_JSON KUNIT_RC
Prints a verdict and a last line "NAME: P passed, F failed, S skipped".
"""
import json
import pathlib
import re
import sys

REPORT = re.compile(
    r'(WARNING:|BUG:|BUG kmalloc|Oops|Kernel panic|kernel BUG at|'
    r'general protection fault|UBSAN:|ODEBUG:|DEBUG_LOCKS_WARN_ON|'
    r'INFO: task .* blocked for more than|INFO: trying to register non-static key|'
    r'INFO: rcu_\w+ (self-)?detected|possible circular locking|'
    r'inconsistent lock state|possible recursive locking|'
    r'Unable to handle kernel|unreferenced object)')
BEGIN = re.compile(r'mdevccw-expect-report: begin (\S+)')
END = re.compile(r'mdevccw-expect-report: end')
ACCESS = re.compile(r'\b(read|write)\b.* of \d+ bytes by ')
KCSAN = re.compile(r'BUG: KCSAN: data-race in (\w+)(?:\+\S+)?'
                   r'(?: / (\w+)(?:\+\S+)?)?\s*$')
# Data races inside the kernel's own code that KCSAN_STRICT reports under
# this project's stress tests and that only a kernel change can fix.  Each
# rule looks at the functions the report's header names and at each
# access (its line and its stack); a report is excused only if one rule
# holds, and no rule excuses an access made by a function of ours.
KERNFS_INODE_OPS = ('kernfs_iop_permission', 'kernfs_iop_getattr')
PROJECT = pathlib.Path(__file__).resolve().parent.parent
DEFINITION = re.compile(r'^[A-Za-z_][\w \*]*?\b(\w+)\(', re.M)


def project_functions():
    """Names of the functions the project's C files define."""
    names = set()
    for path in PROJECT.glob('**/*.c'):
        names.update(DEFINITION.findall(path.read_text(errors='replace')))
    return names


def own_frames(access):
    """An access's frames up to an interrupt entry (the rest was interrupted)."""
    frames = []
    for f in access['frames']:
        if f.startswith('asm_'):
            break
        frames.append(f)
    return frames


def irq_on_own_cpu(funcs, accesses):
    """A kernel interrupt touching what the task it interrupted was touching."""
    if len(accesses) != 2 or any(f in OURS for f in funcs):
        return False
    ctx = [ON_CPU.search(a['line']) for a in accesses]
    if not all(ctx) or ctx[0].group(2) != ctx[1].group(2):
        return False
    irq = [a for a, c in zip(accesses, ctx) if c.group(1) == 'interrupt']
    return (len(irq) == 1 and
            not any(f in OURS for f in own_frames(irq[0])))


KERNEL_RACES = [
    # kernel/locking/osq_lock.c: osq_wait_next() tests node->next with a
    # plain load while the next waiter sets it with WRITE_ONCE(); the load
    # only decides whether to xchg() it (seen under kernfs rwsem contention).
    ('osq_lock.c', lambda funcs, accesses:
        all(f in ('osq_lock', 'osq_unlock', 'osq_wait_next') for f in funcs)),
    # fs/kernfs/inode.c: kernfs_iop_permission() and kernfs_iop_getattr()
    # refresh the VFS inode from the kernfs node (kernfs_refresh_inode():
    # mode, owner, times, link count) holding kernfs_iattr_rwsem only for
    # reading, so path walks through one sysfs node race on those fields
    # (seen: set_nlink / set_nlink, generic_permission /
    # kernfs_refresh_inode).  Both accesses must be inside those inode
    # operations, which call no driver code, and one must be the refresh.
    ('kernfs inode refresh', lambda funcs, accesses:
        all(any(op in a['frames'] for op in KERNFS_INODE_OPS)
            for a in accesses) and
        any('kernfs_refresh_inode' in a['frames'] for a in accesses)),
    # A kernel interrupt on the CPU of the task KCSAN stalled at a
    # watchpoint, both racing functions the kernel's and the interrupt's
    # own frames too (seen: device_del's memalloc_noio_save() writing
    # current->flags while rcu_core() reads them for is_idle_task()).
    ('kernel interrupt on its own cpu', irq_on_own_cpu),
]
ON_CPU = re.compile(r'by (task \d+|interrupt) on cpu (\d+)')
FRAME = re.compile(r'^\s*(?:\[[ \d.]+\]\s*)?(\w+)\+0x')
OURS = project_functions()


def excused(lines, i):
    """The rule excusing the KCSAN report whose header is lines[i], or None."""
    m = KCSAN.search(lines[i])
    if not m:
        return None
    funcs = [f for f in m.groups() if f]
    # One access per line naming it, in the order the header names them.
    accesses = []
    for line in lines[i + 1:]:
        if line.rstrip().endswith('=' * 20):
            break
        if ACCESS.search(line):
            accesses.append({'line': line, 'frames': []})
        elif accesses and FRAME.search(line):
            accesses[-1]['frames'].append(FRAME.search(line).group(1))
    if not accesses or len(accesses) < len(funcs):
        return None
    for name, rule in KERNEL_RACES:
        if rule(funcs, accesses):
            return name
    return None


def scan_log(lines):
    """Return (unexpected report lines, broken expectation messages)."""
    bad, broken = [], []
    token, held = None, []
    for n, line in enumerate(lines, 1):
        m = BEGIN.search(line)
        if m:
            token, held = m.group(1), []
            continue
        if END.search(line):
            if token is not None:
                if not any(token in h for h in held):
                    broken.append(f'line {n}: expected a "{token}" report, none came')
                    bad.extend(held)
            token = None
            continue
        if REPORT.search(line):
            why = excused(lines, n - 1) if token is None else None
            if why:
                print(f'excused known kernel race ({why}), line {n}: {line.strip()}')
                continue
            (held if token is not None else bad).append(f'line {n}: {line.strip()}')
    if token is not None:
        broken.append(f'log ends inside an expect-report bracket for "{token}"')
        bad.extend(held)
    return bad, broken


def count(group, acc):
    for case in group.get('test_cases', []):
        st = case.get('status', 'ERROR')
        key = {'PASS': 0, 'SKIP': 2}.get(st, 1)
        acc[key] += 1
    for sub in group.get('sub_groups', []):
        count(sub, acc)


def main():
    name, log, res, rc = sys.argv[1:5]
    acc = [0, 0, 0]
    try:
        with open(res) as f:
            count(json.load(f), acc)
    except (OSError, ValueError) as e:
        print(f'{name}: no usable results ({e})')
    try:
        with open(log, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError as e:
        lines = []
        print(f'{name}: no kernel log ({e})')
        acc[1] += 1
    bad, broken = scan_log(lines)
    for b in bad:
        print(f'{name}: kernel report: {b}')
    for b in broken:
        print(f'{name}: {b}')
    acc[1] += len(bad) + len(broken)
    if int(rc) != 0 and acc[1] == 0:
        print(f'{name}: kunit.py exited {rc} (crash, timeout or missing tests)')
        acc[1] += 1
    if sum(acc) == 0:
        print(f'{name}: no test ran')
        acc[1] += 1
    print(f'{name}: {acc[0]} passed, {acc[1]} failed, {acc[2]} skipped')
    return 1 if acc[1] else 0


if __name__ == '__main__':
    sys.exit(main())
