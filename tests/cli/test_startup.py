"""The CLI starts without loading what only some commands need.

`fishbone render` must finish a whole process in under a second (issue 3); every
command module therefore imports its heavy dependencies inside the command.
"""

import json
import subprocess
import sys

HEAVY = [
    "scipy",
    "numpy",
    "networkx",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "uvicorn",
    "ahocorasick",
    "sklearn",
    "pydantic_settings",
]


def test_importing_the_cli_loads_no_heavy_library():
    code = "import json, sys, api.cli; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = {name.split(".")[0] for name in json.loads(out)}
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
