//! Saved web pages, parsed with `scraper` (html5ever). The title comes from
//! the first `<h1>`, else `og:title`, else `<title>`; the body from the
//! main content (`[itemprop=articleBody]`, else `<article>`, else `<main>`,
//! else `<body>`): its `<p>`, `<h2>`…`<h6>`, `<blockquote>`, `<li>`,
//! `<figcaption>` and loose text. Scripts, styles, navigation, share bars,
//! ads and the like (tags and class/id words from `rules.toml`) are dropped;
//! their visible text goes to `removed`.
//!
//! The tree is walked with an explicit stack, never by recursion, so a page
//! of 100,000 nested `<div>`s cannot overflow the stack; nesting beyond 512
//! levels is flattened before parsing (see `html_depth`) so it cannot make
//! the parser quadratic either.

use crate::article::clean::{filter_paragraphs, Known};
use crate::article::dates::parse_date_value;
use crate::article::{Article, Paragraph, ParagraphKind, Removed, Rules};
use ego_tree::NodeRef;
use scraper::{Html, Node};

type NodeR<'a> = NodeRef<'a, Node>;

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn element_name(node: NodeR<'_>) -> Option<&str> {
    node.value().as_element().map(|e| e.name())
}

struct Walker<'r> {
    rules: &'r Rules,
    /// `<header>` is kept inside an `<article>` (it holds the headline
    /// there) and dropped elsewhere (site header).
    keep_header: bool,
}

impl Walker<'_> {
    /// Why an element is dropped with its subtree, if it is.
    fn drop_reason(&self, node: NodeR<'_>) -> Option<String> {
        let el = node.value().as_element()?;
        let name = el.name();
        if self.rules.html_drop_tags.contains(name) && !(name == "header" && self.keep_header) {
            return Some(format!("html {name}"));
        }
        if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
            return Some("html hidden".into());
        }
        for attr in [el.attr("class"), el.attr("id")].into_iter().flatten() {
            for word in attr
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                let w = word.to_ascii_lowercase();
                if self.rules.html_drop_class_words.contains(&w) {
                    return Some(format!("html .{w}"));
                }
            }
        }
        None
    }

    /// The visible text under `node`, skipping dropped elements.
    fn text_of(&self, node: NodeR<'_>, skip_dropped: bool) -> String {
        let mut out = String::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    if n != node && skip_dropped && self.drop_reason(n).is_some() {
                        continue;
                    }
                    if matches!(e.name(), "script" | "style" | "noscript" | "template") {
                        continue;
                    }
                    if e.name() == "br" {
                        out.push(' ');
                    }
                    // Block children are separated by a space.
                    if BLOCK_TAGS.contains(&e.name()) {
                        out.push(' ');
                    }
                    let children: Vec<_> = n.children().collect();
                    stack.extend(children.into_iter().rev());
                }
                _ => {}
            }
        }
        collapse(&out)
    }
}

fn has_class_word(node: NodeR<'_>, words: &[&str]) -> bool {
    let Some(el) = node.value().as_element() else {
        return false;
    };
    [
        el.attr("class"),
        el.attr("id"),
        el.attr("itemprop"),
        el.attr("rel"),
    ]
    .into_iter()
    .flatten()
    .flat_map(|a| a.split(|c: char| !c.is_ascii_alphanumeric()))
    .any(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

#[derive(Default)]
struct Meta {
    og_title: Option<String>,
    title_tag: Option<String>,
    date: Option<String>,
    section: Option<String>,
    source: Option<String>,
    url: Option<String>,
    byline: Option<String>,
}

fn read_meta(doc: &Html, w: &Walker<'_>) -> Meta {
    let mut m = Meta::default();
    let set = |slot: &mut Option<String>, v: Option<&str>| {
        if slot.is_none() {
            if let Some(v) = v.map(collapse).filter(|v| !v.is_empty()) {
                *slot = Some(v);
            }
        }
    };
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        match el.name() {
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let content = el.attr("content");
                match key.as_str() {
                    "og:title" | "twitter:title" => set(&mut m.og_title, content),
                    "article:published_time" | "datepublished" | "date" | "pubdate" => {
                        set(&mut m.date, content)
                    }
                    "article:section" => set(&mut m.section, content),
                    "og:site_name" => set(&mut m.source, content),
                    "og:url" => set(&mut m.url, content),
                    // article:author is often a profile URL, not a name.
                    "author" | "article:author" if !content.unwrap_or("").starts_with("http") => {
                        set(&mut m.byline, content)
                    }
                    _ => {}
                }
            }
            "title" => {
                let t = w.text_of(node, false);
                set(&mut m.title_tag, Some(&t));
            }
            "link" if el.attr("rel") == Some("canonical") => set(&mut m.url, el.attr("href")),
            "time" => set(&mut m.date, el.attr("datetime")),
            _ => {}
        }
    }
    m
}

/// The element holding the article: the `<article>` around the
/// `itemprop=articleBody` element (it also holds the headline and the
/// picture), else that element, else the first `<article>`, else `<main>`,
/// else `<body>`, else the document.
fn content_root(doc: &Html) -> NodeR<'_> {
    let mut best: [Option<NodeR<'_>>; 4] = [None; 4];
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let rank = if el.attr("itemprop") == Some("articleBody") {
            0
        } else {
            match el.name() {
                "article" => 1,
                "main" => 2,
                "body" => 3,
                _ => continue,
            }
        };
        if best[rank].is_none() {
            best[rank] = Some(node);
        }
    }
    if let Some(body) = best[0] {
        if let Some(article) = body
            .ancestors()
            .find(|a| element_name(*a) == Some("article"))
        {
            return article;
        }
    }
    best.into_iter()
        .flatten()
        .next()
        .unwrap_or_else(|| doc.tree.root())
}

/// The first `<h1>` of the page that is not inside dropped chrome.
fn first_h1(doc: &Html, w: &Walker<'_>) -> Option<String> {
    doc.tree
        .nodes()
        .filter(|n| element_name(*n) == Some("h1"))
        .find(|n| n.ancestors().all(|a| w.drop_reason(a).is_none()))
        .map(|n| w.text_of(n, true))
        .filter(|t| !t.is_empty())
}

enum Step<'a> {
    Enter(NodeR<'a>),
    ExitQuote,
    ExitRoot,
}

/// Where loose text goes: paragraphs inside the content root, `removed`
/// outside it (site chrome that no drop rule named).
struct Sink {
    paragraphs: Vec<Paragraph>,
    removed: Vec<Removed>,
    loose: String,
    quote_depth: usize,
    inside: bool,
}

impl Sink {
    fn flush(&mut self) {
        let t = collapse(&self.loose);
        self.loose.clear();
        if t.is_empty() {
            return;
        }
        if !self.inside {
            self.removed.push(Removed {
                text: t,
                reason: "html outside the article".into(),
            });
            return;
        }
        let kind = if self.quote_depth > 0 {
            ParagraphKind::Quote
        } else {
            ParagraphKind::Body
        };
        self.paragraphs.push(Paragraph::new(t, kind));
    }
}

pub fn import(text: &str, rules: &Rules) -> Article {
    import_with(text, rules, true)
}

/// An HTML fragment inside another format (a JSON body) whose paragraphs
/// that format filters itself: parsed with the same rules, not filtered
/// twice.
pub(crate) fn import_unfiltered(text: &str, rules: &Rules) -> Article {
    import_with(text, rules, false)
}

fn import_with(text: &str, rules: &Rules, filter: bool) -> Article {
    let doc = Html::parse_document(&super::html_depth::cap_depth(text));
    let root = content_root(&doc);
    let in_article = root
        .value()
        .as_element()
        .is_some_and(|e| e.name() != "body" && e.name() != "main")
        || root.ancestors().any(|a| element_name(a) == Some("article"));
    let w = Walker {
        rules,
        keep_header: in_article,
    };
    let meta = read_meta(&doc, &w);
    // Walk the whole body, so chrome outside the article is accounted for
    // in `removed`; only the content root yields paragraphs.
    let start = doc
        .tree
        .nodes()
        .find(|n| element_name(*n) == Some("body"))
        .unwrap_or_else(|| doc.tree.root());
    let start = if root.ancestors().any(|a| a == start) || root == start {
        start
    } else {
        root
    };

    let mut sink = Sink {
        paragraphs: Vec::new(),
        removed: Vec::new(),
        loose: String::new(),
        quote_depth: 0,
        inside: false,
    };
    let mut h1: Option<String> = None;
    let mut byline = meta.byline.clone();

    let mut stack = vec![Step::Enter(start)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::ExitQuote => {
                sink.flush();
                sink.quote_depth -= 1;
                continue;
            }
            Step::ExitRoot => {
                sink.flush();
                sink.inside = false;
                continue;
            }
            Step::Enter(n) => n,
        };
        if node == root {
            sink.flush();
            sink.inside = true;
            stack.push(Step::ExitRoot);
        }
        match node.value() {
            Node::Text(t) => {
                sink.loose.push_str(t);
                continue;
            }
            Node::Element(_) => {}
            _ => {
                if node == start || node == root {
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Enter));
                }
                continue;
            }
        }
        let name = element_name(node).unwrap_or("");
        if let Some(why) = w.drop_reason(node) {
            sink.flush();
            if !matches!(name, "script" | "style" | "noscript" | "template" | "svg") {
                let t = w.text_of(node, false);
                if !t.is_empty() {
                    sink.removed.push(Removed {
                        text: t,
                        reason: why,
                    });
                }
            }
            continue;
        }
        if BLOCK_TAGS.contains(&name) {
            sink.flush();
        }
        if !sink.inside {
            let children: Vec<_> = node.children().collect();
            stack.extend(children.into_iter().rev().map(Step::Enter));
            continue;
        }
        if has_class_word(node, &["author", "byline", "writer"]) {
            let t = w.text_of(node, true);
            if !t.is_empty() && t.split_whitespace().count() <= rules.byline_max_words {
                if byline.is_none() {
                    byline = Some(t);
                } else {
                    sink.removed.push(Removed {
                        text: t,
                        reason: crate::article::clean::reason::BYLINE.into(),
                    });
                }
                continue;
            }
        }
        let kind = match name {
            "h1" if h1.is_none() => {
                h1 = Some(w.text_of(node, true)).filter(|t| !t.is_empty());
                continue;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(ParagraphKind::Heading),
            "p" | "li" | "pre" | "dd" | "dt" | "td" | "th" => Some(if sink.quote_depth > 0 {
                ParagraphKind::Quote
            } else {
                ParagraphKind::Body
            }),
            "figcaption" => Some(ParagraphKind::Caption),
            _ => None,
        };
        if let Some(kind) = kind {
            let t = w.text_of(node, true);
            if !t.is_empty() {
                sink.paragraphs.push(Paragraph::new(t, kind));
            }
            continue;
        }
        if name == "blockquote" {
            sink.quote_depth += 1;
            stack.push(Step::ExitQuote);
        }
        let children: Vec<_> = node.children().collect();
        stack.extend(children.into_iter().rev().map(Step::Enter));
    }
    sink.flush();
    let Sink {
        paragraphs,
        mut removed,
        ..
    } = sink;

    let date = meta
        .date
        .as_deref()
        .and_then(|d| parse_date_value(d, rules));
    let known = Known {
        date: date.is_some(),
        byline: byline.is_some(),
        source: meta.source.is_some(),
    };
    let c = if filter {
        filter_paragraphs(paragraphs, known, rules)
    } else {
        crate::article::clean::Cleaned {
            paragraphs,
            ..Default::default()
        }
    };
    removed.extend(c.removed);
    let title_tag = meta.title_tag.map(|t| {
        // "Headline | Site" / "Headline - Site": the headline part.
        let cut = [" | ", " - ", " — ", " – "]
            .iter()
            .filter_map(|sep| t.find(sep))
            .min();
        match cut {
            Some(i) if i > 0 => t[..i].trim().to_string(),
            _ => t,
        }
    });
    Article {
        title: h1
            .or_else(|| first_h1(&doc, &w))
            .or(meta.og_title)
            .or(title_tag)
            .unwrap_or_default(),
        date: date.or(c.date),
        section: meta.section,
        source: meta.source.or(c.source),
        url: meta.url,
        byline: byline.or(c.byline),
        paragraphs: c.paragraphs,
        removed,
        ..Article::default()
    }
}

/// Inline tags that, with [`BLOCK_TAGS`], mark a text as an HTML fragment
/// (a scraper's body pasted into a `.txt` or a JSON field). Only real
/// element names count, so `a < b` or `<3` stay text.
const INLINE_TAGS: &[&str] = &["a", "b", "em", "i", "img", "span", "strong"];

/// Named entities scrapers leave behind; numeric ones (`&#160;`) count too.
const FRAGMENT_ENTITIES: &[&str] = &[
    "nbsp", "quot", "amp", "lt", "gt", "apos", "hellip", "laquo", "raquo", "mdash", "ndash", "rlm",
    "lrm", "zwnj", "zwj",
];

fn tag_at(rest: &str) -> bool {
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return false;
    }
    let name = rest[..name_len].to_ascii_lowercase();
    let after = rest[name_len..].chars().next();
    // A tag is closed by '>' before the next '<': an unclosed "<i/" is
    // text (read as HTML it would vanish).
    let closed = rest[name_len..].bytes().find(|b| matches!(b, b'>' | b'<')) == Some(b'>');
    (BLOCK_TAGS.contains(&name.as_str()) || INLINE_TAGS.contains(&name.as_str()))
        && matches!(after, Some('>' | '/' | ' ' | '\t' | '\n' | '\r'))
        && closed
}

fn entity_at(rest: &str) -> bool {
    // Byte search: a 10-byte cut could split an Arabic letter.
    let Some(end) = rest.bytes().take(10).position(|b| b == b';') else {
        return false;
    };
    let name = &rest[..end];
    if let Some(num) = name.strip_prefix('#') {
        let num = num.strip_prefix(['x', 'X']).unwrap_or(num);
        return !num.is_empty() && num.bytes().all(|b| b.is_ascii_hexdigit());
    }
    FRAGMENT_ENTITIES.contains(&name.to_ascii_lowercase().as_str())
}

/// A scraper's text file that kept links, bold and entities but has no
/// block elements is still one paragraph a line: its text with the markup
/// read and every line break kept, and the text of elements the rules drop
/// (a share `<span>`). `None` when it has blocks: then it is read as HTML.
pub(crate) fn inline_lines(text: &str, rules: &Rules) -> Option<(String, Vec<Removed>)> {
    let doc = Html::parse_fragment(&super::html_depth::cap_depth(text));
    let w = Walker {
        rules,
        keep_header: false,
    };
    let mut out = String::with_capacity(text.len());
    let mut removed = Vec::new();
    let mut stack = vec![doc.tree.root()];
    while let Some(n) = stack.pop() {
        match n.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if BLOCK_TAGS.contains(&name) {
                    return None;
                }
                if matches!(name, "script" | "style" | "noscript" | "template" | "svg") {
                    continue;
                }
                if let Some(why) = w.drop_reason(n) {
                    let t = w.text_of(n, false);
                    if !t.is_empty() {
                        removed.push(Removed {
                            text: t,
                            reason: why,
                        });
                    }
                    continue;
                }
                // A bold "اقرأ أيضا:" inside a line starts the promo that
                // follows it: on a line of its own, the cleaner drops it.
                if matches!(name, "strong" | "b")
                    && rules.is_promo(&crate::article::rules::norm_words(
                        &w.text_of(n, false),
                        rules.match_words(),
                    ))
                    && !out.ends_with('\n')
                {
                    out.push('\n');
                }
                stack.extend(n.children().rev());
            }
            _ => stack.extend(n.children().rev()),
        }
    }
    Some((out, removed))
}

/// Whether `text` carries HTML tags or entities and should be read as an
/// HTML fragment rather than as plain lines.
pub fn looks_like_markup(text: &str) -> bool {
    // SIMD byte search: this runs over every text file's whole text.
    memchr::memchr2_iter(b'<', b'&', text.as_bytes()).any(|i| {
        // `i + 1` is a char boundary: '<' and '&' are one byte.
        if text.as_bytes()[i] == b'<' {
            tag_at(&text[i + 1..])
        } else {
            entity_at(&text[i + 1..])
        }
    })
}

#[cfg(test)]
mod fragment_tests {
    use super::*;

    #[test]
    fn markup_detection() {
        assert!(looks_like_markup("<h2 dir=\"rtl\">عنوان</h2>"));
        assert!(looks_like_markup("نص <br/> نص"));
        assert!(looks_like_markup("قال&nbsp;الوزير"));
        assert!(looks_like_markup("&#160;نص"));
        assert!(looks_like_markup("</P>"));
        assert!(!looks_like_markup("إذا كان a < b و b > c"));
        assert!(!looks_like_markup("أحب <3 هذا"));
        assert!(!looks_like_markup("سعر <100 دينار & أكثر"));
        assert!(!looks_like_markup("<pre-release> & co;"));
        assert!(!looks_like_markup("نص عادي"));
        assert!(!looks_like_markup("<i/"));
        assert!(!looks_like_markup("<b عريض"));
    }
}
