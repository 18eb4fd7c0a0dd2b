import io

from rich.console import Console

from api.cli.progress import MIN_BYTES, reading_progress


def big_file(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as f:
        f.truncate(MIN_BYTES + 1)
    return path


def test_terminal_gets_a_bar_that_advances(tmp_path):
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with reading_progress(big_file(tmp_path), console=console) as progress:
        assert progress is not None
        progress(MIN_BYTES // 2, MIN_BYTES + 1)
    assert "reading big.csv" in out.getvalue()


def test_pipes_and_small_files_get_no_bar(tmp_path):
    piped = Console(file=io.StringIO(), force_terminal=False)
    with reading_progress(big_file(tmp_path), console=piped) as progress:
        assert progress is None
    small = tmp_path / "small.csv"
    small.write_text("text\nhello\n")
    terminal = Console(file=io.StringIO(), force_terminal=True)
    with reading_progress(small, console=terminal) as progress:
        assert progress is None
