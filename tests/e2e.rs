//! End-to-end: the real `qari` binary in a pseudo-terminal, its output fed
//! to a terminal emulator (`vt100`), checked the way a reader would see it.
//! HOME and the XDG directories point into a temporary directory, so no test
//! touches the user's files.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use qari::layout::{layout_paragraph, BaseDirection, LayoutOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Records what the program asked the terminal to do besides drawing.
#[derive(Default)]
struct Spy {
    titles: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Spy {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

struct Session {
    parser: Arc<Mutex<vt100::Parser<Spy>>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    home: tempfile::TempDir,
}

fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl Session {
    fn start(args: &[&str]) -> Session {
        Session::start_in(tempfile::tempdir().unwrap(), args, 100, 30)
    }

    fn start_in(home: tempfile::TempDir, args: &[&str], cols: u16, rows: u16) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_qari"));
        for a in args {
            cmd.arg(a);
        }
        let h = home.path();
        cmd.cwd(h);
        cmd.env("HOME", h);
        cmd.env("XDG_CONFIG_HOME", h.join("config"));
        cmd.env("XDG_STATE_HOME", h.join("state"));
        cmd.env("XDG_CACHE_HOME", h.join("cache"));
        cmd.env("XDG_DATA_HOME", h.join("data"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("COLORTERM");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("QARI_LIBRARY");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
            0,
            Spy::default(),
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            // Keep the master open for as long as we read from it.
            let _master = pty.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                r.lock().unwrap().extend_from_slice(&buf[..n]);
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            parser,
            raw,
            writer,
            child,
            home,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            if pred(self.parser.lock().unwrap().screen()) {
                return;
            }
            if start.elapsed() > Duration::from_secs(15) {
                panic!("timed out waiting for {what}; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contents().contains(text));
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take in the last bytes.
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let _ = self.child.kill();
                panic!("qari did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Cells of `row` with a background colour, as text.
    fn highlighted(&self, row: u16) -> String {
        let p = self.parser.lock().unwrap();
        let s = p.screen();
        let (_, cols) = s.size();
        (0..cols.get())
            .filter_map(|c| s.cell(row, c))
            .filter(|c| c.bgcolor() != vt100::Color::Default && c.has_contents())
            .map(|c| c.contents().to_string())
            .collect()
    }
}

/// What `text` looks like on screen: through the layout engine, alone on a
/// right-to-left line.
fn visual(text: &str) -> String {
    let l = layout_paragraph(
        text,
        200,
        BaseDirection::Rtl,
        &[],
        &LayoutOptions::default(),
    );
    l.lines[0]
        .segments
        .iter()
        .map(|s| s.text.as_str())
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn read_search_select_and_quit() {
    let lib = fixtures("library");
    let mut s = Session::start(&[lib.to_str().unwrap()]);
    s.wait_text(&visual("المقالات"));
    s.wait_for("alternate screen", |sc| sc.alternate_screen());
    assert!(
        find(&s.raw(), b"\x1b[8l").is_some(),
        "BDSM explicit mode not sent"
    );

    // Open the newest article: its title and the first paragraph.
    s.send("\r");
    s.wait_text(&visual("افتتاح محطة لتحلية المياه"));
    s.wait_text(&visual("١/٦"));
    s.send("jj");
    s.wait_text(&visual("٣/٦"));
    s.send("k");
    s.wait_text(&visual("٢/٦"));

    // Search, Arabic-aware: ة/ه and the hamza don't matter.
    // From paragraph 2 the first hit at or after it is the second of two.
    s.send("/الاسكندريه\r");
    s.wait_text(&visual("[٢/٢]"));
    let word = visual("الإسكندرية");
    s.wait_for("a highlighted hit", |sc| {
        (0..sc.size().0.get()).any(|r| {
            let row: String = (0..sc.size().1.get())
                .filter_map(|c| sc.cell(r, c))
                .filter(|c| c.bgcolor() != vt100::Color::Default && c.has_contents())
                .map(|c| c.contents().to_string())
                .collect();
            row.contains(&word)
        })
    });
    s.send("n");
    s.wait_text(&visual("[١/٢]"));
    s.wait_text(&visual("١/٦"));

    // Select an entity in the sidebar and jump to its mention.
    s.send("\x1b");
    s.wait_for("search cleared", |sc| {
        !sc.contents().contains(&visual("[١/٢]"))
    });
    s.send("\t");
    s.wait_text(&visual("أشخاص (٢)"));
    s.send("\r");
    s.wait_text(&visual("[١/٢]"));
    let name = visual("سويلم");
    let rows = s.parser.lock().unwrap().screen().size().0.get();
    assert!(
        (0..rows).any(|r| s.highlighted(r).contains(&name)),
        "mention of the selected person not highlighted:\n{}",
        s.screen()
    );

    // Back to the list, then quit from it.
    s.send("q");
    s.wait_for("list focus", |sc| {
        sc.contents().contains(&visual("المقالات"))
    });
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    let p = s.parser.lock().unwrap();
    assert!(!p.screen().alternate_screen(), "alternate screen not left");
    let raw = s.raw();
    let off = rfind(&raw, b"\x1b[8l").unwrap();
    let on = rfind(&raw, b"\x1b[8h").expect("BDSM implicit mode not restored");
    assert!(on > off);
    assert!(p.callbacks().titles.is_empty());
    drop(p);

    // The position was saved.
    let state = std::fs::read_to_string(s.home.path().join("state/qari/reading.json")).unwrap();
    assert!(state.contains("\"position\": 0"), "{state}");
}

#[test]
fn hostile_text_changes_neither_title_nor_screen() {
    let file = fixtures("hostile/hostile.txt");
    let mut s = Session::start(&[file.to_str().unwrap()]);
    s.wait_text(&visual("فقرة ثانية"));
    s.wait_text(&visual("فقرة أولى"));
    s.send("j");
    s.wait_text(&visual("٢/٢"));
    {
        let p = s.parser.lock().unwrap();
        let sc = p.screen();
        // The frame is intact: nothing cleared or moved the cursor home
        // and overwrote the borders.
        let contents = sc.contents();
        assert!(contents.starts_with('╭'), "{contents}");
        assert!(
            p.callbacks().titles.is_empty(),
            "title changed: {:?}",
            p.callbacks().titles
        );
        assert!(p.callbacks().clipboard.is_empty(), "clipboard written");
    }
    let raw = s.raw();
    for seq in [
        &b"\x1b]0;"[..],
        b"\x1b]2;",
        b"\x1b]52",
        b"\x1b[31m",
        b"\xc2\x9b",
        b"\xe2\x80\xae",
    ] {
        assert!(find(&raw, seq).is_none(), "{seq:?} reached the terminal");
    }
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn sigterm_saves_and_restores_the_terminal() {
    let lib = fixtures("library");
    let mut s = Session::start(&[lib.to_str().unwrap()]);
    s.wait_text(&visual("المقالات"));
    s.send("\rjjj");
    s.wait_text(&visual("٤/٦"));
    let pid = s.child.process_id().unwrap();
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let status = s.wait_exit();
    assert!(!status.success());
    assert!(!s.parser.lock().unwrap().screen().alternate_screen());
    let raw = s.raw();
    assert!(rfind(&raw, b"\x1b[8h").unwrap() > rfind(&raw, b"\x1b[8l").unwrap());
    let state = std::fs::read_to_string(s.home.path().join("state/qari/reading.json")).unwrap();
    assert!(state.contains("\"position\": 3"), "{state}");
}

#[test]
fn bidi_terminal_mode_sends_no_bdsm() {
    let lib = fixtures("library");
    let mut s = Session::start(&["--bidi", "terminal", lib.to_str().unwrap()]);
    // The terminal does the bidi and shaping: text goes out in logical
    // order, unshaped.
    s.wait_text("المقالات");
    s.wait_text("افتتاح محطة");
    s.send("Q");
    assert!(s.wait_exit().success());
    let raw = s.raw();
    assert!(find(&raw, b"\x1b[8l").is_none() && find(&raw, b"\x1b[8h").is_none());
}

#[test]
fn small_terminal_says_so() {
    let lib = fixtures("library");
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start_in(home, &[lib.to_str().unwrap()], 30, 10);
    s.wait_text(&visual("النافذة صغيرة جدًا"));
    s.send("Q");
    assert!(s.wait_exit().success());
}

#[test]
fn bad_path_is_a_message_not_a_panic() {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qari"))
        .arg(home.path().join("no-such-folder"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("qari: cannot open"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn no_path_shows_the_built_in_samples() {
    let mut s = Session::start(&[]);
    s.wait_text(&visual("المقالات"));
    // Some article is listed: the list's count is not zero.
    s.wait_for("a listed article", |sc| sc.contents().contains('●'));
    s.send("Q");
    assert!(s.wait_exit().success());
}
