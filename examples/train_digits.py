"""Trains a small depthwise-separable CNN with batch norm and ReLU6 on
scikit-learn's bundled handwritten digits (8x8, 1797 images), with a fixed
seed, and writes it as ONNX (batch norm and Clip(0, 6) kept as nodes) with
its data as .npz (X: N x 1 x 8 x 8 float32 pixels 0..16, y, cal_idx, eval_idx,
and ref_logits: PyTorch's FP32 logits of every image). Prints the PyTorch
FP32 accuracy on eval_idx.

  /usr/bin/python3 examples/train_digits.py out.onnx out.npz
"""

import sys

import numpy as np
import torch
from sklearn.datasets import load_digits


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()

        def block(cin, cout, k, stride, groups):
            return [torch.nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups),
                    torch.nn.BatchNorm2d(cout), torch.nn.ReLU6()]

        self.features = torch.nn.Sequential(
            *block(1, 16, 3, 1, 1),
            *block(16, 16, 3, 2, 16),   # depthwise, stride 2
            *block(16, 32, 1, 1, 1),    # pointwise
            *block(32, 32, 3, 1, 32),   # depthwise
            *block(32, 32, 1, 1, 1),    # pointwise
            torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten())
        self.classifier = torch.nn.Linear(32, 10)

    def forward(self, x):
        return self.classifier(self.features(x))


def main():
    onnx_path, npz_path = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    torch.set_num_threads(1)
    digits = load_digits()
    # Raw pixels 0..16: the activations are large enough that ReLU6 really
    # clips (the network computes something else with ReLU).
    x = digits.images.astype(np.float32)[:, None, :, :]
    y = digits.target.astype(np.int64)
    order = np.random.RandomState(0).permutation(len(y))
    train, held_out = order[:1400], order[1400:]
    cal_idx, eval_idx = held_out[:100], held_out[100:]
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    xt, yt = torch.from_numpy(x[train]), torch.from_numpy(y[train])
    for epoch in range(30):
        net.train()
        perm = torch.randperm(len(train))
        for i in range(0, len(train), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        logits = net(torch.from_numpy(x[eval_idx])).numpy()
        all_logits = net(torch.from_numpy(x)).numpy()
    accuracy = float((logits.argmax(1) == y[eval_idx]).mean())
    torch.onnx.export(net, torch.from_numpy(x[:1]), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE)
    np.savez(npz_path, X=x, y=y, cal_idx=cal_idx, eval_idx=eval_idx,
             ref_logits=all_logits.astype(np.float32))
    print("torch-accuracy: %.4f" % accuracy)


if __name__ == "__main__":
    main()
