#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks on a non-debug x86_64 kernel under qemu; prints the figures.
set -euo pipefail
. "$(dirname "$0")/common.sh"
"$PROJECT/scripts/prepare.sh"
"$PROJECT/scripts/kunit.sh" bench
