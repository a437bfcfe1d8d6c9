"""The peer of benches/gan.rs: the same GAN and training step in PyTorch, CPU, one thread.

Model: generator 2 -> 64 -> 64 -> 2 and discriminator 2 -> 64 -> 64 -> 1, LeakyReLU(0.2) between
layers, linear outputs; non-saturating BCE on logits; Adam(lr 1e-3, betas 0.5/0.999) for each;
batch 256; one iteration = one discriminator step on real and fake together (fakes from fresh
noise, detached) plus one generator step on fresh noise, with the discriminator frozen so only
the input gradient flows through it (as genplay does). Real samples: ring of 8 Gaussians
(radius 0.8, std 0.05). genplay also measures a sliced Wasserstein distance every 10 iterations
(about 1% of its time); this script does not.

Usage: python3 benches/peers/gan_torch.py  (prints the median iterations/s over 5 runs of 1000)
"""

import math
import pathlib
import statistics
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)

BATCH = 256
WIDTH = 64
RUNS = 5
ITERATIONS_PER_RUN = 1000
WARM_UP = 100


def mlp(inputs, outputs):
    return nn.Sequential(
        nn.Linear(inputs, WIDTH),
        nn.LeakyReLU(0.2),
        nn.Linear(WIDTH, WIDTH),
        nn.LeakyReLU(0.2),
        nn.Linear(WIDTH, outputs),
    )


generator = mlp(2, 2)
discriminator = mlp(2, 1)
g_opt = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.999))
d_opt = torch.optim.Adam(discriminator.parameters(), lr=1e-3, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
labels = torch.cat([torch.ones(BATCH, 1), torch.zeros(BATCH, 1)])
ones = torch.ones(BATCH, 1)
angles = torch.arange(8) * (2 * math.pi / 8)
centres = 0.8 * torch.stack([angles.cos(), angles.sin()], dim=1)


def real_batch():
    return centres[torch.randint(0, 8, (BATCH,))] + 0.05 * torch.randn(BATCH, 2)


def iteration():
    # Discriminator step: real and fake in one forward pass, loss = mean(real) + mean(fake).
    with torch.no_grad():
        fake = generator(torch.randn(BATCH, 2))
    logits = discriminator(torch.cat([real_batch(), fake]))
    d_loss = 2.0 * bce(logits, labels)
    d_opt.zero_grad(set_to_none=True)
    d_loss.backward()
    d_opt.step()
    # Generator step: non-saturating loss -log D(G(z)), gradients only into the generator.
    for p in discriminator.parameters():
        p.requires_grad_(False)
    g_loss = bce(discriminator(generator(torch.randn(BATCH, 2))), ones)
    g_opt.zero_grad(set_to_none=True)
    g_loss.backward()
    g_opt.step()
    for p in discriminator.parameters():
        p.requires_grad_(True)
    return d_loss.item(), g_loss.item()


for _ in range(WARM_UP):
    iteration()
rates = []
for _ in range(RUNS):
    start = time.perf_counter()
    for _ in range(ITERATIONS_PER_RUN):
        losses = iteration()
    rates.append(ITERATIONS_PER_RUN / (time.perf_counter() - start))
print(
    f"torch {torch.__version__} CPU 1 thread: median {statistics.median(rates):.0f} iterations/s "
    f"over {RUNS} runs of {ITERATIONS_PER_RUN} (runs: {', '.join(f'{r:.0f}' for r in rates)}); "
    f"last losses D {losses[0]:.3f} G {losses[1]:.3f}"
)
# The browser bench (benches/browser/gan.mjs) reads this to print its ratio from the same run.
out = pathlib.Path(__file__).resolve().parents[2] / "target/gan_bench"
out.mkdir(parents=True, exist_ok=True)
(out / "torch_its.txt").write_text(f"{statistics.median(rates):.3f}\n")
