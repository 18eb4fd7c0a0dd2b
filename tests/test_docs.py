"""The README documents every command and every setting (like datasette's test_docs)."""

from pathlib import Path

import pytest

from api.cli import app
from api.settings import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [c.name for c in app.registered_commands])
def test_every_command_is_in_the_readme(command):
    assert f"fishbone {command}" in README, (
        f"README.md does not show `fishbone {command}`"
    )


@pytest.mark.parametrize("field", list(Settings.model_fields))
def test_every_setting_is_in_the_readme(field):
    variable = f"FISHBONE_{field.upper()}"
    assert variable in README, f"README.md does not document {variable}"
