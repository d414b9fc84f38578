//! JSON articles. The schema (also in the README):
//!
//! ```json
//! {
//!   "title": "…", "date": "2024-11-22", "section": "…", "source": "…",
//!   "url": "https://…", "byline": "…",
//!   "paragraphs": ["…", {"text": "…", "kind": "heading"}]
//! }
//! ```
//!
//! Every field is optional. `paragraphs` holds strings or
//! `{ "text", "kind" }` objects (`kind`: body, heading, quote, caption);
//! instead of `paragraphs`, `body` may hold the whole text as one string
//! (paragraphs separated by blank lines, or by line breaks when there are no
//! blank lines). `date` is ISO 8601 or any date form the cleaner knows
//! (`22 نوفمبر 2024`). Other exporters' names are read when the schema's
//! own are absent (`headline`, `content`/`text`/`articleBody`,
//! `datePublished`/`published_at`, `link`, JSON-LD's `{"name": …}` authors
//! and publishers); other fields are ignored. A list of articles in one
//! file is refused with a message saying so.

use crate::article::clean::{filter_paragraphs, Known};
use crate::article::dates::parse_date_value;
use crate::article::import::html;
use crate::article::{Article, OpenError, Paragraph, ParagraphKind, Removed, Rules};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
struct JsonArticle {
    title: Option<String>,
    date: Option<String>,
    /// These three may be JSON-LD objects (`{"name": …}`) or lists.
    section: Option<serde_json::Value>,
    source: Option<serde_json::Value>,
    url: Option<String>,
    #[serde(alias = "author")]
    byline: Option<serde_json::Value>,
    paragraphs: Option<Vec<JsonParagraph>>,
    body: Option<String>,
    /// Every other field, for the names other exporters use (below).
    #[serde(flatten)]
    other: serde_json::Map<String, serde_json::Value>,
}

/// Field names scrapers, feeds and JSON-LD exports use for the schema's
/// fields, tried in order when the schema's own name is absent. Kept apart
/// from serde aliases: an export carrying both `title` and `headline` would
/// be a duplicate-field error with aliases.
const TITLE_NAMES: &[&str] = &["headline", "title_text", "name"];
const BODY_NAMES: &[&str] = &[
    "content",
    "text",
    "articleBody",
    "article_body",
    "article",
    "full_text",
    "fulltext",
    "body_text",
    "content_text",
    "story",
];
const DATE_NAMES: &[&str] = &[
    "datePublished",
    "date_published",
    "published",
    "published_at",
    "publishedAt",
    "publish_date",
    "publication_date",
    "pubDate",
    "pub_date",
    "created_at",
];
const SECTION_NAMES: &[&str] = &["articleSection", "category", "section_name"];
const SOURCE_NAMES: &[&str] = &["publisher", "site_name", "site", "outlet"];
const URL_NAMES: &[&str] = &["link", "canonical_url", "canonical", "permalink"];
const BYLINE_NAMES: &[&str] = &["authors", "writer"];

/// The text of a field that is a string, a `{"name": …}` object (JSON-LD's
/// author and publisher) or a list of those (joined with "، ").
fn text_of(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        Value::Object(o) => ["name", "text", "value", "@value"]
            .iter()
            .find_map(|k| o.get(*k).and_then(text_of)),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text_of).collect();
            (!parts.is_empty()).then(|| parts.join("، "))
        }
        _ => None,
    }
}

/// The first of `names` that `other` holds as text.
fn other_text(
    other: &serde_json::Map<String, serde_json::Value>,
    names: &[&str],
) -> Option<String> {
    names.iter().find_map(|n| other.get(*n).and_then(text_of))
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum JsonParagraph {
    Text(String),
    Full {
        text: String,
        #[serde(default)]
        kind: ParagraphKind,
    },
}

fn split_body(body: &str) -> Vec<Paragraph> {
    let body = crate::article::decode::normalize_newlines(body.to_string());
    if body.contains("\n\n") {
        body.split("\n\n")
            .map(|block| block.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|b| !b.is_empty())
            .map(Paragraph::body)
            .collect()
    } else {
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(Paragraph::body)
            .collect()
    }
}

pub fn import(
    path: &Path,
    text: &str,
    rules: &Rules,
    warnings: &mut Vec<String>,
) -> Result<Article, OpenError> {
    if text.trim_start().starts_with('[') {
        // A serde struct also reads a JSON array (field by field), which
        // would give a baffling "expected a string" here.
        let detail = match serde_json::from_str::<Vec<serde_json::Value>>(text) {
            Ok(items) => format!(
                "a list of {} items, not one article; qari reads one article per file: \
                 split the list into one .json file per article",
                items.len()
            ),
            Err(_) => "a list, not one article object".to_string(),
        };
        return Err(OpenError::MalformedJson {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            detail,
        });
    }
    let mut doc: JsonArticle =
        serde_json::from_str(text).map_err(|e| OpenError::MalformedJson {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            detail: json_detail(&e),
        })?;
    // Text carrying HTML (a scraped body) is read as an HTML fragment;
    // what its rules drop goes to `removed` like any other dropped text.
    let mut fragment_removed: Vec<Removed> = Vec::new();
    let mut from_markup = |text: &str, kind: ParagraphKind| -> Vec<Paragraph> {
        let a = html::import_unfiltered(text, rules);
        fragment_removed.extend(a.removed);
        let mut ps = a.paragraphs;
        if !a.title.is_empty() {
            ps.insert(0, Paragraph::new(a.title, ParagraphKind::Heading));
        }
        if kind != ParagraphKind::Body {
            for p in &mut ps {
                p.kind = kind;
            }
        }
        ps
    };
    // Other exporters' names for the schema's fields, when it lacks them.
    let other = std::mem::take(&mut doc.other);
    let pick = |own: &mut Option<String>, names: &[&str]| {
        if own.as_deref().is_none_or(|s| s.trim().is_empty()) {
            if let Some(t) = other_text(&other, names) {
                *own = Some(t);
            }
        }
    };
    pick(&mut doc.title, TITLE_NAMES);
    pick(&mut doc.date, DATE_NAMES);
    let mut section = doc.section.as_ref().and_then(text_of);
    let mut source = doc.source.as_ref().and_then(text_of);
    let mut byline = doc.byline.as_ref().and_then(text_of);
    pick(&mut section, SECTION_NAMES);
    pick(&mut source, SOURCE_NAMES);
    pick(&mut doc.url, URL_NAMES);
    pick(&mut byline, BYLINE_NAMES);
    if doc.paragraphs.is_none() && doc.body.is_none() {
        // A body under another name: one string, or a list of paragraphs.
        match BODY_NAMES.iter().find_map(|n| other.get(*n)) {
            Some(serde_json::Value::Array(items)) => {
                doc.paragraphs = Some(
                    items
                        .iter()
                        .filter_map(|i| {
                            serde_json::from_value::<JsonParagraph>(i.clone())
                                .ok()
                                .or_else(|| text_of(i).map(JsonParagraph::Text))
                        })
                        .collect(),
                );
            }
            Some(v) => doc.body = text_of(v),
            None => {}
        }
        if doc.body.is_none() && doc.paragraphs.is_none() {
            let mut fields: Vec<&str> = other.keys().map(String::as_str).take(12).collect();
            fields.sort_unstable();
            warnings.push(format!(
                "no article text: none of \"body\", \"paragraphs\", \"content\", \"text\" \
                 or \"articleBody\" is present{}",
                if fields.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (other fields: {})",
                        crate::text::sanitize_line(&fields.join(", "))
                    )
                }
            ));
        }
    }
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    for p in doc.paragraphs.take().unwrap_or_default() {
        let (text, kind) = match p {
            JsonParagraph::Text(text) => (text, ParagraphKind::Body),
            JsonParagraph::Full { text, kind } => (text, kind),
        };
        if html::looks_like_markup(&text) {
            paragraphs.extend(from_markup(&text, kind));
        } else {
            paragraphs.push(Paragraph::new(text, kind));
        }
    }
    let split = |body: &str, from_markup: &mut dyn FnMut(&str, ParagraphKind) -> Vec<Paragraph>| {
        if html::looks_like_markup(body) {
            from_markup(body, ParagraphKind::Body)
        } else {
            split_body(body)
        }
    };
    if let Some(body) = &doc.body {
        if paragraphs.is_empty() {
            paragraphs = split(body, &mut from_markup);
        } else {
            // Both given: keep both rather than drop one silently.
            warnings.push(
                "both \"paragraphs\" and \"body\" are present; the body follows the paragraphs"
                    .into(),
            );
            paragraphs.extend(split(body, &mut from_markup));
        }
    }
    let date = match doc.date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => {
            let parsed = parse_date_value(d, rules);
            if parsed.is_none() {
                warnings.push(format!(
                    "the date \"{}\" is not a date qari understands; it is left out",
                    crate::text::sanitize_line(d)
                ));
            }
            parsed
        }
    };
    let known = Known {
        date: date.is_some(),
        byline: byline.is_some(),
        source: source.is_some(),
    };
    let mut c = filter_paragraphs(paragraphs, known, rules);
    fragment_removed.append(&mut c.removed);
    c.removed = fragment_removed;
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Article {
        path: path.to_path_buf(),
        title: nonempty(doc.title).unwrap_or_default(),
        date: date.or(c.date),
        section: nonempty(section),
        source: nonempty(source).or(c.source),
        url: nonempty(doc.url),
        byline: nonempty(byline).or(c.byline),
        paragraphs: c.paragraphs,
        removed: c.removed,
        ..Article::default()
    })
}

/// serde_json's message without its trailing "at line L column C" (the
/// error's Display adds those from the fields).
fn json_detail(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_body_and_paragraphs_is_read_as_html() {
        let text = r#"{"title": "مهرجان التمور",
            "body": "<p dir=\"rtl\">افتتح المهرجان&nbsp;أمس.</p><p> </p><p>ويستمر أسبوعا.</p>",
            "paragraphs": ["<h2>برنامج اليوم</h2><p>عروض &quot;شعبية&quot;.</p>", "سعر a < b يبقى نصا."]}"#;
        let mut warnings = Vec::new();
        let a = import(Path::new("x.json"), text, Rules::builtin(), &mut warnings).unwrap();
        let got: Vec<(&str, ParagraphKind)> = a
            .paragraphs
            .iter()
            .map(|p| (p.text.as_str(), p.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("برنامج اليوم", ParagraphKind::Heading),
                ("عروض \"شعبية\".", ParagraphKind::Body),
                ("سعر a < b يبقى نصا.", ParagraphKind::Body),
                ("افتتح المهرجان أمس.", ParagraphKind::Body),
                ("ويستمر أسبوعا.", ParagraphKind::Body),
            ]
        );
    }

    #[test]
    fn markup_paragraphs_are_filtered_once() {
        // The promo and the repeat are dropped by one filter pass, each
        // recorded once; across fragments a repeat is still a repeat.
        let text = r#"{"title": "خبر",
            "paragraphs": ["<p>اقرأ أيضا: خبر آخر</p><p>نص أول.</p>", "<p>نص أول.</p><p>نص ثان.</p>"]}"#;
        let a = import(Path::new("x.json"), text, Rules::builtin(), &mut Vec::new()).unwrap();
        let texts: Vec<&str> = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["نص أول.", "نص ثان."]);
        let removed: Vec<(&str, &str)> = a
            .removed
            .iter()
            .map(|r| (r.text.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            removed,
            [("اقرأ أيضا: خبر آخر", "promo"), ("نص أول.", "duplicate")]
        );
    }

    #[test]
    fn other_exporters_field_names_are_read() {
        let text = r#"{"@type": "NewsArticle", "headline": "افتتاح معرض الكتاب",
            "author": {"@type": "Person", "name": "سارة علي"},
            "publisher": {"name": "موقع الخبر"}, "datePublished": "2026-11-30T10:00:00Z",
            "link": "https://example.com/1", "articleSection": ["ثقافة", "كتب"],
            "content": ["افتتح المعرض أمس.", {"text": "البرنامج", "kind": "heading"}]}"#;
        let mut warnings = Vec::new();
        let a = import(Path::new("x.json"), text, Rules::builtin(), &mut warnings).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(a.title, "افتتاح معرض الكتاب");
        assert_eq!(a.byline.as_deref(), Some("سارة علي"));
        assert_eq!(a.source.as_deref(), Some("موقع الخبر"));
        assert_eq!(a.section.as_deref(), Some("ثقافة، كتب"));
        assert_eq!(a.date.as_deref(), Some("2026-11-30"));
        assert_eq!(a.url.as_deref(), Some("https://example.com/1"));
        let got: Vec<(&str, ParagraphKind)> = a
            .paragraphs
            .iter()
            .map(|p| (p.text.as_str(), p.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("افتتح المعرض أمس.", ParagraphKind::Body),
                ("البرنامج", ParagraphKind::Heading)
            ]
        );
        // The schema's own name wins over another exporter's.
        let text =
            r#"{"title": "العنوان", "headline": "عنوان آخر", "body": "نص.", "text": "نص آخر."}"#;
        let a = import(Path::new("x.json"), text, Rules::builtin(), &mut Vec::new()).unwrap();
        assert_eq!((a.title.as_str(), a.paragraphs.len()), ("العنوان", 1));
    }

    #[test]
    fn a_list_or_a_textless_object_is_told() {
        let err = import(
            Path::new("x.json"),
            r#"[{"title": "أ"}, {"title": "ب"}]"#,
            Rules::builtin(),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("a list of 2 items"), "{err}");
        let mut warnings = Vec::new();
        let a = import(
            Path::new("x.json"),
            r#"{"data": {"x": 1}, "id": 5}"#,
            Rules::builtin(),
            &mut warnings,
        )
        .unwrap();
        assert!(a.paragraphs.is_empty());
        assert!(
            warnings[0].contains("no article text") && warnings[0].contains("data, id"),
            "{warnings:?}"
        );
    }
}
