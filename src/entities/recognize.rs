//! The recognizer: paragraphs in, grouped entities out.
//!
//! Per paragraph, candidate spans come from the user's names, the CRF tagger
//! ([`super::crf`]), the gazetteers ([`super::gazetteer`]) and the context
//! rules ([`super::rules`]). A few repairs use one source to fix another's
//! boundaries (a title's name ends an organization span, a particle pulls in
//! the next word), then overlaps are resolved by source priority — user,
//! tagger, gazetteer phrase, strong rule, gazetteer word — and length.
//! Names found once are then looked for again across the whole article
//! (document-level propagation), and mentions are grouped into entities:
//! clitics (و ف ب ل ك) are not part of a mention, so "وروسيا" and "روسيا"
//! are one place, and a bare surname joins the full name it ends ("بايدن"
//! after "جو بايدن"; the most mentioned one when several do).
//!
//! Matching happens on folded copies (see [`crate::text::fold_arabic`]);
//! every offset reported is a byte offset of the original paragraph.

use super::crf::{sentences, Tag, Tagger};
use super::gazetteer::Gazetteer;
use super::lexicon::Lexicon;
use super::rules::{Rules, Stem, Word};
use super::token::{tokenize, Token};
use super::user::UserEntities;
use super::{Block, Entity, EntityKind, Mention};
use crate::article::Article;
use crate::text::fold_arabic;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// Where a candidate span comes from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    User,
    Tagger,
    GazetteerPhrase,
    Rule,
    /// An acronym or short name in brackets or quotes after a body's name.
    Alias,
    Gazetteer,
    Propagated,
    RuleWeak,
}

/// A candidate entity mention over tokens `first..=last` of a paragraph.
#[derive(Debug, Clone)]
struct Candidate {
    first: usize,
    last: usize,
    /// Reading of the first token (which clitics were stripped).
    stem: usize,
    kind: EntityKind,
    source: Source,
    /// For alias matches: the canonical folded name.
    canonical: Option<String>,
}

/// A compiled user list: folded phrases to match.
#[derive(Debug, Default)]
struct UserIndex {
    /// Folded token sequence → kind.
    names: Vec<(Vec<String>, EntityKind)>,
    /// Folded alias tokens → folded canonical name.
    aliases: Vec<(Vec<String>, String)>,
    suppress: HashSet<String>,
    /// First words of all names and aliases, to skip tokens quickly.
    firsts: HashSet<String>,
}

fn fold_tokens(s: &str) -> Vec<String> {
    fold_arabic(s)
        .text
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

impl UserIndex {
    fn new(user: &UserEntities) -> UserIndex {
        let mut names: Vec<_> = user
            .names
            .iter()
            .map(|n| (fold_tokens(&n.text), n.kind))
            .filter(|(t, _)| !t.is_empty())
            .collect();
        names.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        let mut aliases: Vec<_> = user
            .aliases
            .iter()
            .map(|(a, c)| (fold_tokens(a), fold_tokens(c).join(" ")))
            .filter(|(t, c)| !t.is_empty() && !c.is_empty())
            .collect();
        aliases.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        let suppress = user
            .suppress
            .iter()
            .map(|s| fold_tokens(s).join(" "))
            .collect();
        let firsts = names
            .iter()
            .map(|(t, _)| t[0].clone())
            .chain(aliases.iter().map(|(t, _)| t[0].clone()))
            .collect();
        UserIndex {
            names,
            aliases,
            suppress,
            firsts,
        }
    }
}

/// Recognizes named people, places and organizations in an article.
#[derive(Debug)]
pub struct Recognizer {
    rules: &'static Rules,
    gazetteer: &'static Gazetteer,
    tagger: &'static Tagger,
    user: UserIndex,
}

impl Default for Recognizer {
    fn default() -> Self {
        Recognizer::builtin()
    }
}

fn words_of(text: &str) -> Vec<Word> {
    tokenize(text)
        .into_iter()
        .map(|t| Word::new(t.text(text), t.start))
        .collect()
}

/// The folded name a candidate stands for: the first token's reading and
/// the following tokens whole.
fn candidate_key(words: &[Word], c: &Candidate) -> String {
    let first = &words[c.first];
    let stem = &first.stems[c.stem];
    // Keys keep the article the surface keeps: "قاهره" read from "والقاهرة"
    // is the name "القاهره".
    let mut key = if stem.no_article {
        first
            .stems
            .iter()
            .find(|s| !s.no_article && s.start == stem.start)
            .map_or_else(|| stem.key.clone(), |s| s.key.clone())
    } else {
        stem.key.clone()
    };
    for w in &words[c.first + 1..=c.last] {
        key.push(' ');
        key.push_str(&w.folded);
    }
    key
}

/// The surface text of a mention: the original without its clitics, "لل"
/// written back as "ال".
fn surface(text: &str, words: &[Word], c: &Candidate) -> String {
    let stem: &Stem = &words[c.first].stems[c.stem];
    let body = &text[stem.start..words[c.last].end];
    if stem.lam_article {
        format!("ا{body}")
    } else {
        body.to_string()
    }
}

/// Whether `phrase` (folded tokens) matches at token `i`, the first token
/// possibly with clitics; returns the reading used.
fn phrase_at(words: &[Word], i: usize, phrase: &[String]) -> Option<usize> {
    let n = phrase.len();
    if i + n > words.len() {
        return None;
    }
    if !phrase[1..]
        .iter()
        .zip(&words[i + 1..i + n])
        .all(|(p, w)| *p == w.folded)
    {
        return None;
    }
    words[i]
        .stems
        .iter()
        .position(|s| !s.no_article && s.key == phrase[0])
}

struct Paragraph<'a> {
    block: Block,
    text: &'a str,
    words: Vec<Word>,
    chosen: Vec<Candidate>,
}

impl Recognizer {
    /// A recognizer with the user's names, aliases and suppressions.
    pub fn new(user: UserEntities) -> Recognizer {
        Recognizer {
            rules: Rules::builtin(),
            gazetteer: Gazetteer::builtin(),
            tagger: Tagger::builtin(),
            user: UserIndex::new(&user),
        }
    }

    /// A recognizer with the built-in knowledge only.
    pub fn builtin() -> Recognizer {
        Recognizer::new(UserEntities::default())
    }

    /// The same recognizer with another statistical model (evaluation of a
    /// model trained without the dev split: `eval_entities --model`).
    pub fn with_tagger(self, tagger: &'static Tagger) -> Recognizer {
        Recognizer { tagger, ..self }
    }

    /// The surname a person's full name is known by alone ("السيسي" for
    /// "عبد الفتاح السيسي"), folded, with the rule grouping mentions in an
    /// article; `None` for a single name or when the last word is not one.
    /// Used to merge one person across the library the same way.
    pub fn surname_of(&self, name: &str) -> Option<String> {
        let key: Vec<String> = fold_arabic(name)
            .text
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if key.len() < 2 {
            return None;
        }
        let tail = self.surname(&key);
        (!tail.is_empty() && tail.len() < key.len()).then(|| tail.join(" "))
    }

    /// The entities of an article, its title included: a mention in
    /// paragraph `i` is in `article.paragraphs[i]`. A title derived from the
    /// lead repeats the lead's words, so it is not searched (its names
    /// would be counted twice).
    pub fn recognize_article(&self, article: &Article) -> Vec<Entity> {
        let paragraphs: Vec<&str> = article.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let title = (!article.title_derived).then_some(article.title.as_str());
        self.recognize_blocks(title, &paragraphs)
    }

    /// The entities of an article given as its title and body paragraphs,
    /// most mentioned first (then by text). Mention offsets are bytes of
    /// the block's text; title mentions count like any other.
    pub fn recognize_blocks(&self, title: Option<&str>, paragraphs: &[&str]) -> Vec<Entity> {
        let title = title.filter(|t| !t.trim().is_empty());
        let blocks: Vec<(Block, &str)> = title
            .map(|t| (Block::Title, t))
            .into_iter()
            .chain(
                paragraphs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (Block::Paragraph(i), *p)),
            )
            .collect();
        let texts: Vec<&str> = blocks.iter().map(|(_, t)| *t).collect();
        if is_persian(&texts) {
            return Vec::new();
        }
        let mut paras: Vec<Paragraph> = blocks
            .iter()
            .map(|&(block, text)| Paragraph {
                block,
                text,
                words: words_of(text),
                chosen: Vec::new(),
            })
            .collect();
        // Folded whole words of the article: a clitic-stripped stem that
        // also occurs bare elsewhere is a real stem ("وبايدن" / "بايدن").
        let vocabulary: HashSet<String> = paras
            .iter()
            .flat_map(|p| p.words.iter().map(|w| w.folded.clone()))
            .collect();
        // Sports reports: a club's name is an organization there. The
        // headline of an article with one is read as one too.
        let sporty: Vec<usize> = paras.iter().map(|p| self.sports_words(&p.words)).collect();
        let article_sporty = sporty.iter().any(|&s| s >= 2);
        for (k, p) in paras.iter_mut().enumerate() {
            let sports =
                sporty[k] >= 2 || (p.block == Block::Title && article_sporty && sporty[k] >= 1);
            let mut candidates = self.candidates(&p.words, &vocabulary);
            candidates.extend(self.tagged(p.text, &p.words, &vocabulary));
            candidates.extend(self.gazetteer_hits(&p.words, &candidates));
            self.adjust(&p.words, &mut candidates);
            p.chosen = self.resolve(&p.words, candidates);
            self.coordinate(&p.words, &mut p.chosen, &vocabulary);
            self.family_names(&p.words, &mut p.chosen);
            self.named_facilities(&p.words, &mut p.chosen);
            self.bodies_named_after_people(&p.words, &mut p.chosen);
            if sports {
                self.clubs(&p.words, &mut p.chosen);
            }
            self.bodies_with_purpose(&p.words, &mut p.chosen);
            self.bracketed_aliases(&p.words, &mut p.chosen);
            self.adjacent_people(&p.words, &mut p.chosen);
            self.given_name_before_surname(&p.words, &mut p.chosen);
            self.place_lists(&p.words, &mut p.chosen);
            self.dateline(&p.words, &mut p.chosen);
        }
        self.propagate(&mut paras);
        self.vote_kinds(&mut paras);
        self.group(&paras)
    }

    /// The entities of a list of paragraphs with no title, most mentioned
    /// first (then by text). Mention offsets are bytes of the paragraph text.
    pub fn recognize(&self, paragraphs: &[&str]) -> Vec<Entity> {
        self.recognize_blocks(None, paragraphs)
    }

    /// A person found by a known given name alone ("فوزي", "جانيت") takes
    /// the word after it when that word could be a family name the lists
    /// lack: a name-like word that is not a speech verb, is rare in
    /// ordinary text and is not marked as anything else ("فوزي لقجع").
    /// One person must be one span.
    fn family_names(&self, words: &[Word], chosen: &mut [Candidate]) {
        let lex = Lexicon::builtin();
        let taken: HashSet<usize> = chosen.iter().flat_map(|c| c.first..=c.last).collect();
        for c in chosen.iter_mut() {
            if c.kind != EntityKind::Person || c.first != c.last || c.source == Source::User {
                continue;
            }
            let given = &words[c.first].stems[c.stem].key;
            if !self.gazetteer.is_given_name(given) && !lex.is_name_token(given) {
                continue;
            }
            let next = c.last + 1;
            let Some(w) = words.get(next) else { continue };
            let fits = !taken.contains(&next)
                && w.is_word
                && !w.folded.starts_with('و')
                && w.folded.chars().count() >= 3
                && !self.rules.is_common(w)
                && !self.rules.is_nationality(w)
                && (lex.is_name_token(&w.folded) || lex.zipf(&w.folded).is_none())
                && !self.rules.is_stopword(w)
                && !self.rules.is_speech_verb(w)
                && !self.rules.is_particle(w)
                && self.gazetteer.entry(&w.folded).is_none()
                && lex.zipf(&w.folded).is_none_or(|z| z <= 3);
            if fits {
                c.last = next;
            }
        }
        // A family name's particle belongs to it: "[آل مكتوم]", "[ولد]
        // الغزواني" said alone after the full name.
        let taken: HashSet<usize> = chosen.iter().flat_map(|c| c.first..=c.last).collect();
        for c in chosen.iter_mut() {
            if c.kind != EntityKind::Person || c.first == 0 || c.source == Source::User {
                continue;
            }
            let before = c.first - 1;
            let w = &words[before];
            if !taken.contains(&before) && self.rules.family_particles.contains(&w.folded) {
                c.first = before;
                c.stem = 0;
            }
        }
    }

    /// A stadium, airport or palace named after a person is one place,
    /// its title and closing adjective included: "[ملعب حمادي العقربي]",
    /// "[مطار الملكة علياء الدولي]", "[استاد عمان الدولي]".
    fn named_facilities(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let rules = self.rules;
        let mut i = 0;
        while i < words.len() {
            let head = words[i]
                .stems
                .iter()
                .position(|s| !s.no_article && rules.facility_heads.contains(&s.key));
            let Some(stem) = head else {
                i += 1;
                continue;
            };
            // "مدينة" is a trigger, outside the name, unless the whole is a
            // listed name; only facilities keep their head.
            let is_city = words[i].stems[stem].key == "مدينه";
            let mut j = i + 1;
            if j >= words.len() {
                break;
            }
            if let Some(n) = self.rules.titles.match_at(words, j) {
                j += n;
            }
            // "الأمير مولاي عبد الله": the honorific opens the name.
            let person_at = |j: usize| {
                chosen
                    .iter()
                    .any(|c| c.first == j && c.kind == EntityKind::Person)
            };
            if !person_at(j)
                && words
                    .get(j)
                    .is_some_and(|w| rules.honorifics.contains(&w.folded))
            {
                j += 1;
            }
            let here = chosen
                .iter()
                .position(|c| c.first == i && c.kind == EntityKind::Place);
            let after = chosen
                .iter()
                .position(|c| c.first == j && c.kind == EntityKind::Person);
            let last = match (here, after) {
                (Some(h), _) if !is_city => chosen[h].last,
                (_, Some(a)) => chosen[a].last,
                _ => {
                    i += 1;
                    continue;
                }
            };
            let mut last = last;
            while words
                .get(last + 1)
                .is_some_and(|w| rules.facility_closing.contains(&w.folded))
            {
                last += 1;
            }
            let first = if is_city { i + 1 } else { i };
            chosen.retain(|c| c.last < i || c.first > last);
            chosen.push(Candidate {
                first,
                last,
                stem: if is_city { 0 } else { stem },
                kind: EntityKind::Place,
                source: Source::Rule,
                canonical: None,
            });
            chosen.sort_by_key(|c| c.first);
            i = last + 1;
        }
    }

    /// A body named after a person is one organization, not a person: the
    /// head, the name (with its title) and a closing complement ("[جامعة حمد
    /// بن خليفة]", "[جامعة محمد بن زايد للذكاء الاصطناعي]", "[مستشفى الملك
    /// فهد التخصصي]").
    fn bodies_named_after_people(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let rules = self.rules;
        let definite = |w: &Word| {
            w.folded.starts_with("ال") && w.folded.chars().count() > 3 && !rules.is_stopword(w)
        };
        let mut i = 0;
        while i + 1 < words.len() {
            let head = words[i]
                .stems
                .iter()
                .position(|s| !s.no_article && rules.named_after_heads.contains(&s.key));
            let Some(stem) = head else {
                i += 1;
                continue;
            };
            let mut j = i + 1;
            if let Some(n) = rules.titles.match_at(words, j) {
                j += n;
            }
            if words
                .get(j)
                .is_some_and(|w| rules.honorifics.contains(&w.folded))
                && !chosen.iter().any(|c| c.first == j)
            {
                j += 1;
            }
            let Some(person) = chosen
                .iter()
                .find(|c| c.first == j && c.kind == EntityKind::Person && c.source != Source::User)
            else {
                i += 1;
                continue;
            };
            let mut last = person.last;
            // "للذكاء الاصطناعي", "للثقافة والإبداع", or one closing
            // adjective ("التخصصي", "الجامعي").
            if words
                .get(last + 1)
                .is_some_and(|w| w.folded.starts_with("لل") && w.folded.chars().count() > 4)
            {
                last += 1;
                let mut conjunct = false;
                while let Some(w) = words.get(last + 1) {
                    let adjective = definite(w)
                        && (w.folded.ends_with('ي') || w.folded.ends_with("يه"))
                        && !rules.is_nationality(w);
                    if adjective {
                        last += 1;
                    } else if !conjunct
                        && w.folded.starts_with("وال")
                        && w.folded.chars().count() > 4
                    {
                        conjunct = true;
                        last += 1;
                    } else {
                        break;
                    }
                }
            } else if words.get(last + 1).is_some_and(|w| {
                definite(w)
                    && (w.folded.ends_with('ي') || rules.facility_closing.contains(&w.folded))
                    && !rules.is_nationality(w)
            }) {
                last += 1;
            }
            // The user's names and longer spans of another source win.
            let clash = chosen.iter().any(|c| {
                c.first <= last
                    && i <= c.last
                    && (c.source == Source::User || c.first < i || c.last > last)
            });
            if clash {
                i += 1;
                continue;
            }
            chosen.retain(|c| c.last < i || c.first > last);
            chosen.push(Candidate {
                first: i,
                last,
                stem,
                kind: EntityKind::Org,
                source: Source::Rule,
                canonical: None,
            });
            chosen.sort_by_key(|c| c.first);
            i = last + 1;
        }
    }

    /// How many words of a match report (`[sport] context`) a paragraph
    /// has: two make it a sports report.
    fn sports_words(&self, words: &[Word]) -> usize {
        let mut hits = 0;
        let mut i = 0;
        while i < words.len() {
            if let Some(n) = self.rules.sport_context.match_at(words, i) {
                hits += 1;
                i += n;
                continue;
            }
            i += 1;
        }
        hits
    }

    /// Clubs in a sports report are organizations: "[الوداد] يهزم
    /// [الرجاء]", "تعادل [القادسية] مع [الكويت]". A club's name that is also
    /// a place, a person's name, a nationality or an everyday word (الكويت,
    /// المحرق, العربي, الهلال) needs a match slot next to it: "على", "مع",
    /// "مدرب", "فاز" before, "يكتسح" after, or another club joined by "و".
    fn clubs(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let rules = self.rules;
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let Some((stem, n)) = rules.clubs.match_reading(words, i) else {
                i += 1;
                continue;
            };
            let mut last = i + n - 1;
            if words.get(last + 1).is_some_and(|w| w.folded == "الرياضي") {
                last += 1;
            }
            let key = &words[i].stems[stem].key;
            let bare = Word::new(key, 0);
            // "الدوري المصري": a nationality after a noun describes it.
            let nationality = n == 1 && rules.is_nationality(&bare);
            let ordinary = n == 1
                && (rules.is_common_key(key)
                    || nationality
                    || matches!(
                        self.gazetteer.lookup(key),
                        Some(EntityKind::Place | EntityKind::Person)
                    ));
            let slot_before = i > 0 && {
                let prev = &words[i - 1];
                rules.sport_slots.contains(&prev.folded)
                    || prev
                        .stems
                        .iter()
                        .any(|s| !s.no_article && rules.sport_slots.contains(&s.key))
            };
            let slot_after = !nationality
                && words
                    .get(last + 1)
                    .is_some_and(|w| rules.sport_slots.contains(&w.folded));
            let joined =
                words[i].folded.starts_with('و') && found.last().is_some_and(|&(_, l)| l + 1 == i);
            if ordinary && !(slot_before || slot_after || joined) {
                i = last + 1;
                continue;
            }
            // A longer name of another source around it stays ("نادي
            // الزمالك", "الهلال الأحمر").
            let inside_longer = chosen
                .iter()
                .any(|c| c.first <= last && i <= c.last && (c.first < i || c.last > last));
            if inside_longer {
                i = last + 1;
                continue;
            }
            chosen.retain(|c| c.last < i || c.first > last || c.source == Source::User);
            if chosen.iter().any(|c| c.first <= last && i <= c.last) {
                i = last + 1;
                continue;
            }
            chosen.push(Candidate {
                first: i,
                last,
                stem,
                kind: EntityKind::Org,
                source: Source::Rule,
                canonical: None,
            });
            found.push((i, last));
            i = last + 1;
        }
        chosen.sort_by_key(|c| c.first);
    }

    /// A body named by a definite head, its adjectives and what it is for
    /// is one organization: "الوكالة الفرنسية للتنمية", "اللجنة المستقلة
    /// للانتخابات", "الإدارة العامة للأرصاد الجوية", "الاتحاد الدولي لكرة
    /// القدم". The head alone ("الوكالة") is a generic reference; the "لل"
    /// complement after an adjective makes it a name.
    fn bodies_with_purpose(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let definite = |w: &Word| {
            w.folded.starts_with("ال") && w.folded.chars().count() > 3 && !self.rules.is_stopword(w)
        };
        let mut i = 0;
        while i < words.len() {
            // The head, with a clitic or not ("وال|لجنة", "لل|هيئة").
            let head = words[i]
                .stems
                .iter()
                .position(|s| s.no_article && self.rules.purpose_heads.contains(&s.key));
            let Some(_) = head else {
                i += 1;
                continue;
            };
            let mut k = i + 1;
            while k < words.len()
                && k - i <= 3
                && definite(&words[k])
                && !words[k].folded.starts_with("لل")
            {
                k += 1;
            }
            let adjectives = k - i - 1;
            let purpose = words
                .get(k)
                .is_some_and(|w| w.folded.starts_with("لل") && w.folded.chars().count() > 4);
            // "لكرة القدم": ل + an indefinite noun + a definite one.
            let lam_pair = words.get(k).is_some_and(|w| {
                w.folded.starts_with('ل') && !w.folded.starts_with("لل") && w.is_word
            }) && words.get(k + 1).is_some_and(definite);
            if adjectives == 0 || adjectives > 3 || !(purpose || lam_pair) {
                i += 1;
                continue;
            }
            let mut last = if lam_pair { k + 1 } else { k };
            // Definite words and one "وال" conjunct after the complement:
            // "للتعليم الثانوي", "للكهرباء والغاز".
            let mut conjunct = false;
            while let Some(w) = words.get(last + 1) {
                let adjective =
                    w.folded.ends_with('ي') || w.folded.ends_with("يه") || w.folded == "العامه";
                let another_body = (w.stems.iter())
                    .any(|s| s.no_article && self.rules.purpose_heads.contains(&s.key));
                if definite(w) && adjective && last - i < 7 {
                    last += 1;
                } else if w.folded.starts_with("وال")
                    && !conjunct
                    && !another_body
                    && w.folded.chars().count() > 4
                {
                    conjunct = true;
                    last += 1;
                } else {
                    break;
                }
            }
            // Another source's longer span or a person inside wins.
            let clash = chosen.iter().any(|c| {
                c.first <= last
                    && i <= c.last
                    && (c.source == Source::User
                        || c.kind == EntityKind::Person
                        || c.first < i
                        || c.last > last)
            });
            if clash {
                i = last + 1;
                continue;
            }
            let stem = words[i]
                .stems
                .iter()
                .position(|s| !s.no_article && s.key.starts_with("ال"))
                .unwrap_or(0);
            chosen.retain(|c| c.last < i || c.first > last);
            chosen.push(Candidate {
                first: i,
                last,
                stem,
                kind: EntityKind::Org,
                source: Source::Rule,
                canonical: None,
            });
            chosen.sort_by_key(|c| c.first);
            i = last + 1;
        }
    }

    /// Two people's spans side by side with nothing between are one long
    /// name the sources cut in two: "[لويس إيناسيو] [لولا دا سيلفا]".
    fn adjacent_people(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let mut k = 0;
        while k + 1 < chosen.len() {
            let (a, b) = (&chosen[k], &chosen[k + 1]);
            // A conjunct ("[العليمي] [وغروندبرغ]") or a title inside
            // ("[الليبي المشير] [خليفة حفتر]") keeps them apart.
            let apart = b.first < words.len()
                && (words[b.first].stems[b.stem].stripped
                    || words[b.first].folded.starts_with('و')
                    || words[a.first..=a.last].iter().any(|w| {
                        self.rules.is_nationality(w) || self.rules.titles.contains_word(&w.folded)
                    }));
            if a.kind == EntityKind::Person
                && b.kind == EntityKind::Person
                && b.first == a.last + 1
                && !apart
                && a.source != Source::User
                && b.source != Source::User
                && b.last - a.first < 6
            {
                chosen[k].last = chosen[k + 1].last;
                chosen.remove(k + 1);
            } else {
                k += 1;
            }
        }
    }

    /// A foreign given name that is also a place ("جورجيا", "صوفيا") right
    /// before a person's surname is the person's first name: "[جورجيا
    /// ميلوني]" is one person.
    fn given_name_before_surname(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let lex = Lexicon::builtin();
        let mut k = 0;
        while k + 1 < chosen.len() {
            let (a, b) = (&chosen[k], &chosen[k + 1]);
            let first = &words[a.first].stems[a.stem].key;
            let merge = a.kind == EntityKind::Place
                && a.first == a.last
                && a.source != Source::User
                && b.kind == EntityKind::Person
                && b.first == a.last + 1
                && (self.gazetteer.is_given_name(first)
                    || lex.is_name_token(first)
                    || a.first > 0 && self.rules.is_nationality(&words[a.first - 1]));
            if merge {
                let last = b.last;
                chosen[k].last = last;
                chosen[k].kind = EntityKind::Person;
                chosen.remove(k + 1);
            }
            k += 1;
        }
    }

    /// Places listed together: a word joined by "و" to a place ("في سبها
    /// [ومصراتة]", "ولايتي الجزيرة [وسنار]") is a place too when it could
    /// be a name and ends the list item.
    fn place_lists(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let lex = Lexicon::builtin();
        loop {
            let taken: HashSet<usize> = chosen.iter().flat_map(|c| c.first..=c.last).collect();
            let mut found = None;
            for c in chosen.iter().filter(|c| c.kind == EntityKind::Place) {
                let next = c.last + 1;
                let Some(w) = words.get(next) else { continue };
                if taken.contains(&next) || !w.folded.starts_with('و') || !w.is_word {
                    continue;
                }
                let after_waw = w.start + 'و'.len_utf8();
                let Some(si) = w
                    .stems
                    .iter()
                    .position(|s| s.start == after_waw && !s.no_article)
                else {
                    continue;
                };
                let key = &w.stems[si].key;
                let bare = Word::new(key, 0);
                let known = self.gazetteer.lookup(key);
                let listed = known == Some(EntityKind::Place);
                let name_like = key.chars().count() >= 3
                    && self.rules.is_name_like(&bare)
                    && !bare.looks_ordinary
                    && !self.rules.is_common(&bare)
                    && !self.rules.is_stopword(&bare)
                    && !self.rules.is_speech_verb(&bare)
                    && known.is_none()
                    && lex.zipf(key).is_none_or(|z| z <= 2);
                // The item ends here: punctuation, another "و" item, the end.
                let ends = words.get(next + 1).is_none_or(|n| {
                    !n.is_word || n.folded.starts_with('و') || self.rules.is_stopword(n)
                });
                if (listed || name_like) && ends {
                    found = Some(Candidate {
                        first: next,
                        last: next,
                        stem: si,
                        kind: EntityKind::Place,
                        source: Source::Rule,
                        canonical: None,
                    });
                    break;
                }
            }
            match found {
                Some(c) if self.acceptable(words, &c) => {
                    chosen.push(c);
                    chosen.sort_by_key(|c| c.first);
                }
                _ => break,
            }
        }
    }

    /// A dateline names the agency after the city: "عدن (سبأ) -", "مسقط -
    /// العمانية -", "تونس (وات)". The agency is an organization, whatever
    /// else its word could be. Letters alone ("أ ف ب") are left to the
    /// lists.
    fn dateline(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        // The city: one or two words at the start.
        let Some(city_end) = (0..2.min(words.len())).find(|&k| {
            words
                .get(k + 1)
                .is_some_and(|w| matches!(w.folded.as_str(), "(" | "-" | "–"))
        }) else {
            return;
        };
        if !words[..=city_end].iter().all(|w| w.is_word) {
            return;
        }
        let open = city_end + 1;
        let close_with = |w: &Word| match words[open].folded.as_str() {
            "(" => w.folded == ")",
            _ => matches!(w.folded.as_str(), "-" | "–" | ":"),
        };
        let first = open + 1;
        let mut k = first;
        while k < words.len() && words[k].is_word && k - first < 3 {
            k += 1;
        }
        if k == first || !words.get(k).is_some_and(close_with) {
            return;
        }
        let last = k - 1;
        let letters_only = words[first..=last]
            .iter()
            .all(|w| w.folded.chars().count() == 1);
        let place = (first == last)
            .then(|| self.gazetteer.lookup(&words[first].folded))
            .flatten()
            == Some(EntityKind::Place);
        if letters_only
            || place
            || words[first..=last]
                .iter()
                .any(|w| self.rules.is_stopword(w))
        {
            return;
        }
        let city: Vec<&str> = words[..=city_end]
            .iter()
            .map(|w| w.folded.as_str())
            .collect();
        let city_known = chosen
            .iter()
            .any(|c| c.first == 0 && c.kind == EntityKind::Place)
            || self.gazetteer.lookup(&city.join(" ")) == Some(EntityKind::Place);
        if !city_known {
            return;
        }
        chosen.retain(|c| c.last < first || c.first > last);
        chosen.push(Candidate {
            first,
            last,
            stem: 0,
            kind: EntityKind::Org,
            source: Source::Rule,
            canonical: None,
        });
        if !chosen.iter().any(|c| c.first == 0) {
            chosen.push(Candidate {
                first: 0,
                last: city_end,
                stem: 0,
                kind: EntityKind::Place,
                source: Source::Rule,
                canonical: None,
            });
        }
        chosen.sort_by_key(|c| c.first);
    }

    /// A short name in brackets or quotes right after an organization is
    /// its acronym or short name: "منظمة الدول المصدرة للبترول (أوبك)",
    /// "شركة بترول أبوظبي الوطنية "أدنوك"", "(FIFA)".
    fn bracketed_aliases(&self, words: &[Word], chosen: &mut Vec<Candidate>) {
        let mut taken = vec![false; words.len()];
        for c in chosen.iter() {
            taken[c.first..=c.last].iter_mut().for_each(|t| *t = true);
        }
        let mut added = Vec::new();
        let mut retype = Vec::new();
        for c in chosen.iter().filter(|c| c.kind == EntityKind::Org) {
            let open = c.last + 1;
            let inner = match words.get(open).map(|w| w.folded.as_str()) {
                Some("(") => {
                    let first = open + 1;
                    let mut k = first;
                    while k < words.len() && words[k].is_word && k - first < 3 {
                        k += 1;
                    }
                    (k > first && words.get(k).is_some_and(|w| w.folded == ")"))
                        .then(|| (first, k - 1))
                }
                _ => super::rules::quoted_at(words, open).filter(|&(f, l)| l - f < 3),
            };
            let Some((first, last)) = inner else { continue };
            // A short name the tagger took for a person or place ("جايكا")
            // is the body's acronym all the same.
            let retyped = chosen.iter().position(|o| {
                (o.first, o.last) == (first, last)
                    && o.kind != EntityKind::Org
                    && matches!(o.source, Source::Tagger | Source::Propagated)
                    && self.gazetteer.entry(&candidate_key(words, o)).is_none()
            });
            if let Some(o) = retyped {
                retype.push(o);
                continue;
            }
            let fits = !taken[first..=last].iter().any(|&t| t)
                && words[first..=last].iter().all(|w| {
                    !self.rules.is_common(w)
                        && !self.rules.is_nationality(w)
                        && !self.rules.is_stopword(w)
                });
            if fits {
                added.push(Candidate {
                    first,
                    last,
                    stem: 0,
                    kind: EntityKind::Org,
                    source: Source::Alias,
                    canonical: None,
                });
            }
        }
        for o in retype {
            chosen[o].kind = EntityKind::Org;
            chosen[o].source = Source::Alias;
        }
        if !added.is_empty() {
            chosen.extend(added);
            chosen.sort_by_key(|c| c.first);
        }
    }

    /// Every candidate span in a paragraph, from every source.
    fn candidates(&self, words: &[Word], vocabulary: &HashSet<String>) -> Vec<Candidate> {
        let mut out = Vec::new();
        for i in 0..words.len() {
            if !words[i].is_word {
                continue;
            }
            // Only phrases whose first word is one of this token's readings.
            let starts = |first: &str| words[i].stems.iter().any(|s| s.key == first);
            if !self.user.firsts.is_empty()
                && !words[i]
                    .stems
                    .iter()
                    .any(|s| self.user.firsts.contains(&s.key))
            {
                continue;
            }
            // Aliases are taken as people until their canonical name's kind
            // is known (see `group`).
            let names = self.user.names.iter().map(|(p, k)| (p, *k, None));
            let aliases = (self.user.aliases.iter())
                .map(|(p, canonical)| (p, EntityKind::Person, Some(canonical)));
            for (phrase, kind, canonical) in names.chain(aliases) {
                if !starts(&phrase[0]) {
                    continue;
                }
                if let Some(stem) = phrase_at(words, i, phrase) {
                    out.push(Candidate {
                        first: i,
                        last: i + phrase.len() - 1,
                        stem,
                        kind,
                        source: Source::User,
                        canonical: canonical.cloned(),
                    });
                }
            }
        }
        for span in self.rules.apply(words) {
            let first = &words[span.first];
            // A span that starts with its head reads the head without its
            // clitic ("و|مسجد الأقصى").
            let head = match span.kind {
                EntityKind::Place => self.rules.place_head_reading(first),
                // "ل|حزب العدالة", "و|وزارة الصحة".
                EntityKind::Org => self.rules.org_head_reading(first),
                EntityKind::Person => None,
            };
            out.push(Candidate {
                first: span.first,
                last: span.last,
                stem: head.unwrap_or_else(|| self.reading(first, span.kind, vocabulary)),
                kind: span.kind,
                source: if span.strong {
                    Source::Rule
                } else {
                    Source::RuleWeak
                },
                canonical: None,
            });
        }
        out
    }

    /// Spans the statistical tagger marks, sentence by sentence.
    fn tagged(&self, text: &str, words: &[Word], vocabulary: &HashSet<String>) -> Vec<Candidate> {
        let tokens: Vec<Token> = words
            .iter()
            .map(|w| Token {
                start: w.start,
                end: w.end,
            })
            .collect();
        let mut out = Vec::new();
        for range in sentences(text, &tokens) {
            let texts: Vec<&str> = tokens[range.clone()].iter().map(|t| t.text(text)).collect();
            let tags = self.tagger.tag(&texts);
            let mut open: Option<(usize, EntityKind)> = None;
            let offset = range.start;
            for (i, tag) in tags.iter().copied().chain([Tag::O]).enumerate() {
                let continues = matches!((tag, open), (Tag::I(k), Some((_, ok))) if k == ok);
                if continues {
                    continue;
                }
                if let Some((first, kind)) = open.take() {
                    let (first, last) = (offset + first, offset + i - 1);
                    out.push(Candidate {
                        first,
                        last,
                        stem: self.reading(&words[first], kind, vocabulary),
                        kind,
                        source: Source::Tagger,
                        canonical: None,
                    });
                }
                if let Some(kind) = tag.kind() {
                    open = Some((i, kind));
                }
            }
        }
        out
    }

    /// Which reading of a name's first token to use when the tagger marked
    /// the whole token ("وروسيا"): the whole token if it is a known name,
    /// else the most literal one the name lists or the rest of the article
    /// know, else for a person one without a و that looks more like a
    /// name, else one with a clear clitic before the article ("وال", "بال",
    /// "لل"), else the whole token.
    fn reading(&self, w: &Word, kind: EntityKind, vocabulary: &HashSet<String>) -> usize {
        let lex = Lexicon::builtin();
        let named = |key: &str| {
            self.gazetteer.entry(key).is_some()
                || self.gazetteer.is_given_name(key)
                || lex.is_name_token(key)
        };
        // "وليد", "وائل": names that start with و are names as they stand.
        if named(&w.folded) {
            return 0;
        }
        let known = |key: &str| named(key) || vocabulary.contains(key);
        if let Some(i) = w
            .stems
            .iter()
            .position(|s| !s.no_article && s.stripped && known(&s.key))
        {
            return i;
        }
        // An unknown person's name behind "و" ("وزوبيلاتو"): names that
        // really start with و are on the name lists checked above, so a
        // stem that looks like a name is read without the conjunction.
        // (Organizations and places start with words like "وزارة".)
        if let Some(i) = w.stems.iter().position(|s| {
            kind == EntityKind::Person
                && !s.no_article
                && s.stripped
                && w.folded.len() - s.key.len() == 'و'.len_utf8()
                && w.folded.starts_with('و')
                && s.key.chars().count() >= 4
                && lex.name_likeness(&s.key) > 0.5
        }) {
            return i;
        }
        w.stems
            .iter()
            .position(|s| {
                // "ال" and at least three letters: "وكالة" is not و + ك + "الة".
                !s.no_article
                    && s.stripped
                    && (s.key.starts_with("ال") || s.lam_article)
                    && s.key.chars().count() >= 5
            })
            .unwrap_or(0)
    }

    /// Gazetteer names; an ambiguous one ("مالي", "عدن") only with context
    /// or when another source marks the same token.
    fn gazetteer_hits(&self, words: &[Word], others: &[Candidate]) -> Vec<Candidate> {
        let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if !words[i].is_word {
                i += 1;
                continue;
            }
            let Some(m) = self.gazetteer.longest_match(&folded, i) else {
                i += 1;
                continue;
            };
            let last = i + m.len - 1;
            let stem = words[i]
                .stems
                .iter()
                .position(|s| s.key == m.first.stem.as_ref() && s.no_article == m.first.article)
                .unwrap_or(0);
            // A portfolio after a minister's title names no body: "وزيرة
            // [الخزانة الأمريكية]" (the ministry is "وزارة الخزانة").
            let portfolio = m.entry.kind == EntityKind::Org
                && i > 0
                && words[i - 1].stems.iter().any(|s| {
                    !s.no_article
                        && matches!(s.key.as_str(), "وزير" | "وزيره" | "الوزير" | "الوزيره")
                })
                && self.rules.org_triggers.match_at(words, i).is_none();
            if portfolio {
                i = last + 1;
                continue;
            }
            let confirmed = !m.entry.ambiguous
                || others.iter().any(|c| c.first <= i && i <= c.last)
                || (m.entry.kind == EntityKind::Place
                    && self
                        .rules
                        .has_place_context(words, i, &words[i].stems[stem]));
            if confirmed {
                out.push(Candidate {
                    first: i,
                    last,
                    stem,
                    kind: m.entry.kind,
                    source: if m.len > 1 {
                        Source::GazetteerPhrase
                    } else {
                        Source::Gazetteer
                    },
                    canonical: None,
                });
            }
            i = last + 1;
        }
        out
    }

    /// Whether a gazetteer phrase candidate is a name the lists know for
    /// sure (not marked ambiguous).
    fn gazetteer_phrase_is_sure(&self, words: &[Word], p: &Candidate) -> bool {
        self.gazetteer
            .entry(&candidate_key(words, p))
            .is_some_and(|e| !e.ambiguous && e.kind == p.kind)
    }

    /// Boundary repairs that need more than one source:
    /// - a tagger name ending in a particle ("وسام أبو") takes the next
    ///   word ("وسام أبو علي");
    /// - an organization starting with a name ("سوناطراك الجزائرية") drops
    ///   the nationality adjective after it, which describes it;
    /// - an organization found by its head ("منتخب المغرب", "جامعة بكين",
    ///   "بنك المغرب") wins over the place inside it;
    /// - a tagger span inside a longer name from the lists becomes that
    ///   name ("حلف شمال الأطلسي");
    /// - an organization headed by a common noun takes the nationality
    ///   adjectives after it ("البنك المركزي التونسي").
    fn adjust(&self, words: &[Word], candidates: &mut [Candidate]) {
        for c in candidates.iter_mut() {
            // "[جامعة محمد الأول] بوجدة", "[مستشفى ناصر] بخان يونس": a
            // listed place behind ب/ل/ك says where the name is, and is not
            // part of it.
            if c.source != Source::User {
                if let Some(k) = (c.first + 1..=c.last).find(|&k| self.attached_place(words, k)) {
                    c.last = k - 1;
                }
                // "بأفغانستان [هانز أوليش]": nor the start of a person's.
                if c.kind == EntityKind::Person
                    && c.first < c.last
                    && self.attached_place(words, c.first)
                {
                    c.first += 1;
                    c.stem = 0;
                }
            }
            // A place trigger is not part of the name ("محافظة [الحديدة]"),
            // and makes a place of the name after it ("مدينة [صباح
            // الأحمد]"); "ولاية" is also a term of office ("ولاية ترامب").
            if matches!(
                c.source,
                Source::Tagger | Source::Gazetteer | Source::GazetteerPhrase
            ) {
                if let Some(n) = self.rules.place_triggers.match_at(words, c.first) {
                    // "دولة الكويت" is the state's official name.
                    if c.kind == EntityKind::Place
                        && c.first + n <= c.last
                        && !words[c.first].has_stem("دوله")
                    {
                        c.first += n;
                        c.stem = 0;
                    }
                }
                if c.kind != EntityKind::Place && c.first > 0 {
                    let prev = &words[c.first - 1];
                    let trigger = self.rules.place_triggers.match_at(words, c.first - 1) == Some(1)
                        && !prev.has_stem("ولايه")
                        && !prev.has_stem("دوله");
                    if trigger {
                        c.kind = EntityKind::Place;
                    }
                }
            }
        }
        let places: Vec<(usize, usize)> = candidates
            .iter()
            .filter(|c| c.kind == EntityKind::Place && c.source != Source::Rule)
            .map(|c| (c.first, c.last))
            .collect();
        let phrases: Vec<Candidate> = candidates
            .iter()
            .filter(|c| c.source == Source::GazetteerPhrase)
            .cloned()
            .collect();
        // Place spans a head rule or a listed name gives: longer ones win
        // over the tagger's part of them ("[مخيم] جنين", "[جمهورية] مصر
        // العربية"), though ANERcorp, which the tagger learned, marks the
        // bare name.
        let long_places: Vec<Candidate> = candidates
            .iter()
            .filter(|c| {
                c.kind == EntityKind::Place
                    && matches!(c.source, Source::Rule | Source::GazetteerPhrase)
            })
            .cloned()
            .collect();
        let titled: Vec<(usize, usize)> = candidates
            .iter()
            .filter(|c| c.source == Source::Rule && c.kind == EntityKind::Person)
            .map(|c| (c.first, c.last))
            .collect();
        for c in candidates.iter_mut() {
            // A known organization's full name wins over the part the
            // tagger marked: "حلف شمال [الأطلسي]", "[هيئة] قناة السويس".
            // Places keep the tagger's reading, which follows the corpus it
            // learned from ("غزة" in "قطاع غزة").
            if c.source == Source::Tagger {
                // Same words as a listed name: read the first one as the
                // list does ("و|بوركينا فاسو", not "وبوركينا فاسو").
                if let Some(p) = phrases
                    .iter()
                    .find(|p| (p.first, p.last, p.kind) == (c.first, c.last, c.kind))
                {
                    c.stem = p.stem;
                }
                // A listed name of several words is what the list says it is
                // ("باريس سان جيرمان" is a club, not a person).
                if let Some(p) = phrases.iter().find(|p| {
                    (p.first, p.last) == (c.first, c.last)
                        && p.kind != c.kind
                        && self.gazetteer_phrase_is_sure(words, p)
                }) {
                    (c.kind, c.stem) = (p.kind, p.stem);
                }
                // So does a listed person's full name the tagger cut in two
                // ("[جورجيا] [ميلوني]").
                if let Some(p) = phrases.iter().find(|p| {
                    (p.kind == EntityKind::Org
                        || (p.kind == EntityKind::Person
                            && self.gazetteer_phrase_is_sure(words, p)))
                        && p.first <= c.first
                        && c.last <= p.last
                        && p.last - p.first > c.last - c.first
                }) {
                    (c.first, c.last, c.stem, c.kind) = (p.first, p.last, p.stem, p.kind);
                    continue;
                }
            }
            // An organization cut before the end of a listed name that starts
            // inside it runs on to the name's end ("منظمة [أطباء بلا] حدود").
            if c.kind == EntityKind::Org && matches!(c.source, Source::Tagger | Source::Rule) {
                if let Some(p) = phrases.iter().find(|p| {
                    p.kind == EntityKind::Org
                        && c.first < p.first
                        && p.first <= c.last
                        && c.last < p.last
                }) {
                    c.last = p.last;
                    continue;
                }
            }
            if matches!(c.source, Source::Tagger | Source::Gazetteer) && c.kind == EntityKind::Place
            {
                if let Some(p) = long_places
                    .iter()
                    .filter(|p| p.first <= c.first && c.last <= p.last)
                    .max_by_key(|p| p.last - p.first)
                    .filter(|p| p.last - p.first > c.last - c.first)
                {
                    (c.first, c.last, c.stem) = (p.first, p.last, p.stem);
                    continue;
                }
            }
            if matches!(
                c.source,
                Source::Tagger | Source::Gazetteer | Source::GazetteerPhrase
            ) {
                for &(f, l) in &titled {
                    // A name after a title ends another kind's span
                    // ("المتحدث باسم الكرملين دميتري بيسكوف").
                    if c.kind != EntityKind::Person && c.first < f && f <= c.last && c.last <= l {
                        c.last = f - 1;
                    }
                    // A lone first name the tagger found, followed by more
                    // of the name the title rule found ("فوزي لقجع"), or
                    // the family name alone after a given name that is also
                    // an everyday word ("[كامل] إدريس").
                    if c.kind == EntityKind::Person && c.first == f && c.last == f && l > f {
                        c.last = l;
                    }
                    let given = |w: &Word| {
                        self.gazetteer.is_given_name(&w.folded)
                            || Lexicon::builtin().is_name_token(&w.folded)
                    };
                    if c.kind == EntityKind::Person
                        && c.source == Source::Tagger
                        && c.last == l
                        && c.first == f + 1
                        && given(&words[f])
                    {
                        c.first = f;
                        c.stem = 0;
                    }
                }
            }
            match (c.source, c.kind) {
                (Source::Tagger, EntityKind::Person) => {
                    let next = c.last + 1;
                    // After a particle anything is a name: "أبو علي" (علي
                    // folds like the preposition على).
                    if self.rules.is_particle(&words[c.last])
                        && next < words.len()
                        && words[next].is_word
                    {
                        c.last = next;
                    }
                }
                (Source::Tagger | Source::Gazetteer | Source::GazetteerPhrase, EntityKind::Org) => {
                    // A name headed by a common noun takes the nationality
                    // adjectives after it: "البنك المركزي [التونسي]", "مجلس
                    // النواب [اللبناني]" (one headed by a name is described
                    // by them instead: see below).
                    let head = &words[c.first];
                    let common_head = head.folded.starts_with("ال")
                        || head.folded.starts_with("وال")
                        || self.rules.org_triggers.match_at(words, c.first).is_some();
                    if common_head {
                        let mut extended = false;
                        while c.last + 1 < words.len()
                            && c.last - c.first < 6
                            && self.rules.is_nationality(&words[c.last + 1])
                            && words[c.last + 1].folded.starts_with("ال")
                        {
                            c.last += 1;
                            extended = true;
                        }
                        if extended {
                            continue;
                        }
                    }
                    let head = &words[c.first];
                    // A listed name keeps its adjective ("أرامكو السعودية").
                    let listed = c.source == Source::GazetteerPhrase
                        || phrases
                            .iter()
                            .any(|p| (p.first, p.last, p.kind) == (c.first, c.last, c.kind));
                    if c.last > c.first
                        && !listed
                        && self.rules.is_nationality(&words[c.last])
                        && !head.folded.starts_with("ال")
                        && self.rules.org_triggers.match_at(words, c.first).is_none()
                    {
                        c.last -= 1;
                    }
                }
                (Source::Rule, EntityKind::Org)
                    if places.iter().any(|&(f, l)| {
                        c.first <= f && l <= c.last && (c.first, c.last) != (f, l)
                    }) =>
                {
                    c.source = Source::Tagger;
                }
                _ => {}
            }
        }
    }

    /// Whether token `k` is ب/ل/ك fused to a place the lists know for sure
    /// ("بوجدة", "بخان يونس", "بالرباط"), the whole word being no name.
    fn attached_place(&self, words: &[Word], k: usize) -> bool {
        let w = &words[k];
        if !w.is_word
            || !matches!(w.folded.chars().next(), Some('ب' | 'ل' | 'ك'))
            || self.gazetteer.entry(&w.folded).is_some()
            || self.gazetteer.is_given_name(&w.folded)
        {
            return false;
        }
        let end = (k + 3).min(words.len());
        w.stems.iter().any(|s| {
            s.stripped
                && !s.no_article
                && w.folded.len() - s.key.len() == 'ب'.len_utf8()
                && (k + 1..=end).any(|e| {
                    let mut key = s.key.clone();
                    for next in &words[k + 1..e] {
                        key.push(' ');
                        key.push_str(&next.folded);
                    }
                    self.gazetteer
                        .entry(&key)
                        .is_some_and(|e| e.kind == EntityKind::Place && !e.ambiguous)
                })
        })
    }

    /// Lists of people: an item of a comma-separated list whose neighbour
    /// is a person, and whose words could be a name, is a person too: the
    /// one between two people ("…رزق ، [وغادة عادل] ، وياسمين…") or the last
    /// one, joined by و ("… ، [وباسكال مشعلاني] .").
    fn coordinate(
        &self,
        words: &[Word],
        chosen: &mut Vec<Candidate>,
        vocabulary: &HashSet<String>,
    ) {
        let is_comma = |i: usize| {
            words
                .get(i)
                .is_some_and(|w| !w.is_word && matches!(w.folded.as_str(), "،" | ","))
        };
        let person_at = |chosen: &[Candidate], i: usize| {
            chosen
                .iter()
                .any(|c| c.kind == EntityKind::Person && c.first == i)
        };
        // Each pass adds at most one item; a list of n people needs n passes.
        for _ in 0..words.len() {
            let mut taken = vec![false; words.len()];
            for c in chosen.iter() {
                taken[c.first..=c.last].iter_mut().for_each(|t| *t = true);
            }
            let mut found = None;
            for c in chosen.iter().filter(|c| c.kind == EntityKind::Person) {
                let start = c.last + 2;
                if !is_comma(c.last + 1) || start >= words.len() {
                    continue;
                }
                let mut end = start;
                while end < words.len()
                    && end - start < 3
                    && words[end].is_word
                    && !taken[end]
                    && (end == start || !words[end].folded.starts_with('و'))
                    && !self.rules.is_stopword(&words[end])
                    && self.rules.is_name_like(&words[end])
                {
                    end += 1;
                }
                // The item must end where the list item ends.
                if end == start || words.get(end).is_some_and(|w| w.is_word) {
                    continue;
                }
                let between_people = is_comma(end) && person_at(chosen, end + 1);
                let last_item = words[start].folded.starts_with('و') && !is_comma(end);
                if !(between_people || last_item) {
                    continue;
                }
                // "و" joins the item to the list; it is not part of the name.
                let w = &words[start];
                let after_waw = w.start + 'و'.len_utf8();
                let stem = if w.folded.starts_with('و') {
                    w.stems
                        .iter()
                        .position(|s| s.start == after_waw && !s.no_article)
                } else {
                    None
                };
                let item = Candidate {
                    first: start,
                    last: end - 1,
                    stem: stem.unwrap_or_else(|| self.reading(w, EntityKind::Person, vocabulary)),
                    kind: EntityKind::Person,
                    source: Source::Rule,
                    canonical: None,
                };
                if self.acceptable(words, &item) {
                    found = Some(item);
                    break;
                }
            }
            match found {
                Some(item) => chosen.push(item),
                None => break,
            }
        }
        chosen.sort_by_key(|c| c.first);
    }

    /// Non-overlapping candidates: strongest source first, longer first.
    fn resolve(&self, words: &[Word], mut candidates: Vec<Candidate>) -> Vec<Candidate> {
        candidates.sort_by_key(|c| (c.source, std::cmp::Reverse(c.last - c.first), c.first));
        let mut taken = vec![false; words.len()];
        let mut chosen = Vec::new();
        for mut c in candidates {
            // Titles are not part of a name ("الملك عبد الله" in a list).
            if c.source != Source::User {
                if let Some(n) = self.rules.titles.match_at(words, c.first) {
                    if c.first + n > c.last {
                        continue;
                    }
                    c.first += n;
                    c.stem = 0;
                }
            }
            // Spans start and end on words (the tagger can mark a bracket or
            // a number), and not on a function word ("[أمام] أرتيم").
            while c.first < c.last
                && (!words[c.first].is_word
                    || (c.source != Source::User
                        && c.kind == EntityKind::Person
                        && self.rules.is_stopword(&words[c.first])
                        && words[c.first].folded != "علي"))
            {
                c.first += 1;
                c.stem = 0;
            }
            // Nor on a function word ("آل خليفة [أمام]"); the name "علي"
            // folds like "على", and after a particle any word is a name.
            while c.last > c.first
                && (!words[c.last].is_word
                    || (self.rules.is_stopword(&words[c.last])
                        && !self.rules.is_particle(&words[c.last - 1])
                        && words[c.last].folded != "علي"))
            {
                c.last -= 1;
            }
            if !words[c.first].is_word || c.stem >= words[c.first].stems.len() {
                continue;
            }
            if taken[c.first..=c.last].iter().any(|&t| t) {
                continue;
            }
            if !self.acceptable(words, &c) {
                continue;
            }
            taken[c.first..=c.last].iter_mut().for_each(|t| *t = true);
            chosen.push(c);
        }
        chosen.sort_by_key(|c| c.first);
        chosen
    }

    /// Filters every non-user candidate goes through: suppressions,
    /// nationality adjectives, lone ordinary words.
    fn acceptable(&self, words: &[Word], c: &Candidate) -> bool {
        let key = candidate_key(words, c);
        if self.user.suppress.contains(&key) {
            return false;
        }
        if c.source == Source::User {
            return true;
        }
        if c.first == c.last {
            let w = &words[c.first];
            // A country the gazetteer knows (السعودية, سورية) looks like a
            // nationality adjective; the gazetteer entry wins.
            // After a definite noun (الحكومة السعودية) it is the adjective.
            // (إلى folds to الي: a stop word is no noun.)
            let after_definite = c.first > 0 && {
                let prev = &words[c.first - 1];
                (prev.folded.starts_with("ال") || prev.folded.starts_with("لل"))
                    && !self.rules.is_stopword(prev)
            };
            let known_place =
                c.source == Source::Gazetteer && c.kind == EntityKind::Place && !after_definite;
            if (self.rules.is_nationality(w) && !known_place) || self.rules.is_stopword(w) {
                return false;
            }
            // An everyday word ("الصعيد", "المشهد", "مناسك") found by the
            // tagger or the lists alone is no name; a rule's context (a
            // title, a trigger) or a sure list entry makes it one.
            let weak = matches!(
                c.source,
                Source::Tagger | Source::Gazetteer | Source::Propagated | Source::RuleWeak
            );
            let sure = self
                .gazetteer
                .entry(&key)
                .is_some_and(|e| !e.ambiguous && e.kind == c.kind);
            // "منطقة [الكرنك]", "إلى [مسقط]": a trigger before it, or a
            // listed place after a preposition or a clitic.
            let trigger =
                c.first > 0 && self.rules.place_triggers.match_at(words, c.first - 1) == Some(1);
            let context = c.kind == EntityKind::Place
                && (trigger
                    || self.gazetteer.lookup(&key) == Some(EntityKind::Place)
                        && self
                            .rules
                            .has_place_context(words, c.first, &w.stems[c.stem]));
            let common = self.rules.is_common(w);
            if weak && c.kind != EntityKind::Org && common && !sure && !context {
                return false;
            }
            // "على الصعيد الدولي", "على المستوى المحلي": an idiom, even
            // when the word is also a region.
            let idiom = c.first > 0
                && words[c.first - 1].has_stem("علي")
                && words.get(c.first + 1).is_some_and(|n| {
                    n.folded.starts_with("ال")
                        && n.folded.ends_with('ي')
                        && !n.folded.ends_with("وي")
                });
            if weak && c.kind == EntityKind::Place && common && idiom {
                return false;
            }
        }
        key.chars().filter(|c| c.is_alphabetic()).count() >= 2
    }

    /// Document-level propagation: a name recognized somewhere is found
    /// again wherever else it occurs, clitics allowed on its first token.
    fn propagate(&self, paras: &mut [Paragraph]) {
        // Folded name → kind votes.
        let mut votes: HashMap<Vec<String>, HashMap<EntityKind, usize>> = HashMap::default();
        for p in paras.iter() {
            for c in &p.chosen {
                if c.canonical.is_some() {
                    continue;
                }
                let key: Vec<String> = candidate_key(&p.words, c)
                    .split(' ')
                    .map(str::to_string)
                    .collect();
                *votes
                    .entry(key.clone())
                    .or_default()
                    .entry(c.kind)
                    .or_default() += 1;
                // A person's surname alone ("بايدن", "بن سلمان") is the same
                // person later on.
                if c.kind == EntityKind::Person && key.len() >= 2 {
                    let tail = self.surname(&key);
                    if !tail.is_empty() && tail.len() < key.len() {
                        votes
                            .entry(tail)
                            .or_default()
                            .entry(EntityKind::Person)
                            .or_default();
                    }
                }
            }
        }
        let mut names: Vec<(Vec<String>, EntityKind)> = votes
            .into_iter()
            .filter(|(key, _)| self.propagatable(key))
            .map(|(key, v)| {
                let kind = v
                    .into_iter()
                    .max_by_key(|&(k, n)| (n, std::cmp::Reverse(k)))
                    .map_or(EntityKind::Person, |(k, _)| k);
                (key, kind)
            })
            .collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let by_first: HashMap<&str, Vec<usize>> =
            names
                .iter()
                .enumerate()
                .fold(HashMap::default(), |mut m, (i, (k, _))| {
                    m.entry(k[0].as_str()).or_default().push(i);
                    m
                });
        for p in paras.iter_mut() {
            let mut taken = vec![false; p.words.len()];
            for c in &p.chosen {
                taken[c.first..=c.last].iter_mut().for_each(|t| *t = true);
            }
            let mut added = Vec::new();
            let mut i = 0;
            while i < p.words.len() {
                let mut matched = None;
                if !taken[i] && p.words[i].is_word {
                    'stems: for (si, stem) in p.words[i].stems.iter().enumerate() {
                        if stem.no_article {
                            continue;
                        }
                        let Some(list) = by_first.get(stem.key.as_str()) else {
                            continue;
                        };
                        for &ni in list {
                            let (key, kind) = &names[ni];
                            let n = key.len();
                            if i + n <= p.words.len()
                                && !taken[i..i + n].iter().any(|&t| t)
                                && key[1..]
                                    .iter()
                                    .zip(&p.words[i + 1..i + n])
                                    .all(|(k, w)| *k == w.folded)
                            {
                                matched = Some(Candidate {
                                    first: i,
                                    last: i + n - 1,
                                    stem: si,
                                    kind: *kind,
                                    source: Source::Propagated,
                                    canonical: None,
                                });
                                break 'stems;
                            }
                        }
                    }
                }
                match matched {
                    Some(c) if self.propagation_fits(&p.words, &c) => {
                        i = c.last + 1;
                        added.push(c);
                    }
                    _ => i += 1,
                }
            }
            p.chosen.extend(added);
            p.chosen.sort_by_key(|c| c.first);
        }
    }

    /// One kind per name across the article: every mention of a folded name
    /// votes for its kind, weighted by how sure its source is, and the
    /// gazetteer's kind for the name is a prior. A surname votes with the
    /// full names it ends ("ميلوني" after "جورجيا ميلوني" is a person, not a
    /// place); a name the lists know as a place is one even where the
    /// tagger once called it a person. The user's names keep their kind.
    fn vote_kinds(&self, paras: &mut [Paragraph]) {
        let weight = |source: Source| match source {
            Source::User => 100.0,
            Source::Rule => 3.0,
            // The article says what the short name stands for.
            Source::Alias => 6.0,
            Source::Tagger | Source::GazetteerPhrase => 2.0,
            Source::Gazetteer => 1.5,
            Source::Propagated | Source::RuleWeak => 1.0,
        };
        let kind_index = |k: EntityKind| k as usize;
        let mut votes: HashMap<String, [f32; 3]> = HashMap::default();
        for p in paras.iter() {
            for c in p.chosen.iter().filter(|c| c.canonical.is_none()) {
                let key = candidate_key(&p.words, c);
                votes.entry(key.clone()).or_default()[kind_index(c.kind)] += weight(c.source);
                if c.kind == EntityKind::Person && c.last > c.first {
                    let parts: Vec<String> = key.split(' ').map(str::to_string).collect();
                    let tail = self.surname(&parts);
                    if !tail.is_empty() && tail.len() < parts.len() {
                        votes.entry(tail.join(" ")).or_default()[kind_index(EntityKind::Person)] +=
                            weight(c.source);
                    }
                }
            }
        }
        for (key, v) in votes.iter_mut() {
            if let Some(entry) = self.gazetteer.entry(key) {
                v[kind_index(entry.kind)] += if entry.ambiguous { 0.5 } else { 1.5 };
            }
        }
        const KINDS: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Org];
        for p in paras.iter_mut() {
            for c in p.chosen.iter_mut() {
                if c.canonical.is_some() || c.source == Source::User {
                    continue;
                }
                let Some(v) = votes.get(&candidate_key(&p.words, c)) else {
                    continue;
                };
                let own = v[kind_index(c.kind)];

                // Only a clear majority changes a mention's kind.
                if let Some(&best) = KINDS.iter().find(|&&k| v[kind_index(k)] > own + 0.75) {
                    let best = KINDS
                        .iter()
                        .copied()
                        .max_by(|a, b| v[kind_index(*a)].total_cmp(&v[kind_index(*b)]))
                        .unwrap_or(best);
                    c.kind = best;
                }
            }
        }
    }

    /// The surname part of a folded person name: the last token, or the
    /// last two when the one before is a particle ("بن سلمان", "أبو مازن").
    fn surname(&self, key: &[String]) -> Vec<String> {
        let n = key.len();
        let last = &key[n - 1];
        if n >= 3 {
            let before = Word::new(&key[n - 2], 0);
            if self.rules.is_particle(&before) {
                return key[n - 2..].to_vec();
            }
        }
        let w = Word::new(last, 0);
        if self.rules.is_particle(&w) || self.rules.is_common(&w) || last.chars().count() < 3 {
            return Vec::new();
        }
        vec![last.clone()]
    }

    /// Names worth looking for elsewhere: not suppressed, not a lone
    /// ordinary or ambiguous word.
    fn propagatable(&self, key: &[String]) -> bool {
        let joined = key.join(" ");
        if self.user.suppress.contains(&joined) {
            return false;
        }
        if key.len() == 1 {
            let w = Word::new(&key[0], 0);
            return key[0].chars().count() >= 3
                && !self.rules.is_common(&w)
                && !self.rules.is_nationality(&w)
                && !self.rules.is_ambiguous(&key[0]);
        }
        true
    }

    /// A propagated match must not swallow half of a longer name: the token
    /// after it should not be a name particle's continuation.
    fn propagation_fits(&self, words: &[Word], c: &Candidate) -> bool {
        if c.first > 0 && self.rules.is_particle(&words[c.first - 1]) {
            return false;
        }
        self.acceptable(words, c)
    }

    /// Mentions grouped into entities, sorted by count, then text.
    fn group(&self, paras: &[Paragraph]) -> Vec<Entity> {
        struct Found {
            key: String,
            kind: EntityKind,
            canonical: Option<String>,
            tokens: usize,
            text: String,
            mention: Mention,
        }
        let mut found = Vec::new();
        for p in paras {
            for c in &p.chosen {
                let stem = &p.words[c.first].stems[c.stem];
                found.push(Found {
                    key: candidate_key(&p.words, c),
                    kind: c.kind,
                    canonical: c.canonical.clone(),
                    tokens: c.last - c.first + 1,
                    text: surface(p.text, &p.words, c),
                    mention: Mention {
                        block: p.block,
                        start: stem.start,
                        end: p.words[c.last].end,
                    },
                });
            }
        }
        // Kinds known for each folded name, for aliases.
        let kind_of: HashMap<String, EntityKind> = self
            .user
            .names
            .iter()
            .map(|(phrase, kind)| (phrase.join(" "), *kind))
            .collect();
        let mut kinds_seen: HashMap<String, EntityKind> = HashMap::default();
        for f in &found {
            if f.canonical.is_none() {
                kinds_seen.entry(f.key.clone()).or_insert(f.kind);
            }
        }
        // Person surnames → the full names that end with them.
        // Several full names can end the same way ("جو بايدن" and a
        // tagger's "منتقدو بايدن"): the surname goes to the most mentioned,
        // then the earliest.
        let mut full_names: HashMap<Vec<String>, Vec<(usize, usize, String)>> = HashMap::default();
        let mut full_count: HashMap<&str, usize> = HashMap::default();
        for f in &found {
            *full_count.entry(f.key.as_str()).or_default() += 1;
        }
        for f in &found {
            if f.kind == EntityKind::Person && f.tokens >= 2 && f.canonical.is_none() {
                let key: Vec<String> = f.key.split(' ').map(str::to_string).collect();
                let tail = self.surname(&key);
                if !tail.is_empty() && tail.len() < key.len() {
                    let list = full_names.entry(tail).or_default();
                    if !list.iter().any(|(_, _, k)| *k == f.key) {
                        let n = full_count[f.key.as_str()];
                        list.push((n, list.len(), f.key.clone()));
                    }
                }
            }
        }
        let mut groups: BTreeMap<(EntityKind, String), Vec<usize>> = BTreeMap::new();
        for (i, f) in found.iter().enumerate() {
            let (kind, group) = if let Some(canonical) = &f.canonical {
                let kind = kind_of
                    .get(canonical)
                    .copied()
                    .or_else(|| kinds_seen.get(canonical).copied());
                match kind {
                    Some(k) => (k, canonical.clone()),
                    None => continue,
                }
            } else if f.kind == EntityKind::Person {
                let key: Vec<String> = f.key.split(' ').map(str::to_string).collect();
                let best = full_names.get(&key).and_then(|list| {
                    list.iter()
                        .max_by_key(|(n, order, _)| (*n, std::cmp::Reverse(*order)))
                });
                match best {
                    Some((_, _, full)) if *full != f.key => (f.kind, full.clone()),
                    _ => (f.kind, f.key.clone()),
                }
            } else {
                (f.kind, f.key.clone())
            };
            groups.entry((kind, group)).or_default().push(i);
        }
        let mut entities: Vec<Entity> = groups
            .into_iter()
            .map(|((kind, _), members)| {
                // The name is the fullest mention, earliest first.
                let best = members
                    .iter()
                    .copied()
                    .max_by_key(|&i| {
                        (
                            found[i].canonical.is_none(),
                            found[i].tokens,
                            std::cmp::Reverse(i),
                        )
                    })
                    .unwrap_or(members[0]);
                let mut mentions: Vec<Mention> =
                    members.iter().map(|&i| found[i].mention).collect();
                mentions.sort_by_key(|m| (m.block, m.start));
                mentions.dedup();
                Entity {
                    text: found[best].text.clone(),
                    kind,
                    count: mentions.len(),
                    mentions,
                }
            })
            .collect();
        merge_same_text(&mut entities);
        entities.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.text.cmp(&b.text)));
        entities
    }
}

/// Entities that ended up with the same kind and text (a surname grouped
/// with its full name and the full name itself) become one.
fn merge_same_text(entities: &mut Vec<Entity>) {
    let mut index: HashMap<(EntityKind, String), usize> = HashMap::default();
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    for e in entities.drain(..) {
        let key = (e.kind, fold_arabic(&e.text).text);
        match index.get(&key) {
            Some(&i) => {
                let target = &mut out[i];
                target.mentions.extend(e.mentions);
                target.mentions.sort_by_key(|m| (m.block, m.start));
                target.mentions.dedup();
                target.count = target.mentions.len();
            }
            None => {
                index.insert(key, out.len());
                out.push(e);
            }
        }
    }
    *entities = out;
}

/// The entities of an article with the built-in knowledge only (no user
/// list): see [`Recognizer::recognize_article`] for what is searched.
pub fn recognize_article(article: &Article) -> Vec<Entity> {
    Recognizer::builtin().recognize_article(article)
}

/// Whether the text is Persian or Urdu rather than Arabic: it spells yeh
/// and kaf the Persian way (ی ک) more often than the Arabic way (ي ك), which
/// an Arabic text quoting a Persian name (گلرنگ) does not. The model, rules
/// and gazetteers are Arabic; on Persian text they find only noise, so such
/// articles get no entities.
pub fn is_persian(paragraphs: &[&str]) -> bool {
    let (mut arabic, mut persian) = (0usize, 0usize);
    for c in paragraphs.iter().flat_map(|p| p.chars()) {
        match c {
            'ی' | 'ک' | 'ے' => persian += 1,
            'ي' | 'ى' | 'ك' => arabic += 1,
            _ => {}
        }
    }
    persian > arabic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_text_gets_no_entities_and_arabic_with_a_persian_name_does() {
        let fa = ["سی‌وپنجمین نمایشگاه بین‌المللی کتاب تهران با حضور ناشران ایرانی گشایش یافت"];
        assert!(is_persian(&fa));
        assert!(Recognizer::builtin().recognize(&fa).is_empty());
        let ar = ["قال الرئيس الإيراني مسعود بزشكيان في طهران إن شركة گلرنگ توسعت في بغداد"];
        assert!(!is_persian(&ar));
        assert!(!Recognizer::builtin().recognize(&ar).is_empty());
    }
    use crate::entities::UserName;

    fn find<'a>(entities: &'a [Entity], text: &str) -> &'a Entity {
        entities
            .iter()
            .find(|e| e.text == text)
            .unwrap_or_else(|| panic!("{text} not in {entities:#?}"))
    }

    fn assert_no_person(found: &[Entity]) {
        assert!(
            found.iter().all(|e| e.kind != EntityKind::Person),
            "{found:#?}"
        );
    }

    #[test]
    fn facilities_named_after_people_are_one_place() {
        let text = ["وأقيمت المباراة على ملعب محمد الخامس وسط جمهور غفير، ثم هبط الفريق في مطار الملكة علياء الدولي"];
        let found = Recognizer::builtin().recognize(&text);
        for name in ["ملعب محمد الخامس", "مطار الملكة علياء الدولي"]
        {
            assert_eq!(find(&found, name).kind, EntityKind::Place, "{found:#?}");
        }
        assert_no_person(&found);
    }

    #[test]
    fn an_honorific_and_a_fused_place_stay_out_of_a_person() {
        let text = ["وتقام المباراة النهائية على ملعب الأمير مولاي عبد الله بالرباط يوم السبت"];
        let found = Recognizer::builtin().recognize(&text);
        assert_eq!(
            find(&found, "ملعب الأمير مولاي عبد الله").kind,
            EntityKind::Place,
            "{found:#?}"
        );
        assert_eq!(find(&found, "الرباط").kind, EntityKind::Place);
        assert_no_person(&found);
    }

    #[test]
    fn a_body_named_after_a_person_is_one_organization() {
        let text =
            ["وقعت جامعة محمد بن زايد للذكاء الاصطناعي اتفاقا مع مؤسسة محمود درويش في رام الله"];
        let found = Recognizer::builtin().recognize(&text);
        for name in ["جامعة محمد بن زايد للذكاء الاصطناعي", "مؤسسة محمود درويش"]
        {
            assert_eq!(find(&found, name).kind, EntityKind::Org, "{found:#?}");
        }
        assert_no_person(&found);
    }

    #[test]
    fn clubs_are_organizations_in_sports_reports_only() {
        let recognizer = Recognizer::builtin();
        let report = ["وفي الجولة العاشرة من الدوري، تغلب الوحدات على الكويت بهدفين، وقال مدرب الزمالك إن المباراة كانت صعبة"];
        let found = recognizer.recognize(&report);
        for club in ["الوحدات", "الكويت", "الزمالك"] {
            assert_eq!(find(&found, club).kind, EntityKind::Org, "{found:#?}");
        }
        let news = ["وصل وزير الخارجية إلى الكويت أمس في زيارة رسمية تستغرق يومين"];
        let found = recognizer.recognize(&news);
        assert_eq!(find(&found, "الكويت").kind, EntityKind::Place, "{found:#?}");
    }

    #[test]
    fn everyday_words_are_no_places_without_context() {
        let text = [
            "وعلى الصعيد الاقتصادي، ارتفعت الصادرات في الشوط الأول من العام",
            "وتطالب قرى الصعيد بمشاريع جديدة، وسافر الوزير إلى مسقط أمس",
        ];
        let found = Recognizer::builtin().recognize(&text);
        let mentions = |name: &str| found.iter().find(|e| e.text == name).map_or(0, |e| e.count);
        assert_eq!(mentions("الصعيد"), 1, "{found:#?}");
        assert_eq!(mentions("الشوط"), 0, "{found:#?}");
        assert_eq!(find(&found, "مسقط").kind, EntityKind::Place);
    }

    #[test]
    fn a_given_name_that_is_a_place_starts_a_person() {
        let text = ["التقى الرئيس الفرنسي رئيسة الوزراء الإيطالية جورجيا ميلوني في روما"];
        let found = Recognizer::builtin().recognize(&text);
        assert_eq!(find(&found, "جورجيا ميلوني").kind, EntityKind::Person);
        assert!(found.iter().all(|e| e.text != "جورجيا"), "{found:#?}");
    }

    #[test]
    fn datelines_name_the_agency_and_triggers_stay_outside() {
        let text = [
            "القاهرة (أشا) - أعلنت الحكومة خطة جديدة لمحافظة الفيوم",
            "ووصلت المساعدات إلى محافظة الحديدة أمس",
        ];
        let found = Recognizer::builtin().recognize(&text);
        assert_eq!(find(&found, "أشا").kind, EntityKind::Org, "{found:#?}");
        assert_eq!(find(&found, "القاهرة").kind, EntityKind::Place);
        assert_eq!(
            find(&found, "الحديدة").kind,
            EntityKind::Place,
            "{found:#?}"
        );
        assert!(
            found.iter().all(|e| !e.text.starts_with("محافظة")),
            "{found:#?}"
        );
    }

    #[test]
    fn a_body_named_by_its_purpose_is_one_organization() {
        let text = ["وأعلنت الإدارة العامة للأرصاد الجوية تحذيرا أمس، كما رحب المكتب الأممي بالخطة"];
        let found = Recognizer::builtin().recognize(&text);
        let body = find(&found, "الإدارة العامة للأرصاد الجوية");
        assert_eq!(body.kind, EntityKind::Org, "{found:#?}");
        assert!(found.iter().all(|e| e.text != "المكتب الأممي"), "{found:#?}");
    }

    #[test]
    fn an_acronym_after_a_body_is_that_body_everywhere() {
        let text = [
            "ووقعت الحكومة اتفاقا مع الوكالة الكورية للتعاون الدولي \"كويكا\" لتمويل مدارس",
            "وقالت كويكا إن المشروع يبدأ العام المقبل",
        ];
        let found = Recognizer::builtin().recognize(&text);
        let alias = find(&found, "كويكا");
        assert_eq!(alias.kind, EntityKind::Org, "{found:#?}");
        assert_eq!(alias.count, 2, "{found:#?}");
    }

    #[test]
    fn a_word_joined_to_a_place_is_a_place() {
        let text = [
            "وانتشرت الأمراض في الفاشر وكادقلي، بينما وصلت قافلة إلى بغداد وقال مسؤول إنها كافية",
        ];
        let found = Recognizer::builtin().recognize(&text);
        assert_eq!(find(&found, "كادقلي").kind, EntityKind::Place, "{found:#?}");
        assert!(found.iter().all(|e| e.text != "قال"), "{found:#?}");
    }

    #[test]
    fn countries_that_look_like_adjectives_are_places() {
        let text = ["وصل الرئيس إلى السعودية أمس، ثم توجه إلى سورية حيث التقى مسؤولين"];
        let found = Recognizer::builtin().recognize(&text);
        for name in ["السعودية", "سورية"] {
            assert_eq!(find(&found, name).kind, EntityKind::Place);
        }
        // As an adjective it is still no entity of its own.
        let text = ["قال الوزير إن الحكومة السعودية رحبت بالقرار"];
        let found = Recognizer::builtin().recognize(&text);
        assert!(found.iter().all(|e| e.text != "السعودية"), "{found:#?}");
    }

    #[test]
    fn long_form_state_names_and_headed_places_are_one_place() {
        let text = [
            "استقبلت جمهورية مصر العربية وفدا من الجمهورية الإسلامية الإيرانية ودولة الكويت، \
             وسقط جرحى في مخيم جنين وقطاع غزة، وهبطت الطائرة في مطار بيروت ووصل الفريق إلى \
             ملعب القاهرة ومسجد الأقصى",
        ];
        let found = Recognizer::builtin().recognize(&text);
        for name in [
            "جمهورية مصر العربية",
            "الجمهورية الإسلامية الإيرانية",
            "دولة الكويت",
            "مخيم جنين",
            "قطاع غزة",
            "مطار بيروت",
            "ملعب القاهرة",
            // Without its clitic.
            "مسجد الأقصى",
        ] {
            assert_eq!(find(&found, name).kind, EntityKind::Place, "{name}");
        }
        for part in ["مصر العربية", "جنين", "غزة", "ومسجد الأقصى"] {
            assert!(found.iter().all(|e| e.text != part), "{part}: {found:#?}");
        }
        // A head before an everyday word is no place ("قطاع الطاقة").
        let found = Recognizer::builtin().recognize(&["ونما قطاع الطاقة هذا العام"]);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn agencies_in_datelines_and_credits_are_organizations() {
        let text = [
            "بغداد (د ب أ) - قال مسؤول لوكالة أ ف ب إن الوزير تحدث إلى سكاي نيوز عربية \
                     وبلومبرج، بحسب ما نقلت واس وكونا",
        ];
        let found = Recognizer::builtin().recognize(&text);
        for name in [
            "د ب أ",
            "أ ف ب",
            "سكاي نيوز عربية",
            "بلومبرج",
            "واس",
            "كونا",
        ] {
            assert_eq!(find(&found, name).kind, EntityKind::Org, "{name}");
        }
        assert_eq!(find(&found, "بغداد").kind, EntityKind::Place);
    }

    #[test]
    fn a_body_inside_a_job_title_is_an_organization() {
        let r = Recognizer::builtin();
        let e = r.recognize(&["وقال رئيس مجلس الوزراء نواف سلام إن الحكومة ماضية في الإصلاحات."]);
        assert_eq!(find(&e, "مجلس الوزراء").kind, EntityKind::Org, "{e:#?}");
        assert_eq!(find(&e, "نواف سلام").kind, EntityKind::Person, "{e:#?}");
        let e = r.recognize(&["وأكد الأمين العام لحزب التقدم الوطني أن الانتخابات ستجري في موعدها."]);
        let party = find(&e, "حزب التقدم الوطني");
        assert_eq!(party.kind, EntityKind::Org, "{e:#?}");
        // Without its clitic.
        let m = party.mentions[0];
        assert_eq!(m.end - m.start, "حزب التقدم الوطني".len());
        // A board or a portfolio in a title names no body.
        let e = r.recognize(&[
            "وقال رئيس مجلس الإدارة إن الأرباح ارتفعت، فيما رحبت وزيرة الخزانة الأمريكية بالقرار.",
        ]);
        assert!(e.iter().all(|x| x.kind != EntityKind::Org), "{e:#?}");
    }

    #[test]
    fn quoted_and_bracketed_names_of_organizations() {
        let r = Recognizer::builtin();
        let e = r.recognize(&["ودعا حزب \"الفجر الجديد\" إلى مقاطعة الجلسة."]);
        assert_eq!(find(&e, "الفجر الجديد").kind, EntityKind::Org, "{e:#?}");
        let e = r.recognize(&["وأعلنت هيئة الاستثمار العامة (GAFI) عن حوافز جديدة للمصانع."]);
        assert_eq!(find(&e, "GAFI").kind, EntityKind::Org, "{e:#?}");
        // Quoted everyday words after a head are no name.
        let e = r.recognize(&["وشهدت حركة \"غير مسبوقة\" في الأسواق."]);
        assert!(e.iter().all(|x| x.kind != EntityKind::Org), "{e:#?}");
    }

    #[test]
    fn an_embassy_is_an_organization() {
        let e = Recognizer::builtin().recognize(&["وتجمع محتجون أمام سفارة فرنسا في العاصمة."]);
        assert_eq!(find(&e, "سفارة فرنسا").kind, EntityKind::Org, "{e:#?}");
    }

    #[test]
    fn items_of_a_list_of_people_are_people() {
        let user = UserEntities {
            names: ["منى زكي", "هند صبري"]
                .iter()
                .map(|n| UserName {
                    text: (*n).into(),
                    kind: EntityKind::Person,
                })
                .collect(),
            ..Default::default()
        };
        let r = Recognizer::new(user);
        let p = "حضر العرض منى زكي ، ودوريلا كانفيش ، هند صبري ، وزوبيلاتو كرانيش .";
        let e = r.recognize(&[p]);
        for name in ["دوريلا كانفيش", "زوبيلاتو كرانيش"] {
            assert_eq!(find(&e, name).kind, EntityKind::Person, "{e:#?}");
        }
        // Ordinary words after a comma are not a list item's name.
        let p = "حضر العرض منى زكي ، والمسؤولون في الوزارة .";
        let e = r.recognize(&[p]);
        assert!(e.iter().all(|x| !x.text.contains("المسؤولون")), "{e:#?}");
    }

    #[test]
    fn offsets_are_bytes_of_the_original_without_clitics() {
        let p = "وقال الرئيس الأمريكي جو بايدن إن بلاده لن تتراجع.";
        let e = Recognizer::builtin().recognize(&[p]);
        let biden = find(&e, "جو بايدن");
        let m = biden.mentions[0];
        assert_eq!(&p[m.start..m.end], "جو بايدن");
        assert_eq!(biden.kind, EntityKind::Person);
    }

    #[test]
    fn surname_later_is_the_same_person_and_propagates() {
        let paras = [
            "قال الرئيس الأمريكي جو بايدن إن المحادثات مستمرة.",
            "وأضاف بايدن أن بلاده ستواصل دعمها، فيما رأى معارضون أن سياسة بايدن تأخرت.",
        ];
        let e = Recognizer::builtin().recognize(&paras);
        let biden = find(&e, "جو بايدن");
        assert_eq!(biden.count, 3, "{e:#?}");
        assert_eq!(e[0].text, "جو بايدن");
        for m in &biden.mentions {
            assert!(paras[m.paragraph().unwrap()][m.start..m.end].ends_with("بايدن"));
        }
    }

    #[test]
    fn headline_names_are_found_and_counted() {
        let title = "بايدن يصل إلى القاهرة";
        let paras = ["قال الرئيس الأمريكي جو بايدن إن المحادثات مستمرة."];
        let e = Recognizer::builtin().recognize_blocks(Some(title), &paras);
        let biden = find(&e, "جو بايدن");
        assert_eq!(biden.count, 2, "{e:#?}");
        let m = biden.mentions[0];
        assert_eq!(m.block, Block::Title);
        assert_eq!(&title[m.start..m.end], "بايدن");
        assert_eq!(biden.mentions[1].block, Block::Paragraph(0));
        // A name only the headline has.
        let cairo = find(&e, "القاهرة");
        assert_eq!(cairo.kind, EntityKind::Place);
        assert_eq!(cairo.mentions[0].block, Block::Title);
        // No title, or an empty one: paragraphs only, numbered from 0.
        for t in [None, Some("  ")] {
            let e = Recognizer::builtin().recognize_blocks(t, &paras);
            assert!(e.iter().all(|x| x.text != "القاهرة"), "{e:#?}");
            assert_eq!(find(&e, "جو بايدن").mentions[0].block, Block::Paragraph(0));
        }
    }

    #[test]
    fn a_rare_word_after_a_known_given_name_is_the_family_name() {
        let e = Recognizer::builtin().recognize(&["وصرح رئيس الجامعة فوزي لقجع بأن الموسم انتهى."]);
        assert_eq!(find(&e, "فوزي لقجع").kind, EntityKind::Person, "{e:#?}");
        // An ordinary word after the name stays outside.
        let e = Recognizer::builtin().recognize(&["وقال فوزي إن الموسم انتهى."]);
        let m = find(&e, "فوزي").mentions[0];
        assert_eq!(m.end - m.start, "فوزي".len(), "{e:#?}");
    }

    #[test]
    fn a_family_name_keeps_its_particle() {
        let paras = [
            "افتتح الشيخ حمدان بن زايد آل نهيان المعرض صباح الأحد.",
            "وتجول آل نهيان في الأجنحة.",
        ];
        let e = Recognizer::builtin().recognize(&paras);
        let later = e
            .iter()
            .flat_map(|x| x.mentions.iter().map(move |m| (x, m)))
            .find(|(_, m)| m.block == Block::Paragraph(1))
            .expect("the later mention");
        let m = later.1;
        assert_eq!(&paras[1][m.start..m.end], "آل نهيان", "{e:#?}");
        assert_eq!(later.0.kind, EntityKind::Person, "{e:#?}");
    }

    #[test]
    fn a_title_derived_from_the_lead_is_not_searched_again() {
        let lead = "قال الرئيس الأمريكي جو بايدن إن المحادثات مستمرة.";
        let mut article = Article {
            title: lead.into(),
            paragraphs: vec![crate::article::Paragraph::body(lead)],
            ..Article::default()
        };
        let count =
            |a: &Article| find(&Recognizer::builtin().recognize_article(a), "جو بايدن").count;
        assert_eq!(count(&article), 2);
        article.title_derived = true;
        assert_eq!(count(&article), 1);
    }

    #[test]
    fn mentions_say_their_block_in_json() {
        let m = Mention {
            block: Block::Title,
            start: 0,
            end: 3,
        };
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"block":"title","start":0,"end":3}"#
        );
        let m = Mention {
            block: Block::Paragraph(3),
            ..m
        };
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"block":{"paragraph":3},"start":0,"end":3}"#
        );
    }

    #[test]
    fn clitics_group_and_lam_lam_becomes_the_article() {
        let user = UserEntities {
            names: vec![UserName {
                text: "الصين".into(),
                kind: EntityKind::Place,
            }],
            ..Default::default()
        };
        let p = "زار الوفد الصين ثم عاد وللصين مصالح كبيرة، وبالصين أسواق.";
        let e = Recognizer::new(user).recognize(&[p]);
        let china = find(&e, "الصين");
        assert_eq!(china.count, 3);
        let surfaces: Vec<&str> = china.mentions.iter().map(|m| &p[m.start..m.end]).collect();
        assert_eq!(surfaces, ["الصين", "لصين", "الصين"]);
    }

    #[test]
    fn user_aliases_and_suppressions() {
        let user = UserEntities {
            names: vec![UserName {
                text: "محمود عباس".into(),
                kind: EntityKind::Person,
            }],
            aliases: [("أبو مازن".to_string(), "محمود عباس".to_string())].into(),
            suppress: vec!["حلب".into()],
        };
        let p = "التقى محمود عباس وفدا في مدينة حلب، وقال أبو مازن إن اللقاء مثمر.";
        let e = Recognizer::new(user).recognize(&[p]);
        let abbas = find(&e, "محمود عباس");
        assert_eq!(abbas.count, 2, "{e:#?}");
        assert!(e.iter().all(|x| x.text != "حلب"));
    }

    #[test]
    fn sorted_by_count_then_text() {
        let paras = [
            "قال وزير الخارجية سامح شكري إن وزارة الخارجية المصرية تتابع.",
            "وأكد شكري أن الاتصالات مستمرة، وقال شكري إن القاهرة ترحب.",
        ];
        let e = Recognizer::builtin().recognize(&paras);
        for pair in e.windows(2) {
            assert!(
                pair[0].count > pair[1].count
                    || (pair[0].count == pair[1].count && pair[0].text <= pair[1].text)
            );
        }
        assert_eq!(find(&e, "سامح شكري").count, 3);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let long = "ب".repeat(100_000);
        let inputs = [
            "",
            " ",
            "\u{0}\u{1b}[31m\u{202E}",
            "لل",
            "ل",
            "وال",
            "ــــ",
            "ًٌٍَُِّْ",
            "قال",
            "الرئيس",
            "وزارة",
            "مدينة",
            "بن بن بن",
            long.as_str(),
            "a\u{301}\u{200D}\u{FE0F}🇪🇬",
        ];
        let r = Recognizer::builtin();
        let e = r.recognize(&inputs);
        for entity in e {
            for m in entity.mentions {
                assert!(inputs[m.paragraph().unwrap()].get(m.start..m.end).is_some());
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any text, Arabic-heavy or not, gives mentions on char boundaries
        /// inside their paragraph, sorted counts, and no panic.
        #[test]
        fn any_text_gives_valid_mentions(
            paras in proptest::collection::vec(
                "([\u{0600}-\u{06FF} ،.«»()\u{200C}\u{200F}a-z0-9]|وزارة |الرئيس |مدينة |قال |بن |لل){0,60}",
                0..4,
            )
        ) {
            let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
            let e = Recognizer::builtin().recognize(&refs);
            for pair in e.windows(2) {
                proptest::prop_assert!(pair[0].count >= pair[1].count);
            }
            for entity in &e {
                proptest::prop_assert_eq!(entity.count, entity.mentions.len());
                for m in &entity.mentions {
                    proptest::prop_assert!(refs[m.paragraph().unwrap()].get(m.start..m.end).is_some());
                    proptest::prop_assert!(m.start < m.end);
                }
            }
        }
    }
}
