//! Cost of a keypress in the reader, against `less` paging the same text.
//!
//! Runs the release `qari` on a long article in a pseudo-terminal (100×30),
//! presses keys one at a time, waits for the screen to settle after each,
//! and reports per keypress: bytes written to the terminal and CPU time
//! (user + system, from /proc/PID/stat). `less` gets the same article as
//! laid out by `qari render` at the reading pane's width.
//!
//! Run: `cargo bench --bench keypress` (Linux; needs `less`);
//! `KEYPRESS_SIZE=80x24` for another terminal size, `KEYPRESS_QARI=path` to
//! measure another build of qari (say, before a change) with the same rows.
//! The article is `articles/nile-long-read.md` repeated 1×, 10× and 50× to
//! show that the cost does not grow with length. "less as far as one qari j"
//! is what less writes per line times the lines qari's reading pane moved per
//! `j` on average (the issue's target: qari's `j` at most twice that). The
//! pseudo-terminal answers no question, so qari scrolls whole rows; the
//! "margins" row has it answer qari's start-up questions as xterm does
//! (left/right margin mode known, DECRQM 69 → 2; DA1), so the reading pane
//! scrolls between margins. Last,
//! the same keys while the
//! library index is built cold for 5,000 articles (a library search asked
//! for just before), UI thread only, against the same keys with nothing
//! else running (`KEYPRESS_ONLY_INDEXING=1` runs only those two rows).

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The terminal's size: `KEYPRESS_SIZE` (`COLSxROWS`), else 100×30.
fn size() -> (u16, u16) {
    std::env::var("KEYPRESS_SIZE")
        .ok()
        .and_then(|v| {
            let (c, r) = v.split_once('x')?;
            Some((c.parse().ok()?, r.parse().ok()?))
        })
        .unwrap_or((100, 30))
}

struct Proc {
    bytes: Arc<AtomicUsize>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

fn ticks_per_sec() -> f64 {
    // sysconf(_SC_CLK_TCK) is 100 on every Linux configuration in use.
    100.0
}

/// CPU of the whole process: its threads' run time from
/// `/proc/PID/task/*/schedstat`, in nanoseconds (`stat` counts 10 ms ticks,
/// too coarse for keys under a millisecond), else `stat`.
fn cpu_secs(pid: u32) -> f64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten();
    let ns: Option<u64> = tasks
        .flatten()
        .map(|t| schedstat_ns(&t.path().join("schedstat")))
        .sum();
    ns.map_or_else(
        || stat_cpu_secs(&format!("/proc/{pid}/stat")),
        |ns| ns as f64 / 1e9,
    )
}

/// CPU of the process's main thread only: the reader's UI thread (its
/// workers have threads of their own).
fn ui_cpu_secs(pid: u32) -> f64 {
    schedstat_ns(Path::new(&format!("/proc/{pid}/task/{pid}/schedstat"))).map_or_else(
        || stat_cpu_secs(&format!("/proc/{pid}/task/{pid}/stat")),
        |ns| ns as f64 / 1e9,
    )
}

/// A thread's time on a CPU, the first field of its `schedstat`.
fn schedstat_ns(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path)
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn stat_cpu_secs(path: &str) -> f64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    let stime: f64 = f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    (utime + stime) / ticks_per_sec()
}

/// What an xterm answers to qari's start-up questions when asked whether it
/// has left/right margins (DECRQM 69: known, reset) and to DA1 after it.
const DECRPM_69_RESET: &[u8] = b"\x1b[?69;2$y";
const DA1_REPLY: &[u8] = b"\x1b[?64;1;2;6;9;15;18;21;22c";

impl Proc {
    fn spawn(program: &str, args: &[&str], home: &Path) -> Proc {
        Proc::spawn_answering(program, args, home, false)
    }

    /// `margins`: the pseudo-terminal answers the DECRQM 69 and DA1
    /// questions as xterm does (else it answers nothing, as before).
    fn spawn_answering(program: &str, args: &[&str], home: &Path, margins: bool) -> Proc {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: size().1,
                cols: size().0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("XDG_CACHE_HOME", home.join("cache"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LESS", "");
        cmd.env("LESSHISTFILE", "-");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = Arc::new(Mutex::new(pty.master.take_writer().expect("writer")));
        let bytes = Arc::new(AtomicUsize::new(0));
        let b = bytes.clone();
        let answer = writer.clone();
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buf = [0u8; 65536];
            // The start of the output, until the questions are answered.
            let mut head = Vec::new();
            let mut waiting = margins;
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                b.fetch_add(n, Ordering::SeqCst);
                if waiting {
                    head.extend_from_slice(&buf[..n]);
                    let has = |q: &[u8]| head.windows(q.len()).any(|w| w == q);
                    if has(b"\x1b[c") {
                        let mut reply = Vec::new();
                        if has(b"\x1b[?69$p") {
                            reply.extend_from_slice(DECRPM_69_RESET);
                        }
                        reply.extend_from_slice(DA1_REPLY);
                        if let Ok(mut w) = answer.lock() {
                            let _ = w.write_all(&reply);
                            let _ = w.flush();
                        }
                        waiting = false;
                    } else if head.len() > 1 << 16 {
                        waiting = false;
                    }
                }
            }
        });
        Proc {
            bytes,
            writer,
            child,
        }
    }

    /// Wait until no output has arrived for `quiet`.
    fn settle(&self, quiet: Duration) {
        let mut last = self.bytes.load(Ordering::SeqCst);
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(2));
            let now = self.bytes.load(Ordering::SeqCst);
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }

    /// Press `key` `n` times; returns (bytes per press, CPU ms per press).
    fn measure(&mut self, key: &str, n: usize) -> (f64, f64) {
        let pid = self.child.process_id().expect("pid");
        // Wait for the first screen and for start-up work (import, entity
        // recognition of a long article) to finish, so it is not counted.
        while self.bytes.load(Ordering::SeqCst) == 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.settle(Duration::from_millis(1500));
        // Work that writes nothing (finding the entities of a long article)
        // must be over too: wait until the process is idle.
        let mut last = cpu_secs(pid);
        loop {
            std::thread::sleep(Duration::from_millis(300));
            let now = cpu_secs(pid);
            if now - last < 0.002 {
                break;
            }
            last = now;
        }
        let b0 = self.bytes.load(Ordering::SeqCst);
        let c0 = cpu_secs(pid);
        for _ in 0..n {
            self.send(key);
            self.settle(Duration::from_millis(15));
        }
        let b1 = self.bytes.load(Ordering::SeqCst);
        let c1 = cpu_secs(pid);
        ((b1 - b0) as f64 / n as f64, (c1 - c0) * 1000.0 / n as f64)
    }

    /// Send `text` without waiting for anything.
    fn send(&mut self, text: &str) {
        let mut w = self.writer.lock().expect("writer");
        w.write_all(text.as_bytes()).expect("write");
        w.flush().expect("flush");
    }

    /// Press `key` `n` times while something else is going on (no wait for
    /// the screen to settle first); returns (bytes per press, UI-thread CPU
    /// ms per press, wall ms per press).
    fn measure_busy(&mut self, key: &str, n: usize) -> (f64, f64, f64) {
        let pid = self.child.process_id().expect("pid");
        let b0 = self.bytes.load(Ordering::SeqCst);
        let c0 = ui_cpu_secs(pid);
        let t0 = Instant::now();
        for _ in 0..n {
            self.send(key);
            self.settle(Duration::from_millis(15));
        }
        let wall = t0.elapsed().as_secs_f64() * 1000.0 / n as f64;
        let b1 = self.bytes.load(Ordering::SeqCst);
        let c1 = ui_cpu_secs(pid);
        (
            (b1 - b0) as f64 / n as f64,
            (c1 - c0) * 1000.0 / n as f64,
            wall,
        )
    }

    fn quit(mut self, keys: &str) {
        if let Ok(mut w) = self.writer.lock() {
            let _ = w.write_all(keys.as_bytes());
            let _ = w.flush();
        }
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
    }
}

fn long_article(dir: &Path, times: usize) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles/nile-long-read.md");
    let text = std::fs::read_to_string(&src).expect("articles/nile-long-read.md");
    // Front matter once, the body `times` times.
    let (head, body) = match text
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
    {
        Some((fm, body)) => (format!("---\n{fm}\n---\n"), body.to_string()),
        None => (String::new(), text.clone()),
    };
    // Each copy's paragraphs are marked with its number: the importer drops
    // repeated paragraphs, and a real long read has none.
    let mut out = head;
    for k in 1..=times {
        for line in body.lines() {
            out.push_str(line);
            if !line.trim().is_empty() && !line.starts_with('#') && times > 1 {
                out.push_str(&format!(" ({k})"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let path = dir.join(format!("long-{times}x.md"));
    std::fs::write(&path, out).expect("write article");
    path
}

/// A library of `n` short articles (copies of the shipped samples, each
/// made distinct) plus the long read dated newest, so it is first in the
/// list.
fn big_library(dir: &Path, n: usize) -> PathBuf {
    let lib = dir.join("library");
    std::fs::create_dir_all(&lib).expect("library dir");
    let long = long_article(dir, 1);
    let text = std::fs::read_to_string(&long).expect("long read");
    let dated = text
        .lines()
        .map(|l| {
            if l.starts_with("date:") {
                "date: 2030-01-01"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(lib.join("00-long.md"), dated).expect("write");
    let samples: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("articles"))
            .expect("articles/")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
    for i in 0..n {
        let body = &samples[i % samples.len()];
        let text = format!("{body}\n\nملحق رقم {i} من الأرشيف.\n");
        std::fs::write(lib.join(format!("gen-{i:05}.txt")), text).expect("write");
    }
    lib
}

/// Keys in the reading pane while the library index is built for the first
/// time (a library search asked for just before): the reader must stay as
/// responsive as when idle.
fn during_cold_index(qari: &str, home: &Path) {
    const ARTICLES: usize = 5000;
    let lib = big_library(home, ARTICLES);
    let run = tempfile::tempdir().expect("tempdir");
    let mut p = Proc::spawn(qari, &[lib.to_str().expect("utf-8 path")], run.path());
    while p.bytes.load(Ordering::SeqCst) == 0 {
        std::thread::sleep(Duration::from_millis(10));
    }
    p.settle(Duration::from_millis(1500));
    // Ask the library (the index starts building), then open the long read
    // (first in the list) while it builds.
    p.send("/النيل\r");
    std::thread::sleep(Duration::from_millis(100));
    p.send("\r");
    std::thread::sleep(Duration::from_millis(300));
    let (b, c, wall) = p.measure_busy("j", 100);
    let cache = run.path().join("cache/qari");
    let built = std::fs::read_dir(&cache)
        .map(|d| {
            d.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("search-"))
        })
        .unwrap_or(false);
    println!(
        "{:<34} {b:>12.0} {c:>12.2}   ({wall:.1} ms wall per key, UI thread only; index {})",
        format!("qari  j while indexing {ARTICLES}"),
        if built {
            "already built: too fast to measure"
        } else {
            "still building at the end"
        }
    );
    p.quit("Q");
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let qari_path = std::env::var("KEYPRESS_QARI");
    let qari = qari_path.as_deref().unwrap_or(env!("CARGO_BIN_EXE_qari"));
    let home = tempfile::tempdir().expect("tempdir");
    let has_less = std::process::Command::new("less")
        .arg("--version")
        .output()
        .is_ok();
    let (cols, rows) = size();
    println!("keypress cost at {cols}x{rows} (bytes written to the terminal and CPU per keypress)");
    println!("{:<34} {:>12} {:>12}", "", "bytes/key", "CPU ms/key");
    println!("(CPU: run time of all the process's threads, from /proc/PID/task/*/schedstat)");
    let ui_only = |label: &str| {
        // The same keys, UI-thread CPU, for comparison with the row below.
        let run = tempfile::tempdir().expect("tempdir");
        let article = long_article(run.path(), 1);
        let mut p = Proc::spawn(qari, &[article.to_str().expect("utf-8 path")], run.path());
        while p.bytes.load(Ordering::SeqCst) == 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
        p.settle(Duration::from_millis(1500));
        let (b, c, wall) = p.measure_busy("j", 100);
        println!("{label:<34} {b:>12.0} {c:>12.2}   ({wall:.1} ms wall per key, UI thread only)");
        p.quit("Q");
    };
    if std::env::var_os("KEYPRESS_ONLY_INDEXING").is_some() {
        ui_only("qari  j, nothing else running");
        during_cold_index(qari, home.path());
        return;
    }
    for times in [1, 10, 50] {
        let article = long_article(home.path(), times);
        let words: usize = std::fs::read_to_string(&article)
            .map(|t| t.split_whitespace().count())
            .unwrap_or(0);
        let paragraphs = std::process::Command::new(qari)
            .args(["show", "--json"])
            .arg(&article)
            .output()
            .ok()
            .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok())
            .and_then(|v| v["paragraphs"].as_array().map(|a| a.len()))
            .unwrap_or(0);
        println!("-- {words} words, {paragraphs} paragraphs");
        let art = article.to_str().expect("utf-8 path");
        for (label, key, n, margins) in [
            ("qari  j (next paragraph)", "j", 100, false),
            ("qari  j, margins (DECRQM answered)", "j", 100, true),
            ("qari  Space (page down)", " ", 15, false),
        ] {
            // A fresh state directory: no resumed position.
            let run = tempfile::tempdir().expect("tempdir");
            let mut p = Proc::spawn_answering(qari, &[art], run.path(), margins);
            let (b, c) = p.measure(key, n);
            println!("{label:<34} {b:>12.0} {c:>12.3}");
            if key == "j" && !margins {
                // Idle: no timer redraws, so nothing is written and no CPU
                // is used while the reader waits for a key.
                let pid = p.child.process_id().expect("pid");
                let (b0, c0) = (p.bytes.load(Ordering::SeqCst), cpu_secs(pid));
                std::thread::sleep(Duration::from_secs(3));
                let (b1, c1) = (p.bytes.load(Ordering::SeqCst), cpu_secs(pid));
                println!(
                    "{:<34} {:>12} {:>12.2}",
                    "qari  idle for 3 s (total)",
                    b1 - b0,
                    (c1 - c0) * 1000.0
                );
            }
            p.quit("Q");
        }
        if has_less {
            // One article: no list pane; the reading pane's text is the
            // width less the entities (22%, 20 to 32 columns), 2 borders and
            // 4 margins: 72 cells at 100 columns, 54 at 80. Lay the text out
            // for less at the same width.
            let width = (cols - (cols * 22 / 100).clamp(20, 32) - 6).to_string();
            let rendered = home.path().join(format!("rendered-{times}x.txt"));
            let out = std::process::Command::new(qari)
                .args(["render", "--width", &width, "--color", "never", art])
                .output()
                .expect("qari render");
            std::fs::write(&rendered, &out.stdout).expect("write rendered");
            let r = rendered.to_str().expect("utf-8 path");
            let mut per_line = 0.0;
            for (label, key, n) in [
                ("less  j (next line)", "j", 100),
                ("less  Space (page down)", " ", 15),
            ] {
                let mut p = Proc::spawn("less", &[r], home.path());
                let (b, c) = p.measure(key, n);
                println!("{label:<34} {b:>12.0} {c:>12.3}");
                if key == "j" {
                    per_line = b;
                }
                p.quit("q");
            }
            // What less writes to move the text as far as qari's 100 `j`
            // did: the reading pane's top ends where the 101st block ends
            // minus the pane's height, blocks (title, paragraphs) being
            // separated by one blank line as in the reader.
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            let ends: Vec<usize> = (0..lines.len())
                .filter(|&i| i + 1 == lines.len() || lines[i + 1].trim().is_empty())
                .filter(|&i| !lines[i].trim().is_empty())
                .map(|i| i + 2)
                .collect();
            let pane_rows = rows as usize - 3;
            let end = ends.get(100).or(ends.last()).copied().unwrap_or(0);
            let moved = end.saturating_sub(pane_rows) as f64 / 100.0;
            println!(
                "{:<34} {:>12.0}   ({moved:.1} lines per qari j, {per_line:.0} B a line)",
                "less  as far as one qari j",
                moved * per_line
            );
        }
    }
    println!("-- keys during a cold build of the library index");
    ui_only("qari  j, nothing else running");
    during_cold_index(qari, home.path());
}
