#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks on non-debug kernels, printing the figures: UML (native speed
# on the host CPU, one CPU) and x86_64 under qemu TCG (emulated, -smp 4).
set -euo pipefail
. "$(dirname "$0")/common.sh"
"$PROJECT/scripts/prepare.sh"
# Native (UML) figures first: they are the ones to compare with targets.
"$PROJECT/scripts/kunit.sh" bench-uml
"$PROJECT/scripts/kunit.sh" bench
