"""Writes the small PyTorch checkpoints that tests/MlNetExt.Vision.Tests/Weights/PyTorchFixtures holds.

Needs PyTorch and torchvision (Debian 12: apt-get install python3-torch python3-torchvision; written with 1.13 / 0.14).
Run: /usr/bin/python3 tools/pytorch-checkpoint-fixtures/make_fixtures.py tests/MlNetExt.Vision.Tests/Weights/PyTorchFixtures

Every checkpoint comes with <name>.expected.safetensors holding the same tensors, written by the tiny writer below
(no safetensors package needed), so the C# tests compare what they read against values written independently.
The malicious files carry a __reduce__ that would create /tmp/mlnetext-pickle-was-executed if anything unpickled
them the way Python's pickle does; the tests assert that file never appears.
"""
import collections
import json
import os
import struct
import sys

import torch
import torchvision

MARKER = "/tmp/mlnetext-pickle-was-executed"

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32",
          torch.uint8: "U8", torch.bool: "BOOL", torch.bfloat16: "BF16"}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        data = t.view(torch.uint8).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def save(folder, name, obj, tensors=None, legacy=False):
    path = os.path.join(folder, name)
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy)
    if tensors is not None:
        write_safetensors(path + ".expected.safetensors", tensors)
    print(f"{name}: {os.path.getsize(path)} bytes")


class RunsACommand:
    """What an attacker puts in a checkpoint: unpickling calls os.system."""

    def __reduce__(self):
        return (os.system, (f"touch {MARKER}",))


class EvaluatesCode:
    def __reduce__(self):
        return (eval, (f"__import__('os').system('touch {MARKER}')",))


def main(folder):
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_()
                module.running_mean.normal_()
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(7)
        model.fc.bias.normal_()
    state = model.state_dict()

    # torchvision's own key names and layout; a subset keeps the file small (conv1 alone is 37 KB).
    keys = ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
            "layer1.0.bn1.weight", "layer1.0.bn1.bias", "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var",
            "layer1.0.bn1.num_batches_tracked", "fc.bias"]
    subset = collections.OrderedDict((k, state[k]) for k in keys)
    subset._metadata = state._metadata  # what model.state_dict() carries, so BUILD with a dict state is exercised
    save(folder, "resnet18_subset.pth", subset, subset)

    small_keys = [k for k in keys if k.startswith("bn1.") or k == "fc.bias"]
    small = collections.OrderedDict((k, state[k]) for k in small_keys)
    small._metadata = state._metadata
    save(folder, "resnet18_subset_legacy.pth", small, small, legacy=True)

    # Views: two entries sharing one storage (offset and stride), one half-precision tensor, as a Hugging Face .bin.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    views = collections.OrderedDict([("whole", base), ("rows", base[1:3]), ("column", base[:, 2]),
                                     ("transposed", base.t()), ("half", torch.linspace(-2, 2, 5).half())])
    save(folder, "views.bin", views, views)

    # A training checkpoint whose weights sit under 'state_dict'.
    head = collections.OrderedDict([("fc.weight", torch.randn(3, 4)), ("fc.bias", torch.randn(3))])
    save(folder, "checkpoint.pth", {"epoch": 3, "best_acc": 0.75, "arch": "resnet18", "state_dict": head}, head)

    # Hostile and unsupported files.
    save(folder, "malicious_system.pth", {"weight": torch.zeros(2), "payload": RunsACommand()})
    save(folder, "malicious_eval_legacy.pth", {"weight": torch.zeros(2), "payload": EvaluatesCode()}, legacy=True)
    save(folder, "whole_module.pth", torch.nn.Linear(2, 2))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
