#!/usr/bin/env python3
"""Coverage of a gold set's person names by the name lists, old and new.

    python3 scripts/name-coverage.py tests/data/ner-eval
"""
# Share of person-name words of a gold set found in the name-word lists.
import glob
import importlib.util
import re
import sys
spec = importlib.util.spec_from_file_location("g", "scripts/gen-names-places.py"); g = importlib.util.module_from_spec(spec); spec.loader.exec_module(g)
def load(f):
    return {l.strip() for l in open(f, encoding="utf-8") if l.strip() and not l.startswith("#")}
def keys(f):
    return {l.split("\t")[0] for l in load(f)}
old = load("data/gazetteer/name-tokens.txt")
new = old | load("data/gazetteer/name-words.txt")
peo_old = {" ".join(g.words_of(k)) for k in keys("data/gazetteer/people.tsv")}
peo_new = peo_old | keys("data/gazetteer/wikidata-people.tsv")
words = []; spans = []
for f in sorted(glob.glob(sys.argv[1] + "/*.txt")):
    for m in re.finditer(r"\[\[PER:([^\]]+)\]\]", open(f, encoding="utf-8").read()):
        ws = [w for w in g.words_of(m.group(1)) if w not in g.PARTICLES and len(w) >= 2]
        words += ws
        spans.append(" ".join(g.words_of(m.group(1))))
hit = lambda s: sum(w in s or (w.startswith("ال") and w[2:] in s) for w in words)
print(f"{len(words)} person-name words: before {hit(old)/len(words):.1%}, after {hit(new)/len(words):.1%}")
multi = [s for s in spans if " " in s]
print(f"{len(multi)} multi-word PER mentions as full names: before {sum(s in peo_old for s in multi)/len(multi):.1%}, after {sum(s in peo_new for s in multi)/len(multi):.1%}")
