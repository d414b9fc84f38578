//! Golden renders of Arabic (and Hebrew, Persian, Urdu) sentences written
//! for these tests.
//!
//! The single-line shaped goldens were checked once against GNU FriBidi
//! 1.0.8: `fribidi --nobreak --nopad --reordernsm [--rtl|--ltr]`, with the
//! U+FEFF filler FriBidi writes after each lam-alef ligature and the
//! formatting characters it keeps removed. All agree except where noted:
//! qari also ligates lam-alef with a haraka between (`لَا`), which FriBidi
//! leaves unligated, and draws a lone haraka on a dotted circle.
//!
//! The wrapped goldens cannot be checked that way (FriBidi's `--width`
//! reorders the whole paragraph before cutting it); each of their lines was
//! checked by reading, in logical order, against the sentence.

use qari::layout::{
    layout_line_truncated, layout_paragraph, BaseDirection, Cluster, LayoutOptions, StyleSpan,
    VisualLine,
};

fn text_of(line: &VisualLine) -> String {
    line.segments.iter().map(|s| s.text.as_str()).collect()
}

/// The content of a one-line paragraph (no indent), shaped and mirrored.
fn one_line(text: &str, dir: BaseDirection) -> String {
    let layout = layout_paragraph(text, 10_000, dir, &[], &LayoutOptions::default());
    assert_eq!(layout.lines.len(), 1);
    text_of(&layout.lines[0])
}

/// Lines as a terminal shows them, indent included.
fn screen(text: &str, width: usize, dir: BaseDirection, options: &LayoutOptions) -> Vec<String> {
    layout_paragraph(text, width, dir, &[], options)
        .lines
        .iter()
        .map(|l| format!("{}{}", " ".repeat(l.indent), text_of(l)))
        .collect()
}

fn unshaped() -> LayoutOptions {
    LayoutOptions {
        shape: false,
        ..LayoutOptions::default()
    }
}

#[test]
fn full_harakat_and_shadda() {
    assert_eq!(
        one_line("ذَهَبَ مُحَمَّدٌ إِلَى المَدْرَسَةِ صَبَاحًا", BaseDirection::Auto),
        "ﺎﺣًﺎﺒَﺻَ ﺔِﺳَﺭَﺪْﻤَﻟﺍ ﻰﻟَﺇِ ﺪٌﻤَّﺤَﻣُ ﺐَﻫَﺫَ"
    );
}

#[test]
fn lam_alef_ligatures() {
    assert_eq!(
        one_line(
            "السلام عليكم يا أصدقاء، ولا أحد يعلم الأخبار والإعلان",
            BaseDirection::Auto
        ),
        "ﻥﻼﻋﻹﺍﻭ ﺭﺎﺒﺧﻷﺍ ﻢﻠﻌﻳ ﺪﺣﺃ ﻻﻭ ،ءﺎﻗﺪﺻﺃ ﺎﻳ ﻢﻜﻴﻠﻋ ﻡﻼﺴﻟﺍ"
    );
}

/// FriBidi differs here on purpose: it gives "ﺎﻟَ" (no ligature).
#[test]
fn lam_alef_with_a_haraka_between() {
    assert_eq!(one_line("لَا أَعْلَمُ", BaseDirection::Auto), "ﻢُﻠَﻋْﺃَ ﻻَ");
}

/// A haraka on the alef of a lam-alef is written after the ligature, on
/// its cell (these three lost it once). As FriBidi.
#[test]
fn harakat_on_the_alef_of_a_lam_alef_stay() {
    assert_eq!(one_line("الأُمم", BaseDirection::Auto), "ﻢﻣﻷُﺍ");
    assert_eq!(one_line("الإِسلام", BaseDirection::Auto), "ﻡﻼﺳﻹِﺍ");
    assert_eq!(one_line("لِلأَولاد", BaseDirection::Auto), "ﺩﻻﻭﻸَﻟِ");
    // Fully vocalized; FriBidi leaves لَا unligated (see above).
    assert_eq!(
        one_line("قَرَأْتُ لِلأَوْلَادِ قِصَّةَ الأَسَدِ", BaseDirection::Auto),
        "ﺪِﺳَﻷَﺍ ﺔَﺼَّﻗِ ﺩِﻻَﻭْﻸَﻟِ ﺕُﺃْﺮَﻗَ"
    );
}

#[test]
fn tatweel() {
    assert_eq!(
        one_line("الـعـربـيـة جمـيـلـة", BaseDirection::Auto),
        "ﺔـﻠـﻴـﻤﺟ ﺔـﻴـﺑﺮـﻌـﻟﺍ"
    );
}

#[test]
fn zwj_forces_joining() {
    assert_eq!(
        one_line("ب\u{200D} \u{200D}ب\u{200D} \u{200D}ب", BaseDirection::Auto),
        "ﺐ ﺒ ﺑ"
    );
}

#[test]
fn zwnj_breaks_joining_in_persian() {
    assert_eq!(
        one_line("می\u{200C}خواهم کتاب بخوانم", BaseDirection::Auto),
        "ﻢﻧﺍﻮﺨﺑ ﺏﺎﺘﮐ ﻢﻫﺍﻮﺧﯽﻣ"
    );
}

#[test]
fn european_digits_and_percent() {
    assert_eq!(
        one_line("بلغت نسبة التضخم 25% في عام 2024", BaseDirection::Auto),
        "2024 ﻡﺎﻋ ﻲﻓ %25 ﻢﺨﻀﺘﻟﺍ ﺔﺒﺴﻧ ﺖﻐﻠﺑ"
    );
}

#[test]
fn arabic_indic_digits_decimal_and_percent() {
    assert_eq!(
        one_line(
            "بلغ العجز ٣٫٥ مليار دولار، أي ٢٥٪ من الناتج",
            BaseDirection::Auto
        ),
        "ﺞﺗﺎﻨﻟﺍ ﻦﻣ ٪٢٥ ﻱﺃ ،ﺭﻻﻭﺩ ﺭﺎﻴﻠﻣ ٣٫٥ ﺰﺠﻌﻟﺍ ﻎﻠﺑ"
    );
}

#[test]
fn decimals_and_currency() {
    assert_eq!(
        one_line(
            "ارتفع السعر إلى 3.5 مليار دولار ($3.5bn) و€20 للسهم",
            BaseDirection::Auto
        ),
        "ﻢﻬﺴﻠﻟ 20€ﻭ (3.5bn$) ﺭﻻﻭﺩ ﺭﺎﻴﻠﻣ 3.5 ﻰﻟﺇ ﺮﻌﺴﻟﺍ ﻊﻔﺗﺭﺍ"
    );
}

#[test]
fn dates() {
    assert_eq!(
        one_line("في 22/11/2024 أعلنت الوزارة النتائج", BaseDirection::Auto),
        "ﺞﺋﺎﺘﻨﻟﺍ ﺓﺭﺍﺯﻮﻟﺍ ﺖﻨﻠﻋﺃ 22/11/2024 ﻲﻓ"
    );
}

#[test]
fn brackets_guillemets_and_quotes() {
    assert_eq!(
        one_line(
            "قال الوزير «نحن مستعدون» (بحسب الوكالة) إن “الوضع مستقر”",
            BaseDirection::Auto
        ),
        "”ﺮﻘﺘﺴﻣ ﻊﺿﻮﻟﺍ“ ﻥﺇ (ﺔﻟﺎﻛﻮﻟﺍ ﺐﺴﺤﺑ) «ﻥﻭﺪﻌﺘﺴﻣ ﻦﺤﻧ» ﺮﻳﺯﻮﻟﺍ ﻝﺎﻗ"
    );
}

#[test]
fn english_words_inside_arabic() {
    assert_eq!(
        one_line(
            "أعلنت شركة Apple عن جهاز iPhone الجديد",
            BaseDirection::Auto
        ),
        "ﺪﻳﺪﺠﻟﺍ iPhone ﺯﺎﻬﺟ ﻦﻋ Apple ﺔﻛﺮﺷ ﺖﻨﻠﻋﺃ"
    );
}

#[test]
fn email_and_url_inside_arabic() {
    assert_eq!(
        one_line(
            "راسلونا على news@example.com أو زوروا https://example.com/ar/news?id=5",
            BaseDirection::Auto
        ),
        "https://example.com/ar/news?id=5 ﺍﻭﺭﻭﺯ ﻭﺃ news@example.com ﻰﻠﻋ ﺎﻧﻮﻠﺳﺍﺭ"
    );
}

#[test]
fn paragraph_starting_with_a_digit() {
    assert_eq!(
        one_line("2024 كان عاماً صعباً على الاقتصاد", BaseDirection::Auto),
        "ﺩﺎﺼﺘﻗﻻﺍ ﻰﻠﻋ ﺎًﺒﻌﺻ ﺎًﻣﺎﻋ ﻥﺎﻛ 2024"
    );
}

/// UAX #9 P2–P3: the first strong character is Latin, so the paragraph is
/// left-to-right (flush left) unless the caller forces RTL.
#[test]
fn paragraph_starting_with_an_english_word() {
    assert_eq!(
        one_line("BBC: قالت الهيئة إن البث سيستمر", BaseDirection::Auto),
        "BBC: ﺮﻤﺘﺴﻴﺳ ﺚﺒﻟﺍ ﻥﺇ ﺔﺌﻴﻬﻟﺍ ﺖﻟﺎﻗ"
    );
}

#[test]
fn paragraph_starting_with_an_english_word_forced_rtl() {
    assert_eq!(
        one_line("BBC: قالت الهيئة إن البث سيستمر", BaseDirection::Rtl),
        "ﺮﻤﺘﺴﻴﺳ ﺚﺒﻟﺍ ﻥﺇ ﺔﺌﻴﻬﻟﺍ ﺖﻟﺎﻗ :BBC"
    );
}

#[test]
fn hebrew_with_niqqud() {
    assert_eq!(
        one_line("שָׁלוֹם עוֹלָם, מַה שְּׁלוֹמְךָ?", BaseDirection::Auto),
        "?ךָמְוֹלשְּׁ המַ ,םלָוֹע םוֹלשָׁ"
    );
}

#[test]
fn persian_letters() {
    assert_eq!(
        one_line("پدر و مادر چه گفتند؟ ژاله گفت یک کتاب", BaseDirection::Auto),
        "ﺏﺎﺘﮐ ﮏﯾ ﺖﻔﮔ ﻪﻟﺍﮊ ؟ﺪﻨﺘﻔﮔ ﻪﭼ ﺭﺩﺎﻣ ﻭ ﺭﺪﭘ"
    );
}

#[test]
fn urdu_letters() {
    assert_eq!(
        one_line("یہ اردو زبان ہے اور ٹھیک ہے", BaseDirection::Auto),
        "ﮯﮨ ﮏﯿﮭﭨ ﺭﻭﺍ ﮯﮨ ﻥﺎﺑﺯ ﻭﺩﺭﺍ ﮧﯾ"
    );
}

const REPORT: &str = "قال المتحدث باسم الوزارة في 22/11/2024 إن نسبة النمو بلغت 3.5% خلال الربع الثالث، وفق تقرير نشره موقع https://example.com/ar (بالإنجليزية: Ministry of Economy).";

#[test]
fn wrapped_paragraph_reads_line_after_line() {
    assert_eq!(
        screen(REPORT, 30, BaseDirection::Auto, &LayoutOptions::default()),
        [
            "   ﻲﻓ ﺓﺭﺍﺯﻮﻟﺍ ﻢﺳﺎﺑ ﺙﺪﺤﺘﻤﻟﺍ ﻝﺎﻗ",
            " ﺖﻐﻠﺑ ﻮﻤﻨﻟﺍ ﺔﺒﺴﻧ ﻥﺇ 22/11/2024",
            "    ﻖﻓﻭ ،ﺚﻟﺎﺜﻟﺍ ﻊﺑﺮﻟﺍ ﻝﻼﺧ %3.5",
            "      https:// ﻊﻗﻮﻣ ﻩﺮﺸﻧ ﺮﻳﺮﻘﺗ",
            "   :ﺔﻳﺰﻴﻠﺠﻧﻹﺎﺑ) example.com/ar",
            "         .(Ministry of Economy",
        ]
    );
}

/// The bracket pair spans two lines; its levels come from the whole
/// paragraph, so each half is still mirrored.
#[test]
fn wrapped_narrow() {
    assert_eq!(
        screen(REPORT, 16, BaseDirection::Auto, &LayoutOptions::default()),
        [
            "ﻢﺳﺎﺑ ﺙﺪﺤﺘﻤﻟﺍ ﻝﺎﻗ",
            "      ﻲﻓ ﺓﺭﺍﺯﻮﻟﺍ",
            "   ﻥﺇ 22/11/2024",
            " ﺖﻐﻠﺑ ﻮﻤﻨﻟﺍ ﺔﺒﺴﻧ",
            "  ﻊﺑﺮﻟﺍ ﻝﻼﺧ %3.5",
            "     ﻖﻓﻭ ،ﺚﻟﺎﺜﻟﺍ",
            " ﻊﻗﻮﻣ ﻩﺮﺸﻧ ﺮﻳﺮﻘﺗ",
            "        https://",
            "  example.com/ar",
            "    :ﺔﻳﺰﻴﻠﺠﻧﻹﺎﺑ)",
            "     Ministry of",
            "       .(Economy",
        ]
    );
}

#[test]
fn forced_ltr_is_flush_left() {
    assert_eq!(
        screen(
            "قال (نعم) 25%",
            20,
            BaseDirection::Ltr,
            &LayoutOptions::default()
        ),
        // "25" follows Arabic letters, so it is an Arabic number (W2) and
        // the "%" after it is neutral, taking the paragraph's direction.
        // Checked against `fribidi --ltr`.
        ["25 (ﻢﻌﻧ) ﻝﺎﻗ%"]
    );
}

/// A lam-alef ligature is one cell when wrapping: "سلام" is three cells.
#[test]
fn width_one_shows_one_cluster_per_line() {
    assert_eq!(
        screen("لا سلام", 1, BaseDirection::Auto, &LayoutOptions::default()),
        ["ﻻ", "ﺳ", "ﻼ", "ﻡ"]
    );
    assert_eq!(
        screen("لا سلام", 1, BaseDirection::Auto, &unshaped()),
        ["ل", "ا", "س", "ل", "ا", "م"]
    );
}

#[test]
fn word_longer_than_the_width_is_split_between_clusters() {
    assert_eq!(
        screen(
            "الاستراتيجيات",
            5,
            BaseDirection::Auto,
            &LayoutOptions::default()
        ),
        ["ﺮﺘﺳﻻﺍ", "ﻴﺠﻴﺗﺍ", "   ﺕﺎ"]
    );
    // Harakat never end up on a line of their own.
    assert_eq!(
        screen("مُحَمَّدٌ", 2, BaseDirection::Auto, &unshaped()),
        ["حَمُ", "دٌمَّ"]
    );
}

#[test]
fn width_ten_thousand_aligns_right() {
    let layout = layout_paragraph(
        "سلام",
        10_000,
        BaseDirection::Auto,
        &[],
        &LayoutOptions::default(),
    );
    let line = &layout.lines[0];
    assert_eq!((line.indent, line.width), (9_997, 3));
    assert_eq!(text_of(line), "ﻡﻼﺳ");
}

#[test]
fn unshaped_text_keeps_nominal_letters_and_two_cells_for_lam_alef() {
    assert_eq!(
        screen("مُحَمَّدٌ لا", 100, BaseDirection::Auto, &unshaped())[0].trim_start(),
        "ال دٌمَّحَمُ"
    );
    let layout = layout_paragraph("لا", 10, BaseDirection::Auto, &[], &unshaped());
    assert_eq!(layout.lines[0].width, 2);
}

#[test]
fn lam_alef_ligature_cluster_covers_both_letters() {
    let text = "ولا";
    let layout = layout_paragraph(
        text,
        10,
        BaseDirection::Auto,
        &[],
        &LayoutOptions::default(),
    );
    let line = &layout.lines[0];
    // Waw does not join forward, so the ligature is the isolated one.
    assert_eq!(text_of(line), "ﻻﻭ");
    assert_eq!(
        line.clusters,
        [
            Cluster {
                col: 8,
                width: 1,
                source: 2..6
            },
            Cluster {
                col: 9,
                width: 1,
                source: 0..2
            },
        ]
    );
    assert_eq!(line.source_at(8), Some(2..6));
    assert_eq!(line.col_of(4), Some(8));
}

/// A haraka with no letter before it stays visible, on a dotted circle, and
/// is in the column map.
#[test]
fn lone_haraka_at_the_start_is_drawn_on_a_dotted_circle() {
    let text = "\u{064E}ب";
    for options in [LayoutOptions::default(), unshaped()] {
        let layout = layout_paragraph(text, 10, BaseDirection::Auto, &[], &options);
        let line = &layout.lines[0];
        assert_eq!(line.width, 2);
        let shown = text_of(line);
        assert!(shown.ends_with("\u{25CC}\u{064E}"), "{shown:?}");
        assert_eq!(line.clusters[1].source, 0..2);
        assert_eq!(line.clusters[0].source, 2..4);
    }
}

#[test]
fn formatting_characters_steer_but_are_not_written() {
    // After RLM the digits are European (no Arabic letter is the last
    // strong character), so "5%" reads left to right; after ALM they are
    // Arabic. Checked against FriBidi with its formatting characters removed.
    let text = "نسبة \u{200F}5%\u{200F} و\u{061C}12 ok \u{2067}abc def\u{2069}.";
    let shown = one_line(text, BaseDirection::Auto);
    assert!(!shown.chars().any(qari::text::is_bidi_format), "{shown:?}");
    assert_eq!(shown, ".abc def ok 12ﻭ 5% ﺔﺒﺴﻧ");
}

#[test]
fn controls_are_removed_and_tabs_become_spaces() {
    let text = "خبر\u{1b}[31m\u{7}\tعاجل\r\n";
    assert_eq!(one_line(text, BaseDirection::Auto), "ﻞﺟﺎﻋ    31m]ﺮﺒﺧ");
}

#[test]
fn mirroring_can_be_turned_off() {
    let options = LayoutOptions {
        mirror: false,
        ..LayoutOptions::default()
    };
    assert_eq!(
        screen("«نعم» (لا)", 10, BaseDirection::Auto, &options),
        [" )ﻻ( »ﻢﻌﻧ«"]
    );
    assert_eq!(one_line("«نعم» (لا)", BaseDirection::Auto), "(ﻻ) «ﻢﻌﻧ»");
}

#[test]
fn styles_follow_their_words_after_reordering() {
    let text = "أعلنت شركة Apple عن جهاز iPhone الجديد";
    let company = text.find("شركة").unwrap();
    let apple = text.find("Apple").unwrap();
    let styles = [
        StyleSpan {
            range: company..apple + "Apple".len(),
            style: 1,
        },
        StyleSpan {
            range: apple..apple + "Apple".len(),
            style: 2,
        },
    ];
    let layout = layout_paragraph(
        text,
        100,
        BaseDirection::Auto,
        &styles,
        &LayoutOptions::default(),
    );
    let line = &layout.lines[0];
    let styled: Vec<(&str, Option<u16>)> = line
        .segments
        .iter()
        .map(|s| (s.text.as_str(), s.style))
        .collect();
    assert_eq!(
        styled,
        [
            ("ﺪﻳﺪﺠﻟﺍ iPhone ﺯﺎﻬﺟ ﻦﻋ ", None),
            ("Apple", Some(2)),
            (" ﺔﻛﺮﺷ", Some(1)),
            (" ﺖﻨﻠﻋﺃ", None),
        ]
    );
}

#[test]
fn truncated_rtl_title_has_its_ellipsis_on_the_left() {
    let title = "عنوان المقال عن الاقتصاد";
    let line = layout_line_truncated(
        title,
        12,
        BaseDirection::Auto,
        &[],
        &LayoutOptions::default(),
    );
    // Cut between grapheme clusters, like any text-overflow ellipsis.
    assert_eq!((line.indent, line.width), (0, 12));
    assert_eq!(text_of(&line), "…ﺎﻘﻤﻟﺍ ﻥﺍﻮﻨﻋ");
    assert_eq!(
        line.clusters[0].source,
        title.find("ل عن").unwrap()..title.len()
    );
    let line = layout_line_truncated(
        "Breaking news today",
        10,
        BaseDirection::Auto,
        &[],
        &LayoutOptions::default(),
    );
    assert_eq!(text_of(&line), "Breaking…");
    let line = layout_line_truncated(
        title,
        100,
        BaseDirection::Auto,
        &[],
        &LayoutOptions::default(),
    );
    assert_eq!(text_of(&line), "ﺩﺎﺼﺘﻗﻻﺍ ﻦﻋ ﻝﺎﻘﻤﻟﺍ ﻥﺍﻮﻨﻋ");
    // "الاقتصاد" holds a lam-alef ligature: 23 cells in all.
    assert_eq!(line.indent, 100 - 23);
}
