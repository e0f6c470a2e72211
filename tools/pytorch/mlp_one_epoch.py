"""The dense 784-512-512-10 MNIST network for one epoch in PyTorch (Adam 1e-3, batch 128, Normalize), seeds 1-5.

Run by hand to compare with `MnistExamples mlp --seed N`:  /usr/bin/python3 tools/pytorch/mlp_one_epoch.py
"""
import os
import gzip, sys, numpy as np, torch, torch.nn as nn
torch.set_num_threads(2)
def idx(p):
    d = gzip.open(p).read()
    return np.frombuffer(d, np.uint8, offset=16 if d[3] == 3 else 8)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'sample-data', 'mnist') + os.sep
xtr = torch.tensor(idx(root+'train-images-idx3-ubyte.gz').reshape(-1,1,28,28)/255., dtype=torch.float32)
ytr = torch.tensor(idx(root+'train-labels-idx1-ubyte.gz').astype(np.int64))
xte = torch.tensor(idx(root+'t10k-images-idx3-ubyte.gz').reshape(-1,1,28,28)/255., dtype=torch.float32)
yte = torch.tensor(idx(root+'t10k-labels-idx1-ubyte.gz').astype(np.int64))
xtr = (xtr-0.1307)/0.3081; xte = (xte-0.1307)/0.3081
for seed in [1,2,3,4,5]:
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Flatten(), nn.Linear(784,512), nn.ReLU(), nn.Linear(512,512), nn.ReLU(), nn.Linear(512,10))
    opt = torch.optim.Adam(net.parameters(), 1e-3); ce = nn.CrossEntropyLoss()
    perm = torch.randperm(60000)
    for i in range(0, 60000, 128):
        b = perm[i:i+128]; opt.zero_grad(); ce(net(xtr[b]), ytr[b]).backward(); opt.step()
    with torch.no_grad(): acc = (net(xte).argmax(1) == yte).float().mean().item()
    print(f"seed {seed}: {100*acc:.2f}%", flush=True)
