//! The theme follows the terminal's background: a terminal that answers the
//! OSC 11 query, one that only sets COLORFGBG, and one that says nothing
//! (which must not hold up start-up: qari waits 100 ms at most).

mod support;

use qari::theme::{Color, ColorDepth, Role, Theme};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{pty_command, spawn_in_pty};

/// Run the reader on the fixture library in a pty whose emulator answers
/// OSC 11 with `answer` (if any), and return the 256-colour index of the
/// first article title's foreground (`None`: the terminal's default).
fn title_colour(answer: Option<&'static str>, env: &[(&str, &str)], args: &[&str]) -> Option<u8> {
    let home = tempfile::tempdir().unwrap();
    let lib = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/library");
    let mut cmd = pty_command(
        env!("CARGO_BIN_EXE_qari"),
        home.path(),
        &[&[lib], args].concat(),
    );
    for (k, v) in env {
        cmd.env(k, v);
    }
    let pty = spawn_in_pty(cmd, 100, 30);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(30).unwrap(),
        std::num::NonZeroU16::new(100).unwrap(),
        0,
    )));
    let writer = Arc::new(Mutex::new(pty.writer));
    let (p, w) = (parser.clone(), writer.clone());
    let mut reader = pty.reader;
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if let Some(a) = answer {
                if let Some(at) = seen
                    .windows(7)
                    .position(|x| x == b"\x1b]11;?\x07" || x == b"\x1b]11;?\x1b")
                {
                    // Answer the colour, then the device attributes query
                    // that follows it, as xterm does.
                    let mut w = w.lock().unwrap();
                    let _ = w.write_all(a.as_bytes());
                    let _ = w.write_all(b"\x1b[?62;22c");
                    let _ = w.flush();
                    seen.drain(..at + 7);
                }
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    // The English article's title: not the selected row, and plain letters.
    let title = "Desalination plant";
    let start = Instant::now();
    let colour = loop {
        {
            let parser = parser.lock().unwrap();
            let screen = parser.screen();
            if let Some(row) =
                (0..30u16).find(|r| screen.contents_between(*r, 0, *r, 100).contains(title))
            {
                let cell = (0..100)
                    .filter_map(|c| screen.cell(row, c))
                    .find(|c| c.contents() == "D")
                    .unwrap();
                break match cell.fgcolor() {
                    vt100::Color::Default => None,
                    vt100::Color::Idx(i) => Some(i),
                    other => panic!("{other:?}"),
                };
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no list on screen:\n{}",
            parser.lock().unwrap().screen().contents()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.lock().unwrap().write_all(b"Q");
    let mut child = pty.child;
    let _ = child.kill();
    let _ = child.wait();
    colour
}

fn expected(theme: &str, role: Role) -> Option<u8> {
    match Theme::builtin(theme)
        .unwrap()
        .for_depth(ColorDepth::Ansi256)
        .style(role)
        .fg
    {
        Some(Color::Indexed(i) | Color::Ansi(i)) => Some(i),
        _ => None,
    }
}

#[test]
fn white_background_answer_gives_the_light_theme() {
    let got = title_colour(Some("\x1b]11;rgb:ffff/ffff/ffff\x1b\\"), &[], &[]);
    let light = expected("light", Role::ListTitle);
    assert!(light.is_some());
    assert_ne!(light, expected("dark", Role::ListTitle));
    assert!(
        got == light || got == expected("light", Role::Unread),
        "{got:?}"
    );
}

#[test]
fn black_background_answer_gives_the_dark_theme() {
    let got = title_colour(Some("\x1b]11;rgb:0000/0000/0000\x07"), &[], &[]);
    assert!(
        got == expected("dark", Role::ListTitle) || got == expected("dark", Role::Unread),
        "{got:?}"
    );
}

#[test]
fn silent_terminal_uses_colorfgbg_then_its_own_colours() {
    let got = title_colour(None, &[("COLORFGBG", "0;15")], &[]);
    assert!(
        got == expected("light", Role::ListTitle) || got == expected("light", Role::Unread),
        "{got:?}"
    );
    // Nothing to go by: the terminal's own foreground (unread titles are
    // bold in the terminal theme's blue).
    let got = title_colour(None, &[], &[]);
    assert!(
        got.is_none() || got == expected("terminal", Role::Unread),
        "{got:?}"
    );
}

#[test]
fn theme_option_wins_over_the_answer() {
    let got = title_colour(
        Some("\x1b]11;rgb:ffff/ffff/ffff\x07"),
        &[],
        &["--theme", "dark"],
    );
    assert!(
        got == expected("dark", Role::ListTitle) || got == expected("dark", Role::Unread),
        "{got:?}"
    );
}
