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

use qari::layout::{layout_paragraph, BaseDirection, LayoutOptions, TextLines};

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

/// CPU time of this thread (nanoseconds, from /proc/thread-self/schedstat)
/// and of the waited-for children (clock ticks, from /proc/self/stat), on
/// Linux; `None` elsewhere. On a shared machine wall time mostly measures
/// the neighbours, so CPU time is the main figure.
fn cpu_times() -> Option<(Duration, Duration)> {
    let sched = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let own = Duration::from_nanos(sched.split(' ').next()?.parse().ok()?);
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): 16 is cutime,
    // 17 cstime, in clock ticks (USER_HZ is 100 on Linux).
    let rest = &stat[stat.rfind(')')? + 2..];
    let ticks: u64 = rest
        .split(' ')
        .skip(13)
        .take(2)
        .map(|x| x.parse::<u64>().unwrap_or(0))
        .sum();
    Some((own, Duration::from_millis(ticks * 10)))
}

/// Wall and CPU time of one call of `f`, averaged over `times` calls; CPU
/// time counts children when `children`.
fn measure(children: bool, times: u32, mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    let before = cpu_times();
    let start = Instant::now();
    for _ in 0..times {
        f();
    }
    let wall = start.elapsed() / times;
    let cpu = match (before, cpu_times()) {
        (Some(b), Some(a)) if children => Some((a.1 - b.1) / times),
        (Some(b), Some(a)) => Some((a.0 - b.0) / times),
        _ => None,
    };
    (wall, cpu)
}

#[derive(Default)]
struct Best {
    wall: Option<Duration>,
    cpu: Option<Duration>,
}

impl Best {
    fn add(&mut self, (wall, cpu): (Duration, Option<Duration>)) {
        self.wall = Some(self.wall.map_or(wall, |w| w.min(wall)));
        if let Some(cpu) = cpu {
            self.cpu = Some(self.cpu.map_or(cpu, |c| c.min(cpu)));
        }
    }

    fn report(&self, name: &str, bytes: usize) {
        let (Some(wall), cpu) = (self.wall, self.cpu) else {
            println!("{name:<24} did not run");
            return;
        };
        match cpu {
            Some(cpu) if !cpu.is_zero() => println!(
                "{name:<24} {:7.2} MB/s CPU ({:.3} s)   {:7.2} MB/s wall ({:.3} s)",
                mb_per_s(bytes, cpu),
                cpu.as_secs_f64(),
                mb_per_s(bytes, wall),
                wall.as_secs_f64()
            ),
            _ => println!(
                "{name:<24} {:7.2} MB/s wall ({:.3} s)",
                mb_per_s(bytes, wall),
                wall.as_secs_f64()
            ),
        }
    }

    fn main_figure(&self) -> Option<Duration> {
        self.cpu.filter(|c| !c.is_zero()).or(self.wall)
    }
}

const ROUNDS: usize = 5;

fn main() {
    let paragraphs = corpus(4 * 1024 * 1024 + 1);
    let text: String = paragraphs.iter().map(|p| format!("{p}\n")).collect();
    let bytes = text.len();
    let options = LayoutOptions::default();
    println!(
        "render benchmark: {:.2} MB of Arabic text, {} paragraphs, width 80, best of {ROUNDS} \
         alternating rounds",
        bytes as f64 / 1e6,
        paragraphs.len()
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("corpus.txt");
    std::fs::write(&path, &text).expect("write corpus");
    let run = |program: &str, args: &[&str]| -> bool {
        Command::new(program)
            .args(args)
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let qari_bin = env!("CARGO_BIN_EXE_qari");
    let has_fribidi = run("fribidi", &["--width", "80"]);

    let (mut engine, mut cli, mut fribidi) = (Best::default(), Best::default(), Best::default());
    let mut text_lines = Best::default();
    let mut lines = 0;
    for _ in 0..ROUNDS {
        // The engine's text lines written out as `qari render` does.
        text_lines.add(measure(false, 1, || {
            let mut out = String::with_capacity(bytes * 2);
            let mut engine = TextLines::new();
            for p in &paragraphs {
                let _ = engine.paragraph(p, 80, BaseDirection::Auto, &options, |indent, line| {
                    writeln!(out, "{:1$}{line}", "", indent)
                });
            }
            black_box(&out);
        }));
        // The whole visual lines (column map, styled segments), as the
        // reader lays paragraphs out.
        engine.add(measure(false, 1, || {
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
        }));
        cli.add(measure(true, 4, || {
            run(qari_bin, &["render", "--raw", "--width", "80"]);
        }));
        if has_fribidi {
            fribidi.add(measure(true, 4, || {
                run("fribidi", &["--width", "80"]);
            }));
        }
    }
    println!("({lines} lines of output)");
    text_lines.report("qari engine, text lines", bytes);
    engine.report("qari layout engine", bytes);
    cli.report("qari render --raw", bytes);
    if has_fribidi {
        fribidi.report("fribidi --width 80", bytes);
        if let (Some(q), Some(f)) = (text_lines.main_figure(), fribidi.main_figure()) {
            println!(
                "qari engine vs fribidi:  {:.2}× FriBidi's speed",
                f.as_secs_f64() / q.as_secs_f64()
            );
        }
    } else {
        println!("fribidi --width 80       not installed (apt-get install libfribidi-bin)");
    }
}
