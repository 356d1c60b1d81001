//===- TensorStatistics.cpp - Calibration statistics of tensors -------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/TensorStatistics.h"

#include <algorithm>
#include <numeric>

using namespace qnn::calib;

double Histogram::total() const {
  return std::accumulate(counts.begin(), counts.end(), 0.0);
}

const TensorStatistics *CalibrationTable::lookup(llvm::StringRef name) const {
  auto it = std::lower_bound(
      tensors.begin(), tensors.end(), name,
      [](const TensorStatistics &t, llvm::StringRef n) { return t.name < n; });
  if (it != tensors.end() && it->name == name)
    return &*it;
  return nullptr;
}

std::optional<std::string> CalibrationTable::sortAndCheckUnique() {
  std::stable_sort(tensors.begin(), tensors.end(),
                   [](const TensorStatistics &a, const TensorStatistics &b) {
                     return a.name < b.name;
                   });
  for (size_t i = 1; i < tensors.size(); ++i)
    if (tensors[i].name == tensors[i - 1].name)
      return tensors[i].name;
  return std::nullopt;
}
