//! Arabic (and numeric) dates → ISO 8601 `YYYY-MM-DD`.
//!
//! Handles weekday + day + month name + year in Egyptian/Gulf names
//! (نوفمبر), Levantine names (تشرين الثاني), Maghrebi names (جوان) and
//! English names, numeric dates (`22/11/2024`, `2024-11-22`, `22-11-2024`),
//! and Arabic-Indic (٠–٩) or Persian (۰–۹) digits. Month names come from the
//! rules file. Written by hand because no date crate knows Arabic month
//! names, and the grammar needed here is tiny.

use super::rules::Rules;

/// Replace Arabic-Indic and Persian digits with ASCII ones.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            _ => c,
        })
        .collect()
}

fn tokens(s: &str) -> Vec<String> {
    let folded = crate::text::fold_arabic(&ascii_digits(s)).text;
    folded
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | '،' | '|' | '(' | ')' | '«' | '»' | '؛' | ';' | '\u{2013}' | '\u{2014}'
                )
        })
        .map(|t| t.trim_matches(|c: char| matches!(c, ':' | '-' | '.' | '"' | '\'')))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// `YYYY-MM-DD` when the parts make a real calendar date in a plausible range.
pub fn iso(year: u32, month: u32, day: u32) -> Option<String> {
    if !(1900..=2100).contains(&year) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

fn number(t: &str) -> Option<u32> {
    if t.is_empty() || t.len() > 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// A numeric date in one token: `2024-11-22`, `2024/11/22`, `22/11/2024`,
/// `22-11-2024`, `22.11.2024` (day first, as Arab papers print it).
fn numeric_date(t: &str) -> Option<String> {
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| number(p).is_none()) {
        return None;
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    if parts[0].len() == 4 {
        iso(n[0], n[1], n[2])
    } else if parts[2].len() == 4 {
        iso(n[2], n[1], n[0])
    } else {
        None
    }
}

fn is_time(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Find a Gregorian date in `toks`; returns the date and which tokens it used.
fn find(toks: &[String], rules: &Rules) -> Option<(String, Vec<usize>)> {
    for (i, t) in toks.iter().enumerate() {
        if let Some(d) = numeric_date(t) {
            return Some((d, vec![i]));
        }
        // A month name of one or two words at i.
        for len in [2usize, 1] {
            if i + len > toks.len() {
                continue;
            }
            let name = toks[i..i + len].join(" ");
            let Some(&month) = rules.months.get(&name) else {
                continue;
            };
            let month_idx: Vec<usize> = (i..i + len).collect();
            // day month year
            if i >= 1 {
                if let (Some(day), Some(year)) = (
                    number(&toks[i - 1]),
                    toks.get(i + len).and_then(|t| number(t)),
                ) {
                    if let Some(d) = iso(year, month, day) {
                        let mut used = vec![i - 1];
                        used.extend(&month_idx);
                        used.push(i + len);
                        return Some((d, used));
                    }
                }
            }
            // month day year (English style)
            if let (Some(day), Some(year)) = (
                toks.get(i + len).and_then(|t| number(t)),
                toks.get(i + len + 1).and_then(|t| number(t)),
            ) {
                if let Some(d) = iso(year, month, day) {
                    let mut used = month_idx.clone();
                    used.extend([i + len, i + len + 1]);
                    return Some((d, used));
                }
            }
        }
    }
    None
}

/// When the whole line is a dateline ("الجمعة 22 نوفمبر 2024",
/// "نشر في: ٢٢/١١/٢٠٢٤ - 10:30 ص", "آخر تحديث 3 تشرين الثاني 2024"), its
/// date. Every other word on the line must be a weekday, a filler from the
/// rules (نشر، في، الموافق، times, Hijri months) or a number (the Hijri date),
/// so a sentence that merely mentions a date stays body text.
pub fn parse_date_line(line: &str, rules: &Rules) -> Option<String> {
    // A dateline is short; do not tokenize a paragraph to find that out.
    if line.split_whitespace().nth(16).is_some() {
        return None;
    }
    let toks = tokens(line);
    if toks.is_empty() || toks.len() > 16 {
        return None;
    }
    let (date, used) = find(&toks, rules)?;
    let mut stray_numbers = 0;
    for (i, t) in toks.iter().enumerate() {
        if used.contains(&i) || is_time(t) {
            continue;
        }
        if rules.weekdays.contains(t.as_str()) || rules.date_fillers.contains(t.as_str()) {
            continue;
        }
        if number(t).is_some() {
            stray_numbers += 1;
            if stray_numbers <= 2 {
                continue;
            }
        }
        return None;
    }
    Some(date)
}

/// A date anywhere in a metadata value: an ISO timestamp
/// (`2024-11-22T08:00:00+02:00`) or any form [`parse_date_line`] knows,
/// surrounded by anything.
pub fn parse_date_value(value: &str, rules: &Rules) -> Option<String> {
    let v = ascii_digits(value.trim());
    if v.len() >= 10 && v.is_char_boundary(10) {
        if let Some(d) = numeric_date(&v[..10]) {
            return Some(d);
        }
    }
    find(&tokens(&v), rules).map(|(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Option<String> {
        parse_date_line(s, Rules::builtin())
    }

    #[test]
    fn egyptian_gulf_levantine_and_numeric() {
        assert_eq!(line("الجمعة 22 نوفمبر 2024").as_deref(), Some("2024-11-22"));
        assert_eq!(line("السبت، 3 اغسطس 2019").as_deref(), Some("2019-08-03"));
        assert_eq!(line("الثلاثاء 5 أغسطس 2025").as_deref(), Some("2025-08-05"));
        assert_eq!(
            line("الأحد 10 تشرين الثاني 2024").as_deref(),
            Some("2024-11-10")
        );
        assert_eq!(line("1 كانون الثاني 2023").as_deref(), Some("2023-01-01"));
        assert_eq!(line("14 آب 2022").as_deref(), Some("2022-08-14"));
        assert_eq!(
            line("نشر في: 22/11/2024 - 10:30 ص").as_deref(),
            Some("2024-11-22")
        );
        assert_eq!(line("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(
            line("آخر تحديث: 7 جوان 2021").as_deref(),
            Some("2021-06-07")
        );
    }

    #[test]
    fn arabic_indic_and_persian_digits() {
        assert_eq!(line("الخميس ٢١ مارس ٢٠٢٤").as_deref(), Some("2024-03-21"));
        assert_eq!(line("۱۵ أيار ۲۰۲۳").as_deref(), Some("2023-05-15"));
    }

    #[test]
    fn hijri_beside_gregorian() {
        assert_eq!(
            line("الجمعة 22 نوفمبر 2024 الموافق 20 جمادى الأولى 1446 هـ").as_deref(),
            Some("2024-11-22")
        );
    }

    #[test]
    fn sentences_and_impossible_dates_are_not_datelines() {
        assert_eq!(
            line("وصل الوفد إلى القاهرة في 22 نوفمبر 2024 لبحث الأزمة"),
            None
        );
        assert_eq!(line("31 نوفمبر 2024"), None);
        assert_eq!(line("2023-02-29"), None);
        assert_eq!(line("نوفمبر"), None);
    }

    #[test]
    fn values_with_iso_timestamps() {
        let r = Rules::builtin();
        assert_eq!(
            parse_date_value("2024-11-22T08:00:00+02:00", r).as_deref(),
            Some("2024-11-22")
        );
        assert_eq!(
            parse_date_value("نشر يوم 3 شباط 2020 في بيروت", r).as_deref(),
            Some("2020-02-03")
        );
        assert_eq!(parse_date_value("قريبا", r), None);
    }
}
