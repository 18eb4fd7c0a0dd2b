"""``fishbone keys create|list|revoke`` against a SQLite store in tmp_path."""

from typer.testing import CliRunner

from api.cli import app
from fishbone.store import Store

runner = CliRunner()


def invoke(db, *args):
    return runner.invoke(app, ["keys", *args, "--db", db])


def test_create_list_revoke(tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = invoke(db, "create", "--scope", "ingest", "--name", "nightly-survey")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("fb_")
    store = Store(db)
    key = store.authenticate(token)
    assert key is not None
    assert (key.name, key.scopes) == ("nightly-survey", ("ingest",))
    store.close()

    listed = invoke(db, "list")
    assert listed.exit_code == 0, listed.output
    assert "nightly-survey" in listed.output
    assert token not in listed.output

    revoked = invoke(db, "revoke", key.id)
    assert revoked.exit_code == 0, revoked.output
    store = Store(db)
    assert store.authenticate(token) is None
    store.close()


def test_several_scopes(tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    result = invoke(db, "create", "-s", "read", "-s", "edit", "-n", "workshop")
    assert result.exit_code == 0, result.output
    assert "scopes read,edit" in result.output


def test_bad_input_is_a_clear_error(tmp_path):
    db = f"sqlite:///{tmp_path / 'k.db'}"
    assert (
        "unknown scope 'write'"
        in invoke(db, "create", "--scope", "write", "--name", "x").output
    )
    assert invoke(db, "create", "--scope", "read").exit_code == 2
    assert "no key with id 'key_nope'" in invoke(db, "revoke", "key_nope").output
    assert invoke(db, "revoke").exit_code == 2


def test_database_from_the_environment(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("FISHBONE_DATABASE_URL", db)
    result = runner.invoke(app, ["keys", "create", "--scope", "admin", "--name", "ops"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()
