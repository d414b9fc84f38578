//! Titles, datelines and a dataset's date prefix: what every importer's
//! article goes through before its paragraphs are cut into reading units.
//!
//! The title is, in order of preference, a real headline line, the page's
//! metadata (both found by the importers), else the lead's first sentence,
//! marked `title_derived`. A site name before the headline's ":" is dropped,
//! a dateline opening the body becomes `dateline` (city) and `source`
//! (agency). The patterns are data, in `rules.toml` (`[titles]`,
//! `[dateline]`). Every piece taken out of the text is kept in `removed`
//! (reasons `site`, `dateline`, `date`), so nothing is lost.

use super::dates::parse_date_value;
use super::model::{Article, ParagraphKind, Removed};
use super::rules::{norm, Rules};

/// Reasons recorded in [`Removed::reason`] by this module.
pub mod reason {
    pub const SITE: &str = "site";
    pub const DATELINE: &str = "dateline";
}

/// A dateline at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    pub city: String,
    pub agency: Option<String>,
    /// Bytes of the text the dateline takes, with the separators and
    /// spaces after it: the body starts here.
    pub len: usize,
}

/// Only a line's start can hold a dateline; longer heads are not looked at.
const HEAD: usize = 160;

fn is_sep(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | ':' | '：')
}

/// The dateline opening `text`, if any: a city of at most
/// `max_city_words` words of letters, then `-`/`:`, a bracketed agency or
/// one between slashes (`بغداد-`, `نيودلهي:`, `برازيليا (أ ف ب)`,
/// `طوكيو- (د ب أ)`, `مسقط في 20 يوليو /العمانية/`). A date may sit between
/// the city and the agency (`المنامة في 4 ديسمبر / بنا /`), and a known agency
/// may stand unbracketed before or after the dash (`رام الله 9-6-2025 وفا-`,
/// `الدمام - واس`). A line that is only `city/ name` names its source.
pub fn dateline(text: &str, rules: &Rules) -> Option<Dateline> {
    let lead = text.len() - text.trim_start().len();
    let mut end = (lead + HEAD).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[lead..end];
    // The first bracket, slash or separator that is not inside a number
    // ("9-6-2025", "2025/06/09").
    let at = head
        .char_indices()
        .find(|&(i, c)| (c == '(' || c == '/' || is_sep(c)) && !inside_number(head, i, c))?
        .0;
    let mut words: Vec<&str> = head[..at].split_whitespace().collect();
    let mut agency = None;
    // A known agency just before the separator: "… وفا-".
    for k in (1..=3).rev() {
        if words.len() > k
            && rules
                .agencies
                .contains(&norm(&words[words.len() - k..].join(" ")))
        {
            agency = Some(words[words.len() - k..].join(" "));
            words.truncate(words.len() - k);
            break;
        }
    }
    strip_date(&mut words, rules);
    let city = words.join(" ");
    if words.is_empty()
        || words.len() > rules.max_city_words
        || !words.iter().all(|w| w.chars().all(char::is_alphabetic))
        || rules.not_cities.contains(&norm(words[0]))
        || rules.agencies.contains(&norm(&city))
        || is_site_name(&norm(&city), rules)
    {
        return None;
    }
    let mut rest = &head[at..];
    let mut separated = agency.is_some() && rest.starts_with(is_sep);
    let take_sep = |rest: &mut &str| {
        if let Some(c) = rest.chars().next().filter(|&c| is_sep(c)) {
            let after = &rest[c.len_utf8()..];
            // "بغداد-" or "بغداد - …", not a hyphenated word.
            if c == ':' || c == '：' || after.is_empty() || after.starts_with([' ', '(', '/', '\t'])
            {
                *rest = after.trim_start();
                return true;
            }
        }
        false
    };
    if agency.is_some() {
        // The agency came before the dash: the dash must follow.
        if !take_sep(&mut rest) {
            return None;
        }
        return Some(Dateline {
            city,
            agency,
            len: end - rest.len(),
        });
    }
    separated |= take_sep(&mut rest);
    if separated && !rest.starts_with(['(', '/']) {
        // "الدمام - واس" / "الخرطوم - سونا -": a known agency after the
        // separator, unbracketed, alone or followed by another separator.
        let mut end = 0;
        for _ in 0..4 {
            let start = end + rest[end..].len() - rest[end..].trim_start().len();
            if start == rest.len() {
                break;
            }
            end = rest[start..]
                .find(char::is_whitespace)
                .map_or(rest.len(), |i| start + i);
            let mut after = rest[end..].trim_start();
            if rules.agencies.contains(&norm(&rest[..end]))
                && (after.is_empty() || take_sep(&mut after))
            {
                agency = Some(rest[..end].trim().to_string());
                rest = after;
                break;
            }
        }
    }
    if agency.is_none() {
        if let Some(inner) = rest.strip_prefix('(') {
            let close = inner.find(')')?;
            let name = inner[..close].trim();
            let known = rules.agencies.contains(&norm(name));
            if name.is_empty() || name.split_whitespace().count() > 4 {
                return None;
            }
            rest = inner[close + 1..].trim_start();
            let sep_after = take_sep(&mut rest);
            if !(known || sep_after || separated) {
                return None;
            }
            separated = true;
            agency = Some(name.to_string());
        } else if let Some(inner) = rest.strip_prefix('/') {
            match inner.find('/') {
                // "/العمانية/", "/ بنا /".
                Some(close) => {
                    let name = inner[..close].trim();
                    if name.is_empty() || name.split_whitespace().count() > 4 {
                        return None;
                    }
                    rest = inner[close + 1..].trim_start();
                    take_sep(&mut rest);
                    agency = Some(name.to_string());
                }
                // "البصرة/ المدى" as a whole line: the city and its source.
                None => {
                    let name = inner.trim();
                    let n = name.split_whitespace().count();
                    if end < text.len() || n == 0 || n > 3 || name.contains(['.', '،', ',']) {
                        return None;
                    }
                    rest = &inner[inner.len()..];
                    agency = Some(name.to_string());
                }
            }
            separated = true;
        }
    }
    // With no agency, "X Y:" must be short: "وزير الخارجية الأمريكي:" is a
    // speaker, not a place.
    if !separated || (agency.is_none() && words.len() > 2) {
        return None;
    }
    Some(Dateline {
        city,
        agency,
        len: end - rest.len(),
    })
}

/// Whether the `c` at byte `i` of `s` joins digits ("9-6-2025").
fn inside_number(s: &str, i: usize, c: char) -> bool {
    matches!(c, '-' | '/')
        && s[..i].chars().next_back().is_some_and(|p| p.is_numeric())
        && s[i + c.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|n| n.is_numeric())
}

/// Drop a date after the city: "في 20 يوليو", "9-6-2025", "4 ديسمبر 2025".
/// Only when a number is among the words taken, so a two-word city whose
/// second word is a month's name stays whole.
fn strip_date(words: &mut Vec<&str>, rules: &Rules) {
    let mut k = words.len();
    let mut number = false;
    while k > 1 {
        let w = words[k - 1];
        if w.chars().any(|c| c.is_numeric()) {
            number = true;
        } else if k > 2 && rules.months.contains_key(&norm(&words[k - 2..k].join(" "))) {
            k -= 2;
            continue;
        } else if !rules.months.contains_key(&norm(w)) {
            break;
        }
        k -= 1;
    }
    if !number {
        return;
    }
    if k > 1 && norm(words[k - 1]) == "في" {
        k -= 1;
    }
    words.truncate(k);
}

/// A dataset's metadata prefix opening the text (`date 2025-08-23 …`): the
/// ISO date and the prefix's length in bytes (with the spaces after it).
pub fn date_prefix(text: &str, rules: &Rules) -> Option<(String, usize)> {
    let lead = text.len() - text.trim_start().len();
    let line = text[lead..].lines().next()?;
    for p in &rules.date_prefixes {
        let n = p.split(' ').count();
        let mut words = line.split_whitespace();
        let first: Vec<&str> = words.by_ref().take(n).collect();
        if norm(&first.join(" ")) != *p {
            continue;
        }
        let token = words.next()?;
        let date = parse_date_value(token, rules).filter(|_| token.len() >= 10)?;
        let end = line.find(token)? + token.len();
        let rest = &line[end..];
        let spaces = rest.len() - rest.trim_start().len();
        return Some((date, lead + end + spaces));
    }
    None
}

/// Whether `n` (normalised) is a site name of `[titles] site_prefixes`.
fn is_site_name(n: &str, rules: &Rules) -> bool {
    matches_site(n, &rules.site_prefixes)
}

/// Whether `line` is a site's name of `[titles] site_lines` on a line of
/// its own.
pub(crate) fn is_site_line(line: &str, rules: &Rules) -> bool {
    line.split_whitespace().nth(6).is_none() && matches_site(&norm(line), &rules.site_lines)
}

fn matches_site(n: &str, patterns: &[Vec<String>]) -> bool {
    let words: Vec<&str> = n.split(' ').collect();
    let matches = |pattern: &[String]| {
        // `*` stands for one or two words.
        let fixed = pattern.iter().filter(|w| *w != "*").count();
        let stars = pattern.len() - fixed;
        (words.len() >= fixed + stars && words.len() <= fixed + 2 * stars) && {
            let mut wi = 0;
            let extra = words.len() - fixed - stars;
            pattern.iter().all(|w| {
                if w == "*" {
                    // The only star takes the extra word, if any.
                    wi += 1 + if stars == 1 { extra } else { 0 };
                    wi <= words.len()
                } else {
                    let ok = words.get(wi) == Some(&w.as_str());
                    wi += 1;
                    ok
                }
            }) && wi == words.len()
        }
    };
    patterns.iter().any(|p| matches(p))
}

/// `title` without a site's name after a last " | ", " - " or " — "
/// ("الخبر | جريدة الصباح"): the article's source, or a name shaped like
/// `[titles] site_lines` ("… - سودان اليوم"). The headline, and the suffix
/// as written.
fn site_suffix<'a>(
    title: &'a str,
    source: Option<&str>,
    rules: &Rules,
) -> Option<(&'a str, &'a str)> {
    let source = source.map(norm).filter(|s| !s.is_empty());
    [" | ", " - ", " — ", " – "]
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|i| (i, i + sep.len())))
        .max()
        .filter(|&(i, _)| i > 0)
        .filter(|&(_, name)| {
            let name = &title[name..];
            source.as_deref() == Some(norm(name).as_str()) || is_site_line(name, rules)
        })
        .map(|(i, _)| (title[..i].trim_end(), &title[i..]))
}

/// `title` without a site name before its ":" (a pattern of
/// `[titles] site_prefixes`, or the article's source): the prefix as
/// written, and the rest.
fn site_prefix<'a>(
    title: &'a str,
    source: Option<&str>,
    rules: &Rules,
) -> Option<(&'a str, &'a str)> {
    let colon = title.find([':', '：'])?;
    let (prefix, rest) = (
        &title[..colon],
        title[colon..].trim_start_matches([':', '：']).trim(),
    );
    if prefix.trim().is_empty() || rest.split_whitespace().count() < 3 {
        return None;
    }
    let n = norm(prefix);
    let is_site =
        is_site_name(&n, rules) || source.is_some_and(|s| !s.trim().is_empty() && norm(s) == n);
    is_site.then(|| {
        (
            &title[..colon + title[colon..].chars().next().map_or(1, char::len_utf8)],
            rest,
        )
    })
}

/// A title from the lead: its first sentence, at most
/// `[titles] derived_max_words` words, cut at a word boundary ("…" then).
pub fn derive(lead: &str, rules: &Rules) -> Option<String> {
    let lead = lead.trim();
    let end = super::units::first_sentence_end(lead, rules).unwrap_or(lead.len());
    let sentence = lead[..end].trim_end_matches(['.', ' ']);
    let words: Vec<&str> = sentence.split_whitespace().collect();
    let max = rules.derived_title_max_words;
    match words.len() {
        0 => None,
        n if n <= max => Some(words.join(" ")),
        _ => {
            let cut = words[..max].join(" ");
            Some(format!(
                "{}…",
                cut.trim_end_matches(['،', ',', '؛', ';', ':'])
            ))
        }
    }
}

/// Apply the title and dateline rules to an imported article.
pub fn finish(a: &mut Article, rules: &Rules) {
    let mut removed = Vec::new();
    let mut found: Option<Dateline> = None;
    // A title that is only a dateline ("نيودلهي:" on the first line).
    if let Some(d) = dateline(&a.title, rules).filter(|d| d.len >= a.title.trim_end().len()) {
        removed.push(Removed {
            text: std::mem::take(&mut a.title),
            reason: reason::DATELINE.into(),
        });
        found = Some(d);
    }
    if let Some((prefix, rest)) = site_prefix(&a.title, a.source.as_deref(), rules) {
        removed.push(Removed {
            text: prefix.trim().to_string(),
            reason: reason::SITE.into(),
        });
        a.title = rest.to_string();
    }
    if let Some((rest, site)) = site_suffix(&a.title, a.source.as_deref(), rules) {
        removed.push(Removed {
            text: site.trim().to_string(),
            reason: reason::SITE.into(),
        });
        a.title = rest.to_string();
    }
    // The body's first paragraph, when it opens with a dateline or is one.
    if found.is_none() {
        let first = a
            .paragraphs
            .iter()
            .take(3)
            .position(|p| p.kind == ParagraphKind::Body);
        if let Some(i) = first {
            if let Some(d) = dateline(&a.paragraphs[i].text, rules) {
                let text = &mut a.paragraphs[i].text;
                if d.len >= text.trim_end().len() {
                    let p = a.paragraphs.remove(i);
                    removed.push(Removed {
                        text: p.text,
                        reason: reason::DATELINE.into(),
                    });
                } else {
                    removed.push(Removed {
                        text: text[..d.len].trim().to_string(),
                        reason: reason::DATELINE.into(),
                    });
                    text.drain(..d.len);
                }
                found = Some(d);
            }
        }
    }
    if let Some(d) = found {
        a.dateline = Some(d.city);
        if a.source.is_none() {
            a.source = d.agency;
        }
    }
    if a.title.trim().is_empty() {
        let lead = a
            .paragraphs
            .iter()
            .find(|p| p.kind == ParagraphKind::Body)
            .and_then(|p| derive(&p.text, rules));
        if let Some(t) = lead {
            a.title = t;
            a.title_derived = true;
        }
    }
    a.removed.extend(removed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Paragraph;

    fn rules() -> &'static Rules {
        Rules::builtin()
    }

    fn d(text: &str) -> Option<(String, Option<String>, String)> {
        dateline(text, rules()).map(|d| (d.city, d.agency, text[d.len..].to_string()))
    }

    #[test]
    fn datelines_of_every_shape() {
        let s = |x: &str| x.to_string();
        assert_eq!(
            d("طوكيو- (د ب أ) افتتح المعرض."),
            Some((s("طوكيو"), Some(s("د ب أ")), s("افتتح المعرض.")))
        );
        assert_eq!(
            d("برازيليا (أ ف ب)"),
            Some((s("برازيليا"), Some(s("أ ف ب")), s("")))
        );
        assert_eq!(
            d("ود مدني (سونا) - بدأ الموسم."),
            Some((s("ود مدني"), Some(s("سونا")), s("بدأ الموسم.")))
        );
        assert_eq!(d("بغداد-"), Some((s("بغداد"), None, s(""))));
        assert_eq!(
            d("نيودلهي: وقع البلدان"),
            Some((s("نيودلهي"), None, s("وقع البلدان")))
        );
        assert_eq!(d("  السويس - افتتح"), Some((s("السويس"), None, s("افتتح"))));
        // A known agency after the dash, unbracketed, alone or before
        // another dash; an unknown word there is the text.
        assert_eq!(
            d("الدمام - واس"),
            Some((s("الدمام"), Some(s("واس")), s("")))
        );
        assert_eq!(
            d("الرباط - و م ع - أعلنت الوزارة"),
            Some((s("الرباط"), Some(s("و م ع")), s("أعلنت الوزارة")))
        );
        assert_eq!(
            d("الخرطوم - سونا قالت الوزارة"),
            Some((s("الخرطوم"), None, s("سونا قالت الوزارة")))
        );
        // A date between city and agency; agencies between slashes, or
        // unbracketed before the dash; a `city/ source` line.
        assert_eq!(
            d("مسقط في 20 يوليو /العمانية/ افتتحت الشركة"),
            Some((s("مسقط"), Some(s("العمانية")), s("افتتحت الشركة")))
        );
        assert_eq!(
            d("المنامة في 4 ديسمبر / بنا / أعلنت"),
            Some((s("المنامة"), Some(s("بنا")), s("أعلنت")))
        );
        assert_eq!(
            d("رام الله 9-6-2025 وفا- بدأت"),
            Some((s("رام الله"), Some(s("وفا")), s("بدأت")))
        );
        assert_eq!(
            d("البصرة/ المدى"),
            Some((s("البصرة"), Some(s("المدى")), s("")))
        );
        assert_eq!(d("البصرة/ المدى قالت الشركة إن"), None);
        assert_eq!(d("وفا - وكالة الأنباء الفلسطينية"), None);
        // An unknown bracket with nothing after it: no dateline.
        assert_eq!(d("الوزير (الصورة) يتحدث"), None);
        // A speaker, a number, a hyphenated word, a long subject.
        assert_eq!(d("وقال: إن الأمر انتهى"), None);
        assert_eq!(d("عاجل - انقطاع الكهرباء"), None);
        assert_eq!(d("في 2024: ارتفع"), None);
        assert_eq!(d("ثنائي-اللغة نص"), None);
        assert_eq!(d("وزير الخارجية الأمريكي: سنرد"), None);
        assert_eq!(d("نص عادي بلا فاصل"), None);
    }

    #[test]
    fn date_prefix_only_with_a_real_date() {
        let t = "date 2025-08-23 صيادون يشكون\nسطر";
        let (iso, len) = date_prefix(t, rules()).unwrap();
        assert_eq!(iso, "2025-08-23");
        assert_eq!(&t[len..], "صيادون يشكون\nسطر");
        assert_eq!(date_prefix("date 2025-09-02", rules()).unwrap().1, 15);
        assert_eq!(date_prefix("date night in Cairo", rules()), None);
        assert_eq!(date_prefix("updated 2025-08-23", rules()), None);
    }

    #[test]
    fn site_names_before_the_headline() {
        let r = rules();
        let t = "أخبار الشام: ارتفاع أسعار الزيت";
        assert_eq!(
            site_prefix(t, None, r),
            Some(("أخبار الشام:", "ارتفاع أسعار الزيت"))
        );
        let t = "الرافدين نيوز: افتتاح جسر جديد";
        assert_eq!(site_prefix(t, None, r).unwrap().1, "افتتاح جسر جديد");
        let t = "وكالة النهار: افتتاح جسر جديد";
        assert_eq!(
            site_prefix(t, Some("وكالة النهار"), r).unwrap().0,
            "وكالة النهار:"
        );
        // A headline's own colon stays.
        assert_eq!(site_prefix("الرئيس: لن نتراجع عن الخطة", None, r), None);
        assert_eq!(
            site_prefix("أخبار سارة جدا للمزارعين هذا العام: المطر", None, r),
            None
        );
    }

    #[test]
    fn derived_titles_are_the_first_sentence_cut_at_a_word() {
        let r = rules();
        assert_eq!(
            derive("بدأ العمل في الجسر. وقال المدير", r).unwrap(),
            "بدأ العمل في الجسر"
        );
        let long = (0..30)
            .map(|i| format!("كلمة{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let t = derive(&long, r).unwrap();
        assert!(t.ends_with('…'));
        assert_eq!(t.split_whitespace().count(), r.derived_title_max_words);
        assert!(long.starts_with(t.trim_end_matches('…')));
    }

    #[test]
    fn finish_accounts_for_every_piece() {
        let mut a = Article {
            title: "أخبار الشام: ارتفاع أسعار الزيت".into(),
            paragraphs: vec![
                Paragraph::body("دمشق (سانا) - سجلت الأسعار ارتفاعا."),
                Paragraph::body("وقال تاجر."),
            ],
            ..Article::default()
        };
        finish(&mut a, rules());
        assert_eq!(a.title, "ارتفاع أسعار الزيت");
        assert!(!a.title_derived);
        assert_eq!(a.dateline.as_deref(), Some("دمشق"));
        assert_eq!(a.source.as_deref(), Some("سانا"));
        assert_eq!(a.paragraphs[0].text, "سجلت الأسعار ارتفاعا.");
        let removed: Vec<(&str, &str)> = a
            .removed
            .iter()
            .map(|r| (r.text.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            removed,
            [("أخبار الشام:", "site"), ("دمشق (سانا) -", "dateline")]
        );

        // No headline: the dateline alone is dropped, the lead gives the title.
        let mut a = Article {
            paragraphs: vec![
                Paragraph::body("بغداد-"),
                Paragraph::body("بدأت الحملة أمس. وتستمر شهرا."),
            ],
            ..Article::default()
        };
        finish(&mut a, rules());
        assert_eq!(
            (a.title.as_str(), a.title_derived),
            ("بدأت الحملة أمس", true)
        );
        assert_eq!(a.paragraphs.len(), 1, "the lead stays body");
        assert_eq!(a.removed[0].text, "بغداد-");
    }
}
