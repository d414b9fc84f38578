//! The passage of a paragraph shown under a search result.

use std::ops::Range;

/// About `width` characters of `text` around the first of `hits` (byte
/// ranges in `text`), cut at spaces, with "…" where text was left out.
/// Returns the snippet and the hits' ranges inside it.
pub fn snippet(text: &str, hits: &[Range<usize>], width: usize) -> (String, Vec<Range<usize>>) {
    let first = hits.first().cloned().unwrap_or(0..0);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = chars.partition_point(|&(b, _)| b < first.start);
    // A third of the room before the hit, the rest after.
    let mut lo = at.saturating_sub(width / 3);
    let mut hi = (lo + width).min(chars.len());
    if hi == chars.len() {
        lo = hi.saturating_sub(width);
    }
    // Move outwards to a space so no word is cut.
    while lo > 0 && !chars[lo - 1].1.is_whitespace() && at - lo < width / 2 {
        lo -= 1;
    }
    while hi < chars.len() && !chars[hi].1.is_whitespace() && hi - lo < width + width / 2 {
        hi += 1;
    }
    // No space near enough: start after the cut word rather than inside it.
    if lo > 0 && !chars[lo - 1].1.is_whitespace() {
        while lo < at && !chars[lo].1.is_whitespace() {
            lo += 1;
        }
    }
    let hit_end = chars.partition_point(|&(b, _)| b < first.end);
    if hi < chars.len() && !chars[hi].1.is_whitespace() {
        while hi > hit_end && !chars[hi - 1].1.is_whitespace() {
            hi -= 1;
        }
    }
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let (start, end) = (byte(lo), byte(hi));
    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    let shift = out.len();
    let body = text[start..end].trim();
    let start = start + (text[start..end].len() - text[start..end].trim_start().len());
    out.push_str(body);
    let body_end = out.len();
    if end < text.len() {
        out.push_str(" …");
    }
    let ranges = hits
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| (r.start - start + shift)..(r.end - start + shift).min(body_end))
        .collect();
    (out, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_around_the_hit_cut_at_spaces() {
        let text = "كلمة ".repeat(30) + "الإسكندرية " + &"أخرى ".repeat(30);
        let start = text.find("الإسكندرية").unwrap();
        let hit = start..start + "الإسكندرية".len();
        let (s, ranges) = snippet(&text, std::slice::from_ref(&hit), 40);
        assert!(s.starts_with("… كلمة"), "{s}");
        assert!(s.ends_with("أخرى …"), "{s}");
        assert_eq!(&s[ranges[0].clone()], "الإسكندرية");
        assert!(s.chars().count() < 70, "{s}");
        // Short paragraphs are shown whole.
        let whole = 4.."وصل الوفد".len();
        let (s, r) = snippet("وصل الوفد", std::slice::from_ref(&whole), 40);
        assert_eq!(s, "وصل الوفد");
        assert_eq!(r, vec![whole]);
    }
}
