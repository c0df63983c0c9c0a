"""Which revision a build is of, and its date."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    try:
        # GIT_OPTIONAL_LOCKS=0: `git status` must not refresh the project's index (vnr preview
        # writes nothing into the project; a build should not either)
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=20,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def revision(root: Path, given: str | None) -> str:
    """`--revision`, else `git describe --tags --always --dirty` of the project, else `unversioned`."""
    if given:
        return given
    # `git describe --dirty` rewrites .git/index (git 2.39, whatever GIT_OPTIONAL_LOCKS says): the
    # same answer from `describe` and `status`, which with GIT_OPTIONAL_LOCKS=0 writes nothing
    described = _git(root, "describe", "--tags", "--always")
    if described and _git(root, "status", "--porcelain", "--untracked-files=no"):
        described += "-dirty"
    return described or "unversioned"


def build_date(root: Path) -> dt.date:
    """SOURCE_DATE_EPOCH if set, else the date of the project's last commit, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git(root, "log", "-1", "--format=%ct")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.datetime.now(dt.timezone.utc).date()


def short(root: Path, rev: str) -> str:
    """A revision as people quote it: its tag or short sha (`--since v1.0` stays `v1.0`)."""
    return _git(root, "describe", "--tags", "--exact-match", rev) or _git(root, "rev-parse", "--short", rev) or rev


def commit(root: Path, rev: str) -> str:
    """The commit a revision names, or the name itself where git does not know it."""
    return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}") or rev
