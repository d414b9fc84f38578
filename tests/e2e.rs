//! End-to-end: the real `qari` binary in a pseudo-terminal, its output fed
//! to a terminal emulator (`vt100`), checked the way a reader would see it.
//! HOME and the XDG directories point into a temporary directory, so no test
//! touches the user's files.

mod support;

use portable_pty::PtySize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::{emulate, pty_command, spawn_in_pty, visual, Raw, Screen};

thread_local! {
    /// Extra environment for sessions started on this test's thread.
    static EXTRA_ENV: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct Session {
    parser: Screen,
    raw: Raw,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
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
        Session::spawn(env!("CARGO_BIN_EXE_qari"), home, args, cols, rows)
    }

    /// The same session started with another program (a shell).
    fn with_program(self, program: &str) -> Session {
        let Session { home, child, .. } = self;
        let mut child = child;
        let _ = child.kill();
        let _ = child.wait();
        Session::spawn(program, home, &["--norc", "--noprofile", "-i"], 100, 30)
    }

    fn spawn(
        program: &str,
        home: tempfile::TempDir,
        args: &[&str],
        cols: u16,
        rows: u16,
    ) -> Session {
        let mut cmd = pty_command(program, home.path(), args);
        for (k, v) in EXTRA_ENV.with(|e| e.borrow().clone()) {
            cmd.env(k, v);
        }
        let pty = spawn_in_pty(cmd, cols, rows);
        let (parser, raw) = emulate(pty.reader, rows, cols, None);
        Session {
            parser,
            raw,
            writer: pty.writer,
            child: pty.child,
            master: pty.master,
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

    fn resize(&self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser.lock().unwrap().screen_mut().set_size(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
        );
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
    // BDSM explicit before the alternate screen, which is then cleared: VTE
    // gives each row the bidi mode in force when the row is made.
    let raw = s.raw();
    let bdsm = find(&raw, b"\x1b[8l").expect("BDSM explicit mode not sent");
    let alt = find(&raw, b"\x1b[?1049h").expect("alternate screen not entered");
    assert!(bdsm < alt, "BDSM reset after entering the alternate screen");
    assert!(
        find(&raw[alt..], b"\x1b[2J").is_some(),
        "alternate screen not cleared after BDSM"
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
    assert!(state.contains("\"position\":0"), "{state}");
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
    assert!(state.contains("\"position\":3"), "{state}");
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
fn resize_reflows_the_panes() {
    let lib = fixtures("library");
    let mut s = Session::start(&[lib.to_str().unwrap()]);
    s.wait_text(&visual("المقالات"));
    s.send("\r");
    s.wait_text(&visual("١/٦"));
    // Narrow: the article alone, no list.
    s.resize(50, 16);
    s.wait_for("one pane", |sc| {
        let c = sc.contents();
        !c.contains(&visual("المقالات")) && c.contains(&visual("المقال"))
    });
    s.send("q");
    s.wait_text(&visual("المقالات"));
    s.resize(100, 30);
    s.wait_for("three panes", |sc| {
        sc.contents().contains(&visual("الكيانات"))
    });
    s.send("Q");
    assert!(s.wait_exit().success());
}

#[test]
fn mouse_wheel_scrolls_the_article() {
    let long = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles/nile-long-read.md");
    let mut s = Session::start(&[long.to_str().unwrap()]);
    let status = |sc: &vt100::Screen| sc.rows(0, 100).nth(29).unwrap_or_default();
    s.wait_for("the status line", |sc| status(sc).contains('٪'));
    let before = status(s.parser.lock().unwrap().screen());
    // SGR mouse reports: wheel down at column 40, row 10 (the reading pane).
    for _ in 0..6 {
        s.send("\x1b[<65;40;10M");
    }
    s.wait_for("the focus to follow the scroll", |sc| status(sc) != before);
    s.send("Q");
    assert!(s.wait_exit().success());
}

/// Ctrl-Z under a job-control shell: qari gives the terminal back and
/// stops; `fg` brings it back with its screen and BDSM mode.
#[cfg(unix)]
#[test]
fn ctrl_z_suspends_and_resumes() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("bash not found; skipping");
        return;
    }
    let lib = fixtures("library");
    let mut s = Session::start_in(
        tempfile::tempdir().unwrap(),
        &["--norc", "--noprofile", "-i"],
        100,
        30,
    )
    .with_program("bash");
    s.send("PS1='$ '\r");
    s.send(&format!(
        "{} {}\r",
        env!("CARGO_BIN_EXE_qari"),
        lib.display()
    ));
    s.wait_text(&visual("المقالات"));
    s.send("\r");
    s.wait_text(&visual("١/٦"));
    s.send("\x1a");
    s.wait_for("the shell's prompt", |sc| {
        !sc.alternate_screen() && sc.contents().contains("Stopped")
    });
    let before = rfind(&s.raw(), b"\x1b[8h").unwrap();
    s.send("fg\r");
    s.wait_for("alternate screen again", |sc| sc.alternate_screen());
    s.wait_text(&visual("١/٦"));
    assert!(
        rfind(&s.raw(), b"\x1b[8l").unwrap() > before,
        "BDSM not sent again"
    );
    s.send("jQ");
    s.wait_for("back at the prompt", |sc| !sc.alternate_screen());
    s.send("exit\r");
    s.wait_exit();
}

#[test]
fn broken_config_is_reported_with_its_place() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/qari");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "lang = \"en\"\nlayout = \"upside-down\"\n",
    )
    .unwrap();
    let lib = fixtures("library");
    let mut s = Session::start_in(home, &[lib.to_str().unwrap()], 160, 30);
    // lang = "en" still applied; the bad line is reported, layout default.
    s.wait_text("Articles");
    s.wait_text("config.toml:2:10: layout must be");
    s.send("Q");
    assert!(s.wait_exit().success());
}

#[test]
fn broken_cleaning_rules_are_reported_in_the_reader() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/qari");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cleaning.toml"), "[masthead\nroles = 3\n").unwrap();
    std::fs::write(dir.join("config.toml"), "lang = \"en\"\n").unwrap();
    let lib = fixtures("library");
    let mut s = Session::start_in(home, &[lib.to_str().unwrap()], 160, 30);
    s.wait_text("Articles");
    s.wait_text("ignoring the cleaning rules");
    s.send("Q");
    assert!(s.wait_exit().success());
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
    let out = support::qari_command(home.path())
        .arg(home.path().join("no-such-folder"))
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

/// Colour depth follows the environment: NO_COLOR gives no colour at all
/// (highlights by modifiers only), COLORTERM=truecolor gives 24-bit colour,
/// xterm-256color alone gives the 256-colour palette.
#[test]
fn colour_depth_follows_the_environment() {
    let lib = fixtures("library");
    let run = |env: &[(&str, &str)]| -> Vec<u8> {
        EXTRA_ENV.with(|e| {
            *e.borrow_mut() = env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        });
        let mut s = Session::start(&[lib.to_str().unwrap()]);
        s.wait_text(&visual("المقالات"));
        s.send("\r/المياه\r");
        // The hit counter "[1/N]" on the status line.
        s.wait_for("the hit counter", |sc| sc.contents().contains('['));
        s.send("Q");
        assert!(s.wait_exit().success());
        s.raw()
    };
    let mono = run(&[("NO_COLOR", "1")]);
    for seq in [&b"38;5;"[..], b"48;5;", b"38;2;", b"48;2;"] {
        assert!(find(&mono, seq).is_none(), "colour {seq:?} with NO_COLOR");
    }
    // The hit is still marked: reverse video and bold (the mono theme).
    assert!(find(&mono, b"\x1b[7m").is_some() || find(&mono, b";7m").is_some());
    // A dark background (as rxvt says it): the dark theme and its RGB
    // colours; the pty does not answer the background query.
    let truecolor = run(&[("COLORTERM", "truecolor"), ("COLORFGBG", "15;0")]);
    assert!(find(&truecolor, b"48;2;").is_some());
    let c256 = run(&[("COLORFGBG", "15;0")]);
    assert!(find(&c256, b"48;5;").is_some());
    assert!(find(&c256, b"48;2;").is_none());
}

/// A long article opens without waiting for its entities: the first screen
/// has the text and a sidebar that says names are being looked for; the
/// names and their highlights follow (found on a worker thread) without
/// moving the reader.
#[test]
fn a_long_article_shows_before_its_entities() {
    let home = tempfile::tempdir().unwrap();
    let water = std::fs::read_to_string(fixtures("library/01-water.md")).unwrap();
    // The fixture's body (after its front matter), again and again.
    let body = water.splitn(3, "---\n").nth(2).unwrap();
    let mut text = String::from("---\ntitle: ملف طويل عن تحلية المياه\n---\n");
    while text.len() < 3_000_000 {
        text.push_str(body);
        text.push('\n');
    }
    let path = home.path().join("long.md");
    std::fs::write(&path, &text).unwrap();
    let mut s = Session::start_in(home, &[path.to_str().unwrap()], 100, 30);
    s.wait_text(&visual("ملف طويل عن تحلية المياه"));
    let status = |sc: &vt100::Screen| sc.rows(0, 100).nth(29).unwrap_or_default();
    let first = status(s.parser.lock().unwrap().screen());
    s.send("jjj");
    s.wait_for("the focus to move", |sc| status(sc) != first);
    let people = visual("أشخاص");
    s.wait_text(&people);
    let moved = status(s.parser.lock().unwrap().screen());
    assert_ne!(moved, first);

    // The first frame had the text and the "finding names" sidebar; the
    // names came in a later one.
    let raw = s.raw();
    let at = |what: &str| find(&raw, what.as_bytes());
    let names = at(&people).unwrap();
    let title = at(&visual("ملف طويل عن تحلية المياه")).unwrap();
    let finding = at(&visual("تحديد الأسماء…")).expect("no 'finding names' state on screen");
    assert!(
        title < names && finding < names,
        "{title} {finding} {names}"
    );

    // Names are marked in the text by kind (places underlined), and selecting one
    // highlights its mentions; the reader stayed where it was.
    s.wait_for("an entity underlined in the text", |sc| {
        (0..29).any(|r| (0..100).any(|c| sc.cell(r, c).is_some_and(|c| c.underline())))
    });
    assert_eq!(status(s.parser.lock().unwrap().screen()), moved);
    s.send("\t");
    s.send("\r");
    let name = visual("سويلم");
    s.wait_for("the selected person's mention highlighted", |sc| {
        (0..29).any(|r| {
            let row: String = (0..100)
                .filter_map(|c| sc.cell(r, c))
                .filter(|c| c.bgcolor() != vt100::Color::Default && c.has_contents())
                .map(|c| c.contents().to_string())
                .collect();
            row.contains(&name)
        })
    });
    s.send("Q");
    assert!(s.wait_exit().success());
}

/// Two readers on one library and one state file, as in two tmux windows:
/// 200 rounds, each by a random one of them, toggling a bookmark on a random
/// paragraph of the same article (the first reader owns the even paragraphs,
/// the second the odd ones, so the expected set is known), with random
/// pauses. Every round waits until the save is on disk, and checks that no
/// bookmark of either reader was lost or brought back; at the end the
/// position is the last one set.
#[test]
fn two_readers_at_once_lose_nothing() {
    let lib = fixtures("library");
    let home = tempfile::tempdir().unwrap();
    let state_dir = home.path().join("state");
    let file = state_dir.join("qari/reading.json");
    let mut first = Session::start_in(home, &[lib.to_str().unwrap()], 100, 30);
    EXTRA_ENV.with(|e| {
        *e.borrow_mut() = vec![(
            "XDG_STATE_HOME".to_string(),
            state_dir.to_string_lossy().into_owned(),
        )]
    });
    let mut second = Session::start(&[lib.to_str().unwrap()]);
    EXTRA_ENV.with(|e| e.borrow_mut().clear());
    first.wait_text(&visual("المقالات"));
    second.wait_text(&visual("المقالات"));

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("seed {seed}");
    let mut rng = seed | 1;
    let mut next = move |n: u64| {
        // xorshift64: enough to vary the order and timing.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let bookmarks_on_disk = || -> (Vec<u64>, Option<u64>) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            return (Vec::new(), None);
        };
        let json: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("state file corrupt ({e}): {text}"));
        let articles = json["articles"].as_object().unwrap();
        let Some(a) = articles.values().find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("تحلية المياه"))
        }) else {
            return (Vec::new(), None);
        };
        let marks = a["bookmarks"]
            .as_array()
            .map(|v| v.iter().map(|b| b["paragraph"].as_u64().unwrap()).collect())
            .unwrap_or_default();
        (marks, a["position"].as_u64())
    };
    let mut expected = std::collections::BTreeSet::new();
    let mut last = 0;
    for round in 0..200 {
        let who = next(2);
        let p = next(3) * 2 + who;
        let s = if who == 0 { &mut first } else { &mut second };
        let keys = format!("\rg{}mq", "j".repeat(p as usize));
        s.send(&keys);
        if !expected.remove(&p) {
            expected.insert(p);
        }
        last = p;
        let want: Vec<u64> = expected.iter().copied().collect();
        let start = Instant::now();
        while bookmarks_on_disk().0 != want {
            if start.elapsed() > Duration::from_secs(15) {
                panic!(
                    "round {round} (seed {seed}): bookmarks on disk {:?}, expected {want:?}",
                    bookmarks_on_disk().0
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(next(20)));
    }
    // Let the last "back to the list" save its position, then quit both.
    let start = Instant::now();
    while bookmarks_on_disk().1 != Some(last) && start.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(10));
    }
    first.send("Q");
    second.send("Q");
    assert!(first.wait_exit().success());
    assert!(second.wait_exit().success());
    let (marks, position) = bookmarks_on_disk();
    assert_eq!(marks, expected.iter().copied().collect::<Vec<_>>());
    assert_eq!(position, Some(last), "seed {seed}");
}

/// A reader killed with SIGKILL at random moments, while a second one keeps
/// saving: the state file always parses, and holds every bookmark whose
/// save finished before the kill (the one in flight may or may not be
/// there).
#[test]
fn sigkill_mid_save_corrupts_nothing() {
    let lib = fixtures("library");
    let home = tempfile::tempdir().unwrap();
    let state_dir = home.path().join("state");
    let file = state_dir.join("qari/reading.json");
    let env = vec![(
        "XDG_STATE_HOME".to_string(),
        state_dir.to_string_lossy().into_owned(),
    )];
    let mut other = Session::start_in(home, &[lib.to_str().unwrap()], 100, 30);
    other.wait_text(&visual("المقالات"));
    let marks_on_disk = || -> std::collections::BTreeSet<u64> {
        let Ok(text) = std::fs::read_to_string(&file) else {
            return Default::default();
        };
        let json: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("state file corrupt ({e}): {text}"));
        json["articles"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|a| a["bookmarks"].as_array().cloned().unwrap_or_default())
            .map(|b| b["paragraph"].as_u64().unwrap())
            .collect()
    };
    let wait_for = |want: &std::collections::BTreeSet<u64>| {
        let start = Instant::now();
        while &marks_on_disk() != want {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "on disk {:?}, expected {want:?}",
                marks_on_disk()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    let mut saved = std::collections::BTreeSet::new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    for round in 0..20u64 {
        EXTRA_ENV.with(|e| *e.borrow_mut() = env.clone());
        let mut victim = Session::start(&[lib.to_str().unwrap()]);
        EXTRA_ENV.with(|e| e.borrow_mut().clear());
        victim.wait_text(&visual("المقالات"));
        // The survivor saves an even paragraph and waits for it on disk.
        let even = (round % 3) * 2;
        other.send(&format!("\rg{}mq", "j".repeat(even as usize)));
        if !saved.remove(&even) {
            saved.insert(even);
        }
        wait_for(&saved);
        // The victim starts an odd one and dies at a random moment.
        let odd = (round % 3) * 2 + 1;
        victim.send(&format!("\rg{}mq", "j".repeat(odd as usize)));
        std::thread::sleep(Duration::from_micros((nanos * (round + 1)) % 15_000));
        let pid = victim.child.process_id().unwrap();
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let _ = victim.wait_exit();
        let now = marks_on_disk();
        let mut with = saved.clone();
        if !with.remove(&odd) {
            with.insert(odd);
        }
        assert!(
            now == saved || now == with,
            "round {round}: on disk {now:?}, saved before the kill {saved:?}"
        );
        saved = now;
    }
    other.send("Q");
    assert!(other.wait_exit().success());
    assert_eq!(marks_on_disk(), saved);
}

/// What the program put on the clipboard (OSC 52), decoded.
fn copied(s: &Session) -> Vec<String> {
    use base64::Engine;
    s.parser
        .lock()
        .unwrap()
        .callbacks()
        .clipboard
        .iter()
        .map(|b64| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            String::from_utf8(bytes).unwrap()
        })
        .collect()
}

/// Wait until the program has written `n` clipboard entries.
fn wait_copied(s: &Session, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let got = copied(s);
        if got.len() >= n {
            return got;
        }
        if start.elapsed() > Duration::from_secs(15) {
            panic!("no clipboard write; screen:\n{}", s.screen());
        }
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// `y` copies the focused paragraph, then the selected name in the
/// sidebar, as the article has them: logical order, original letters.
#[test]
fn y_copies_in_logical_order() {
    let lib = fixtures("library");
    let mut s = Session::start(&[lib.to_str().unwrap()]);
    s.wait_text(&visual("المقالات"));
    s.send("\rj");
    s.wait_text(&visual("افتتاح محطة لتحلية المياه"));
    s.send("y");
    let source = std::fs::read_to_string(lib.join("01-water.md")).unwrap();
    let text = &wait_copied(&s, 1)[0];
    assert!(text.starts_with("وقال سويلم"), "{text}");
    assert!(source.lines().any(|l| l == text), "{text}");
    assert!(!text.chars().any(|c| ('\u{FB50}'..='\u{FEFF}').contains(&c)));
    s.wait_text(&visual("نُسخ إلى الحافظة"));
    // In the sidebar: the selected name.
    s.send("\t");
    s.wait_text(&visual("أشخاص"));
    s.send("jy");
    let name = &wait_copied(&s, 2)[1];
    assert!(source.contains(name.as_str()) && !name.is_empty(), "{name}");
    s.send("Q");
    assert!(s.wait_exit().success());
}

#[test]
fn clipboard_setting_turns_copy_off() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/qari");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "clipboard = false\n").unwrap();
    let lib = fixtures("library");
    let mut s = Session::start_in(home, &[lib.to_str().unwrap()], 100, 30);
    s.wait_text(&visual("المقالات"));
    s.send("\r");
    s.wait_text(&visual("افتتاح محطة لتحلية المياه"));
    s.send("y");
    s.wait_text("clipboard = false");
    assert!(copied(&s).is_empty());
    assert!(find(&s.raw(), b"\x1b]52").is_none());
    s.send("Q");
    assert!(s.wait_exit().success());
}
