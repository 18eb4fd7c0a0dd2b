"""The edges of fishbone: the HTTP API, the browser UI and the ``fishbone`` CLI."""

__all__: list[str] = []
