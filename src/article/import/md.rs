//! Markdown articles, parsed with `pulldown-cmark`: the first `#` heading is
//! the title (unless front matter gives one), other headings are Heading
//! paragraphs, block quotes Quote, a paragraph that is only an image becomes
//! a Caption (its alt text), emphasis, links and code are reduced to their
//! text. Optional front matter between `---` lines sets `title`, `date`,
//! `section`, `source`, `url` and `byline` (or `author`), one `key: value`
//! a line.

use crate::article::clean::{filter_paragraphs, reason, Known};
use crate::article::dates::parse_date_value;
use crate::article::{Article, Paragraph, ParagraphKind, Removed, Rules};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Default)]
struct FrontMatter {
    title: Option<String>,
    date: Option<String>,
    section: Option<String>,
    source: Option<String>,
    url: Option<String>,
    byline: Option<String>,
    /// Lines that were not a known `key: value`.
    other: Vec<String>,
}

fn parse_front_matter(text: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            fm.other.push(line.to_string());
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim().to_string();
        let slot = match key.trim().to_ascii_lowercase().as_str() {
            "title" => &mut fm.title,
            "date" => &mut fm.date,
            "section" | "category" => &mut fm.section,
            "source" => &mut fm.source,
            "url" => &mut fm.url,
            "byline" | "author" => &mut fm.byline,
            _ => {
                fm.other.push(line.to_string());
                continue;
            }
        };
        if !value.is_empty() {
            *slot = Some(value);
        }
    }
    fm
}

pub fn import(text: &str, rules: &Rules) -> Article {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_STRIKETHROUGH;
    let mut fm = FrontMatter::default();
    let mut fm_text = String::new();
    let mut in_fm = false;
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut title: Option<String> = None;
    let mut removed: Vec<Removed> = Vec::new();
    let mut buf = String::new();
    let mut quote_depth = 0usize;
    let mut in_image = false;
    // Whether the current paragraph so far holds only an image.
    let mut only_image = true;
    let mut saw_image = false;
    // Whether the current paragraph's text is all bold: a page without a
    // `#` heading often prints its headline as `**…**`.
    let mut strong_depth = 0usize;
    let mut only_strong = true;

    let flush = |buf: &mut String, kind: ParagraphKind, paragraphs: &mut Vec<Paragraph>| {
        let text = buf.split_whitespace().collect::<Vec<_>>().join(" ");
        buf.clear();
        if !text.is_empty() {
            paragraphs.push(Paragraph::new(text, kind));
        }
    };
    let body_kind = |quote_depth: usize| {
        if quote_depth > 0 {
            ParagraphKind::Quote
        } else {
            ParagraphKind::Body
        }
    };

    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_fm = true,
            Event::End(TagEnd::MetadataBlock(_)) => {
                in_fm = false;
                fm = parse_front_matter(&fm_text);
            }
            Event::Text(t) if in_fm => fm_text.push_str(&t),
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { .. }) => {
                buf.clear();
                only_image = true;
                saw_image = false;
                only_strong = true;
            }
            Event::Start(Tag::Strong) => strong_depth += 1,
            Event::End(TagEnd::Strong) => strong_depth = strong_depth.saturating_sub(1),
            Event::End(TagEnd::Heading(level)) => {
                let text = buf.split_whitespace().collect::<Vec<_>>().join(" ");
                buf.clear();
                if text.is_empty() {
                    continue;
                }
                if level == HeadingLevel::H1 && title.is_none() {
                    title = Some(text);
                } else {
                    paragraphs.push(Paragraph::new(text, ParagraphKind::Heading));
                }
            }
            Event::End(TagEnd::Paragraph) => {
                let words = buf.split_whitespace().count();
                if title.is_none()
                    && paragraphs.is_empty()
                    && quote_depth == 0
                    && only_strong
                    && (1..=crate::article::clean::TITLE_MAX_WORDS.min(20)).contains(&words)
                    && !crate::article::clean::ends_sentence(&buf)
                {
                    title = Some(buf.split_whitespace().collect::<Vec<_>>().join(" "));
                    buf.clear();
                    continue;
                }
                let kind = if saw_image && only_image {
                    ParagraphKind::Caption
                } else {
                    body_kind(quote_depth)
                };
                flush(&mut buf, kind, &mut paragraphs);
            }
            // A list item's text comes without a Paragraph in tight lists.
            Event::End(TagEnd::Item) | Event::End(TagEnd::CodeBlock) => {
                flush(&mut buf, body_kind(quote_depth), &mut paragraphs);
            }
            Event::Start(Tag::Image { .. }) => {
                in_image = true;
                saw_image = true;
            }
            Event::End(TagEnd::Image) => in_image = false,
            Event::Text(t) | Event::Code(t) => {
                if !in_image && !t.trim().is_empty() {
                    only_image = false;
                    only_strong &= strong_depth > 0;
                }
                buf.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => buf.push(' '),
            Event::Html(h) | Event::InlineHtml(h) => {
                // Raw HTML in Markdown is markup, not prose; keep it in
                // `removed` so nothing disappears unseen.
                let h = h.trim();
                if !h.is_empty() {
                    removed.push(Removed {
                        text: h.to_string(),
                        reason: "html".into(),
                    });
                }
            }
            _ => {}
        }
    }
    flush(&mut buf, ParagraphKind::Body, &mut paragraphs);

    let date = fm.date.as_deref().and_then(|d| parse_date_value(d, rules));
    if fm.date.is_some() && date.is_none() {
        removed.push(Removed {
            text: format!("date: {}", fm.date.clone().unwrap_or_default()),
            reason: reason::DATE.into(),
        });
    }
    for other in fm.other {
        removed.push(Removed {
            text: other,
            reason: "front matter".into(),
        });
    }
    if let (Some(fm_title), Some(h1)) = (&fm.title, &title) {
        if fm_title != h1 {
            paragraphs.insert(0, Paragraph::new(h1.clone(), ParagraphKind::Heading));
        }
    }
    let known = Known {
        date: date.is_some(),
        byline: fm.byline.is_some(),
        source: fm.source.is_some(),
    };
    let c = filter_paragraphs(paragraphs, known, rules);
    removed.extend(c.removed);
    Article {
        title: fm.title.or(title).unwrap_or_default(),
        date: date.or(c.date),
        section: fm.section,
        source: fm.source.or(c.source),
        url: fm.url,
        byline: fm.byline.or(c.byline),
        paragraphs: c.paragraphs,
        removed,
        ..Article::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bold_first_line_is_the_headline_without_a_heading() {
        let a = import(
            "**الأهلي يبدأ استعداداته للمباراة**\n\nبدأ الفريق تدريباته **أمس** في القاهرة.\n",
            Rules::builtin(),
        );
        assert_eq!(a.title, "الأهلي يبدأ استعداداته للمباراة");
        assert_eq!(a.paragraphs.len(), 1);
        // Bold inside a sentence, or a bold sentence, is body text.
        let a = import(
            "بدأ الفريق **تدريباته** أمس.\n\n**هذه جملة كاملة.**\n",
            Rules::builtin(),
        );
        assert!(a.title.is_empty(), "{:?}", a.title);
        assert_eq!(a.paragraphs.len(), 2);
    }
}
