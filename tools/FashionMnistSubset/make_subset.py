#!/usr/bin/env python3
"""Builds data/fashion-mnist-subset/ from the Debian package dataset-fashion-mnist.

Usage (Debian 12):
    apt-get install -y dataset-fashion-mnist
    python3 tools/FashionMnistSubset/make_subset.py [source_dir] [target_dir]

Selection is deterministic: for each split, the first N images of every class in the original file
order (N = 300 for train, 100 for test), written in their original relative order, in the original
IDX format, gzip-compressed with a fixed timestamp so that reruns give identical bytes.
Standard library only (no numpy).
"""
import gzip
import os
import struct
import sys

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
TARGET = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "fashion-mnist-subset")
PER_CLASS = {"train": 300, "t10k": 100}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def write_idx(path, type_code, dims, payload):
    header = struct.pack(">BBBB", 0, 0, type_code, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(header + payload)


def main():
    os.makedirs(TARGET, exist_ok=True)
    for split, per_class in PER_CLASS.items():
        (count, rows, cols), pixels = read_idx(os.path.join(SOURCE, f"{split}-images-idx3-ubyte.gz"))
        (label_count,), labels = read_idx(os.path.join(SOURCE, f"{split}-labels-idx1-ubyte.gz"))
        assert count == label_count
        size = rows * cols
        taken = [0] * 10
        chosen = []
        for i in range(count):
            c = labels[i]
            if taken[c] < per_class:
                taken[c] += 1
                chosen.append(i)
        assert all(t == per_class for t in taken), taken
        images = b"".join(pixels[i * size:(i + 1) * size] for i in chosen)
        chosen_labels = bytes(labels[i] for i in chosen)
        write_idx(os.path.join(TARGET, f"{split}-images-idx3-ubyte.gz"), 0x08, (len(chosen), rows, cols), images)
        write_idx(os.path.join(TARGET, f"{split}-labels-idx1-ubyte.gz"), 0x08, (len(chosen),), chosen_labels)
        print(f"{split}: {len(chosen)} images ({per_class} per class) from {count}")


if __name__ == "__main__":
    main()
