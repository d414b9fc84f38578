//! The statistical tagger: a linear-chain CRF (the `crfs` crate, a Rust port
//! of CRFsuite) trained on ANERcorp and AQMAR, shipped as
//! `data/ner/model.crfsuite` (training data, licenses and the retraining
//! command in `data/ner/README.md`).

use std::io;
use std::sync::OnceLock;

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crfs::Model;

use super::features::for_each_feature;
use super::gazetteer::Gazetteer;
use super::lexicon::SeenNames;
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
///
/// The model file is read with `crfs` (CRFsuite format); its weights are
/// then copied into a hash map keyed by feature name, so tagging looks
/// features up without allocating a string per feature (the `crfs` tagger
/// takes owned attribute names, which made a 5,000-word article take about
/// 30 ms). Scores and Viterbi decoding are the same as CRFsuite's; a test
/// checks both taggers agree.
pub struct Tagger {
    labels: Vec<Tag>,
    /// `trans[prev * L + cur]`.
    trans: Vec<f64>,
    /// Feature name → range of `(label, weight)` pairs in `weights`.
    attrs: FxHashMap<Box<str>, (u32, u32)>,
    weights: Vec<(u8, f32)>,
    /// The training-name list the model was trained with (features).
    seen: &'static SeenNames,
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tagger")
            .field("labels", &self.labels)
            .field("attributes", &self.attrs.len())
            .field("weights", &self.weights.len())
            .finish()
    }
}

static BUILTIN_MODEL: &[u8] = include_bytes!("../../data/ner/model.crfsuite");

/// Sentences longer than this are tagged in chunks: the corpora's sentences
/// are rarely longer, and it bounds the work on a paragraph with no stops.
const MAX_SENTENCE_TOKENS: usize = 200;

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("NER model: {what}"))
}

/// A weight as the model's text dump printed it (`{:.6}`) and read back:
/// the precision the tagger was checked against `crfs` with.
fn rounded(weight: f64, buf: &mut String) -> io::Result<f64> {
    use std::fmt::Write as _;
    buf.clear();
    write!(buf, "{weight:.6}").map_err(|_| invalid("weight"))?;
    buf.parse().map_err(|_| invalid("weight value"))
}

/// One feature of a CRFsuite model file.
struct Feature {
    source: u32,
    target: u32,
    weight: f64,
}

/// The feature table and reference lists of a CRFsuite model file, read
/// with bounds checks (a damaged file is an error, never a panic).
struct FeatureTable<'a> {
    bytes: &'a [u8],
    off_features: usize,
    num_features: u32,
    off_label_refs: usize,
    off_attr_refs: usize,
}

/// Bytes of a chunk header (tag, size, count) before a chunk's entries.
const CHUNK_HEADER: usize = 12;
const FEATURE_BYTES: usize = 20;

fn read_u32(bytes: &[u8], at: usize) -> io::Result<u32> {
    at.checked_add(4)
        .and_then(|end| bytes.get(at..end))
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| invalid("truncated"))
}

impl<'a> FeatureTable<'a> {
    fn new(bytes: &'a [u8]) -> io::Result<FeatureTable<'a>> {
        Ok(FeatureTable {
            bytes,
            num_features: read_u32(bytes, 16)?,
            off_features: read_u32(bytes, 28)? as usize,
            off_label_refs: read_u32(bytes, 40)? as usize,
            off_attr_refs: read_u32(bytes, 44)? as usize,
        })
    }

    /// The feature ids listed for label or attribute `id` in the reference
    /// chunk at `chunk`.
    fn refs(
        &self,
        chunk: usize,
        id: u32,
    ) -> io::Result<impl Iterator<Item = io::Result<u32>> + '_> {
        let at = chunk + CHUNK_HEADER + 4 * id as usize;
        let list = read_u32(self.bytes, at)? as usize;
        let count = read_u32(self.bytes, list)?;
        Ok((0..count as usize).map(move |k| read_u32(self.bytes, list + 4 + 4 * k)))
    }

    fn feature(&self, fid: u32) -> io::Result<Feature> {
        if fid >= self.num_features {
            return Err(invalid("feature id"));
        }
        let at = self.off_features + CHUNK_HEADER + FEATURE_BYTES * fid as usize;
        let weight = at
            .checked_add(12)
            .and_then(|w| self.bytes.get(w..w.checked_add(8)?))
            .and_then(|b| b.try_into().ok())
            .map(f64::from_le_bytes)
            .ok_or_else(|| invalid("truncated"))?;
        Ok(Feature {
            source: read_u32(self.bytes, at + 4)?,
            target: read_u32(self.bytes, at + 8)?,
            weight,
        })
    }
}

impl Tagger {
    /// The model shipped with qari, loaded once.
    pub fn builtin() -> &'static Tagger {
        static TAGGER: OnceLock<Tagger> = OnceLock::new();
        TAGGER.get_or_init(|| {
            Tagger::from_bytes(BUILTIN_MODEL).expect("the built-in NER model is valid")
        })
    }

    /// Load a model in CRFsuite format (as written by `examples/train_ner.rs`).
    pub fn from_bytes(bytes: &[u8]) -> io::Result<Tagger> {
        let model = Model::new(bytes)?;
        let n = model.num_labels() as usize;
        if n == 0 || n > u8::MAX as usize {
            return Err(invalid("bad label count"));
        }
        let mut labels = Vec::with_capacity(n);
        let mut ids = HashMap::new();
        for i in 0..n {
            let label = model.to_label(i as u32).ok_or_else(|| invalid("label"))?;
            labels.push(Tag::from_label(label));
            ids.insert(label.to_owned(), i as u8);
        }
        // `crfs` keeps the feature table private, so it is read here from
        // the file (layout as in `crfs::Model`): formatting the whole model
        // as text and parsing that back was most of the load time. Weights
        // are rounded to six decimals as that text dump wrote them, so the
        // scores stay exactly what they were.
        let label_of = |id: u32| -> io::Result<u8> {
            let label = model.to_label(id).ok_or_else(|| invalid("feature label"))?;
            ids.get(label)
                .copied()
                .ok_or_else(|| invalid("feature label"))
        };
        let table = FeatureTable::new(bytes)?;
        let mut rounding = String::new();
        let mut trans = vec![0.0; n * n];
        for i in 0..n as u32 {
            for fid in table.refs(table.off_label_refs, i)? {
                let f = table.feature(fid?)?;
                let (from, to) = (label_of(f.source)?, label_of(f.target)?);
                trans[from as usize * n + to as usize] = rounded(f.weight, &mut rounding)?;
            }
        }
        let mut attrs: FxHashMap<Box<str>, (u32, u32)> = FxHashMap::default();
        attrs.reserve(model.num_attrs() as usize);
        let mut weights: Vec<(u8, f32)> = Vec::new();
        // An attribute's weights are the run of features read under one
        // name (as the dump listed them).
        let mut current: Option<(&str, u32)> = None;
        let mut named: Option<(u32, &str)> = None;
        for a in 0..model.num_attrs() {
            for fid in table.refs(table.off_attr_refs, a)? {
                let f = table.feature(fid?)?;
                let name = match named {
                    Some((source, name)) if source == f.source => name,
                    _ => model
                        .to_attr(f.source)
                        .ok_or_else(|| invalid("attribute"))?,
                };
                named = Some((f.source, name));
                let to = label_of(f.target)?;
                if current.is_none_or(|(cur, _)| cur != name) {
                    if let Some((cur, start)) = current.take() {
                        attrs.insert(cur.into(), (start, weights.len() as u32));
                    }
                    current = Some((name, weights.len() as u32));
                }
                weights.push((to, rounded(f.weight, &mut rounding)? as f32));
            }
        }
        if let Some((cur, start)) = current.take() {
            attrs.insert(cur.into(), (start, weights.len() as u32));
        }
        Ok(Tagger {
            labels,
            trans,
            attrs,
            weights,
            seen: SeenNames::builtin(),
        })
    }

    /// Load a model file and the list of names seen in training written
    /// beside it ([`seen_names_path`]), for evaluation tools. The list is
    /// leaked: such a tool loads one model for its whole run.
    pub fn from_files(model: &std::path::Path) -> io::Result<Tagger> {
        let bytes = std::fs::read(model)?;
        let seen = std::fs::read_to_string(seen_names_path(model))?;
        let seen: &'static SeenNames = Box::leak(Box::new(SeenNames::parse(&seen)));
        Ok(Tagger::from_bytes(&bytes)?.with_seen_names(seen))
    }

    /// The same model with another list of names seen in training: a model
    /// trained without the dev split must be scored with the list built
    /// without it too (`train_ner` writes it beside the model).
    pub fn with_seen_names(self, seen: &'static SeenNames) -> Tagger {
        Tagger { seen, ..self }
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
        let l = self.labels.len();
        let t_len = tokens.len();
        if t_len == 0 {
            return Vec::new();
        }
        let mut state = vec![0.0f64; t_len * l];
        for_each_feature(tokens, Gazetteer::builtin(), self.seen, |i, name| {
            if let Some(&(start, end)) = self.attrs.get(name) {
                for &(label, w) in &self.weights[start as usize..end as usize] {
                    state[i * l + label as usize] += w as f64;
                }
            }
        });
        // Viterbi over summed weights (log-space, as CRFsuite).
        let mut score = state[..l].to_vec();
        let mut back = vec![0u8; t_len * l];
        let mut next = vec![0.0f64; l];
        for t in 1..t_len {
            for cur in 0..l {
                let (mut best, mut arg) = (f64::NEG_INFINITY, 0);
                for (prev, s) in score.iter().enumerate() {
                    let v = s + self.trans[prev * l + cur];
                    if v > best {
                        (best, arg) = (v, prev);
                    }
                }
                next[cur] = best + state[t * l + cur];
                back[t * l + cur] = arg as u8;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let mut at = score
            .iter()
            .enumerate()
            .fold(
                (0, f64::NEG_INFINITY),
                |b, (i, &s)| if s > b.1 { (i, s) } else { b },
            )
            .0;
        let mut out = vec![Tag::O; t_len];
        for t in (0..t_len).rev() {
            out[t] = self.labels[at];
            at = back[t * l + at] as usize;
        }
        out
    }

    /// Every feature of token `at` of a sentence with its weights per label
    /// (features the model has no weight for are left out): what made the
    /// tagger choose, for error analysis (`examples/ner_errors.rs`).
    pub fn explain(&self, tokens: &[&str], at: usize) -> Vec<(String, Vec<(Tag, f32)>)> {
        let mut out = Vec::new();
        for_each_feature(tokens, Gazetteer::builtin(), self.seen, |i, name| {
            if i != at {
                return;
            }
            if let Some(&(start, end)) = self.attrs.get(name) {
                let w = self.weights[start as usize..end as usize]
                    .iter()
                    .map(|&(label, w)| (self.labels[label as usize], w))
                    .collect();
                out.push((name.to_owned(), w));
            }
        });
        out
    }

    /// The transition weight from one label to the next (error analysis).
    pub fn transition(&self, from: Tag, to: Tag) -> Option<f64> {
        let l = self.labels.len();
        let f = self.labels.iter().position(|&t| t == from)?;
        let t = self.labels.iter().position(|&t| t == to)?;
        Some(self.trans[f * l + t])
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

/// Where the list of names seen in training goes beside a model file
/// (`data/ner/model.crfsuite` → `data/ner/model.seen.tsv`).
pub fn seen_names_path(model: &std::path::Path) -> std::path::PathBuf {
    model.with_extension("seen.tsv")
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
        assert!(Tagger::from_bytes(&BUILTIN_MODEL[..BUILTIN_MODEL.len() / 2]).is_err());
    }

    /// Every weight read from the file is the one `crfs` prints for it.
    #[test]
    fn weights_match_the_crfs_dump() {
        let model = Model::new(BUILTIN_MODEL).unwrap();
        let mut dump = Vec::new();
        model.dump(&mut dump).unwrap();
        let dump = String::from_utf8(dump).unwrap();
        let t = Tagger::builtin();
        let label = |s: &str| {
            t.labels
                .iter()
                .position(|&l| l == Tag::from_label(s))
                .unwrap()
        };
        let (mut section, mut states, mut transitions) = ("", 0, 0);
        for line in dump.lines() {
            if let Some(name) = line.strip_suffix(" = {") {
                section = name;
                continue;
            }
            let Some((_, body)) = line.trim_start().split_once(") ") else {
                continue;
            };
            let (pair, weight) = body.rsplit_once(": ").unwrap();
            let (source, target) = pair.rsplit_once(" --> ").unwrap();
            let weight: f64 = weight.parse().unwrap();
            if section == "TRANSITIONS" {
                let (from, to) = (label(source), label(target));
                assert_eq!(t.trans[from * t.labels.len() + to], weight, "{line}");
                transitions += 1;
            } else if section == "STATE_FEATURES" {
                let &(start, end) = t.attrs.get(source).expect(source);
                let w = &t.weights[start as usize..end as usize];
                assert!(w.contains(&(label(target) as u8, weight as f32)), "{line}");
                states += 1;
            }
        }
        assert!(transitions > 0);
        assert_eq!(states, t.weights.len());
    }

    /// The fast tagger decodes exactly as the `crfs` reference tagger does.
    #[test]
    fn agrees_with_the_crfs_tagger() {
        use super::super::features::sentence_features;
        use crfs::Attribute;
        let model = Model::new(BUILTIN_MODEL).unwrap();
        let reference = model.tagger().unwrap();
        let text = "وقال وزير الخارجية السعودي فيصل بن فرحان في الرياض إن المملكة تدعم جهود \
                    الأمم المتحدة . والتقى الرئيس السوري بشار الأسد في دمشق وفدا من \
                    جامعة الدول العربية برئاسة أحمد أبو الغيط . وفاز نادي الأهلي على الزمالك \
                    في ملعب القاهرة الدولي بهدفين سجلهما محمد صلاح ومحمود حسن .";
        let tokens = tokenize(text);
        for range in sentences(text, &tokens) {
            let words: Vec<&str> = tokens[range].iter().map(|t| t.text(text)).collect();
            let xseq: Vec<Vec<Attribute>> =
                sentence_features(&words, Gazetteer::builtin(), SeenNames::builtin())
                    .into_iter()
                    .map(|f| f.into_iter().map(|n| Attribute::new(n, 1.0)).collect())
                    .collect();
            let want: Vec<Tag> = reference
                .tag(&xseq)
                .unwrap()
                .into_iter()
                .map(Tag::from_label)
                .collect();
            assert_eq!(Tagger::builtin().tag_chunk(&words), want, "{words:?}");
        }
    }
}
