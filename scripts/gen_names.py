#!/usr/bin/env python3
"""Generate phiguard's person-name dictionaries from the US Census name tables.

Regenerate everything (from the repository root):

    python3 scripts/gen_names.py

Options: ``--names-dir DIR`` (default ``../shared/data/names``, relative to the
repository root), ``--english-dict``/``--spanish-dict`` (default
``/usr/share/dict/american-english`` and ``/usr/share/dict/spanish``),
``--out-dir`` (default ``patterns/data``) and ``--check`` (write nothing; exit 1
if a committed file differs from what would be generated).  Python 3.11+,
standard library only.  The output depends only on the input files, never on
the clock or the machine, so two runs give identical bytes.

Inputs
------
* ``census2020_first_names.csv`` (2020 Census first names, 53,616 rows, count
  >= 90) and ``census2010_surnames.csv`` (2010 Census surnames, 162,253 rows,
  count >= 100).  Public domain (works of the U.S. Government).
* Word lists from Debian: ``wamerican`` (SCOWL, /usr/share/dict/american-english)
  and ``wspanish`` (/usr/share/dict/spanish).  Install them with
  ``apt-get install -y wamerican wspanish``.  Their versions (dpkg-query) and
  SHA-256 are recorded in every output header.
* Hand-curated overrides in ``scripts/names/`` (one lower-case entry a line,
  ``#`` comments, sorted by bytes, unique; the script refuses unsorted lists and
  entries listed in two files).  Each file's header says what belongs in it:
  - ``not-names.txt``: dropped from every list: abbreviations (icu, er, ok, ceo,
    covid), function words (the, you, her, que, del), clinical, staff and
    family-role words and census placeholders (patient, nurse, care, baby, son,
    newborn, female, fnu), weekdays, non-name months and holidays (monday,
    october, christmas), and places, nationalities and brands that are
    essentially never a person (texas, seattle, british, san, santa, disney).
  - ``ambiguous-extra.txt``: ordinary words the dictionaries miss, treated like
    dictionary words: names capitalised in wamerican (june, april, christian),
    places that are also names (houston, dallas, washington, hong, kong),
    Spanish inflected forms (gracias, fue, dias, sean, dan) and slang (nah, lil).
  - ``unambiguous-extra.txt``: names the dictionaries mark as words that are
    overwhelmingly names in posts (john, maria, smith, david, juan, garcia,
    lopez): names only.  wspanish is lower case throughout and holds given
    names, surnames and archaisms (david, garcía, lópez, guzmán, calderón),
    wamerican rare senses of names (john, terry); the list covers names with
    count >= 30,000 (plus marquise) and leaves rarer ones ambiguous.

Normalisation
-------------
Names are NFC-normalised and lower-cased.  A name must be letters (accented
letters allowed) with optional inner apostrophes or hyphens; anything else
(digits, spaces, other characters: e.g. the census row "ALL OTHER NAMES") is
dropped.  The census tables happen to use A-Z only.

Cut-offs (chosen from the data; see ``--stats``)
-----------------------------------------------
* First names: count >= 200 (FIRST_MIN).  38,517 of 53,615 names (before the
  rules below); they cover 99.2% of the people the table lists by name (93.0%
  vs 93.8% of everyone).
  Below 200 the table is mostly one-off spellings (dabid, jacod, courtne).
* Surnames: count >= 300 (SURNAME_MIN).  66,162 of 162,252 names (before the
  rules below); they cover 93.9% of the people the table lists by name (84.6%
  vs 90.1% of everyone).
  The surname tail is three times as long as the first-name tail at the same
  count, so its cut-off is higher; >= 200 would add 26k names (+200 KB) for
  2.4 more points, >= 100 would break the 1.5 MB budget for the three files.
  Word collisions, not rare spellings, are the precision risk, and they occur
  at every count (census "names" like THE 3,185, BABY 15,302, GRACIAS 398), so
  they are handled by the word test and the overrides rather than by the
  count cut-off.
* Names of 1-2 letters are dropped (jo, ed, al, do, ok, er, ...): as tokens
  they are mostly abbreviations or words.
* 3-letter names need count >= 1000 (SHORT_MIN): below that they are mostly
  fragments, transliterations and abbreviations (doc, dec, usa, bro, aka, bio,
  mba, ems, app, fnu).
* Names that are also ordinary words need count >= 1000 (WORD_MIN); below that
  the word reading wins by far (that, data, getting, payment, viral, sick) and
  the name is too rare to be worth a false hit.

Ambiguity (name-words.txt)
--------------------------
A kept name is ambiguous when its lower-case form is an ordinary word:
* an all-lower-case entry of the English list (entries with a capital are
  proper nouns: "Hope" and "hope" are both listed; "hope" makes it a word);
* an entry of the Spanish list (all lower case); accents are also folded
  (día -> dia, corazón -> corazon), because posts often drop them and the
  census has no accents;
* a regular Spanish plural of a Spanish entry whose stem has >= 4 letters
  (flores, manos, casas, fuentes, cruces): wspanish lists no plurals;
* or an entry of ambiguous-extra.txt;
unless it is in unambiguous-extra.txt.  The engine accepts a name-word only
with a stronger cue (a title, a first+last sequence, a patient cue).

Outputs (patterns/data/)
------------------------
``first-names.txt``, ``surnames.txt``: every kept name of each table.
``name-words.txt``: the ambiguous subset of their union.
Each starts with ``# `` header lines (what it is, the command, the source and
dictionary SHA-256s and package versions, the cut-offs, the entry count,
``generator-sha256`` of this file and ``overrides-sha256`` of the bytes of
scripts/names/*.txt concatenated in sorted file-name order), then one name a
line, sorted by UTF-8 bytes, unique, with a trailing newline.
tests/it/name_lists.rs checks the files are canonical and that the two hashes
match the committed script and overrides.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMAND = "python3 scripts/gen_names.py"

FIRST_FILE = "census2020_first_names.csv"
SURNAME_FILE = "census2010_surnames.csv"

FIRST_MIN = 200
SURNAME_MIN = 300
MIN_LETTERS = 3
SHORT_LETTERS = 3
SHORT_MIN = 1000
WORD_MIN = 1000
SPANISH_PLURAL_STEM_MIN = 4

CUTOFFS = (
    f"first names count >= {FIRST_MIN}; surnames count >= {SURNAME_MIN}; "
    f"names of < {MIN_LETTERS} letters dropped; {SHORT_LETTERS}-letter names count >= {SHORT_MIN}; "
    f"names that are also words count >= {WORD_MIN}; scripts/names/not-names.txt dropped"
)

DICTS = {
    "english": ("/usr/share/dict/american-english", "wamerican"),
    "spanish": ("/usr/share/dict/spanish", "wspanish"),
}
OVERRIDES = ("ambiguous-extra.txt", "not-names.txt", "unambiguous-extra.txt")

NAME_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
VOWELS = set("aeiou")


def die(msg: str) -> None:
    print(f"gen_names.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise(raw: str) -> str | None:
    """Lower-case NFC form of a census name, or None if it is not a plain name."""
    name = unicodedata.normalize("NFC", raw.strip().replace("\u2019", "'")).lower()
    return name if NAME_RE.fullmatch(name) else None


def letters(name: str) -> int:
    return sum(ch.isalpha() for ch in name)


def fold(word: str) -> str:
    """Strip accents: día -> dia, corazón -> corazon, año -> ano."""
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def read_table(path: Path) -> dict[str, int]:
    """name -> count for the rows of one census table that normalise to a name."""
    if not path.is_file():
        die(f"missing census table {path} (use --names-dir DIR)")
    out: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or not {"name", "count"} <= set(reader.fieldnames):
            die(f"{path}: expected columns name and count, got {reader.fieldnames}")
        for row in reader:
            name = normalise(row["name"])
            if name is None:
                continue
            count = int(row["count"])
            out[name] = max(out.get(name, 0), count)
    return out


def read_dict(path: Path) -> list[str]:
    if not path.is_file():
        die(f"missing word list {path}; install it with: apt-get install -y wamerican wspanish")
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]


def package_version(package: str) -> str:
    try:
        res = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", package],
            capture_output=True, text=True, check=False,
        )
    except FileNotFoundError:
        die("dpkg-query not found: the word lists must come from Debian's wamerican and wspanish packages")
    if res.returncode != 0 or not res.stdout.strip():
        die(f"package {package} is not installed; install it with: apt-get install -y wamerican wspanish")
    return res.stdout.strip()


def read_override(path: Path) -> set[str]:
    """One lower-case name a line; '#' starts a comment; must be sorted and unique."""
    if not path.is_file():
        die(f"missing override list {path}")
    entries: list[str] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if normalise(entry) != entry:
            die(f"{path}:{lineno}: {entry!r} is not a lower-case name (letters, inner ' or -)")
        if entries and entry.encode() <= entries[-1].encode():
            die(f"{path}:{lineno}: {entry!r} is out of order or repeated (keep the list sorted and unique)")
        entries.append(entry)
    return set(entries)


@dataclass
class Words:
    english: set[str]
    spanish: set[str]
    extra: set[str]
    names_only: set[str]

    def spanish_plural(self, name: str) -> bool:
        """A regular plural of a Spanish entry: casa -> casas, flor -> flores, luz -> luces."""
        stems = []
        if name.endswith("ces"):
            stems.append(name[:-3] + "z")  # cruz -> cruces
        if name.endswith("es") and len(name) > 2 and name[-3] not in VOWELS:
            stems.append(name[:-2])  # flor -> flores
        if name.endswith("s") and len(name) > 1 and name[-2] in VOWELS:
            stems.append(name[:-1])  # casa -> casas, fuente -> fuentes
        return any(len(stem) >= SPANISH_PLURAL_STEM_MIN and stem in self.spanish for stem in stems)

    def is_word(self, name: str) -> bool:
        if name in self.names_only:
            return False
        return (name in self.extra or name in self.english or name in self.spanish
                or self.spanish_plural(name))


def load_words(english_path: Path, spanish_path: Path, overrides: dict[str, set[str]]) -> Words:
    english: set[str] = set()
    for w in read_dict(english_path):
        if w == w.lower():  # entries with a capital are proper nouns
            english.add(w)
            english.add(fold(w))
    spanish: set[str] = set()
    for w in read_dict(spanish_path):
        if w == w.lower():
            spanish.add(w)
            spanish.add(fold(w))
    return Words(english, spanish, overrides["ambiguous-extra.txt"], overrides["unambiguous-extra.txt"])


def select(table: dict[str, int], minimum: int, words: Words, not_names: set[str]) -> set[str]:
    kept = set()
    for name, count in table.items():
        n = letters(name)
        if n < MIN_LETTERS or name in not_names or count < minimum:
            continue
        if n == SHORT_LETTERS and count < SHORT_MIN:
            continue
        if words.is_word(name) and count < WORD_MIN:
            continue
        kept.add(name)
    return kept


def byte_sorted(names: set[str]) -> list[str]:
    return sorted(names, key=lambda s: s.encode("utf-8"))


def render(title: list[str], names: set[str], provenance: list[str], hashes: list[str]) -> str:
    """`# ` header lines (title, provenance, entry count, hashes), then the names in byte order."""
    ordered = byte_sorted(names)
    head = [*title, *provenance, f"entries: {len(ordered)}", *hashes]
    return "".join(f"# {line}\n" for line in head) + "".join(f"{n}\n" for n in ordered)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate patterns/data/{first-names,surnames,name-words}.txt "
                                             "from the Census name tables.")
    ap.add_argument("--names-dir", type=Path, default=REPO.parent / "shared" / "data" / "names",
                    help="folder with the census CSV files (default: ../shared/data/names from the repo root)")
    ap.add_argument("--english-dict", type=Path, default=Path(DICTS["english"][0]))
    ap.add_argument("--spanish-dict", type=Path, default=Path(DICTS["spanish"][0]))
    ap.add_argument("--out-dir", type=Path, default=REPO / "patterns" / "data")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if an output is stale")
    ap.add_argument("--stats", action="store_true", help="print coverage at candidate cut-offs and exit")
    args = ap.parse_args(argv)

    first = read_table(args.names_dir / FIRST_FILE)
    surnames = read_table(args.names_dir / SURNAME_FILE)

    if args.stats:
        for label, table, cuts in (("first names", first, (100, 150, 200, 300, 500, 1000)),
                                   ("surnames", surnames, (100, 200, 300, 400, 500, 1000))):
            total = sum(table.values())
            for cut in cuts:
                kept = [c for c in table.values() if c >= cut]
                print(f"{label} count >= {cut}: {len(kept)} names, {100 * sum(kept) / total:.1f}% of named people")
        return 0

    names_dir = REPO / "scripts" / "names"
    override_bytes = b""
    overrides: dict[str, set[str]] = {}
    for fname in sorted(OVERRIDES):
        path = names_dir / fname
        overrides[fname] = read_override(path)
        override_bytes += path.read_bytes()
    found = sorted(p.name for p in names_dir.glob("*.txt"))
    if found != sorted(OVERRIDES):
        die(f"scripts/names/ must hold exactly {sorted(OVERRIDES)}, found {found}")
    for a, b in (("not-names.txt", "ambiguous-extra.txt"), ("not-names.txt", "unambiguous-extra.txt"),
                 ("ambiguous-extra.txt", "unambiguous-extra.txt")):
        both = overrides[a] & overrides[b]
        if both:
            die(f"{', '.join(sorted(both))} listed in both {a} and {b}")
    not_names = overrides["not-names.txt"]

    words = load_words(args.english_dict, args.spanish_dict, overrides)
    first_kept = select(first, FIRST_MIN, words, not_names)
    surname_kept = select(surnames, SURNAME_MIN, words, not_names)
    name_words = {n for n in first_kept | surname_kept if words.is_word(n)}

    sources = []
    for fname in (FIRST_FILE, SURNAME_FILE):
        sources.append(f"source: {fname} sha256={sha256((args.names_dir / fname).read_bytes())}")
    for key in ("english", "spanish"):
        path = args.english_dict if key == "english" else args.spanish_dict
        pkg = DICTS[key][1]
        sources.append(f"dictionary: {path} sha256={sha256(path.read_bytes())} "
                       f"package={pkg} {package_version(pkg)}")
    provenance = [
        f"made by: {COMMAND} (from the repository root; do not edit by hand: edit scripts/names/*.txt "
        "or the script and rerun)",
        *sources,
        f"cut-offs: {CUTOFFS}",
    ]
    hashes = [
        f"generator-sha256: {sha256(Path(__file__).resolve().read_bytes())}",
        f"overrides-sha256: {sha256(override_bytes)}",
    ]
    outputs = {
        "first-names.txt": render(
            ["first-names.txt: first names from the 2020 Census first-name table, lower case, one a line.",
             "phiguard loads it into a set and looks up lower-cased word tokens; see name-words.txt."],
            first_kept, provenance, hashes),
        "surnames.txt": render(
            ["surnames.txt: surnames from the 2010 Census surname table, lower case, one a line.",
             "phiguard loads it into a set and looks up lower-cased word tokens; see name-words.txt."],
            surname_kept, provenance, hashes),
        "name-words.txt": render(
            ["name-words.txt: names from first-names.txt or surnames.txt that are also ordinary English",
             "or Spanish words (hope, may, brown, cruz): accept them only with a stronger cue."],
            name_words, provenance, hashes),
    }

    stale = []
    for fname, text in outputs.items():
        path = args.out_dir / fname
        data = text.encode("utf-8")
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(fname)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        entries = sum(1 for line in text.splitlines() if not line.startswith("#"))
        print(f"wrote {path}: {entries} names, {len(data)} bytes", file=sys.stderr)
    if stale:
        print(f"stale: {', '.join(stale)}; run {COMMAND}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
