//! The cleaning rules as data: `rules.toml` is embedded in the binary, and a
//! user's `cleaning.toml` in the config directory extends it.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The built-in rules, as shipped.
pub const BUILTIN_RULES: &str = include_str!("rules.toml");

/// File name of the user's extension in the qari config directory.
pub const USER_RULES_FILE: &str = "cleaning.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RulesFile {
    masthead: MastheadFile,
    promo: PromoFile,
    sections: SectionsFile,
    dates: DatesFile,
    captions: CaptionsFile,
    byline: PrefixFile,
    source: PrefixFile,
    html: HtmlFile,
    units: UnitsFile,
    titles: TitlesFile,
    dateline: DatelineFile,
    breadcrumbs: BreadcrumbsFile,
    tags: PrefixFile,
    copyright: CopyrightFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CopyrightFile {
    marks: Vec<String>,
    max_words: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct BreadcrumbsFile {
    home: Vec<String>,
    separators: Vec<String>,
    max_words: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TitlesFile {
    derived_max_words: Option<usize>,
    site_prefixes: Vec<String>,
    site_lines: Vec<String>,
    date_prefixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DatelineFile {
    agencies: Vec<String>,
    max_city_words: Option<usize>,
    not_cities: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct MastheadFile {
    roles: Vec<String>,
    name_max_words: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PromoFile {
    prefixes: Vec<String>,
    anywhere: Vec<String>,
    anywhere_max_words: Option<usize>,
    chrome_words: Vec<String>,
    chrome_max_words: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SectionsFile {
    names: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct DatesFile {
    weekdays: Vec<String>,
    fillers: Vec<String>,
    months: BTreeMap<String, u32>,
    relative_prefixes: Vec<String>,
    relative_suffixes: Vec<String>,
    relative_units: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct UnitsFile {
    max_words: Option<usize>,
    abbreviations: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CaptionsFile {
    markers: Vec<String>,
    max_words: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct PrefixFile {
    prefixes: Vec<String>,
    max_words: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct HtmlFile {
    drop_tags: Vec<String>,
    drop_class_words: Vec<String>,
}

/// Compiled rules: every word and phrase folded (see [`norm`]) once.
#[derive(Debug, Clone)]
pub struct Rules {
    pub(crate) roles: HashSet<String>,
    pub(crate) name_max_words: usize,
    pub(crate) promo_prefixes: Vec<String>,
    /// Promotions named anywhere in a short line ("Google News"), folded.
    pub(crate) promo_anywhere: Vec<String>,
    pub(crate) promo_anywhere_max_words: usize,
    pub(crate) chrome_words: HashSet<String>,
    pub(crate) chrome_max_words: usize,
    /// folded name → the name as written in the rules (what `section` gets
    /// when the line itself is used).
    pub(crate) sections: HashSet<String>,
    pub(crate) weekdays: HashSet<String>,
    pub(crate) date_fillers: HashSet<String>,
    /// folded month name (one or two words) → month number.
    pub(crate) months: HashMap<String, u32>,
    pub(crate) caption_markers: Vec<String>,
    pub(crate) caption_max_words: usize,
    pub(crate) byline_prefixes: Vec<String>,
    pub(crate) byline_max_words: usize,
    pub(crate) source_prefixes: Vec<String>,
    pub(crate) html_drop_tags: HashSet<String>,
    pub(crate) html_drop_class_words: HashSet<String>,
    /// Longest reading unit, in words: a longer paragraph is cut at
    /// sentence ends for `j`/`k` (0: never).
    pub(crate) unit_max_words: usize,
    /// Words ending in "." that end no sentence ("د.", "أ.د.").
    pub(crate) abbreviations: HashSet<String>,
    /// A title derived from the lead has at most this many words.
    pub(crate) derived_title_max_words: usize,
    /// Site names before a headline's ":", folded; `*` is one or two words.
    pub(crate) site_prefixes: Vec<Vec<String>>,
    /// Site names printed on a line of their own above the headline.
    pub(crate) site_lines: Vec<Vec<String>>,
    /// Words that start a dataset's metadata prefix ("date 2025-08-23").
    pub(crate) date_prefixes: Vec<String>,
    /// News agencies of a dateline's "(…)", folded.
    pub(crate) agencies: HashSet<String>,
    pub(crate) max_city_words: usize,
    /// First words of a line that are no city ("وقال:"), folded.
    pub(crate) not_cities: HashSet<String>,
    /// First items of a breadcrumb trail ("الرئيسية"), folded.
    pub(crate) breadcrumb_home: HashSet<String>,
    pub(crate) breadcrumb_separators: Vec<char>,
    pub(crate) breadcrumb_max_words: usize,
    /// Labels of a tag list ("الوسوم:"), folded with their punctuation.
    pub(crate) tag_prefixes: Vec<String>,
    pub(crate) tags_max_words: usize,
    /// "©", "جميع الحقوق محفوظة": a footer line, folded.
    pub(crate) copyright_marks: Vec<String>,
    pub(crate) copyright_max_words: usize,
    /// "منذ" / "قبل" and the units of a relative time ("منذ 3 ساعات").
    pub(crate) relative_prefixes: HashSet<String>,
    pub(crate) relative_suffixes: HashSet<String>,
    pub(crate) relative_units: HashSet<String>,
    /// A fingerprint of the rules in force, so caches built under other
    /// rules are not trusted.
    pub fingerprint: u64,
}

/// Normalise a line or a rule for matching: fold (harakat, tatweel, alef
/// forms, ى/ي, ة/ه, case), treat punctuation that sites vary
/// (`:`, `-`, `،`, `|`) as spaces, and collapse whitespace.
pub fn norm(s: &str) -> String {
    norm_words(s, usize::MAX)
}

/// [`norm`] of `s`, keeping only its first `max_words` words: what a line
/// is matched by when no rule looks further (see [`Rules::match_words`]).
/// One pass, folding as it goes (no offset map as in
/// [`crate::text::fold_arabic`], which matching does not need).
pub fn norm_words(s: &str, max_words: usize) -> String {
    let mut out = String::with_capacity(s.len().min(256));
    let mut words = 0usize;
    // Between words: the next letter starts a new one.
    let mut gap = true;
    for c in s.chars() {
        let Some(f) = crate::text::fold::fold_char(c) else {
            continue;
        };
        let mut push = |f: char| {
            if f.is_whitespace() || is_soft_punct(f) {
                gap = true;
                return true;
            }
            if gap {
                if words == max_words {
                    return false;
                }
                if words > 0 {
                    out.push(' ');
                }
                words += 1;
                gap = false;
            }
            out.push(f);
            true
        };
        let more = if f.is_uppercase() {
            f.to_lowercase().all(&mut push)
        } else {
            push(f)
        };
        if !more {
            break;
        }
    }
    out
}

fn is_soft_punct(c: char) -> bool {
    matches!(
        c,
        ':' | '：' | '،' | ',' | '|' | '«' | '»' | '"' | '(' | ')' | '[' | ']' | '؛' | ';'
    ) || c == '\u{2013}'
        || c == '\u{2014}'
}

impl Rules {
    /// How many normalised words of a line the line rules look at: the
    /// longest role, section or promo phrase, then a name after a role
    /// (`name_max_words`), chrome's word limit and a promo's "three words
    /// at most", plus one word to tell "longer" from "as long". Matching a
    /// line by its first this many words gives the same answers as matching
    /// all of it, without folding a whole paragraph per line.
    pub(crate) fn match_words(&self) -> usize {
        let words = |s: &String| s.split(' ').count();
        let phrase = self
            .roles
            .iter()
            .chain(&self.sections)
            .chain(&self.promo_prefixes)
            .map(words)
            .max()
            .unwrap_or(0);
        phrase + self.name_max_words.max(self.chrome_max_words).max(3) + 1
    }
}

/// Error in a rules file: where and what.
#[derive(Debug, Clone)]
pub struct RulesError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: ignoring the cleaning rules: {}",
            crate::text::sanitize_line(&self.path.display().to_string()),
            crate::text::sanitize_line(&self.message)
        )
    }
}

impl Rules {
    /// The longest reading unit, in words (0: paragraphs are never cut).
    pub fn unit_max_words(&self) -> usize {
        self.unit_max_words
    }

    /// The built-in rules only.
    pub fn builtin() -> &'static Rules {
        static BUILTIN: OnceLock<Rules> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let file: RulesFile =
                toml::from_str(BUILTIN_RULES).expect("the embedded rules.toml is valid");
            Rules::compile(vec![file], BUILTIN_RULES)
        })
    }

    /// The built-in rules extended by the user's `cleaning.toml` in
    /// `config_dir`, if there is one. A broken user file is reported and
    /// ignored (the built-in rules still apply); it is not modified.
    pub fn with_user_file(config_dir: &Path) -> (Rules, Option<RulesError>) {
        let path = config_dir.join(USER_RULES_FILE);
        let text = match crate::store::read_regular(&path, crate::store::MAX_SETTINGS_BYTES)
            .and_then(|b| {
                String::from_utf8(b)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            }) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Rules::builtin().clone(), None)
            }
            Err(e) => {
                return (
                    Rules::builtin().clone(),
                    Some(RulesError {
                        path,
                        message: e.to_string(),
                    }),
                )
            }
        };
        match toml::from_str::<RulesFile>(&text) {
            Ok(user) => {
                let builtin: RulesFile =
                    toml::from_str(BUILTIN_RULES).expect("the embedded rules.toml is valid");
                let mut fp_src = String::from(BUILTIN_RULES);
                fp_src.push_str(&text);
                (Rules::compile(vec![builtin, user], &fp_src), None)
            }
            Err(e) => (
                Rules::builtin().clone(),
                Some(RulesError {
                    path,
                    message: e.to_string().trim().replace('\n', " "),
                }),
            ),
        }
    }

    /// The rules of a user with these directories: built-in plus
    /// `cleaning.toml` in `dirs.config`; built-in only without a home.
    /// Loaded once by the program at start-up and passed down, so library
    /// code never reads the user's files on its own.
    pub fn for_dirs(dirs: Option<&crate::store::Dirs>) -> (Rules, Option<RulesError>) {
        match dirs {
            Some(d) => Rules::with_user_file(&d.config),
            None => (Rules::default(), None),
        }
    }

    fn compile(files: Vec<RulesFile>, fingerprint_source: &str) -> Rules {
        let mut r = Rules {
            roles: HashSet::new(),
            name_max_words: 5,
            promo_prefixes: Vec::new(),
            promo_anywhere: Vec::new(),
            promo_anywhere_max_words: 16,
            chrome_words: HashSet::new(),
            chrome_max_words: 8,
            sections: HashSet::new(),
            weekdays: HashSet::new(),
            date_fillers: HashSet::new(),
            months: HashMap::new(),
            caption_markers: Vec::new(),
            caption_max_words: 20,
            byline_prefixes: Vec::new(),
            byline_max_words: 8,
            source_prefixes: Vec::new(),
            html_drop_tags: HashSet::new(),
            html_drop_class_words: HashSet::new(),
            unit_max_words: 80,
            abbreviations: HashSet::new(),
            derived_title_max_words: 14,
            site_prefixes: Vec::new(),
            site_lines: Vec::new(),
            date_prefixes: Vec::new(),
            agencies: HashSet::new(),
            max_city_words: 3,
            not_cities: HashSet::new(),
            breadcrumb_home: HashSet::new(),
            breadcrumb_separators: Vec::new(),
            breadcrumb_max_words: 12,
            tag_prefixes: Vec::new(),
            tags_max_words: 30,
            copyright_marks: Vec::new(),
            copyright_max_words: 16,
            relative_prefixes: HashSet::new(),
            relative_suffixes: HashSet::new(),
            relative_units: HashSet::new(),
            fingerprint: crate::article::library::fnv1a(fingerprint_source.as_bytes()),
        };
        let folded = |v: &[String]| {
            v.iter()
                .map(|s| norm(s))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        // Prefixes and markers whose punctuation matters ("كتب:" is a
        // byline, "كتب" starts sentences) are only folded, not normalised.
        let literal = |v: &[String]| {
            v.iter()
                .map(|s| crate::text::fold_arabic(s).text)
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
        };
        for f in files {
            r.roles.extend(folded(&f.masthead.roles));
            if let Some(n) = f.masthead.name_max_words {
                r.name_max_words = n;
            }
            r.promo_prefixes.extend(folded(&f.promo.prefixes));
            r.promo_anywhere.extend(literal(&f.promo.anywhere));
            if let Some(n) = f.promo.anywhere_max_words {
                r.promo_anywhere_max_words = n;
            }
            r.chrome_words.extend(folded(&f.promo.chrome_words));
            // "|" and "-" fold to nothing in `norm`; keep them literally.
            r.chrome_words.extend(
                f.promo
                    .chrome_words
                    .iter()
                    .filter(|w| norm(w).is_empty())
                    .cloned(),
            );
            if let Some(n) = f.promo.chrome_max_words {
                r.chrome_max_words = n;
            }
            r.sections.extend(folded(&f.sections.names));
            r.weekdays.extend(folded(&f.dates.weekdays));
            r.date_fillers.extend(folded(&f.dates.fillers));
            for (name, month) in &f.dates.months {
                if (1..=12).contains(month) {
                    r.months.insert(norm(name), *month);
                }
            }
            r.caption_markers.extend(literal(&f.captions.markers));
            if let Some(n) = f.captions.max_words {
                r.caption_max_words = n;
            }
            r.byline_prefixes.extend(literal(&f.byline.prefixes));
            if let Some(n) = f.byline.max_words {
                r.byline_max_words = n;
            }
            r.source_prefixes.extend(literal(&f.source.prefixes));
            if let Some(n) = f.units.max_words {
                r.unit_max_words = n;
            }
            r.abbreviations
                .extend(f.units.abbreviations.iter().map(|a| a.trim().to_string()));
            if let Some(n) = f.titles.derived_max_words {
                r.derived_title_max_words = n.max(1);
            }
            let patterns = |v: &[String]| {
                v.iter()
                    .map(|p| norm(p).split(' ').map(str::to_string).collect::<Vec<_>>())
                    .filter(|p| !p.is_empty() && p.iter().any(|w| w != "*"))
                    .collect::<Vec<_>>()
            };
            r.site_prefixes.extend(patterns(&f.titles.site_prefixes));
            r.site_lines.extend(patterns(&f.titles.site_lines));
            r.date_prefixes.extend(folded(&f.titles.date_prefixes));
            r.agencies.extend(folded(&f.dateline.agencies));
            if let Some(n) = f.dateline.max_city_words {
                r.max_city_words = n;
            }
            r.not_cities.extend(folded(&f.dateline.not_cities));
            r.breadcrumb_home.extend(folded(&f.breadcrumbs.home));
            r.breadcrumb_separators.extend(
                f.breadcrumbs
                    .separators
                    .iter()
                    .filter_map(|s| s.trim().chars().next()),
            );
            if let Some(n) = f.breadcrumbs.max_words {
                r.breadcrumb_max_words = n;
            }
            r.tag_prefixes.extend(literal(&f.tags.prefixes));
            if let Some(n) = f.tags.max_words {
                r.tags_max_words = n;
            }
            r.copyright_marks.extend(literal(&f.copyright.marks));
            if let Some(n) = f.copyright.max_words {
                r.copyright_max_words = n;
            }
            r.relative_prefixes
                .extend(folded(&f.dates.relative_prefixes));
            r.relative_suffixes
                .extend(folded(&f.dates.relative_suffixes));
            r.relative_units.extend(folded(&f.dates.relative_units));
            r.html_drop_tags
                .extend(f.html.drop_tags.iter().map(|t| t.to_ascii_lowercase()));
            r.html_drop_class_words.extend(
                f.html
                    .drop_class_words
                    .iter()
                    .map(|t| t.to_ascii_lowercase()),
            );
        }
        // Longest first, so "اقرأ أيضا" wins over "اقرأ" if both are listed.
        for v in [
            &mut r.promo_prefixes,
            &mut r.caption_markers,
            &mut r.byline_prefixes,
            &mut r.source_prefixes,
            &mut r.tag_prefixes,
        ] {
            v.sort_by_key(|s| std::cmp::Reverse(s.len()));
            v.dedup();
        }
        r
    }
}

/// The built-in rules (what tests and a user without `cleaning.toml` get).
impl Default for Rules {
    fn default() -> Rules {
        Rules::builtin().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse_and_fold() {
        let r = Rules::builtin();
        assert!(r.roles.contains(&norm("رئيس مجلسى الإدارة والتحرير")));
        assert_eq!(r.months.get(&norm("اغسطس")), Some(&8));
        assert_eq!(r.months.get(&norm("تشرين الثاني")), Some(&11));
        assert!(r.sections.contains(&norm("العالم")));
    }

    #[test]
    fn user_file_extends_and_a_broken_one_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(USER_RULES_FILE),
            "[sections]\nnames = [\"زراعة\"]\n[promo]\nprefixes = [\"حمل تطبيقنا\"]\n",
        )
        .unwrap();
        let (r, err) = Rules::with_user_file(dir.path());
        assert!(err.is_none());
        assert!(r.sections.contains(&norm("زراعة")));
        assert!(r.sections.contains(&norm("رياضة")), "built-ins kept");
        assert_ne!(r.fingerprint, Rules::builtin().fingerprint);

        std::fs::write(dir.path().join(USER_RULES_FILE), "[sections\nnames = 3").unwrap();
        let (r, err) = Rules::with_user_file(dir.path());
        assert!(err
            .unwrap()
            .to_string()
            .contains("ignoring the cleaning rules"));
        assert!(r.sections.contains(&norm("رياضة")));
    }

    #[test]
    fn norm_unifies_variants() {
        assert_eq!(norm("رئيس مجلسى الإدارة"), norm("رئيس  مجلسي الادارة"));
        assert_eq!(norm("اقرأ أيضًا:"), norm("اقرا ايضا"));
    }

    proptest::proptest! {
        /// `norm_words` is `norm` cut after that many words.
        #[test]
        fn norm_words_is_a_prefix_of_norm(s in "[ \t:،|«»()\u{0621}-\u{065F}\u{0640}\u{200F}a-zA-Z\u{130}]{0,60}", k in 0usize..8) {
            let full = norm(&s);
            let want: Vec<&str> = full.split(' ').filter(|w| !w.is_empty()).take(k).collect();
            proptest::prop_assert_eq!(norm_words(&s, k), want.join(" "));
            proptest::prop_assert_eq!(full, crate::text::fold_arabic(&s)
                .text
                .split(|c: char| c.is_whitespace() || is_soft_punct(c))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "));
        }
    }
}
