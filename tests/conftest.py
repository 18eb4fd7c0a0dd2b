"""Suite-wide settings.

Hypothesis explores new random examples on every local run; under CI
(``CI=true``) it is derandomized, so a run is reproducible from the commit alone
and a red build always points at a counterexample anyone can replay.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
