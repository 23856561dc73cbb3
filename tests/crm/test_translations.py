"""The Simplified Chinese catalogue is complete, and the compiled one is what Django loads.

The .po file is read with a small parser of our own (no polib), so the completeness check
needs neither a database nor a compiled catalogue. The runtime check needs the .mo that
``make messages`` (run by ``make test``) compiles.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(token: str) -> str:
    assert token.startswith('"') and token.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file in order, the header first; obsolete (``#~``) entries are left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None

    def append(value: str) -> None:
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            # A comment starts a new entry when the previous one already has its msgstr.
            if entry is None or entry.msgstr:
                entry = Entry(line=number)
                entries.append(entry)
                target = None
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, token = match.groups()
            if keyword in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
                entry = Entry(line=number)
                entries.append(entry)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index) if index is not None else 0)
            else:
                target = (keyword, None)
            append(_unquote(token))
        elif line.startswith('"') and target is not None:
            append(_unquote(line))
        else:
            raise AssertionError(f"{PO_PATH}:{number}: cannot parse {raw!r}")
    return entries


def _nplurals(header: Entry) -> int:
    match = re.search(r"^Plural-Forms:\s*nplurals=(\d+);", header.msgstr[0], re.MULTILINE)
    assert match, "the catalogue header has no Plural-Forms"
    return int(match.group(1))


@pytest.fixture(scope="module")
def catalogue() -> tuple[Entry, list[Entry]]:
    entries = parse_po(PO_PATH.read_text(encoding="utf-8"))
    header, *messages = entries
    assert header.msgid == "", "the first entry of a .po file is its header"
    assert messages, f"no messages in {PO_PATH}"
    return header, messages


def test_header_is_filled_in(catalogue):
    header, _messages = catalogue
    assert "fuzzy" not in header.flags
    text = header.msgstr[0]
    assert "Language: zh_Hans\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;\n" in text


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    header, messages = catalogue
    nplurals = _nplurals(header)
    fuzzy = [entry.label for entry in messages if "fuzzy" in entry.flags]
    untranslated = []
    for entry in messages:
        expected = range(nplurals) if entry.msgid_plural is not None else range(1)
        if any(not entry.msgstr.get(index, "").strip() for index in expected):
            untranslated.append(entry.label)
    assert not fuzzy, f"fuzzy entries in {PO_PATH}: {fuzzy}"
    assert not untranslated, f"untranslated entries in {PO_PATH}: {untranslated}"


def test_translations_keep_the_placeholders(catalogue):
    """A lost or misspelt %(name)s would raise KeyError, or drop a value, at run time."""
    _header, messages = catalogue
    wrong = []
    for entry in messages:
        if "python-format" not in entry.flags:
            continue
        # With one plural form, msgstr[0] stands for every count, so it follows the plural.
        source = entry.msgid_plural if entry.msgid_plural is not None else entry.msgid
        wanted = set(_PLACEHOLDER.findall(source))
        for text in entry.msgstr.values():
            if set(_PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{entry.label} -> {text!r}")
    assert not wrong, f"placeholders differ in {PO_PATH}: {wrong}"


def test_compiled_catalogue_is_loaded():
    # Passed through a name so that makemessages does not list this file as a source.
    msgid = "Customers"
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == "客户"
    with translation.override("en"):
        assert translation.gettext(msgid) == "Customers"
