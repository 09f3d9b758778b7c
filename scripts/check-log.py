#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one KUnit run: test results plus the kernel log.

KUnit marks a case failed only when an expectation fails.  A lockdep splat,
a KCSAN/KASAN/UBSAN report, a WARN or a BUG leaves every case green, so this
script also splits the console log into reports and counts each as a failure.

A report runs from its first line to its end, and each is judged alone:
  - a WARN section: "------------[ cut here ]------------" (or its first
    header line if the cut line is missing) through "---[ end trace".  It
    holds one "WARNING: CPU: N PID: N at <file>:<line> <func>+0x..." line
    and at most one message header (ODEBUG:, DEBUG_LOCKS_WARN_ON, UBSAN:,
    kernel BUG at, Oops ...), in either order: x86 prints the message first,
    UML the WARNING line first.  A message header names its kind;
  - KCSAN, KASAN, KFENCE: the "BUG: <tool>: ..." line through the next line
    of '=' signs; lines another CPU prints meanwhile stay inside it (a
    report that never gets its '=' line is never excused);
  - any other header (lockdep, hung task, other BUG:, kmemleak ...): through
    the end of the first call trace after it.
Reports do not nest: a header line that cannot belong to the open report
(a second WARNING line, a lockdep header in a WARN section ...) is a report
of its own.  A bracket marker ends any report but a sanitizer's.

A test that checks that a report *is* produced brackets the faulty step with

    mdevccw-expect-report: begin <KIND> <FUNC>
    mdevccw-expect-report: end

Each report that starts inside the bracket must be the one it names, or the
run fails; so must at least one (a bracket without its report is a failure
too, so the test also proves the detector fires).  KIND and what FUNC is:
  WARNING  a plain WARN: FUNC is the function of its "WARNING: CPU ... at"
           line, the one the WARN is compiled into (a static function
           inlined there shows as its caller; "a|b" accepts either);
  ODEBUG   FUNC is the debug object type ("object type: fsm");
  LOCKDEP  a lockdep report: FUNC is a function of any of its stacks;
  KCSAN    FUNC is one of the functions its header names;
  KASAN    FUNC is the function its header names.
A lockdep report's "WARNING: possible ..." header is not a WARN.

Data races inside the kernel's own code that KCSAN_STRICT reports under the
stress tests are excused by the rules below, inside a bracket or not.  No
rule excuses a report in which any function of ours appears: in its header
or anywhere in either access's stack (an interrupt's stack includes the
task it interrupted).  "Ours" is any frame tagged with one of the
project's modules ("[mdev]") and any function the project defines: the
text symbols of the objects under --objs (less the out-of-line copies of
kernel-header inlines, which the kernel image defines too), and always the
functions its .c and .h files define or its macros generate
(DEFINE_GUARD -> class_<name>_destructor, DEFINE_SHOW_ATTRIBUTE -> <name>_open
...).  Without usable objects the checker says so and uses the sources.

usage: check-log.py NAME TEST_LOG RESULTS_JSON KUNIT_RC [--objs DIR]
DIR is where the project's objects were built ($BUILD/<cfg>/mdevccw).
Prints a verdict and a last line "NAME: P passed, F failed, S skipped".
"""
import argparse
import collections
import json
import pathlib
import re
import shutil
import subprocess
import sys

PROJECT = pathlib.Path(__file__).resolve().parent.parent

# --- What is ours ---------------------------------------------------------

# A name at the start of a line (its type on the line above) or after
# its type and qualifiers.
DEFINITION = re.compile(r'^(?:[A-Za-z_][\w \*]*?[ \*])?([A-Za-z_]\w*)\(', re.M)
# Macros of the kernel that define functions under names built from their
# arguments ({0}, {1}); the definition pattern cannot see those.  Only
# functions: a frame is never a data symbol (x_fops, dev_attr_x).
GUARD = ('class_{0}_constructor', 'class_{0}_destructor', 'class_{0}_lock_ptr')
COND = tuple(t.replace('{0}', '{0}{1}') for t in GUARD)
OPEN = ('{0}_open',)
EVENT = ('trace_event_raw_event_{0}', 'do_trace_event_raw_event_{0}',
         'perf_trace_{0}', 'trace_raw_output_{0}', '__bpf_trace_{0}')
TRACEPOINT = ('trace_{0}', '__traceiter_{0}', '__probestub_{0}')
GENERATED = {
    'DEFINE_CLASS': GUARD[:2], 'EXTEND_CLASS': COND[:2],
    'DEFINE_GUARD': GUARD, 'DEFINE_LOCK_GUARD_0': GUARD,
    'DEFINE_LOCK_GUARD_1': GUARD,
    'DEFINE_GUARD_COND': COND, 'DEFINE_LOCK_GUARD_1_COND': COND,
    'DEFINE_FREE': ('__free_{0}',),
    'DEFINE_SHOW_ATTRIBUTE': OPEN, 'DEFINE_SHOW_STORE_ATTRIBUTE': OPEN,
    'DEFINE_SEQ_ATTRIBUTE': OPEN, 'DEFINE_SIMPLE_ATTRIBUTE': OPEN,
    'DEFINE_SIMPLE_ATTRIBUTE_SIGNED': OPEN, 'DEFINE_DEBUGFS_ATTRIBUTE': OPEN,
    'DEFINE_DEBUGFS_ATTRIBUTE_SIGNED': OPEN,
    'KUNIT_ARRAY_PARAM': ('{0}_gen_params',),
    'KUNIT_ARRAY_PARAM_DESC': ('{0}_gen_params',),
    'TRACE_EVENT': TRACEPOINT + EVENT, 'DECLARE_EVENT_CLASS': EVENT,
    'DEFINE_EVENT': tuple(t.replace('{0}', '{1}') for t in TRACEPOINT),
}
INVOCATION = re.compile(r'\b(%s)\(\s*(\w+)(?:\s*,\s*(\w+))?'
                        % '|'.join(GENERATED))
OBJ_RULE = re.compile(r'^obj-\S+\s*[:+]?=\s*(.*)$', re.M)


def base(name):
    """A symbol without GCC's clone suffix (.constprop.0, .isra.0, .cold)."""
    return name.split('.')[0]


def source_functions():
    """Functions the project's .c and .h files define, macros included."""
    names = set()
    for path in PROJECT.glob('**/*.[ch]'):
        if '.git' in path.parts:
            continue
        text = path.read_text(errors='replace')
        names.update(DEFINITION.findall(text))
        for m in INVOCATION.finditer(text):
            names.update(t.format(m.group(2), m.group(3) or '')
                         for t in GENERATED[m.group(1)])
    # The pattern also catches EXPORT_SYMBOL(, MODULE_LICENSE( ...
    return {n for n in names if not n.isupper()}


def text_symbols(nm_output):
    """How often each function name (nm types t, T, W) is defined."""
    return collections.Counter(
        base(f[2]) for f in map(str.split, nm_output.splitlines())
        if len(f) == 3 and f[1] in 'tTW')


def object_functions(objdir):
    """Functions the project's objects define, and where they came from."""
    objs = sorted(pathlib.Path(objdir).glob('**/*.o'))
    if not objs:
        return None, f'no objects under {objdir}'
    nm = shutil.which('nm')
    if not nm:
        return None, 'no nm'
    run = subprocess.run([nm, '--defined-only', *map(str, objs)],
                         capture_output=True, text=True)
    if run.returncode:
        return None, f'nm failed: {run.stderr.strip()[:200]}'
    counts = text_symbols(run.stdout)
    # The sanitizers' per-object constructors are in every kernel object.
    names = {n for n in counts if not n.startswith(('_sub_I_', '_sub_D_'))}
    if not names:
        return None, f'no text symbols in the objects under {objdir}'
    # Our objects also hold out-of-line copies of kernel-header inlines
    # (jhash ...).  A name the kernel image defines more often than our
    # objects has a kernel copy too: such a frame alone does not say whose
    # it is (our caller's frame does).  Sources still count (see main()).
    smap = pathlib.Path(objdir).parent / 'System.map'
    if smap.is_file():
        kernel = text_symbols(smap.read_text(errors='replace'))
        names = {n for n in names if kernel[n] <= counts[n]}
    return names, f'{len(objs)} objects under {objdir}'


def project_modules():
    """The module names the project's Kbuild files build ("[mdev]" tags)."""
    mods = set()
    for path in PROJECT.glob('**/Kbuild'):
        for rule in OBJ_RULE.findall(path.read_text(errors='replace')):
            mods.update(w[:-2] for w in rule.split() if w.endswith('.o'))
    return mods


OURS, MODULES = set(), set()


def ours(name, module=None):
    return module in MODULES or base(name) in OURS


# --- Reports --------------------------------------------------------------

REPORT = re.compile(
    r'(WARNING:|BUG:|BUG [\w.-]+ \(|cannot create duplicate filename|Oops|Kernel panic|kernel BUG at|'
    r'general protection fault|UBSAN:|ODEBUG:|DEBUG_LOCKS_WARN_ON|'
    r'INFO: task .* blocked for more than|INFO: trying to register non-static key|'
    r'INFO: rcu_\w+ (self-)?detected|possible circular locking|'
    r'inconsistent lock state|possible recursive locking|'
    r'Unable to handle kernel|unreferenced object)')
WARN_AT = re.compile(r'WARNING: CPU: \d+ PID: \d+ at (?:\S+:\d+ )?([\w.]+)\+0x')
LOCKDEP = re.compile(
    r'WARNING: (possible (circular|recursive) locking|\S+-safe -> \S+-unsafe|'
    r'chain_key collision|inconsistent lock state|possible irq lock inversion|'
    r'Nested lock was not taken|bad (unlock balance|contention)|'
    r'held lock freed|\S+ still has locks held|lock held when returning|'
    r'suspicious RCU usage)|INFO: trying to register non-static key')
# Message headers a WARN section may carry besides its WARNING line.
MESSAGE = [('ODEBUG', re.compile(r'ODEBUG: ')),
           ('LOCKDEP', re.compile(r'DEBUG_LOCKS_WARN_ON')),
           ('UBSAN', re.compile(r'UBSAN: ')),
           ('BUG', re.compile(r'kernel BUG at|Oops|general protection fault|'
                              r'BUG: unable to handle|Unable to handle kernel'))]
SANITIZER = re.compile(r'BUG: (KCSAN|KASAN|KFENCE): ')
CUT = '------------[ cut here ]------------'
END_TRACE = '---[ end trace'
RULE = re.compile(r'={20,}\s*$')
# name+off/size, then " [module]" or, with STACKTRACE_BUILD_ID, " [module id]"
FRAME = re.compile(r'([\w.]+)\+0x[0-9a-f]+/0x[0-9a-f]+(?:\s+\[(\w+)[^\]]*\])?')
STACK_MARK = re.compile(r'^\W*</?[A-Z]+>\s*$')        # <TASK>, </IRQ> ...
TRACE_START = re.compile(r'Call Trace:|backtrace \(crc')   # kmemleak's
MARKER = 'mdevccw-expect-report:'


def classify(line):
    """(kind, slot, terminator) of a report header line."""
    if 'WARNING: CPU:' in line:
        return 'WARNING', 'warn', 'trace'
    for kind, rx in MESSAGE:
        if rx.search(line):
            return kind, 'msg', 'trace'
    m = SANITIZER.search(line)
    if m:
        return m.group(1), None, 'rule'
    if LOCKDEP.search(line):
        return 'LOCKDEP', None, 'stack'
    return 'OTHER', None, 'stack'


def new_report(n, line, cut=False):
    r = {'start': n, 'headers': [], 'kind': None, 'slots': set(),
         'lines': [line], 'closed': False, 'in_trace': False,
         'end': 'trace' if cut else None}
    if not cut:
        add_header(r, n, line)
    return r


def add_header(r, n, line):
    kind, slot, end = classify(line)
    r['headers'].append((n, line.strip()))
    r['slots'].add(slot)
    r['end'] = r['end'] or end
    # A message names the section (ODEBUG, UBSAN ...); WARNING alone is a WARN.
    if slot != 'warn' or r['kind'] is None:
        r['kind'] = kind


def member(r, line):
    """May this header line belong to the open report r (a WARN section)?"""
    slot = classify(line)[1]
    return r['end'] == 'trace' and slot is not None and slot not in r['slots']


def parse_reports(lines):
    """Split the log into reports; see the docstring for their bounds."""
    reports, cur = [], None

    def start(n, line, cut=False):
        reports.append(new_report(n, line, cut))
        return reports[-1]

    for n, line in enumerate(lines, 1):
        header = REPORT.search(line) is not None
        marker = MARKER in line
        if cur and cur['end'] == 'rule':
            # Only its own '=' line ends a sanitizer report: what another
            # CPU prints meanwhile stays in it, but a header is a report.
            if header:
                start(n, line)
            elif not marker:
                cur['lines'].append(line)
                if RULE.search(line):
                    cur['closed'], cur = True, None
        elif marker:
            cur = None
        elif CUT in line:
            cur = start(n, line, cut=True)
        elif header and cur and member(cur, line):
            add_header(cur, n, line)
            cur['lines'].append(line)
        elif header and cur and cur['end'] == 'trace':
            start(n, line)          # printed inside a WARN section
        elif header:
            cur = start(n, line)
        elif cur and cur['end'] == 'stack' and cur['in_trace'] and \
                not FRAME.search(line) and not STACK_MARK.search(line):
            cur = None              # its first call trace has ended
        elif cur:
            cur['lines'].append(line)
            cur['in_trace'] |= TRACE_START.search(line) is not None
            if cur['end'] == 'trace' and END_TRACE in line:
                cur['closed'], cur = True, None
    # A cut line whose WARNING line never came is still a report.
    for r in reports:
        if not r['headers']:
            r['headers'], r['kind'] = [(r['start'], CUT)], 'OTHER'
    return reports


# --- KCSAN rules ----------------------------------------------------------

ACCESS = re.compile(r'\b(read|write)\b.* of \d+ bytes by ')
KCSAN_HDR = re.compile(r'BUG: KCSAN: .*? in (.*?)\s*$')
FUNC = re.compile(r'\s*([\w.]+)\S*(?:\s+\[(\w+)[^\]]*\])?')    # name[+off] [module]
ON_CPU = re.compile(r'by (task \d+|interrupt) on cpu (\d+)')
KERNFS_INODE_OPS = ('kernfs_iop_permission', 'kernfs_iop_getattr')
# Where the VFS starts walking a path on a caller's behalf.
PATH_WALK = ('link_path_walk', 'path_lookupat', 'path_openat',
             'filename_lookup', 'vfs_statx')


def header_functions(r):
    """(name, module) of the functions a KCSAN/KASAN header names."""
    m = KCSAN_HDR.search(r['headers'][0][1])
    if not m:
        m = re.search(r'BUG: KASAN: \S+ in (\S+(?: \[\w+\])?)',
                      r['headers'][0][1])
    if not m:
        return []
    return [f.groups() for f in map(FUNC.match, m.group(1).split(' / ')) if f]


def accesses(r):
    """Each access of a KCSAN report: its line and all its frames."""
    acc = []
    for line in r['lines'][1:]:
        if ACCESS.search(line):
            acc.append({'line': line, 'frames': []})
        elif acc:
            acc[-1]['frames'] += FRAME.findall(line)
    return acc


def irq_on_own_cpu(funcs, acc):
    """A kernel interrupt touching what the task it interrupted was touching."""
    if len(acc) != 2:
        return False
    ctx = [ON_CPU.search(a['line']) for a in acc]
    return (all(ctx) and ctx[0].group(2) == ctx[1].group(2) and
            sorted(c.group(1) == 'interrupt' for c in ctx) == [False, True])


def names(a):
    return [base(f) for f, _ in a['frames']]


def running(frames):
    """The frames of a stack that were running: a task inside the
    scheduler (its frames below __schedule()) is asleep, and the race, if
    there is one, is the scheduler's own."""
    for i, (f, _) in enumerate(frames):
        if base(f) == '__schedule':
            return frames[:i + 1]
    return frames


def above_path_walk(frames):
    """The frames a path walk runs: from the innermost up to the VFS
    function that walks the path.  Whoever asked for the walk (an open of
    a sysfs file, say) runs none of them."""
    for i, (f, _) in enumerate(frames):
        if base(f) in PATH_WALK:
            return frames[:i + 1]
    return frames


# Data races inside the kernel's own code that KCSAN_STRICT reports under
# this project's stress tests and that only a kernel change can fix.  Each
# rule looks at the functions the report's header names and at each access
# (its line and its stack); excused() has already made sure that no
# function of ours is among them.
KERNEL_RACES = [
    # kernel/locking/osq_lock.c: osq_wait_next() tests node->next with a
    # plain load while the next waiter sets it with WRITE_ONCE(); the load
    # only decides whether to xchg() it (seen under kernfs rwsem contention).
    ('osq_lock.c', lambda funcs, acc:
        all(f in ('osq_lock', 'osq_unlock', 'osq_wait_next') for f in funcs)),
    # fs/kernfs/inode.c: kernfs_iop_permission() and kernfs_iop_getattr()
    # refresh the VFS inode from the kernfs node (kernfs_refresh_inode():
    # mode, owner, times, link count) holding kernfs_iattr_rwsem only for
    # reading, so path walks through one sysfs node race on those fields
    # (seen: set_nlink / set_nlink, generic_permission /
    # kernfs_refresh_inode).  Both accesses must be inside those inode
    # operations, which call no driver code, and one must be the refresh.
    ('kernfs inode refresh', lambda funcs, acc:
        len(acc) == 2 and
        all(any(op in names(a) for op in KERNFS_INODE_OPS) for a in acc) and
        any('kernfs_refresh_inode' in names(a) for a in acc)),
    # kernel/exit.c and kernel/kthread.c: exit_signals() sets PF_EXITING in
    # an exiting kthread's flags with a plain store while the scheduler's
    # load balancer, on another CPU, reads those flags in
    # kthread_is_per_cpu() (seen when a test's helper thread exits while
    # the test sleeps waiting for it: only the scheduler's frames ran).
    ('task flags: exit vs load balancing', lambda funcs, acc:
        sorted(funcs) == ['exit_signals', 'kthread_is_per_cpu']),
    # A kernel interrupt on the CPU of the task KCSAN stalled at a
    # watchpoint (seen: device_del's memalloc_noio_save() writing
    # current->flags while rcu_core() reads them for is_idle_task()).
    # Only when no frame of ours is on either stack, the interrupted
    # task's below the interrupt entry included: our code must not race
    # with an interrupt either.
    ('kernel interrupt on its own cpu', irq_on_own_cpu),
    # kernel/workqueue.c: process_one_work() samples the worker's
    # se.sum_exec_runtime (for CPU-intensive work detection) with a plain
    # load; the scheduler tick on the same CPU advances it, which KCSAN
    # cannot watch, hence "race at unknown origin".  Only the workqueue's
    # own frames may be on the stack (not the work function's).
    ('workqueue runtime sample vs the tick', lambda funcs, acc:
        funcs == ['process_one_work'] and len(acc) == 1 and
        'unknown origin' in acc[0]['line'] and
        names(acc[0])[:1] == ['process_one_work']),
]


def excused(r):
    """The rule excusing a KCSAN report, or None."""
    if r['kind'] != 'KCSAN' or not r['closed'] or not OURS:
        return None
    funcs = header_functions(r)
    acc = accesses(r)
    if not funcs or len(acc) < len(funcs):
        return None
    # A path walk through kernfs runs only the VFS and kernfs: who asked
    # for it (our test opening a sysfs file) is below, not in the race.
    trim = running
    if all(any(op in names(a) for op in KERNFS_INODE_OPS) for a in acc):
        def trim(frames):
            return above_path_walk(running(frames))
    if any(ours(*f) for f in funcs) or \
            any(ours(*f) for a in acc for f in trim(a['frames'])):
        return None
    funcs = [base(f) for f, _ in funcs]
    for name, rule in KERNEL_RACES:
        if rule(funcs, acc):
            return name
    return None


# --- Brackets -------------------------------------------------------------

BEGIN = re.compile(r'mdevccw-expect-report: begin\b\s*(.*?)\s*$')
END = re.compile(r'mdevccw-expect-report: end')
KINDS = ('WARNING', 'ODEBUG', 'LOCKDEP', 'KCSAN', 'KASAN')


def subjects(r):
    """What a bracket's FUNC is matched against, per kind (see docstring)."""
    text = [h for _, h in r['headers']]
    if r['kind'] == 'WARNING':
        return {base(m.group(1)) for h in text for m in [WARN_AT.search(h)] if m}
    if r['kind'] == 'ODEBUG':
        return {m.group(1) for h in text
                for m in [re.search(r'object type: (\S+)', h)] if m}
    if r['kind'] in ('KCSAN', 'KASAN'):
        return {base(f) for f, _ in header_functions(r)}
    if r['kind'] == 'LOCKDEP':
        return {base(f) for line in r['lines'] for f, _ in FRAME.findall(line)}
    return set()


def brackets(lines):
    """The expect-report brackets of the log, and broken-marker messages."""
    out, broken = [], []
    for n, line in enumerate(lines, 1):
        m = BEGIN.search(line)
        if m:
            if out and out[-1]['end'] is None:
                broken.append(f'line {n}: expect-report bracket inside another')
                out[-1]['end'] = n
            words = m.group(1).split()
            ok = len(words) == 2 and words[0] in KINDS
            if not ok:
                broken.append(f'line {n}: bad marker "{m.group(1)}": want '
                              f'"begin <{"|".join(KINDS)}> <function>"')
            out.append({'begin': n, 'end': None, 'what': m.group(1),
                        'kind': words[0] if ok else None,
                        'funcs': set(words[1].split('|')) if ok else set(),
                        'found': 0})
        elif END.search(line) and out and out[-1]['end'] is None:
            out[-1]['end'] = n
    return out, broken


def scan_log(lines):
    """Return (unexpected report messages, broken expectation messages)."""
    bad, (spans, broken) = [], brackets(lines)
    for r in parse_reports(lines):
        n, head = r['headers'][0]
        why = excused(r)
        if why:
            print(f'excused known kernel race ({why}), line {n}: {head}')
            continue
        span = next((s for s in spans if s['begin'] < r['start'] and
                     (s['end'] is None or r['start'] < s['end'])), None)
        if span and span['kind'] == r['kind'] and subjects(r) & span['funcs']:
            span['found'] += 1
            continue
        msg = ' | '.join(h for _, h in r['headers'])
        if span:
            msg += (f' (not the "{span["what"]}" report the bracket of line '
                    f'{span["begin"]} expects)')
        bad.append(f'line {n}: {msg}')
    for s in spans:
        if s['end'] is None:
            broken.append(f'log ends inside the expect-report bracket of '
                          f'line {s["begin"]} ("{s["what"]}")')
        elif s['kind'] and not s['found']:
            broken.append(f'line {s["end"]}: no "{s["what"]}" report in the '
                          f'bracket of line {s["begin"]}')
    return bad, broken


# --- Verdict --------------------------------------------------------------

def count(group, acc):
    for case in group.get('test_cases', []):
        st = case.get('status', 'ERROR')
        key = {'PASS': 0, 'SKIP': 2}.get(st, 1)
        acc[key] += 1
    for sub in group.get('sub_groups', []):
        count(sub, acc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('name')
    ap.add_argument('log')
    ap.add_argument('results')
    ap.add_argument('rc', type=int)
    ap.add_argument('--objs', help="the project's build directory")
    args = ap.parse_args()
    name = args.name

    MODULES.update(project_modules())
    OURS.update(source_functions())
    if args.objs:
        syms, why = object_functions(args.objs)
        if syms is None:
            print(f'{name}: no object symbols ({why}): '
                  'project functions from the sources only')
        else:
            OURS.update(syms)
    if not OURS:
        # Never read "nothing is ours" as "every race is the kernel's".
        print(f'{name}: no project function found: no KCSAN report is excused')

    acc = [0, 0, 0]
    try:
        with open(args.results) as f:
            count(json.load(f), acc)
    except (OSError, ValueError) as e:
        print(f'{name}: no usable results ({e})')
    try:
        with open(args.log, errors='replace') as f:
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
    if args.rc != 0 and acc[1] == 0:
        print(f'{name}: kunit.py exited {args.rc} (crash, timeout or missing tests)')
        acc[1] += 1
    if sum(acc) == 0:
        print(f'{name}: no test ran')
        acc[1] += 1
    print(f'{name}: {acc[0]} passed, {acc[1]} failed, {acc[2]} skipped')
    return 1 if acc[1] else 0


if __name__ == '__main__':
    sys.exit(main())
