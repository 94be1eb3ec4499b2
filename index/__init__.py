"""The store, the lexical and vector indexes, and search over them."""
