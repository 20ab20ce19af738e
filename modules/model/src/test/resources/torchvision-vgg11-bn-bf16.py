# Run: python3 torchvision-vgg11-bn-bf16.py torchvision-vgg11-bn-bf16.safetensors (needs torch; not a build step).
# Writes a torchvision-style VGG state dict (no vgg4j metadata) with PyTorch's eval-mode logits
# for a fixed input, as safetensors, keys prefixed "module." and floats as BF16 -> the fixture of
# TorchvisionParityTest. torchvision's VGG rebuilt by hand: features as make_layers, avgpool 7x7,
# classifier Linear/ReLU/Dropout x2 + Linear.
import json, struct, sys
import torch, torch.nn as nn
torch.manual_seed(0)
cfg = [2, "M", 4, "M", 8, 8, "M", 16, 16, "M", 16, 16, "M"]   # vgg11 at width 1/32
layers, c = [], 3
for v in cfg:
    if v == "M":
        layers.append(nn.MaxPool2d(2, 2))
    else:
        layers += [nn.Conv2d(c, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU(True)]
        c = v
hidden, classes = 12, 5
class VGG(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(nn.Linear(16 * 49, hidden), nn.ReLU(True), nn.Dropout(),
                                        nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(), nn.Linear(hidden, classes))
    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))
m = VGG()
# non-trivial running statistics, as a trained model has
for mod in m.modules():
    if isinstance(mod, nn.BatchNorm2d):
        mod.running_mean.uniform_(-0.2, 0.2); mod.running_var.uniform_(0.5, 1.5)
        mod.weight.data.uniform_(0.5, 1.5); mod.bias.data.uniform_(-0.2, 0.2); mod.num_batches_tracked.fill_(7)
sd = {k: (v.to(torch.bfloat16) if v.is_floating_point() else v) for k, v in m.state_dict().items()}
m.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in sd.items()})  # logits of the BF16 weights
m.eval()
x = torch.rand(2, 3, 32, 40) * 2 - 1
with torch.no_grad():
    logits = m(x)
tensors = {"module." + k: v for k, v in sd.items()}
tensors["expected.input"] = x
tensors["expected.logits"] = logits
names = {torch.float32: "F32", torch.bfloat16: "BF16", torch.int64: "I64"}
header, blobs, off = {}, [], 0
for k, v in tensors.items():
    b = v.contiguous().view(torch.uint8).numpy().tobytes() if v.dim() else v.reshape(1).view(torch.uint8).numpy().tobytes()
    header[k] = {"dtype": names[v.dtype], "shape": list(v.shape), "data_offsets": [off, off + len(b)]}
    blobs.append(b); off += len(b)
h = json.dumps(header).encode()
h += b" " * ((8 - len(h) % 8) % 8)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(h))); f.write(h); [f.write(b) for b in blobs]
print("max |logit|", logits.abs().max().item())
