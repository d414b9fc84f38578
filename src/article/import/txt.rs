//! Plain and scraped text: one paragraph a line, cleaned by the rules.
//! A text that carries HTML tags or entities (a scraper's saved body) is
//! read as an HTML fragment instead, with the HTML importer's rules.

use crate::article::clean::{clean_lines, ends_sentence, reason, TITLE_MAX_WORDS};
use crate::article::import::html;
use crate::article::{titles, Article, ParagraphKind, Removed, Rules};

pub fn import(text: &str, rules: &Rules) -> Article {
    // A dataset's "date 2025-08-23" before the first line is the date,
    // never the title; its text is kept in `removed`.
    let Some((date, len)) = titles::date_prefix(text, rules) else {
        return lines_or_fragment(text, rules);
    };
    let mut a = lines_or_fragment(&text[len..], rules);
    if a.date.is_none() {
        a.date = Some(date);
    }
    a.removed.insert(
        0,
        Removed {
            text: text[..len].trim().to_string(),
            reason: reason::DATE.into(),
        },
    );
    a
}

fn lines_or_fragment(text: &str, rules: &Rules) -> Article {
    if html::looks_like_markup(text) {
        let Some((plain, dropped)) = html::inline_lines(text, rules) else {
            return fragment(text, rules);
        };
        let mut a = lines(&plain, rules);
        a.removed.extend(dropped);
        return a;
    }
    lines(text, rules)
}

fn lines(text: &str, rules: &Rules) -> Article {
    let c = clean_lines(text.lines(), rules);
    Article {
        title: c.title.unwrap_or_default(),
        date: c.date,
        section: c.section,
        source: c.source,
        byline: c.byline,
        paragraphs: c.paragraphs,
        removed: c.removed,
        ..Article::default()
    }
}

/// A text file holding HTML: an `<h1>` is the title; without one, a first
/// heading or a short first line (the text file's usual headline) is.
fn fragment(text: &str, rules: &Rules) -> Article {
    let mut a = html::import(text, rules);
    if a.title.trim().is_empty() {
        if let Some(first) = a.paragraphs.first() {
            let words = first.text.split_whitespace().count();
            let headline = first.kind == ParagraphKind::Heading
                || (first.kind == ParagraphKind::Body
                    && words <= TITLE_MAX_WORDS.min(20)
                    && !ends_sentence(&first.text)
                    && titles::dateline(&first.text, rules).is_none());
            if headline {
                a.title = a.paragraphs.remove(0).text;
            }
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> &'static Rules {
        Rules::builtin()
    }

    #[test]
    fn html_body_in_a_text_file() {
        let t = "<h2 dir=\"rtl\">افتتاح جسر جديد في المدينة</h2> <p dir=\"rtl\"> </p> \
                 <p>قال المحافظ&nbsp;إن الجسر &quot;سيخفف&quot; الزحام.</p><p>وأضاف أن العمل استمر عامين.</p>";
        let a = import(t, rules());
        assert_eq!(a.title, "افتتاح جسر جديد في المدينة");
        let texts: Vec<&str> = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "قال المحافظ إن الجسر \"سيخفف\" الزحام.",
                "وأضاف أن العمل استمر عامين."
            ]
        );
        assert!(a.paragraphs.iter().all(|p| !p.text.contains('<')));
    }

    #[test]
    fn plain_line_headline_before_html() {
        let t = "ارتفاع أسعار الخبز\n<p>ارتفعت الأسعار هذا الأسبوع.</p><p>وقال تاجر إنه يتوقع المزيد.</p>";
        let a = import(t, rules());
        assert_eq!(a.title, "ارتفاع أسعار الخبز");
        assert_eq!(a.paragraphs.len(), 2);
    }

    #[test]
    fn text_mentioning_angle_brackets_stays_text() {
        let t = "معادلة بسيطة\nإذا كان a < b فإن b > a دائما.";
        let a = import(t, rules());
        assert_eq!(a.title, "معادلة بسيطة");
        assert_eq!(a.paragraphs[0].text, "إذا كان a < b فإن b > a دائما.");
    }

    #[test]
    fn inline_markup_keeps_one_paragraph_a_line() {
        let t = "وزارة الطاقة تعلن اكتشاف حقل غاز\n\
                 <b>الجزائر</b> - قال الوزير إن <a href=\"/x\n?y\">الحقل</a> كبير.\n\
                 وأضاف أن الإنتاج يبدأ&nbsp;قريبا. <strong>اقرأ أيضا:</strong> <a href=\"/z\">خبر آخر</a>\n\
                 <span class=\"share-bar\">شارك</span>وختم بالشكر.";
        let a = import(t, rules());
        assert_eq!(a.title, "وزارة الطاقة تعلن اكتشاف حقل غاز");
        let texts: Vec<&str> = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "الجزائر - قال الوزير إن الحقل كبير.",
                "وأضاف أن الإنتاج يبدأ\u{a0}قريبا.",
                "وختم بالشكر."
            ]
        );
        let removed: Vec<(&str, &str)> = a
            .removed
            .iter()
            .map(|r| (r.text.as_str(), r.reason.as_str()))
            .collect();
        assert!(
            removed.contains(&("اقرأ أيضا: خبر آخر", "promo")),
            "{removed:?}"
        );
        assert!(removed.contains(&("شارك", "html .share")), "{removed:?}");
    }
}
