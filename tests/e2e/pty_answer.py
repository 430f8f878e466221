#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a command on a pseudo-terminal and answers one prompt the way a person types.

    pty_answer.py PROMPT ANSWER TIMEOUT_SECONDS COMMAND [ARG...]

The command gets the terminal as stdin, stdout, stderr and controlling terminal (so it can open /dev/tty).
Once PROMPT has appeared in the terminal's output, ANSWER is typed followed by Enter (a carriage return, as
a keyboard sends it). Everything the terminal showed, echo included, is written to this script's stdout;
the exit code is the command's, 124 when the prompt never came or the command did not end in time.
"""
import os
import pty
import select
import signal
import sys
import time


def main() -> int:
    if len(sys.argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    prompt = os.fsencode(sys.argv[1])
    answer = os.fsencode(sys.argv[2])
    deadline = time.monotonic() + float(sys.argv[3])
    command = sys.argv[4:]

    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)

    shown = bytearray()
    answered = False
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the command closed the terminal's last descriptor
            break
        if not chunk:
            break
        shown += chunk
        if not answered and prompt in shown:
            os.write(master, answer + b"\r")
            answered = True

    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(master)
    sys.stdout.buffer.write(bytes(shown))
    sys.stdout.buffer.flush()
    if timed_out or not answered:
        return 124
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
