#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo-compare: the demo's consumer against this project's vfio-ccw
# and against Linux's own (Debian's 6.12, with upstream's 2026 fixes), in
# one run, on two guests that differ only in that (scripts/demo/ours.config
# and upstream.config; no lockdep in either).  Prints every step side by
# side, marking where the drivers behave differently, then the latency
# from a start's write to its IO eventfd over N SENSE IDs (default 2000),
# median and 99th percentile, and the ratio ours/upstream.
#   demo-compare.sh [N]
set -uo pipefail
. "$(dirname "$0")/common.sh"

n=${1:-2000}
for v in ours upstream; do
	"$PROJECT/scripts/demo.sh" "$v" bench "$n" > "$BUILD/demo-$v-bench.out" 2>&1
	echo "demo-compare: $v: $(tail -n 1 "$BUILD/demo-$v-bench.out")"
done
python3 - "$BUILD/demo-ours-bench.out" "$BUILD/demo-upstream-bench.out" <<'PY'
import re, sys

def parse(path):
    steps, bench = [], {}
    for line in open(path):
        m = re.match(r'(ok|FAIL)\s+([\d.]+) ms  (.*)$', line.rstrip('\n'))
        if m:
            name, _, why = m.group(3).partition(': ')
            steps.append((name, m.group(1), why))
        m = re.match(r'bench: sense_id n=(\d+) median_ns=(\d+) p99_ns=(\d+)', line)
        if m:
            bench = dict(n=int(m.group(1)), med=int(m.group(2)),
                         p99=int(m.group(3)))
    return steps, bench

ours, ob = parse(sys.argv[1])
up, ub = parse(sys.argv[2])
upd = {name: (res, why) for name, res, why in up}
diff = 0
print("step                                                    ours  upstream")
for name, res, why in ours:
    ures, uwhy = upd.get(name, ('-', 'not reached'))
    mark = ''
    if ures != res:
        diff += 1
        mark = '  <- differs: ' + (uwhy if ures != 'ok' else why)
    print(f"{name[:55]:55} {res:5} {ures:5}{mark}")
print(f"{diff} steps differ")
if ob and ub:
    print(f"start to eventfd, {ob['n']} SENSE IDs: "
          f"ours median {ob['med']/1000:.1f} us p99 {ob['p99']/1000:.1f} us; "
          f"upstream median {ub['med']/1000:.1f} us p99 {ub['p99']/1000:.1f} us; "
          f"ratio ours/upstream median {ob['med']/ub['med']:.2f} "
          f"p99 {ob['p99']/ub['p99']:.2f}")
else:
    print("bench: missing figures (see the .out files)")
    sys.exit(1)
sys.exit(0 if all(r == 'ok' for _, r, _ in ours) else 1)
PY
