"""Checks quant-opt's calibration library against PyTorch 1.13 and NumPy.

qnn-calib-tool feeds the samples of an .npz key one by one into a
qnn::calib::TensorObserver and prints the statistics and the ranges every
method selects (JSON). This script makes the data, computes the same things
with independent implementations and compares:

  minmax         min/max of all samples (NumPy), exactly
  channels       per-channel min/max (torch PerChannelMinMaxObserver, exactly)
                 and mean (NumPy float64, relative 1e-9)
  torch-minmax   MinMaxObserver scale / zero point for quint8/qint8 affine,
                 symmetric, narrow [-127, 127] and 4-bit grids: zero point
                 exactly, scale within float32 rounding (PyTorch computes in
                 float32)
  qparams        every (range -> scale, zero point) the tool printed against
                 the documented formula written here in NumPy
  histogram      HistogramObserver's accumulated histogram, per bin within
                 the float32 rounding bound explained below
  torch-l2       HistogramObserver._non_linear_param_search run by PyTorch on
                 *our* histogram vs our MSE range (asymmetric schemes), then
                 clipped to the observed range as we do: within 1% of the
                 range width; and PyTorch's _calculate_qparams on it. The
                 search runs with the histogram's total summed exactly (see
                 search_with_exact_total); where torch.sum's float32 total
                 changes the outcome, that is printed as `info`
  percentile     the documented bin-edge percentile computed here from our
                 histogram (within 1%), and np.percentile of the raw data
                 (within 1% or two bins: the histogram's resolution)
  kl             TensorRT's entropy calibration re-implemented here from
                 algorithms.md §4.5 (np.digitize groups, scipy.stats.entropy
                 semantics) on the |x| histogram folded here from ours:
                 within 1% of the threshold
  mse-symmetric  the expected squared error of every candidate threshold by
                 numerical integration (16 points per bin): within 1% of the
                 threshold, or (flat minimum) within 0.1% of the best error

Deliberate differences from PyTorch 1.13, documented where they matter:
  - HistogramObserver calls torch.histc(min=int(min_val), max=int(max_val))
    (pytorch/pytorch#83672: a bug); our reference observer `FixedHistogram`
    is PyTorch's forward without the int() casts. The `integer-bounds` case
    (every sample's min and max are integers, so the casts change nothing)
    compares with the unmodified observer as well.
  - PyTorch re-bins with a float32 copy of a float64 cumulative sum: each
    re-binning moves up to total * 2^-24 counts per bin; we move the exact
    mass. Per bin we allow 2^-24 * 2 * (sum of the totals at each re-binning
    + samples * count). PyTorch's L2 search is sensitive to that noise (its
    error curve is flat near the minimum), so the search is compared on the
    same histogram; the end-to-end PyTorch range is printed as `info`.
  - After all-equal samples PyTorch drops the old counts (same_values); we
    keep them: for the constant tensor ours is samples x PyTorch's.

Every check is also re-run on a perturbed copy of our result and must then
fail (the sabotage self-test); `--sabotage CHECK` perturbs that check for
real, which must make the script fail.

  calib_reference.py --tool qnn-calib-tool --workdir DIR --suite synthetic
  calib_reference.py --tool ... --workdir DIR --suite models
                     --models ../shared/models --test-utils test/Utils
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

try:
    import torch
    from torch.ao.quantization import (HistogramObserver, MinMaxObserver,
                                       PerChannelMinMaxObserver)
except ImportError:  # lit's `REQUIRES: torch` normally keeps us from here.
    print("UNSUPPORTED: python3-torch is not installed")
    sys.exit(0)

BITS = [8, 4]


# --------------------------------------------------------------------------
# PyTorch reference observer
# --------------------------------------------------------------------------

class FixedHistogram(HistogramObserver):
    """HistogramObserver.forward of PyTorch 1.13 with histc over the real
    range (no int() casts); everything else is PyTorch's own code."""

    def forward(self, x_orig):
        if x_orig.numel() == 0:
            return x_orig
        x = x_orig.detach()
        min_val, max_val = self.min_val, self.max_val
        same_values = min_val.item() == max_val.item()
        is_uninitialized = (min_val == float("inf") and
                            max_val == float("-inf"))
        if is_uninitialized or same_values:
            min_val, max_val = torch.aminmax(x)
            self.min_val.resize_(min_val.shape)
            self.min_val.copy_(min_val)
            self.max_val.resize_(max_val.shape)
            self.max_val.copy_(max_val)
            torch.histc(x, self.bins, min=min_val.item(), max=max_val.item(),
                        out=self.histogram)
        else:
            new_min, new_max = torch.aminmax(x)
            combined_min = torch.min(new_min, min_val)
            combined_max = torch.max(new_max, max_val)
            (combined_min, combined_max, downsample_rate,
             start_idx) = self._adjust_min_max(combined_min, combined_max,
                                               self.upsample_rate)
            combined_histogram = torch.histc(x, self.bins,
                                             min=combined_min.item(),
                                             max=combined_max.item())
            if combined_min == min_val and combined_max == max_val:
                combined_histogram += self.histogram
            else:
                combined_histogram = self._combine_histograms(
                    combined_histogram, self.histogram, self.upsample_rate,
                    downsample_rate, start_idx, self.bins)
            self.histogram.detach_().resize_(combined_histogram.shape)
            self.histogram.copy_(combined_histogram)
            self.min_val.detach_().resize_(combined_min.shape)
            self.min_val.copy_(combined_min)
            self.max_val.detach_().resize_(combined_max.shape)
            self.max_val.copy_(combined_max)
        return x_orig


def search_with_exact_total(obs):
    """HistogramObserver._non_linear_param_search with the histogram's total
    summed exactly (then rounded to float32) instead of by torch.sum's
    float32 cascade, whose last bit depends on the CPU's vector width; the
    search compares cumulative counts with quantiles of that total, so one
    ulp can move a step by many empty bins."""
    real_sum = torch.sum

    def exact_sum(tensor, *args, **kwargs):
        if args or kwargs or tensor.dtype != torch.float32:
            return real_sum(tensor, *args, **kwargs)
        return torch.tensor(float(np.float32(tensor.double().sum().item())))
    torch.sum = exact_sum
    try:
        return obs._non_linear_param_search()
    finally:
        torch.sum = real_sum


def observe_histogram(cls, samples):
    """Feeds samples one by one; returns the observer and the sum of the
    totals at each re-binning (for the float32 error bound)."""
    obs = cls()
    rebinned_mass = 0.0
    seen = 0
    for x in samples:
        before = (obs.min_val.item(), obs.max_val.item())
        obs(torch.from_numpy(np.ascontiguousarray(x)))
        after = (obs.min_val.item(), obs.max_val.item())
        seen += x.size
        if np.isfinite(before[0]) and before != after:
            rebinned_mass += seen
    return obs, rebinned_mass


# --------------------------------------------------------------------------
# Independent NumPy references
# --------------------------------------------------------------------------

def edges_of(hist):
    n = len(hist["counts"])
    edges = hist["lo"] + (hist["hi"] - hist["lo"]) * np.arange(n + 1) / n
    edges[-1] = hist["hi"]
    return edges


def fold_abs(hist, amax, bins):
    """The |x| histogram over [0, amax] from the piecewise-linear CDF of the
    signed histogram (mass uniform within a bin); mass beyond amax goes to
    the last bin."""
    counts = np.asarray(hist["counts"], np.float64)
    cdf = np.concatenate([[0.0], np.cumsum(counts)])
    edges = edges_of(hist)
    a = amax * np.arange(bins + 1) / bins
    within = np.interp(a, edges, cdf) - np.interp(-a, edges, cdf)
    folded = np.diff(within)
    folded[-1] += cdf[-1] - within[-1]
    return folded


def ref_qparams(lo, hi, qmin, qmax, symmetric):
    """The documented (scale, zero point): zero forced in, half-even zero
    point, scale at least 2^-23."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    if symmetric:
        scale = max(-lo, hi) / ((qmax - qmin) / 2)
        zp = int(np.round((qmin + qmax) / 2))
    else:
        scale = (hi - lo) / (qmax - qmin)
    scale = max(scale, 2.0 ** -23)
    if not symmetric:
        zp = int(np.clip(qmin - np.round(lo / scale), qmin, qmax))
    return scale, zp


def grid(bits, signed, narrow):
    qmin, qmax = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed \
        else (0, (1 << bits) - 1)
    return qmin + int(narrow), qmax


def ref_percentile(hist, obs_min, obs_max, p, symmetric):
    counts = np.asarray(hist["counts"], np.float64)
    total = counts.sum()
    slack = 1e-9 * total
    n = len(counts)
    if symmetric:
        amax = max(-obs_min, obs_max)
        cum = np.cumsum(fold_abs(hist, amax, n))
        k = min(int(np.searchsorted(cum, p * total / 100 - slack)), n - 1)
        t = amax * (k + 1) / n
        return -t, t
    edges = edges_of(hist)
    cum = np.cumsum(counts)
    cut = (100 - p) * total / 200
    k_lo = int(np.searchsorted(cum, cut + slack, side="right"))
    k_hi = int(np.searchsorted(cum, total - cut - slack, side="left")) + 1
    return edges[min(k_lo, n)], edges[max(k_hi, k_lo)]


def ref_kl_trt(hist_abs, levels, start):
    """TensorRT entropy calibration as algorithms.md §4.5 describes it;
    returns the chosen i (amax = edges[i])."""
    bins = np.array(hist_abs, np.float64)
    bins[0] = bins[1]
    divergences = []
    for i in range(start, len(bins) + 1):
        p = bins[:i].copy()
        p[i - 1] += bins[i:].sum()
        space = np.linspace(0, i, levels + 1)
        group = np.digitize(np.arange(i), space) - 1
        nonzero = bins[:i] != 0
        sums = np.bincount(group[nonzero], weights=bins[:i][nonzero],
                           minlength=levels)
        sizes = np.bincount(group[nonzero], minlength=levels)
        q = np.zeros(i)
        q[nonzero] = sums[group[nonzero]] / sizes[group[nonzero]]
        if q.sum() == 0:
            divergences.append(np.inf)  # scipy: nan; both are skipped
            continue
        pn, qn = p / p.sum(), q / q.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(pn > 0, np.where(qn > 0, pn * np.log(pn / qn),
                                              np.inf), 0.0)
        divergences.append(terms.sum())
    divergences = np.array(divergences)
    last = len(divergences) - 1 - int(np.argmin(divergences[::-1]))
    return start + last


def ref_mse_symmetric(hist, amax, qmin, qmax, points=16):
    """Expected squared error of each candidate t = k * amax / bins by
    midpoint integration; returns (candidates, errors)."""
    counts = np.asarray(hist["counts"], np.float64)
    n = len(counts)
    width = (hist["hi"] - hist["lo"]) / n
    nz = np.nonzero(counts)[0]
    x = (hist["lo"] + (nz[:, None] + (np.arange(points)[None, :] + 0.5) /
                       points) * width).ravel()
    w = np.repeat(counts[nz] / points, points)
    zp = np.round((qmin + qmax) / 2)
    kmin, kmax = qmin - zp, qmax - zp
    ts = amax * np.arange(1, n + 1) / n
    errors = []
    for chunk in np.array_split(ts, max(1, len(ts) // 32)):
        s = chunk[:, None] / ((qmax - qmin) / 2)
        q = np.clip(np.round(x[None, :] / s), kmin, kmax) * s
        errors.append((((x[None, :] - q) ** 2) * w[None, :]).sum(axis=1))
    return ts, np.concatenate(errors)


def ref_mse_symmetric_single(hist, t, qmin, qmax, points=16):
    counts = np.asarray(hist["counts"], np.float64)
    n = len(counts)
    width = (hist["hi"] - hist["lo"]) / n
    nz = np.nonzero(counts)[0]
    x = (hist["lo"] + (nz[:, None] + (np.arange(points)[None, :] + 0.5) /
                       points) * width).ravel()
    w = np.repeat(counts[nz] / points, points)
    zp = np.round((qmin + qmax) / 2)
    s = t / ((qmax - qmin) / 2)
    q = np.clip(np.round(x / s), qmin - zp, qmax - zp) * s
    return t, float((((x - q) ** 2) * w).sum())


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

class Checks:
    def __init__(self, sabotage):
        self.sabotage = sabotage
        self.results = []   # (case, name, ok, detail)
        self.live = 0       # perturbed copies that failed, as they must
        self.dead = []      # perturbed copies that still passed

    def check(self, case, name, ours, ref, compare, perturb):
        """compare(ours, ref) -> (ok, detail); perturb(ours) must fail."""
        if self.sabotage and name.split(":")[0] == self.sabotage:
            ours = perturb(ours)
        ok, detail = compare(ours, ref)
        self.results.append((case, name, ok, detail))
        print("%s %s %s %s" % ("ok" if ok else "FAIL", case, name, detail))
        bad_ok, _ = compare(perturb(ours), ref)
        if bad_ok:
            self.dead.append("%s %s" % (case, name))
        else:
            self.live += 1


def rel_close(tol):
    def compare(ours, ref):
        err = abs(ours - ref) / max(abs(ref), 1e-30)
        return err <= tol, "ours=%.9g ref=%.9g rel=%.2g" % (ours, ref, err)
    return compare


def exact(ours, ref):
    return bool(np.array_equal(np.asarray(ours), np.asarray(ref))), \
        "ours=%s ref=%s" % (short(ours), short(ref))


def short(v):
    a = np.asarray(v)
    if a.size <= 3:
        return np.array2string(a, precision=9)
    return "[%d values]" % a.size


def ranges_of(out, method, bits=8, signed=True, symmetric=False,
              narrow=False):
    for r in out["ranges"]:
        if (r["method"], r["bits"], r["signed"], r["symmetric"],
                r["narrow"]) == (method, bits, signed, symmetric, narrow):
            return r
    raise KeyError((method, bits, signed, symmetric, narrow))


def run_case(checks, args, case, samples, channels=True):
    samples = np.ascontiguousarray(samples, np.float32)
    path = os.path.join(args.workdir, case + ".npz")
    np.savez(path, X=samples)
    cmd = [args.tool, path, "--key", "X", "--bits",
           ",".join(str(b) for b in BITS), "--percentile", str(args.percentile)]
    if not channels:
        cmd.append("--channels=0")
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                    text=True).stdout)
    flat = samples.reshape(len(samples), -1)
    S = len(samples)
    obs_min, obs_max = float(flat.min()), float(flat.max())
    omin, omax = min(obs_min, 0.0), max(obs_max, 0.0)
    width = omax - omin
    hist = out["histogram"]
    constant = obs_min == obs_max

    # Min/max and per-channel statistics.
    checks.check(case, "minmax", [out["min"], out["max"]], [obs_min, obs_max],
                 exact, lambda v: [v[0], float(np.nextafter(
                     np.float32(v[1]), np.float32(np.inf)))])
    if channels:
        pc = PerChannelMinMaxObserver(ch_axis=samples.ndim - 2)
        for x in samples:
            pc(torch.from_numpy(x))
        checks.check(case, "channels:min", out["channel_min"],
                     pc.min_val.numpy().astype(np.float64).tolist(), exact,
                     lambda v: [v[0] - 1] + list(v[1:]))
        checks.check(case, "channels:max", out["channel_max"],
                     pc.max_val.numpy().astype(np.float64).tolist(), exact,
                     lambda v: list(v[:-1]) + [v[-1] + 1])
        C = samples.shape[-1]
        mean = samples.reshape(-1, C).astype(np.float64).mean(axis=0)
        checks.check(
            case, "channels:mean", out["channel_mean"], mean,
            lambda o, r: (bool(np.all(np.abs(np.asarray(o) - r) <=
                                      1e-9 * np.maximum(np.abs(r), 1e-30)
                                      + 1e-12)),
                          "max-abs-diff=%.2g" % np.max(np.abs(
                              np.asarray(o) - r))),
            lambda v: (np.asarray(v) + 1e-6 * (np.abs(v) + 1)).tolist())

    # MinMaxObserver scale / zero point, PyTorch's float32 arithmetic.
    configs = [("quint8-affine", torch.quint8, torch.per_tensor_affine, None,
                (8, False, False, False)),
               ("qint8-affine", torch.qint8, torch.per_tensor_affine, None,
                (8, True, False, False)),
               ("qint8-symmetric", torch.qint8, torch.per_tensor_symmetric,
                None, (8, True, True, False)),
               ("quint8-symmetric", torch.quint8, torch.per_tensor_symmetric,
                None, (8, False, True, False)),
               ("qint8-narrow", torch.qint8, torch.per_tensor_symmetric,
                (-127, 127), (8, True, True, True)),
               ("int4-affine", torch.qint8, torch.per_tensor_affine, (-8, 7),
                (4, True, False, False)),
               ("uint4-affine", torch.quint8, torch.per_tensor_affine, (0, 15),
                (4, False, False, False))]
    for label, dtype, qscheme, qrange, (bits, signed, sym, narrow) in configs:
        kw = dict(dtype=dtype, qscheme=qscheme)
        if qrange:
            kw.update(quant_min=qrange[0], quant_max=qrange[1])
        mm = MinMaxObserver(**kw)
        for x in samples:
            mm(torch.from_numpy(x))
        scale, zp = mm.calculate_qparams()
        r = ranges_of(out, "minmax", bits, signed, sym, narrow)
        checks.check(case, "torch-minmax:%s:scale" % label, r["scale"],
                     float(scale), rel_close(1e-6), lambda v: v * (1 + 1e-5))
        # A tie (-min / scale exactly half an integer) rounds half to even
        # on the exact value here; PyTorch divides by the float32-rounded
        # scale first, which can move it to either neighbour.
        steps = -min(obs_min, 0.0) / r["scale"]
        tie = not sym and abs(steps - np.floor(steps) - 0.5) < 1e-6

        def compare_zp(o, ref, tie=tie):
            ok = o == ref or (tie and abs(o - ref) == 1)
            return ok, "ours=%d torch=%d%s" % (
                o, ref, " (tie: %.7g steps)" % steps if tie else "")
        checks.check(case, "torch-minmax:%s:zero-point" % label,
                     r["zero_point"], int(zp), compare_zp,
                     lambda v, tie=tie: v + (2 if tie else 1))

    # Every printed range's scale and zero point against the formula.
    bad = []
    for r in out["ranges"]:
        qmin, qmax = grid(r["bits"], r["signed"], r["narrow"])
        scale, zp = ref_qparams(r["min"], r["max"], qmin, qmax, r["symmetric"])
        if (r["qmin"], r["qmax"]) != (qmin, qmax) or zp != r["zero_point"] or \
                abs(scale - r["scale"]) > 1e-12 * scale:
            bad.append(r)
    checks.check(case, "qparams", bad, [],
                 lambda o, ref: (len(o) == 0, "%d of %d ranges differ" % (
                     len(o), len(out["ranges"]))),
                 lambda v: v + [{"perturbed": True}])

    # The histogram against PyTorch's accumulation.
    fixed, rebinned = observe_histogram(FixedHistogram, samples)
    torch_counts = fixed.histogram.numpy().astype(np.float64)
    ours_counts = np.asarray(hist["counts"])
    if constant:
        # same_values: PyTorch keeps only the last sample's counts.
        torch_counts = torch_counts * S
    bound = 2.0 ** -24 * 2 * (rebinned + S * np.abs(torch_counts)) + 1e-9

    def compare_hist(o, ref):
        diff = np.abs(np.asarray(o) - ref)
        return bool(np.all(diff <= bound)), "max-diff=%.3g bound=%.3g" % (
            diff.max(), bound[np.argmax(diff)])
    checks.check(case, "histogram:range", [hist["lo"], hist["hi"]],
                 [fixed.min_val.item(), fixed.max_val.item()], exact,
                 lambda v: [v[0], v[1] * (1 + 1e-6) + 1e-30])
    checks.check(case, "histogram:counts", ours_counts, torch_counts,
                 compare_hist, lambda v: np.asarray(v) + np.where(
                     np.arange(len(v)) == np.argmax(v), 2 * bound + 1, 0))
    checks.check(case, "histogram:mass", float(ours_counts.sum()),
                 float(flat.size), rel_close(1e-6),
                 lambda v: v * (1 + 1e-5))
    if args.unmodified_torch:
        plain, _ = observe_histogram(HistogramObserver, samples)
        checks.check(case, "histogram:unmodified-torch", ours_counts,
                     plain.histogram.numpy().astype(np.float64),
                     compare_hist, lambda v: np.asarray(v) + np.where(
                         np.arange(len(v)) == np.argmax(v), 2 * bound + 1, 0))
    elif not constant:
        plain, _ = observe_histogram(HistogramObserver, samples)
        lost = flat.size - plain.histogram.sum().item()
        print("info %s torch-1.13-int-cast: unmodified HistogramObserver "
              "drops %.0f of %d elements" % (case, lost, flat.size))

    if constant:
        return out

    # MSE, asymmetric: PyTorch's search on our histogram.
    h = HistogramObserver()
    h.histogram = torch.tensor(ours_counts, dtype=torch.float32)
    h.min_val = torch.tensor(hist["lo"], dtype=torch.float32)
    h.max_val = torch.tensor(hist["hi"], dtype=torch.float32)
    new_min, new_max = search_with_exact_total(h)
    ref_lo = min(max(new_min.item(), omin), 0.0)
    ref_hi = max(min(new_max.item(), omax), 0.0)
    plain_min, plain_max = h._non_linear_param_search()
    if (plain_min.item(), plain_max.item()) != (new_min.item(),
                                                new_max.item()):
        print("info %s torch-l2-float32-total: with torch.sum's float32 total "
              "(%.9g) PyTorch's search ends at [%.7g, %.7g]" % (
                  case, torch.sum(h.histogram).item(), plain_min.item(),
                  plain_max.item()))
    for label, dtype, bits, signed in [("quint8", torch.quint8, 8, False),
                                       ("qint8", torch.qint8, 8, True)]:
        r = ranges_of(out, "mse", bits, signed, False, False)
        checks.check(case, "torch-l2:%s:range" % label, [r["min"], r["max"]],
                     [ref_lo, ref_hi],
                     lambda o, ref: (abs(o[0] - ref[0]) <= 0.01 * width and
                                     abs(o[1] - ref[1]) <= 0.01 * width,
                                     "ours=[%.7g, %.7g] torch=[%.7g, %.7g]" % (
                                         o[0], o[1], ref[0], ref[1])),
                     lambda v: [v[0] - 0.02 * width, v[1]])
        qobs = HistogramObserver(dtype=dtype)
        scale, zp = qobs._calculate_qparams(torch.tensor(ref_lo),
                                            torch.tensor(ref_hi))
        checks.check(case, "torch-l2:%s:scale" % label, r["scale"],
                     float(scale), rel_close(0.01), lambda v: v * 1.03)
    e2e_min, e2e_max = fixed._non_linear_param_search()
    r = ranges_of(out, "mse", 8, False, False, False)
    print("info %s torch-l2-end-to-end: torch on its own histogram "
          "[%.6g, %.6g], ours [%.6g, %.6g]" % (
              case, max(e2e_min.item(), omin), min(e2e_max.item(), omax),
              r["min"], r["max"]))

    amax = max(-omin, omax)
    nbins = len(ours_counts)
    all_abs = np.abs(flat.ravel().astype(np.float64))
    # Percentile: the documented definition on our histogram, and the raw
    # data's percentile up to the histogram's resolution.
    p = args.percentile
    for sym in (True, False):
        r = ranges_of(out, "percentile", 8, True, sym, False)
        lo, hi = ref_percentile(hist, omin, omax, p, sym)
        lo, hi = min(max(lo, omin), 0.0), max(min(hi, omax), 0.0)
        kind = "symmetric" if sym else "asymmetric"
        checks.check(case, "percentile:%s:histogram" % kind,
                     [r["min"], r["max"]], [lo, hi],
                     lambda o, ref: (abs(o[0] - ref[0]) <= 0.01 * max(
                         abs(ref[0]), 1e-30) and abs(o[1] - ref[1]) <= 0.01 *
                         max(abs(ref[1]), 1e-30),
                         "ours=[%.7g, %.7g] ref=[%.7g, %.7g]" % (
                             o[0], o[1], ref[0], ref[1])),
                     lambda v: [v[0], v[1] * 1.02 + 1e-30])
        # "At least p % kept" is the inverted-CDF percentile of the data.
        if sym:
            raw_hi = float(np.percentile(all_abs, p, method="inverted_cdf"))
            raw_lo = -raw_hi
            resolution = 2 * amax / nbins
        else:
            raw_lo, raw_hi = np.percentile(
                flat.ravel().astype(np.float64),
                [(100 - p) / 2, 100 - (100 - p) / 2], method="inverted_cdf")
            resolution = 2 * (hist["hi"] - hist["lo"]) / nbins
        raw_lo, raw_hi = min(max(raw_lo, omin), 0.0), max(min(raw_hi, omax),
                                                          0.0)

        def compare_raw(o, ref, resolution=resolution):
            ok = all(abs(a - b) <= max(0.01 * abs(b), resolution)
                     for a, b in zip(o, ref))
            return ok, "ours=[%.7g, %.7g] numpy=[%.7g, %.7g] bin=%.3g" % (
                o[0], o[1], ref[0], ref[1], resolution)
        checks.check(case, "percentile:%s:raw-data" % kind,
                     [r["min"], r["max"]], [raw_lo, raw_hi], compare_raw,
                     lambda v, d=resolution: [v[0], v[1] + 0.02 * abs(v[1]) +
                                              2 * d])

    # KL: TensorRT's algorithm on the |x| histogram folded here.
    folded = fold_abs(hist, amax, nbins)
    one_sided = omin == 0 or omax == 0
    kl_cases = [("symmetric", (8, True, True, False), 128)]
    if one_sided:
        kl_cases.append(("unsigned-one-sided", (8, False, False, False), 256))
    for label, (bits, signed, sym, narrow), levels in kl_cases:
        r = ranges_of(out, "kl", bits, signed, sym, narrow)
        i = ref_kl_trt(folded, levels, 128)
        t = amax * i / nbins
        ours_t = max(-r["min"], r["max"])
        checks.check(case, "kl:%s" % label, ours_t, t, rel_close(0.01),
                     lambda v: v * 1.02)
        raw_hist, raw_edges = np.histogram(all_abs, bins=nbins,
                                           range=(0, amax))
        raw_t = raw_edges[ref_kl_trt(raw_hist, levels, 128)]
        print("info %s kl:%s:tensorrt-on-raw-data: threshold %.6g, ours %.6g "
              "(%.2g%%)" % (case, label, raw_t, ours_t,
                            100 * (ours_t - raw_t) / raw_t))

    # MSE, symmetric: numerical integration of every candidate.
    for narrow in (False, True):
        qmin, qmax = grid(8, True, narrow)
        r = ranges_of(out, "mse", 8, True, True, narrow)
        ts, errors = ref_mse_symmetric(hist, amax, qmin, qmax)
        best = int(np.argmin(errors))
        ours_t = max(-r["min"], r["max"])

        def compare_mse(o, ref, errors=errors, best=best, qmin=qmin,
                        qmax=qmax):
            t_ref = ref
            err = ref_mse_symmetric_single(hist, o, qmin, qmax)[1]
            close = abs(o - t_ref) <= 0.01 * t_ref
            flat_min = err <= errors[best] * (1 + 1e-3)
            return close or flat_min, \
                "ours=%.7g ref=%.7g error ours/best=%.6f" % (
                    o, t_ref, err / errors[best])
        checks.check(case, "mse-symmetric:%s" % ("narrow" if narrow else
                                                 "full"),
                     ours_t, float(ts[best]), compare_mse,
                     lambda v, ts=ts, errors=errors, best=best:
                     float(ts[int(np.argmax(errors))]) if abs(
                         ts[int(np.argmax(errors))] - ts[best]) > 0.02 *
                     ts[best] else v * 0.5)
    return out


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

def synthetic_cases(rng):
    S = 12
    shape = (16, 16, 16)
    grow = np.linspace(1.0, 2.5, S, dtype=np.float32)[:, None, None, None]
    yield "student-t", rng.standard_t(3, (S,) + shape) * grow, {}
    yield "laplace", rng.laplace(0.3, 1.0, (S,) + shape) * grow, {}
    out = rng.standard_normal((S,) + shape)
    out[3, 0, 0, 0], out[7, 1, 2, 3], out[9, 5, 5, 15] = 40.0, -25.0, 60.0
    yield "outliers", out, {}
    relu = np.maximum(rng.standard_normal((S,) + shape) * grow + 0.2, 0)
    yield "relu", relu, {}
    yield "constant", np.full((S,) + shape, 2.5), {}
    # Every sample spans exactly [-b, b], b = 1, 1, 1, 2, 2, 2, 4, ...:
    # each growth doubles the range, so PyTorch's relaxed max and start
    # index stay integers and its int() casts change nothing; the
    # unmodified observer must agree too.
    ints = rng.uniform(-1, 1, (S,) + shape)
    for s in range(S):
        ints[s] *= 2 ** (s // 3)
        ints[s].flat[0], ints[s].flat[1] = -2 ** (s // 3), 2 ** (s // 3)
    yield "integer-bounds", ints, {"unmodified_torch": True}
    yield "no-channels", rng.standard_t(4, (S, 3000)) * grow[:, :, 0, 0], \
        {"channels": False}


def load_onnx_first_layers(model_dir, utils):
    """Real activations: the first Conv, Relu, Conv, Relu of a model,
    evaluated with the project's NumPy ONNX reference on X[cal_idx]."""
    import onnx
    from onnx import numpy_helper
    sys.path.insert(0, utils)
    import onnx_reference
    graph = onnx.load(os.path.join(model_dir, "model_folded.onnx")).graph
    weights = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    data = np.load(os.path.join(model_dir, "data.npz"))
    x = data["X"][data["cal_idx"]].astype(np.float64)
    values = {graph.input[0].name: x}
    tensors = []
    for node in graph.node[:4]:
        attrs = {a.name: onnx.helper.get_attribute_value(a)
                 for a in node.attribute}
        src = values[node.input[0]]
        if node.op_type == "Conv":
            y = onnx_reference.conv(
                src, weights[node.input[1]], weights[node.input[2]],
                strides=tuple(attrs.get("strides", (1, 1))),
                pads=tuple(attrs.get("pads", (0, 0, 0, 0))),
                dilations=tuple(attrs.get("dilations", (1, 1))),
                group=attrs.get("group", 1))
        elif node.op_type == "Relu":
            y = np.maximum(src, 0)
        else:
            raise ValueError(node.op_type)
        # Float32 activations, as the model computes them.
        values[node.output[0]] = y.astype(np.float32).astype(np.float64)
        tensors.append((node.output[0],
                        values[node.output[0]].transpose(0, 2, 3, 1)))
    return tensors


# --------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--suite", choices=["synthetic", "models"],
                        required=True)
    parser.add_argument("--models")
    parser.add_argument("--test-utils")
    parser.add_argument("--percentile", type=float, default=99.99)
    parser.add_argument("--sabotage", default="")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    checks = Checks(args.sabotage)

    if args.suite == "synthetic":
        cases = synthetic_cases(np.random.default_rng(2024))
    else:
        if not args.models or not os.path.isdir(args.models):
            print("UNSUPPORTED: no shared models")
            return 0
        cases = []
        for model in ("kws_dscnn", "ic_resnet8"):
            for name, act in load_onnx_first_layers(
                    os.path.join(args.models, model), args.test_utils):
                cases.append(("%s/%s" % (model, name), act, {}))
    for case, samples, opts in cases:
        args.unmodified_torch = opts.get("unmodified_torch", False)
        before = len(checks.results)
        run_case(checks, args, case.replace("/", "."), samples,
                 opts.get("channels", True))
        ran = checks.results[before:]
        print("case %s: %d of %d checks ok" % (
            case, sum(ok for _, _, ok, _ in ran), len(ran)))

    failed = [r for r in checks.results if not r[2]]
    total = len(checks.results)
    if checks.dead:
        print("SABOTAGE SELF-TEST FAILED: perturbed results still pass: %s" %
              ", ".join(checks.dead))
    else:
        print("sabotage self-test: all %d checks fail on perturbed results" %
              checks.live)
    if failed or checks.dead:
        print("CALIBRATION REFERENCE FAILED: %d of %d checks" % (len(failed),
                                                                  total))
        return 1
    print("CALIBRATION REFERENCE OK: %d checks" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
