//! Web addresses in the reading pane, as byte ranges of a block's text and
//! the address each range links to; the UI draws them as terminal
//! hyperlinks (OSC 8) over the clusters that show those bytes, like the
//! other decorations. The UI still checks every address before writing it.

use super::copy::web_address;
use super::doc::Doc;
use std::ops::Range;

/// A linked range of a block's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link<'a> {
    pub range: Range<usize>,
    pub url: &'a str,
}

/// Characters that never belong to an address written in running text.
fn stops(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || crate::text::is_bidi_format(c)
        || crate::text::is_stripped_control(c)
        || matches!(
            c,
            '"' | '<'
                | '>'
                | '«'
                | '»'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '،'
                | '؛'
                | '`'
                | '^'
                | '{'
                | '}'
                | '|'
                | '\\'
        )
}

/// The http(s) addresses in `text`: each starts at a word boundary and ends
/// before a space, a quote or a bracket it did not open, and without the
/// sentence's own punctuation (`.`, `,`, `؟` …).
pub fn web_links(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("http") {
        let start = from + found;
        let rest = &lower[start..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            from = start + 4;
            continue;
        };
        let boundary = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let mut end = start
            + text[start..]
                .char_indices()
                .find(|(_, c)| stops(*c))
                .map_or(text.len() - start, |(i, _)| i);
        // Sentence punctuation after the address, and closing brackets it
        // did not open.
        loop {
            let url = &text[start..end];
            let Some(last) = url.chars().next_back() else {
                break;
            };
            let unbalanced = |open: char| url.matches(open).count() < url.matches(last).count();
            let trim = match last {
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '؟' | '…' => true,
                ')' => unbalanced('('),
                ']' => unbalanced('['),
                _ => false,
            };
            if !trim {
                break;
            }
            end -= last.len_utf8();
        }
        if boundary && end > start + scheme {
            out.push(start..end);
        }
        from = end.max(start + scheme);
    }
    out
}

impl Doc {
    /// The links of block `b`: the title links to the article's own web
    /// address (when it has one), a paragraph to the addresses in it.
    pub fn links(&self, b: usize) -> Vec<Link<'_>> {
        let a = &self.article;
        if b == 0 {
            return match a.url.as_deref().and_then(web_address) {
                Some(url) if !a.title.is_empty() => vec![Link {
                    range: 0..a.title.len(),
                    url,
                }],
                _ => Vec::new(),
            };
        }
        let Some(p) = a.paragraphs.get(b - 1) else {
            return Vec::new();
        };
        web_links(&p.text)
            .into_iter()
            .map(|range| Link {
                url: &p.text[range.clone()],
                range,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        web_links(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn addresses_in_running_text() {
        assert_eq!(
            found("التفاصيل في https://example.org/a?b=1. ثم"),
            ["https://example.org/a?b=1"]
        );
        assert_eq!(
            found("(انظر http://example.org/wiki/Nile_(river)) و«https://x.example/مصر»،"),
            [
                "http://example.org/wiki/Nile_(river)",
                "https://x.example/مصر"
            ]
        );
        assert_eq!(found("HTTPS://EXAMPLE.ORG/A؟"), ["HTTPS://EXAMPLE.ORG/A"]);
        assert_eq!(
            found("one https://a.example, two https://b.example;"),
            ["https://a.example", "https://b.example"]
        );
    }

    #[test]
    fn what_is_not_an_address() {
        for text in [
            "http",
            "https://",
            "https:// example",
            "xhttps://example.org",
            "ftp://example.org",
            "javascript:alert(1)",
            "",
        ] {
            assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
        }
        // Controls end an address: nothing after them is part of it.
        let hostile = "https://a.example/\u{1b}]8;;https://evil\u{7}x";
        assert_eq!(found(hostile)[0], "https://a.example/");
        assert!(found(hostile)
            .iter()
            .all(|u| !u.chars().any(char::is_control)));
        assert_eq!(
            found("https://a.example/\u{202e}txt.exe"),
            ["https://a.example/"]
        );
    }

    #[test]
    fn ranges_are_on_character_boundaries() {
        let text = "ـhttps://a.example/ب؟ https://ب.example/";
        for r in web_links(text) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }
}
