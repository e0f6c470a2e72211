"""Safetensors in plain Python (struct + json, no safetensors package), for DeepCanvas's interop tests.

    /usr/bin/python3 tools/pytorch/make_safetensors_fixture.py
        writes engine/src/test/resources/fixtures/pytorch-tiny.safetensors, a small PyTorch state_dict in
        several dtypes (F32, F16, BF16, F64, I64), and pytorch-tiny.safetensors.json: each tensor's dtype,
        shape and values as float32 (what DeepCanvas must read back), as {"dtype", "shape", "data"}.

    /usr/bin/python3 tools/pytorch/make_safetensors_fixture.py --read FILE
        checks FILE against the format the way the reference implementation does (offsets contiguous and
        covering the data exactly) and prints the same JSON for it on stdout.

Deterministic: re-running leaves `git diff` empty.
"""

import json
import os
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32}
NAMES = {v: k for k, v in DTYPES.items()}
SAME_SIZE_INT = {torch.bfloat16: torch.int16}  # numpy has no bfloat16; its bytes go through int16

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "engine", "src", "test", "resources", "fixtures", "pytorch-tiny.safetensors")


def save(tensors, path, metadata=None):
    assert sys.byteorder == "little", "safetensors data is little-endian; this writer copies native bytes"
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous()
        raw = t.view(SAME_SIZE_INT.get(t.dtype, t.dtype)).numpy().tobytes()  # native order: little-endian
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header length beyond the end of the file"
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = data[8 + n:]
    spans = sorted((h["data_offsets"][0], h["data_offsets"][1], name) for name, h in header.items())
    end = 0
    for begin, stop, name in spans:
        assert begin == end, f"{name}: data does not start where the previous tensor ends ({begin} != {end})"
        end = stop
    assert end == len(body), f"the tensors cover {end} of {len(body)} data bytes"
    tensors = {}
    for name, h in header.items():
        dtype = DTYPES[h["dtype"]]
        begin, stop = h["data_offsets"]
        view = SAME_SIZE_INT.get(dtype, dtype)
        flat = torch.frombuffer(bytearray(body[begin:stop]), dtype=view) if stop > begin else torch.empty(0, dtype=view)
        tensors[name] = flat.view(dtype).reshape(h["shape"])
    return tensors, metadata


def describe(tensors, metadata):
    return {"metadata": metadata,
            "tensors": {name: {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                               "data": [float(v) for v in t.float().flatten().tolist()]}
                        for name, t in tensors.items()}}


def make_fixture():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))
    net.train()
    for _ in range(7):  # num_batches_tracked = 7, running stats move off their defaults
        net(torch.randn(4, 1, 5, 5))
    fc = torch.nn.Linear(4, 3)
    tensors = {"classifier.weight": fc.weight, "classifier.bias": fc.bias}  # not in name order on purpose
    tensors.update(net.state_dict())
    tensors["half"] = torch.tensor([1.5, -0.0999755859375, 65504.0, 6e-8], dtype=torch.float16)
    tensors["brain"] = torch.tensor([[3.140625, -1e-3], [1e30, -2.0]], dtype=torch.bfloat16)
    tensors["double"] = torch.tensor([0.1, -2.5, 1e-3, 1.0 / 3], dtype=torch.float64)
    tensors["scalar"] = torch.tensor(42.0)
    save(tensors, OUT, {"format": "pt", "source": "tools/pytorch/make_safetensors_fixture.py"})
    loaded, metadata = load(OUT)  # what a reader sees, after the bytes went to disk
    with open(OUT + ".json", "w") as f:
        json.dump(describe(loaded, metadata), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--read":
        print(json.dumps(describe(*load(sys.argv[2]))))
    elif len(sys.argv) == 1:
        make_fixture()
    else:
        sys.exit(__doc__)
