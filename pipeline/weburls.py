"""What counts as a web address: the one check for URLs found in text (`extractors/urls.py`)
and for link targets of every reader (`readers/builder.py`).

A web address is `http(s)://...` or a bare domain (`www.x.eu/a`) with no quote, angle
bracket, backslash, backtick, space or control character, a host that is an IP literal or
IDNA-encodable labels ending in a known public suffix, and a port in 1-65535. The public
suffix list ships with `publicsuffixlist`: nothing is downloaded.
"""
from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_LDH_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.I)
WEB_SCHEMES = frozenset({"http", "https"})
# Never part of a URL, even inside one: quotes, angle brackets, backslash, backtick; with
# every space, control and format character (tested by Unicode category).
_FORBIDDEN = frozenset("\"'<>\\`")
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@lru_cache(maxsize=1)
def public_suffixes() -> PublicSuffixList:
    return PublicSuffixList(only_icann=True)


@lru_cache(maxsize=8192)
def valid_url(url: str) -> bool:
    """Whether `url` parses as a web address: `http(s)://` or a bare domain (`www.x.eu/a`),
    no quote, angle bracket, backslash, backtick, space or control character, a host that is an
    IP literal or IDNA-encodable labels ending in a known public suffix, a port in 1-65535.
    `javascript:...`, `https://x.eu/"><script>`, `https://x.eu:99999/` and `https://intranet/` are not.
    """
    if not url or any(c in _FORBIDDEN or unicodedata.category(c) in _FORBIDDEN_CATEGORIES for c in url):
        return False
    scheme = SCHEME.match(url)
    if scheme is not None and scheme.group(1).lower() not in WEB_SCHEMES:
        return False
    try:
        parts = urlsplit(url if scheme else "//" + url)
        port = parts.port  # ValueError when not a number or out of range
    except ValueError:
        return False
    if port == 0 or (scheme is None and "@" in parts.netloc):
        return False  # `mailto:a@b.eu`, `tel:+32...` read as a bare domain
    return valid_host(parts.hostname or "")


def valid_host(host: str) -> bool:
    """An IP address, or labels that encode to IDNA (letters, digits, inner hyphens, 1-63
    characters each) and end in a suffix of the public suffix list."""
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2:
        return False
    ascii_labels = []
    for label in labels:
        try:
            encoded = label.encode("idna").decode("ascii").lower()
        except (UnicodeError, ValueError):
            return False
        if not _LDH_LABEL.match(encoded):
            return False
        ascii_labels.append(encoded)
    return public_suffixes().publicsuffix(".".join(ascii_labels), accept_unknown=False) is not None
