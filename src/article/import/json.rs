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
//! (`22 نوفمبر 2024`). Unknown fields are ignored, so exports from other
//! tools load as long as they use these names.

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
    section: Option<String>,
    source: Option<String>,
    url: Option<String>,
    #[serde(alias = "author")]
    byline: Option<String>,
    paragraphs: Option<Vec<JsonParagraph>>,
    body: Option<String>,
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
    let doc: JsonArticle = serde_json::from_str(text).map_err(|e| OpenError::MalformedJson {
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
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    for p in doc.paragraphs.unwrap_or_default() {
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
        byline: doc.byline.is_some(),
        source: doc.source.is_some(),
    };
    let mut c = filter_paragraphs(paragraphs, known, rules);
    fragment_removed.append(&mut c.removed);
    c.removed = fragment_removed;
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Article {
        path: path.to_path_buf(),
        title: nonempty(doc.title).unwrap_or_default(),
        date: date.or(c.date),
        section: nonempty(doc.section),
        source: nonempty(doc.source).or(c.source),
        url: nonempty(doc.url),
        byline: nonempty(doc.byline).or(c.byline),
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
}
