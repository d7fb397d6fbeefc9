import pytest

from pipeline.errors import ReportError
from pipeline.model import HEADING, LIST_ITEM, PARAGRAPH
from pipeline.readers import read_document

MD = """---
title: Front Matter Title
author: Ana Silva
---
Big Title
=========

Sub title
---------

**Bold heading**

NEXT STEPS

2.1 Panel on data

Text with <!-- hidden 99 --> a comment, 3<sup>rd</sup> day, Census 2021<sup>2</sup> and **bold** words
<https://a.eu/x> and [b](https://b.eu/) hard  
break.

• first bullet
• second bullet

1. one
2. two
   - nested
"""


def test_markdown_blocks(tmp_path):
    p = tmp_path / "r.md"
    p.write_text(MD, encoding="utf-8")
    doc = read_document(p)
    assert doc.meta["title"] == "Front Matter Title"
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds[:5] == [(HEADING, "Big Title"), (HEADING, "Sub title"), (HEADING, "Bold heading"),
                         (HEADING, "NEXT STEPS"), (HEADING, "2.1 Panel on data")]
    para = doc.blocks[5]
    assert para.kind == PARAGRAPH
    assert "99" not in para.text and "3rd day" in para.text and "Census 2021 and" in para.text
    assert "**" not in para.text and "<" not in para.text
    assert [l.url for l in para.links] == ["https://a.eu/x", "https://b.eu/"]
    assert doc.text[para.links[1].char_start:para.links[1].char_end] == "b"
    assert len(para.lines) == 3
    items = [(b.text, b.depth, b.ordered) for b in doc.blocks if b.kind == LIST_ITEM]
    assert items == [("first bullet", 0, False), ("second bullet", 0, False), ("one", 0, True),
                     ("two", 0, True), ("nested", 1, False)]
    for b in doc.blocks:
        assert doc.text[b.char_start:b.char_end] == b.text


def test_plain_text_blocks(tmp_path):
    p = tmp_path / "m.txt"
    p.write_text("WORKSHOP MINUTES\n\nMinutes: Jane Doe\n\n1. INTRODUCTION\nThe chair opened.\n\n"
                 "ACTION POINTS\n- Send the slides\n  to all partners\n- Book a room\n", encoding="utf-8")
    doc = read_document(p)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (HEADING, "WORKSHOP MINUTES"), (PARAGRAPH, "Minutes: Jane Doe"), (HEADING, "1. INTRODUCTION"),
        (PARAGRAPH, "The chair opened."), (HEADING, "ACTION POINTS"),
        (LIST_ITEM, "Send the slides to all partners"), (LIST_ITEM, "Book a room")]


def test_legacy_encoding_is_detected(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Compte rendu de la réunion des élèves à Orléans, où l'on a parlé de l'été.\n".encode("latin-1"))
    assert "réunion" in read_document(p).text


@pytest.mark.parametrize("name,data,kind", [
    ("empty.md", b"\n\n  \n", "empty_document"),
    ("data.csv", b"a,b\n1,2\n", "unsupported_format"),
    ("archive.md", b"PK\x03\x04rest", "unsupported_format"),
    ("binary.txt", b"\x00\x9c\x81\xfe" * 100, "unreadable_text"),
])
def test_bad_inputs_raise_specific_errors(tmp_path, name, data, kind):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ReportError) as err:
        read_document(p)
    assert err.value.kind == kind


@pytest.mark.parametrize("line,start,end", [
    ("Thursday 3rd and Friday 4th of February 2022 – online", "2022-02-03", "2022-02-04"),
    ("30th Sep - 02nd Oct 2025, Lyon", "2025-09-30", "2025-10-02"),
    ("14 May 2025, 10:00-17:30", "2025-05-14", "2025-05-14"),
    ("March 3-5, 2023", "2023-03-03", "2023-03-05"),
    ("Réunion les 8 et 9 juin 2022 à Nantes", "2022-06-08", "2022-06-09"),
    ("Atelier du 4 au 6 novembre 2025", "2025-11-04", "2025-11-06"),
    ("le 1er décembre 2024", "2024-12-01", "2024-12-01"),
])
def test_event_dates(extract_text, line, start, end):
    lang_hint = "Le compte rendu de la réunion est disponible pour les participants et les élus." \
        if any(w in line for w in ("juin", "novembre", "décembre")) else "The report is for the partners."
    r = extract_text(f"# Title\n\nPublished on 9 December 2024\n\n{line}\n\n{lang_hint}\n")
    assert (r.document.date_start, r.document.date_end) == (start, end)


@pytest.mark.parametrize("line,author", [
    ("Author: Jean-François Lelièvre – INES Formation", "Jean-François Lelièvre"),
    ("By Maria Rossi, European Retrofit Alliance", "Maria Rossi"),
    ("Minutes: Jane Doe (Secretariat)", "Jane Doe"),
    ("Par Marie Dupont, chargée de mission", "Marie Dupont"),
])
def test_author(extract_text, line, author):
    body = ("Les partenaires de la région ont présenté leurs résultats aux élus." if line.startswith("Par")
            else "By 2030, all partners will report.")
    r = extract_text(f"# Title\n\n{line}\n\n{body}\n")
    assert r.document.author == author


def test_front_matter_metadata_and_language(extract_text):
    r = extract_text("---\ntitle: Rencontre\nauthor: Paul Martin\ndate: 2024-03-02\n---\n\n"
                     "Le projet a été présenté aux élus de la région, qui ont posé des questions.\n")
    d = r.document
    assert (d.title, d.author, d.date_start, d.language) == ("Rencontre", "Paul Martin", "2024-03-02", "fr")
