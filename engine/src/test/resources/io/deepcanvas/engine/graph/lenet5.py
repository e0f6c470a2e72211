# LeNet-5: designed in DeepCanvas, exported as a PyTorch module.
# Run it with: python3 <this file> [weights.safetensors]
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(kernel_size=2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(kernel_size=2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(400, 120)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(120, 84)
        self.relu4 = nn.ReLU()
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # x: [N, 1, 32, 32]
        x = self.conv1(x)  # [N, 6, 28, 28]
        x = self.relu1(x)  # [N, 6, 28, 28]
        x = self.pool1(x)  # [N, 6, 14, 14]
        x = self.conv2(x)  # [N, 16, 10, 10]
        x = self.relu2(x)  # [N, 16, 10, 10]
        x = self.pool2(x)  # [N, 16, 5, 5]
        x = self.flatten(x)  # [N, 400]
        x = self.fc1(x)  # [N, 120]
        x = self.relu3(x)  # [N, 120]
        x = self.fc2(x)  # [N, 84]
        x = self.relu4(x)  # [N, 84]
        x = self.fc3(x)  # [N, 10]
        return x


def load_safetensors(path):
    """Reads a .safetensors file, with the safetensors package when it is installed."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        print("safetensors is not installed (pip install safetensors): using the built-in reader",
              file=sys.stderr)
        return read_safetensors(path)
    return load_file(path)


def read_safetensors(path):
    """A minimal reader: 8-byte little-endian header size, a JSON header, then raw float32 data."""
    import json
    import struct

    with open(path, "rb") as f:
        header_size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{name} is {info['dtype']}: this reader only handles F32; "
                             "pip install safetensors")
        start, end = info["data_offsets"]
        # little-endian float32, the byte order of x86 and ARM machines
        values = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32)
        tensors[name] = values.reshape(info["shape"])
    return tensors


if __name__ == "__main__":
    model = Net()
    if len(sys.argv) > 1:
        model.load_state_dict(load_safetensors(sys.argv[1]))
        print(f"loaded weights from {sys.argv[1]}")
    print(model)
    print(f"parameters: {sum(p.numel() for p in model.parameters())}")
    model.eval()
    with torch.no_grad():
        out = model(torch.randn(4, 1, 32, 32))
    print(f"output shape: {list(out.shape)}")
