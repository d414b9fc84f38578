//! CoNLL-format NER data and conlleval-style scoring (exact spans).
//!
//! Used by the training and evaluation examples and by any evaluation that
//! compares predicted tags with gold ones.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use std::path::PathBuf;

use super::crf::Tag;
use super::EntityKind;

/// The NER corpus directory (`../shared/ner` in the project layout): the
/// argument, else `$QARI_NER_DATA`, else `shared/ner` beside the repository
/// or any folder above it (so it is found from a worktree too).
pub fn data_dir(arg: Option<String>) -> PathBuf {
    let given = arg.or_else(|| std::env::var("QARI_NER_DATA").ok());
    if let Some(dir) = given.filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/ner"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| PathBuf::from("../shared/ner"))
}

/// One annotated sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<Tag>,
}

/// Read `token<TAB>tag` lines with blank lines between sentences (a space
/// also separates the columns; the tag is the last column). Returns the
/// sentences and the 1-based numbers of lines that could not be read.
pub fn read_conll(text: &str) -> (Vec<Sentence>, Vec<usize>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut cur = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        match line.rsplit_once(['\t', ' ']) {
            Some((token, tag)) if !token.trim().is_empty() => {
                cur.tokens.push(token.trim().to_owned());
                cur.tags.push(Tag::from_label(tag.trim()));
            }
            _ => bad.push(n + 1),
        }
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    (out, bad)
}

/// The entity spans of an IOB2 sequence as `(start, end, kind)` token
/// ranges, read as conlleval does: an `I-X` that does not continue an `X`
/// starts a new span.
pub fn spans(tags: &[Tag]) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let continues = matches!((tag, open), (Tag::I(k), Some((_, o))) if *k == o);
        if continues {
            continue;
        }
        if let Some((start, kind)) = open.take() {
            out.push((start, i, kind));
        }
        if let Some(kind) = tag.kind() {
            open = Some((i, kind));
        }
    }
    if let Some((start, kind)) = open {
        out.push((start, tags.len(), kind));
    }
    out
}

/// True/false positive and false negative counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub(crate) fn add(&mut self, other: Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Exact-span scores per kind, accumulated over sentences.
#[derive(Clone, Debug, Default)]
pub struct SpanScores {
    pub per_kind: BTreeMap<EntityKind, Counts>,
}

impl SpanScores {
    /// Count one sentence's predicted spans against the gold ones.
    pub fn add(&mut self, gold: &[Tag], predicted: &[Tag]) {
        let g = spans(gold);
        let p = spans(predicted);
        for kind in [EntityKind::Person, EntityKind::Place, EntityKind::Org] {
            let c = self.per_kind.entry(kind).or_default();
            let gk: Vec<_> = g.iter().filter(|s| s.2 == kind).collect();
            let pk: Vec<_> = p.iter().filter(|s| s.2 == kind).collect();
            let tp = pk.iter().filter(|s| gk.contains(s)).count();
            c.tp += tp;
            c.fp += pk.len() - tp;
            c.fn_ += gk.len() - tp;
        }
    }

    /// Counts summed over `kinds`.
    pub fn combined(&self, kinds: &[EntityKind]) -> Counts {
        let mut total = Counts::default();
        for k in kinds {
            if let Some(c) = self.per_kind.get(k) {
                total.add(*c);
            }
        }
        total
    }

    /// A table: one row per kind, then PER+LOC and all kinds.
    pub fn table(&self) -> String {
        use EntityKind::*;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<8} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "kind", "gold", "pred", "tp", "P", "R", "F1"
        );
        let rows = [
            ("PER", vec![Person]),
            ("LOC", vec![Place]),
            ("ORG", vec![Org]),
            ("PER+LOC", vec![Person, Place]),
            ("all", vec![Person, Place, Org]),
        ];
        for (name, kinds) in rows {
            let c = self.combined(&kinds);
            let _ = writeln!(
                out,
                "{:<8} {:>6} {:>6} {:>6} {:>6.3} {:>6.3} {:>6.3}",
                name,
                c.tp + c.fn_,
                c.tp + c.fp,
                c.tp,
                c.precision(),
                c.recall(),
                c.f1()
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    #[test]
    fn reads_sentences_and_reports_bad_lines() {
        let (s, bad) = read_conll("أعلن\tO\nباريس\tB-LOC\n\n\nمحمد\tB-PERS\nعلي I-PERS\nbroken\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags, [Tag::O, Tag::B(Place)]);
        assert_eq!(s[1].tokens, ["محمد", "علي"]);
        assert_eq!(s[1].tags, [Tag::B(Person), Tag::I(Person)]);
        assert_eq!(bad, [7]);
    }

    #[test]
    fn spans_follow_conlleval() {
        let tags = [
            Tag::B(Person),
            Tag::I(Person),
            Tag::I(Place),
            Tag::O,
            Tag::B(Org),
        ];
        assert_eq!(spans(&tags), [(0, 2, Person), (2, 3, Place), (4, 5, Org)]);
    }

    #[test]
    fn scores_count_exact_spans_only() {
        let mut s = SpanScores::default();
        let gold = [Tag::B(Person), Tag::I(Person), Tag::O, Tag::B(Place)];
        let pred = [Tag::B(Person), Tag::O, Tag::O, Tag::B(Place)];
        s.add(&gold, &pred);
        let per = s.combined(&[Person]);
        assert_eq!((per.tp, per.fp, per.fn_), (0, 1, 1));
        let loc = s.combined(&[Place]);
        assert_eq!((loc.tp, loc.fp, loc.fn_), (1, 0, 0));
        assert!((s.combined(&[Person, Place]).f1() - 0.5).abs() < 1e-9);
        assert!(s.table().contains("PER+LOC"));
    }
}
