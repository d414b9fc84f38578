#!/usr/bin/env python3
"""qari's performance report: one table, each row measured side by side with
its peer in the same run (runs alternate between the two), medians.

Run through scripts/bench.sh, which builds the release binary and generates
the inputs. Whole-command figures come from wait4(2) — the same rusage
/usr/bin/time -v prints: wall time, CPU time (user + system, children
included) and peak resident memory. Interactive figures drive the program in
a pseudo-terminal at 80×24 (TERM=xterm-256color): every byte the program
writes is read from the pty master, CPU time is read from /proc/PID (all
threads, nanoseconds from schedstat) before and after a fixed key sequence.

  perf_report.py QARI DATA_DIR RUNS
"""

import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time

QARI, DATA, RUNS = sys.argv[1], sys.argv[2], int(sys.argv[3])
ENV = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
           LESSHISTFILE="-", LESS="", COLORTERM="")
for k in ("NO_COLOR", "QARI_LIBRARY"):
    ENV.pop(k, None)
ROWS = []  # (measure, qari, peer, note)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# --- whole commands ---------------------------------------------------------

MAXRSS = os.path.join(DATA, "maxrss.txt")


def run(argv, env=ENV, stdout=subprocess.DEVNULL):
    """Wall seconds, CPU seconds (user+sys, with children), peak RSS in KiB.

    The peak comes from /usr/bin/time: the rusage of a child forked from
    Python would count Python's own pages (Linux keeps maxrss across exec).
    CPU time comes from wait4 (µs resolution; /usr/bin/time's own share is
    negligible)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", MAXRSS] + argv,
                         stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("perf_report: %s exited with %d" % (" ".join(argv), p.returncode))
    with open(MAXRSS) as f:
        maxrss = int(f.read().split()[-1])
    return wall, ru.ru_utime + ru.ru_stime, maxrss


def alternate(cases, runs=RUNS):
    """cases: name → (argv, before-each-run callable or None, env). Runs them
    in turn, `runs` rounds (one warm-up round first), medians per case."""
    out = {name: ([], [], []) for name in cases}
    for r in range(runs + 1):
        for name, (argv, before, env) in cases.items():
            if before:
                before()
            w, c, m = run(argv, env=env)
            if r > 0:
                for lst, v in zip(out[name], (w, c, m)):
                    lst.append(v)
    return {name: tuple(median(v) for v in vals) for name, vals in out.items()}


def fmt_s(s):
    return "%.0f ms" % (s * 1e3) if s < 10 else "%.1f s" % s


def fmt_mib(kib):
    return "%.1f MiB" % (kib / 1024)


# --- programs in a pseudo-terminal ------------------------------------------

# qari's start-up questions (OSC 11 when the theme is "auto", DECRQM 69
# unless scroll_margins = "off") end with DA1, which every terminal answers,
# so a terminal that knows neither question is not waited for. What the
# pseudo-terminal answers: "da1" (the default: a terminal that knows
# neither, as tmux 3.3a does for DECRQM), "xterm" (a dark background,
# left/right margin mode known and reset, a VT420's attributes) or "none"
# (never answers: the 100 ms time-out).
DA1_QUERY = b"\x1b[c"
OSC11_QUERY = b"\x1b]11;?"
LRMM_QUERY = b"\x1b[?69$p"
OSC11_ANSWER = b"\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\"
LRMM_ANSWER = b"\x1b[?69;2$y"
DA1_ANSWER = b"\x1b[?64;1;2;6;22c"


class Pty:
    """A program in a pseudo-terminal that answers qari's start-up
    questions as `answer` says (see above); less asks none."""

    def __init__(self, argv, env=ENV, cols=80, rows=24, answer="da1"):
        self.t0 = time.perf_counter()
        self.answer = answer
        self.argv = argv
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            try:
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.buf = bytearray()
        self.last = time.perf_counter()
        self.lock = threading.Lock()
        self.done = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                r, _, _ = select.select([self.fd], [], [], 0.5)
                if not r:
                    if self.done:
                        return
                    continue
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.buf += chunk
                self.last = time.perf_counter()
                asked = self.answer != "none" and DA1_QUERY in self.buf
                reply = b""
                if asked:
                    if self.answer == "xterm" and OSC11_QUERY in self.buf:
                        reply += OSC11_ANSWER
                    if self.answer == "xterm" and LRMM_QUERY in self.buf:
                        reply += LRMM_ANSWER
                    reply += DA1_ANSWER
            if asked:
                self.answer = "none"
                os.write(self.fd, reply)

    def nbytes(self):
        with self.lock:
            return len(self.buf)

    def wait_for(self, needle, timeout=60):
        """Seconds from spawn until `needle` (bytes) is in the output."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self.lock:
                if needle in self.buf:
                    return self.last - self.t0
            time.sleep(0.002)
        with self.lock:
            tail = bytes(self.buf[-300:])
        print("perf_report: %r never appeared in %s; output ends %r"
              % (needle.decode(errors="replace"), self.argv, tail), file=sys.stderr)
        return None

    def quiet(self, ms=150, timeout=30):
        """Wait until nothing has been written for `ms`."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self.lock:
                idle = time.perf_counter() - self.last
            if idle * 1e3 >= ms:
                return
            time.sleep(0.005)

    def cpu_ns(self, main_only=False):
        """CPU time of all the process's threads (or of its main thread, the
        one that draws), nanoseconds."""
        total = 0
        tids = [str(self.pid)] if main_only else os.listdir("/proc/%d/task" % self.pid)
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/schedstat" % (self.pid, tid)) as f:
                    total += int(f.read().split()[0])
            except OSError:
                pass
        return total

    def peak_kib(self):
        with open("/proc/%d/status" % self.pid) as f:
            m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
        return int(m.group(1)) if m else 0

    def keys(self, seq, settle_ms=40):
        """Send keys one by one; after each, wait for the output to settle
        (so every key is handled on its own, as when a person types)."""
        for k in seq:
            before = self.nbytes()
            os.write(self.fd, k)
            end = time.perf_counter() + 2
            while self.nbytes() == before and time.perf_counter() < end:
                time.sleep(0.001)
            self.quiet(settle_ms)

    def close(self, quit_keys=b"q"):
        try:
            os.write(self.fd, quit_keys)
        except OSError:
            pass
        for _ in range(200):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.01)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self.done = True
        try:
            os.close(self.fd)
        except OSError:
            pass


def shaped(word):
    """The word as a terminal must show it (GNU FriBidi's shaping), bytes."""
    out = subprocess.run(["fribidi", "--nopad", "--nobreak"], input=word.encode(),
                         capture_output=True, check=True).stdout
    return out.replace("\ufeff".encode(), b"").strip()


def keypress_cost(argv, ready, key, n, quit_keys):
    """Median over RUNS sessions of CPU µs and bytes per key for n keys."""
    cpu, nb = [], []
    for _ in range(RUNS):
        s = Pty(argv())
        if s.wait_for(ready) is None:  # reported; this sample is left out
            s.close(quit_keys)
            continue
        s.quiet(300)
        c0, b0 = s.cpu_ns(), s.nbytes()
        s.keys([key] * n)
        c1, b1 = s.cpu_ns(), s.nbytes()
        s.close(quit_keys)
        cpu.append((c1 - c0) / n / 1e3)
        nb.append((b1 - b0) / n)
    return median(cpu), median(nb)


def first_frame(argv, ready, quit_keys, cols=80, rows=24, ui=None, answer="da1"):
    """Median seconds to `ready` on screen, CPU seconds spent by then (all
    threads), and peak RSS once settled. With a list `ui`, the main (UI)
    thread's CPU seconds by then are appended to it. `answer`: what the
    terminal answers to the start-up questions (see Pty)."""
    ts, cpu, mem, ui_cpu = [], [], [], []
    for _ in range(RUNS):
        s = Pty(argv(), cols=cols, rows=rows, answer=answer)
        t = s.wait_for(ready, timeout=120)
        if t is None:  # reported; this sample is left out
            s.close(quit_keys)
            continue
        ts.append(t)
        cpu.append(s.cpu_ns() / 1e9)
        ui_cpu.append(s.cpu_ns(main_only=True) / 1e9)
        s.quiet(500)
        mem.append(s.peak_kib())
        s.close(quit_keys)
    if ui is not None:
        ui.append(median(ui_cpu))
    return median(ts), median(cpu), median(mem)


# --- the rows ----------------------------------------------------------------

# BENCH_ONLY=frame,entities runs only those groups of rows (render, list,
# keys, frame, entities); unset runs them all.
ONLY = {w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()}


def want(group):
    return not ONLY or group in ONLY


def main():
    state = os.path.join(DATA, "xdg")
    xdg = dict(ENV, XDG_STATE_HOME=state + "/state", XDG_CONFIG_HOME=state + "/config",
               XDG_CACHE_HOME=state + "/cache")
    ENV.update(xdg)

    # A fresh state dir per session so every run starts at the top.
    # `--theme dark` unless told: with `auto` (the default) qari first asks
    # the terminal for its background, and the frame rows time that query
    # on rows of their own.
    def qari_argv(article, theme="dark"):
        return lambda: ["env", "XDG_STATE_HOME=" + os.path.join(DATA, "pty-state-%d" % time.monotonic_ns()),
                        QARI, "--theme", theme, article]
    less_argv = lambda path: lambda: ["less", "-R", path]

    # 1. Render throughput.
    if want("render"):
        text = os.path.join(DATA, "render.txt")
        size = os.path.getsize(text)
        r = alternate({
            "qari": ([QARI, "render", "--raw", "--width", "80", text], None, ENV),
            "fribidi": (["fribidi", "--width", "80", text], None, ENV),
        })
        mbs = lambda t: "%.1f MB/s" % (size / 1e6 / t)
        for name in r:
            print("render %-8s wall %s  cpu %s  rss %s" % (name, fmt_s(r[name][0]), fmt_s(r[name][1]), fmt_mib(r[name][2])), file=sys.stderr)
        ROWS.append(("render %.1f MB, width 80 (CPU time)" % (size / 1e6),
                     "%s (%s)" % (mbs(r["qari"][1]), fmt_s(r["qari"][1])),
                     "%s (%s)" % (mbs(r["fribidi"][1]), fmt_s(r["fribidi"][1])), "fribidi --width 80"))
        ROWS.append(("render: wall time / peak memory",
                     "%s / %s" % (fmt_s(r["qari"][0]), fmt_mib(r["qari"][2])),
                     "%s / %s" % (fmt_s(r["fribidi"][0]), fmt_mib(r["fribidi"][2])), ""))
    # 2. Listing 10,000 articles.
    if want("list"):
        lib = os.path.join(DATA, "lib")
        nfiles = sum(len(f) for _, _, f in os.walk(lib))
        cache = os.path.join(DATA, "list-cache")
        list_env = dict(ENV, XDG_CACHE_HOME=cache)
        drop = lambda: shutil.rmtree(cache, ignore_errors=True)
        heads = ["sh", "-c", 'find "$0" -type f -print0 | xargs -0 head -q -c 4096 >/dev/null', lib]
        r = alternate({
            "cold": ([QARI, "list", lib], drop, list_env),
            "heads": (heads, None, ENV),
            "warm": ([QARI, "list", lib], None, list_env),
        })
        peer = "%s wall, %s CPU" % (fmt_s(r["heads"][0]), fmt_s(r["heads"][1]))
        ROWS.append(("qari list, %d articles, cold (no index)" % nfiles,
                     "%s wall, %s CPU, %s" % (fmt_s(r["cold"][0]), fmt_s(r["cold"][1]), fmt_mib(r["cold"][2])),
                     peer, "head -c 4096 of every file"))
        ROWS.append(("qari list, %d articles, warm (index)" % nfiles,
                     "%s wall, %s CPU, %s" % (fmt_s(r["warm"][0]), fmt_s(r["warm"][1]), fmt_mib(r["warm"][2])),
                     peer, "same"))
    # 3. Keypresses on a long article.
    if want("keys"):
        long_md = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                               "articles", "nile-long-read.md")
        rendered = os.path.join(DATA, "long.rendered.txt")
        with open(rendered, "wb") as f:
            subprocess.run([QARI, "render", "--width", "80", long_md], stdout=f, check=True, env=ENV)
        words = len(open(long_md, encoding="utf-8").read().split())
        title_word = shaped("النيل")
        first_line = open(rendered, encoding="utf-8").readline().split()
        less_ready = max(first_line, key=len).encode()
        for label, qkey, lkey, n, what in (("paragraph move", b"j", b"j", 40, "j (next paragraph; less: next line)"),
                                           ("page move", b" ", b" ", 10, "Space (next page)")):
            qc, qb = keypress_cost(qari_argv(long_md), title_word, qkey, n, b"Q")
            lc, lb = keypress_cost(less_argv(rendered), less_ready, lkey, n, b"q")
            ROWS.append(("key %s, %d-word article, %d keys" % (label, words, n),
                         "%.0f µs CPU, %.0f bytes" % (qc, qb), "%.0f µs CPU, %.0f bytes" % (lc, lb),
                         "less on `qari render` output; " + what))
    # 4. First frame of a 5 MB article.
    if want("frame"):
        big = os.path.join(DATA, "big.txt")
        big_rendered = os.path.join(DATA, "big.rendered.txt")
        with open(big_rendered, "wb") as f:
            subprocess.run([QARI, "render", "--width", "80", big], stdout=f, check=True, env=ENV)
        big_ready = shaped("مطول")
        ui = []
        qt, qc, qm = first_frame(qari_argv(big), big_ready, b"Q", ui=ui)
        lt, lc, lm = first_frame(less_argv(big_rendered), big_ready, b"q")
        ROWS.append(("first frame, %.1f MB article: wall, CPU (UI thread), peak RSS" % (os.path.getsize(big) / 1e6),
                     "%s, %s CPU (%s), %s" % (fmt_s(qt), fmt_s(qc), fmt_s(ui[0]), fmt_mib(qm)),
                     "%s, %s CPU, %s" % (fmt_s(lt), fmt_s(lc), fmt_mib(lm)),
                     "less on its `qari render` output; qari --theme dark (no background query; the margins question answered by DA1 alone)"))
        # The start-up questions, on the same small article so the import
        # does not drown them: `--theme auto` (the default) asks OSC 11 and
        # DECRQM in one round trip, `--theme dark` DECRQM alone; a terminal
        # that answers (as xterm), one that knows neither question (DA1
        # only) and one that never answers (the 100 ms time-out).
        small = os.path.join(DATA, "w5000.txt")
        small_ready = shaped("النيل")
        nt, _, _ = first_frame(qari_argv(small), small_ready, b"Q")
        at, _, _ = first_frame(qari_argv(small, "auto"), small_ready, b"Q", answer="xterm")
        st, _, _ = first_frame(qari_argv(small, "auto"), small_ready, b"Q", answer="none")
        dt, _, _ = first_frame(qari_argv(small), small_ready, b"Q", answer="none")
        ROWS.append(("first frame, 5,000 words, --theme auto: terminal answers / never answers",
                     "%s / %s (+%s / +%s); --theme dark never answered: %s" % (
                         fmt_s(at), fmt_s(st), fmt_s(at - nt), fmt_s(st - nt), fmt_s(dt)),
                     "%s" % fmt_s(nt),
                     "qari --theme dark, DA1 answered; the difference is the OSC 11 question"))
        # Entities are found off the UI thread: the first frame shows the
        # text, the sidebar fills in later. At 120×36 the sidebar is shown;
        # the row is the time until its first group heading is on screen.
        sidebar_ready = shaped("أشخاص")
        et, ec, _ = first_frame(qari_argv(big), sidebar_ready, b"Q", cols=120, rows=36)
        ft, fc, _ = first_frame(qari_argv(big), big_ready, b"Q", cols=120, rows=36)
        ROWS.append(("same at 120×36: first frame / entities in the sidebar",
                     "%s (%s CPU) / %s (%s CPU)" % (fmt_s(ft), fmt_s(fc), fmt_s(et), fmt_s(ec)), "",
                     "wall from start; CPU of all threads by then"))
        qc, qb = keypress_cost(qari_argv(big), big_ready, b"j", 40, b"Q")
        ROWS.append(("key paragraph move, 5 MB article, 40 keys",
                     "%.0f µs CPU, %.0f bytes" % (qc, qb), "", "cost must not grow with length"))
    # 5. Entity recognition, whole command (import + model load + recognition).
    if want("entities"):
        w5000 = os.path.join(DATA, "w5000.txt")
        r = alternate({"qari": ([QARI, "entities", w5000], None, ENV),
                       "show": ([QARI, "show", w5000], None, ENV)})
        ROWS.append(("qari entities, 5,000-word article",
                     "%s wall, %s CPU" % (fmt_s(r["qari"][0]), fmt_s(r["qari"][1])),
                     "%s wall, %s CPU" % (fmt_s(r["show"][0]), fmt_s(r["show"][1])),
                     "qari show (import only): the difference is load + recognition"))

    w = [max(len(r[i]) for r in ROWS + [("measure", "qari", "peer", "")]) for i in range(3)]
    line = "| %s | %s | %s | %s |"
    print(line % ("measure".ljust(w[0]), "qari".ljust(w[1]), "peer".ljust(w[2]), "peer / note"))
    print("|%s|%s|%s|%s|" % ("-" * (w[0] + 2), "-" * (w[1] + 2), "-" * (w[2] + 2), "---"))
    for m, q, p, n in ROWS:
        print(line % (m.ljust(w[0]), q.ljust(w[1]), p.ljust(w[2]), n))


if __name__ == "__main__":
    main()
