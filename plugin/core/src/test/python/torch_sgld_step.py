"""Plain PyTorch SGLD step, the reference of TorchComparisonBenchmark (docs/benchmarks.md).

Times forward, backward and the Langevin update (localized SGLD, as slt4j's SGLD sampler) of a ReLU MLP with a
softmax cross-entropy loss on minibatches drawn from 2,048 random examples, on one thread.

Debian's python3-torch links the generic libblas.so.3: with only the reference BLAS installed behind it a wide MLP
is about 20 times slower than with an optimized one, so install OpenBLAS too
(apt-get install -y python3-torch libopenblas0-pthread). OpenBLAS's own threads are not torch's: they are pinned to
one by OPENBLAS_NUM_THREADS, set here before torch loads.

usage: python3 torch_sgld_step.py WIDTHS BATCH STEPS    (WIDTHS like 20-64-64-4)
prints: a line "blas: ..." naming the BLAS library torch runs on (its resolved path, and OpenBLAS's configuration
and kernel family when it is OpenBLAS), then the milliseconds per step, the median of 5 rounds, on the last line
"""
import ctypes
import math
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402  (after the thread setting, which OpenBLAS reads when it loads)


def blas_in_use():
    """The BLAS libraries mapped into this process after a product ran, with OpenBLAS's own description."""
    a = torch.rand(64, 64)
    (a @ a).sum()
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in os.path.basename(path) or "lapack" in os.path.basename(path):
                paths.add(os.path.realpath(path))
    config = None
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
            library.openblas_get_config.restype = ctypes.c_char_p
            library.openblas_get_corename.restype = ctypes.c_char_p
            config = "%s, kernels %s, %d thread(s)" % (library.openblas_get_config().decode(),
                                                      library.openblas_get_corename().decode(),
                                                      library.openblas_get_num_threads())
            break
        except (OSError, AttributeError):
            continue
    if not paths:
        return "no BLAS library mapped (torch's own kernels)"
    return ", ".join(sorted(paths)) + (" (%s)" % config if config else " (not OpenBLAS)")


def main():
    widths = [int(w) for w in sys.argv[1].split("-")]
    batch = int(sys.argv[2])
    steps = int(sys.argv[3])
    torch.set_num_threads(1)
    torch.manual_seed(1)
    print("blas: torch %s on %s" % (torch.__version__, blas_in_use()))
    layers = []
    for i in range(len(widths) - 2):
        layers += [torch.nn.Linear(widths[i], widths[i + 1]), torch.nn.ReLU()]
    layers.append(torch.nn.Linear(widths[-2], widths[-1]))
    net = torch.nn.Sequential(*layers)
    x = torch.rand(2048, widths[0])
    y = torch.randint(widths[-1], (2048,))
    loss_fn = torch.nn.CrossEntropyLoss()
    params = list(net.parameters())
    centre = [p.detach().clone() for p in params]
    eps, n_beta, gamma = 1e-6, 60000 / math.log(60000), 100.0

    def step():
        index = torch.randint(2048, (batch,))
        loss = loss_fn(net(x[index]), y[index])
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g, p0 in zip(params, grads, centre):
                p.add_(-eps / 2 * (n_beta * g + gamma * (p - p0)) + math.sqrt(eps) * torch.randn_like(p))

    for _ in range(50):
        step()
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        rounds.append((time.perf_counter() - start) * 1000 / steps)
    print("%.4f" % statistics.median(rounds))


if __name__ == "__main__":
    main()
