//! Property: the cleaner loses nothing. Every non-blank input line ends up,
//! exactly once, as the title, the section, the byline, a paragraph or a
//! `removed` entry (datelines and source lines are kept in `removed` with
//! the reasons `date` and `source`, beside the metadata made from them).

use proptest::prelude::*;
use qari::article::clean::clean_lines;
use qari::article::{self, Format, Rules};
use std::collections::BTreeMap;
use std::path::Path;

/// Lines shaped like scraped news pages, so every rule fires often, plus
/// arbitrary text so nothing is missed.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("رئيس مجلس الإدارة والتحرير".to_string()),
        Just("رئيس مجلسى الإدارة والتحرير".to_string()),
        Just("رئيس التحرير".to_string()),
        Just("رئيس التحرير: هدى سالم".to_string()),
        Just("سامي منصور".to_string()),
        Just("العالم".to_string()),
        Just("اقتصاد".to_string()),
        Just("الجمعة 22 نوفمبر 2024".to_string()),
        Just("٣ تشرين الثاني ٢٠٢٣".to_string()),
        Just("نشر في: 12/05/2021 - 10:30 ص".to_string()),
        Just("تابع أحدث الأخبار عبر تطبيق google news".to_string()),
        Just("اقرأ أيضا: خبر آخر".to_string()),
        Just("شارك".to_string()),
        Just("طباعة".to_string()),
        Just("فيسبوك تويتر".to_string()),
        Just("125 مشاركة".to_string()),
        Just("كتب: عمر الحسيني".to_string()),
        Just("المصدر: رويترز".to_string()),
        Just("صورة أرشيفية".to_string()),
        Just("وزير الخارجية في جنيف".to_string()),
        Just("قال رئيس الوزراء إن الحكومة ستعلن خطة جديدة.".to_string()),
        Just("وأضاف أن المحادثات مع صندوق النقد الدولي مستمرة.".to_string()),
        Just("بغداد (أ ف ب) - بدأت الحملة أمس.".to_string()),
        Just("نيودلهي:".to_string()),
        Just("date 2025-08-23 عنوان الخبر".to_string()),
        Just("أخبار الشام: ارتفاع أسعار الزيت".to_string()),
        Just("".to_string()),
        Just("   ".to_string()),
        "[\\u0600-\\u06FF ]{0,40}",
        "[a-z0-9 .:/-]{0,30}",
        any::<String>().prop_map(|s| s.replace(['\n', '\r'], " ")),
    ]
}

fn multiset<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(i.to_string()).or_insert(0) += 1;
    }
    m
}

fn chars<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeMap<char, usize> {
    let mut m = BTreeMap::new();
    for c in items
        .into_iter()
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
    {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

fn accounted(
    title: Option<&str>,
    section: Option<&str>,
    byline: Option<&str>,
    paragraphs: &[article::Paragraph],
    removed: &[article::Removed],
) -> BTreeMap<String, usize> {
    multiset(
        title
            .into_iter()
            .chain(section)
            .chain(byline)
            .chain(paragraphs.iter().map(|p| p.text.as_str()))
            .chain(removed.iter().map(|r| r.text.as_str())),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_line_is_kept_or_removed(lines in prop::collection::vec(line(), 0..40)) {
        let rules = Rules::builtin();
        let c = clean_lines(lines.iter().map(String::as_str), rules);
        let input = multiset(lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()));
        let output = accounted(
            c.title.as_deref(),
            c.section.as_deref(),
            c.byline.as_deref(),
            &c.paragraphs,
            &c.removed,
        );
        prop_assert_eq!(input, output);
    }

    // The importer also cuts a line in two (a dateline, a site name or a
    // dataset's date prefix goes to `removed`, the rest stays), so here
    // what is kept is every character but whitespace, each exactly once.
    #[test]
    fn through_the_txt_importer_too(lines in prop::collection::vec(line(), 1..30)) {
        let text = lines.join("\r\n");
        let input = chars(
            text.split("\r\n").map(str::trim).filter(|l| !l.is_empty()),
        );
        match article::import_bytes(Path::new("no_such_line.txt"), text.as_bytes(), Format::Text, Rules::builtin()) {
            Ok(imp) => {
                let a = imp.article;
                // The file-name fallback title ("no such line") and a title
                // derived from the lead (a copy of its start) are not input
                // lines; a generated line equal to the name is too unlikely
                // to matter (the name "x" once was one).
                let title = if a.title == "no such line" || a.title_derived {
                    None
                } else {
                    Some(a.title.as_str())
                };
                let output = accounted(title, a.section.as_deref(), a.byline.as_deref(), &a.paragraphs, &a.removed);
                let output = chars(output.iter().flat_map(|(k, &n)| std::iter::repeat_n(k.as_str(), n)));
                prop_assert_eq!(input, output);
            }
            // Only an all-blank input (or one refused as binary, which any::<String>
            // can produce with control characters) may fail.
            Err(e) => prop_assert!(
                input.is_empty() || matches!(e, article::OpenError::Binary { .. }),
                "{}", e
            ),
        }
    }
}

/// Markup-ish text: fragments of HTML, Markdown and JSON glued at random,
/// so the parsers see broken nesting, stray quotes and half tags.
fn markupish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<div class=\"ad share\">".to_string()),
            Just("</div>".to_string()),
            Just("<p>".to_string()),
            Just("<h1>".to_string()),
            Just("<blockquote>".to_string()),
            Just("<script>".to_string()),
            Just("<!--".to_string()),
            Just("<meta property=\"article:published_time\" content=\"".to_string()),
            Just("# ".to_string()),
            Just("> ".to_string()),
            Just("---\ntitle: ".to_string()),
            Just("![".to_string()),
            Just("{\"title\": ".to_string()),
            Just("\"paragraphs\": [".to_string()),
            Just("]}".to_string()),
            Just("\n".to_string()),
            Just("الجمعة 22 نوفمبر 2024".to_string()),
            "[\\u0600-\\u06FF ]{0,20}",
            any::<String>(),
        ],
        0..30,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// No importer panics on any input, text or bytes; each either gives an
    /// article or an error with a message.
    #[test]
    fn importers_never_panic(text in markupish(), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for format in [Format::Text, Format::Markdown, Format::Html, Format::Json] {
            for input in [text.as_bytes(), &bytes[..]] {
                match article::import_bytes(Path::new("p.x"), input, format, Rules::builtin()) {
                    Ok(imp) => prop_assert!(!imp.article.title.is_empty() || !imp.article.paragraphs.is_empty()),
                    Err(e) => prop_assert!(!e.to_string().is_empty()),
                }
            }
        }
    }
}
