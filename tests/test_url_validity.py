"""Only URLs that parse as URLs become rows (and links): http(s) or a bare domain, no quotes,
angle brackets, backslashes, spaces or control characters, a host with a known public suffix
or an IP literal, a port in range. A rejected link target is dropped; its anchor stays text."""
from fixtures.render import add_hyperlink, add_hyperlink_style

from pipeline.readers import read_document

INJECTED = 'https://example.eu/"><script>alert(1)</script>'
WIKI = "https://en.wikipedia.org/wiki/Rust_(programming_language)"
IDN_QUERY = "https://bücher.de/katalog?q=wasser&lang=de#treffer"
PORT = "http://example.org:8080/api/v2?x=1&y=2"

BAD = set("\"'<>\\` ")


def rows(report):
    return [u.url for u in report.urls]


def link_targets(doc):
    return [link.url for block in doc.blocks for link in block.links]


def assert_clean(urls):
    for url in urls:
        assert not BAD & set(url), url
        assert url.lower().startswith(("http://", "https://")), url


def docx_with_links(path, links):
    import docx

    d = docx.Document()
    add_hyperlink_style(d)
    d.add_heading("Links", level=1)
    for target, anchor in links:
        p = d.add_paragraph("See ")
        add_hyperlink(p, anchor, target)
        p.add_run(" for more.")
    d.save(str(path))
    return path


def test_docx_injected_and_javascript_links_are_dropped(tmp_path):
    from pipeline import extract_file

    path = docx_with_links(tmp_path / "r.docx", [
        (INJECTED, "the site"),
        ("javascript:alert(1)", "click here"),
        ("javascript://example.eu/%0Aalert(1)", "this page"),
        ("https://example.eu/a\\b", "backslash"),
        ("https://example.eu/\tx", "a tab"),
        ("https://example.eu/a b", "a space"),
        (WIKI, "Rust"),
        (IDN_QUERY, "the catalogue"),
        (PORT, "the API"),
    ])
    doc = read_document(path)
    assert link_targets(doc) == [WIKI, IDN_QUERY, PORT]
    for anchor in ("See the site for more.", "See click here for more.", "See this page for more."):
        assert anchor in doc.text  # the anchor text of a dropped link stays
    report = extract_file(path)
    assert_clean(rows(report))
    assert rows(report) == [WIKI, IDN_QUERY, PORT]
    assert [u.domain for u in report.urls] == ["wikipedia.org", "bücher.de", "example.org"]


HTML = """<!doctype html><html><head><title>Links</title></head><body><h1>Links</h1>
<p>See <a href='https://example.eu/"><script>alert(1)</script>'>the site</a>,
<a href="javascript:alert(1)">click here</a>, <a href="https://example.eu:99999/">a bad port</a>,
<a href="https://intranet.notatld/home">the intranet</a>, <a href="https://exa mple.eu/">a space</a>,
<a href="https://en.wikipedia.org/wiki/Rust_(programming_language)">Rust</a>,
<a href="http://example.org:8080/api/v2?x=1&amp;y=2">the API</a> and
<a href="http://[2001:db8::1]/status">the server</a>.</p></body></html>"""


def test_html_injected_link_is_dropped_and_valid_links_kept(tmp_path):
    from pipeline import extract_file

    (tmp_path / "r.html").write_text(HTML, encoding="utf-8")
    doc = read_document(tmp_path / "r.html")
    assert link_targets(doc) == [WIKI, PORT, "http://[2001:db8::1]/status"]
    assert "See the site, click here, a bad port, the intranet, a space, Rust, the API and the server." in doc.text
    report = extract_file(tmp_path / "r.html")
    assert_clean(rows(report))
    assert rows(report) == [WIKI, PORT, "http://[2001:db8::1]/status"]


def test_markdown_injected_links_are_dropped(tmp_path):
    from pipeline import extract_file

    md = ("# Links\n\nSee [the site](https://example.eu/'><script>alert(1)</script>), "
          f"[the other site]({INJECTED}), [click](javascript:alert(1)), "
          f"[Rust]({WIKI}) and [the catalogue]({IDN_QUERY}).\n")
    (tmp_path / "r.md").write_text(md, encoding="utf-8")
    doc = read_document(tmp_path / "r.md")
    assert_clean(link_targets(doc))
    # markdown-it refuses `javascript:` destinations itself: that one is no link, its text stays as written
    assert "See the site, the other site, [click](javascript:alert(1)), Rust and the catalogue." in doc.text
    report = extract_file(tmp_path / "r.md")
    urls = rows(report)
    assert_clean(urls)
    # markdown-it percent-encodes `"<>` in link destinations: what is left is an inert, valid URL
    assert [u for u in urls if "example.eu" not in u] == [WIKI, "https://xn--bcher-kva.de/katalog?q=wasser&lang=de#treffer"]


def test_urls_in_text_must_parse(extract_text):
    r = extract_text(
        "Links\n\nTry https://example.eu/'onmouseover='alert(1) or https://example.org\\evil; "
        "not https://example.eu:99999/x nor https://server.notatld/home nor http://999.1.1.1/. "
        f"Keep {WIKI}, {IDN_QUERY}, {PORT}, http://192.168.1.10:8080/status and "
        "http://[2001:db8::1]/status.\n", name="r.txt")
    urls = rows(r)
    assert_clean(urls)
    assert urls == ["https://example.eu/", "https://example.org", WIKI, IDN_QUERY, PORT,
                    "http://192.168.1.10:8080/status", "http://[2001:db8::1]/status"]
