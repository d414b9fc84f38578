//! Cleaning scraped text: the lines copied from a news page, with the site's
//! masthead, promo lines, share bars and duplicated captions mixed into the
//! article. Each line is classified by the rules in `rules.toml`; a line no
//! rule claims stays body text (when in doubt, keep it).
//!
//! Every non-blank input line ends up in exactly one place: the title, the
//! section, the byline, a paragraph, or `removed` (with a reason). Lines that
//! became metadata in another form (a dateline turned into an ISO date, a
//! "المصدر:" line turned into `source`) are kept in `removed` with the reason
//! `date` / `source`, so their original text is never lost.

use super::dates::{self, ascii_digits};
use super::model::{Paragraph, ParagraphKind, Removed};
use super::rules::{norm, norm_words, Rules};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;

/// What the cleaner made of a list of lines.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cleaned {
    pub title: Option<String>,
    pub date: Option<String>,
    pub section: Option<String>,
    pub source: Option<String>,
    pub byline: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    pub removed: Vec<Removed>,
}

/// Reasons recorded in [`Removed::reason`].
pub mod reason {
    pub const MASTHEAD: &str = "masthead";
    pub const DUPLICATE: &str = "duplicate";
    pub const PROMO: &str = "promo";
    pub const CHROME: &str = "chrome";
    pub const DATE: &str = "date";
    pub const SOURCE: &str = "source";
    /// A byline line when the byline was already known from metadata.
    pub const BYLINE: &str = "byline";
    pub const BREADCRUMB: &str = "breadcrumb";
    pub const TAGS: &str = "tags";
    pub const COPYRIGHT: &str = "copyright";
}

/// A headline is a line; a line longer than this many words is a paragraph
/// that lost its headline, and the title falls back to the file name.
pub(crate) const TITLE_MAX_WORDS: usize = 40;

/// Lines longer than this (bytes) are matched against the rules by their
/// start only; every rule that needs the whole line is about short lines.
const LONG_LINE: usize = 1024;

fn prefix_at_char_boundary(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn starts_with_phrase(n: &str, phrase: &str) -> bool {
    n == phrase
        || (n.starts_with(phrase)
            && n[phrase.len()..].starts_with(|c: char| c == ' ' || !c.is_alphanumeric()))
}

impl Rules {
    pub(crate) fn is_role(&self, n: &str) -> bool {
        self.roles.contains(n)
    }

    /// "رئيس التحرير: فلان الفلاني" on one line.
    pub(crate) fn is_role_with_name(&self, n: &str) -> bool {
        self.roles.iter().any(|r| {
            starts_with_phrase(n, r) && {
                let rest = n[r.len()..].trim();
                !rest.is_empty() && word_count(rest) <= self.name_max_words
            }
        })
    }

    /// A promo line that is only its label ("اقرأ أيضا", "أخبار ذات صلة:"):
    /// a list of other articles follows.
    fn is_bare_promo(&self, n: &str, line: &str) -> bool {
        line.trim_end().ends_with([':', '：']) || self.promo_prefixes.iter().any(|p| p == n)
    }

    pub(crate) fn is_promo(&self, n: &str) -> bool {
        let words = word_count(n);
        self.promo_prefixes.iter().any(|p| {
            // A one-word prefix ("إعلان") also starts real sentences; only a
            // short line counts then.
            starts_with_phrase(n, p) && (p.contains(' ') || words <= 3)
        })
    }

    pub(crate) fn is_chrome(&self, n: &str) -> bool {
        let toks: Vec<&str> = n
            .split(' ')
            .filter(|t| !t.is_empty())
            .take(self.chrome_max_words + 1)
            .collect();
        if toks.is_empty() || toks.len() > self.chrome_max_words {
            return false;
        }
        let mut words = 0;
        for t in &toks {
            if self.chrome_words.contains(*t) {
                words += 1;
            } else if !is_counter(t) {
                return false;
            }
        }
        words > 0
    }

    /// A page's own furniture on a line of its own: a breadcrumb trail, a
    /// tag list or a relative time. The reason it goes to `removed`, and a
    /// breadcrumb's last item (the section).
    pub(crate) fn page_furniture<'l>(
        &self,
        line: &'l str,
        n: &str,
    ) -> Option<(&'static str, Option<&'l str>)> {
        if self.is_relative_time(n) {
            return Some((reason::DATE, None));
        }
        if let Some(last) = self.breadcrumb(line) {
            return Some((reason::BREADCRUMB, Some(last)));
        }
        if self.is_copyright(line) {
            return Some((reason::COPYRIGHT, None));
        }
        if self.promo_anywhere_in(line) {
            return Some((reason::PROMO, None));
        }
        self.is_tag_list(line).then_some((reason::TAGS, None))
    }

    /// "تابعوا آخر الأخبار على Google News": a short line naming a
    /// promotion anywhere.
    fn promo_anywhere_in(&self, line: &str) -> bool {
        short_line_naming(line, &self.promo_anywhere, self.promo_anywhere_max_words)
    }

    /// "جميع الحقوق محفوظة © 2026": a short line with a copyright mark.
    fn is_copyright(&self, line: &str) -> bool {
        short_line_naming(line, &self.copyright_marks, self.copyright_max_words)
    }

    /// "منذ 3 ساعات", "قبل دقيقتين", "3 hours ago": an opening or closing
    /// word, then only numbers and time units.
    fn is_relative_time(&self, n: &str) -> bool {
        let words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).take(7).collect();
        if words.len() < 2 || words.len() > 6 {
            return false;
        }
        let inner = if self.relative_prefixes.contains(words[0]) {
            &words[1..]
        } else if self.relative_suffixes.contains(words[words.len() - 1]) {
            &words[..words.len() - 1]
        } else {
            return false;
        };
        let mut units = 0;
        for w in inner {
            if self.relative_units.contains(*w) {
                units += 1;
            } else if !is_counter(w) {
                return false;
            }
        }
        units > 0
    }

    /// "الرئيسية » أخبار » اقتصاد": a home item, then short items between
    /// separators. Returns the last item.
    fn breadcrumb<'l>(&self, line: &'l str) -> Option<&'l str> {
        let line = line.trim();
        if line.len() > LONG_LINE || word_count(line) > self.breadcrumb_max_words {
            return None;
        }
        let mut items = line
            .split(|c| self.breadcrumb_separators.contains(&c))
            .map(str::trim)
            .filter(|i| !i.is_empty());
        let first = items.next()?;
        if !self.breadcrumb_home.contains(&norm(first)) {
            return None;
        }
        let mut last = None;
        for item in items {
            if word_count(item) > 4 {
                return None;
            }
            last = Some(item);
        }
        last
    }

    /// "الوسوم: غاز، طاقة": a tag label, then a short list.
    fn is_tag_list(&self, line: &str) -> bool {
        let line = line.trim();
        if line.len() > LONG_LINE || word_count(line) > self.tags_max_words {
            return false;
        }
        // "#الأهلي #الترجي": hashtags only.
        if line
            .split_whitespace()
            .all(|w| w.len() > 1 && w.starts_with(['#', '＃']))
        {
            return true;
        }
        let folded = crate::text::fold_arabic(line).text;
        self.tag_prefixes.iter().any(|p| {
            folded.strip_prefix(p.as_str()).is_some_and(|rest| {
                // A label without its colon must end at a word's end.
                (p.ends_with(':') || rest.starts_with([' ', ':', '：']))
                    && !rest.trim_start_matches([' ', ':', '：']).is_empty()
            })
        })
    }

    fn caption_marker(&self, line: &str) -> bool {
        let folded = crate::text::fold_arabic(line).text;
        self.caption_markers
            .iter()
            .any(|m| folded.contains(m.as_str()))
    }

    fn byline_prefix(&self, line: &str) -> bool {
        let folded = crate::text::fold_arabic(line.trim()).text;
        self.byline_prefixes
            .iter()
            .any(|p| folded.starts_with(p.as_str()) && folded.len() > p.len())
    }

    /// The text after a source prefix ("المصدر: رويترز" → "رويترز").
    pub(crate) fn source_value(&self, line: &str) -> Option<String> {
        if line.len() > LONG_LINE {
            return None;
        }
        let line = line.trim();
        // Fold only as much of the line as the longest prefix needs (one
        // folded byte more, so the cut lands where folding all of it
        // would put it): this runs on every line until a source is found.
        let need = self.source_prefixes.iter().map(String::len).max()?;
        let mut folded = crate::text::fold_arabic(prefix_at_char_boundary(line, 2 * need + 8));
        if folded.text.len() <= need && line.len() > 2 * need + 8 {
            folded = crate::text::fold_arabic(line);
        }
        for p in &self.source_prefixes {
            let p_core = p.trim_end_matches([':', '-', ' ']);
            if folded.text.starts_with(p_core) {
                let cut = folded.original_offset(p_core.len());
                let rest = line[cut..].trim_start_matches([':', '-', ' ', '：']).trim();
                if !rest.is_empty() && word_count(rest) <= 6 {
                    return Some(rest.to_string());
                }
            }
        }
        None
    }
}

/// Whether `line` has at most `max_words` words and names one of `marks`
/// (folded) anywhere.
fn short_line_naming(line: &str, marks: &[String], max_words: usize) -> bool {
    if line.len() > LONG_LINE || word_count(line) > max_words {
        return false;
    }
    let folded = crate::text::fold_arabic(line).text;
    marks.iter().any(|m| folded.contains(m.as_str()))
}

/// "125", "1.2k", "٣٤" — share and view counters.
fn is_counter(t: &str) -> bool {
    let t = ascii_digits(t);
    let t = t.trim_end_matches(['k', 'm', 'K', 'M', '+']);
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

pub(crate) fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', '!', '?', '؟', '…', ':'])
}

fn is_name_like(line: &str, rules: &Rules) -> bool {
    let words = word_count(line);
    // A title before the name ("د.", "م.") keeps its period.
    let name: Vec<&str> = line
        .split_whitespace()
        .skip_while(|w| rules.abbreviations.contains(*w))
        .collect();
    words >= 1
        && words <= rules.name_max_words
        && !name.is_empty()
        && !name.iter().any(|w| {
            w.chars()
                .any(|c| c.is_ascii_digit() || matches!(c, '.' | '!' | '?' | '؟' | '،' | ':'))
        })
}

/// Lines repeated verbatim count as the same line whatever their spacing.
/// Most lines are spaced once already: they are their own key, borrowed.
pub(crate) fn dup_key(line: &str) -> Cow<'_, str> {
    if single_spaced(line) {
        Cow::Borrowed(line)
    } else {
        Cow::Owned(line.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Whether `line` is words separated by one ASCII space each, with no other
/// whitespace: then joining its `split_whitespace` words gives it back. A
/// byte check; any lead byte of a non-ASCII space (U+0085, U+00A0, U+1680,
/// U+2000…U+205F, U+3000) sends the line to the slow path.
fn single_spaced(line: &str) -> bool {
    let b = line.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    for &c in b {
        match c {
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            0x09..=0x0D | 0x1C..=0x1F | 0xC2 | 0xE1 | 0xE2 | 0xE3 => return false,
            _ => prev_space = false,
        }
    }
    true
}

/// A line normalised for the rules: its first [`Rules::match_words`]
/// words, from its first [`LONG_LINE`] bytes.
fn norm_line(line: &str, words: usize) -> String {
    norm_words(prefix_at_char_boundary(line, LONG_LINE), words)
}

/// A line short enough to be a caption, if repeated or marked as one.
pub(crate) fn caption_like(line: &str, rules: &Rules) -> bool {
    // `nth`, not a count: a long line is rejected by its first words.
    line.split_whitespace()
        .nth(rules.caption_max_words)
        .is_none()
        && !ends_sentence(line)
}

/// Clean `lines` (one paragraph a line; blank lines are separators).
pub fn clean_lines<'a>(lines: impl IntoIterator<Item = &'a str>, rules: &Rules) -> Cleaned {
    let lines: Vec<(&str, Cow<str>)> = lines
        .into_iter()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| (l, dup_key(l)))
        .collect();
    // Per key: how often it occurs, and whether it was kept once already.
    let mut occurrences: FxHashMap<&str, (usize, bool)> = FxHashMap::default();
    for (_, key) in &lines {
        occurrences.entry(key.as_ref()).or_default().0 += 1;
    }
    let match_words = rules.match_words();

    let mut out = Cleaned::default();
    let mut after_role = false;
    let mut in_header = true;
    // The title is the site's name (a provisional title with metadata under
    // it): replaced by the next headline-like line of the header.
    let mut site_title = false;
    // The title is a short first line: a site's name if metadata (a date,
    // a section, a masthead role, a breadcrumb) follows it.
    let mut provisional = false;
    // Under a bare "اقرأ أيضا": the short lines that follow are the titles
    // of other articles.
    let mut related = false;
    let drop = |out: &mut Cleaned, text: &str, reason: &str| {
        out.removed.push(Removed {
            text: text.to_string(),
            reason: reason.to_string(),
        })
    };

    for (line, key) in &lines {
        let (line, key) = (*line, key.as_ref());
        // Only the start of a line can match a rule (a promo prefix);
        // folding all of a 2 MB line for each check would be wasted work.
        let n = norm_line(line, match_words);
        if rules.is_role(&n) {
            drop(&mut out, line, reason::MASTHEAD);
            after_role = true;
            site_title |= provisional && in_header;
            continue;
        }
        // The name under a bare role line, wherever the masthead is (some
        // sites repeat it in the footer).
        if std::mem::take(&mut after_role) && is_name_like(line, rules) {
            drop(&mut out, line, reason::MASTHEAD);
            continue;
        }
        if in_header && rules.is_role_with_name(&n) {
            drop(&mut out, line, reason::MASTHEAD);
            continue;
        }
        let (count, seen) = occurrences.entry(key).or_default();
        let repeated = *count > 1;
        if std::mem::replace(seen, true) {
            drop(&mut out, line, reason::DUPLICATE);
            continue;
        }
        if related {
            if word_count(line) <= RELATED_MAX_WORDS && !ends_sentence(line) && !rules.is_chrome(&n)
            {
                drop(&mut out, line, reason::PROMO);
                continue;
            }
            related = false;
        }
        if rules.is_promo(&n) {
            related = !in_header && rules.is_bare_promo(&n, line);
            drop(&mut out, line, reason::PROMO);
            continue;
        }
        if rules.is_chrome(&n) {
            drop(&mut out, line, reason::CHROME);
            continue;
        }
        if let Some((why, section)) = rules.page_furniture(line, &n) {
            if in_header && out.section.is_none() {
                out.section = section.map(str::to_string);
            }
            site_title |= provisional && in_header && why != reason::PROMO;
            drop(&mut out, line, why);
            continue;
        }
        if out.date.is_none() {
            if let Some(d) = dates::parse_date_line(line, rules) {
                out.date = Some(d);
                site_title |= provisional && in_header;
                drop(&mut out, line, reason::DATE);
                continue;
            }
        }
        if in_header && out.section.is_none() && rules.sections.contains(&n) {
            out.section = Some(line.to_string());
            site_title |= provisional;
            continue;
        }
        if out.source.is_none() {
            if let Some(src) = rules.source_value(line) {
                out.source = Some(src);
                drop(&mut out, line, reason::SOURCE);
                continue;
            }
        }
        if out.byline.is_none()
            && (in_header || out.paragraphs.len() < 2)
            && word_count(line) <= rules.byline_max_words
            && rules.byline_prefix(line)
        {
            out.byline = Some(line.to_string());
            continue;
        }
        // A site's name on its own line ("صحيفة الوطن الإلكترونية") is
        // taken for the title until a headline-like line replaces it.
        if in_header && (out.title.is_none() || site_title) {
            // A line ending a sentence, or opening with a dateline, is the
            // lead of a page that has no headline.
            if word_count(line) <= TITLE_MAX_WORDS
                && !line.ends_with('.')
                && headline_despite_dateline(line, rules)
            {
                let first = out.title.is_none();
                site_title = false;
                provisional =
                    first && (masthead_shaped(line) || super::titles::is_site_line(line, rules));
                if let Some(site) = out.title.replace(line.to_string()) {
                    drop(&mut out, &site, super::titles::reason::SITE);
                }
                continue;
            }
            in_header = false;
        }
        if caption_like(line, rules) && (repeated || rules.caption_marker(line)) {
            out.paragraphs
                .push(Paragraph::new(line.to_string(), ParagraphKind::Caption));
            continue;
        }
        in_header = false;
        out.paragraphs.push(Paragraph::body(line));
    }
    // A site's name with no headline under it: the lead gives the title.
    if site_title
        && out
            .title
            .as_deref()
            .is_some_and(|t| super::titles::is_site_line(t, rules))
    {
        let site = out.title.take().unwrap_or_default();
        drop(&mut out, &site, super::titles::reason::SITE);
    }
    out
}

/// The longest line taken for another article's title under a bare promo.
const RELATED_MAX_WORDS: usize = 16;

/// A short first line shaped like a site's masthead: a few words, or a name
/// and a tagline ("وفا - وكالة الأنباء الفلسطينية").
fn masthead_shaped(line: &str) -> bool {
    let words = word_count(line);
    words <= 4 || (words <= 7 && (line.contains(" - ") || line.contains(" | ")))
}

/// A line that may be a headline: no dateline, or a "city: headline" one
/// (no agency, no sentence end, a few words after it) such as
/// "الدار البيضاء: توقيف شبكة لتزوير الوثائق".
fn headline_despite_dateline(line: &str, rules: &Rules) -> bool {
    match super::titles::dateline(line, rules) {
        None => true,
        Some(d) => {
            d.agency.is_none()
                && !ends_sentence(line)
                && word_count(line) <= 15
                && word_count(&line[d.len..]) >= 3
        }
    }
}

/// Metadata already known from the format itself (front matter, `<meta>`
/// tags, JSON fields); the paragraph filter only fills what is missing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Known {
    pub date: bool,
    pub byline: bool,
    pub source: bool,
}

/// The cleaning for formats that already have paragraphs (Markdown, HTML,
/// JSON): promo and chrome paragraphs and verbatim repeats go to `removed`;
/// a dateline, byline or source line near the top fills missing metadata.
/// Headings, quotes and captions keep their kind.
pub fn filter_paragraphs(paragraphs: Vec<Paragraph>, known: Known, rules: &Rules) -> Cleaned {
    let mut out = Cleaned::default();
    let mut seen: FxHashSet<Cow<str>> = FxHashSet::default();
    let match_words = rules.match_words();
    let mut body_seen = 0usize;
    for p in &paragraphs {
        let text = p.text.trim();
        if text.is_empty() {
            continue;
        }
        let drop = |out: &mut Cleaned, reason: &str| {
            out.removed.push(Removed {
                text: text.to_string(),
                reason: reason.to_string(),
            })
        };
        let n = norm_line(text, match_words);
        if !seen.insert(dup_key(text)) {
            drop(&mut out, reason::DUPLICATE);
            continue;
        }
        if rules.is_promo(&n) {
            drop(&mut out, reason::PROMO);
            continue;
        }
        if rules.is_chrome(&n) {
            drop(&mut out, reason::CHROME);
            continue;
        }
        if let Some((why, _)) = rules.page_furniture(text, &n) {
            drop(&mut out, why);
            continue;
        }
        if body_seen < 3 && p.kind != ParagraphKind::Heading {
            // A dateline or byline at the top is metadata even when the
            // format already gave it (a page's <time> beside its <meta>).
            if let Some(d) = dates::parse_date_line(text, rules) {
                if !known.date && out.date.is_none() {
                    out.date = Some(d);
                }
                drop(&mut out, reason::DATE);
                continue;
            }
            if word_count(text) <= rules.byline_max_words && rules.byline_prefix(text) {
                if !known.byline && out.byline.is_none() {
                    out.byline = Some(text.to_string());
                } else {
                    drop(&mut out, reason::BYLINE);
                }
                continue;
            }
        }
        if !known.source && out.source.is_none() {
            if let Some(src) = rules.source_value(text) {
                out.source = Some(src);
                drop(&mut out, reason::SOURCE);
                continue;
            }
        }
        if p.kind == ParagraphKind::Body {
            body_seen += 1;
        }
        out.paragraphs
            .push(Paragraph::new(text.to_string(), p.kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> Cleaned {
        clean_lines(text.lines(), Rules::builtin())
    }

    fn reasons(c: &Cleaned) -> Vec<(&str, &str)> {
        c.removed
            .iter()
            .map(|r| (r.text.as_str(), r.reason.as_str()))
            .collect()
    }

    #[test]
    fn masthead_roles_and_names_even_repeated() {
        let c = clean(
            "رئيس مجلسى الإدارة والتحرير\nسامي منصور\nرئيس التحرير\nهالة يوسف\nرئيس مجلسي الإدارة والتحرير\nسامي منصور\nرئيس التحرير\nهالة يوسف\n\nعنوان الخبر هنا\n\nنص الخبر الأول.",
        );
        assert_eq!(c.title.as_deref(), Some("عنوان الخبر هنا"));
        assert_eq!(c.removed.len(), 8);
        assert!(c.removed.iter().all(|r| r.reason == reason::MASTHEAD));
        assert_eq!(c.paragraphs, vec![Paragraph::body("نص الخبر الأول.")]);
    }

    #[test]
    fn masthead_repeated_in_the_footer() {
        let c = clean("العنوان\nنص الخبر.\nرئيس التحرير\nهالة يوسف\nأحمد سالم");
        assert_eq!(
            reasons(&c),
            vec![("رئيس التحرير", "masthead"), ("هالة يوسف", "masthead")]
        );
        // Only the one line under the role: the next short line is body.
        assert_eq!(c.paragraphs.last().unwrap().text, "أحمد سالم");
    }

    #[test]
    fn role_with_name_on_one_line() {
        let c = clean("رئيس التحرير: مريم الخطيب\nالعنوان\nنص.");
        assert_eq!(reasons(&c), vec![("رئيس التحرير: مريم الخطيب", "masthead")]);
    }

    #[test]
    fn duplicated_caption_kept_once_as_caption() {
        let c = clean("عنوان\n\nوزير الخارجية في جنيف\nوزير الخارجية في جنيف\n\nقال الوزير إن المحادثات مستمرة.");
        assert_eq!(
            c.paragraphs[0],
            Paragraph::new("وزير الخارجية في جنيف", ParagraphKind::Caption)
        );
        assert_eq!(reasons(&c), vec![("وزير الخارجية في جنيف", "duplicate")]);
    }

    #[test]
    fn promo_and_chrome_lines() {
        let c = clean(
            "عنوان\nتابع أحدث الأخبار عبر تطبيق google news\nنص أول.\nاقرأ أيضًا: خبر آخر عن الطقس\nشارك\nطباعة\nفيسبوك تويتر واتساب\n1.2k مشاركة\nإعلان\nإعلان الحكومة عن خطة جديدة للنقل.",
        );
        let r = reasons(&c);
        assert_eq!(
            r.iter().filter(|(_, why)| *why == "promo").count(),
            3,
            "{r:?}"
        );
        assert_eq!(
            r.iter().filter(|(_, why)| *why == "chrome").count(),
            4,
            "{r:?}"
        );
        // A sentence that merely starts with a promo word stays; "إعلان"
        // alone was the first occurrence, so the sentence is not a duplicate.
        assert_eq!(
            c.paragraphs.last().unwrap().text,
            "إعلان الحكومة عن خطة جديدة للنقل."
        );
    }

    #[test]
    fn date_section_byline_source() {
        let c = clean(
            "الأربعاء ٤ كانون الأول ٢٠٢٤\n\nاقتصاد\n\nالبنك المركزي يثبت أسعار الفائدة\nكتب: عمر الحسيني\n\nقرر البنك المركزي الإبقاء على أسعار الفائدة.\nالمصدر: رويترز",
        );
        assert_eq!(c.date.as_deref(), Some("2024-12-04"));
        assert_eq!(c.section.as_deref(), Some("اقتصاد"));
        assert_eq!(c.title.as_deref(), Some("البنك المركزي يثبت أسعار الفائدة"));
        assert_eq!(c.byline.as_deref(), Some("كتب: عمر الحسيني"));
        assert_eq!(c.source.as_deref(), Some("رويترز"));
        assert_eq!(c.paragraphs.len(), 1);
    }

    #[test]
    fn doubtful_lines_stay_body() {
        // A section word inside the body, a name-like line with no role above
        // it, and a sentence with a date are all kept.
        let c = clean("العنوان\nنص أول.\nرياضة\nأحمد سالم\nوصل الوفد في 22 نوفمبر 2024 إلى عمّان.");
        assert_eq!(c.paragraphs.len(), 4);
        assert!(c.removed.is_empty());
        assert_eq!(c.date, None);
    }

    #[test]
    fn long_first_line_is_not_a_title() {
        let long = "كلمة ".repeat(60);
        let c = clean(&long);
        assert_eq!(c.title, None);
        assert_eq!(c.paragraphs.len(), 1);
    }

    proptest::proptest! {
        /// The borrowed fast path gives the key the slow path would: any
        /// mix of ASCII and non-ASCII spaces, tabs and Arabic.
        #[test]
        fn dup_key_is_the_words_joined(line in "[ \t\u{A0}\u{2009}\u{3000}\u{85}a-z\u{0621}-\u{064A}\u{00C2}\u{00E2}]{0,40}") {
            let line = line.trim();
            let slow = line.split_whitespace().collect::<Vec<_>>().join(" ");
            let key = dup_key(line);
            proptest::prop_assert_eq!(key.as_ref(), slow.as_str());
        }
    }

    #[test]
    fn long_lines_match_by_their_first_words_only() {
        // A role followed by too long a "name", a section word opening a
        // sentence, and a one-word promo prefix opening a long line: all
        // stay body text, as they would if every word were looked at.
        let name = "اسم ".repeat(30);
        let text = format!("العنوان\nرئيس التحرير: {name}\nرياضة {name}\nإعلان {name}\nنص.");
        let c = clean(&text);
        assert!(c.removed.is_empty(), "{:?}", c.removed);
        assert_eq!(c.section, None);
        assert_eq!(c.paragraphs.len(), 4);
    }

    #[test]
    fn breadcrumbs_tags_and_relative_times_are_page_furniture() {
        let c = clean(
            "الرئيسية » أخبار الوطن » اقتصاد\nعنوان الخبر هنا\nمنذ 3 ساعات\nنص الخبر الأول.\nقبل ساعات من الاجتماع، قال الوزير إن الجلسة مهمة.\nالرئيسية هي الصفحة التي يراها الزائر أولا.\nالوسوم: غاز، طاقة\n3 hours ago",
        );
        assert_eq!(c.title.as_deref(), Some("عنوان الخبر هنا"));
        assert_eq!(c.section.as_deref(), Some("اقتصاد"));
        assert_eq!(
            reasons(&c),
            vec![
                ("الرئيسية » أخبار الوطن » اقتصاد", "breadcrumb"),
                ("منذ 3 ساعات", "date"),
                ("الوسوم: غاز، طاقة", "tags"),
                ("3 hours ago", "date"),
            ]
        );
        assert_eq!(c.paragraphs.len(), 3);
        // A one-word label needs its colon; a sentence may start with it.
        let c = clean("العنوان\nوسوم الإبل تعرف بها القبائل.");
        assert!(c.removed.is_empty());
        let c = clean("العنوان\nنص.\n#الأهلي #الترجي\n# ليس وسما");
        assert_eq!(reasons(&c), vec![("#الأهلي #الترجي", "tags")]);
    }

    #[test]
    fn a_site_name_above_the_headline_gives_way_to_it() {
        let c = clean("صحيفة الوطن الإلكترونية\nمحليات\nأمير المنطقة يدشن مشروعات جديدة\nنص الخبر.\nجميع الحقوق محفوظة © 2026 صحيفة الوطن");
        assert_eq!(c.title.as_deref(), Some("أمير المنطقة يدشن مشروعات جديدة"));
        assert_eq!(c.section.as_deref(), Some("محليات"));
        assert_eq!(
            reasons(&c),
            vec![
                ("صحيفة الوطن الإلكترونية", "site"),
                ("جميع الحقوق محفوظة © 2026 صحيفة الوطن", "copyright")
            ]
        );
        // A headline about a newspaper is a headline.
        let c = clean(
            "صحيفة أمريكية تكشف تفاصيل الصفقة\nقال مسؤول إن الاتفاق قريب.\nجريدة الأهرام\nوختم.",
        );
        assert_eq!(c.title.as_deref(), Some("صحيفة أمريكية تكشف تفاصيل الصفقة"));
        assert!(c.removed.is_empty());
        assert_eq!(c.paragraphs.len(), 3);
    }

    #[test]
    fn a_short_first_line_followed_by_metadata_is_the_site() {
        let c = clean("المدى برس\nالأربعاء 15 كانون الثاني 2025\nاقتصاد\nالبصرة: افتتاح رصيف جديد في الميناء\nنص الخبر.\nاقرأ ايضاً\nخبر آخر عن الميناء\nخبر ثالث\nعدد القراءات: 842\nتابعوا آخر الأخبار على Google News");
        assert_eq!(
            c.title.as_deref(),
            Some("البصرة: افتتاح رصيف جديد في الميناء")
        );
        assert_eq!(c.paragraphs, vec![Paragraph::body("نص الخبر.")]);
        let r = reasons(&c);
        assert!(r.contains(&("المدى برس", "site")), "{r:?}");
        assert!(r.contains(&("خبر آخر عن الميناء", "promo")), "{r:?}");
        assert!(r.contains(&("خبر ثالث", "promo")), "{r:?}");
        assert!(r.contains(&("عدد القراءات: 842", "chrome")), "{r:?}");
        assert!(
            r.contains(&("تابعوا آخر الأخبار على Google News", "promo")),
            "{r:?}"
        );
        // A short headline with no metadata under it stays the headline,
        // and a sentence after a bare promo ends the related list.
        let c = clean("ارتفاع أسعار الخبز\nقال التجار إن الأسعار سترتفع.\nاقرأ أيضا\nوأضاف التجار أن الطلب كبير.");
        assert_eq!(c.title.as_deref(), Some("ارتفاع أسعار الخبز"));
        assert_eq!(c.paragraphs.len(), 2);
        // The name under a role keeps a title's period.
        let c = clean("رئيس التحرير\nد. محمود حسن\nالعنوان هنا\nنص.");
        assert_eq!(c.title.as_deref(), Some("العنوان هنا"));
        assert_eq!(reasons(&c)[1], ("د. محمود حسن", "masthead"));
    }
}
