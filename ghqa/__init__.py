"""ghqa: semantic search and cited answers over Chinese trade-union work reports."""

__version__ = "0.1.0"
