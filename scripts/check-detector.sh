#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-detector`: prove that `make check`'s judgement goes red on
# kernel reports even when every KUnit case is green.  Builds the test
# kernels with CONFIG_MDEVCCW_DETECTOR_TEST (a lock-order inversion and a
# plain data race) and requires the log checker to fail each run for the
# expected reason: lockdep on UML; lockdep and KCSAN on x86_64.
set -uo pipefail
. "$(dirname "$0")/common.sh"
"$PROJECT/scripts/prepare.sh" || die "could not prepare the kernel tree"

ok=1
judge() {
	local cfg=$1; shift
	local dir=$BUILD/${cfg%-detector} want
	local v=$dir/verdict
	"$PROJECT/scripts/kunit.sh" "$cfg" > /dev/null
	if grep -q "^$cfg: .* 0 failed" "$v"; then
		echo "check-detector: $cfg: the checker stayed green: BAD"
		ok=0
		return
	fi
	if ! grep -q '"mdevccw_detector"' "$dir/results.json" ||
	   grep -Eq '"status": "(FAIL|ERROR)"' "$dir/results.json"; then
		echo "check-detector: $cfg: KUnit cases did not all pass or the detector suite did not run: BAD"
		ok=0
	fi
	for want in "$@"; do
		if grep -q "kernel report: .*$want" "$v"; then
			echo "check-detector: $cfg: red on \"$want\" as it must be"
		else
			echo "check-detector: $cfg: no \"$want\" report was caught: BAD"
			ok=0
		fi
	done
}

judge uml-detector "possible circular locking"
judge x86_64-detector "possible circular locking" "BUG: KCSAN: data-race"
if [ $ok = 1 ]; then
	echo "check-detector: OK: the checker fails runs whose KUnit cases all pass"
	exit 0
fi
exit 1
