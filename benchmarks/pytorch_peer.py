#!/usr/bin/env python3
"""The peer for benchmarks/run.sh: the seed recipe's VGG16-BN (/work/shared/seed/vgg16-cifar10-recipe.txt)
in PyTorch on the CPU, fp32, timed as vgg4j's TrainingStepBenchmark and InferenceBenchmark time theirs:
one batch of random images kept in memory, a training step = forward, CrossEntropyLoss(reduction="sum"),
backward, Adam(lr=1e-3); an inference pass = eval mode under torch.inference_mode().

Usage: pytorch_peer.py [--threads 2] [--cases train:128:32,train:128:50,infer:128:32,infer:128:50]
                       [--warmup 2] [--iterations 5]
Prints one JSON object per case on stdout: {"case", "batch", "size", "threads", "ms", "images_per_s",
"torch", "backend"} with ms the mean of the timed iterations. PyTorch is never a dependency of vgg4j:
run.sh runs this only when `import torch` works.
"""
import argparse
import json
import time

import torch
from torch import nn

CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


class VGGBlock(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.layer = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1),
            nn.BatchNorm2d(num_features=out_channels),
            nn.ReLU(inplace=True))

    def forward(self, x):
        return self.layer(x)


class Model(nn.Module):
    """The recipe's model: its feature extractor and classifier, 10 classes."""

    def __init__(self, cfg):
        super().__init__()
        layers, in_channels = [], 3
        for element in cfg:
            if element == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers.append(VGGBlock(in_channels, element))
                in_channels = element
        self.feature_extractor = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(p=0.5), nn.Linear(512, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=0.5), nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Linear(4096, 10))

    def forward(self, x):
        return self.classifier(self.feature_extractor(x))


def time_case(kind, batch, size, warmup, iterations):
    torch.manual_seed(3)
    model = Model(CFG)
    images = torch.randn(batch, 3, size, size)
    labels = torch.randint(0, 10, (batch,))
    if kind == "train":
        model.train()
        criterion = nn.CrossEntropyLoss(reduction="sum")
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

        def run():
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
    else:
        model.eval()

        def run():
            with torch.inference_mode():
                model(images).argmax(dim=1)
    for _ in range(warmup):
        run()
    times = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    ms = 1000 * sum(times) / len(times)
    return {"case": kind, "batch": batch, "size": size, "threads": torch.get_num_threads(), "ms": round(ms, 2),
            "best_ms": round(1000 * min(times), 2), "images_per_s": round(batch * 1000 / ms, 2),
            "torch": torch.__version__, "backend": torch.backends.cpu.get_cpu_capability()}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cases", default="train:128:32,train:128:50,infer:128:32,infer:128:50",
                   help="comma-separated kind:batch:size, kind train or infer")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iterations", type=int, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for case in a.cases.split(","):
        parts = case.split(":")
        if len(parts) != 3 or parts[0] not in ("train", "infer"):
            p.error(f"--cases: expected kind:batch:size with kind train or infer, got '{case}'")
        print(json.dumps(time_case(parts[0], int(parts[1]), int(parts[2]), a.warmup, a.iterations)), flush=True)


if __name__ == "__main__":
    main()
