//! Every encoding qari reads, from bytes generated here from UTF-8 text.

use qari::article::{self, Rules};

const TEXT: &str = "الخميس 3 أكتوبر 2024\n\nرياضة\n\nالأهلي يفوز على الزمالك في نهائي الكأس\n\nفاز النادي الأهلي على الزمالك بهدفين مقابل هدف في المباراة التي أقيمت على استاد القاهرة الدولي.\n\nوسجل محمد مجدي أفشة هدف الفوز في الدقائق الأخيرة.\n";

fn import(bytes: &[u8]) -> article::Imported {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.txt");
    std::fs::write(&p, bytes).unwrap();
    article::open_detailed(&p, Rules::builtin()).unwrap_or_else(|e| panic!("{e}"))
}

fn check(imp: &article::Imported, encoding: &str) {
    assert_eq!(imp.encoding, encoding);
    let a = &imp.article;
    assert_eq!(a.title, "الأهلي يفوز على الزمالك في نهائي الكأس");
    assert_eq!(a.date.as_deref(), Some("2024-10-03"));
    assert_eq!(a.section.as_deref(), Some("رياضة"));
    assert_eq!(a.paragraphs.len(), 2);
    assert_eq!(
        a.paragraphs[1].text,
        "وسجل محمد مجدي أفشة هدف الفوز في الدقائق الأخيرة."
    );
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
}

#[test]
fn utf8_plain_and_with_bom() {
    check(&import(TEXT.as_bytes()), "UTF-8");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(TEXT.as_bytes());
    let imp = import(&bom);
    check(&imp, "UTF-8");
    assert!(!imp.article.title.starts_with('\u{FEFF}'));
}

#[test]
fn utf16_le_and_be_with_bom() {
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in TEXT.encode_utf16() {
        le.extend(u.to_le_bytes());
        be.extend(u.to_be_bytes());
    }
    check(&import(&le), "UTF-16LE");
    check(&import(&be), "UTF-16BE");
}

#[test]
fn windows_1256_is_detected() {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(TEXT);
    assert!(!unmappable);
    check(&import(&bytes), "windows-1256");
}

#[test]
fn iso_8859_6_is_detected() {
    // ISO-8859-6 has no alef with hamza below or other letters this text
    // avoids; the text is plain enough for it.
    let text = "العالم\n\nالامم المتحدة تدعو الى وقف اطلاق النار في السودان\n\nدعا الامين العام للامم المتحدة انطونيو غوتيريش الى وقف فوري لاطلاق النار في السودان وحماية المدنيين في الخرطوم ودارفور.\n\nوقال في بيان ان الوضع الانساني يزداد سوءا كل يوم.\n";
    let (bytes, _, unmappable) = encoding_rs::ISO_8859_6.encode(text);
    assert!(!unmappable);
    let (as_1256, _, _) = encoding_rs::WINDOWS_1256.encode(text);
    assert_ne!(
        bytes, as_1256,
        "the two encodings must differ for this test to mean anything"
    );
    let imp = import(&bytes);
    assert_eq!(imp.encoding, "ISO-8859-6");
    assert_eq!(
        imp.article.title,
        "الامم المتحدة تدعو الى وقف اطلاق النار في السودان"
    );
    assert_eq!(imp.article.section.as_deref(), Some("العالم"));
    assert_eq!(imp.article.paragraphs.len(), 2);
}

#[test]
fn crlf_and_lone_cr() {
    check(&import(TEXT.replace('\n', "\r\n").as_bytes()), "UTF-8");
    let imp = import(TEXT.replace('\n', "\r").as_bytes());
    check(&imp, "UTF-8");
    assert!(imp
        .article
        .paragraphs
        .iter()
        .all(|p| !p.text.contains('\r')));
}

#[test]
fn invalid_utf8_keeps_the_text_and_warns() {
    let mut bytes = TEXT.as_bytes().to_vec();
    let at = TEXT.find("وسجل").unwrap();
    bytes.insert(at, 0xC3); // a lead byte with no continuation
    let imp = import(&bytes);
    assert_eq!(imp.encoding, "UTF-8");
    assert_eq!(imp.article.title, "الأهلي يفوز على الزمالك في نهائي الكأس");
    assert!(imp.article.paragraphs[1].text.starts_with('\u{FFFD}'));
    assert_eq!(imp.warnings.len(), 1);
    assert!(imp.warnings[0].contains("replaced"), "{:?}", imp.warnings);
}
