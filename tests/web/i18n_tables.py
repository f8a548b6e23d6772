#!/usr/bin/env python3
"""Checks the web client's string tables (web/i18n/<code>.json) against the code.

    python3 tests/web/i18n_tables.py [--web web] [--missing es]

Every string literal passed to tr(), trf() or tr_noop() in web/, and every text shared/
marks with translatable() (shared/text.h), must have a translation
in each table, no table may keep a key the code no longer passes, and a
translation must carry the same {placeholders} as its English text. A call
whose first argument is not a string literal fails too: a text the check
cannot see would go untranslated. The connector catalog's texts for people
(shared/connectors/catalog.cpp: a field's .label and .help, a platform's
.description) must be marked with translatable() too; tests/web/
catalog_texts_test.cpp checks the rest of what the client shows of it. --missing CODE prints the keys CODE's
table lacks, as JSON, and exits 0 (a translator's starting point). A table's
"edge" section, the templates of the edge's own English texts, is left to
tests/edge/webhooks/texts_test.cpp.
"""
import argparse
import json
import pathlib
import re
import sys

LANGUAGES = ["es", "de"]  # besides English, the code's own (web/i18n/i18n.h)
CALL = re.compile(r'(?<![A-Za-z0-9_:.>])(trf?|tr_noop)\(')
MARK = re.compile(r'(?<![A-Za-z0-9_:.>])(translatable)\(')
LITERAL = re.compile(r'\s*"((?:[^"\\\n]|\\.)*)"')
PLACEHOLDER = re.compile(r'\{[a-z_]+\}')
# A catalog text for people left unmarked: `.help = "..."`.
UNMARKED_CATALOG = re.compile(r'\.(label|help|description)\s*=\s*"')
# Where tr() and trf() are defined, taking their text as a parameter.
DEFINITIONS = {"i18n/i18n.h", "i18n/i18n.cpp"}
# The tables' section of templates of the edge's English texts.
EDGE_SECTION = "edge"


def decode(body):
    """The text of a C string literal's body, as UTF-8."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        e = body[i + 1]
        if e == "x":
            m = re.match(r"[0-9A-Fa-f]+", body[i + 2:])
            out.append(int(m.group(0), 16))
            i += 2 + len(m.group(0))
        elif e == "u":
            out += chr(int(body[i + 2:i + 6], 16)).encode("utf-8")
            i += 6
        else:
            out += {"n": b"\n", "t": b"\t", '"': b'"', "\\": b"\\", "'": b"'"}[e]
            i += 2
    return out.decode("utf-8")


def without_comments(source):
    """`source` with its comments blanked (lines kept), string literals untouched."""
    token = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/', re.S)
    return token.sub(lambda m: m.group(0) if m.group(0)[0] in "\"'" else re.sub(r"[^\n]", " ", m.group(0)),
                     source)


def texts_in(source, where, problems, call=CALL):
    """The texts passed to tr()/trf() in one file's source."""
    found = []
    source = without_comments(source)
    for call in call.finditer(source):
        at = call.end()
        parts = []
        while True:
            m = LITERAL.match(source, at)
            if not m:
                break
            parts.append(decode(m.group(1)))
            at = m.end()
        if parts:
            found.append("".join(parts))
        elif where not in DEFINITIONS:
            line = source.count("\n", 0, call.start()) + 1
            problems.append(f"web/{where}:{line}: {call.group(1)}() without a string literal")
    return found


def used_texts(web, problems):
    texts = set()
    for root, call in ((web, CALL), (web.parent / "shared", MARK)):
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".cpp", ".h") or path.name == "text.h":
                continue
            where = path.relative_to(root).as_posix()
            texts.update(texts_in(path.read_text(encoding="utf-8"), where, problems, call))
    return texts


def unmarked_catalog_texts(web, problems):
    path = web.parent / "shared" / "connectors" / "catalog.cpp"
    source = without_comments(path.read_text(encoding="utf-8"))
    for m in UNMARKED_CATALOG.finditer(source):
        line = source.count("\n", 0, m.start()) + 1
        problems.append(f"shared/connectors/catalog.cpp:{line}: .{m.group(1)} without translatable()")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--web", default=str(pathlib.Path(__file__).resolve().parents[2] / "web"))
    parser.add_argument("--missing", metavar="CODE")
    args = parser.parse_args()
    web = pathlib.Path(args.web)
    problems = []
    used = used_texts(web, problems)
    unmarked_catalog_texts(web, problems)
    if not used:
        problems.append("no tr() texts found in web/")
    for code in LANGUAGES:
        path = web / "i18n" / f"{code}.json"
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            problems.append(f"{path}: {e}")
            continue
        # The edge's texts (web/i18n/i18n.h, tr_edge) are checked against the
        # edge by tests/edge/webhooks/texts_test.cpp, not against the code here.
        table.pop(EDGE_SECTION, None)
        if args.missing == code:
            print(json.dumps({t: "" for t in sorted(used - table.keys())}, ensure_ascii=False, indent=2))
            return 0
        for text in sorted(used - table.keys()):
            problems.append(f"{code}.json lacks {text!r}")
        for text in sorted(table.keys() - used):
            problems.append(f"{code}.json has {text!r}, which the code no longer uses")
        for text in sorted(used & table.keys()):
            value = table[text]
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{code}.json: {text!r} has no translation")
            elif sorted(PLACEHOLDER.findall(value)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(f"{code}.json: {text!r} and its translation {value!r} differ in placeholders")
    for p in problems:
        print(p)
    print(f"{len(used)} texts, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
