//! One fixture per format, checked field by field.

use qari::article::{self, OpenError, ParagraphKind, Rules};
use std::path::Path;

fn open(name: &str) -> article::Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(name);
    article::open_detailed(&path, Rules::builtin())
        .unwrap_or_else(|e| panic!("{e}"))
        .article
}

fn texts(a: &article::Article) -> Vec<(&str, ParagraphKind)> {
    a.paragraphs
        .iter()
        .map(|p| (p.text.as_str(), p.kind))
        .collect()
}

fn removed(a: &article::Article) -> Vec<(&str, &str)> {
    a.removed
        .iter()
        .map(|r| (r.text.as_str(), r.reason.as_str()))
        .collect()
}

#[test]
fn scraped_text_with_masthead() {
    let a = open("scraped.txt");
    assert_eq!(
        a.title,
        "قناة السويس تسجل ارتفاعا في عدد السفن العابرة خلال فبراير"
    );
    assert_eq!(a.date.as_deref(), Some("2025-03-12"));
    assert_eq!(a.section.as_deref(), Some("اقتصاد"));
    assert_eq!(
        texts(&a)[0],
        ("سفينة حاويات في قناة السويس", ParagraphKind::Caption)
    );
    assert_eq!(a.paragraphs.len(), 4);
    assert!(a.paragraphs[1..]
        .iter()
        .all(|p| p.kind == ParagraphKind::Body));
    let r = removed(&a);
    assert_eq!(r.iter().filter(|x| x.1 == "masthead").count(), 8, "{r:?}");
    assert!(r.contains(&("سفينة حاويات في قناة السويس", "duplicate")));
    assert!(r.contains(&("تابع أحدث الأخبار عبر تطبيق google news", "promo")));
    assert!(r.contains(&("اقرأ أيضا: البورصة المصرية تغلق على ارتفاع", "promo")));
    assert!(r.contains(&("شارك", "chrome")));
    assert!(r.contains(&("طباعة", "chrome")));
    assert!(r.contains(&("الأربعاء 12 مارس 2025", "date")));
    assert_eq!(r.len(), 14);
}

#[test]
fn html_page_with_navigation_share_bar_scripts_and_ads() {
    let a = open("page.html");
    assert_eq!(a.title, "وزراء الطاقة العرب يجتمعون في الرياض");
    assert_eq!(a.date.as_deref(), Some("2025-01-20"));
    assert_eq!(a.section.as_deref(), Some("اقتصاد"));
    assert_eq!(a.source.as_deref(), Some("موقع الأنباء"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://example.com/news/energy-riyadh")
    );
    assert_eq!(a.byline.as_deref(), Some("كتب: سامر الحداد"));
    assert_eq!(
        texts(&a),
        vec![
            (
                "وزير الطاقة السعودي الأمير عبد العزيز بن سلمان",
                ParagraphKind::Caption
            ),
            (
                "بدأ وزراء الطاقة العرب اجتماعهم في الرياض لبحث أمن الإمدادات وأسعار النفط.",
                ParagraphKind::Body
            ),
            (
                "وقال الأمين العام لمنظمة أوبك هيثم الغيص إن الطلب العالمي سيواصل النمو.",
                ParagraphKind::Body
            ),
            ("تحديات التحول", ParagraphKind::Heading),
            ("نحن ملتزمون بتوازن السوق.", ParagraphKind::Quote),
            ("وتختتم أعمال الاجتماع غدا ببيان مشترك.", ParagraphKind::Body),
        ]
    );
    let r = removed(&a);
    let reasons: Vec<&str> = r.iter().map(|x| x.1).collect();
    assert_eq!(
        reasons,
        [
            "html nav",
            "html .ad",
            "html .share",
            "html aside",
            "html footer",
            "promo"
        ]
    );
    // Script bodies are neither paragraphs nor removed "lines".
    let all = format!("{a:?}");
    assert!(!all.contains("dataLayer") && !all.contains("لا يظهر"));
}

#[test]
fn markdown_with_front_matter() {
    let a = open("note.md");
    assert_eq!(a.title, "مهرجان القاهرة السينمائي يعلن أفلام المسابقة");
    assert_eq!(a.date.as_deref(), Some("2024-11-13"));
    assert_eq!(a.section.as_deref(), Some("فن"));
    assert_eq!(a.byline.as_deref(), Some("نور الهدى سليم"));
    assert_eq!(a.source.as_deref(), Some("وكالة أنباء الشرق الأوسط"));
    assert_eq!(
        texts(&a),
        vec![
            ("عنوان يظهر كعنوان فرعي", ParagraphKind::Heading),
            ("أعلنت إدارة مهرجان القاهرة السينمائي الدولي قائمة الأفلام المشاركة في المسابقة الرسمية، وتضم أعمالا من المغرب وتونس ولبنان.", ParagraphKind::Body),
            ("ملصق الدورة الجديدة للمهرجان", ParagraphKind::Caption),
            ("لجنة التحكيم", ParagraphKind::Heading),
            ("السينما العربية تعيش لحظة مهمة.", ParagraphKind::Quote),
            ("فيلم من المغرب", ParagraphKind::Body),
            ("فيلم من تونس", ParagraphKind::Body),
        ]
    );
    assert_eq!(
        removed(&a),
        vec![("اقرأ أيضًا: أفلام الدورة الماضية", "promo")]
    );
}

#[test]
fn markdown_without_front_matter_takes_the_first_h1() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.md");
    std::fs::write(
        &p,
        "# زلزال في تركيا\n\n**الخميس 6 فبراير 2025**\n\nضرب زلزال جنوب تركيا.\n",
    )
    .unwrap();
    let a = article::open_detailed(&p, Rules::builtin())
        .unwrap()
        .article;
    assert_eq!(a.title, "زلزال في تركيا");
    assert_eq!(a.date.as_deref(), Some("2025-02-06"));
    assert_eq!(
        texts(&a),
        vec![("ضرب زلزال جنوب تركيا.", ParagraphKind::Body)]
    );
}

#[test]
fn json_export() {
    let a = open("export.json");
    assert_eq!(a.title, "الأمم المتحدة تحذر من موجة جفاف في القرن الأفريقي");
    assert_eq!(a.date.as_deref(), Some("2024-06-05"));
    assert_eq!(a.section.as_deref(), Some("العالم"));
    assert_eq!(a.source.as_deref(), Some("رويترز"));
    assert_eq!(a.byline.as_deref(), Some("فريق التحرير"));
    assert_eq!(a.url.as_deref(), Some("https://example.org/un-drought"));
    assert_eq!(
        texts(&a)[1..3],
        [
            ("الأرقام", ParagraphKind::Heading),
            (
                "لم نر موسما بهذا السوء منذ أربعين عاما",
                ParagraphKind::Quote
            )
        ]
    );
    assert_eq!(a.paragraphs.len(), 4);
    assert_eq!(removed(&a), vec![("شارك", "chrome")]);
}

#[test]
fn json_body_string_and_bad_date() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("b.json");
    std::fs::write(
        &p,
        r#"{"title": "ت", "date": "قريبا", "body": "فقرة أولى\nتكملة الفقرة.\n\nفقرة ثانية."}"#,
    )
    .unwrap();
    let imp = article::open_detailed(&p, Rules::builtin()).unwrap();
    assert_eq!(imp.article.date, None);
    assert!(imp.warnings[0].contains("قريبا"), "{:?}", imp.warnings);
    assert_eq!(
        texts(&imp.article),
        vec![
            ("فقرة أولى تكملة الفقرة.", ParagraphKind::Body),
            ("فقرة ثانية.", ParagraphKind::Body)
        ]
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles/malformed.json");
    let err = article::open(&path, &Rules::default()).unwrap_err();
    match &err {
        OpenError::MalformedJson { line, .. } => assert_eq!(*line, 6),
        other => panic!("{other:?}"),
    }
    let msg = err.to_string();
    assert!(
        msg.contains("malformed.json") && msg.contains("line 6"),
        "{msg}"
    );

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("wrong.json");
    std::fs::write(&p, "{\n  \"title\": 5\n}").unwrap();
    let msg = article::open(&p, &Rules::default())
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("line 2") && msg.contains("invalid type"),
        "{msg}"
    );
    std::fs::write(&p, "[1, 2]").unwrap();
    assert!(matches!(
        article::open(&p, &Rules::default()),
        Err(OpenError::MalformedJson { .. })
    ));
}

#[test]
fn unsupported_extension_and_directories() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("photo.jpg");
    std::fs::write(&p, "not really").unwrap();
    let msg = article::open(&p, &Rules::default())
        .unwrap_err()
        .to_string();
    assert!(msg.contains(".jpg") && msg.contains(".txt, .md"), "{msg}");
    let d = dir.path().join("folder.txt");
    std::fs::create_dir(&d).unwrap();
    let err = article::open(&d, &Rules::default()).unwrap_err();
    assert!(err.to_string().contains("is a directory"), "{err}");
    let missing = article::open(&dir.path().join("nope.txt"), &Rules::default()).unwrap_err();
    assert!(matches!(missing, OpenError::NotFound { .. }), "{missing:?}");
    assert!(
        missing
            .to_string()
            .ends_with("nope.txt: No such file or directory"),
        "{missing}"
    );
    use std::os::unix::fs::PermissionsExt;
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "نص").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Mode 000 does not stop root (CI containers): nothing to check then.
    if std::fs::read(&secret).is_err() {
        let err = article::open(&secret, &Rules::default()).unwrap_err();
        assert!(matches!(err, OpenError::PermissionDenied { .. }), "{err:?}");
        assert!(err.to_string().ends_with(": Permission denied"), "{err}");
    }
}
