"""Regenerates www/data/digits.bin from the copy of the UCI handwritten digits that an installed
scikit-learn ships (sklearn/datasets/data/digits.csv.gz): 1,797 images of 8×8 pixels with values
0 to 16, and their classes 0 to 9.

The file is 1,797 records of 65 bytes: the class, then the 64 pixels row by row, one byte each
(17 levels do not fit a nibble). Run: python scripts/digits.py (with scikit-learn installed).
"""

import gzip
import os

import sklearn

source = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "data", "digits.csv.gz")
target = os.path.join(os.path.dirname(__file__), "..", "www", "data", "digits.bin")
out = bytearray()
with gzip.open(source, "rt") as rows:
    for row in rows:
        values = [int(float(v)) for v in row.strip().split(",")]
        pixels, label = values[:64], values[64]
        assert len(values) == 65 and 0 <= label <= 9 and all(0 <= p <= 16 for p in pixels)
        out.append(label)
        out.extend(pixels)
assert len(out) == 1797 * 65, len(out)
with open(target, "wb") as f:
    f.write(bytes(out))
print(f"wrote {target}: {len(out) // 65} images")
