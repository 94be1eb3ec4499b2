"""The bottom layer: error types and settings that every other part of ghqa may import, and that import nothing of it."""
