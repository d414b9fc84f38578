//! `qari render` run as a real process.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Output, Stdio};
use support::cells;

fn qari(args: &[&str], stdin: &[u8]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut child = support::qari_command(home.path())
        .arg("render")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qari runs");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The process may exit before reading everything (bad input).
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn lines(out: &Output) -> Vec<String> {
    stdout(out).lines().map(str::to_string).collect()
}

#[test]
fn raw_keeps_one_line_per_input_line_and_empty_lines() {
    let out = qari(
        &["--raw", "--width", "200", "--no-shape", "--no-pad"],
        "مرحبا بكم\n\nhello world\n\nالعدد 42 هنا\n".as_bytes(),
    );
    assert_eq!(
        lines(&out),
        ["مكب ابحرم", "", "hello world", "", "انه 42 ددعلا"]
    );
}

#[test]
fn right_to_left_lines_are_padded_to_the_width_unless_no_pad() {
    let out = qari(
        &["--raw", "--width", "12", "--no-shape"],
        "سلام عليكم".as_bytes(),
    );
    assert_eq!(lines(&out), ["  مكيلع مالس"]);
    let out = qari(
        &["--raw", "--width", "12", "--no-shape", "--no-pad"],
        "سلام عليكم".as_bytes(),
    );
    assert_eq!(lines(&out), ["مكيلع مالس"]);
}

#[test]
fn width_defaults_to_80_when_not_a_terminal() {
    let out = qari(&["--raw", "--no-shape"], "سلام".as_bytes());
    assert_eq!(lines(&out), [format!("{}مالس", " ".repeat(76))]);
}

#[test]
fn trailing_spaces_are_never_printed() {
    let out = qari(&["--raw", "--width", "30"], b"abc   \n   \nd e   \n");
    assert_eq!(stdout(&out), "abc\n\nd e\n");
}

#[test]
fn wraps_at_the_width() {
    let text = "قال المتحدث إن النمو بلغ 25% في عام 2024";
    let out = qari(
        &["--raw", "--width", "16", "--no-shape", "--no-pad"],
        text.as_bytes(),
    );
    assert_eq!(lines(&out), ["نإ ثدحتملا لاق", "يف %25 غلب ومنلا", "2024 ماع"]);
}

#[test]
fn direction_can_be_forced() {
    let text = "Google أعلنت";
    let auto = qari(&["--raw", "--width", "20", "--no-shape"], text.as_bytes());
    assert_eq!(lines(&auto), ["Google تنلعأ"]);
    let rtl = qari(
        &["--raw", "--width", "20", "--no-shape", "--dir", "rtl"],
        text.as_bytes(),
    );
    assert_eq!(lines(&rtl), ["        تنلعأ Google"]);
    let ltr = qari(
        &["--raw", "--width", "20", "--no-shape", "--dir", "ltr"],
        "أعلنت Google".as_bytes(),
    );
    assert_eq!(lines(&ltr), ["تنلعأ Google"]);
}

#[test]
fn brackets_mirror_unless_no_mirror() {
    let text = "قال (نعم)";
    let on = qari(&["--raw", "--no-pad", "--no-shape"], text.as_bytes());
    assert_eq!(lines(&on), ["(معن) لاق"]);
    let off = qari(
        &["--raw", "--no-pad", "--no-shape", "--no-mirror"],
        text.as_bytes(),
    );
    assert_eq!(lines(&off), [")معن( لاق"]);
}

#[test]
fn article_mode_title_then_paragraphs() {
    // Read by the article importer: the first line is the title and each
    // further non-blank line a paragraph, as scraped text is saved.
    let text = "العنوان هنا\n\nفقرة أولى\n\n\n\nفقرة ثانية\n";
    let out = qari(
        &["--width", "40", "--no-shape", "--no-pad"],
        text.as_bytes(),
    );
    assert_eq!(
        lines(&out),
        ["انه ناونعلا", "", "ىلوأ ةرقف", "", "ةيناث ةرقف"]
    );
}

#[test]
fn escape_codes_only_when_asked() {
    let text = "عنوان\n\nنص";
    let piped = qari(&["--no-shape"], text.as_bytes());
    assert!(!stdout(&piped).contains('\u{1b}'));
    let always = qari(
        &["--no-shape", "--no-pad", "--color", "always"],
        text.as_bytes(),
    );
    assert_eq!(lines(&always)[0], "\u{1b}[1mناونع\u{1b}[0m");
}

#[test]
fn hostile_controls_never_reach_the_terminal() {
    let text = "خبر\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m عاجل\u{202E}abc\u{202C}\u{200F}\r\n";
    let out = stdout(&qari(&["--raw", "--color", "always"], text.as_bytes()));
    for c in out.chars() {
        assert!(
            c == '\n' || !(c.is_control() || qari::text::is_bidi_format(c)),
            "{:04X} in {out:?}",
            c as u32
        );
    }
}

#[test]
fn reads_a_file_or_dash_for_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "عنوان\n").unwrap();
    let from_file = qari(&[path.to_str().unwrap(), "--no-pad", "--no-shape"], b"");
    assert_eq!(lines(&from_file), ["ناونع"]);
    let from_dash = qari(&["-", "--no-pad", "--no-shape"], "عنوان\n".as_bytes());
    assert_eq!(lines(&from_dash), ["ناونع"]);
}

fn fails_with_one_line(out: &Output, needle: &str) {
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_input_gets_one_line_and_a_failure_status() {
    fails_with_one_line(&qari(&["/no/such/file.txt"], b""), "no such file");
    let dir = tempfile::tempdir().unwrap();
    fails_with_one_line(&qari(&[dir.path().to_str().unwrap()], b""), "cannot read");
    // Windows-1256 Arabic, as old Arabic sites serve it: `--raw` takes text
    // as it is and refuses it, naming the likely encoding.
    fails_with_one_line(&qari(&["--raw"], WINDOWS_1256), "not valid UTF-8");
    fails_with_one_line(&qari(&[], b"\x7fELF\x02\x01\x01\0\0\0\0"), "binary");
}

/// السلام عليكم ورحمة الله, in windows-1256.
const WINDOWS_1256: &[u8] =
    b"\xc7\xe1\xd3\xe1\xc7\xe3 \xda\xe1\xed\xdf\xe3 \xe6\xd1\xcd\xe3\xc9 \xc7\xe1\xe1\xe5";

#[test]
fn articles_in_legacy_encodings_are_decoded() {
    let out = qari(&["--no-shape", "--no-pad", "--width", "60"], WINDOWS_1256);
    assert_eq!(lines(&out), ["هللا ةمحرو مكيلع مالسلا"]);
}

#[test]
fn empty_input_prints_nothing() {
    assert_eq!(stdout(&qari(&[], b"")), "");
    assert_eq!(stdout(&qari(&["--raw"], b"")), "");
}

#[test]
fn odd_widths_do_not_panic() {
    let text = "كلمة طويلة جداً «مقتبسة» 3.5% (مثال) 中文 😀\tنهاية";
    for width in ["0", "1", "2", "3", "10000"] {
        let out = qari(&["--raw", "--width", width], text.as_bytes());
        let w: usize = width.parse().unwrap();
        for line in lines(&out) {
            assert!(cells(&line) <= w.max(1), "width {width}: {line:?}");
        }
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let home = tempfile::tempdir().unwrap();
    let mut child = support::qari_command(home.path())
        .args(["render", "--raw", "--width", "20"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all("سطر من النص\n".repeat(200_000).as_bytes());
    });
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.is_empty());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

/// A whole file on one line (several MB) is laid out in pieces: it works,
/// every line fits, and no letter is lost.
#[test]
fn a_huge_single_line_renders() {
    let text = "قال المتحدث إن نسبة النمو بلغت 25% ".repeat(80_000);
    assert!(text.len() > 3 << 20);
    let out = qari(&["--raw", "--width", "60", "--no-shape"], text.as_bytes());
    let shown = stdout(&out);
    let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    assert_eq!(letters(&shown), letters(&text));
    for line in shown.lines() {
        assert!(cells(line) <= 60, "{line:?}");
    }
}
