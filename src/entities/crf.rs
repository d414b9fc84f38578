//! The statistical tagger: a linear-chain CRF (the `crfs` crate, a Rust port
//! of CRFsuite) trained on ANERcorp and AQMAR, shipped as
//! `data/ner/model.crfsuite` (training data, licenses and the retraining
//! command in `data/ner/README.md`).

use std::io;
use std::sync::OnceLock;

use crfs::{Attribute, Model};

use super::features::sentence_features;
use super::gazetteer::Gazetteer;
use super::token::{tokenize, Token};
use super::EntityKind;

/// One token's tag in IOB2: outside, beginning or inside of a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    B(EntityKind),
    I(EntityKind),
}

impl Tag {
    /// The CoNLL label: `O`, `B-PER`, `I-LOC`, `B-ORG` …
    pub fn label(self) -> &'static str {
        use EntityKind::*;
        match self {
            Tag::O => "O",
            Tag::B(Person) => "B-PER",
            Tag::B(Place) => "B-LOC",
            Tag::B(Org) => "B-ORG",
            Tag::I(Person) => "I-PER",
            Tag::I(Place) => "I-LOC",
            Tag::I(Org) => "I-ORG",
        }
    }

    /// Parse a CoNLL label; anything that is not PER/LOC/ORG reads as `O`.
    pub fn from_label(label: &str) -> Tag {
        let kind = |k: &str| match k {
            "PER" | "PERS" => Some(EntityKind::Person),
            "LOC" => Some(EntityKind::Place),
            "ORG" => Some(EntityKind::Org),
            _ => None,
        };
        match label.split_once('-') {
            Some(("B", k)) => kind(k).map_or(Tag::O, Tag::B),
            Some(("I", k)) => kind(k).map_or(Tag::O, Tag::I),
            _ => Tag::O,
        }
    }

    /// The entity kind, if the tag is part of a name.
    pub fn kind(self) -> Option<EntityKind> {
        match self {
            Tag::O => None,
            Tag::B(k) | Tag::I(k) => Some(k),
        }
    }
}

/// A trained CRF model ready to tag sentences.
pub struct Tagger {
    model: Model<'static>,
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tagger")
            .field("labels", &self.model.num_labels())
            .field("attributes", &self.model.num_attrs())
            .finish()
    }
}

static BUILTIN_MODEL: &[u8] = include_bytes!("../../data/ner/model.crfsuite");

/// Sentences longer than this are tagged in chunks: the corpora's sentences
/// are rarely longer, and it bounds the work on a paragraph with no stops.
const MAX_SENTENCE_TOKENS: usize = 200;

impl Tagger {
    /// The model shipped with qari, loaded once.
    pub fn builtin() -> &'static Tagger {
        static TAGGER: OnceLock<Tagger> = OnceLock::new();
        TAGGER.get_or_init(|| {
            Tagger::from_bytes(BUILTIN_MODEL).expect("the built-in NER model is valid")
        })
    }

    /// Load a model in CRFsuite format (as written by `examples/train_ner.rs`).
    pub fn from_bytes(bytes: &'static [u8]) -> io::Result<Tagger> {
        let model = Model::new(bytes)?;
        // Fail now rather than on every sentence later.
        model.tagger()?;
        Ok(Tagger { model })
    }

    /// One tag per token of one sentence (`tokens` are the original token
    /// texts). The result is always well formed IOB2: an `I-X` only follows
    /// `B-X` or `I-X`.
    pub fn tag(&self, tokens: &[&str]) -> Vec<Tag> {
        let mut tags = Vec::with_capacity(tokens.len());
        for chunk in tokens.chunks(MAX_SENTENCE_TOKENS) {
            tags.extend(self.tag_chunk(chunk));
        }
        repair_iob(&mut tags);
        tags
    }

    fn tag_chunk(&self, tokens: &[&str]) -> Vec<Tag> {
        if tokens.is_empty() {
            return Vec::new();
        }
        let xseq: Vec<Vec<Attribute>> = sentence_features(tokens, Gazetteer::builtin())
            .into_iter()
            .map(|f| {
                f.into_iter()
                    .map(|name| Attribute::new(name, 1.0))
                    .collect()
            })
            .collect();
        let labels = self.model.tagger().and_then(|t| {
            t.tag(&xseq)
                .map(|l| l.into_iter().map(Tag::from_label).collect())
        });
        // `from_bytes` checked the model, so tagging cannot fail on a valid
        // one; if it ever did, no names is the safe answer.
        labels.unwrap_or_else(|_| vec![Tag::O; tokens.len()])
    }

    /// Tokenize a paragraph, split it into sentences and tag every token.
    pub fn tag_text(&self, text: &str) -> Vec<(Token, Tag)> {
        let tokens = tokenize(text);
        let mut out = Vec::with_capacity(tokens.len());
        for range in sentences(text, &tokens) {
            let words: Vec<&str> = tokens[range.clone()].iter().map(|t| t.text(text)).collect();
            out.extend(tokens[range].iter().copied().zip(self.tag(&words)));
        }
        out
    }
}

/// Split tokens into sentences (ranges of token indices), after each run
/// of sentence-final punctuation, as the training corpora are split.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<std::ops::Range<usize>> {
    let is_stop = |t: &Token| matches!(t.text(text), "." | "!" | "?" | "؟" | "…" | "؛" | ";");
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..tokens.len() {
        let next_is_stop = tokens.get(i + 1).is_some_and(is_stop);
        if is_stop(&tokens[i]) && !next_is_stop {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
    out
}

/// Make a tag sequence valid IOB2: an `I-X` after `O` or another kind
/// becomes `B-X` (the conlleval reading of such a sequence).
pub fn repair_iob(tags: &mut [Tag]) {
    let mut prev = Tag::O;
    for tag in tags.iter_mut() {
        if let Tag::I(k) = *tag {
            if prev.kind() != Some(k) {
                *tag = Tag::B(k);
            }
        }
        prev = *tag;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    /// The names the tagger finds, as (text, kind).
    fn names(text: &str) -> Vec<(String, EntityKind)> {
        let tagged = Tagger::builtin().tag_text(text);
        let mut out: Vec<(String, EntityKind)> = Vec::new();
        let mut prev_end = 0;
        for (tok, tag) in tagged {
            match tag {
                Tag::B(k) => out.push((tok.text(text).to_owned(), k)),
                Tag::I(_) => {
                    let last = out.last_mut().expect("repaired IOB");
                    last.0.push_str(&text[prev_end..tok.end]);
                }
                Tag::O => {}
            }
            prev_end = tok.end;
        }
        out
    }

    #[test]
    fn labels_round_trip() {
        for tag in [Tag::O, Tag::B(Person), Tag::I(Place), Tag::B(Org)] {
            assert_eq!(Tag::from_label(tag.label()), tag);
        }
        assert_eq!(Tag::from_label("B-MISC"), Tag::O);
        assert_eq!(Tag::from_label("B-PERS"), Tag::B(Person));
    }

    #[test]
    fn iob_is_repaired() {
        let mut tags = [
            Tag::I(Place),
            Tag::I(Place),
            Tag::I(Org),
            Tag::O,
            Tag::I(Person),
        ];
        repair_iob(&mut tags);
        assert_eq!(
            tags,
            [
                Tag::B(Place),
                Tag::I(Place),
                Tag::B(Org),
                Tag::O,
                Tag::B(Person)
            ]
        );
    }

    #[test]
    fn sentences_split_after_stops() {
        let text = "زار الرئيس مصر. ثم عاد!! وقال";
        let toks = tokenize(text);
        let s = sentences(text, &toks);
        assert_eq!(s, [0..4, 4..8, 8..9]);
    }

    #[test]
    fn finds_obvious_entities() {
        let found =
            names("وقال الرئيس الفرنسي إيمانويل ماكرون في باريس إن فرنسا تدعم الأمم المتحدة .");
        assert!(
            found.contains(&("إيمانويل ماكرون".into(), Person)),
            "{found:?}"
        );
        assert!(found.contains(&("باريس".into(), Place)), "{found:?}");
        assert!(found.contains(&("فرنسا".into(), Place)), "{found:?}");
        assert!(found.contains(&("الأمم المتحدة".into(), Org)), "{found:?}");

        let found = names("وصل وزير الخارجية المصري إلى بكين قادما من موسكو .");
        assert!(found.contains(&("بكين".into(), Place)), "{found:?}");
        assert!(found.contains(&("موسكو".into(), Place)), "{found:?}");

        let found = names("أعلن الاتحاد الأوروبي أمس عن مساعدات جديدة للسودان .");
        assert!(
            found
                .iter()
                .any(|(t, k)| t.contains("الاتحاد الأوروبي") && *k == Org),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(t, k)| t.contains("للسودان") && *k == Place),
            "{found:?}"
        );
    }

    #[test]
    fn plain_sentence_has_no_names() {
        assert!(names("ذهب الولد إلى المدرسة صباحا وعاد في المساء .").is_empty());
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let t = Tagger::builtin();
        assert!(t.tag(&[]).is_empty());
        assert!(t.tag_text("").is_empty());
        assert_eq!(t.tag_text("،.!؟...").len(), 7);
        let long = "م".repeat(100_000);
        assert_eq!(t.tag(&[long.as_str()]).len(), 1);
        let many = "كلمة ".repeat(1000);
        assert_eq!(t.tag_text(&many).len(), 1000);
        assert!(Tagger::from_bytes(b"not a model").is_err());
    }
}
