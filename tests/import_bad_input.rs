//! Bad input gets a clear message (or a sane article), never a panic, a hang
//! or unbounded memory.

mod support;

use qari::article::{self, OpenError, Rules, MAX_ARTICLE_BYTES};
use std::io::Write;

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn empty_and_blank_files() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("blank.txt", b"  \n\r\n\t\n"),
        ("bom.md", b"\xEF\xBB\xBF"),
        ("empty.json", b""),
        ("empty.html", b"   "),
    ] {
        let err = article::open(&write(&dir, name, bytes), &Rules::default()).unwrap_err();
        assert!(matches!(err, OpenError::Empty { .. }), "{name}: {err:?}");
        assert!(err.to_string().ends_with("the file is empty"), "{err}");
    }
}

#[test]
fn binary_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A PNG header, and random-ish bytes with NULs.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for (name, data) in [("image.txt", &png[..]), ("noise.md", &bytes[..])] {
        let err = article::open(&write(&dir, name, data), &Rules::default()).unwrap_err();
        assert!(matches!(err, OpenError::Binary { .. }), "{name}: {err:?}");
        assert!(err.to_string().contains("binary"), "{err}");
    }
}

#[test]
fn utf16_bom_over_garbage_is_undecodable() {
    let dir = tempfile::tempdir().unwrap();
    // A UTF-16LE BOM followed by lone low surrogates.
    let mut bytes = vec![0xFF, 0xFE];
    for _ in 0..200 {
        bytes.extend([0x00, 0xDC]);
    }
    let err = article::open(&write(&dir, "a.txt", &bytes), &Rules::default()).unwrap_err();
    assert!(matches!(err, OpenError::Undecodable { .. }), "{err:?}");
    assert!(err.to_string().contains("UTF-16LE"), "{err}");
}

#[test]
fn a_100_mb_file_is_refused_from_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.txt");
    {
        // Real text at the start, then extended to 100 MiB (sparse, so the
        // test costs no disk time; the refusal comes from the size anyway).
        let mut f = std::fs::File::create(&p).unwrap();
        let line = "سطر من نص طويل جدا يتكرر لملء الملف حتى يبلغ مئة ميغابايت\n".repeat(1000);
        f.write_all(line.as_bytes()).unwrap();
        f.set_len(100 * 1024 * 1024).unwrap();
    }
    let started = std::time::Instant::now();
    let err = article::open(&p, &Rules::default()).unwrap_err();
    assert!(matches!(err, OpenError::TooLarge { limit, .. } if limit == MAX_ARTICLE_BYTES));
    let msg = err.to_string();
    assert!(
        msg.contains("100.0 MiB") && msg.contains("32.0 MiB"),
        "{msg}"
    );
    // Refused from metadata: no reading, so well under a second even in debug.
    assert!(started.elapsed().as_secs() < 5);

    // In a library it is a note, and the other articles are listed.
    std::fs::write(dir.path().join("ok.txt"), "عنوان\n\nنص.\n").unwrap();
    let dirs = qari::store::Dirs::under(&dir.path().join("xdg"));
    let (lib, notes) = qari::article::Library::open(dir.path(), &dirs, Rules::builtin());
    assert_eq!(lib.entries.len(), 1);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].message.contains("larger than"), "{}", notes[0]);

    // Just over the limit is refused too, just under is read.
    let edge = dir.path().join("edge.txt");
    let f = std::fs::File::create(&edge).unwrap();
    f.set_len(MAX_ARTICLE_BYTES + 1).unwrap();
    assert!(matches!(
        article::open(&edge, &Rules::default()),
        Err(OpenError::TooLarge { .. })
    ));
}

#[test]
fn one_2_mb_line_imports() {
    let dir = tempfile::tempdir().unwrap();
    let words = [
        "القاهرة",
        "بيروت",
        "الرباط",
        "تونس",
        "عمان",
        "بغداد",
        "دمشق",
        "الدوحة",
    ];
    let mut line = String::new();
    let mut i = 0;
    while line.len() < 2 * 1024 * 1024 {
        line.push_str(words[i % words.len()]);
        line.push(' ');
        i += 1;
    }
    for (name, text) in [
        ("long.txt", format!("عنوان قصير\n{line}\n")),
        ("long.md", format!("# عنوان قصير\n\n{line}\n")),
    ] {
        let p = write(&dir, name, text.as_bytes());
        let a = article::open_detailed(&p, Rules::builtin())
            .unwrap()
            .article;
        assert_eq!(a.paragraphs.len(), 1, "{name}");
        assert_eq!(a.paragraphs[0].text.len(), line.trim_end().len());
    }
    // Without a headline the 2 MB line is body, and the title is derived
    // from its start (cut at a word, marked derived).
    let p = write(&dir, "no-title.txt", line.as_bytes());
    let a = article::open(&p, &Rules::default()).unwrap();
    assert!(a.title_derived);
    assert!(a.title.ends_with('…'), "{}", a.title);
    assert!(line.starts_with(a.title.trim_end_matches('…')));
    assert_eq!(a.paragraphs.len(), 1);
}

#[test]
fn deeply_nested_html_does_not_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let mut html = String::from("<html><head><title>صفحة عميقة</title></head><body>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>فقرة في أعماق الصفحة.</p>");
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</body></html>");
    let p = write(&dir, "deep.html", html.as_bytes());
    // Run on a thread with a small stack: recursion would overflow it.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || article::open(&p, &Rules::default()))
        .unwrap();
    let a = handle.join().expect("no stack overflow").unwrap();
    assert_eq!(a.title, "صفحة عميقة");
    assert_eq!(a.paragraphs.len(), 1);
    assert_eq!(a.paragraphs[0].text, "فقرة في أعماق الصفحة.");

    // Inline and quote elements nested as deep take other paths in the
    // parser; they must be just as quick and safe.
    for tag in ["b", "blockquote", "span"] {
        let html = format!(
            "<h1>ع</h1>{}نص عميق{}",
            format!("<{tag}>").repeat(depth),
            format!("</{tag}>").repeat(depth)
        );
        let p = write(&dir, &format!("deep-{tag}.html"), html.as_bytes());
        let a = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || article::open(&p, &Rules::default()))
            .unwrap()
            .join()
            .expect("no stack overflow")
            .unwrap();
        assert_eq!(a.paragraphs.len(), 1, "{tag}");
        assert_eq!(a.paragraphs[0].text, "نص عميق", "{tag}");
    }

    // Deep blockquotes in Markdown too.
    let md = format!("# ع\n\n{}نص مقتبس\n", "> ".repeat(10_000));
    let p = write(&dir, "deep.md", md.as_bytes());
    let a = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || article::open(&p, &Rules::default()))
        .unwrap()
        .join()
        .expect("no stack overflow")
        .unwrap();
    assert_eq!(a.paragraphs[0].text, "نص مقتبس");
}

#[test]
fn control_characters_survive_import_but_not_plain_output() {
    // Import keeps the text (nothing lost); the show command sanitises.
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "esc.txt",
        "عنوان \x1b[31mأحمر\n\nنص \u{9b}2J عادي.\n".as_bytes(),
    );
    let a = article::open(&p, &Rules::default()).unwrap();
    assert!(a.title.contains('\x1b'));
    let out = support::qari_command(dir.path())
        .arg("show")
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\u{9b}'),
        "{stdout:?}"
    );
    let out = support::qari_command(dir.path())
        .args(["show", "--json"])
        .arg(&p)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\u{9b}'),
        "{stdout:?}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        v["title"].as_str().unwrap(),
        a.title,
        "escaped JSON means the same text"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipe.txt");
    let status = std::process::Command::new("mkfifo")
        .arg(&p)
        .status()
        .unwrap();
    assert!(status.success());
    let err = article::open(&p, &Rules::default()).unwrap_err();
    assert!(err.to_string().contains("FIFO"), "{err}");
}
