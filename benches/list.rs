//! `qari list` on 10,000 generated articles: cold cache (every file
//! imported) and warm cache (no bodies read), beside the time it takes just
//! to open every file and read its first 4 KiB. Target: the warm listing is
//! faster than reading those heads.
//!
//! Run: `cargo bench --bench list` (set QARI_BENCH_N to change the count).
//! Prints a table; nothing is asserted (speed targets live here, not in
//! timed tests).

use qari::article::{Library, Rules};
use qari::store::Dirs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SECTIONS: &[&str] = &[
    "العالم",
    "اقتصاد",
    "رياضة",
    "سياسة",
    "ثقافة",
    "فن",
    "محافظات",
    "حوادث",
];
const MONTHS: &[&str] = &[
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
const SUBJECTS: &[&str] = &[
    "وزير الخارجية",
    "البنك المركزي",
    "منتخب مصر",
    "الأمم المتحدة",
    "محافظ القاهرة",
    "رئيس الوزراء",
    "شركة أرامكو",
    "الاتحاد الأفريقي",
    "جامعة الدول العربية",
    "وزارة الصحة",
];
const VERBS: &[&str] = &[
    "يبحث",
    "يعلن",
    "يناقش",
    "يفتتح",
    "يستقبل",
    "يحذر من",
    "يدعم",
    "يراجع",
];
const OBJECTS: &[&str] = &[
    "خطة جديدة للنقل في الإسكندرية",
    "أسعار الوقود",
    "مشروعات الطاقة الشمسية في أسوان",
    "التعاون مع الأردن",
    "أزمة المياه",
    "نتائج الربع الثالث",
    "مهرجان الموسيقى العربية",
    "استعدادات الموسم الجديد",
    "التبادل التجاري مع السعودية",
    "تطوير ميناء دمياط",
];
const BODY: &[&str] = &[
    "وقال مسؤول في الوزارة إن العمل يسير وفق الجدول الزمني المحدد، وإن المرحلة الأولى ستنتهي قبل نهاية العام.",
    "وأضاف أن الحكومة تتابع التطورات عن كثب بالتنسيق مع الجهات المعنية في المحافظات كافة.",
    "وأشار تقرير صادر عن البنك الدولي إلى أن معدلات النمو ستتحسن تدريجيا خلال العامين المقبلين.",
    "من جهتها، طالبت منظمات المجتمع المدني بمزيد من الشفافية في نشر البيانات المتعلقة بالمشروع.",
    "ويأتي ذلك في وقت تشهد فيه المنطقة تحديات اقتصادية متزايدة بسبب ارتفاع أسعار الطاقة والغذاء.",
    "وأكد المتحدث الرسمي أن الاجتماعات ستستأنف الأسبوع المقبل في العاصمة بمشاركة خبراء دوليين.",
];

/// A tiny deterministic generator (the bench must not depend on a seed crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.next() % v.len()]
    }
}

fn generate(dir: &Path, n: usize) {
    let mut r = Lcg(42);
    for i in 0..n {
        let sub = dir.join(format!("{:03}", i / 500));
        std::fs::create_dir_all(&sub).unwrap();
        let title = format!("{} {} {}", r.pick(SUBJECTS), r.pick(VERBS), r.pick(OBJECTS));
        let section = r.pick(SECTIONS);
        let (day, month, year) = (1 + r.next() % 28, r.next() % 12, 2015 + r.next() % 11);
        let mut body = String::new();
        for _ in 0..(6 + r.next() % 10) {
            body.push_str(r.pick(BODY));
            body.push_str("\n\n");
        }
        let (name, text) = match i % 10 {
            0..=5 => (
                format!("{i:05}.txt"),
                format!(
                    "{day} {} {year}\nرئيس التحرير\nفلان الفلاني\n\n{section}\n\n{title}\n\nتابع أحدث الأخبار عبر تطبيق google news\n\n{body}شارك\n",
                    MONTHS[month]
                ),
            ),
            6 | 7 => (
                format!("{i:05}.md"),
                format!(
                    "---\ndate: {year}-{:02}-{day:02}\nsection: {section}\n---\n\n# {title}\n\n{body}",
                    month + 1
                ),
            ),
            8 => (
                format!("{i:05}.json"),
                serde_json::json!({
                    "title": title, "date": format!("{year}-{:02}-{day:02}", month + 1),
                    "section": section, "body": body,
                })
                .to_string(),
            ),
            _ => (
                format!("{i:05}.html"),
                format!(
                    "<html><head><title>{title}</title><meta property=\"article:published_time\" content=\"{year}-{:02}-{day:02}\"><script>var x = 1;</script></head><body><nav><a>الرئيسية</a></nav><article><h1>{title}</h1>{}</article><footer>حقوق</footer></body></html>",
                    month + 1,
                    body.split("\n\n").filter(|p| !p.is_empty()).map(|p| format!("<p>{p}</p>")).collect::<String>()
                ),
            ),
        };
        std::fs::write(sub.join(name), text).unwrap();
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn read_heads(paths: &[PathBuf]) -> usize {
    let mut buf = [0u8; 4096];
    let mut total = 0;
    for p in paths {
        let mut f = std::fs::File::open(p).unwrap();
        total += f.read(&mut buf).unwrap();
    }
    total
}

/// The same, spread over `threads` threads, for a like-for-like comparison
/// with the library scan (which stats files in parallel).
fn read_heads_parallel(paths: &[PathBuf], threads: usize) -> usize {
    let chunk = paths.len().div_ceil(threads.max(1));
    std::thread::scope(|s| {
        let hs: Vec<_> = paths
            .chunks(chunk)
            .map(|part| s.spawn(move || read_heads(part)))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time (user + system, all threads) of this process so far.
fn cpu_now() -> Duration {
    // SAFETY: getrusage writes into the struct we pass and nothing else.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let t = Instant::now();
    let out = f();
    (t.elapsed(), out)
}

/// Wall time and CPU time of `f`. On a machine shared with other work the
/// wall time includes waiting for a core; the CPU time does not.
fn time_cpu<T>(f: impl FnOnce() -> T) -> ((Duration, Duration), T) {
    let c = cpu_now();
    let (wall, out) = time(f);
    ((wall, cpu_now() - c), out)
}

fn median2(v: Vec<(Duration, Duration)>) -> (Duration, Duration) {
    (
        median(v.iter().map(|x| x.0).collect()),
        median(v.iter().map(|x| x.1).collect()),
    )
}

fn ms2(d: (Duration, Duration)) -> String {
    format!("{}  (CPU {})", ms(d.0), ms(d.1).trim_start())
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test` of benches passes
    // nothing and should stay quick.
    if !std::env::args().any(|a| a == "--bench") {
        println!("list bench: run with `cargo bench --bench list`");
        return;
    }
    let n: usize = std::env::var("QARI_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("articles");
    let (gen, ()) = time(|| generate(&lib, n));
    let paths = files(&lib);
    let bytes: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    println!(
        "qari list benchmark: {} articles, {:.1} MiB (generated in {:.1} s)",
        paths.len(),
        bytes as f64 / 1048576.0,
        gen.as_secs_f64()
    );
    let runs = 9;

    // Page cache warm for every measurement: the comparison is CPU and
    // syscalls, not the disk.
    read_heads(&paths);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);

    let rules = Rules::builtin();
    let xdg = tmp.path().join("xdg");
    let dirs = Dirs::under(&xdg);
    let cold_lib = median(
        (0..3)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&xdg);
                let (d, (l, _)) = time(|| Library::open(&lib, &dirs, rules));
                assert_eq!(l.stats.imported, paths.len());
                d
            })
            .collect(),
    );

    // The warm scan and the head reads take turns, so a busy machine
    // (load from other processes) weighs on both alike.
    let (mut heads, mut heads_par, mut walk_heads, mut warm_lib) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        heads.push(time_cpu(|| read_heads(&paths)).0);
        warm_lib.push({
            let (d, (l, _)) = time_cpu(|| Library::open(&lib, &dirs, rules));
            assert_eq!(l.stats.imported, 0);
            d
        });
        heads_par.push(time_cpu(|| read_heads_parallel(&paths, threads)).0);
        // What a lister without a cache must do: find the files, then peek.
        walk_heads.push(time_cpu(|| read_heads(&files(&lib))).0);
    }
    let (heads, heads_par, walk_heads, warm_lib) = (
        median2(heads),
        median2(heads_par),
        median2(walk_heads),
        median2(warm_lib),
    );

    // End to end through the binary, as a user runs it.
    let qari = env!("CARGO_BIN_EXE_qari");
    let run = |xdg: &Path| {
        let out = Command::new(qari)
            .arg("list")
            .arg(&lib)
            .env("XDG_CACHE_HOME", xdg)
            .env("XDG_CONFIG_HOME", xdg.join("config"))
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            paths.len()
        );
    };
    let cli_xdg = tmp.path().join("cli-xdg");
    let cold_cli = median(
        (0..3)
            .map(|_| {
                let _ = std::fs::remove_dir_all(&cli_xdg);
                time(|| run(&cli_xdg)).0
            })
            .collect(),
    );
    let warm_cli = median((0..runs).map(|_| time(|| run(&cli_xdg)).0).collect());

    println!(
        "{:<52}{}",
        "read first 4 KiB of every file (list given)",
        ms2(heads)
    );
    println!(
        "{:<52}{}",
        format!("  same, on {threads} threads"),
        ms2(heads_par)
    );
    println!(
        "{:<52}{}",
        "  same, including the folder walk",
        ms2(walk_heads)
    );
    println!(
        "{:<52}{}",
        "Library::open, cold cache (imports every file)",
        ms(cold_lib)
    );
    println!(
        "{:<52}{}",
        "Library::open, warm cache (reads no bodies)",
        ms2(warm_lib)
    );
    println!(
        "{:<52}{}",
        "`qari list DIR > pipe`, cold cache",
        ms(cold_cli)
    );
    println!(
        "{:<52}{}",
        "`qari list DIR > pipe`, warm cache",
        ms(warm_cli)
    );
    let verdict = |a: Duration, b: Duration| if a < b { "target met" } else { "target MISSED" };
    let best_wall = heads.0.min(heads_par.0);
    println!(
        "warm listing vs fastest head read, wall time: {:.2}x ({})",
        best_wall.as_secs_f64() / warm_lib.0.as_secs_f64(),
        verdict(warm_lib.0, best_wall)
    );
    let best_cpu = heads.1.min(heads_par.1);
    println!(
        "warm listing vs fastest head read, CPU time:  {:.2}x ({})",
        best_cpu.as_secs_f64() / warm_lib.1.as_secs_f64(),
        verdict(warm_lib.1, best_cpu)
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "cores: {threads}, load average: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}
