//! Render ≥ 4 MB of Arabic news-style text at width 80 and print MB/s for
//! qari's layout engine, for the `qari render` binary, and for GNU FriBidi's
//! CLI (`fribidi --width 80`) on the same text in the same run.
//!
//! `cargo bench --bench render`. The text is generated from sentences
//! written for this benchmark (deterministic mix), one paragraph per line.

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use qari::layout::{layout_paragraph, BaseDirection, LayoutOptions};

const SENTENCES: &[&str] = &[
    "قال المتحدث باسم الوزارة في مؤتمر صحفي إن نسبة النمو بلغت 3.5% خلال الربع الثالث.",
    "وأضاف أن الحكومة تعمل على خطة جديدة لدعم الشركات الصغيرة والمتوسطة في المدن والقرى.",
    "ارتفعت أسعار النفط إلى 82 دولاراً للبرميل (بحسب وكالة الطاقة الدولية) يوم الإثنين.",
    "وأعلنت شركة Apple عن جهاز iPhone الجديد في حفل أقيم في 22/11/2024 بحضور الصحفيين.",
    "بلغ العجز ٣٫٥ مليار دولار، أي ما يعادل ٢٥٪ من الناتج المحلي الإجمالي للبلاد.",
    "قال الوزير «نحن مستعدون لكل الاحتمالات» وأكد أن “الوضع مستقر” رغم التحديات.",
    "لَا يَزَالُ المُوَاطِنُونَ يَنْتَظِرُونَ قَرَارَ المَجْلِسِ بِشَأْنِ الأُجُورِ وَالأَسْعَارِ.",
    "للمزيد من المعلومات راسلونا على news@example.com أو زوروا https://example.com/ar/news.",
    "وشهدت العاصمة أمطاراً غزيرة أدت إلى إغلاق عدد من الطرق الرئيسية والمدارس.",
    "وأشار التقرير إلى أن الاستثمارات الأجنبية المباشرة تضاعفت خلال السنوات الخمس الأخيرة.",
    "ومن المتوقع أن يصل عدد الزوار إلى 1.2 مليون زائر هذا العام، بزيادة 15% عن العام الماضي.",
    "وفي سياق متصل، اجتمع رئيس الوزراء مع ممثلي النقابات لبحث مطالب العمال.",
];

/// About `target` bytes of paragraphs, each 3 to 8 sentences.
fn corpus(target: usize) -> Vec<String> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut paragraphs = Vec::new();
    let mut total = 0;
    while total < target {
        let n = 3 + (next() % 6) as usize;
        let mut p = String::new();
        for i in 0..n {
            if i > 0 {
                p.push(' ');
            }
            p.push_str(SENTENCES[(next() % SENTENCES.len() as u64) as usize]);
        }
        total += p.len() + 1;
        paragraphs.push(p);
    }
    paragraphs
}

fn mb_per_s(bytes: usize, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

fn best_of<F: FnMut() -> Duration>(runs: usize, mut f: F) -> Duration {
    (0..runs).map(|_| f()).min().unwrap()
}

fn main() {
    let paragraphs = corpus(4 * 1024 * 1024 + 1);
    let text: String = paragraphs.iter().map(|p| format!("{p}\n")).collect();
    let bytes = text.len();
    let options = LayoutOptions::default();
    println!(
        "render benchmark: {:.2} MB of Arabic text, {} paragraphs, width 80",
        bytes as f64 / 1e6,
        paragraphs.len()
    );

    // The engine, writing the visual lines out as `qari render` does.
    let mut lines = 0;
    let engine = best_of(3, || {
        let start = Instant::now();
        let mut out = String::with_capacity(bytes * 2);
        lines = 0;
        for p in &paragraphs {
            let layout = layout_paragraph(p, 80, BaseDirection::Auto, &[], &options);
            for line in &layout.lines {
                let _ = write!(out, "{:1$}", "", line.indent);
                for seg in &line.segments {
                    out.push_str(&seg.text);
                }
                out.push('\n');
                lines += 1;
            }
        }
        black_box(&out);
        start.elapsed()
    });
    println!(
        "qari layout engine       {:8.2} MB/s  ({lines} lines, best of 3: {:.3} s)",
        mb_per_s(bytes, engine),
        engine.as_secs_f64()
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("corpus.txt");
    std::fs::write(&path, &text).expect("write corpus");
    // Whole processes, best of 3; `None` if the program is missing or fails.
    let run = |program: &str, args: &[&str]| -> Option<Duration> {
        let mut best: Option<Duration> = None;
        for _ in 0..3 {
            let start = Instant::now();
            let status = Command::new(program)
                .args(args)
                .arg(&path)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .ok()?;
            if !status.success() {
                return None;
            }
            let t = start.elapsed();
            best = Some(best.map_or(t, |b| b.min(t)));
        }
        best
    };

    let qari_bin = env!("CARGO_BIN_EXE_qari");
    match run(qari_bin, &["render", "--raw", "--width", "80"]) {
        Some(t) => println!(
            "qari render --raw        {:8.2} MB/s  (whole process, best of 3: {:.3} s)",
            mb_per_s(bytes, t),
            t.as_secs_f64()
        ),
        None => println!("qari render --raw        failed to run"),
    }
    match run("fribidi", &["--width", "80"]) {
        Some(t) => {
            println!(
                "fribidi --width 80       {:8.2} MB/s  (whole process, best of 3: {:.3} s)",
                mb_per_s(bytes, t),
                t.as_secs_f64()
            );
            println!(
                "qari engine / fribidi:   {:.2}×",
                t.as_secs_f64() / engine.as_secs_f64()
            );
        }
        None => println!("fribidi --width 80       not installed (apt-get install libfribidi-bin)"),
    }
}
