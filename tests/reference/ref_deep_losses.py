"""Reference values for src/cluster/deep/losses_tests.rs: Student-t soft assignment, DEC/IDEC target
distribution, KL(P||Q) averaged over rows (Keras 'kld'), and the soft silhouette of Vardakas et al.
2024, computed directly with NumPy on a tiny example; with one-hot probabilities the soft silhouette
is checked against scikit-learn's silhouette_score.

Run: tests/reference/.venv/bin/python tests/reference/ref_deep_losses.py
"""
import numpy as np
from sklearn.metrics import silhouette_score

z = np.array([[0.0, 0.0], [1.0, 0.5], [4.0, 4.0], [5.0, 3.5], [0.5, -1.0]])
mu = np.array([[0.5, 0.0], [4.5, 4.0]])
alpha = 1.0

d2 = ((z[:, None, :] - mu[None, :, :]) ** 2).sum(-1)
num = (1.0 + d2 / alpha) ** (-(alpha + 1.0) / 2.0)
q = num / num.sum(1, keepdims=True)
w = q ** 2 / q.sum(0)
p = w / w.sum(1, keepdims=True)
kl = (p * np.log(p / q)).sum() / len(z)


def soft_silhouette(z, prob):
    n, k = prob.shape
    d = np.sqrt(((z[:, None, :] - z[None, :, :]) ** 2).sum(-1))
    a = np.zeros((n, k))
    for i in range(n):
        for c in range(k):
            mask = np.arange(n) != i
            a[i, c] = (prob[mask, c] * d[i, mask]).sum() / prob[mask, c].sum()
    total = 0.0
    for i in range(n):
        for c in range(k):
            b = min(a[i, l] for l in range(k) if l != c)
            total += prob[i, c] * (b - a[i, c]) / max(a[i, c], b)
    return total / n


print("q =", repr(q.ravel().tolist()))
print("p =", repr(p.ravel().tolist()))
print("kl =", repr(kl))
print("soft silhouette (q) =", repr(soft_silhouette(z, q)))
hard = np.array([0, 0, 1, 1, 0])
onehot = np.eye(2)[hard]
print("soft silhouette (one-hot) =", repr(soft_silhouette(z, onehot)))
print("sklearn silhouette =", repr(silhouette_score(z, hard)))
