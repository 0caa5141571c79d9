"""Starts a command that dies with the process that started it (Linux).

Usage: python die-with-parent.py <parent-pid> <command> [args...]

dbt runs for minutes as a child of the pipeline's node process. If that process is killed (kill -9,
OOM killer), an orphaned dbt would go on building models beside the step that DBOS recovery runs
again. PR_SET_PDEATHSIG asks the kernel to SIGKILL this process when its parent dies; the setting
survives exec, so the command itself inherits it. The parent may already have died before the
setting took effect: then the parent pid no longer matches and the command is not started.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1

parent = int(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
    sys.exit(f"die-with-parent: prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}")
if os.getppid() != parent:
    sys.exit(f"die-with-parent: process {parent} ended before {sys.argv[2]} started")
os.execv(sys.argv[2], sys.argv[2:])
