"""PyTorch CPU reference for the landclust VAE benchmark (examples/vae_speed.rs).

Same architecture as the study's listing 19 (hidden 38, LeakyReLU(0.2) first, 4 linear layers
in encoder and decoder), the same loss (MSE mean + alpha * KL summed over the batch), Adam lr
1e-3, batch 256, shuffled every epoch. Reads the z-scored float32 matrix written by
`cargo run --release --example vae_speed -- --write-npy PATH` (or generates a Gaussian mixture
when no file is given), trains, and prints seconds per epoch and the final R2 of decode(mu(x)).

    /work/torchvenv/bin/python tests/reference/torch_vae_bench.py [data.npy] [--epochs 50]
        [--latent 2] [--alpha 1e-4] [--threads 2]
"""

import argparse
import time

import numpy as np
import torch
from torch import nn


class VariationalAutoEncoder(nn.Module):
    def __init__(self, input_dim, hidden_dim, latent_dim):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(input_dim, hidden_dim), nn.LeakyReLU(0.2),
            nn.Linear(hidden_dim, hidden_dim), nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim), nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim),
        )
        self.mean_layer = nn.Linear(hidden_dim, latent_dim)
        self.logvar_layer = nn.Linear(hidden_dim, latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, hidden_dim), nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim), nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim), nn.ReLU(),
            nn.Linear(hidden_dim, input_dim),
        )

    def forward(self, x):
        h = self.encoder(x)
        mu, logvar = self.mean_layer(h), self.logvar_layer(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.decoder(z), mu, logvar


def mixture(n=64_800, d=7, k=8, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 2, size=(k, d))
    labels = rng.integers(0, k, size=n)
    x = centres[labels] + rng.normal(0, 0.3, size=(n, d))
    return ((x - x.mean(0)) / x.std(0)).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?")
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--latent", type=int, default=2)
    ap.add_argument("--alpha", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x_np = np.load(args.data).astype(np.float32) if args.data else mixture()
    x = torch.from_numpy(x_np)
    n, d = x.shape
    model = VariationalAutoEncoder(d, 38, args.latent)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        perm = torch.randperm(n)
        for i in range(0, n, 256):
            batch = x[perm[i:i + 256]]
            opt.zero_grad()
            x_hat, mu, logvar = model(batch)
            rec = torch.mean((batch - x_hat) ** 2)
            kl = -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp())
            loss = rec + args.alpha * kl
            loss.backward()
            opt.step()
    elapsed = time.perf_counter() - start
    with torch.no_grad():
        h = model.encoder(x)
        x_hat = model.decoder(model.mean_layer(h))
        r2 = 1.0 - torch.mean((x_hat - x) ** 2).item() / x.var(unbiased=False).item()
    print(f"torch {torch.__version__} threads={args.threads} n={n} d={d} latent={args.latent} "
          f"epochs={args.epochs}: {elapsed / args.epochs:.4f} s/epoch, R2 = {r2:.4f}")


if __name__ == "__main__":
    main()
