//===- Svg.h - Inline SVG plots of the quantization report ------*- C++ -*-===//
//
// Part of quant-opt. Plain C++ (no IR): the plots of `quant-compile
// --report` as inline SVG text, with fixed number formatting so that the
// same data always gives the same bytes.
//
//===----------------------------------------------------------------------===//

#ifndef QNN_REPORT_SVG_H
#define QNN_REPORT_SVG_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace qnn::report {

/// The five-number summary of a set of values: the whiskers (min, max) and
/// the box (quartiles and median) of a box plot.
struct BoxStats {
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
};

/// The summary of `values` (not empty); quartiles interpolate linearly
/// between order statistics, as NumPy's default `percentile`.
BoxStats summarize(std::vector<double> values);

/// `value` with `significant` significant digits ("%.*g"); never "-0", and
/// "inf" / "-inf" / "nan" for non-finite values.
std::string formatNumber(double value, int significant = 4);

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
std::string escapeHtml(llvm::StringRef text);

/// Box plots of per-channel weights (Nagel et al. 2019, Fig. 2): one box
/// per output channel (index on the x axis, weight on the y axis), the
/// whisker from min to max, the box from the first to the third quartile
/// and a line at the median; a dashed line at zero. The element is
/// `<svg class="boxplot">` with one `<g class="channel">` per channel.
std::string boxPlotSvg(llvm::ArrayRef<BoxStats> channels,
                       llvm::StringRef title);

/// A histogram of equal-width bins over [lo, hi] (counts drawn on a
/// log10(1 + count) scale, re-binned to at most 128 bars), with the clipping
/// range [clipMin, clipMax] shaded and marked by two vertical lines; the
/// part of the histogram outside it is drawn in another colour. The
/// element is `<svg class="histogram">` with `<rect class="bar">`s, a
/// `<rect class="clip-range">` and `<line class="clip-min">` /
/// `<line class="clip-max">`.
std::string histogramSvg(double lo, double hi, llvm::ArrayRef<double> counts,
                         double clipMin, double clipMax,
                         llvm::StringRef title);

} // namespace qnn::report

#endif // QNN_REPORT_SVG_H
