"""Plain PyTorch SGLD step, the reference of TorchComparisonBenchmark (docs/benchmarks.md).

Times forward, backward and the Langevin update (localized SGLD, as slt4j's SGLD sampler) of a ReLU MLP with a
softmax cross-entropy loss on minibatches drawn from 2,048 random examples, on one thread.

usage: python3 torch_sgld_step.py WIDTHS BATCH STEPS    (WIDTHS like 20-64-64-4)
prints: milliseconds per step, the median of 5 rounds
"""
import math
import statistics
import sys
import time

import torch


def main():
    widths = [int(w) for w in sys.argv[1].split("-")]
    batch = int(sys.argv[2])
    steps = int(sys.argv[3])
    torch.set_num_threads(1)
    torch.manual_seed(1)
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
