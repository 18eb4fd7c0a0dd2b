"""`make run` / `make test` set-up: without apt (or root) it names what to install."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_missing_packages_without_apt_are_named_with_the_command_to_run(tmp_path):
    # A PATH with the tools the script needs but neither Graphviz nor apt-get.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("id", "ls", "python3"):
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    result = subprocess.run(
        [
            shutil.which("bash") or "/bin/bash",
            str(ROOT / "scripts" / "bootstrap.sh"),
            "run",
        ],
        env={**os.environ, "PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "missing system packages: graphviz" in result.stderr
    assert "sudo apt-get install graphviz" in result.stderr
