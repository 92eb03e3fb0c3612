#!/usr/bin/env python3
"""Writes esa-procedure-strings.c: the labels and sentences of the shipped
procedure files and calendars, each marked with N_() so that xgettext finds
them (it cannot read JSON). Run it after changing a file in data/procedures/
or the calendars in data/parameters/; test-procedure fails until you do.

    src/core/esa-procedure-strings.py

The strings are those of the members "title", "label", "description" and
"explain" anywhere in a procedure file, and "title" and "name" of calendars,
their holidays and their closed periods (test-procedure collects the same).
"""

import json
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUTPUT = HERE / "esa-procedure-strings.c"

PROCEDURE_MEMBERS = {"title", "label", "description", "explain"}
PLACEHOLDER = re.compile(r"\{[a-z]+\}")


def procedure_strings(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PROCEDURE_MEMBERS and isinstance(value, str):
                out.append(value)
            else:
                procedure_strings(value, out)
    elif isinstance(node, list):
        for value in node:
            procedure_strings(value, out)


def calendar_strings(document, out):
    for calendar in document.get("calendars", []):
        out.append(calendar["title"])
        for key in ("holidays", "closed_periods"):
            for entry in calendar.get(key, []):
                out.append(entry["name"])


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    strings = []
    for path in sorted((ROOT / "data" / "procedures").glob("*.json")):
        procedure_strings(json.loads(path.read_text(encoding="utf-8")), strings)
    calendars = ROOT / "data" / "parameters" / "calendars.json"
    calendar_strings(json.loads(calendars.read_text(encoding="utf-8")), strings)

    seen = set()
    lines = []
    for text in strings:
        if text in seen:
            continue
        seen.add(text)
        names = PLACEHOLDER.findall(text)
        if names:
            lines.append("  /* Translators: keep %s as written; the program fills %s in. */"
                         % (", ".join(names), "them" if len(names) > 1 else "it"))
        lines.append("  N_(%s)," % c_string(text))

    OUTPUT.write_text(
        "/* The labels and sentences of the procedure files (data/procedures/) and of\n"
        " * the calendars (data/parameters/calendars.json), marked for xgettext, which\n"
        " * cannot read JSON. Written by esa-procedure-strings.py: run it after\n"
        " * changing those files (test-procedure checks that this list is complete). */\n"
        "\n"
        "#include \"esa-procedure-private.h\"\n"
        "\n"
        "#include <glib/gi18n-lib.h>\n"
        "\n"
        "const char * const _esa_procedure_strings[] = {\n"
        + "\n".join(lines)
        + "\n  NULL\n};\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
