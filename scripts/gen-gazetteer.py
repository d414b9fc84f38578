#!/usr/bin/env python3
"""Regenerate data/gazetteer/cldr-places.tsv from CLDR's Arabic locale data.

The data comes from the Unicode CLDR as shipped inside Python's `babel`
package (Unicode License v3, see data/gazetteer/LICENSE-cldr.txt):
territory names (countries, continents, regions) and the exemplar cities of
time zones.

    pip install babel==2.18.0
    python3 scripts/gen-gazetteer.py > data/gazetteer/cldr-places.tsv

Output: one `name<TAB>LOC<TAB>source` line per name, sorted, deduplicated.
"""
import re
import sys

import babel
from babel import Locale

# Territory codes whose Arabic names are not places a reader would want
# listed: the world, unknown region, and bodies that are organizations.
SKIP_TERRITORIES = {"001", "ZZ", "EU", "EZ", "UN", "QO"}

# Exemplar-city labels that are everyday Arabic words (ترك "left", ماهي
# "what is", نوم "sleep") or transliterations too short to be safe; the
# hand-written supplement marks the genuine but ambiguous ones instead.
DROP_NAMES = {
    "ترك", "ماهي", "نوم", "واك", "سنتر", "استر", "ثيل", "بلم", "جوني", "سول",
    "ترول", "جوجو", "هوفد", "أداك", "أشوا", "بويس", "أبيا", "سيتا",
}

# Time-zone areas whose exemplar cities are US county seats or research
# stations rather than places in the news.
SKIP_ZONE_PREFIXES = ("Etc/", "America/Indiana/", "America/North_Dakota/",
                      "America/Kentucky/", "Antarctica/")


def clean(name):
    # "هونغ كونغ الصينية (منطقة إدارية خاصة)" → "هونغ كونغ الصينية"
    name = re.sub(r"\s*[(（].*?[)）]\s*", " ", name)
    return " ".join(name.split())


def main():
    ar = Locale("ar")
    rows = {}
    for code, name in ar.territories.items():
        if code in SKIP_TERRITORIES:
            continue
        name = clean(name)
        if name and name not in DROP_NAMES:
            rows.setdefault(name, f"cldr-territory:{code}")
    for zone, data in ar._data["time_zones"].items():
        city = data.get("city") if hasattr(data, "get") else None
        if not city:
            continue
        city = clean(city)
        if city and city not in DROP_NAMES and not zone.startswith(SKIP_ZONE_PREFIXES):
            rows.setdefault(city, f"cldr-city:{zone}")
    out = sys.stdout
    out.write(f"# CLDR Arabic place names via babel {babel.__version__}; Unicode License v3.\n")
    out.write("# Regenerate: python3 scripts/gen-gazetteer.py > data/gazetteer/cldr-places.tsv\n")
    for name in sorted(rows):
        out.write(f"{name}\tLOC\t{rows[name]}\n")


if __name__ == "__main__":
    main()
