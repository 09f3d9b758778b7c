# SPDX-License-Identifier: GPL-2.0
# Shared settings for the build and test scripts; sourced, not run.
#
# The kernel tree and every build directory live in a cache outside git
# (MDEVCCW_CACHE, default ~/.cache/mdevccw) so a clean clone stays small and
# repeated runs are incremental.

PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${MDEVCCW_CACHE:-$HOME/.cache/mdevccw}
KVER=6.12
KSRC=$CACHE/linux-source-$KVER
BUILD=$CACHE/build
# Name of the project directory inside the kernel tree.
GRAFT=mdevccw
JOBS=${JOBS:-$(nproc)}

die() { echo "error: $*" >&2; exit 1; }
