"""Finding the inputs of a batch: files and folders as the user gave them.

Every input the user pointed at is accounted for: a file to read, an `unreadable_file`
error row (an unreadable file or folder, a dangling link, a FIFO or device, a link loop)
or a batch warning (a folder link that loops back). Folders are searched recursively
for the supported extensions, hidden entries skipped; links to folders are followed
once. Nothing here opens a file for reading: that happens in the worker, with limits.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .model import ErrorRow
from .text import display_path
from .readers import SUPPORTED_EXTENSIONS


@dataclass
class InputFile:
    path: Path  # the path to open (may hold undecodable bytes as surrogate escapes)
    source: str  # how outputs name it: valid UTF-8, no control characters


@dataclass
class Discovery:
    files: list[InputFile] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _unreadable(source: str, why: str) -> ErrorRow:
    return ErrorRow(source=source, error="unreadable_file", message=f"{source}: {why}")


def _supported(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SUPPORTED_EXTENSIONS


def discover_inputs(paths: Iterable[str | os.PathLike]) -> Discovery:
    """Expand files and folders into inputs, error rows and warnings (see the module docstring).

    A file's `source` is the path as given; a file found in a folder is named relative to
    that folder, or by the folder as given and the relative path when two folders hold the
    same relative name. A path that does not exist raises FileNotFoundError (a usage error).
    """
    found: list[tuple[Path, str, str]] = []  # (path, source relative to its folder, source with the folder)
    result = Discovery()

    for given in paths:
        p = Path(given)
        shown = display_path(str(given))
        if p.is_dir():
            _walk(p, "", shown, {os.path.realpath(p)}, found, result)
        elif p.exists():
            error = _not_regular(p, shown)
            if error:
                result.errors.append(error)
            else:
                found.append((p, shown, shown))
        elif p.is_symlink():
            result.errors.append(_unreadable(shown, _link_problem(p)))
        else:
            raise FileNotFoundError(str(given))

    counts: dict[str, int] = {}
    for _, source, _ in found:
        counts[source] = counts.get(source, 0) + 1
    seen: set[str] = set()
    for path, source, full in found:
        key = os.path.realpath(path)
        if key in seen:  # the same file reached twice (given twice, or a link to it)
            continue
        seen.add(key)
        result.files.append(InputFile(path, full if counts[source] > 1 else source))
    return result


def _walk(folder: Path, rel: str, given: str, visited: set[str], found: list, result: Discovery) -> None:
    here = f"{rel}/" if rel else f"{given.rstrip('/')}/"
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        result.errors.append(_unreadable(display_path(here), f"cannot list the folder ({exc.strerror or exc})"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child_rel = f"{rel}/{entry.name}" if rel else entry.name
        shown = display_path(child_rel)
        full = display_path(f"{given.rstrip('/')}/{child_rel}")
        path = Path(entry.path)
        try:
            is_link = entry.is_symlink()
            if is_link:
                try:
                    st = os.stat(entry.path)
                except OSError:
                    if _supported(entry.name):
                        result.errors.append(_unreadable(shown, _link_problem(path)))
                    else:
                        result.warnings.append(f"{full}: {_link_problem(path)}; skipped")
                    continue
                mode = st.st_mode
            else:
                mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            result.errors.append(_unreadable(shown, f"cannot read its properties ({exc.strerror or exc})"))
            continue
        if stat.S_ISDIR(mode):
            real = os.path.realpath(path)
            if is_link and any(real == v or real.startswith(v.rstrip("/") + "/") for v in visited):
                # a loop, or a second way into a folder searched anyway: its files are read once
                result.warnings.append(f"{full}: a link into a folder already searched (a loop or a second "
                                       "way in); skipped")
                continue
            _walk(path, child_rel, given, visited | {real}, found, result)
        elif _supported(entry.name):
            if stat.S_ISREG(mode):
                found.append((path, shown, full))
            else:
                result.errors.append(_unreadable(shown, f"not a regular file ({_kind(mode)}); not read"))


def _not_regular(path: Path, shown: str) -> ErrorRow | None:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return _unreadable(shown, f"cannot read its properties ({exc.strerror or exc})")
    if stat.S_ISREG(mode):
        return None
    return _unreadable(shown, f"not a regular file ({_kind(mode)}); not read")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _link_problem(path: Path) -> str:
    try:
        os.stat(path)
    except FileNotFoundError:
        return f"a dangling symbolic link (to {display_path(os.readlink(path))})"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        return f"a symbolic link that cannot be followed ({exc.strerror or exc})"
    return "a symbolic link"

