//! Saving the reading state when it holds 10,000 articles: one bookmark
//! added, then the save (lock, read the file, merge, write, fsync, rename).
//! Target: under 5 ms.
//!
//! Run: `cargo bench --bench state` (QARI_BENCH_N changes the count).
//! Prints the median and the worst of the runs; nothing is asserted.

use qari::state::{ArticleKey, Bookmark, StateFile};
use std::time::{Duration, Instant};

fn main() {
    let n: usize = std::env::var("QARI_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let (mut state, _) = StateFile::load(dir.path());
    for i in 0..n {
        let a = state.article_mut(&ArticleKey::new(format!(
            "/home/user/articles/2025/{i:05}.txt"
        )));
        a.set_position(i % 17);
        a.read = i % 3 == 0;
        a.title = format!("عنوان الخبر رقم {i} عن زيارة الوزير");
        if i % 10 == 0 {
            a.bookmarks.push(Bookmark {
                paragraph: 2,
                snippet: "قال الوزير في مؤتمر صحفي إن المحادثات".into(),
            });
        }
    }
    state.save().expect("first save");
    let size = std::fs::metadata(dir.path().join("reading.json"))
        .map(|m| m.len())
        .unwrap_or(0);
    let mut times: Vec<Duration> = Vec::new();
    for round in 0..50 {
        let key = ArticleKey::new(format!("/home/user/articles/2025/{:05}.txt", round * 7 % n));
        state
            .article_mut(&key)
            .toggle_bookmark(round + 3, "فقرة".into());
        let start = Instant::now();
        state.save().expect("save");
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "state save, {n} articles ({:.1} MB file): median {:.2} ms, worst {:.2} ms over {} saves",
        size as f64 / 1e6,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    );
}
