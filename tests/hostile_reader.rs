//! Hostile input to the reader (the TUI), end to end: the real binary in a
//! pseudo-terminal, its output fed to a terminal emulator (`vt100`), with
//! HOME and the XDG directories in a temporary directory. Corrupt state,
//! config and theme files, and articles built to break layout.
//!
//! `tests/e2e.rs` already checks escape sequences in an article (title,
//! clipboard, frame untouched); `tests/hostile.rs` checks the reader's
//! refusals that happen before the terminal is touched.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::{emulate, pty_command, spawn_in_pty, visual, Raw, Screen};

struct Session {
    parser: Screen,
    raw: Raw,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

/// HOME with `config/qari`, `state/qari` and a folder for articles.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["config/qari/themes", "state/qari", "files"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Home { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn start(&self, args: &[&Path], cols: u16, rows: u16) -> Session {
        let cmd = pty_command(env!("CARGO_BIN_EXE_qari"), self.dir.path(), args);
        let pty = spawn_in_pty(cmd, cols, rows);
        let (parser, raw) = emulate(pty.reader, rows, cols, Some(Box::new(pty.master)));
        Session {
            parser,
            raw,
            writer: pty.writer,
            child: pty.child,
        }
    }
}

impl Session {
    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_text(&mut self, text: &str) {
        let start = Instant::now();
        while !self.screen().contains(text) {
            if start.elapsed() > Duration::from_secs(30) {
                // Read the screen first: killing qari restores the terminal.
                let screen = self.screen();
                let _ = self.child.kill();
                panic!("timed out waiting for {text:?}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Quit with `Q` and wait for a clean exit.
    fn quit(&mut self) {
        self.send("Q");
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                assert!(
                    status.success(),
                    "exit {status:?}; screen:\n{}",
                    self.screen()
                );
                return;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let screen = self.screen();
                let _ = self.child.kill();
                panic!("qari did not exit; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// No escape sequence from the article reached the terminal: no window
    /// title, no clipboard write, no bidi control or C1 byte in the output.
    fn assert_nothing_leaked(&self) {
        {
            let p = self.parser.lock().unwrap();
            assert!(p.callbacks().titles.is_empty(), "window title changed");
            assert!(p.callbacks().clipboard.is_empty(), "clipboard written");
        }
        let raw = self.raw();
        let text = String::from_utf8_lossy(&raw);
        for c in text.chars() {
            assert!(
                !qari::text::is_bidi_format(c) && !('\u{80}'..='\u{9f}').contains(&c),
                "U+{:04X} written to the terminal",
                c as u32
            );
        }
    }
}

const ARTICLE: &str =
    "أخبار الطقس\n\nتهطل أمطار غزيرة على الإسكندرية اليوم.\n\nوتعود الشمس مساء الجمعة.\n";

fn set_aside_copies(dir: &Path, name: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{name}.corrupt-"))
        })
        .collect()
}

#[test]
fn a_corrupt_state_file_is_set_aside_and_reading_goes_on() {
    let home = Home::new();
    let article = home.write("files/weather.txt", ARTICLE);
    let garbage = b"{\"articles\": {\"x\": {\"position\": \xff\xfe\0 truncated";
    home.write("state/qari/reading.json", garbage);
    let mut s = home.start(&[&article], 100, 30);
    s.wait_text(&visual("تهطل أمطار غزيرة على الإسكندرية اليوم."));
    s.wait_text("corrupt");
    s.send("j");
    s.quit();
    // The corrupt bytes are kept beside it, never dropped.
    let aside = set_aside_copies(&home.path("state/qari"), "reading.json");
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage);
    // And a fresh, valid state file was written on exit.
    let fresh = std::fs::read_to_string(home.path("state/qari/reading.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&fresh).expect("valid JSON state");
}

#[test]
fn a_corrupt_config_falls_back_to_defaults_with_a_warning() {
    let home = Home::new();
    let article = home.write("files/weather.txt", ARTICLE);
    let config = b"theme = [[[\n\0\xff\xfe\nkeys = 7\n";
    home.write("config/qari/config.toml", config);
    let mut s = home.start(&[&article], 100, 30);
    s.wait_text(&visual("تهطل أمطار غزيرة على الإسكندرية اليوم."));
    s.wait_text("config.toml");
    s.quit();
    // The user's file is theirs: reported, not rewritten or moved.
    assert_eq!(
        std::fs::read(home.path("config/qari/config.toml")).unwrap(),
        config
    );
}

#[test]
fn a_corrupt_theme_falls_back_with_a_warning() {
    let home = Home::new();
    let article = home.write("files/weather.txt", ARTICLE);
    home.write("config/qari/config.toml", "theme = \"mine\"\n");
    home.write(
        "config/qari/themes/mine.toml",
        "[styles\ntext = { fg = \"#zzzzzz\", bg = 12345678901234567890 }\n\u{1b}]0;pwned\u{7}",
    );
    let mut s = home.start(&[&article], 100, 30);
    s.wait_text(&visual("تهطل أمطار غزيرة على الإسكندرية اليوم."));
    s.wait_text("mine.toml");
    s.assert_nothing_leaked();
    s.quit();
}

#[test]
fn a_theme_with_bad_values_keeps_the_good_ones() {
    let home = Home::new();
    let article = home.write("files/weather.txt", ARTICLE);
    home.write("config/qari/config.toml", "theme = \"odd\"\n");
    home.write(
        "config/qari/themes/odd.toml",
        "[styles]\ntext = { fg = \"#zzzzzz\" }\nnope = 3\n",
    );
    let mut s = home.start(&[&article], 100, 30);
    s.wait_text(&visual("تهطل أمطار غزيرة على الإسكندرية اليوم."));
    s.wait_text("odd.toml");
    s.quit();
}

#[test]
fn nesting_marks_and_controls_on_screen() {
    let mut text = String::from("عنوان عميق\n\n");
    text.push_str(&"\u{202B}\u{2067}".repeat(500));
    text.push_str("نص في العمق");
    text.push_str(&"\u{2069}\u{202C}".repeat(500));
    text.push_str("\n\n");
    text.push_str(&"\u{064E}\u{0651}".repeat(300));
    text.push_str("\n\nكلمة");
    text.push_str(&"ب".repeat(20_000));
    text.push_str("\n\nفقرة \u{9b}2J\u{1b}[2J\u{1b}]52;c;eA==\u{7} أخيرة\n");
    for (cols, rows) in [(100, 30), (40, 12)] {
        // A fresh home each time: the reader resumes where the last
        // session left off.
        let home = Home::new();
        let article = home.write("files/deep.txt", &text);
        let mut s = home.start(&[&article], cols, rows);
        s.wait_text(&visual("نص في العمق"));
        s.send("G");
        s.wait_text(&visual("أخيرة"));
        s.assert_nothing_leaked();
        s.quit();
    }
}

#[test]
fn a_folder_of_hostile_files_opens_on_the_good_ones() {
    let home = Home::new();
    home.write("files/good.txt", ARTICLE);
    home.write("files/empty.txt", b"");
    home.write("files/nul.txt", b"\0\0");
    home.write("files/cut.json", "{\"title\": ");
    std::fs::create_dir(home.path("files/dir.txt")).unwrap();
    std::os::unix::fs::symlink(home.path("files/loop.txt"), home.path("files/loop.txt")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(home.path("files/pipe.txt"))
        .status()
        .unwrap()
        .success());
    let mut s = home.start(&[&home.path("files")], 100, 30);
    s.wait_text(&visual("أخبار الطقس"));
    s.assert_nothing_leaked();
    s.quit();
}

fn mkfifo(path: &Path) {
    assert!(std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap()
        .success());
}

/// Settings and state that are not regular files: opening a FIFO would
/// block before the first frame, and `/dev/zero` would be read until
/// memory runs out. The reader starts, warns, and reads.
#[test]
fn special_files_in_place_of_settings_and_state() {
    for zero in [false, true] {
        let home = Home::new();
        let article = home.write("files/weather.txt", ARTICLE);
        home.write("config/qari/config.toml", "theme = \"mine\"\n");
        let special = [
            "config/qari/themes/mine.toml",
            "config/qari/cleaning.toml",
            "config/qari/entities.toml",
            "state/qari/reading.json",
        ];
        for rel in special {
            if zero {
                std::os::unix::fs::symlink("/dev/zero", home.path(rel)).unwrap();
            } else {
                mkfifo(&home.path(rel));
            }
        }
        let mut s = home.start(&[&article], 100, 30);
        s.wait_text(&visual("تهطل أمطار غزيرة على الإسكندرية اليوم."));
        s.wait_text("not a regular file");
        s.send("j");
        s.quit();
        // Nothing was replaced: the special files are still there.
        for rel in special {
            let meta = std::fs::symlink_metadata(home.path(rel)).unwrap();
            assert!(!meta.is_file(), "{rel} replaced");
        }
    }
    // A directory where the config file should be.
    let home = Home::new();
    let article = home.write("files/weather.txt", ARTICLE);
    std::fs::create_dir(home.path("config/qari/config.toml")).unwrap();
    let mut s = home.start(&[&article], 100, 30);
    s.wait_text(&visual("تهطل أمطار غزيرة على الإسكندرية اليوم."));
    s.wait_text("directory");
    s.quit();
}
