#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo-compare: the demo's consumer against this project's vfio-ccw
# and against Linux's own (Debian's 6.12, with upstream's 2026 fixes), in
# one run, on two guests that differ only in that (scripts/demo/ours.config
# and upstream.config; no lockdep in either).  Prints every step side by
# side, marking where the drivers behave differently, then the latency
# from a start's write to its IO eventfd over N SENSE IDs (default 1000)
# per run, median and 99th percentile, the median of R runs of each
# (default 5, alternating), and the ratio ours/upstream.
#   demo-compare.sh [N [R]]
set -uo pipefail
. "$(dirname "$0")/common.sh"

n=${1:-1000}
rounds=${2:-5}
# Alternate the two guests, several rounds: under TCG one run's median
# moves by 10% from boot to boot, more than the drivers differ.
for r in $(seq 1 "$rounds"); do
	for v in ours upstream; do
		o=$BUILD/demo-$v-bench.$r.out
		"$PROJECT/scripts/demo.sh" "$v" bench "$n" > "$o" 2>&1
		echo "demo-compare: round $r, $v: $(grep -o 'median_ns=[0-9]*' "$o" | head -n 1), $(tail -n 1 "$o")"
	done
done
python3 - "$BUILD" "$rounds" <<'PY'
import re, statistics, sys

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

build, rounds = sys.argv[1], int(sys.argv[2])
runs = {v: [parse(f"{build}/demo-{v}-bench.{r}.out") for r in range(1, rounds + 1)]
        for v in ('ours', 'upstream')}
ours, up = runs['ours'][0][0], runs['upstream'][0][0]
upd = {name: (res, why) for name, res, why in up}
diff = 0
print(f"{'step':60} ours  upstream")
for name, res, why in ours:
    ures, uwhy = upd.get(name, ('-', 'not reached'))
    mark = ''
    if ures != res:
        diff += 1
        mark = '  <- differs: ' + (uwhy if ures != 'ok' else why)
    print(f"{name[:60]:60} {res:5} {ures:5}{mark}")
print(f"{diff} steps differ")
def fig(v, key):
    vals = [b[key] for _, b in runs[v] if b]
    return statistics.median(vals) if len(vals) == rounds else None

om, op, um, up99 = (fig('ours', 'med'), fig('ours', 'p99'),
                    fig('upstream', 'med'), fig('upstream', 'p99'))
if None in (om, op, um, up99):
    print("bench: missing figures (see the .out files)")
    sys.exit(1)
n = runs['ours'][0][1]['n']
print(f"start to eventfd, {n} SENSE IDs per run, median of {rounds} runs each:")
print(f"  ours     median {om/1000:7.1f} us  p99 {op/1000:7.1f} us")
print(f"  upstream median {um/1000:7.1f} us  p99 {up99/1000:7.1f} us")
print(f"  ours/upstream: median {om/um:.2f}, p99 {op/up99:.2f}")
ok = all(r == 'ok' for steps, _ in runs['ours'] for _, r, _ in steps)
sys.exit(0 if ok else 1)
PY
