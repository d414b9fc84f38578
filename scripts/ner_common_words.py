#!/usr/bin/env python3
"""Regenerate src/entities/common_words.txt: folded word forms that are
(almost) never part of a named entity in the ANERcorp training split.

The recognizer's context rules use the list to tell a name token from an
ordinary word after a title or a speech verb ("the president said THAT" vs
"the president NAME"). Only the training part is read, and its last 10% of
sentences (the dev split) is left out, so neither the dev nor the test split
leaks into the list.

Usage: python3 scripts/ner_common_words.py ../shared/ner/anercorp-train.conll
"""
import collections
import re
import sys

HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def fold(w):
    w = HARAKAT.sub("", w)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"),
                 ("ی", "ي"), ("ة", "ه"), ("ک", "ك")):
        w = w.replace(a, b)
    return w.lower()


def main(path):
    sentences, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if cur:
                sentences.append(cur)
                cur = []
            continue
        tok, tag = line.split("\t")
        cur.append((tok, tag))
    if cur:
        sentences.append(cur)
    train = sentences[: len(sentences) * 9 // 10]
    total, outside = collections.Counter(), collections.Counter()
    for s in train:
        for tok, tag in s:
            f = fold(tok)
            if not re.search(r"[\u0621-\u064a]", f):
                continue
            total[f] += 1
            if tag == "O":
                outside[f] += 1
    words = sorted(w for w, n in total.items() if n >= 2 and outside[w] / n >= 0.97)
    print("# Folded word forms that are almost never (<3%) inside a named entity in")
    print("# the ANERcorp training split (dev part excluded), seen at least twice.")
    print("# Derived from ANERcorp (CC BY-SA 4.0, see LICENSE-anercorp.txt next to")
    print("# this file). Regenerate: python3 scripts/ner_common_words.py")
    print("#   ../shared/ner/anercorp-train.conll > src/entities/common_words.txt")
    for w in words:
        print(w)


if __name__ == "__main__":
    main(sys.argv[1])
