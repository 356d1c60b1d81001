//===- NormalMoments.h - Means of clipped normal variables ------*- C++ -*-===//
//
// Part of quant-opt. The analytic bias correction (Nagel et al. 2019,
// section 4.2) needs the mean of a batch-normalized channel after its
// activation: a normal variable clamped to [a, b].
//
//===----------------------------------------------------------------------===//

#ifndef QNN_DIALECT_QNN_UTILS_NORMALMOMENTS_H
#define QNN_DIALECT_QNN_UTILS_NORMALMOMENTS_H

namespace qnn {

/// E[clamp(h, a, b)] for h ~ N(mu, sigma^2):
///   sigma (phi(alpha) - phi(beta)) + mu (Phi(beta) - Phi(alpha))
///   + a Phi(alpha) + b (1 - Phi(beta)),
/// alpha = (a - mu) / sigma, beta = (b - mu) / sigma; a may be -inf and b
/// +inf (their terms vanish); sigma <= 0 gives clamp(mu, a, b).
double clippedNormalMean(double mu, double sigma, double a, double b);

} // namespace qnn

#endif // QNN_DIALECT_QNN_UTILS_NORMALMOMENTS_H
