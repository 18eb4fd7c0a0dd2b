"""Every package's ``__all__`` is sorted and names exactly its public members (like httpx)."""

import importlib
import pkgutil

import pytest

import api
import diagrams
import fishbone

PACKAGES = [fishbone, diagrams, api]


def modules():
    for package in PACKAGES:
        yield package.__name__
        for info in pkgutil.walk_packages(
            package.__path__, prefix=f"{package.__name__}."
        ):
            if ".migrations" not in info.name:
                yield info.name


def isort_style(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions, as ruff's RUF022 orders ``__all__``."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


@pytest.mark.parametrize("name", list(modules()))
def test_all_is_declared_and_sorted(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} does not declare __all__"
    assert list(module.__all__) == sorted(module.__all__, key=isort_style), (
        f"{name}.__all__ is not sorted"
    )
    for member in module.__all__:
        assert hasattr(module, member), f"{name}.__all__ names missing {member!r}"


def test_fishbone_exports_every_public_member():
    public = {
        name
        for name, value in vars(fishbone).items()
        if not name.startswith("_") and not isinstance(value, type(fishbone))
    } - {"annotations", "importlib", "TYPE_CHECKING", "Final"}
    assert public | set(fishbone._LAZY) == set(fishbone.__all__)


def test_statistics_load_lazily_and_resolve():
    from fishbone.ranking import rank

    assert fishbone.rank is rank
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = fishbone.nope
