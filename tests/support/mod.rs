//! Helpers shared by the integration tests that look at the screen: the
//! pseudo-terminal reader (`e2e`, `hostile_reader`) and the command-line
//! suites (`hostile`, `cli_*`, `render_cli`). Each test crate uses only
//! some of them; every run of the binary goes through [`qari_command`] or
//! [`pty_command`], which keep it away from the developer's own files.
#![allow(dead_code)]

use portable_pty::CommandBuilder;
use qari::layout::{layout_paragraph, BaseDirection, LayoutOptions};
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Records what the program asked the terminal to do besides drawing.
#[derive(Default)]
pub struct Spy {
    pub titles: Vec<Vec<u8>>,
    pub clipboard: Vec<Vec<u8>>,
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

pub type Screen = Arc<Mutex<vt100::Parser<Spy>>>;
pub type Raw = Arc<Mutex<Vec<u8>>>;

/// A terminal emulator of `rows` × `cols` fed from `reader` (a pty
/// master) on a thread of its own, with every byte also kept raw.
/// `keep_alive` is held by that thread until the pty closes.
pub fn emulate(
    mut reader: Box<dyn Read + Send>,
    rows: u16,
    cols: u16,
    keep_alive: Option<Box<dyn Send>>,
) -> (Screen, Raw) {
    let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
        std::num::NonZeroU16::new(rows).unwrap(),
        std::num::NonZeroU16::new(cols).unwrap(),
        0,
        Spy::default(),
    )));
    let raw = Arc::new(Mutex::new(Vec::new()));
    let (p, r) = (parser.clone(), raw.clone());
    std::thread::spawn(move || {
        let _keep_alive = keep_alive;
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            r.lock().unwrap().extend_from_slice(&buf[..n]);
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    (parser, raw)
}

/// What `text` looks like on screen: through the layout engine, alone on a
/// right-to-left line.
pub fn visual(text: &str) -> String {
    let layout = layout_paragraph(
        text,
        1000,
        BaseDirection::Rtl,
        &[],
        &LayoutOptions::default(),
    );
    layout.lines[0]
        .segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<String>()
        .trim()
        .to_string()
}

/// Cells as a terminal buffer counts them: per grapheme cluster.
pub fn cells(line: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    line.graphemes(true)
        .map(|g| match g.len() {
            1 => 1,
            _ => unicode_width::UnicodeWidthStr::width(g),
        })
        .sum()
}

/// Point `cmd`'s home and every XDG directory inside `home`, and forget
/// `$QARI_LIBRARY`: a test run never reads or writes the developer's own
/// `~/.config`, `~/.cache` or `~/.local/state` (a broken `cleaning.toml`
/// there would change what every test sees).
pub fn isolate<'c>(
    cmd: &'c mut std::process::Command,
    home: &Path,
) -> &'c mut std::process::Command {
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("QARI_LIBRARY")
}

/// The `qari` binary under test, isolated in `home` (see [`isolate`]).
pub fn qari_command(home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_qari"));
    isolate(&mut cmd, home);
    cmd
}

/// `program` with `args`, to run in a pseudo-terminal with `home` as its
/// home and every XDG directory inside it, as xterm-256color with colour
/// settings from the environment removed: runs do not see the user's files.
pub fn pty_command(
    program: &str,
    home: &Path,
    args: &[impl AsRef<std::ffi::OsStr>],
) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(program);
    for a in args {
        cmd.arg(a);
    }
    cmd.cwd(home);
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    cmd.env("XDG_CACHE_HOME", home.join("cache"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("COLORTERM");
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("COLORFGBG");
    cmd.env_remove("QARI_LIBRARY");
    cmd
}

/// A program running in a pseudo-terminal of `cols` × `rows`.
pub struct Pty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub reader: Box<dyn Read + Send>,
    pub writer: Box<dyn std::io::Write + Send>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
}

/// Start `cmd` (see [`pty_command`]) in a new pseudo-terminal.
pub fn spawn_in_pty(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
    let pty = portable_pty::native_pty_system()
        .openpty(portable_pty::PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    Pty {
        child,
        reader: pty.master.try_clone_reader().unwrap(),
        writer: pty.master.take_writer().unwrap(),
        master: pty.master,
    }
}

/// The reader over the library in `lib`, its caches under `cache`, with the
/// default configuration and an in-memory state file (the screen tests).
pub fn reader_state(lib: &Path, cache: &Path) -> qari::reader::State {
    use qari::article::Rules;
    use qari::reader::loader::{list_library, FsLoader, Loader};
    let dirs = qari::store::Dirs::under(cache);
    let (entries, notes) = list_library(lib, &dirs, &Rules::default());
    assert!(notes.is_empty(), "{notes:?}");
    let (loader, _) = FsLoader::new(None, Rules::default());
    let recognition = qari::reader::recognition::Recognition::new(loader.finder());
    qari::reader::State::new(
        qari::config::Config::defaults(),
        entries,
        qari::state::StateFile::in_memory(),
        Box::new(loader),
        recognition,
    )
}
