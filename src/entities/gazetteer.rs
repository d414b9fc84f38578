//! Name lists: places, people and organizations, matched on folded text.
//!
//! The built-in lists live in `data/gazetteer/*.tsv` (sources and licenses in
//! `data/gazetteer/README.md`) and are compiled into the binary. Each line is
//! `name<TAB>PER|LOC|ORG[<TAB>note]`; a note of `ambiguous` marks names that
//! are also everyday words (مالي, قطر, عدن) and so need context. Lines
//! starting with `#` are comments. Later files override earlier ones.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::sync::OnceLock;

use super::lists::{count_lines, lines, split};
use super::token::{fold_word, strip_clitics, tokenize, Analysis};
use super::EntityKind;

/// What the gazetteer knows about a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntityKind,
    /// Also an everyday word or another kind of entity: needs context.
    pub ambiguous: bool,
}

/// A multi-word match starting at some token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match<'a> {
    /// Number of tokens covered.
    pub len: usize,
    pub entry: Entry,
    /// How the first token was read (prefix removed, stem, stem offset).
    pub first: Analysis<'a>,
}

/// A set of names keyed by their folded form (tokens joined by one space).
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    /// Keys borrow from the compiled-in generated lists (tens of thousands
    /// of names: no allocation each at start-up), or own a folded copy.
    entries: HashMap<Cow<'static, str>, Entry>,
    /// Folded first word → the most words of any name starting with it, so
    /// multi-word lookups only build phrases where a name could start.
    starts: HashMap<Cow<'static, str>, usize>,
    /// Folded first two words → the most words of any name of three or more
    /// words starting with them: after محمد, whose names run to six words,
    /// only the pairs that begin one are tried beyond two words.
    pairs: HashMap<Cow<'static, str>, usize>,
    /// Folded given names (محمد, سارة, جون …): evidence of a person name,
    /// not entities on their own.
    given: HashSet<String>,
}

const BUILTIN_FILES: &[(&str, &str)] = &[
    // Generated lists first, so the hand-checked ones override them.
    (
        "geonames-places.tsv",
        include_str!("../../data/gazetteer/geonames-places.tsv"),
    ),
    (
        "cldr-places.tsv",
        include_str!("../../data/gazetteer/cldr-places.tsv"),
    ),
    (
        "places.tsv",
        include_str!("../../data/gazetteer/places.tsv"),
    ),
    (
        "wikidata-people.tsv",
        include_str!("../../data/gazetteer/wikidata-people.tsv"),
    ),
    (
        "people.tsv",
        include_str!("../../data/gazetteer/people.tsv"),
    ),
    ("orgs.tsv", include_str!("../../data/gazetteer/orgs.tsv")),
];

/// The compiled-in lists as (file name, text), for the model's list
/// fingerprint (`features::lists_fingerprint`).
pub fn builtin_sources() -> Vec<(&'static str, &'static str)> {
    let mut v = BUILTIN_FILES.to_vec();
    v.push(("given-names.txt", BUILTIN_GIVEN_NAMES));
    v
}

/// The lists `scripts/gen-names-places.py` writes already folded.
const GENERATED_FILES: &[&str] = &["geonames-places.tsv", "wikidata-people.tsv"];

const BUILTIN_GIVEN_NAMES: &str = include_str!("../../data/gazetteer/given-names.txt");

/// A folded key's number of words, and its first one and first two words
/// (all of it when it has fewer), in one pass over its bytes.
fn key_words(key: &str) -> (usize, &str, &str) {
    let mut spaces = key.bytes().enumerate().filter(|&(_, b)| b == b' ');
    let first = spaces.next().map(|(at, _)| at);
    let second = spaces.next().map(|(at, _)| at);
    let words = 1 + first.is_some() as usize + second.is_some() as usize + spaces.count();
    let prefix = |at: Option<usize>| at.map_or(key, |at| &key[..at]);
    (words, prefix(first), prefix(second))
}

/// Parse a kind column: `PER`, `LOC`, `ORG` (or the long names).
pub fn parse_kind(s: &str) -> Option<EntityKind> {
    // The lists spell it exactly so: no copy for those.
    match s {
        "PER" => return Some(EntityKind::Person),
        "LOC" => return Some(EntityKind::Place),
        "ORG" => return Some(EntityKind::Org),
        _ => {}
    }
    match s.trim().to_ascii_uppercase().as_str() {
        "PER" | "PERSON" => Some(EntityKind::Person),
        "LOC" | "PLACE" => Some(EntityKind::Place),
        "ORG" => Some(EntityKind::Org),
        _ => None,
    }
}

/// The folded, space-joined key of a name as the tokenizer would split it.
pub fn fold_phrase(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for t in tokenize(name) {
        let w = fold_word(t.text(name));
        if w.is_empty() {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&w);
    }
    key
}

impl Gazetteer {
    /// The lists shipped with qari, parsed once.
    pub fn builtin() -> &'static Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let mut g = Gazetteer::default();
            // Sized once: growing the maps by rehashing was a third of the
            // load time with the generated lists.
            let lines: usize = BUILTIN_FILES.iter().map(|(_, t)| count_lines(t)).sum();
            g.entries.reserve(lines);
            g.starts.reserve(lines / 2);
            g.pairs.reserve(lines / 4);
            for (name, text) in BUILTIN_FILES {
                // The built-in files are checked by a test, so no line is
                // rejected here in practice.
                if GENERATED_FILES.contains(name) {
                    g.add_folded_tsv(text);
                } else {
                    let _ = g.add_tsv(text);
                }
            }
            g.add_given_names(BUILTIN_GIVEN_NAMES);
            g
        })
    }

    /// Add every line of a TSV list; returns the 1-based numbers of lines
    /// that could not be read (wrong kind column, empty name).
    pub fn add_tsv(&mut self, text: &str) -> Vec<usize> {
        let mut bad = Vec::new();
        for (n, line) in lines(text).enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = split(line, b'\t');
            let name = cols.next().unwrap_or("");
            let kind = cols.next().and_then(parse_kind);
            let ambiguous = cols.next().is_some_and(|c| c.trim() == "ambiguous");
            match kind {
                Some(kind) if self.insert(name, kind, ambiguous) => {}
                _ => bad.push(n + 1),
            }
        }
        bad
    }

    /// Add the lines of a list whose names are already folded and
    /// space-joined (the generated lists; a test checks they are).
    fn add_folded_tsv(&mut self, text: &'static str) {
        for line in lines(text) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = split(line, b'\t');
            let key = cols.next().unwrap_or("");
            let Some(kind) = cols.next().and_then(parse_kind) else {
                continue;
            };
            let ambiguous = cols.next() == Some("ambiguous");
            if !key.is_empty() {
                self.insert_key(Cow::Borrowed(key), kind, ambiguous);
            }
        }
    }

    /// Add given names, one per line (`#` comments).
    pub fn add_given_names(&mut self, text: &str) {
        for line in lines(text) {
            let name = fold_phrase(line);
            if !name.is_empty() && !line.starts_with('#') {
                self.given.insert(name);
            }
        }
    }

    /// Whether a folded word is a known given name.
    pub fn is_given_name(&self, folded_word: &str) -> bool {
        self.given.contains(folded_word)
    }

    /// Add one name; false when it has no letters to match.
    pub fn insert(&mut self, name: &str, kind: EntityKind, ambiguous: bool) -> bool {
        let key = fold_phrase(name);
        if key.is_empty() {
            return false;
        }
        self.insert_key(Cow::Owned(key), kind, ambiguous);
        true
    }

    fn insert_key(&mut self, key: Cow<'static, str>, kind: EntityKind, ambiguous: bool) {
        let (words, first, pair) = match &key {
            Cow::Borrowed(k) => {
                let (words, first, pair) = key_words(k);
                (words, Cow::Borrowed(first), Cow::Borrowed(pair))
            }
            Cow::Owned(k) => {
                let (words, first, pair) = key_words(k);
                (
                    words,
                    Cow::Owned(first.to_owned()),
                    Cow::Owned(pair.to_owned()),
                )
            }
        };
        let longest = self.starts.entry(first).or_insert(0);
        *longest = (*longest).max(words);
        if words > 2 {
            let longest = self.pairs.entry(pair).or_insert(0);
            *longest = (*longest).max(words);
        }
        self.entries.insert(key, Entry { kind, ambiguous });
    }

    /// Remove a name (a user's suppression); true if it was there. The
    /// first-word index keeps its entry: it only bounds the search.
    pub fn remove(&mut self, name: &str) -> bool {
        self.entries.remove(fold_phrase(name).as_str()).is_some()
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kind of an exact folded name (words separated by one space).
    pub fn lookup(&self, folded: &str) -> Option<EntityKind> {
        self.entry(folded).map(|e| e.kind)
    }

    /// The entry of an exact folded name.
    pub fn entry(&self, folded: &str) -> Option<Entry> {
        self.entries.get(folded).copied()
    }

    /// Clitic-aware lookup of one folded word: the whole word first (so
    /// بكين and لبنان stay whole), then the analyses of [`strip_clitics`].
    pub fn lookup_word<'w>(&self, folded_word: &'w str) -> Option<(Analysis<'w>, Entry)> {
        strip_clitics(folded_word)
            .into_iter()
            .find_map(|a| self.entry(&a.stem).map(|e| (a, e)))
    }

    /// The longest name starting at `folded_tokens[at]`, the first token
    /// read with clitics removed if needed (وبالأمم المتحدة), later tokens
    /// exact. Among matches of equal length the most literal reading wins.
    pub fn longest_match<'t>(&self, folded_tokens: &[&'t str], at: usize) -> Option<Match<'t>> {
        let first = *folded_tokens.get(at)?;
        let mut best: Option<Match<'t>> = None;
        let mut key = String::new();
        for analysis in strip_clitics(first) {
            let Some(&most) = self.starts.get(analysis.stem.as_ref()) else {
                continue;
            };
            let mut most = most.min(folded_tokens.len() - at);
            if most > 2 {
                key.clear();
                key.push_str(&analysis.stem);
                key.push(' ');
                key.push_str(folded_tokens[at + 1]);
                most = self.pairs.get(key.as_str()).map_or(2, |&m| m.min(most));
            }
            let floor = best.as_ref().map_or(0, |b| b.len);
            for len in (floor + 1..=most).rev() {
                key.clear();
                key.push_str(&analysis.stem);
                for t in &folded_tokens[at + 1..at + len] {
                    key.push(' ');
                    key.push_str(t);
                }
                if let Some(&entry) = self.entries.get(key.as_str()) {
                    best = Some(Match {
                        len,
                        entry,
                        first: analysis.clone(),
                    });
                    break;
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::*;

    fn word_kind(word: &str) -> Option<(String, EntityKind)> {
        let folded = fold_word(word);
        Gazetteer::builtin()
            .lookup_word(&folded)
            .map(|(a, e)| (a.stem.into_owned(), e.kind))
    }

    #[test]
    fn key_words_counts_and_cuts() {
        assert_eq!(key_words("مصر"), (1, "مصر", "مصر"));
        assert_eq!(key_words("بني ملال"), (2, "بني", "بني ملال"));
        assert_eq!(key_words("a b c d"), (4, "a", "a b"));
        assert_eq!(key_words(""), (1, "", ""));
    }

    #[test]
    fn builtin_files_parse_cleanly() {
        for (name, text) in BUILTIN_FILES {
            let mut g = Gazetteer::default();
            assert_eq!(g.add_tsv(text), Vec::<usize>::new(), "bad lines in {name}");
        }
        assert!(Gazetteer::builtin().len() > 1200);
    }

    #[test]
    fn generated_lists_are_folded_and_add_regions_and_people() {
        for (name, text) in BUILTIN_FILES {
            if !GENERATED_FILES.contains(name) {
                continue;
            }
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                let key = line.split('\t').next().unwrap();
                assert_eq!(fold_phrase(key), key, "{name}: {line}");
            }
        }
        assert_eq!(word_kind("قالمة").map(|w| w.1), Some(Place));
        assert_eq!(word_kind("والناظور").map(|w| w.1), Some(Place));
        let g = Gazetteer::builtin();
        assert_eq!(g.lookup(&fold_phrase("بني ملال")), Some(Place));
        assert_eq!(g.lookup(&fold_phrase("فوزي العيساوي")), Some(Person));
        // A word that is also a district needs context (الكرم "generosity");
        // a very common one (طاقه, as in الطاقة "energy") is left out.
        assert_eq!(g.entry("الكرم").map(|e| e.ambiguous), Some(true));
        assert_eq!(g.entry("طاقه"), None);
        // Hand-written lists override the generated ones.
        assert_eq!(
            g.entry(&fold_phrase("صفاقس")).map(|e| e.ambiguous),
            Some(false)
        );
    }

    #[test]
    fn exact_lookups_are_folded() {
        let g = Gazetteer::builtin();
        assert_eq!(g.lookup(&fold_phrase("القاهرة")), Some(Place));
        assert_eq!(g.lookup(&fold_phrase("الأمم المتحدة")), Some(Org));
        assert_eq!(g.lookup(&fold_phrase("أنطونيو غوتيريش")), Some(Person));
        assert_eq!(g.lookup(&fold_phrase("أُوروبّا")), Some(Place));
        assert_eq!(g.lookup("كتاب"), None);
        assert!(g.entry("مالي").is_some_and(|e| e.ambiguous));
        assert!(g.entry("بكين").is_some_and(|e| !e.ambiguous));
        assert!(g.is_given_name(&fold_word("فاطمة")));
        assert!(!g.is_given_name("كتاب"));
    }

    #[test]
    fn clitics_are_stripped_only_when_needed() {
        assert_eq!(word_kind("وروسيا"), Some(("روسيا".into(), Place)));
        assert_eq!(word_kind("بالقاهرة"), Some(("القاهره".into(), Place)));
        assert_eq!(word_kind("للصين"), Some(("الصين".into(), Place)));
        assert_eq!(word_kind("وللصين"), Some(("الصين".into(), Place)));
        for whole in ["بكين", "بغداد", "لبنان", "واشنطن", "فلسطين"] {
            assert_eq!(word_kind(whole), Some((fold_word(whole), Place)), "{whole}");
        }
        assert_eq!(word_kind("وبكين"), Some(("بكين".into(), Place)));
        assert_eq!(word_kind("ولبنان"), Some(("لبنان".into(), Place)));
        assert_eq!(word_kind("والكتاب"), None);
    }

    #[test]
    fn longest_multi_word_match() {
        let g = Gazetteer::builtin();
        let text = "وأكد الأمين العام للأمم المتحدة أن الولايات المتحدة الأمريكية";
        let folded: Vec<String> = tokenize(text)
            .iter()
            .map(|t| fold_word(t.text(text)))
            .collect();
        let toks: Vec<&str> = folded.iter().map(String::as_str).collect();
        let m = g.longest_match(&toks, 3).expect("للأمم المتحدة");
        assert_eq!((m.len, m.entry.kind), (2, Org));
        assert_eq!(m.first.stem, "الامم");
        let m = g.longest_match(&toks, 6).expect("الولايات المتحدة الأمريكية");
        assert_eq!((m.len, m.entry.kind), (3, Place));
        assert_eq!(g.longest_match(&toks, 0), None);
        assert_eq!(g.longest_match(&toks, 99), None);
    }

    #[test]
    fn user_lists_report_bad_lines() {
        let mut g = Gazetteer::default();
        let bad = g.add_tsv("# comment\nسلمى\tPER\nخطأ\tXYZ\n\t\tLOC\n\nبلدتي\tplace\n");
        assert_eq!(bad, [3, 4]);
        assert_eq!(g.lookup("سلمي"), Some(Person));
        assert_eq!(g.lookup("بلدتي"), Some(Place));
        assert!(g.remove("سَلمى"));
        assert_eq!(g.lookup("سلمي"), None);
        assert!(!g.remove("سلمى"));
    }
}
