//! Measuring the recognizer: gold annotations, precision, recall and F1.
//!
//! Two gold formats are read:
//! - **Inline markup** (the project's own evaluation set in
//!   `tests/data/ner-eval/*.txt`): one paragraph per line, entities written
//!   as `[[PER:…]]`, `[[LOC:…]]` or `[[ORG:…]]` around their surface form,
//!   attached clitics left outside (`و[[LOC:روسيا]]`, `ل[[LOC:لصين]]` for
//!   "للصين"); lines starting with `#` are comments, blank lines are
//!   ignored; a line starting with `= ` is the article's title (at most one).
//! - **CoNLL** (`token<TAB>tag` with IOB2 tags, blank line between
//!   sentences), as in ANERcorp. Each sentence is joined with single spaces
//!   and recognized as one paragraph; predicted mentions are mapped to the
//!   tokens they overlap and compared with the gold token spans.
//!
//! Scores are given per kind, for exact spans (paragraph, start, end and
//! kind all equal) and for distinct names (each document's set of
//! (kind, folded name) pairs).

pub use super::conll::Counts;
use super::conll::{spans, Sentence};
use super::{Block, Entity, EntityKind};
use crate::text::fold_arabic;
use std::collections::HashSet;

/// A gold or predicted mention.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub block: Block,
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
}

/// A document with its gold mentions.
#[derive(Debug, Clone, Default)]
pub struct GoldDoc {
    /// The headline, when the document has one (`= ` line).
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    pub gold: Vec<Span>,
}

impl GoldDoc {
    /// The body paragraphs as string slices.
    pub fn paragraph_refs(&self) -> Vec<&str> {
        self.paragraphs.iter().map(String::as_str).collect()
    }

    /// The title, empty when there is none.
    pub fn title_ref(&self) -> &str {
        self.title.as_deref().unwrap_or("")
    }
}

/// The text of a block: `title` for the title, else the paragraph.
pub fn block_text<'a>(title: &'a str, paragraphs: &[&'a str], block: Block) -> &'a str {
    match block {
        Block::Title => title,
        Block::Paragraph(i) => paragraphs[i],
    }
}

/// A malformed markup line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for MarkupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

fn kind_of_tag(tag: &str) -> Option<EntityKind> {
    match tag {
        "PER" => Some(EntityKind::Person),
        "LOC" => Some(EntityKind::Place),
        "ORG" => Some(EntityKind::Org),
        _ => None,
    }
}

/// Parse a document written in inline markup.
pub fn parse_markup(source: &str) -> Result<GoldDoc, MarkupError> {
    let mut doc = GoldDoc::default();
    for (n, line) in source.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |message: &str| MarkupError {
            line: n + 1,
            message: message.to_string(),
        };
        let (block, mut rest) = match line.strip_prefix("= ") {
            Some(title) if doc.title.is_none() => (Block::Title, title.trim()),
            Some(_) => return Err(err("a second title")),
            None => (Block::Paragraph(doc.paragraphs.len()), line),
        };
        let mut text = String::new();
        while let Some(open) = rest.find("[[") {
            text.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let close = after.find("]]").ok_or_else(|| err("unclosed [["))?;
            let inner = &after[..close];
            let (tag, name) = inner.split_once(':').ok_or_else(|| err("missing KIND:"))?;
            let kind = kind_of_tag(tag).ok_or_else(|| err("kind must be PER, LOC or ORG"))?;
            if name.trim() != name || name.is_empty() || name.contains("[[") {
                return Err(err("bad entity text"));
            }
            let start = text.len();
            text.push_str(name);
            doc.gold.push(Span {
                block,
                start,
                end: text.len(),
                kind,
            });
            rest = &after[close + 2..];
        }
        if rest.contains("]]") {
            return Err(err("stray ]]"));
        }
        text.push_str(rest);
        match block {
            Block::Title => doc.title = Some(text),
            Block::Paragraph(_) => doc.paragraphs.push(text),
        }
    }
    Ok(doc)
}

/// The name a mention stands for, for distinct-name scoring: its folded
/// surface, with "ال" restored when it follows a ل clitic ("للصين").
pub fn mention_name(paragraph: &str, start: usize, end: usize) -> String {
    let surface = &paragraph[start..end];
    let name = fold_arabic(surface).text;
    if paragraph[..start].ends_with('ل') && name.starts_with('ل') && !name.starts_with("ال") {
        format!("ا{name}")
    } else {
        name
    }
}

/// The predicted mentions of a list of entities.
pub fn spans_of(entities: &[Entity]) -> Vec<Span> {
    let mut out: Vec<Span> = entities
        .iter()
        .flat_map(|e| {
            e.mentions.iter().map(|m| Span {
                block: m.block,
                start: m.start,
                end: m.end,
                kind: e.kind,
            })
        })
        .collect();
    out.sort();
    out
}

pub const KINDS: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Org];

fn kind_index(k: EntityKind) -> usize {
    match k {
        EntityKind::Person => 0,
        EntityKind::Place => 1,
        EntityKind::Org => 2,
    }
}

/// Scores per kind, for spans and for distinct names.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub spans: [Counts; 3],
    pub names: [Counts; 3],
}

impl Scores {
    pub fn span(&self, kind: EntityKind) -> Counts {
        self.spans[kind_index(kind)]
    }
    pub fn name(&self, kind: EntityKind) -> Counts {
        self.names[kind_index(kind)]
    }
    /// Span counts summed over some kinds (micro average).
    pub fn span_over(&self, kinds: &[EntityKind]) -> Counts {
        let mut c = Counts::default();
        for k in kinds {
            c.add(self.span(*k));
        }
        c
    }
    pub fn name_over(&self, kinds: &[EntityKind]) -> Counts {
        let mut c = Counts::default();
        for k in kinds {
            c.add(self.name(*k));
        }
        c
    }

    /// Add one document: gold and predicted spans over its title (empty
    /// when it has none) and paragraphs.
    pub fn add_doc(&mut self, title: &str, paragraphs: &[&str], gold: &[Span], predicted: &[Span]) {
        let g: HashSet<&Span> = gold.iter().collect();
        let p: HashSet<&Span> = predicted.iter().collect();
        for s in &p {
            let c = &mut self.spans[kind_index(s.kind)];
            if g.contains(s) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        for s in g.difference(&p) {
            self.spans[kind_index(s.kind)].fn_ += 1;
        }
        let names = |spans: &[Span]| -> HashSet<(EntityKind, String)> {
            spans
                .iter()
                .map(|s| {
                    (
                        s.kind,
                        mention_name(block_text(title, paragraphs, s.block), s.start, s.end),
                    )
                })
                .collect()
        };
        let (gn, pn) = (names(gold), names(predicted));
        for n in &pn {
            let c = &mut self.names[kind_index(n.0)];
            if gn.contains(n) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        for n in gn.difference(&pn) {
            self.names[kind_index(n.0)].fn_ += 1;
        }
    }

    /// A printable table of precision, recall and F1.
    pub fn report(&self) -> String {
        let mut out =
            String::from("kind     | span P  R      F1     (tp/fp/fn)      | name P  R      F1\n");
        let row = |label: &str, s: Counts, n: Counts| {
            format!(
                "{label:<8} | {:.3}  {:.3}  {:.3}  ({}/{}/{}){} | {:.3}  {:.3}  {:.3}\n",
                s.precision(),
                s.recall(),
                s.f1(),
                s.tp,
                s.fp,
                s.fn_,
                " ".repeat(14usize.saturating_sub(format!("{}/{}/{}", s.tp, s.fp, s.fn_).len())),
                n.precision(),
                n.recall(),
                n.f1()
            )
        };
        for (label, k) in [
            ("person", EntityKind::Person),
            ("place", EntityKind::Place),
            ("org", EntityKind::Org),
        ] {
            out.push_str(&row(label, self.span(k), self.name(k)));
        }
        let pl = [EntityKind::Person, EntityKind::Place];
        out.push_str(&row("per+loc", self.span_over(&pl), self.name_over(&pl)));
        out.push_str(&row("all", self.span_over(&KINDS), self.name_over(&KINDS)));
        out
    }
}

/// A sentence as one paragraph (tokens joined by spaces), its gold spans in
/// byte offsets of that paragraph, and the byte range of every token.
pub fn conll_paragraph(sentence: &Sentence) -> (String, Vec<Span>, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut ranges = Vec::new();
    for (i, tok) in sentence.tokens.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        ranges.push((text.len(), text.len() + tok.len()));
        text.push_str(tok);
    }
    let gold = spans(&sentence.tags)
        .into_iter()
        .map(|(first, end, kind)| Span {
            block: Block::Paragraph(0),
            start: ranges[first].0,
            end: ranges[end - 1].1,
            kind,
        })
        .collect();
    (text, gold, ranges)
}

/// Predicted spans widened to whole tokens: a mention without its clitic
/// ("روسيا" in "وروسيا") counts as the token it sits in, as CoNLL gold
/// marks whole tokens.
pub fn snap_to_tokens(predicted: &[Span], ranges: &[(usize, usize)]) -> Vec<Span> {
    predicted
        .iter()
        .filter_map(|s| {
            let first = ranges.iter().position(|&(a, b)| a < s.end && s.start < b)?;
            let last = ranges
                .iter()
                .rposition(|&(a, b)| a < s.end && s.start < b)?;
            Some(Span {
                block: s.block,
                start: ranges[first].0,
                end: ranges[last].1,
                kind: s.kind,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::conll::read_conll;

    #[test]
    fn markup_gives_text_and_spans() {
        let doc = parse_markup("# comment\nزار [[PER:جو بايدن]] و[[LOC:روسيا]] ل[[LOC:لصين]].\n")
            .unwrap();
        assert_eq!(doc.paragraphs, ["زار جو بايدن وروسيا للصين."]);
        let p = &doc.paragraphs[0];
        let texts: Vec<&str> = doc.gold.iter().map(|s| &p[s.start..s.end]).collect();
        assert_eq!(texts, ["جو بايدن", "روسيا", "لصين"]);
        assert_eq!(mention_name(p, doc.gold[2].start, doc.gold[2].end), "الصين");
        assert!(doc.title.is_none());
        assert!(parse_markup("[[XXX:a]]").is_err());
        let doc = parse_markup("= [[PER:بايدن]] في [[LOC:روما]]\nقال [[PER:بايدن]]\n").unwrap();
        assert_eq!(doc.title.as_deref(), Some("بايدن في روما"));
        assert_eq!(doc.paragraphs, ["قال بايدن"]);
        assert_eq!(doc.gold[0].block, Block::Title);
        assert_eq!(doc.gold[1].block, Block::Title);
        assert_eq!(doc.gold[2].block, Block::Paragraph(0));
        assert!(parse_markup("= أ\n= ب\n").is_err());
        assert!(parse_markup("[[PER:a").is_err());
    }

    #[test]
    fn conll_spans_and_scores() {
        let (s, _) = read_conll("قال\tO\nجو\tB-PER\nبايدن\tI-PER\nوروسيا\tB-LOC\n\n");
        let (text, gold, ranges) = conll_paragraph(&s[0]);
        assert_eq!(text, "قال جو بايدن وروسيا");
        assert_eq!(gold.len(), 2);
        let pred = vec![Span {
            block: Block::Paragraph(0),
            start: text.find("روسيا").unwrap(),
            end: text.len(),
            kind: EntityKind::Place,
        }];
        let snapped = snap_to_tokens(&pred, &ranges);
        let mut scores = Scores::default();
        scores.add_doc("", &[&text], &gold, &snapped);
        assert_eq!(scores.span(EntityKind::Place).tp, 1);
        assert_eq!(scores.span(EntityKind::Person).fn_, 1);
        assert!((scores.span(EntityKind::Place).f1() - 1.0).abs() < 1e-9);
    }
}
