//! Speed of the NER core on a 5,000-word article: tokenizing, splitting into
//! sentences and CRF tagging every paragraph (what recognition costs before
//! grouping). Prints the figures.
//!
//!     cargo run --release --example bench_ner
//!
//! Target (issue 5): recognition of a 5,000-word article under 20 ms.

use std::time::{Duration, Instant};

use qari::entities::crf::Tagger;
use qari::entities::token::tokenize;

/// Sentences written for this benchmark (news register, varied names).
const SENTENCES: &[&str] = &[
    "وقال وزير الخارجية المصري في مؤتمر صحفي بالقاهرة إن المحادثات مع الجانب الأردني كانت مثمرة.",
    "وأعلنت وزارة المالية في الرياض أن عجز الموازنة تراجع خلال الربع الثالث بفضل ارتفاع أسعار النفط.",
    "واستقبل الرئيس التونسي قيس سعيد في قصر قرطاج وفدا من صندوق النقد الدولي برئاسة مديرة إدارة الشرق الأوسط.",
    "وشهدت مدينة حلب شمالي سوريا أمطارا غزيرة أدت إلى انقطاع الطرق بين الأحياء الشرقية والريف.",
    "وفاز فريق الوداد البيضاوي على ضيفه الترجي بهدفين مقابل هدف في ذهاب نصف نهائي دوري أبطال أفريقيا.",
    "وأكد الأمين العام للأمم المتحدة أنطونيو غوتيريش ضرورة إيصال المساعدات إلى قطاع غزة دون عوائق.",
    "ويعرض متحف اللوفر أبوظبي هذا الشتاء مجموعة من المخطوطات العربية النادرة القادمة من مكتبة الإسكندرية.",
    "ونقلت وكالة الأنباء الكويتية عن مسؤول في شركة نفط الكويت أن الإنتاج سيرتفع العام المقبل.",
    "وتوقع البنك الدولي أن يتباطأ النمو في منطقة الخليج بسبب خفض إنتاج أوبك بلس.",
    "وفي بيروت، دعا رئيس مجلس النواب نبيه بري الكتل النيابية إلى جلسة لانتخاب رئيس للجمهورية.",
];

fn article(words: usize) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut count = 0;
    let mut i = 0;
    while count < words {
        let mut p = String::new();
        for _ in 0..4 {
            let s = SENTENCES[i % SENTENCES.len()];
            i += 1;
            count += s.split_whitespace().count();
            if !p.is_empty() {
                p.push(' ');
            }
            p.push_str(s);
        }
        paragraphs.push(p);
    }
    paragraphs
}

/// CPU time this thread has run, from Linux's schedstat (nanoseconds), so
/// the figure means something on a loaded machine too. `None` elsewhere.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn main() {
    let paragraphs = article(5000);
    let words: usize = paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    let tokens: usize = paragraphs.iter().map(|p| tokenize(p).len()).sum();

    let started = Instant::now();
    let tagger = Tagger::builtin();
    let load = started.elapsed();

    let mut times: Vec<Duration> = Vec::new();
    let mut names = 0;
    let cpu_before = thread_cpu();
    for _ in 0..30 {
        let t = Instant::now();
        names = 0;
        for p in &paragraphs {
            names += tagger
                .tag_text(p)
                .iter()
                .filter(|(_, tag)| matches!(tag, qari::entities::crf::Tag::B(_)))
                .count();
        }
        times.push(t.elapsed());
    }
    let cpu = cpu_before.zip(thread_cpu()).map(|(a, b)| (b - a) / 30);
    times.sort();
    println!(
        "article: {} paragraphs, {words} words, {tokens} tokens; {names} names found",
        paragraphs.len()
    );
    println!("model load (once per process): {load:.1?}");
    println!(
        "tokenize + tag 5,000-word article: median {:.2?}, min {:.2?}, max {:.2?} (30 runs; target < 20 ms)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    if let Some(cpu) = cpu {
        println!("CPU time per article (mean of 30, immune to other load): {cpu:.2?}");
    }
}
