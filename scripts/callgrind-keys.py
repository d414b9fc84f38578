#!/usr/bin/env python3
"""Instructions per keypress in the reader, under callgrind.

Runs the release `qari` on an article in a pseudo-terminal twice, pressing a
key N and 2N times (each key on its own, the screen left to settle), and
prints (instructions of the 2N run - those of the N run) / N: start-up and
quitting cancel out. With FUNCS, the same difference for each function's
inclusive count (callgrind_annotate --inclusive=yes).

  scripts/callgrind-keys.py [--key j] [--n 20] [--size 100x30] [--times 1]
      [--before 60] [--qari target/release/qari] [--funcs draw_canvas,Screen::draw] [--keep DIR]

The article is articles/nile-long-read.md repeated --times times, as in
benches/keypress.rs. Needs valgrind.
"""

import argparse
import fcntl
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def long_article(dir_, times):
    """The same article benches/keypress.rs builds."""
    text = open(os.path.join(ROOT, "articles/nile-long-read.md"), encoding="utf-8").read()
    head, body = "", text
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        fm, body = text[4:].split("\n---\n", 1)
        head = f"---\n{fm}\n---\n"
    out = [head]
    for k in range(1, times + 1):
        for line in body.split("\n")[:-1] if body.endswith("\n") else body.split("\n"):
            out.append(line)
            if line.strip() and not line.startswith("#") and times > 1:
                out.append(f" ({k})")
            out.append("\n")
        out.append("\n")
    path = os.path.join(dir_, f"long-{times}x.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))
    return path


def drain(fd, quiet):
    """Read from fd until nothing has come for `quiet` seconds."""
    last = time.monotonic()
    while time.monotonic() - last < quiet:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                if os.read(fd, 65536):
                    last = time.monotonic()
            except OSError:
                return


def cpu_ns(pid):
    total = 0
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
    except OSError:
        pass
    return total


def run(args, n, out_file, home):
    cols, rows = map(int, args.size.split("x"))
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ)
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        XDG_STATE_HOME=os.path.join(home, f"state-{n}"),
        XDG_CACHE_HOME=os.path.join(home, "cache"),
        TERM="xterm-256color",
    )
    p = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", args.qari, args.article],
        stdin=slave,
        stdout=slave,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
        pass_fds=(),
    )
    os.close(slave)
    # The first screen, then whatever start-up work there is (entities).
    drain(master, 3.0)
    while True:
        c0 = cpu_ns(p.pid)
        drain(master, 1.0)
        if cpu_ns(p.pid) - c0 < 5_000_000:
            break
    for _ in range(args.before):
        os.write(master, b"j")
        drain(master, args.settle)
    key = args.key.encode().decode("unicode_escape").encode()
    for _ in range(n):
        os.write(master, key)
        drain(master, args.settle)
    os.write(master, b"Q")
    deadline = time.monotonic() + 120
    while p.poll() is None and time.monotonic() < deadline:
        drain(master, 0.2)
    if p.poll() is None:
        p.kill()
    os.close(master)


def totals(out_file, funcs):
    ann = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", out_file],
        capture_output=True,
        text=True,
    ).stdout
    total = None
    per = {f: 0 for f in funcs}
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = re.match(r"\s*([\d,]+)\s+(?:\(\s*[\d.]+%\)\s+)?(?:\S+:)?(.*)", line)
        if not m:
            continue
        name = m.group(2)
        for f in funcs:
            # The first (largest) match of each name: callgrind lists a
            # function once per object, inclusive of what it calls.
            if f in name and per[f] == 0:
                per[f] = int(m.group(1).replace(",", ""))
    return total, per


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", default="j")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--size", default="100x30")
    ap.add_argument("--times", type=int, default=1)
    ap.add_argument("--settle", type=float, default=0.3)
    ap.add_argument("--before", type=int, default=0, help="j keys first, in both runs (for k)")
    ap.add_argument("--qari", default=os.path.join(ROOT, "target/release/qari"))
    ap.add_argument("--funcs", default="")
    ap.add_argument("--keep", help="a directory to copy the callgrind outputs to")
    args = ap.parse_args()
    funcs = [f for f in args.funcs.split(",") if f]
    with tempfile.TemporaryDirectory() as home:
        args.article = long_article(home, args.times)
        res = []
        for n in (args.n, 2 * args.n):
            out = os.path.join(home, f"cg-{n}.out")
            run(args, n, out, home)
            res.append(totals(out, funcs))
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                shutil.copy(out, args.keep)
        (t1, f1), (t2, f2) = res
        print(f"key {args.key!r} at {args.size}, article x{args.times}: "
              f"{(t2 - t1) / args.n:,.0f} instructions per key "
              f"({args.n} and {2 * args.n} keys: {t1:,} / {t2:,})")
        for f in funcs:
            print(f"  {f:<40} {(f2[f] - f1[f]) / args.n:>12,.0f}")


if __name__ == "__main__":
    sys.exit(main())
