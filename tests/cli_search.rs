//! `qari search`: output format, exit codes and hostile queries.

mod support;

use std::path::Path;
use std::process::Output;

fn qari(home: &Path, args: &[&str]) -> Output {
    support::qari_command(home)
        .args(args)
        .env_remove("QARI_BIDI")
        .output()
        .unwrap()
}

fn library(root: &Path) -> String {
    let dir = root.join("lib");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("visit.txt"),
        "زيارة إلى الإسكندرية\n\nوصل الوفد إلى الإسكندرية صباح اليوم في زيارة رسمية.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("prices.txt"),
        "أخبار الاقتصاد\n\nارتفعت الأسعار في القاهرة.\n\nوفي الاسكندريه تراجعت الأسعار.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("weather.txt"),
        "الطقس\n\nأمطار على السواحل الشمالية.\n",
    )
    .unwrap();
    dir.to_string_lossy().into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn one_article_a_line_best_first_with_a_snippet() {
    let home = tempfile::tempdir().unwrap();
    let dir = library(home.path());
    let out = qari(home.path(), &["search", "الاسكندرية", &dir]);
    assert!(out.status.success(), "{out:?}");
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let first: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(first.len(), 4, "{text}");
    assert_eq!(first[2], "زيارة إلى الإسكندرية");
    assert!(first[3].ends_with("visit.txt"));
    assert!(first[0].parse::<f64>().unwrap() > 0.0);
    assert!(lines[1].contains("الإسكندرية"), "{text}");
    assert!(lines[2].ends_with("prices.txt"), "{text}");
    // The folded variant is what the snippet shows.
    assert!(lines[3].contains("الاسكندريه"), "{text}");
    // Warm: same answer from the saved index.
    let again = qari(home.path(), &["search", "الاسكندرية", &dir]);
    assert_eq!(stdout(&again), text);
}

#[test]
fn json_has_hits_with_byte_offsets() {
    let home = tempfile::tempdir().unwrap();
    let dir = library(home.path());
    let out = qari(
        home.path(),
        &["search", "--json", "\"تراجعت الأسعار\"", &dir],
    );
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 1);
    assert_eq!(arr[0]["title"], "أخبار الاقتصاد");
    let hit = &arr[0]["hits"][0];
    let para = "وفي الاسكندريه تراجعت الأسعار.";
    let (s, e) = (
        hit["start"].as_u64().unwrap() as usize,
        hit["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(hit["paragraph"], 1);
    assert_eq!(&para[s..e], "تراجعت الأسعار");
}

#[test]
fn no_match_is_exit_1_and_bad_queries_exit_2_without_echo() {
    let home = tempfile::tempdir().unwrap();
    let dir = library(home.path());
    let out = qari(home.path(), &["search", "برشلونة", &dir]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let out = qari(home.path(), &["search", "\u{064E}\u{0651}،!", &dir]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no words"), "{err}");
    let long = "كلمة ".repeat(2000);
    let out = qari(home.path(), &["search", &long, &dir]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2000 words") && err.len() < 200, "{err}");
    // Bidi controls and escape sequences never reach the output raw.
    let out = qari(
        home.path(),
        &["search", "\u{202E}\u{1b}]0;x\u{7}\u{1b}[2J", &dir],
    );
    for stream in [&out.stdout, &out.stderr] {
        let s = String::from_utf8_lossy(stream);
        assert!(!s.contains('\u{1b}') && !s.contains('\u{202E}'), "{s:?}");
    }
}

#[test]
fn a_library_changed_between_searches_is_reindexed() {
    let home = tempfile::tempdir().unwrap();
    let dir = library(home.path());
    assert_eq!(
        qari(home.path(), &["search", "أمطار", &dir]).status.code(),
        Some(0)
    );
    std::fs::remove_file(Path::new(&dir).join("weather.txt")).unwrap();
    std::fs::write(
        Path::new(&dir).join("new.txt"),
        "عاصفة\n\nأمطار غزيرة وسيول في المدينة.\n",
    )
    .unwrap();
    let out = qari(home.path(), &["search", "أمطار", &dir]);
    let text = stdout(&out);
    assert!(
        text.contains("new.txt") && !text.contains("weather.txt"),
        "{text}"
    );
}

#[test]
fn entities_of_a_folder_merge_across_articles() {
    let home = tempfile::tempdir().unwrap();
    let dir = library(home.path());
    let out = qari(
        home.path(),
        &["entities", "--json", "--kind", "place", &dir],
    );
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert!(arr.iter().all(|e| e["kind"] == "place"), "{v}");
    let alex = arr
        .iter()
        .find(|e| e["text"].as_str().unwrap().contains("سكندري"))
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(alex["articles"], 2, "{v}");
}

/// The saved index files under `home` (`search-*.bin`, wherever the XDG
/// cache is).
fn index_files(home: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![home.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if name.starts_with("search-") && name.ends_with(".bin") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_damaged_record_is_noticed_and_the_index_rebuilt_for_the_same_answer() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("lib");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        (
            "one.txt",
            "سوق القاهرة\n\nارتفعت الأسعار في القاهرة اليوم.\n",
        ),
        ("two.txt", "نهر النيل\n\nيمر النيل في القاهرة قبل الدلتا.\n"),
        ("three.txt", "أخبار\n\nوصل الوفد إلى القاهرة مساء أمس.\n"),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let dir = dir.to_string_lossy().into_owned();
    let first = qari(home.path(), &["search", "القاهرة", &dir]);
    assert!(first.status.success(), "{first:?}");
    let files = index_files(home.path());
    assert_eq!(files.len(), 1, "{files:?}");
    // The first word record starts right after the header (200 bytes):
    // the tables still read, the record does not.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    bytes[200..210].fill(0xff);
    std::fs::write(&files[0], &bytes).unwrap();
    let out = qari(home.path(), &["search", "القاهرة", &dir]);
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(stdout(&out), stdout(&first));
    // Rebuilt: quiet again.
    let again = qari(home.path(), &["search", "القاهرة", &dir]);
    assert!(again.stderr.is_empty(), "{again:?}");
    assert_eq!(stdout(&again), stdout(&first));
}
