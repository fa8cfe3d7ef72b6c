"""live: Play's frames, computed ahead in batches from real network states (NumPy and netcore only)."""
