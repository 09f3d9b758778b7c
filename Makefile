# SPDX-License-Identifier: GPL-2.0
#
# User entry points.  Kbuild never reads this file: inside the kernel tree
# the project is built through ./Kbuild.
#
#   make demo            the main job: this project's vfio-ccw doing real
#                        channel I/O in an s390x guest (qemu-system-s390x)
#   make demo-compare    the same consumer against Linux's own vfio_ccw:
#                        steps side by side, start-to-eventfd latency
#   make                 build the project's modules for x86_64
#   make check           every test (KUnit on UML and x86_64 -smp 4,
#                        log checks, checkpatch, sparse)
#   make check-detector  show that `make check` fails on lockdep and KCSAN
#   make bench           benchmark figures (non-debug x86_64 kernel)
#   make docs            HTML documentation from docs/ and the kernel-doc

.PHONY: all modules check check-detector bench docs prepare demo demo-compare

all: modules

prepare:
	scripts/prepare.sh

modules:
	scripts/modules.sh

check:
	scripts/check.sh

check-detector:
	scripts/check-detector.sh

bench:
	scripts/bench.sh

docs:
	scripts/docs.sh

demo:
	scripts/demo.sh

demo-compare:
	scripts/demo-compare.sh
