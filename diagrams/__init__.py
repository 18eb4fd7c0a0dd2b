"""Drawing fishbone diagrams: layout, DOT text, Graphviz rendering and charts."""

__all__: list[str] = []
