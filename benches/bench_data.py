#!/usr/bin/env python3
"""Benchmark inputs generated from the project's own sample articles.

The paragraphs come from `qari show --json` of every file in articles/ (the
cleaned text of the project's samples, never ../shared/seed). A fixed random
seed makes every run produce the same bytes.

  bench_data.py QARI paragraphs OUT.txt MIN_BYTES   one paragraph a line
  bench_data.py QARI article OUT.txt MIN_BYTES       a .txt article
  bench_data.py QARI words OUT.txt WORDS             a .txt article of WORDS words
  bench_data.py QARI library DIR COUNT               COUNT articles (txt/md/json/html)
  bench_data.py QARI searchlib DIR COUNT             the same, with a third of the
      articles spelling القاهرة, الأمم and "البنك المركزي" another way (harakat,
      bare alef, ى for ي) as real news sites do, for benches/search.sh
"""

import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو",
          "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
DAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]
SECTIONS = ["العالم", "اقتصاد", "رياضة", "ثقافة", "تكنولوجيا", "سياسة"]


def pool(qari):
    """Body paragraphs of the sample articles, in a stable order."""
    adir = os.path.join(ROOT, "articles")
    paras = []
    for name in sorted(os.listdir(adir)):
        path = os.path.join(adir, name)
        if not os.path.isfile(path):
            continue
        out = subprocess.run([qari, "show", "--json", path], capture_output=True, check=False)
        if out.returncode != 0:
            continue
        art = json.loads(out.stdout)
        paras += [p["text"] for p in art["paragraphs"] if p["text"].strip()]
    if not paras:
        sys.exit("bench_data: no paragraphs from articles/")
    return paras


def body_until(paras, rng, min_bytes=None, words=None):
    out, size, count = [], 0, 0
    while True:
        if min_bytes is not None and size >= min_bytes:
            return out
        if words is not None and count >= words:
            return out
        p = rng.choice(paras)
        if words is not None:
            left = words - count
            p = " ".join(p.split()[:left])
        out.append(p)
        size += len(p.encode()) + 2
        count += len(p.split())


def title_of(paras, rng):
    words = rng.choice(paras).split()
    return " ".join(words[: rng.randint(6, 12)]).rstrip("،.:؛")


def dateline(rng):
    return "%s %d %s %d" % (rng.choice(DAYS), rng.randint(1, 28),
                            rng.choice(MONTHS), rng.randint(2019, 2025))


def write_txt(path, title, body, rng):
    with open(path, "w", encoding="utf-8") as f:
        f.write(title + "\n\n" + dateline(rng) + "\n\n" + "\n\n".join(body) + "\n")


# Spellings a literal search misses but a folded one finds.
VARIANTS = [
    ("القاهرة", ["القَاهِرَة", "القاهره", "القاهـرة"]),
    ("الأمم", ["الامم", "الأُمم"]),
    ("البنك المركزي", ["البنك المركزى", "البنكُ المركزيّ"]),
]


def vary(body, rng):
    """A third of the articles get other spellings (a separate generator, so
    the library's text is otherwise the same as `library` mode's)."""
    if rng.random() >= 1 / 3:
        return body
    out = []
    for p in body:
        for word, forms in VARIANTS:
            if word in p:
                p = p.replace(word, rng.choice(forms))
        out.append(p)
    return out


def main():
    qari, mode, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    rng = random.Random(20241124)
    paras = pool(qari)
    if mode == "paragraphs":
        with open(out, "w", encoding="utf-8") as f:
            f.write("\n".join(body_until(paras, rng, min_bytes=n)) + "\n")
    elif mode == "article":
        write_txt(out, "تقرير مطول عن مياه النيل والزراعة والمدن", body_until(paras, rng, min_bytes=n), rng)
    elif mode == "words":
        write_txt(out, "تقرير عن النيل والمدن", body_until(paras, rng, words=n), rng)
    elif mode in ("library", "searchlib"):
        vrng = random.Random(20261207)
        os.makedirs(out, exist_ok=True)
        for i in range(n):
            sub = os.path.join(out, "%02d" % (i % 50))
            os.makedirs(sub, exist_ok=True)
            title = title_of(paras, rng)
            # Mostly short news, a few long reads: 3 KB median, some 30 KB+.
            body = body_until(paras, rng, min_bytes=int(rng.lognormvariate(8.0, 0.7)))
            if mode == "searchlib":
                body = vary(body, vrng)
            kind = rng.random()
            base = os.path.join(sub, "article-%05d" % i)
            if kind < 0.6:
                write_txt(base + ".txt", title, body, rng)
            elif kind < 0.85:
                with open(base + ".md", "w", encoding="utf-8") as f:
                    f.write("# %s\n\n*%s*\n\n%s\n" % (title, dateline(rng), "\n\n".join(body)))
            elif kind < 0.95:
                doc = {"title": title, "date": "%d-%02d-%02d" % (rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)),
                       "section": rng.choice(SECTIONS), "source": "قارئ", "paragraphs": body}
                with open(base + ".json", "w", encoding="utf-8") as f:
                    json.dump(doc, f, ensure_ascii=False)
            else:
                ps = "".join("<p>%s</p>\n" % p for p in body)
                with open(base + ".html", "w", encoding="utf-8") as f:
                    f.write('<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>%s</title></head>'
                            '<body><nav><a href="/">الرئيسية</a></nav><article><h1>%s</h1>\n%s</article></body></html>\n'
                            % (title, title, ps))
    else:
        sys.exit("bench_data: unknown mode " + mode)


if __name__ == "__main__":
    main()
