"""The output folder: written atomically, locked while a run writes, touched only where ours.

- `atomic_write` writes a temporary file beside the target, flushes it to disk and renames
  it into place: a crash or a kill leaves the old file or the new one, never half a file,
  and no temporary file when the write fails. New files get the usual permissions (0666
  less the umask), as `open()` would give them, not mkstemp's 0600.
- `OutputFolder.lock()` holds an exclusive `fcntl` lock on `.report-pipeline.lock` for a
  whole run: a second run on the same folder stops at once with `OutputLocked`. The lock
  file is empty and stays; the lock goes with the process, even on `kill -9`.
- The tool deletes only files it wrote itself (the manifest lists them), only regular files,
  and never through a symbolic link: `remove_owned` checks every path component.
"""
from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

LOCK_NAME = ".report-pipeline.lock"

_umask: int | None = None


class OutputFolderError(Exception):
    """The output folder cannot be used (not writable, a link where a file goes...): a usage error."""


class OutputLocked(OutputFolderError):
    """Another run holds the output folder's lock."""


def file_mode() -> int:
    """0666 less the process umask (read once: os.umask can only be read by setting it)."""
    global _umask
    if _umask is None:
        _umask = os.umask(0o022)
        os.umask(_umask)
    return 0o666 & ~_umask


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A temporary path beside `path`; renamed onto `path` when the block ends without error,
    removed when it raises. The caller writes the temporary file (e.g. SQLite builds it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        os.close(fd)
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` all or nothing (see the module docstring)."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)


class OutputFolder:
    """The `--out` folder of a run. `subfolders` are the folders the tool writes into."""

    def __init__(self, path: str | os.PathLike, subfolders: Iterable[str] = ("json",)) -> None:
        if not str(path).strip():
            raise OutputFolderError("the output folder name is empty")
        self.path = Path(path)
        self.subfolders = tuple(subfolders)
        self._lock_fd: int | None = None

    def prepare(self) -> None:
        """Create the folder and check that the run can write there; raises OutputFolderError."""
        out = self.path
        try:
            out.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise OutputFolderError(f"{out} exists and is not a folder")
        except OSError as exc:
            raise OutputFolderError(f"cannot create the output folder {out}: {exc.strerror or exc}")
        if not out.is_dir():
            raise OutputFolderError(f"{out} is not a folder")
        for name in self.subfolders:
            sub = out / name
            if sub.is_symlink():
                raise OutputFolderError(f"{sub} is a symbolic link; report-pipeline never writes or deletes through "
                                        f"links in the output folder: remove the link or choose another --out")
            if sub.exists() and not sub.is_dir():
                raise OutputFolderError(f"{sub} exists and is not a folder")
            try:
                sub.mkdir(exist_ok=True)
            except OSError as exc:
                raise OutputFolderError(f"cannot create {sub}: {exc.strerror or exc}")

    def check_targets(self, names: Iterable[str]) -> None:
        """Every file the run will replace must be a regular file of ours, not a link or a folder."""
        for name in names:
            target = self.path / name
            try:
                st = target.lstat()
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(st.st_mode):
                raise OutputFolderError(f"{target} is a symbolic link; report-pipeline does not replace links in "
                                        f"the output folder: remove it or choose another --out")
            if not stat.S_ISREG(st.st_mode):
                raise OutputFolderError(f"{target} exists and is not a regular file")

    # -- lock ---------------------------------------------------------------------------

    def lock(self) -> None:
        """Take the folder's lock or raise OutputLocked (another run) / OutputFolderError."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: runs are not serialised there
            return
        path = self.path / LOCK_NAME
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, file_mode())
        except OSError as exc:
            raise OutputFolderError(f"cannot write to the output folder {self.path}: {exc.strerror or exc}")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputLocked(f"another report-pipeline run is writing to {self.path}; "
                               "wait for it to finish or choose another --out")
        # the file stays, empty (same outputs, same bytes): deleting a lock file lets a run
        # that opened it just before lock a file nobody else sees
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the lock
            self._lock_fd = None

    def __enter__(self) -> "OutputFolder":
        self.prepare()
        self.lock()
        return self

    def __exit__(self, *exc) -> None:
        self.unlock()

    # -- clean-up -------------------------------------------------------------------------

    def owned_path(self, relative: str) -> Path | None:
        """`out/relative` when it stays inside the folder with no link on the way, else None."""
        rel = PurePosixPath(relative)
        if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts):
            return None
        current = self.path
        for part in rel.parts:
            current = current / part
            try:
                if stat.S_ISLNK(current.lstat().st_mode):
                    return None
            except OSError:
                return None
        return current

    def remove_owned(self, relatives: Iterable[str]) -> list[str]:
        """Delete these files written by an earlier run (regular files only, no links followed);
        returns the ones removed. Folders and anything else are left alone."""
        removed = []
        for relative in sorted(set(relatives)):
            path = self.owned_path(relative)
            if path is None:
                continue
            try:
                if stat.S_ISREG(path.lstat().st_mode):
                    path.unlink()
                    removed.append(relative)
            except OSError:
                continue
        return removed
