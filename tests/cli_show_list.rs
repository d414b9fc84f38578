//! End-to-end runs of `qari show` and `qari list`.

mod support;

use std::fs;
use std::process::Command;

fn qari(home: &std::path::Path) -> Command {
    support::qari_command(home)
}

#[test]
fn list_prints_one_line_per_article_and_notes_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("articles");
    fs::create_dir(&lib).unwrap();
    fs::write(
        lib.join("a.txt"),
        "السبت 1 مارس 2025\n\nرياضة\n\nالهلال يفوز بالدوري\n\nنص الخبر.\n",
    )
    .unwrap();
    fs::write(
        lib.join("b.json"),
        r#"{"title": "قمة في الدوحة", "date": "2025-04-02", "section": "سياسة", "body": "نص"}"#,
    )
    .unwrap();
    fs::write(lib.join("notes.pdf"), "x").unwrap();

    // Default folder: ./articles.
    let out = qari(tmp.path())
        .arg("list")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "2025-04-02\tسياسة\tقمة في الدوحة\tarticles/b.json",
            "2025-03-01\tرياضة\tالهلال يفوز بالدوري\tarticles/a.txt",
        ]
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("notes.pdf") && stderr.contains(".pdf files"),
        "{stderr}"
    );
    assert!(
        tmp.path().join("cache/qari").read_dir().unwrap().count() == 1,
        "cache written"
    );

    let out = qari(tmp.path())
        .args(["list", "--json"])
        .arg(&lib)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["title"], "قمة في الدوحة");
    assert_eq!(arr[1]["section"], "رياضة");
    assert_eq!(arr[1]["words"], 5);

    let out = qari(tmp.path())
        .args(["list", "no-such-dir"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));
}

#[test]
fn show_plain_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("a.txt");
    fs::write(
        &p,
        "رئيس التحرير\nمنى سعيد\n\nالعالم\n\nقمة المناخ في باكو\n\nافتتحت قمة المناخ في باكو.\n",
    )
    .unwrap();
    let out = qari(tmp.path()).arg("show").arg(&p).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "قمة المناخ في باكو\nsection: العالم\n\nافتتحت قمة المناخ في باكو.\n\n(2 line(s) removed by the cleaner; `qari show --json` lists them)\n"
    );
    let out = qari(tmp.path())
        .args(["show", "--json"])
        .arg(&p)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["removed"][1]["text"], "منى سعيد");
    assert_eq!(v["removed"][1]["reason"], "masthead");
    assert_eq!(v["paragraphs"][0]["kind"], "body");
    assert!(v["date"].is_null());

    let out = qari(tmp.path())
        .arg("show")
        .arg(tmp.path().join("x.docx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("qari: ") && err.contains("No such file"),
        "{err}"
    );
}

#[test]
fn a_broken_user_rules_file_is_reported_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("config/qari")).unwrap();
    fs::write(tmp.path().join("config/qari/cleaning.toml"), "[promo\n").unwrap();
    let p = tmp.path().join("a.txt");
    fs::write(&p, "عنوان\n\nنص.\n").unwrap();
    let out = qari(tmp.path()).arg("show").arg(&p).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cleaning.toml") && err.contains("ignoring"),
        "{err}"
    );
}

/// Every run in this suite goes through `support::qari_command`: even with
/// a developer's broken `cleaning.toml` in the environment the tests
/// inherit, nothing reports it and nothing is cached in that home.
#[test]
fn the_test_helper_keeps_runs_away_from_the_developers_home() {
    let dev = tempfile::tempdir().unwrap();
    let conf = dev.path().join("config/qari");
    fs::create_dir_all(&conf).unwrap();
    fs::write(conf.join("cleaning.toml"), "[promo\nprefixes = 1\n").unwrap();
    let lib = dev.path().join("lib");
    fs::create_dir(&lib).unwrap();
    let article = lib.join("a.txt");
    fs::write(&article, "عنوان الخبر\n\nنص قصير عن الطقس في القاهرة.\n").unwrap();
    let as_developer = |cmd: &mut Command| {
        for (k, dir) in [
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_STATE_HOME", "state"),
        ] {
            cmd.env(k, dev.path().join(dir));
        }
        cmd.env("HOME", dev.path());
    };
    let stderr = |cmd: &mut Command| {
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };

    // Not isolated: the developer's file is read (what the check below
    // would catch).
    let mut plain = Command::new(env!("CARGO_BIN_EXE_qari"));
    as_developer(&mut plain);
    let err = stderr(plain.arg("show").arg(&article));
    assert!(err.contains("cleaning.toml"), "{err}");

    let home = tempfile::tempdir().unwrap();
    for args in [&["show"][..], &["list"][..]] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_qari"));
        as_developer(&mut cmd);
        support::isolate(&mut cmd, home.path());
        let target = if args == ["show"] { &article } else { &lib };
        let err = stderr(cmd.args(args).arg(target));
        assert!(!err.contains("cleaning.toml"), "{err}");
    }
    assert!(!dev.path().join("cache").exists());
    assert!(home.path().join("cache/qari").is_dir());
}
