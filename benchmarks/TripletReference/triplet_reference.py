#!/usr/bin/env python3
"""Same-protocol PyTorch reference for MlNetExt's TripletEmbedding (issue 19). Not part of CI.

Protocol ("identities", see README.md next to this file):
  * every one of the 3,000 training images of data/fashion-mnist-subset is one identity; its "photos" are random
    views (pose, scale incl. zoom-out, shift, shear, multiplicative and additive light, contrast, sensor noise),
    drawn fresh for every example of every batch;
  * held-out identities: the 1,000 test images (never trained on) x 4 fixed views. The views are read from the file
    the C# side writes (`dotnet run -c Release --project benchmarks/MlNetExt.Benchmarks -- triplet --views-out F`),
    so both implementations score the same pixels; without --views the script draws its own.
  * network: the small CNN MlNetExt builds for ImageBackbone.FromScratch("small_cnn", Channels = 16-32-64):
    3 x [conv3x3 (no bias), BatchNorm, ReLU] with 2x2 max pooling after the first two, global average pooling,
    a linear projection to 64 and L2 normalisation. Gray images are replicated to RGB and normalised with the
    ImageNet mean/std (what MlNetExt does inside its exported graph).
  * loss: triplet, margin 0.2, Euclidean distance, FaceNet semi-hard mining (per anchor-positive pair the hardest
    negative farther than the positive, else the farthest negative), mean over anchor-positive pairs;
    P x K batches (each epoch a permutation of the identities), Adam 1e-3.

Usage:
  /usr/bin/python3 benchmarks/TripletReference/triplet_reference.py --views /tmp/heldout-views.u8 [options]
Options for ablations: --mining, --reduction, --input, --init, --sampler, --policy, --epochs, --seed.
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGE = 28
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

# The photo policy: (operation, parameters, probability), in the order the geometric parts compose.
# It mirrors TripletIdentitiesBenchmark.PhotoPolicy on the C# side operation for operation.
PHOTO = [
    ("rotate", (-15.0, 15.0), 0.8),
    ("zoom", (0.8, 1.25), 0.8),                    # scale about the centre: <1 zooms out
    ("shift", (0.1, 0.1), 0.8),
    ("shear", (-10.0, 10.0), 0.5),
    ("brightness", (0.7, 1.3), 0.8),               # multiplicative
    ("brightness_shift", (-0.1, 0.1), 0.5),        # additive
    ("contrast", (0.7, 1.3), 0.8),
    ("noise", (0.0, 0.06), 0.7),
]

# What MlNetExt's augmentation could express before issue 19: no zoom-out (ScaleCrop over the same zoom-in range),
# multiplicative brightness only.
PHOTO_RESTRICTED = [
    ("rotate", (-15.0, 15.0), 0.8),
    ("scale_crop", (0.64, 1.0, 1.0, 1.0), 0.8),
    ("shift", (0.1, 0.1), 0.8),
    ("shear", (-10.0, 10.0), 0.5),
    ("brightness", (0.7, 1.3), 0.8),
    ("contrast", (0.7, 1.3), 0.8),
    ("noise", (0.0, 0.06), 0.7),
]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data[4 + 4 * ndim:], dtype=np.uint8).reshape(dims)


def data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "data", "fashion-mnist-subset")


def augment(x, policy, rng, gray_noise=True):
    """Random views of a batch x [N, C, H, W] in [0, 1]: one affine warp (bilinear, black outside), one colour
    transform out = B*C*x + (1-C)*B*mean_luma(input) + offset, Gaussian noise, clamp. Same maths as MlNetExt's
    BatchAugmenter (AugmentationPlan); different random numbers."""
    n, c, h, w = x.shape
    m = np.tile(np.eye(3), (n, 1, 1))
    gain = np.ones(n)
    contrast = np.ones(n)
    offset = np.zeros(n)
    noise = np.zeros(n)
    geometry = False
    for op, p, prob in policy:
        on = rng.random_sample(n) < prob
        if op == "rotate":
            t = np.radians(rng.uniform(p[0], p[1], n))
            a = np.zeros((n, 3, 3)); a[:, 2, 2] = 1
            a[:, 0, 0] = np.cos(t); a[:, 0, 1] = -np.sin(t); a[:, 1, 0] = np.sin(t); a[:, 1, 1] = np.cos(t)
        elif op == "zoom":
            f = rng.uniform(p[0], p[1], n)
            a = np.zeros((n, 3, 3)); a[:, 2, 2] = 1
            a[:, 0, 0] = 1 / f; a[:, 1, 1] = 1 / f
        elif op == "scale_crop":
            area = rng.uniform(p[0], p[1], n) * w * h
            ratio = np.exp(rng.uniform(math.log(p[2]), math.log(p[3]), n))
            cw = np.sqrt(area * ratio); ch = np.sqrt(area / ratio)
            cw = np.minimum(cw, w); ch = np.minimum(ch, h)
            cx = (rng.random_sample(n) * 2 - 1) * (w - cw) / 2
            cy = (rng.random_sample(n) * 2 - 1) * (h - ch) / 2
            a = np.zeros((n, 3, 3)); a[:, 2, 2] = 1
            a[:, 0, 0] = cw / w; a[:, 0, 2] = cx; a[:, 1, 1] = ch / h; a[:, 1, 2] = cy
        elif op == "shift":
            dx = rng.uniform(-p[0], p[0], n) * w; dy = rng.uniform(-p[1], p[1], n) * h
            a = np.tile(np.eye(3), (n, 1, 1)); a[:, 0, 2] = -dx; a[:, 1, 2] = -dy
        elif op == "shear":
            t = np.radians(rng.uniform(p[0], p[1], n))
            a = np.tile(np.eye(3), (n, 1, 1)); a[:, 0, 1] = -np.tan(t)
        elif op == "brightness":
            gain = np.where(on, gain * rng.uniform(p[0], p[1], n), gain); continue
        elif op == "brightness_shift":
            offset = np.where(on, offset + rng.uniform(p[0], p[1], n), offset); continue
        elif op == "contrast":
            contrast = np.where(on, contrast * rng.uniform(p[0], p[1], n), contrast); continue
        elif op == "noise":
            s = rng.uniform(p[0], p[1], n)
            noise = np.where(on, np.sqrt(noise ** 2 + s ** 2), noise); continue
        else:
            raise ValueError(op)
        geometry = geometry or on.any()
        m = np.where(on[:, None, None], m @ a, m)
    out = x
    if geometry:
        theta = np.stack([m[:, 0, 0], m[:, 0, 1] * h / w, m[:, 0, 2] * 2 / w,
                          m[:, 1, 0] * w / h, m[:, 1, 1], m[:, 1, 2] * 2 / h], 1).reshape(n, 2, 3)
        grid = F.affine_grid(torch.tensor(theta, dtype=torch.float32), list(x.shape), align_corners=False)
        out = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    mean = x.mean((1, 2, 3)).numpy().astype(np.float64)   # luma of a gray image; the input is gray here
    g = torch.tensor(gain * contrast, dtype=torch.float32).view(n, 1, 1, 1)
    s = torch.tensor((1 - contrast) * gain * mean + offset, dtype=torch.float32).view(n, 1, 1, 1)
    out = out * g + s
    if noise.any():
        shape = (n, 1 if gray_noise else c, h, w)
        out = out + torch.tensor(rng.standard_normal(shape), dtype=torch.float32) * torch.tensor(noise, dtype=torch.float32).view(n, 1, 1, 1)
    return out.clamp(0, 1)


class SmallCnn(nn.Module):
    """conv3x3(no bias)-BN-ReLU blocks, 2x2 max pooling after all but the last, global average pooling, linear, L2."""

    def __init__(self, channels, in_channels, dim, init):
        super().__init__()
        layers = []
        c = in_channels
        for i, o in enumerate(channels):
            layers += [nn.Conv2d(c, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]
            if i < len(channels) - 1:
                layers.append(nn.MaxPool2d(2, 2))
            c = o
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(c, dim)
        if init == "torchvision":   # what MlNetExt's SmallCnn does: Kaiming normal, fan_out, ReLU
            for mod in self.modules():
                if isinstance(mod, nn.Conv2d):
                    nn.init.kaiming_normal_(mod.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        return F.normalize(self.fc(self.features(x).mean((2, 3))), p=2, dim=1)


def to_input(images, mode):
    """Gray [N, 1, H, W] in [0, 1] -> network input."""
    if mode == "rgb-imagenet":
        x = images.expand(-1, 3, -1, -1)
        mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)
        std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
        return (x - mean) / std
    return (images - 0.5) / 0.5


def pairwise(e):
    sq = (e * e).sum(1)
    d2 = (sq[:, None] + sq[None, :] - 2 * e @ e.t()).clamp_min(0)
    return d2.clamp_min(1e-12).sqrt()


def triplet_loss(e, y, margin, mining, reduction):
    """Returns (loss, fraction of the loss's triplets that are active)."""
    d = pairwise(e)
    same = y[:, None] == y[None, :]
    eye = torch.eye(len(y), dtype=torch.bool)
    pos = same & ~eye
    neg = ~same
    if mining == "facenet":
        # per (a, p): the hardest negative with d(a,n) > d(a,p); if none, the farthest negative (TF-Addons' rule).
        a, p = pos.nonzero(as_tuple=True)
        dap = d[a, p]
        dan = d[a]                                  # [pairs, n]
        valid = neg[a]
        outside = valid & (dan > dap[:, None])
        big = torch.finfo(d.dtype).max
        hardest_outside = torch.where(outside, dan, torch.full_like(dan, big)).min(1).values
        farthest = torch.where(valid, dan, torch.full_like(dan, -big)).max(1).values
        chosen = torch.where(outside.any(1), hardest_outside, farthest)
        losses = (dap - chosen + margin).relu()
    elif mining in ("semihard", "all", "hard"):
        ap = pos.unsqueeze(2) & neg.unsqueeze(1)   # [a, p, n]
        dap = d.unsqueeze(2)
        dan = d.unsqueeze(1)
        if mining == "semihard":
            ap = ap & (dan > dap) & (dan < dap + margin)
        elif mining == "hard":
            ap = ap & (dan < dap)
        losses = (dap - dan + margin).relu()[ap]
    elif mining == "batchhard":
        dap = torch.where(pos, d, torch.zeros_like(d)).max(1).values
        dan = torch.where(neg, d, torch.full_like(d, float("inf"))).min(1).values
        losses = (dap - dan + margin).relu()
    else:
        raise ValueError(mining)
    if losses.numel() == 0:
        return e.sum() * 0, 0.0
    active = (losses > 0).float()
    fraction = active.mean().item()
    if reduction == "nonzero":
        return losses.sum() / active.sum().clamp_min(1), fraction
    return losses.mean(), fraction


def embed(net, images, input_mode, batch=500):
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            out.append(net(to_input(images[i:i + batch], input_mode)))
    return torch.cat(out).numpy().astype(np.float64)


def metrics(e, labels):
    """Leave-one-out recall@1, MAP@R (R = other rows of the class) and pair ROC AUC over all pairs (Euclidean)."""
    n = len(labels)
    sq = (e * e).sum(1)
    d = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * e @ e.T, 0))
    np.fill_diagonal(d, np.inf)
    order = np.argsort(d, axis=1, kind="stable")
    same = labels[order] == labels[:, None]
    recall1 = same[:, 0].mean()
    sizes = np.bincount(labels)
    r = sizes[labels] - 1
    maps = []
    for i in range(n):
        hits = same[i, :r[i]]
        precision = np.cumsum(hits) / np.arange(1, r[i] + 1)
        maps.append((precision * hits).sum() / r[i])
    iu = np.triu_indices(n, 1)
    dist = d[iu]
    positive = labels[iu[0]] == labels[iu[1]]
    ranks = dist.argsort(kind="stable").argsort() + 1.0   # ties are rare in float distances
    p = positive.sum(); q = len(dist) - p
    auc = 1 - (ranks[positive].sum() - p * (p + 1) / 2) / (p * q)
    return dict(recall_at_1=float(recall1), map_at_r=float(np.mean(maps)), auc=float(auc))


def epoch_batches(identities, p, sampler, rng):
    if sampler == "permutation":
        order = rng.permutation(identities)
        return [order[i:i + p] for i in range(0, identities - p + 1, p)]
    # independent draws per batch (what MlNetExt did before issue 19)
    return [rng.choice(identities, p, replace=False) for _ in range(identities // p)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--views", help="held-out fixed views written by the C# benchmark (uint8, image-major)")
    ap.add_argument("--views-per-identity", type=int, default=4)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--classes-per-batch", "-P", type=int, default=64)
    ap.add_argument("--examples-per-class", "-K", type=int, default=3)
    ap.add_argument("--channels", default="16,32,64")
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--margin", type=float, default=0.2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--mining", default="facenet", choices=["facenet", "semihard", "all", "hard", "batchhard"])
    ap.add_argument("--reduction", default="mean", choices=["mean", "nonzero"])
    ap.add_argument("--input", default="rgb-imagenet", choices=["rgb-imagenet", "gray"])
    ap.add_argument("--init", default="torchvision", choices=["torchvision", "pytorch"])
    ap.add_argument("--sampler", default="permutation", choices=["permutation", "independent"])
    ap.add_argument("--policy", default="photo", choices=["photo", "restricted", "none"])
    ap.add_argument("--color-noise", action="store_true", help="augment after replicating gray to RGB (per-channel noise)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="append the result as one JSON line to this file")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)
    root = data_dir()
    train = torch.tensor(read_idx(os.path.join(root, "train-images-idx3-ubyte.gz")), dtype=torch.float32).unsqueeze(1) / 255
    test = read_idx(os.path.join(root, "t10k-images-idx3-ubyte.gz"))
    v = args.views_per_identity
    if args.views:
        raw = np.fromfile(args.views, dtype=np.uint8)
        held_out = torch.tensor(raw.reshape(len(test) * v, 1, IMAGE, IMAGE), dtype=torch.float32) / 255
    else:
        base = torch.tensor(test, dtype=torch.float32).unsqueeze(1) / 255
        view_rng = np.random.RandomState(20261123)
        views = [augment(base, PHOTO, view_rng) for _ in range(v)]
        held_out = (torch.stack(views, 1).reshape(-1, 1, IMAGE, IMAGE) * 255).round() / 255
    held_labels = np.repeat(np.arange(len(test)), v)
    policy = {"photo": PHOTO, "restricted": PHOTO_RESTRICTED, "none": []}[args.policy]

    in_channels = 3 if args.input == "rgb-imagenet" else 1
    net = SmallCnn([int(c) for c in args.channels.split(",")], in_channels, args.dim, args.init)
    untrained = metrics(embed(net, held_out, args.input), held_labels)
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    p, k = args.classes_per_batch, args.examples_per_class
    started = time.time()
    history = []
    for epoch in range(1, args.epochs + 1):
        net.train()
        loss_sum, active_sum, batches = 0.0, 0.0, 0
        for ids in epoch_batches(len(train), p, args.sampler, rng):
            ids = np.repeat(ids, k)
            labels = torch.tensor(ids)
            images = train[torch.tensor(ids)]
            if args.color_noise:
                images = augment(images.expand(-1, 3, -1, -1).contiguous(), policy, rng, gray_noise=False) if policy else images
                x = (images - torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1)) / torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
            else:
                if policy:
                    images = augment(images, policy, rng)
                x = to_input(images, args.input)
            loss, active = triplet_loss(net(x), labels, args.margin, args.mining, args.reduction)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item(); active_sum += active; batches += 1
        history.append(dict(epoch=epoch, loss=loss_sum / batches, active=active_sum / batches))
        print(f"epoch {epoch}: loss {loss_sum / batches:.4f}, active {active_sum / batches:.1%}, {time.time() - started:.0f} s", flush=True)
    seconds = time.time() - started
    trained = metrics(embed(net, held_out, args.input), held_labels)
    result = dict(args=vars(args), train_seconds=seconds, trained=trained, untrained=untrained, history=history)
    print(f"untrained: recall@1 {untrained['recall_at_1']:.3f}  MAP@R {untrained['map_at_r']:.3f}  AUC {untrained['auc']:.4f}")
    print(f"trained:   recall@1 {trained['recall_at_1']:.3f}  MAP@R {trained['map_at_r']:.3f}  AUC {trained['auc']:.4f}  ({seconds:.0f} s training)")
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
