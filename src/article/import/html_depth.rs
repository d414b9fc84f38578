//! Capping the nesting depth of an HTML page before it reaches html5ever.
//!
//! html5ever has no depth limit, and its tree builder checks "is there a
//! `<p>` in scope" (and the list of active formatting elements) by walking
//! the stack of open elements for most start tags, so parsing is quadratic
//! in nesting depth: 100,000 nested `<div>`s take minutes. No crate offers a
//! depth cap, so this small scanner (hand-written, bytes only, linear)
//! measures the depth and, only when it exceeds [`MAX_DEPTH`], removes the
//! tags nested deeper than that. Text is never removed, so nothing of the
//! article is lost; only structure below depth 512 is flattened (real pages
//! stay under 50).

use std::borrow::Cow;

/// Deepest element nesting kept as is.
pub const MAX_DEPTH: usize = 512;

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];
/// Elements whose start tag closes an open sibling of the same kind.
const SELF_SIBLING: &[&str] = &[
    "p", "li", "dt", "dd", "option", "tr", "td", "th", "rt", "rp",
];

/// `html` with tags nested deeper than [`MAX_DEPTH`] removed; borrowed when
/// the page is not that deep (the usual case).
pub fn cap_depth(html: &str) -> Cow<'_, str> {
    if scan(html, None) <= MAX_DEPTH {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    scan(html, Some(&mut out));
    Cow::Owned(out)
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len())
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// End of a start tag: the index after its `>`, skipping quoted attribute
/// values.
fn tag_end(b: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    b.len()
}

fn name_at(b: &[u8], i: usize) -> (String, usize) {
    let mut j = i;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
        j += 1;
    }
    (String::from_utf8_lossy(&b[i..j]).to_ascii_lowercase(), j)
}

/// Walk the tags, returning the maximum depth; with `out`, copy the page
/// leaving out tags deeper than [`MAX_DEPTH`].
fn scan(html: &str, mut out: Option<&mut String>) -> usize {
    let b = html.as_bytes();
    // (name, kept)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut max_depth = 0;
    let mut i = 0;
    let mut copied = 0; // bytes of `html` already handled for `out`
    let skip = |out: &mut Option<&mut String>, copied: &mut usize, from: usize, to: usize| {
        if let Some(o) = out.as_deref_mut() {
            o.push_str(&html[*copied..from]);
        }
        *copied = to;
    };
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        let lt = i + off;
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            i = find_ci(b, lt + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = b[lt..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |e| lt + e + 1);
            continue;
        }
        if rest.starts_with(b"</") && rest.get(2).is_some_and(|c| c.is_ascii_alphabetic()) {
            let (name, after) = name_at(b, lt + 2);
            let end = b[after..]
                .iter()
                .position(|&c| c == b'>')
                .map_or(b.len(), |e| after + e + 1);
            // Close the nearest open element of that name (within reach;
            // a stray end tag is left for html5ever to ignore).
            let reach = stack.len().saturating_sub(64);
            if let Some(pos) = stack[reach..].iter().rposition(|(n, _)| *n == name) {
                let (_, kept) = stack[reach + pos].clone();
                stack.truncate(reach + pos);
                if !kept {
                    skip(&mut out, &mut copied, lt, end);
                }
            }
            i = end;
            continue;
        }
        if !rest.get(1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i = lt + 1;
            continue;
        }
        let (name, after) = name_at(b, lt + 1);
        let end = tag_end(b, after);
        let self_closing = end >= 2 && b[end - 2] == b'/';
        if VOID.contains(&name.as_str()) || self_closing {
            i = end;
            continue;
        }
        if SELF_SIBLING.contains(&name.as_str()) && stack.last().is_some_and(|(n, _)| *n == name) {
            stack.pop();
        }
        let kept = stack.len() < MAX_DEPTH;
        if !kept {
            skip(&mut out, &mut copied, lt, end);
        }
        stack.push((name.clone(), kept));
        max_depth = max_depth.max(stack.len());
        i = end;
        if RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            i = find_ci(b, i, close.as_bytes()).unwrap_or(b.len());
            if !kept {
                // Without its start tag, a script's or style's content
                // would reach the article as text: drop the whole element.
                let close_end = b[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(b.len(), |e| i + e + 1);
                skip(&mut out, &mut copied, end, close_end);
                stack.pop();
                i = close_end;
            }
        }
    }
    if let Some(o) = out {
        o.push_str(&html[copied..]);
    }
    max_depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_untouched() {
        let html = "<html><body><div><p>نص<p>نص آخر<br><img src=x></div><!-- <div> --><script>if (a<b) {}</script></body></html>";
        assert!(matches!(cap_depth(html), Cow::Borrowed(_)));
        assert_eq!(scan(html, None), 4);
    }

    #[test]
    fn deep_nesting_is_flattened_keeping_text() {
        let html = format!(
            "{}<p>نص</p>{}",
            "<div class='a>b'>".repeat(2000),
            "</div>".repeat(2000)
        );
        let capped = cap_depth(&html);
        assert_eq!(scan(&capped, None), MAX_DEPTH);
        assert!(capped.contains("<p>نص</p>") || capped.contains("نص"));
        assert_eq!(capped.matches("<div").count(), MAX_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_DEPTH);
    }

    #[test]
    fn scripts_below_the_cap_go_with_their_tags() {
        let html = format!(
            "{}<script>alert('<b>')</script><p>نص</p><STYLE>p{{}}</STYLE>{}",
            "<div>".repeat(1000),
            "</div>".repeat(1000)
        );
        let capped = cap_depth(&html);
        assert!(
            !capped.contains("alert") && !capped.contains("p{}"),
            "{capped}"
        );
        assert!(capped.contains("نص"));
        assert_eq!(scan(&capped, None), MAX_DEPTH);
    }
}
