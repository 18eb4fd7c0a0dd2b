"""Keep pytest's doctest collection out of Alembic's scripts (env.py runs on import)."""

collect_ignore = ["env.py"]
