//! Reading units: a body that arrived as one block (a scraped page with no
//! line breaks) is cut at sentence ends into units of at most
//! `[units] max_words` words, so `j`/`k`, bookmarks and the reading position
//! have somewhere to go. Each unit carries `part_of`, the index of the
//! paragraph it was cut from. Short paragraphs are never merged, and the cut
//! depends only on the text and the rules, so saved positions stay valid.

use super::model::{Paragraph, ParagraphKind};
use super::rules::Rules;

/// The paragraphs with each over-long body paragraph cut into units.
pub fn split(paragraphs: Vec<Paragraph>, rules: &Rules) -> Vec<Paragraph> {
    let max = rules.unit_max_words;
    if max == 0 || paragraphs.iter().all(|p| !too_long(p, max)) {
        return paragraphs;
    }
    let mut out = Vec::with_capacity(paragraphs.len() + 8);
    for (index, p) in paragraphs.into_iter().enumerate() {
        if !too_long(&p, max) {
            out.push(p);
            continue;
        }
        let units = units(&p.text, max, rules);
        if units.len() < 2 {
            out.push(p);
            continue;
        }
        for text in units {
            out.push(Paragraph {
                text: text.to_string(),
                kind: p.kind,
                part_of: Some(index),
            });
        }
    }
    out
}

fn too_long(p: &Paragraph, max: usize) -> bool {
    matches!(p.kind, ParagraphKind::Body | ParagraphKind::Quote)
        && p.text.split_whitespace().nth(max).is_some()
}

/// Where sentences may end in `text`: byte offsets just after the
/// sentence's last character (and before the whitespace that follows).
fn sentence_ends(text: &str, rules: &Rules) -> Vec<usize> {
    let mut ends = Vec::new();
    // Quotes and brackets open: no cut inside them.
    let mut depth: i32 = 0;
    let mut straight_quote = false;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        match c {
            '(' | '[' | '{' | '«' | '“' => depth += 1,
            ')' | ']' | '}' | '»' | '”' => depth = (depth - 1).max(0),
            '"' => straight_quote = !straight_quote,
            _ => {}
        }
        if depth > 0 || straight_quote {
            continue;
        }
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let end = at + c.len_utf8();
        match c {
            // Only before whitespace: "3.5" and "www.x.com" are no ends.
            '.' | '؟' | '?' | '!' | '…' if next.is_none_or(char::is_whitespace) => {
                if c == '.' && is_abbreviation(&text[..end], rules) {
                    continue;
                }
                ends.push(end);
            }
            // A " - " bullet separator run into the text: the cut is
            // before the dash, which starts the next unit. Not in the first
            // words, where the dash ends a dateline ("بغداد (أ ف ب) - ").
            '-' | '–' | '—'
                if k > 0
                    && chars[k - 1].1 == ' '
                    && next == Some(' ')
                    && text[..at].split_whitespace().nth(5).is_some() =>
            {
                ends.push(chars[k - 1].0);
            }
            _ => {}
        }
    }
    ends
}

/// Where the first sentence of `text` ends, looking at its start only (a
/// derived title needs no more of a 5 MB paragraph).
pub(crate) fn first_sentence_end(text: &str, rules: &Rules) -> Option<usize> {
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    sentence_ends(&text[..end], rules).into_iter().next()
}

/// Whether the word ending `before` (which ends in ".") is an
/// abbreviation or a lone letter ("د.", "أ.د.", "J.") rather than a
/// sentence's last word.
fn is_abbreviation(before: &str, rules: &Rules) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters == 1 || rules.abbreviations.contains(word)
}

/// The units of one paragraph: whole sentences, as many as fit in `max`
/// words; a single sentence longer than that is a unit of its own.
fn units<'a>(text: &'a str, max: usize, rules: &Rules) -> Vec<&'a str> {
    let mut cuts = sentence_ends(text, rules);
    cuts.push(text.len());
    let mut out = Vec::new();
    let mut start = 0;
    let mut words = 0;
    let mut last_cut: Option<usize> = None;
    let mut prev = 0;
    for cut in cuts {
        let n = text[prev..cut].split_whitespace().count();
        prev = cut;
        if n == 0 {
            continue;
        }
        if words > 0 && words + n > max {
            if let Some(at) = last_cut {
                out.push(text[start..at].trim());
                start = at;
                words = 0;
            }
        }
        words += n;
        last_cut = Some(cut);
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out.retain(|u| !u.is_empty());
    out
}

/// For each paragraph of an imported article, the index of the paragraph it
/// was cut from before the split into reading units (its own place when it
/// was not cut).
pub fn sources(paragraphs: &[Paragraph]) -> Vec<usize> {
    let mut next = 0;
    paragraphs
        .iter()
        .map(|p| match p.part_of {
            Some(n) => {
                next = n + 1;
                n
            }
            None => {
                next += 1;
                next - 1
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(i: usize, words: usize) -> String {
        let mut s: Vec<String> = (0..words).map(|w| format!("كلمة{i}x{w}")).collect();
        s.last_mut().unwrap().push('.');
        s.join(" ")
    }

    #[test]
    fn a_one_block_body_is_cut_at_sentence_ends() {
        let rules = Rules::builtin();
        let text: Vec<String> = (0..8).map(|i| sentence(i, 25)).collect();
        let text = text.join(" ");
        let out = split(
            vec![Paragraph::body(&text), Paragraph::body("قصيرة.")],
            rules,
        );
        assert!(out.len() >= 4, "{out:#?}");
        let (units, rest) = out.split_at(out.len() - 1);
        for u in units {
            assert_eq!(u.part_of, Some(0));
            assert!(u.text.split_whitespace().count() <= 80, "{}", u.text);
            assert!(u.text.ends_with('.'), "cut inside a sentence: {}", u.text);
        }
        // Nothing lost, nothing moved; short paragraphs untouched.
        let joined: Vec<&str> = units
            .iter()
            .flat_map(|u| u.text.split_whitespace())
            .collect();
        assert_eq!(joined, text.split_whitespace().collect::<Vec<_>>());
        assert_eq!(rest[0], Paragraph::body("قصيرة."));
        // Stable: the same text gives the same units.
        let again = split(
            vec![Paragraph::body(&text), Paragraph::body("قصيرة.")],
            rules,
        );
        assert_eq!(again, out);
    }

    #[test]
    fn no_cut_inside_numbers_abbreviations_quotes_or_brackets() {
        let rules = Rules::builtin();
        let filler = |n: usize| vec!["كلام"; n].join(" ");
        let text = format!(
            "{} بلغ النمو 3.5 في المئة وقال د. أحمد إن «الأمر انتهى. ولن يعود» (كما قال. أمس) {}. {}.",
            filler(40),
            filler(40),
            filler(40)
        );
        let ends = sentence_ends(&text, rules);
        for bad in ["3.", "د.", "انتهى.", "قال."] {
            let at = text.find(bad).unwrap() + bad.len();
            assert!(!ends.contains(&at), "cut after {bad}");
        }
        assert_eq!(ends.len(), 2, "{ends:?}");
    }

    #[test]
    fn bullets_run_together_are_cut_before_the_dash() {
        let rules = Rules::builtin();
        let item = |i: usize| format!("بند {i} {}", vec!["نص"; 30].join(" "));
        let text = (0..4).map(item).collect::<Vec<_>>().join(" - ");
        let out = split(vec![Paragraph::body(&text)], rules);
        assert!(out.len() >= 2, "{out:#?}");
        assert!(out[1].text.starts_with("- بند"), "{}", out[1].text);
    }

    #[test]
    fn the_dash_after_a_dateline_is_no_bullet() {
        let rules = Rules::builtin();
        let text = format!("بغداد (أ ف ب) - {}", vec!["نص"; 100].join(" "));
        assert!(sentence_ends(&text, rules).is_empty());
    }

    #[test]
    fn one_long_sentence_stays_whole_and_headings_are_never_cut() {
        let rules = Rules::builtin();
        let long = vec!["كلمة"; 200].join(" ");
        assert_eq!(split(vec![Paragraph::body(&long)], rules)[0].part_of, None);
        let text: Vec<String> = (0..8).map(|i| sentence(i, 25)).collect();
        let heading = Paragraph::new(text.join(" "), ParagraphKind::Heading);
        assert_eq!(split(vec![heading.clone()], rules), vec![heading]);
    }

    #[test]
    fn sources_give_each_unit_its_paragraph_before_the_split() {
        let mut ps: Vec<Paragraph> = ["a", "b1", "b2", "c", "d1", "d2", "e"]
            .iter()
            .map(|t| Paragraph::body(*t))
            .collect();
        for i in [1, 2] {
            ps[i].part_of = Some(1);
        }
        for i in [4, 5] {
            ps[i].part_of = Some(3);
        }
        assert_eq!(sources(&ps), vec![0, 1, 1, 2, 3, 3, 4]);
        assert!(sources(&[]).is_empty());
    }
}
