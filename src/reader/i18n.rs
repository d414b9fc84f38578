//! Interface text in Arabic and English. Arabic strings go through the
//! layout engine like everything else before they reach the screen.

use super::Action;
use crate::entities::EntityKind;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Ar,
    En,
}

/// Messages of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Articles,
    Article,
    Entities,
    NoEntities,
    /// The sidebar while the article's entities are being looked for.
    FindingNames,
    EntitiesFailed,
    NoArticle,
    EmptyLibrary,
    Search,
    Filter,
    NoMatches,
    Help,
    HelpClose,
    Bookmarks,
    NoBookmarks,
    TooSmall,
    Read,
    Unread,
    Bookmarked,
    BookmarkRemoved,
    StateSaved,
    HelpHint,
    Words,
    Paragraph,
    Copied,
    CopyOff,
    NothingToCopy,
    NoSource,
    Opening,
    SourceIs,
    /// The prompt on the article list: titles filter as you type, Enter
    /// searches the articles' text.
    FindArticles,
    /// The list pane's title over library search results.
    Results,
    /// The list pane's title over the articles mentioning an entity.
    Mentioning,
    /// The library index being built.
    Indexing,
    IndexFailed,
    /// A long article shown from its head while the rest is imported.
    LoadingRest,
    LoadFailed,
    NoOtherArticles,
    /// Label before an article's number of hits in the results.
    Hits,
    /// The results pane's hint: Back returns to the list.
    BackToList,
}

impl Lang {
    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    pub fn text(self, msg: Msg) -> &'static str {
        use Msg::*;
        match self {
            Lang::Ar => match msg {
                Articles => "المقالات",
                Article => "المقال",
                Entities => "الكيانات",
                NoEntities => "لم يُعثر على كيانات",
                FindingNames => "تحديد الأسماء…",
                EntitiesFailed => "تعذّر تحديد الأسماء",
                NoArticle => "اختر مقالًا من القائمة",
                EmptyLibrary => "لا مقالات في المكتبة",
                Search => "بحث: ",
                Filter => "تصفية: ",
                NoMatches => "لا نتائج",
                Help => "المفاتيح",
                HelpClose => "Esc أو ? للإغلاق",
                Bookmarks => "العلامات",
                NoBookmarks => "لا علامات بعد (m لوضع علامة)",
                TooSmall => "النافذة صغيرة جدًا",
                Read => "مقروء",
                Unread => "غير مقروء",
                Bookmarked => "وُضعت علامة",
                BookmarkRemoved => "أُزيلت العلامة",
                StateSaved => "حُفظت حالة القراءة",
                HelpHint => "? مساعدة",
                Words => "كلمة",
                Paragraph => "فقرة",
                Copied => "نُسخ إلى الحافظة",
                CopyOff => "النسخ معطّل (clipboard = false)",
                NothingToCopy => "لا شيء للنسخ",
                NoSource => "لا عنوان مصدر لهذا المقال",
                Opening => "فتح",
                SourceIs => "المصدر",
                FindArticles => "ابحث في المقالات: ",
                Results => "نتائج",
                Mentioning => "مقالات تذكر",
                Indexing => "فهرسة المكتبة",
                IndexFailed => "تعذّرت فهرسة المكتبة",
                LoadingRest => "جارٍ تحميل بقية المقال…",
                LoadFailed => "تعذّرت قراءة بقية المقال",
                NoOtherArticles => "لا مقالات أخرى تذكر",
                Hits => "التطابقات",
                BackToList => "q للعودة إلى القائمة",
            },
            Lang::En => match msg {
                Articles => "Articles",
                Article => "Article",
                Entities => "Entities",
                NoEntities => "No entities found",
                FindingNames => "Finding names…",
                EntitiesFailed => "Could not find names",
                NoArticle => "Choose an article from the list",
                EmptyLibrary => "No articles in the library",
                Search => "Search: ",
                Filter => "Filter: ",
                NoMatches => "No matches",
                Help => "Keys",
                HelpClose => "Esc or ? to close",
                Bookmarks => "Bookmarks",
                NoBookmarks => "No bookmarks yet (m sets one)",
                TooSmall => "Terminal too small",
                Read => "read",
                Unread => "unread",
                Bookmarked => "Bookmarked",
                BookmarkRemoved => "Bookmark removed",
                StateSaved => "Reading state saved",
                HelpHint => "? help",
                Words => "words",
                Paragraph => "paragraph",
                Copied => "copied to the clipboard",
                CopyOff => "copying is off (clipboard = false)",
                NothingToCopy => "nothing to copy",
                NoSource => "this article has no source address",
                Opening => "opening",
                SourceIs => "source",
                FindArticles => "Find in articles: ",
                Results => "Results",
                Mentioning => "Articles mentioning",
                Indexing => "Indexing the library",
                IndexFailed => "Could not index the library",
                LoadingRest => "Loading the rest of the article…",
                LoadFailed => "Could not read the rest of the article",
                NoOtherArticles => "No other article mentions",
                Hits => "hits",
                BackToList => "q: back to the list",
            },
        }
    }

    pub fn kind(self, kind: EntityKind) -> &'static str {
        match (self, kind) {
            (Lang::Ar, EntityKind::Person) => "أشخاص",
            (Lang::Ar, EntityKind::Place) => "أماكن",
            (Lang::Ar, EntityKind::Org) => "منظمات",
            (Lang::En, EntityKind::Person) => "People",
            (Lang::En, EntityKind::Place) => "Places",
            (Lang::En, EntityKind::Org) => "Organizations",
        }
    }

    pub fn action(self, action: Action) -> &'static str {
        use Action::*;
        match self {
            Lang::Ar => match action {
                Next => "الفقرة أو العنصر التالي",
                Prev => "الفقرة أو العنصر السابق",
                PageDown => "صفحة إلى الأسفل",
                PageUp => "صفحة إلى الأعلى",
                Top => "البداية",
                Bottom => "النهاية",
                Open => "فتح",
                Back => "رجوع (خروج من القائمة)",
                Quit => "خروج",
                NextPane => "اللوحة التالية",
                PrevPane => "اللوحة السابقة",
                ToggleEntities => "إظهار الكيانات أو إخفاؤها",
                NextMatch => "النتيجة أو الإشارة التالية",
                PrevMatch => "النتيجة أو الإشارة السابقة",
                Search => "بحث في المقال (تصفية في القائمة)",
                Clear => "إلغاء التمييز",
                Bookmark => "علامة على الفقرة",
                Bookmarks => "العلامات",
                ToggleRead => "مقروء / غير مقروء",
                Redraw => "إعادة الرسم",
                Suspend => "إيقاف مؤقت (العودة بـ fg)",
                Copy => "نسخ الفقرة أو الاسم",
                OpenSource => "فتح مصدر المقال (أو عرضه عبر SSH)",
                Help => "المساعدة",
            },
            Lang::En => match action {
                Next => "next paragraph or item",
                Prev => "previous paragraph or item",
                PageDown => "page down",
                PageUp => "page up",
                Top => "top",
                Bottom => "bottom",
                Open => "open",
                Back => "back (quit from the list)",
                Quit => "quit",
                NextPane => "next pane",
                PrevPane => "previous pane",
                ToggleEntities => "show or hide entities",
                NextMatch => "next hit or mention",
                PrevMatch => "previous hit or mention",
                Search => "search the article (filter the list)",
                Clear => "clear highlights",
                Bookmark => "bookmark the paragraph",
                Bookmarks => "bookmarks",
                ToggleRead => "toggle read",
                Redraw => "redraw",
                Suspend => "suspend (fg to resume)",
                Copy => "copy the paragraph or name",
                OpenSource => "open the article's source (or show it over SSH)",
                Help => "help",
            },
        }
    }

    /// A number in this language's digits (Arabic-Indic for Arabic).
    pub fn number(self, n: usize) -> String {
        let s = n.to_string();
        match self {
            Lang::En => s,
            Lang::Ar => s
                .chars()
                .map(|c| char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c))
                .collect(),
        }
    }

    /// Every ASCII digit of `text` in this language's digits.
    pub fn number_text(self, text: &str) -> String {
        match self {
            Lang::En => text.to_string(),
            Lang::Ar => text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32('٠' as u32 + d).unwrap_or(c),
                    None => c,
                })
                .collect(),
        }
    }

    /// `3/12 25%` or `٣/١٢ ٢٥٪` (logical order; the engine lays it out).
    pub fn progress(self, current: usize, total: usize, percent: usize) -> String {
        match self {
            Lang::En => format!("{current}/{total} {percent}%"),
            Lang::Ar => format!(
                "{}/{} {}٪",
                self.number(current),
                self.number(total),
                self.number(percent)
            ),
        }
    }
}

/// Whether a text is mostly Arabic letters (decides the automatic language).
pub fn looks_arabic(text: &str) -> bool {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => arabic += 1,
            c if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    arabic > 0 && arabic >= latin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_digits() {
        assert_eq!(Lang::Ar.number(3), "٣");
        assert_eq!(Lang::Ar.number(120), "١٢٠");
        assert_eq!(Lang::En.progress(3, 12, 25), "3/12 25%");
        assert!(looks_arabic("وزير الخارجية"));
        assert!(!looks_arabic("Foreign minister"));
    }
}
