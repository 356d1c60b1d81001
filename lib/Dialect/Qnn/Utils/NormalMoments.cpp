//===- NormalMoments.cpp - Means of clipped normal variables --------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Dialect/Qnn/Utils/NormalMoments.h"

#include <algorithm>
#include <cmath>

static double density(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
}

static double distribution(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double qnn::clippedNormalMean(double mu, double sigma, double a, double b) {
  if (!(sigma > 0))
    return std::clamp(mu, a, b);
  double alpha = (a - mu) / sigma, beta = (b - mu) / sigma;
  double pa = std::isinf(a) ? (a < 0 ? 0.0 : 1.0) : distribution(alpha);
  double pb = std::isinf(b) ? (b < 0 ? 0.0 : 1.0) : distribution(beta);
  double da = std::isinf(a) ? 0.0 : density(alpha);
  double db = std::isinf(b) ? 0.0 : density(beta);
  double mean = sigma * (da - db) + mu * (pb - pa);
  if (!std::isinf(a))
    mean += a * pa;
  if (!std::isinf(b))
    mean += b * (1 - pb);
  return mean;
}
