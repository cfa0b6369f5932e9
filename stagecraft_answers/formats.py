"""How a free-text answer is written into each kind of file it lands in, so that it reads back as the
same text and the generated project's own checks (ruff, pre-commit) stay clean.

Non-ASCII text stays as typed wherever the format allows it (Python, TOML and Markdown are UTF-8);
only what the format, or the project's lint, cannot take is escaped.
"""

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

# Characters ruff's RUF001/RUF002 take for look-alikes of ASCII ones (VS Code's set: typographic quotes
# and dashes, the multiplication sign, fullwidth letters, a Cyrillic a among Latin letters). Written as
# escapes they keep the string's value and the project's lint stays clean. scripts/update-confusables
# reads the set from ruff; the suite checks it is current.
CONFUSABLE = frozenset(
    code
    for bounds in Path(__file__).with_name("confusables.txt").read_text().split()
    for first, _, last in [bounds.partition("-")]
    for code in range(int(first, 16), int(last or first, 16) + 1)
)
# The generated projects' line length (pyproject.toml), which ruff's E501 enforces.
LINE_LENGTH = 100


def width(text: str) -> int:
    """Columns a line takes as ruff counts them (at most): wide characters such as CJK and emoji take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _words(text: str, inside: Callable[[str], bool]) -> list[str]:
    """For each character, the run of characters around it for which `inside` holds ("" outside any)."""
    words, start = [""] * len(text), 0
    for end in range(len(text) + 1):
        if end == len(text) or not inside(text[end]):
            words[start:end] = [text[start:end]] * (end - start)
            start = end + 1
    return words


def _maybe_alphanumeric(char: str) -> bool:
    # Rust's is_alphanumeric (ruff's word boundary) also counts some marks and symbols (Ⓐ) as letters.
    return char.isalnum() or (not char.isascii() and unicodedata.category(char)[0] not in "PZC")


def _look_alikes(text: str) -> set[int]:
    """Where ruff would flag a look-alike. ruff spares a confusable letter only inside a word that has no
    ASCII letter or digit and at least one unambiguous non-ASCII one ("Сервис"); its words are runs of
    Rust's alphanumerics, which lie between Python's and _maybe_alphanumeric's, so a letter is spared
    here only when it would be under both."""
    narrow, wide = _words(text, str.isalnum), _words(text, _maybe_alphanumeric)
    return {
        index
        for index, char in enumerate(text)
        if ord(char) in CONFUSABLE
        and not (
            any(not c.isascii() and c.isalnum() and ord(c) not in CONFUSABLE for c in narrow[index])
            and not any(c.isascii() and c.isalnum() for c in wide[index])
        )
    }


def _escape(char: str) -> str:
    return char.encode("unicode_escape").decode()


def _python_body(text: str, quote: str) -> str:
    """The text as the inside of a Python string literal. ruff reads look-alikes in the source, where an
    escape's ASCII letters join the word next to it, so escaping goes on until the source has none."""
    tokens = ["\\" + char if char in ("\\", quote) else char if char.isprintable() else _escape(char) for char in text]
    while True:
        source, starts, offset = "".join(tokens), {}, 0
        for index, token in enumerate(tokens):
            starts[offset] = index
            offset += len(token)
        # Escapes are ASCII: every look-alike left in the source is a character written as itself.
        if not (flagged := _look_alikes(source)):
            return source
        for position in flagged:
            tokens[starts[position]] = _escape(text[starts[position]])


def python_string(text: str) -> str:
    """A Python string literal, quoted as ruff format would quote it (double, unless single needs fewer escapes)."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    return quote + _python_body(text, quote) + quote


def docstring(text: str) -> str:
    """A module docstring, wrapped at word boundaries to the project's line length when it is longer."""
    body = _python_body(text, '"')
    if width(f'"""{body}"""') <= LINE_LENGTH:
        return f'"""{body}"""'
    # Wrapped to leave room for the closing quotes: ruff format keeps them on the last line of a one-line
    # docstring (then a long single word, which E501 exempts), and on a line of their own after more.
    words = body.split()
    lines = ['"""' + words[0]]
    for word in words[1:]:
        if width(f"{lines[-1]} {word}") <= LINE_LENGTH - 3:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[0] + '"""' if len(lines) == 1 else "\n".join([*lines, '"""'])


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are a subset of TOML's; UTF-8 text stays as it is (tojson
    would write emoji as surrogate pairs, which TOML refuses), and DEL, which JSON allows raw, is escaped."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes are a subset of YAML's, and the same text as
    toml_string (DEL, which YAML counts as unprintable, escaped; emoji as they are)."""
    return toml_string(text)


# Markdown: what would start markup anywhere (code, emphasis, links, HTML, tables, strikethrough,
# GitHub's math, entities) or only at the start of a line (headings, lists, rules, quotes) or as a
# heading's closing #. `_` inside a word, as in snake_case, never starts emphasis.
_MARKUP = re.compile(r"[\\`*\[\]<>|~$]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)|^[#+=-]|(?<=\s)#(?=#*$)")
_ORDERED_LIST = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def markdown(text: str) -> str:
    """Markdown inline text that renders as exactly `text`: markup characters are backslash-escaped."""
    return _ORDERED_LIST.sub(r"\1\\\2", _MARKUP.sub(r"\\\g<0>", text))
