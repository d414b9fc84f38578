//! The library: scanning, sorting, skipping with notes, and the cache.

use qari::article::{Library, Rules};
use qari::store::Dirs;
use std::fs;
use std::path::Path;
use std::time::Duration;

fn article(date: &str, section: &str, title: &str) -> String {
    format!(
        "{date}\n\n{section}\n\n{title}\n\nقال المتحدث باسم الحكومة إن الخطة تبدأ الشهر المقبل.\n"
    )
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf, Dirs) {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    fs::create_dir_all(lib.join("2024/نوفمبر")).unwrap();
    fs::write(
        lib.join("a.txt"),
        article("الجمعة 22 نوفمبر 2024", "العالم", "بوتين يلتقي شي في موسكو"),
    )
    .unwrap();
    fs::write(
        lib.join("2024/نوفمبر/b.txt"),
        article("3 نوفمبر 2024", "اقتصاد", "ارتفاع أسعار الذهب"),
    )
    .unwrap();
    fs::write(
        lib.join("c.md"),
        "---\ndate: 2024-11-22\nsection: رياضة\n---\n# أمم أفريقيا تنطلق في المغرب\n\nنص.\n",
    )
    .unwrap();
    fs::write(
        lib.join("undated.json"),
        r#"{"title": "بلا تاريخ", "paragraphs": ["نص"]}"#,
    )
    .unwrap();
    fs::write(lib.join("photo.jpg"), [0xFF, 0xD8, 0xFF, 0x00]).unwrap();
    fs::write(lib.join(".hidden.txt"), "مخفي").unwrap();
    fs::create_dir(lib.join("folder.txt")).unwrap();
    fs::write(
        lib.join("folder.txt/inside.txt"),
        article("1 يناير 2020", "ثقافة", "معرض الكتاب"),
    )
    .unwrap();
    let dirs = Dirs::under(&tmp.path().join("xdg"));
    (tmp, lib, dirs)
}

fn titles(l: &Library) -> Vec<&str> {
    l.entries.iter().map(|e| e.title.as_str()).collect()
}

#[test]
fn scan_sorts_newest_first_then_title_and_notes_skips() {
    let (_tmp, lib, dirs) = setup();
    let (l, notes) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(
        titles(&l),
        [
            "أمم أفريقيا تنطلق في المغرب",
            "بوتين يلتقي شي في موسكو",
            "ارتفاع أسعار الذهب",
            "معرض الكتاب",
            "بلا تاريخ",
        ]
    );
    let e = &l.entries[1];
    assert_eq!(e.date.as_deref(), Some("2024-11-22"));
    assert_eq!(e.section.as_deref(), Some("العالم"));
    assert_eq!(e.words, 5 + 9);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].path.ends_with("photo.jpg"));
    assert!(notes[0].to_string().contains(".jpg files"), "{}", notes[0]);
}

#[test]
fn reopening_reads_no_bodies() {
    let (_tmp, lib, dirs) = setup();
    let (first, _) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(first.stats.imported, 5);
    assert!(Library::cache_path(&lib, &dirs).starts_with(&dirs.cache));

    // Same size, same mtime, different bytes: a scan that read bodies would
    // see the new title. The cache answers instead.
    let a = lib.join("a.txt");
    let mtime = fs::metadata(&a).unwrap().modified().unwrap();
    let old = fs::read_to_string(&a).unwrap();
    let same_len = old
        .replace("بوتين", "ترامب")
        .replace("في موسكو", "في باريس");
    assert_eq!(old.len(), same_len.len());
    fs::write(&a, &same_len).unwrap();
    fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let (second, notes) = Library::open(&lib, &dirs, Rules::builtin());
    assert!(
        notes.iter().all(|n| n.path.ends_with("photo.jpg")),
        "{notes:?}"
    );
    assert_eq!(second.stats.imported, 0);
    assert_eq!(second.stats.cached, 5);
    assert_eq!(titles(&second), titles(&first));

    // A real change (new mtime) is picked up, and only that file is read.
    std::thread::sleep(Duration::from_millis(20));
    fs::write(&a, &same_len).unwrap();
    let (third, _) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(third.stats.imported, 1);
    assert!(titles(&third).contains(&"ترامب يلتقي شي في باريس"));

    // A new file is imported alone and sorted into place.
    fs::write(
        lib.join("2024/new.txt"),
        article("1 ديسمبر 2024", "سياسة", "قمة عربية في الرياض"),
    )
    .unwrap();
    let (added, _) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(added.stats.imported, 1);
    assert_eq!(added.entries[0].title, "قمة عربية في الرياض");
    fs::remove_file(lib.join("2024/new.txt")).unwrap();

    // A deleted file disappears from the listing.
    fs::remove_file(lib.join("c.md")).unwrap();
    let (fourth, _) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(fourth.entries.len(), 4);
    assert_eq!(fourth.stats.imported, 0);
}

#[test]
fn failures_are_cached_and_still_reported() {
    let (_tmp, lib, dirs) = setup();
    fs::write(lib.join("broken.json"), "{\"title\": ").unwrap();
    fs::write(lib.join("empty.txt"), "").unwrap();
    for round in 0..2 {
        let (l, notes) = Library::open(&lib, &dirs, Rules::builtin());
        assert_eq!(l.stats.imported, if round == 0 { 7 } else { 0 });
        let msgs: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("broken.json") && m.contains("line 1")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("empty.txt") && m.contains("empty")),
            "{msgs:?}"
        );
    }
}

#[test]
fn corrupt_cache_is_set_aside_and_rebuilt() {
    let (_tmp, lib, dirs) = setup();
    Library::open(&lib, &dirs, Rules::builtin());
    let cache = Library::cache_path(&lib, &dirs);
    fs::write(&cache, b"{\"version\": 1, \"files\": [trunc").unwrap();
    let (l, notes) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(l.entries.len(), 5);
    assert_eq!(l.stats.imported, 5);
    let note = notes
        .iter()
        .find(|n| n.path == cache)
        .expect("a note about the cache");
    assert!(note.message.contains("corrupt"), "{note}");
    let aside: Vec<_> = fs::read_dir(cache.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    // The rebuilt cache is good again.
    let (l, notes) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(l.stats.imported, 0);
    assert!(notes.iter().all(|n| n.path != cache));
}

#[test]
fn new_rules_rebuild_the_cache() {
    let (tmp, lib, dirs) = setup();
    Library::open(&lib, &dirs, Rules::builtin());
    let conf = tmp.path().join("conf");
    fs::create_dir(&conf).unwrap();
    fs::write(
        conf.join("cleaning.toml"),
        "[sections]\nnames = [\"زراعة\"]\n",
    )
    .unwrap();
    let (rules, err) = Rules::with_user_file(&conf);
    assert!(err.is_none());
    let (l, _) = Library::open(&lib, &dirs, &rules);
    assert_eq!(l.stats.imported, 5);
}

/// Run `f` on a thread, failing (instead of hanging the suite) after 20 s.
fn within_time<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(f()).ok());
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the scan hung")
}

#[cfg(unix)]
#[test]
fn fifo_and_symlink_loops_are_skipped_without_hanging() {
    use std::os::unix::fs::symlink;
    let (tmp, lib, dirs) = setup();
    let fifo = lib.join("pipe.txt");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    symlink("self.txt", lib.join("self.txt")).unwrap();
    symlink("loop-b.txt", lib.join("loop-a.txt")).unwrap();
    symlink("loop-a.txt", lib.join("loop-b.txt")).unwrap();
    symlink("..", lib.join("2024/up")).unwrap();
    symlink("missing.txt", lib.join("dangling.txt")).unwrap();
    symlink(lib.join("a.txt"), lib.join("link-to-a.txt")).unwrap();
    let lib2 = lib.clone();
    let (l, notes) = within_time(move || Library::open(&lib2, &dirs, Rules::builtin()));
    drop(tmp);
    let find = |name: &str| {
        notes
            .iter()
            .find(|n| n.path.file_name().is_some_and(|f| f == name))
            .map(|n| n.message.clone())
            .unwrap_or_else(|| panic!("no note for {name}: {notes:?}"))
    };
    assert!(find("pipe.txt").contains("FIFO"));
    assert!(find("self.txt").contains("symbolic link loop"));
    assert!(find("loop-a.txt").contains("symbolic link loop"));
    assert!(find("up").contains("symbolic link loop"));
    assert!(find("dangling.txt").contains("broken symbolic link"));
    // A good symlink to an article is listed like the article.
    assert_eq!(l.entries.len(), 6);
    assert!(l.entries.iter().any(|e| e.path.ends_with("link-to-a.txt")));
}

#[test]
fn missing_folder_is_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = Dirs::under(tmp.path());
    let (l, notes) = Library::open(Path::new("/nonexistent/qari"), &dirs, Rules::builtin());
    assert!(l.entries.is_empty());
    assert!(notes[0].message.contains("cannot open the folder"));
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names_are_listed() {
    use std::os::unix::ffi::OsStrExt;
    let (_tmp, lib, dirs) = setup();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(lib.join(name), article("2 مايو 2023", "فن", "اسم ملف قديم")).unwrap();
    for round in 0..2 {
        let (l, notes) = Library::open(&lib, &dirs, Rules::builtin());
        assert_eq!(notes.len(), 1, "{notes:?}");
        let e = l
            .entries
            .iter()
            .find(|e| e.title == "اسم ملف قديم")
            .unwrap();
        assert_eq!(e.path.file_name().unwrap(), name);
        // Not cacheable (the cache is JSON text): imported every time.
        assert_eq!(l.stats.imported, if round == 0 { 6 } else { 1 });
        let json = serde_json::to_string(&l.entries).unwrap();
        assert!(json.contains("caf\u{FFFD}.txt"));
    }
}

/// An unreadable file: /proc/self/mem is a regular file whose reads at
/// offset 0 fail with EIO (permissions cannot make a file unreadable for
/// root, which the test may run as).
#[cfg(target_os = "linux")]
#[test]
fn unreadable_files_are_skipped_with_a_note() {
    let (_tmp, lib, dirs) = setup();
    std::os::unix::fs::symlink("/proc/self/mem", lib.join("mem.txt")).unwrap();
    let (l, notes) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(l.entries.len(), 5);
    let n = notes
        .iter()
        .find(|n| n.path.ends_with("mem.txt"))
        .unwrap_or_else(|| panic!("{notes:?}"));
    assert!(n.message.starts_with("skipped: "), "{n}");
    let err = qari::article::open(&lib.join("mem.txt"), &Rules::default()).unwrap_err();
    assert!(
        matches!(err, qari::article::OpenError::Io { .. }),
        "{err:?}"
    );
}

#[test]
fn a_hand_edited_cache_order_is_not_trusted() {
    let (_tmp, lib, dirs) = setup();
    let (first, _) = Library::open(&lib, &dirs, Rules::builtin());
    let cache = Library::cache_path(&lib, &dirs);
    let mut v: serde_json::Value = serde_json::from_slice(&fs::read(&cache).unwrap()).unwrap();
    v["order"] = serde_json::json!([0, 0, 0, 0, 0]);
    fs::write(&cache, serde_json::to_vec(&v).unwrap()).unwrap();
    let (second, notes) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(second.stats.imported, 0);
    assert_eq!(titles(&second), titles(&first));
    assert!(notes.iter().all(|n| n.path != cache), "{notes:?}");
    // The order is repaired in the cache.
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&cache).unwrap()).unwrap();
    let mut order: Vec<u64> = v["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    order.sort();
    assert_eq!(order, [0, 1, 2, 3, 4]);
}

#[test]
fn a_derived_title_stays_marked_through_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("lib");
    fs::create_dir_all(&lib).unwrap();
    // No headline line: the body opens with a dateline, so the title is cut
    // from the lead.
    fs::write(
        lib.join("lead.txt"),
        "الخرطوم (سونا) - أعلنت وزارة الصحة اليوم عن حملة تطعيم واسعة في ولايات البلاد كافة تبدأ الأسبوع المقبل وتستمر شهرا كاملا.\n\nوقال مسؤول في الوزارة إن الحملة تستهدف الأطفال.\n",
    )
    .unwrap();
    fs::write(
        lib.join("headline.txt"),
        "افتتاح معرض الكتاب في الرباط\n\nافتتح المعرض صباح اليوم بحضور عدد من الكتاب.\n",
    )
    .unwrap();
    let dirs = Dirs::under(&tmp.path().join("xdg"));
    let derived = |l: &Library| -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = l
            .entries
            .iter()
            .map(|e| {
                let name = e.path.file_name().unwrap().to_string_lossy().into_owned();
                (name, e.title_derived)
            })
            .collect();
        v.sort();
        v
    };
    let (cold, _) = Library::open(&lib, &dirs, Rules::builtin());
    let want = vec![
        ("headline.txt".to_string(), false),
        ("lead.txt".to_string(), true),
    ];
    assert_eq!(derived(&cold), want);
    let (warm, _) = Library::open(&lib, &dirs, Rules::builtin());
    assert_eq!(warm.stats.imported, 0, "the warm scan reads the cache");
    assert_eq!(derived(&warm), want);
}
