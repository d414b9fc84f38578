//! Context rules: the words around a name that say what it is.
//!
//! A title or role ("الرئيس", "وزير الخارجية الأمريكي") announces a person,
//! a speech verb ("قال", "أكدت") is usually followed by one, a place trigger
//! ("مدينة", "محافظة") announces a place and an organization head ("وزارة",
//! "حزب", "جامعة") starts an organization name. Nationality adjectives
//! ("الصينية", "السوري") are evidence, never entities, and a few names that
//! are also ordinary words ("مالي", "قطر") need context before they count.
//!
//! The word lists live in `rules.toml` (embedded at build time) and
//! `common_words.txt` (ordinary words, derived from the ANERcorp training
//! split by `scripts/ner_common_words.py`); everything is folded with
//! [`fold_arabic`] on load so the lists can be written in ordinary spelling.

use super::gazetteer::Gazetteer;
use super::lexicon::Lexicon;
use super::token::strip_clitics;
use super::EntityKind;
use crate::text::fold_arabic;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use std::borrow::Cow;
use std::sync::OnceLock;

/// One token of a paragraph with its folded form and clitic analyses.
#[derive(Debug, Clone)]
pub struct Word {
    /// Byte range in the original paragraph.
    pub start: usize,
    pub end: usize,
    /// The folded token (harakat dropped, letters unified).
    pub folded: String,
    /// Whether the token has a letter (punctuation and numbers do not).
    pub is_word: bool,
    /// Readings of the token, the whole token first, then with proclitics
    /// stripped (see [`analyses`]).
    pub stems: Vec<Stem>,
    /// Every reading's letters look like an everyday word rather than a
    /// name, and no name list has any of them: "الإدارة", "شؤون", "ليقرر".
    /// Worked out once here: the rules ask it of a word many times.
    pub looks_ordinary: bool,
}

/// One reading of a token with its proclitics stripped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stem {
    /// The folded key to look up (for "للصين" this is "الصين").
    pub key: String,
    /// Byte offset in the original paragraph where the surface form starts
    /// (after the stripped clitics).
    pub start: usize,
    /// Whether a clitic was stripped at all.
    pub stripped: bool,
    /// "لل" read as preposition + article: the surface text is "ا" + the
    /// original from `start` ("للصين" → "الصين").
    pub lam_article: bool,
    /// The definite article was removed from `key` ("الصين" → "صين"); the
    /// surface still starts at `start`, article included.
    pub no_article: bool,
}

impl Word {
    /// A token from its original text and byte offset in the paragraph.
    pub fn new(original: &str, start: usize) -> Word {
        let folded = fold_arabic(original);
        let is_word = folded.text.chars().any(crate::text::fold::is_alphabetic);
        let stems = if is_word {
            strip_clitics(&folded.text)
                .into_iter()
                .map(|a| {
                    // "لل" read as ل + ال: the stem is not a substring.
                    let lam_article =
                        matches!(a.stem, Cow::Owned(_)) || (a.article && a.prefix.ends_with("لل"));
                    // The surface keeps the article even when the lookup
                    // key drops it.
                    let surface_at = if a.article {
                        a.offset
                            - if lam_article {
                                "ل".len()
                            } else {
                                "ال".len()
                            }
                    } else {
                        a.offset
                    };
                    Stem {
                        start: start + folded.original_offset(surface_at),
                        key: a.stem.into_owned(),
                        stripped: surface_at > 0,
                        lam_article,
                        no_article: a.article,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        let lex = Lexicon::builtin();
        let readings = || stems.iter().filter(|s| !s.no_article);
        let looks_ordinary = is_word
            && !readings().any(|s| lex.is_name_token(&s.key))
            && readings().all(|s| lex.name_likeness(&s.key) < -0.5);
        Word {
            start,
            end: start + original.len(),
            folded: folded.text,
            is_word,
            stems,
            looks_ordinary,
        }
    }

    /// Whether any reading of the word (whole or clitic-stripped) is `key`.
    pub fn has_stem(&self, key: &str) -> bool {
        self.stems.iter().any(|s| s.key == key)
    }
}

/// A run of tokens that a rule marks as an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSpan {
    /// First and last token (inclusive) in the paragraph's token list.
    pub first: usize,
    pub last: usize,
    pub kind: EntityKind,
    /// Whether the evidence is strong (a title or trigger) or weak (a speech
    /// verb only).
    pub strong: bool,
}

#[derive(Deserialize)]
struct RulesFile {
    person: PersonRules,
    place: PlaceRules,
    org: OrgRules,
    nationality: Nationality,
    ambiguous: Ambiguous,
    stopwords: Words,
    sport: SportRules,
}

#[derive(Deserialize)]
struct SportRules {
    clubs: Vec<String>,
    context: Vec<String>,
    slots: Vec<String>,
}

#[derive(Deserialize)]
struct PersonRules {
    titles: Vec<String>,
    modifiers: Vec<String>,
    particles: Vec<String>,
    family_particles: Vec<String>,
    honorifics: Vec<String>,
    speech_verbs: Vec<String>,
}

#[derive(Deserialize)]
struct PlaceRules {
    triggers: Vec<String>,
    heads: Vec<String>,
    facility_heads: Vec<String>,
    facility_closing: Vec<String>,
}

#[derive(Deserialize)]
struct OrgRules {
    triggers: Vec<String>,
    strong_heads: Vec<String>,
    descriptors: Vec<String>,
    stop: Vec<String>,
    title_complement_stop: Vec<String>,
    purpose_heads: Vec<String>,
    named_after_heads: Vec<String>,
}

#[derive(Deserialize)]
struct Nationality {
    stems: Vec<String>,
}

#[derive(Deserialize)]
struct Ambiguous {
    words: Vec<String>,
    place_context: Vec<String>,
}

#[derive(Deserialize)]
struct Words {
    words: Vec<String>,
}

/// Multi-word phrases indexed by their first folded token, longest first.
#[derive(Debug, Default)]
pub struct Phrases {
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl Phrases {
    fn new(list: &[String]) -> Phrases {
        let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::default();
        for entry in list {
            let tokens: Vec<String> = fold_arabic(entry)
                .text
                .split_whitespace()
                .map(str::to_string)
                .collect();
            if let Some(first) = tokens.first() {
                by_first.entry(first.clone()).or_default().push(tokens);
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|p| std::cmp::Reverse(p.len()));
            v.dedup();
        }
        Phrases { by_first }
    }

    /// The number of tokens of the longest phrase starting at `words[i]`.
    /// The first token may carry proclitics ("وقال", "بمدينة"); the others
    /// must match whole.
    pub fn match_at(&self, words: &[Word], i: usize) -> Option<usize> {
        self.match_reading(words, i).map(|(_, n)| n)
    }

    /// Like [`Phrases::match_at`], also saying which reading of the first
    /// token matched: (reading, number of tokens).
    pub fn match_reading(&self, words: &[Word], i: usize) -> Option<(usize, usize)> {
        let first = &words[i];
        for (si, stem) in first.stems.iter().enumerate() {
            if stem.no_article {
                continue;
            }
            let Some(candidates) = self.by_first.get(&stem.key) else {
                continue;
            };
            for phrase in candidates {
                let n = phrase.len();
                if i + n <= words.len()
                    && phrase[1..]
                        .iter()
                        .zip(&words[i + 1..i + n])
                        .all(|(p, w)| *p == w.folded)
                {
                    return Some((si, n));
                }
            }
        }
        None
    }

    /// Whether the whole folded token is a one-word entry.
    pub fn contains_word(&self, folded: &str) -> bool {
        self.by_first
            .get(folded)
            .is_some_and(|v| v.iter().any(|p| p.len() == 1))
    }
}

/// The compiled rule lists.
#[derive(Debug)]
pub struct Rules {
    pub titles: Phrases,
    pub modifiers: Phrases,
    pub place_triggers: Phrases,
    pub org_triggers: Phrases,
    pub place_heads: Phrases,
    org_descriptors: HashSet<String>,
    org_strong: HashSet<String>,
    particles: HashSet<String>,
    speech_verbs: HashSet<String>,
    org_stop: HashSet<String>,
    title_complement_stop: HashSet<String>,
    /// Folded: heads of facilities named after a person, and the
    /// adjectives that may close such a name.
    pub facility_heads: HashSet<String>,
    pub facility_closing: HashSet<String>,
    /// Folded: heads of bodies named by what they are for.
    pub purpose_heads: HashSet<String>,
    /// Folded: particles that belong to the family name after them.
    pub family_particles: HashSet<String>,
    /// Folded: honorifics opening a name after a title ("مولاي").
    pub honorifics: HashSet<String>,
    /// Folded: heads of bodies named after a person ("جامعة", "مؤسسة").
    pub named_after_heads: HashSet<String>,
    /// Sports clubs (folded phrases), the words of a match report and the
    /// words around a club's name in one.
    pub clubs: Phrases,
    pub sport_context: Phrases,
    pub sport_slots: HashSet<String>,
    nationality: HashSet<String>,
    ambiguous: HashSet<String>,
    place_context: HashSet<String>,
    stopwords: HashSet<String>,
    common: HashSet<String>,
}

const RULES_TOML: &str = include_str!("rules.toml");
const COMMON_WORDS: &str = include_str!("common_words.txt");

fn folded_set(list: &[String]) -> HashSet<String> {
    list.iter().map(|w| fold_arabic(w).text).collect()
}

impl Rules {
    /// The rules shipped with qari (parsed once).
    pub fn builtin() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            Rules::parse(RULES_TOML, COMMON_WORDS).expect("embedded rules.toml is valid")
        })
    }

    /// Rules from a TOML text and a list of common words (one per line,
    /// `#` comments).
    pub fn parse(toml_text: &str, common_words: &str) -> Result<Rules, toml::de::Error> {
        let file: RulesFile = toml::from_str(toml_text)?;
        let mut nationality = HashSet::default();
        for stem in folded_set(&file.nationality.stems) {
            for base in [stem.clone(), format!("ال{stem}")] {
                for suffix in ["", "ه", "ون", "ين", "ان", "يون", "يين"] {
                    nationality.insert(format!("{base}{suffix}"));
                }
                // Plural in -ات: "الأمريكيات".
                nationality.insert(format!("{base}ات"));
            }
        }
        let common = common_words
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| fold_arabic(l).text)
            .collect();
        Ok(Rules {
            titles: Phrases::new(&file.person.titles),
            modifiers: Phrases::new(&file.person.modifiers),
            place_triggers: Phrases::new(&file.place.triggers),
            org_triggers: Phrases::new(&file.org.triggers),
            place_heads: Phrases::new(&file.place.heads),
            org_descriptors: folded_set(&file.org.descriptors),
            org_strong: folded_set(&file.org.strong_heads),
            particles: folded_set(&file.person.particles),
            speech_verbs: folded_set(&file.person.speech_verbs),
            org_stop: folded_set(&file.org.stop),
            title_complement_stop: folded_set(&file.org.title_complement_stop),
            facility_heads: folded_set(&file.place.facility_heads),
            facility_closing: folded_set(&file.place.facility_closing),
            purpose_heads: folded_set(&file.org.purpose_heads),
            family_particles: folded_set(&file.person.family_particles),
            honorifics: folded_set(&file.person.honorifics),
            named_after_heads: folded_set(&file.org.named_after_heads),
            clubs: Phrases::new(&file.sport.clubs),
            sport_context: Phrases::new(&file.sport.context),
            sport_slots: folded_set(&file.sport.slots),
            nationality,
            ambiguous: folded_set(&file.ambiguous.words),
            place_context: folded_set(&file.ambiguous.place_context),
            stopwords: folded_set(&file.stopwords.words),
            common,
        })
    }

    /// A nationality or regional adjective in any form ("الصينية",
    /// "السوريين", "وأمريكي").
    pub fn is_nationality(&self, w: &Word) -> bool {
        w.stems
            .iter()
            .any(|s| !s.no_article && self.nationality.contains(&s.key))
    }

    pub fn is_stopword(&self, w: &Word) -> bool {
        self.stopwords.contains(&w.folded)
    }

    /// An ordinary word: a function word or a form that is almost never part
    /// of a name in news text.
    pub fn is_common(&self, w: &Word) -> bool {
        self.stopwords.contains(&w.folded) || self.common.contains(&w.folded)
    }

    /// Whether a whole folded word is a common word.
    pub fn is_common_key(&self, folded: &str) -> bool {
        self.stopwords.contains(folded) || self.common.contains(folded)
    }

    pub fn is_particle(&self, w: &Word) -> bool {
        self.particles.contains(&w.folded)
    }

    /// A name that is also an ordinary word and needs context.
    pub fn is_ambiguous(&self, key: &str) -> bool {
        self.ambiguous.contains(key)
    }

    pub fn is_speech_verb(&self, w: &Word) -> bool {
        w.stems
            .iter()
            .any(|s| !s.no_article && self.speech_verbs.contains(&s.key))
    }

    /// Whether a token could be part of a name: a word that is neither a
    /// function word, an ordinary word, a nationality adjective nor a title.
    pub fn is_name_like(&self, w: &Word) -> bool {
        if !w.is_word
            || w.folded.chars().count() < 2
            || self.is_common(w)
            || self.is_nationality(w)
            || self.titles.contains_word(&w.folded)
            || self.org_triggers.contains_word(&w.folded)
        {
            return false;
        }
        if Gazetteer::builtin().entry(&w.folded).is_some() {
            return true;
        }
        if w.looks_ordinary {
            return false;
        }
        // An ordinary word behind a clitic ("واجتماع", "ليقرر", "بتحديد")
        // or with an attached pronoun ("انتشارها", "استياءه").
        let clitic_word = w.stems[1..]
            .iter()
            .any(|s| s.stripped && !s.no_article && self.is_common_key(&s.key));
        let pronoun = ["ها", "هم", "هما", "نا", "كم"]
            .iter()
            .any(|p| w.folded.ends_with(p))
            && self.is_common_key(&w.folded[..w.folded.len() - 4]);
        // An indefinite accusative ("برنامجا", "حظا").
        let accusative = w.folded.ends_with('ا')
            && self.is_common_key(&w.folded[..w.folded.len() - 'ا'.len_utf8()]);
        !clitic_word && !pronoun && !accusative
    }

    /// Whether the words before `i` put a place there: a preposition or
    /// place word before it, a ب/ل/ك/و clitic on it, or a conjunction with
    /// a neighbouring word.
    pub fn has_place_context(&self, words: &[Word], i: usize, stem: &Stem) -> bool {
        if stem.stripped {
            return true;
        }
        let prev = words[..i]
            .iter()
            .rev()
            .find(|w| w.is_word || w.folded != "،");
        prev.is_some_and(|p| {
            self.place_context.contains(&p.folded) || self.is_place_trigger_word(p)
        })
    }

    /// Which reading of `w` is a place head ("و|مسجد"), if one is.
    pub fn place_head_reading(&self, w: &Word) -> Option<usize> {
        (w.stems.iter()).position(|s| self.place_heads.by_first.contains_key(&s.key))
    }

    fn is_place_trigger_word(&self, w: &Word) -> bool {
        w.stems.iter().any(|s| {
            self.place_triggers.by_first.contains_key(&s.key)
                || self.place_heads.by_first.contains_key(&s.key)
        })
    }

    /// Spans found by the context rules in one paragraph's tokens.
    pub fn apply(&self, words: &[Word]) -> Vec<RuleSpan> {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if !words[i].is_word {
                i += 1;
                continue;
            }
            if let Some(n) = self.titles.match_at(words, i) {
                // A body inside the title is an organization and the person
                // follows it: "رئيس [مجلس الوزراء] [نواف سلام]".
                if let Some(body) = self.body_in_title(words, i, n) {
                    spans.push(body);
                    let person = self.person_after(words, body.last + 1);
                    spans.extend(person);
                    i = person.map_or(body.last, |p| p.last) + 1;
                    continue;
                }
                if let Some(span) = self.person_after(words, i + n) {
                    i = span.last + 1;
                    spans.push(span);
                    continue;
                }
            }
            if let Some(n) = self.org_triggers.match_at(words, i) {
                // A name in quotes after the head: حزب "الخضر", تحالف «أوبك
                // بلس»; the head stays outside the quotes and the span.
                if let Some((first, last)) = quoted_at(words, i + n)
                    .filter(|&(f, l)| words[f..=l].iter().any(|w| !self.is_common(w)))
                {
                    spans.push(RuleSpan {
                        first,
                        last,
                        kind: EntityKind::Org,
                        strong: true,
                    });
                    i = last + 2;
                    continue;
                }
                let strong = words[i]
                    .stems
                    .iter()
                    .any(|s| !s.no_article && self.org_strong.contains(&s.key));
                if let Some(last) = self.org_run(words, i + n, strong) {
                    // "شركة أرامكو": the descriptor is not part of the name.
                    let next = &words[i + n];
                    let descriptor = n == 1
                        && words[i]
                            .stems
                            .iter()
                            .any(|s| !s.no_article && self.org_descriptors.contains(&s.key))
                        && !next.folded.starts_with("ال");
                    spans.push(RuleSpan {
                        first: if descriptor { i + n } else { i },
                        last,
                        kind: EntityKind::Org,
                        strong: true,
                    });
                    i = last + 1;
                    continue;
                }
            }
            if let Some(n) = self.place_heads.match_at(words, i) {
                if let Some(last) = self.name_run(words, i + n, 2) {
                    spans.push(RuleSpan {
                        first: i,
                        last,
                        kind: EntityKind::Place,
                        strong: true,
                    });
                    i = last + 1;
                    continue;
                }
            }
            if let Some(n) = self.place_triggers.match_at(words, i) {
                let mut j = i + n;
                while j < words.len() && self.is_nationality(&words[j]) {
                    j += 1;
                }
                if let Some(last) = self.name_run(words, j, 3) {
                    spans.push(RuleSpan {
                        first: j,
                        last,
                        kind: EntityKind::Place,
                        strong: true,
                    });
                    i = last + 1;
                    continue;
                }
            }
            if self.is_speech_verb(&words[i]) {
                let j = i + 1;
                // A definite word after the verb is usually its subject
                // ("قال الوزير"), except a family name in -ي ("قال البدري").
                let opens = j < words.len()
                    && (!words[j].folded.starts_with("ال")
                        || (words[j].folded.ends_with('ي') && self.is_name_like(&words[j])));
                if opens {
                    // Plurals and feminine nouns ("مراقبون", "مصادر",
                    // "الحكومة") are not names.
                    let plain = |w: &Word| !["ون", "ات", "ه"].iter().any(|s| w.folded.ends_with(s));
                    if let Some(last) = self
                        .name_run(words, j, 3)
                        .filter(|&l| words[j..=l].iter().all(plain))
                    {
                        spans.push(RuleSpan {
                            first: j,
                            last,
                            kind: EntityKind::Person,
                            strong: false,
                        });
                        i = last + 1;
                        continue;
                    }
                }
            }
            i += 1;
        }
        spans
    }

    /// The body a title names, starting inside it or right after it:
    /// "رئيس [مجلس الوزراء]", "الأمين العام ل[حزب العدالة والتنمية]",
    /// "رئيس [مجلس السيادة السوداني]". After a title even a weak head's
    /// definite complement is a name ("مجلس الوزراء"), except the everyday
    /// ones of `[org] title_complement_stop` ("مجلس الإدارة").
    fn body_in_title(&self, words: &[Word], i: usize, n: usize) -> Option<RuleSpan> {
        for k in i + 1..=(i + n).min(words.len() - 1) {
            let Some(m) = self.org_triggers.match_at(words, k) else {
                continue;
            };
            // A definite head ("رئيس المجلس") is a generic reference.
            let head = &words[k];
            let reading = self.org_head_reading(head)?;
            if head.stems[reading].key.starts_with("ال") {
                return None;
            }
            let next = words.get(k + m)?;
            if self.title_complement_stop.contains(&next.folded) {
                return None;
            }
            let mut last = self.org_run(words, k + m, true)?;
            // The person follows the body: after its first word only
            // definite words, conjuncts and "لل" complements belong to it
            // ("رئيس مفوضية المجموعة [عمر توراي]", "رئيس حركة حماس [يحيى …]").
            if let Some(end) = (k + m + 1..=last).find(|&x| {
                let f = &words[x].folded;
                !(f.starts_with("ال") || f.starts_with("وال") || f.starts_with('ل'))
            }) {
                last = end - 1;
            }
            return Some(RuleSpan {
                first: k,
                last,
                kind: EntityKind::Org,
                strong: true,
            });
        }
        None
    }

    /// Which reading of `w` is an organization head ("ل|حزب", "و|وزارة").
    pub fn org_head_reading(&self, w: &Word) -> Option<usize> {
        (w.stems.iter())
            .position(|s| !s.no_article && self.org_triggers.by_first.contains_key(&s.key))
    }

    /// The person named after a title ending before token `j`: modifiers
    /// and nationality adjectives are skipped, then the name runs over
    /// name-like tokens and particles.
    fn person_after(&self, words: &[Word], mut j: usize) -> Option<RuleSpan> {
        let mut skipped = 0;
        while j < words.len() && skipped < 4 {
            if let Some(n) = self.modifiers.match_at(words, j) {
                j += n;
                skipped += 1;
            } else if self.is_nationality(&words[j])
                || self.is_prepositional(&words[j])
                || self.titles.match_at(words, j).is_some()
            {
                j += 1;
                skipped += 1;
            } else if words[j].folded.starts_with("ال")
                && words[j + 1..]
                    .iter()
                    .take(2)
                    .find(|w| !w.folded.starts_with("ال"))
                    .is_some_and(|w| self.is_name_like(w))
            {
                // A complement before the name: "مدرب الزمالك جوزيه غوميز",
                // "قائد الجيش العماد جوزيف عون".
                j += 1;
                skipped += 1;
            } else {
                break;
            }
        }
        // A lone definite feminine noun after a title is its complement
        // ("رئيس الهيئة", "وزيرة الخزانة"), not a name.
        if j < words.len()
            && words[j].folded.starts_with("ال")
            && words[j].folded.ends_with('ه')
            && words.get(j + 1).is_none_or(|w| !self.is_name_like(w))
        {
            return None;
        }
        // A first name that is also an ordinary word ("جو", "أمل", "نور")
        // counts when a name follows it.
        let first_is_word = j + 1 < words.len()
            && words[j].is_word
            && !self.is_stopword(&words[j])
            && !self.is_nationality(&words[j])
            && !self.is_name_like(&words[j])
            && self.is_name_like(&words[j + 1]);
        let last = if first_is_word {
            self.name_run(words, j + 1, 3)?
        } else {
            self.name_run(words, j, 4)?
        };
        // A name made only of definite words is a complement ("رئيس
        // المجلس", "اللاعب الصاعد") unless it is a family name in -ي
        // ("الرئيس السيسي").
        if words[j..=last].iter().all(|w| w.folded.starts_with("ال"))
            && !words[last].folded.ends_with('ي')
            && Gazetteer::builtin().lookup(&words[last].folded) != Some(EntityKind::Person)
        {
            return None;
        }
        Some(RuleSpan {
            first: j,
            last,
            kind: EntityKind::Person,
            strong: true,
        })
    }

    /// The last token of a run of at most `max` name tokens starting at `j`
    /// (a particle pulls the next token in).
    pub fn name_run(&self, words: &[Word], j: usize, max: usize) -> Option<usize> {
        let mut k = j;
        while k < words.len() && k - j < max {
            let w = &words[k];
            if self.is_particle(w) && k + 1 < words.len() && words[k + 1].is_word {
                k += 2;
                continue;
            }
            if !self.is_name_like(w)
                || self.is_prepositional(w)
                || (k > j && (w.folded.starts_with('و') || w.folded.starts_with('ف')))
            {
                break;
            }
            k += 1;
        }
        (k > j).then(|| k - 1)
    }

    /// A word with a preposition or conjunction fused to the article
    /// ("بالدور", "للكتاب", "والكاتب"): it never continues a name.
    pub fn is_prepositional(&self, w: &Word) -> bool {
        ["بال", "لل", "كال", "وال", "فال"]
            .iter()
            .any(|p| w.folded.starts_with(p))
    }

    /// The last token of an organization name whose head ends before `j`:
    /// definite words and names, with one "و" + definite conjunct inside
    /// ("حزب العدالة والتنمية") and a closing nationality adjective.
    fn org_run(&self, words: &[Word], j: usize, strong_head: bool) -> Option<usize> {
        // The word right after the head must be a name or a definite word
        // that is not an everyday one ("مجلس الإدارة", "حركة الطيران" are
        // not names; "وزارة الخارجية", "حركة حماس" are).
        let first = words.get(j)?;
        if !first.is_word || self.is_prepositional(first) {
            return None;
        }
        let definite = first.folded.starts_with("ال");
        let known = Gazetteer::builtin().entry(&first.folded).is_some();
        if self.is_common(first) && !(strong_head && definite) && !known {
            return None;
        }
        // After a weak head ("مجلس", "حركة", "بنك") a definite word is most
        // often an ordinary complement ("مجلس الإدارة"); only a name or a
        // known place makes an organization ("حركة حماس", "بنك المغرب").
        if !strong_head && definite && !known {
            return None;
        }
        let mut k = j;
        let mut conjunct_used = false;
        while k < words.len() && k - j < 5 {
            let w = &words[k];
            if !w.is_word || self.org_stop.contains(&w.folded) || self.is_stopword(w) {
                break;
            }
            // "للكتاب", "لكرة القدم" close a name ("معرض القاهرة الدولي
            // للكتاب", "الاتحاد الدولي لكرة القدم").
            if k > j && w.folded.starts_with("لل") {
                k += 1;
                break;
            }
            if k > j
                && w.folded.starts_with('ل')
                && words.get(k + 1).is_some_and(|n| n.folded.starts_with("ال"))
            {
                k += 2;
                break;
            }
            let definite = w.folded.starts_with("ال") && w.folded.chars().count() > 3;
            let conjunct = w.folded.starts_with("وال") && k > j && !conjunct_used;
            if conjunct {
                conjunct_used = true;
                k += 1;
                continue;
            }
            if self.is_prepositional(w) {
                break;
            }
            if self.is_nationality(w) {
                // It is part of a name of common words ("وزارة التجارة
                // [الصينية]") and describes a proper name ("نادي ليون
                // الفرنسي", "مجموعة توتال إنرجيز الفرنسية").
                let international = matches!(w.folded.as_str(), "الدولي" | "الدوليه");
                if international || (k > j && words[k - 1].folded.starts_with("ال")) {
                    k += 1;
                }
                break;
            }

            if definite || (self.is_name_like(w) && !w.folded.starts_with('و')) {
                k += 1;
                continue;
            }
            break;
        }
        (k > j).then(|| k - 1)
    }
}

/// Whether a token is an opening quotation mark.
fn is_open_quote(w: &Word) -> bool {
    matches!(w.folded.as_str(), "\"" | "«" | "“" | "'" | "„")
}

/// The words of a short quoted name opening at token `j` (the quote
/// itself): at most five words, closed by a quote before any other
/// punctuation. Returns the first and last word.
pub fn quoted_at(words: &[Word], j: usize) -> Option<(usize, usize)> {
    if !is_open_quote(words.get(j)?) {
        return None;
    }
    let first = j + 1;
    let mut k = first;
    while k < words.len() && words[k].is_word && k - first < 5 {
        k += 1;
    }
    let close = words.get(k)?;
    let closes = matches!(close.folded.as_str(), "\"" | "»" | "”" | "'" | "“");
    (k > first && closes).then(|| (first, k - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut at = 0;
        for part in text.split(' ') {
            if !part.is_empty() {
                out.push(Word::new(part, at));
            }
            at += part.len() + 1;
        }
        out
    }

    fn spans(text: &str) -> Vec<(String, EntityKind)> {
        let ws = words(text);
        Rules::builtin()
            .apply(&ws)
            .into_iter()
            .map(|s| (text[ws[s.first].start..ws[s.last].end].to_string(), s.kind))
            .collect()
    }

    #[test]
    fn stems_strip_clitics_and_keep_the_whole_word_first() {
        let w = Word::new("وبكين", 0);
        assert_eq!(w.stems[0].key, "وبكين");
        assert!(w.has_stem("بكين"));
        assert!(Word::new("للصين", 0).has_stem("الصين"));
        // The surface of an article-less key still starts at the article.
        let w = Word::new("والقاهرة", 0);
        let bare = w.stems.iter().find(|s| s.key == "قاهره").unwrap();
        assert_eq!(bare.start, "و".len());
    }

    #[test]
    fn lam_lam_maps_back_to_the_original() {
        let w = Word::new("للصين", 10);
        let s = w.stems.iter().find(|s| s.key == "الصين").unwrap();
        assert!(s.lam_article);
        assert_eq!(s.start, 10 + "ل".len());
    }

    #[test]
    fn title_then_name() {
        assert_eq!(
            spans("وقال الرئيس الأمريكي جو بايدن إن"),
            vec![("جو بايدن".to_string(), EntityKind::Person)]
        );
        assert_eq!(
            spans("التقى وزير الخارجية المصري سامح شكري في"),
            vec![("سامح شكري".to_string(), EntityKind::Person)]
        );
    }

    #[test]
    fn particles_join_names() {
        let found = spans("استقبل ولي العهد السعودي الأمير محمد بن سلمان أمس");
        assert!(
            found.contains(&("محمد بن سلمان".to_string(), EntityKind::Person)),
            "{found:?}"
        );
    }

    #[test]
    fn place_and_org_triggers() {
        assert!(spans("وقع الانفجار في مدينة حلب شمالي")
            .contains(&("حلب".to_string(), EntityKind::Place)));
        let found = spans("وقالت وزارة الخارجية المصرية في بيان");
        assert!(
            found.contains(&("وزارة الخارجية المصرية".to_string(), EntityKind::Org)),
            "{found:?}"
        );
        let found = spans("فاز حزب العدالة والتنمية في");
        assert!(
            found.contains(&("حزب العدالة والتنمية".to_string(), EntityKind::Org)),
            "{found:?}"
        );
    }

    #[test]
    fn nationality_adjectives_are_not_names() {
        let r = Rules::builtin();
        for w in ["الصينية", "السوري", "والأمريكيين", "المصريون"] {
            assert!(r.is_nationality(&Word::new(w, 0)), "{w}");
        }
        assert!(spans("قال الرئيس السوري إن").is_empty());
    }

    #[test]
    fn speech_verb_then_unknown_word() {
        assert_eq!(
            spans("وقال غوتيريش إن الوضع"),
            vec![("غوتيريش".to_string(), EntityKind::Person)]
        );
        // An ordinary word after the verb is not a name.
        assert!(spans("وقال إن الوضع").is_empty());
    }
}
