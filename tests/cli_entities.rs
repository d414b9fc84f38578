//! `qari entities` end to end: table, JSON, --raw, bad input.

mod support;

use std::process::Command;

fn qari() -> Command {
    // No user entity file from the machine running the tests.
    let home = tempfile::tempdir().unwrap().keep();
    support::qari_command(&home)
}

/// The first line is the article's title: its names are found too.
const TITLE: &str = "مصر ترحب بالمبادرة\n\n";
const ARTICLE: &str = "قال الرئيس المصري عبد الفتاح السيسي إن مصر ترحب بالمبادرة.\n\nوأكد السيسي أن وزارة الخارجية المصرية تتابع الوضع في مدينة حلب.\n";

#[test]
fn table_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, format!("{TITLE}{ARTICLE}")).unwrap();
    let out = qari().arg("entities").arg(&path).output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let first = table.lines().nth(1).unwrap();
    assert!(
        first.starts_with("person") && first.contains("عبد الفتاح السيسي"),
        "{table}"
    );
    assert!(table.contains("حلب"), "{table}");
    // مصر is first named in the headline.
    let egypt = table.lines().find(|l| l.contains("مصر ")).unwrap();
    assert!(
        egypt.starts_with("place") && egypt.ends_with("title"),
        "{table}"
    );

    let out = qari()
        .args(["entities", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sisi = &v[0];
    assert_eq!(sisi["kind"], "person");
    assert_eq!(sisi["count"], 2);
    let m = &sisi["mentions"][1];
    assert_eq!(m["block"]["paragraph"], 1);
    let para = ARTICLE.split("\n\n").nth(1).unwrap();
    let (s, e) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&para[s..e], "السيسي");
    // Every way the article names him, once each, first use first.
    assert_eq!(
        sisi["forms"],
        serde_json::json!(["عبد الفتاح السيسي", "السيسي"])
    );
    // A title mention: offsets into the headline, counted with the others.
    let egypt = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["text"] == "مصر")
        .expect("مصر");
    assert_eq!(egypt["count"], 2, "{egypt}");
    let m = &egypt["mentions"][0];
    assert_eq!(m["block"], "title", "{egypt}");
    let title = TITLE.trim();
    let (s, e) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&title[s..e], "مصر");
    assert_eq!(egypt["mentions"][1]["block"]["paragraph"], 0, "{egypt}");
}

#[test]
fn raw_mode_keeps_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "سطر أول\nقال الرئيس الأمريكي جو بايدن إن\n").unwrap();
    let out = qari()
        .args(["entities", "--json", "--raw"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // No title with --raw: the first line is paragraph 0.
    assert_eq!(v[0]["mentions"][0]["block"]["paragraph"], 1, "{v}");
}

#[test]
fn bad_input_is_one_line_and_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bin.dat");
    std::fs::write(&path, b"\xff\xfe\x00\x01\x1b[2J").unwrap();
    for p in [path.clone(), dir.path().join("missing.txt")] {
        let out = qari().arg("entities").arg(&p).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("qari entities: "), "{err}");
        assert!(!err.contains('\u{1b}'));
    }
}

#[test]
fn broken_user_file_warns_and_falls_back() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/qari");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("entities.toml"),
        "[[names]]\ntext = \"x\"\nkind = 3\n",
    )
    .unwrap();
    let path = home.path().join("a.txt");
    std::fs::write(&path, format!("{TITLE}{ARTICLE}")).unwrap();
    let out = support::qari_command(home.path())
        .arg("entities")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("entities.toml:3:8"), "{err}");
    assert!(String::from_utf8(out.stdout).unwrap().contains("حلب"));

    // The whole library (`qari entities DIR`) says so too.
    let lib = home.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(lib.join("a.txt"), format!("{TITLE}{ARTICLE}")).unwrap();
    let out = support::qari_command(home.path())
        .arg("entities")
        .arg(&lib)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("entities.toml:3:8"), "{err}");
    assert!(String::from_utf8(out.stdout).unwrap().contains("حلب"));
}

#[test]
fn user_names_are_found() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/qari");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("entities.toml"),
        "suppress = [\"حلب\"]\n[[names]]\ntext = \"دار الشروق\"\nkind = \"org\"\n",
    )
    .unwrap();
    let path = home.path().join("a.txt");
    std::fs::write(&path, "كتاب جديد\n\nأصدرت دار الشروق كتابا عن مدينة حلب.\n").unwrap();
    let out = support::qari_command(home.path())
        .args(["entities", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let texts: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["دار الشروق"]);
}
