//! CRF features of the tokens of one sentence.
//!
//! Training (`examples/train_ner.rs`) and tagging ([`super::crf::Tagger`])
//! both go through [`sentence_features`], so the model always sees features
//! computed the same way. Changing anything here means retraining.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::gazetteer::Gazetteer;
use super::lexicon::{Lexicon, Seen, SeenNames};
use super::token::{fold_word, strip_clitics};
use super::EntityKind;

/// Words longer than this are cut for the word-identity features: nothing
/// that long is a name, and it keeps hostile input cheap.
const MAX_WORD_CHARS: usize = 24;

/// Trigger word classes: words that announce a name nearby.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// Titles and roles before a person's name (الرئيس, وزير, الشيخ …).
    PersonTitle,
    /// Name particles inside a person's name (بن, ابو, عبد …).
    NameParticle,
    /// Verbs of saying, often right before or after a person.
    Speech,
    /// Words before a place name (مدينة, محافظة, ولاية …).
    Place,
    /// Words that start an organization name (وزارة, حزب, شركة …).
    Org,
    /// Prepositions of place (في, من, الى) that often precede a place.
    Locative,
}

impl Trigger {
    fn code(self) -> &'static str {
        match self {
            Trigger::PersonTitle => "ptitle",
            Trigger::NameParticle => "npart",
            Trigger::Speech => "speech",
            Trigger::Place => "ltrig",
            Trigger::Org => "otrig",
            Trigger::Locative => "locprep",
        }
    }
}

/// The tagger's trigger lists, in the `[tagger]` section of `rules.toml`
/// (the one file of the recognizer's word lists; the rule sections there are
/// read by `rules.rs`).
const RULES_TOML: &str = include_str!("rules.toml");

#[derive(serde::Deserialize)]
struct RulesFile {
    tagger: TaggerLists,
}

#[derive(serde::Deserialize)]
struct TaggerLists {
    person_titles: Vec<String>,
    name_particles: Vec<String>,
    speech_verbs: Vec<String>,
    place_words: Vec<String>,
    org_words: Vec<String>,
    locative: Vec<String>,
}

/// Each trigger class with its folded words, lowest priority first: a word
/// on two lists keeps the class that comes later here.
fn trigger_lists() -> &'static [(Trigger, Vec<String>)] {
    static LISTS: OnceLock<Vec<(Trigger, Vec<String>)>> = OnceLock::new();
    LISTS.get_or_init(|| {
        // A test parses the shipped file, so this never fails in practice;
        // if it did, the tagger would run without trigger features.
        let Ok(file) = toml::from_str::<RulesFile>(RULES_TOML) else {
            return Vec::new();
        };
        let t = file.tagger;
        let fold = |list: Vec<String>| -> Vec<String> {
            let mut words: Vec<String> = list.iter().map(|w| fold_word(w)).collect();
            words.sort();
            words.dedup();
            words
        };
        vec![
            (Trigger::Locative, fold(t.locative)),
            (Trigger::Place, fold(t.place_words)),
            (Trigger::Org, fold(t.org_words)),
            (Trigger::Speech, fold(t.speech_verbs)),
            (Trigger::PersonTitle, fold(t.person_titles)),
            (Trigger::NameParticle, fold(t.name_particles)),
        ]
    })
}

fn trigger_table() -> &'static FxHashMap<&'static str, Trigger> {
    static TABLE: OnceLock<FxHashMap<&'static str, Trigger>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = FxHashMap::default();
        for (class, list) in trigger_lists() {
            for w in list {
                t.insert(w.as_str(), *class);
            }
        }
        t
    })
}

/// A fingerprint of every list the features read: the trigger lists, the
/// gazetteers and the word lists (their data lines, not their comments), one
/// `name hash` line each. `train_ner` writes it beside the model
/// (`data/ner/model.lists`) and a test compares it with the lists compiled
/// in, so a list changed without retraining the model fails that test.
pub fn lists_fingerprint() -> String {
    let mut out = String::new();
    let mut triggers = Fnv::default();
    for (class, words) in trigger_lists() {
        triggers.add(class.code());
        for w in words {
            triggers.add(w);
        }
    }
    out.push_str(&format!("rules.toml[tagger] {:016x}\n", triggers.0));
    let gazetteers = super::gazetteer::builtin_sources();
    for (name, text) in gazetteers.iter().chain(super::lexicon::builtin_sources()) {
        let mut h = Fnv::default();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            h.add(line.trim_end_matches('\r'));
        }
        out.push_str(&format!("{name} {:016x}\n", h.0));
    }
    out
}

/// 64-bit FNV-1a over a sequence of strings (each followed by a newline):
/// stable across Rust versions and platforms, unlike `DefaultHasher`.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, s: &str) {
        for b in s.bytes().chain([b'\n']) {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The trigger class of a folded word (after و/ف), if any.
pub fn trigger(folded: &str) -> Option<Trigger> {
    let table = trigger_table();
    if let Some(&t) = table.get(folded) {
        return Some(t);
    }
    let bare = folded
        .strip_prefix('و')
        .or_else(|| folded.strip_prefix('ف'))
        .filter(|b| b.chars().count() >= 2)?;
    // Locative prepositions do not take و/ف here: وفي is mostly "and in",
    // but so is في; keep them literal as before.
    table.get(bare).copied().filter(|t| *t != Trigger::Locative)
}

fn kind_code(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "PER",
        EntityKind::Place => "LOC",
        EntityKind::Org => "ORG",
    }
}

/// What each token contributes to its own and its neighbours' features
/// (the words borrow from the sentence's folded tokens: no copies).
struct TokenInfo<'a> {
    folded: &'a str,
    /// Stem after و/ف and ب/ل/ك (the article kept), or the folded word.
    stem: Cow<'a, str>,
    /// The stem without ال, if it had one.
    bare: Option<Cow<'a, str>>,
    /// The clitic prefix removed to get `stem`.
    prefix: &'a str,
    shape: &'static str,
    /// Single-word gazetteer hit: kind, ambiguous, whole word or stripped.
    gaz: Option<(EntityKind, bool, bool)>,
    /// Multi-word gazetteer span tag: B-/I- and kind.
    span: Option<(bool, EntityKind)>,
    trigger: Option<Trigger>,
    /// A known given name (whole word or after و/ف/ب/ل/ك).
    given: bool,
    /// Looks like a nationality or relation adjective (الفرنسي, للبرازيلي,
    /// المصرية): evidence for a name next to it, never a name itself.
    nisba: bool,
    /// A word of some person's name (whole word or after clitics).
    name_token: bool,
    /// Zipf frequency class of the whole word in general Arabic text.
    zipf: Option<u8>,
    /// How the word (or its clitic-free stem) was seen in training.
    seen: Option<Seen>,
    /// How name-like the stem's letters are, bucketed: -3 ..= 3.
    likeness: i8,
}

fn shape(word: &str) -> &'static str {
    let (mut ar, mut lat, mut dig, mut other) = (false, false, false, false);
    for c in word.chars() {
        match c {
            'ء'..='ي' | 'ٱ'..='ۓ' => ar = true,
            'a'..='z' | 'A'..='Z' => lat = true,
            '0'..='9' => dig = true,
            '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FEFF}'
                if c.is_alphabetic() || crate::text::fold::is_folded_away(c) =>
            {
                ar = true
            }
            _ if c.is_numeric() => dig = true,
            _ if c.is_alphabetic() => lat = true,
            _ => other = true,
        }
    }
    match (ar, lat, dig, other) {
        (true, false, false, _) => "ar",
        (false, true, false, _) => {
            if word.chars().next().is_some_and(char::is_uppercase) {
                "Lat"
            } else {
                "lat"
            }
        }
        (false, false, true, _) => "dig",
        (false, false, false, _) => "punct",
        _ => "mix",
    }
}

fn truncate(s: &str, max_chars: usize) -> &str {
    match s.char_indices().nth(max_chars) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

/// `s` cut to `max_chars`, borrowed where `s` is.
fn truncated<'a>(s: &Cow<'a, str>, max_chars: usize) -> Cow<'a, str> {
    match s {
        Cow::Borrowed(b) => Cow::Borrowed(truncate(b, max_chars)),
        Cow::Owned(o) => Cow::Owned(truncate(o, max_chars).to_owned()),
    }
}

/// The tokens folded for matching (very long ones cut first).
fn fold_tokens(tokens: &[&str]) -> Vec<String> {
    tokens
        .iter()
        .map(|t| fold_word(truncate(t, MAX_WORD_CHARS * 2)))
        .collect()
}

fn analyse<'a>(
    tokens: &[&str],
    folded: &'a [String],
    gaz: &Gazetteer,
    seen: &SeenNames,
) -> Vec<TokenInfo<'a>> {
    let lex = Lexicon::builtin();
    let mut infos: Vec<TokenInfo> = tokens
        .iter()
        .zip(folded)
        .map(|(raw, f)| {
            let analyses = strip_clitics(f);
            let hit = analyses
                .iter()
                .enumerate()
                .find_map(|(n, a)| gaz.entry(&a.stem).map(|e| (n, e)));
            // The stem the gazetteer knew, else the deepest reading that
            // keeps the article (و/ف + ب/ل/ك removed).
            let kept = match hit {
                Some((n, _)) => &analyses[n],
                None => analyses
                    .iter()
                    .rev()
                    .find(|a| !a.article)
                    .unwrap_or(&analyses[0]),
            };
            let bare = analyses
                .iter()
                .find(|a| a.article)
                .map(|a| truncated(&a.stem, MAX_WORD_CHARS));
            let hit = hit.map(|(n, e)| (e.kind, e.ambiguous, n == 0));
            TokenInfo {
                folded: truncate(f, MAX_WORD_CHARS),
                stem: truncated(&kept.stem, MAX_WORD_CHARS),
                bare,
                prefix: kept.prefix,
                shape: shape(raw),
                gaz: hit,
                span: None,
                trigger: trigger(f),
                nisba: is_nisba(f),
                given: analyses
                    .iter()
                    .any(|a| !a.article && gaz.is_given_name(&a.stem)),
                name_token: analyses.iter().any(|a| lex.is_name_token(&a.stem)),
                zipf: lex.zipf(f),
                likeness: lex.name_likeness(&kept.stem).round().clamp(-3.0, 3.0) as i8,
                seen: seen
                    .get(f)
                    .or_else(|| analyses.iter().find_map(|a| seen.get(&a.stem))),
            }
        })
        .collect();
    let refs: Vec<&str> = folded.iter().map(String::as_str).collect();
    let mut at = 0;
    while at < refs.len() {
        match gaz.longest_match(&refs, at) {
            Some(m) if m.len > 1 => {
                for (k, info) in infos[at..at + m.len].iter_mut().enumerate() {
                    info.span = Some((k == 0, m.entry.kind));
                }
                at += m.len;
            }
            _ => at += 1,
        }
    }
    infos
}

/// Features of every token of one sentence, as attribute names (each with
/// weight 1). `tokens` are the tokens' original texts.
pub fn sentence_features(tokens: &[&str], gaz: &Gazetteer, seen: &SeenNames) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::with_capacity(48); tokens.len()];
    for_each_feature(tokens, gaz, seen, |i, name| out[i].push(name.to_owned()));
    out
}

/// Call `emit(token_index, feature_name)` for every feature of every token,
/// token by token, without allocating a string per feature (tagging speed).
pub fn for_each_feature(
    tokens: &[&str],
    gaz: &Gazetteer,
    seen: &SeenNames,
    mut emit: impl FnMut(usize, &str),
) {
    let folded = fold_tokens(tokens);
    let infos = analyse(tokens, &folded, gaz, seen);
    let n = infos.len();
    let mut buf = String::with_capacity(64);
    // Names are built by pushing pieces: `format!` machinery was a fifth of
    // the tagging time. `D[k]` is the window offset `k - 2` as text.
    const D: [&str; 5] = ["-2", "-1", "0", "1", "2"];
    macro_rules! feat {
        ($i:expr; $($piece:expr),+) => {{
            buf.clear();
            $(buf.push_str($piece);)+
            emit($i, &buf);
        }};
    }
    const P: [&str; 4] = ["", "p1=", "p2=", "p3="];
    const X: [&str; 4] = ["", "x1=", "x2=", "x3="];
    for i in 0..n {
        let me = &infos[i];
        emit(i, "bias");
        feat!(i; "w=", &me.folded);
        feat!(i; "s=", &me.stem);
        if let Some(b) = &me.bare {
            feat!(i; "b=", b);
        }
        if !me.prefix.is_empty() {
            feat!(i; "pre=", &me.prefix);
        }
        let len = me.folded.chars().count();
        for k in 1..=3.min(len) {
            feat!(i; P[k], head(me.folded, k));
            feat!(i; X[k], tail(me.folded, k));
        }
        // Affixes of the clitic-free stem: transliterated foreign names
        // and Arabic name patterns show there, not behind وب or لل.
        if me.stem.len() != me.folded.len() && me.stem.chars().count() > 3 {
            feat!(i; "sp2=", head(&me.stem, 2));
            feat!(i; "sp3=", head(&me.stem, 3));
            feat!(i; "sx2=", tail(&me.stem, 2));
            feat!(i; "sx3=", tail(&me.stem, 3));
        } else if me.stem.chars().count() > 2 {
            feat!(i; "sx2=", tail(&me.stem, 2));
        }
        feat!(i; "shape=", me.shape);
        let len_class = match len {
            0..=2 => "s",
            3..=4 => "m",
            5..=7 => "l",
            _ => "xl",
        };
        feat!(i; "len=", len_class);
        // How name-like the letters are (this word and its neighbours), and
        // how common the word is in general Arabic: unseen names are rare
        // words that look like names.
        feat!(i; "nl=", LIKENESS[(me.likeness + 3) as usize]);
        if i > 0 {
            feat!(i; "nl[-1]=", LIKENESS[(infos[i - 1].likeness + 3) as usize]);
        }
        if i + 1 < n {
            feat!(i; "nl[1]=", LIKENESS[(infos[i + 1].likeness + 3) as usize]);
        }
        feat!(i; "zf=", zipf_class(me.zipf));
        if i == 0 {
            emit(i, "BOS");
        }
        if i + 1 == n {
            emit(i, "EOS");
        }
        for (k, d_text) in D.iter().enumerate() {
            let d = k as i32 - 2;
            let j = i as i32 + d;
            if j < 0 || j >= n as i32 {
                if d == -1 || d == 1 {
                    feat!(i; "w[", d_text, "]=__edge__");
                }
                continue;
            }
            let other = &infos[j as usize];
            if d != 0 {
                feat!(i; "w[", d_text, "]=", &other.folded);
                if d.abs() == 1 {
                    feat!(i; "zf[", d_text, "]=", zipf_class(other.zipf));
                    feat!(i; "s[", d_text, "]=", &other.stem);
                    feat!(i; "shape[", d_text, "]=", other.shape);
                    feat!(i; "x2[", d_text, "]=", tail(other.folded, 2));
                    if other.nisba {
                        feat!(i; "nisba[", d_text, "]");
                    }
                }
            }
            if let Some((kind, ambiguous, whole)) = other.gaz {
                let kc = kind_code(kind);
                feat!(i; "g[", d_text, "]=", kc);
                if d == 0 {
                    let amb = if ambiguous { "/amb" } else { "/sure" };
                    let how = if whole { "/whole" } else { "/strip" };
                    feat!(i; "g0=", kc, amb, how);
                }
            }
            if let Some((begin, kind)) = other.span {
                let bi = if begin { "B-" } else { "I-" };
                feat!(i; "gm[", d_text, "]=", bi, kind_code(kind));
            }
            // Names seen in training (see `SeenNames`).
            if let (Some(sn), true) = (other.seen, d.abs() <= 1) {
                let kc = kind_code(sn.kind);
                if d == 0 {
                    feat!(i; "lx=", kc, if sn.mostly { "/hi" } else { "/lo" });
                } else {
                    feat!(i; "lx[", d_text, "]=", kc);
                }
            }
            if let Some(t) = other.trigger {
                feat!(i; "t[", d_text, "]=", t.code());
            }
            if other.given && d.abs() <= 1 {
                feat!(i; "gn[", d_text, "]");
            }
            // Words of people's names (see `Lexicon`); one that is also an
            // everyday word is weaker evidence.
            if other.name_token && d.abs() <= 1 {
                feat!(i; "nm[", d_text, "]");
                if d == 0 {
                    match other.zipf {
                        Some(z) if z >= 4 => emit(i, "nm0=common"),
                        Some(_) => emit(i, "nm0=mid"),
                        None => emit(i, "nm0=rare"),
                    }
                }
            }
        }
        if i > 0 {
            feat!(i; "w[-1]|w=", &infos[i - 1].folded, "|", &me.folded);
        }
        if i + 1 < n {
            feat!(i; "w|w[1]=", &me.folded, "|", &infos[i + 1].folded);
        }
    }
}

const LIKENESS: [&str; 7] = ["-3", "-2", "-1", "0", "1", "2", "3"];

/// A Zipf frequency class as a feature value ("rare" below 3).
fn zipf_class(zipf: Option<u8>) -> &'static str {
    const Z: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    match zipf {
        Some(z) => Z[z.min(9) as usize],
        None => "rare",
    }
}

/// ال…ي / ال…يه / ال…يين after optional clitics, at least 4 letters of stem.
fn is_nisba(folded: &str) -> bool {
    let rest = folded
        .strip_prefix('و')
        .or_else(|| folded.strip_prefix('ف'))
        .unwrap_or(folded);
    let stem = ["لل", "ال", "بال", "كال"]
        .iter()
        .find_map(|p| rest.strip_prefix(p));
    let Some(stem) = stem else {
        return false;
    };
    stem.chars().count() >= 4 && ["ي", "يه", "يون", "يين"].iter().any(|x| stem.ends_with(x))
}

/// The first `k` characters of `s`.
fn head(s: &str, k: usize) -> &str {
    truncate(s, k)
}

/// The last `k` characters of `s`.
fn tail(s: &str, k: usize) -> &str {
    match s.char_indices().rev().nth(k.saturating_sub(1)) {
        Some((at, _)) if k > 0 => &s[at..],
        _ => {
            if k == 0 {
                ""
            } else {
                s
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_found_after_conjunctions() {
        assert_eq!(trigger("الرييس"), Some(Trigger::PersonTitle));
        assert_eq!(trigger("وقال"), Some(Trigger::Speech));
        assert_eq!(trigger("وزاره"), Some(Trigger::Org));
        assert_eq!(trigger("محافظه"), Some(Trigger::Place));
        assert_eq!(trigger("بن"), Some(Trigger::NameParticle));
        assert_eq!(trigger("كتاب"), None);
    }

    #[test]
    fn trigger_lists_come_from_rules_toml() {
        let lists = trigger_lists();
        assert_eq!(
            lists.len(),
            6,
            "the [tagger] section of rules.toml did not parse"
        );
        assert!(lists.iter().all(|(_, words)| words.len() >= 10));
        // rules.toml spells it وزيرة; entries are folded on load (ة → ه),
        // as the words looked up are.
        assert_eq!(trigger("وزيره"), Some(Trigger::PersonTitle));
        assert_eq!(trigger("وزيرة"), None);
        assert_eq!(trigger("في"), Some(Trigger::Locative));
    }

    #[test]
    fn model_was_trained_with_these_lists() {
        // Written by examples/train_ner.rs with the model. When this fails,
        // a trigger, gazetteer or word list changed since the model was
        // trained: retrain it (data/ner/README.md, "Retraining").
        let trained = include_str!("../../data/ner/model.lists");
        assert_eq!(lists_fingerprint(), trained, "retrain the model");
    }

    #[test]
    fn fingerprint_changes_with_a_list() {
        let mut a = Fnv::default();
        a.add("وزير");
        let mut b = Fnv::default();
        b.add("وزيرة");
        assert_ne!(a.0, b.0);
        let fp = lists_fingerprint();
        for name in [
            "rules.toml[tagger]",
            "wikidata-people.tsv",
            "name-words.txt",
        ] {
            assert!(
                fp.lines().any(|l| l.starts_with(name)),
                "{name} missing:\n{fp}"
            );
        }
    }

    #[test]
    fn nationality_adjectives_are_recognised() {
        assert!(is_nisba("الفرنسي"));
        assert!(is_nisba("للبرازيلي"));
        assert!(is_nisba("والمصريه"));
        assert!(!is_nisba("الرييس"));
        assert!(!is_nisba("الي"));
    }

    #[test]
    fn features_cover_window_gazetteer_and_shape() {
        let toks = ["وقال", "الرئيس", "في", "القاهرة", "أمس", "."];
        let feats = sentence_features(&toks, Gazetteer::builtin(), &SeenNames::default());
        assert_eq!(feats.len(), toks.len());
        let f = &feats[3];
        for want in [
            "w=القاهره",
            "g[0]=LOC",
            "t[-1]=locprep",
            "shape=ar",
            "w[-1]=في",
        ] {
            assert!(f.iter().any(|x| x == want), "missing {want} in {f:?}");
        }
        assert!(feats[5].iter().any(|x| x == "shape=punct"));
        assert!(feats[0].iter().any(|x| x == "BOS"));
    }

    #[test]
    fn multi_word_gazetteer_spans_are_marked() {
        let toks = ["أعلنت", "منظمة", "الصحة", "العالمية", "اليوم"];
        let feats = sentence_features(&toks, Gazetteer::builtin(), &SeenNames::default());
        assert!(feats[1].iter().any(|x| x == "gm[0]=B-ORG"));
        assert!(feats[3].iter().any(|x| x == "gm[0]=I-ORG"));
        assert!(!feats[4].iter().any(|x| x == "gm[0]=I-ORG"));
    }

    #[test]
    fn hostile_tokens_do_not_panic() {
        let long = "ك".repeat(100_000);
        let toks = [long.as_str(), "", "\u{64E}", "!"];
        let feats = sentence_features(&toks, Gazetteer::builtin(), &SeenNames::default());
        assert_eq!(feats.len(), 4);
        assert!(feats[0].iter().all(|f| f.len() < 400));
        assert!(sentence_features(&[], Gazetteer::builtin(), &SeenNames::default()).is_empty());
    }
}
