"""Where things are: the tool's own files (templates, base mkdocs.yml, scaffold) and paths from content.

- `templates()` / `base_mkdocs()` / `scaffold_template()` / `default_rubrics()`: the files the
  installed tool carries.
  A wheel maps `site_templates/` and `mkdocs.yml` into the package (see pyproject.toml); an
  editable install or a source checkout finds them beside the package. Nothing else in the
  package locates its own files.
- `display(path)`: how messages name a file (relative to the working folder when inside it).
- `safe_path(root, rel)`: a path given in content, refused when it leaves `root`.
- `file_digest(path)`: a file's sha256, cached by mtime and size.
- `new_folder` / `replace_folder`: staging folders and the atomic swap of a finished one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path


def package_dir() -> Path:
    return Path(str(resources.files("generators")))


@lru_cache(maxsize=None)
def _resource(name: str) -> Path:
    inside = package_dir() / name
    if inside.exists():
        return inside
    beside = package_dir().parent / name  # editable install / source checkout
    if beside.exists():
        return beside
    raise FileNotFoundError(f"anquan 安装不完整：找不到 {name}（应随软件包安装在 {inside}）")


def templates() -> Path:
    """site_templates/: every Typst, Jinja2 and site template."""
    return _resource("site_templates")


def base_mkdocs() -> Path:
    """The base mkdocs.yml every enterprise site starts from."""
    return _resource("mkdocs.yml")


def import_root() -> Path:
    """The folder this package is imported from: subprocesses of the tool (the Typst server) put it
    on their PYTHONPATH so that they run the same copy."""
    return package_dir().parent


def default_rubrics() -> Path:
    """The rating profiles (评价细则) the tool carries: generators/rubrics/*.yaml. A content
    library's own rubrics/ folder overrides them file by file."""
    return package_dir() / "rubrics"


def scaffold_template() -> Path:
    """The minimal enterprise that `anquan new` copies."""
    return package_dir() / "scaffold_template"


def display(path: Path | str) -> str:
    """A file as messages name it: relative to the working folder when inside it, else absolute."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def safe_path(root: Path, relative: str) -> Path | None:
    """Resolve a path given in content; None when it would leave `root` (../, absolute, symlink)."""
    if not relative or os.path.isabs(relative) or "\x00" in relative or relative.startswith("~"):
        return None
    candidate = root / relative
    try:
        resolved = candidate.resolve(strict=False)
        root_resolved = root.resolve()
    except (OSError, RuntimeError):
        return None
    if resolved != root_resolved and root_resolved not in resolved.parents:
        return None
    return resolved


_digests: dict[tuple[str, float, int], str] = {}


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, remembered while its mtime and size stay the same."""
    st = path.stat()
    cache_key = (str(path), st.st_mtime, st.st_size)
    digest = _digests.get(cache_key)
    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        _digests[cache_key] = digest
    return digest


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_folder(parent: Path, prefix: str) -> Path:
    """A fresh, uniquely named folder in `parent`, readable as any folder made there (0777 less the
    umask: a web server running as another user can serve what is built in it; mkdtemp alone
    would leave it 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    folder.chmod(0o777 & ~_umask())
    return folder


def replace_folder(new: Path, final: Path) -> None:
    """Put folder `new` in place of `final` with two renames; the old folder is moved aside as
    `.old-<name>-*` (so that a crash between the renames can be repaired) and then removed."""
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".old-{final.name}-", dir=final.parent))
        old.rmdir()
        final.rename(old)
        new.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(final)
