//! Arabic-aware search in an article: the query and each paragraph are
//! folded with [`crate::text::fold_arabic`] (harakat and tatweel ignored,
//! أ إ آ ا alike, ة/ه and ى/ي alike), and hits are reported as byte ranges
//! of the original paragraph text, ready to become layout style spans.

use crate::text::fold_arabic;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub paragraph: usize,
    pub range: Range<usize>,
}

/// The folded form of a query; `None` when nothing is left to search for.
pub fn fold_query(query: &str) -> Option<String> {
    let folded = fold_arabic(query.trim()).text;
    (!folded.is_empty()).then_some(folded)
}

/// Non-overlapping hits of `query` in one text, in original byte ranges.
pub fn find_in(text: &str, folded_query: &str) -> Vec<Range<usize>> {
    if folded_query.is_empty() {
        return Vec::new();
    }
    let folded = fold_arabic(text);
    folded
        .text
        .match_indices(folded_query)
        .map(|(at, m)| folded.original_range(at..at + m.len()))
        .collect()
}

/// Every hit of `query` in `paragraphs`, in reading order.
pub fn search<'a>(paragraphs: impl IntoIterator<Item = &'a str>, query: &str) -> Vec<Hit> {
    let Some(q) = fold_query(query) else {
        return Vec::new();
    };
    paragraphs
        .into_iter()
        .enumerate()
        .flat_map(|(i, text)| {
            find_in(text, &q).into_iter().map(move |range| Hit {
                paragraph: i,
                range,
            })
        })
        .collect()
}

/// Whether `text` contains `query`, folded (for the list filter).
pub fn contains(text: &str, folded_query: &str) -> bool {
    folded_query.is_empty() || fold_arabic(text).text.contains(folded_query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_harakat_tatweel_and_letter_variants() {
        let paras = [
            "وصلَ الرئيسُ إلى القاهرةِ",
            "أعلنت الحكومـــة خطة جديدة",
            "مستشفى الشفاء",
        ];
        let hits = search(paras, "القاهره");
        assert_eq!(hits.len(), 1);
        assert_eq!(&paras[0][hits[0].range.clone()], "القاهرةِ");
        let hits = search(paras, "الحكومة");
        assert_eq!(&paras[1][hits[0].range.clone()], "الحكومـــة");
        let hits = search(paras, "مستشفي");
        assert_eq!(&paras[2][hits[0].range.clone()], "مستشفى");
        let hits = search(paras, "الي");
        assert_eq!(hits.len(), 1);
        assert_eq!(&paras[0][hits[0].range.clone()], "إلى");
        let hits = search(paras, "اعلنت");
        assert_eq!(&paras[1][hits[0].range.clone()], "أعلنت");
    }

    #[test]
    fn all_hits_in_order_and_empty_query() {
        let paras = ["غزة وغزة", "لا شيء", "غزة"];
        let hits = search(paras, "غزة");
        let at: Vec<usize> = hits.iter().map(|h| h.paragraph).collect();
        assert_eq!(at, vec![0, 0, 2]);
        assert!(search(paras, "  ").is_empty());
        assert!(search(paras, "\u{064E}").is_empty());
    }

    #[test]
    fn latin_is_case_insensitive() {
        let hits = search(["Reuters said"], "reuters");
        assert_eq!(hits[0].range, 0..7);
    }
}
