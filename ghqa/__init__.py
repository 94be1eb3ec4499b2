"""ghqa: semantic search and cited answers over Chinese trade-union work reports."""
