#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build docs/ to HTML with Sphinx, the way the kernel builds its own: the
# kernel's kernel-doc extension pulls the API sections out of the sources
# (through the graft, mdevccw/...), and graphviz draws the lifecycle
# diagrams.  Any Sphinx or kernel-doc warning fails the build.
#   docs.sh        -> $BUILD/docs/html/index.html
set -euo pipefail
. "$(dirname "$0")/common.sh"
"$PROJECT/scripts/prepare.sh" python3-sphinx graphviz

# A source directory of symlinks: docs/ itself stays free of build files.
src=$BUILD/docs/src
rm -rf "$src" "$BUILD/docs/html"
mkdir -p "$src"
ln -s "$PROJECT"/docs/* "$src/"
cat > "$src/conf.py" <<EOF
import sys
sys.path.insert(0, '$KSRC/Documentation/sphinx')
project = 'mdevccw'
extensions = ['kerneldoc', 'sphinx.ext.graphviz']
kerneldoc_bin = '$KSRC/scripts/kernel-doc'
kerneldoc_srctree = '$KSRC'
graphviz_output_format = 'svg'
primary_domain = 'c'
highlight_language = 'none'
# Kernel annotations the C domain must read as attributes, as the kernel's
# own Documentation/conf.py declares them.
c_id_attributes = ['VISIBLE_IF_KUNIT', '__must_check', '__init', '__exit',
                   'noinline', 'notrace', '__always_inline']
c_paren_attributes = ['__printf', '__aligned', '__acquires', '__releases',
                      '__must_hold']
EOF
cat > "$src/index.rst" <<'EOF'
mdevccw
=======

.. toctree::
   :maxdepth: 2

   fsm
   refgroup
   mdev
   vfio-ccw-cp
   vfio-ccw
EOF
# -E: no stale environment; -W: warnings are errors.
sphinx-build -q -E -W --keep-going -b html "$src" "$BUILD/docs/html"
echo "docs: $BUILD/docs/html/index.html"
