//===- Svg.cpp - Inline SVG plots of the quantization report --------------===//
//
// Part of quant-opt.
//
//===----------------------------------------------------------------------===//

#include "qnn/Report/Svg.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace qnn::report;

BoxStats qnn::report::summarize(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  auto at = [&](double p) {
    // NumPy's "linear" method: position p * (n - 1) between order
    // statistics.
    double pos = p * double(values.size() - 1);
    size_t lo = static_cast<size_t>(std::floor(pos));
    size_t hi = std::min(lo + 1, values.size() - 1);
    double frac = pos - double(lo);
    return values[lo] + (values[hi] - values[lo]) * frac;
  };
  BoxStats box;
  box.min = values.front();
  box.max = values.back();
  box.q1 = at(0.25);
  box.median = at(0.5);
  box.q3 = at(0.75);
  return box;
}

std::string qnn::report::formatNumber(double value, int significant) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.*g", significant, value + 0.0);
  if (text == "-0")
    text = "0";
  return text;
}

std::string qnn::report::escapeHtml(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

namespace {

/// A pixel coordinate: two decimals, never "-0.00".
std::string px(double value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.2f", value + 0.0);
  if (text == "-0.00")
    text = "0.00";
  return text;
}

/// "Nice" tick values (1, 2 or 5 times a power of ten apart) covering
/// [lo, hi], about `target` of them.
std::vector<double> niceTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span))
    return {lo};
  double raw = span / target;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  double first = std::ceil(lo / step);
  for (double k = first; k * step <= hi + step * 1e-9; k += 1) {
    double t = k * step;
    // Ticks at multiples of the step, exact zero included.
    if (std::fabs(t) < step * 1e-9)
      t = 0;
    ticks.push_back(t);
  }
  return ticks;
}

/// The geometry shared by the plots: a plot area inside margins.
struct Frame {
  static constexpr double width = 760, height = 250;
  static constexpr double left = 64, right = 16, top = 26, bottom = 40;
  double x0 = left, x1 = width - right, y0 = top, y1 = height - bottom;
};

/// Opens the `<svg>` with its class, size and accessible title.
void openSvg(llvm::raw_ostream &os, llvm::StringRef cls,
             llvm::StringRef title) {
  os << "<svg class=\"" << cls << "\" xmlns=\"http://www.w3.org/2000/svg\" "
     << "width=\"" << px(Frame::width) << "\" height=\"" << px(Frame::height)
     << "\" viewBox=\"0 0 " << px(Frame::width) << " " << px(Frame::height)
     << "\" role=\"img\">\n"
     << "<title>" << escapeHtml(title) << "</title>\n"
     << "<text class=\"plot-title\" x=\"" << px(Frame::left) << "\" y=\"16\">"
     << escapeHtml(title) << "</text>\n";
}

/// The y axis of values in [lo, hi] with nice ticks and grid lines.
void drawYAxis(llvm::raw_ostream &os, const Frame &f, double lo, double hi,
               llvm::function_ref<double(double)> y, llvm::StringRef label) {
  os << "<g class=\"y-axis\">\n";
  for (double t : niceTicks(lo, hi, 5)) {
    os << "<line class=\"grid\" x1=\"" << px(f.x0) << "\" x2=\"" << px(f.x1)
       << "\" y1=\"" << px(y(t)) << "\" y2=\"" << px(y(t)) << "\"/>"
       << "<text class=\"tick\" x=\"" << px(f.x0 - 4) << "\" y=\""
       << px(y(t) + 4) << "\" text-anchor=\"end\">" << formatNumber(t, 3)
       << "</text>\n";
  }
  os << "<line class=\"axis\" x1=\"" << px(f.x0) << "\" x2=\"" << px(f.x0)
     << "\" y1=\"" << px(f.y0) << "\" y2=\"" << px(f.y1) << "\"/>\n"
     << "<text class=\"axis-label\" transform=\"translate(14 "
     << px((f.y0 + f.y1) / 2) << ") rotate(-90)\" text-anchor=\"middle\">"
     << escapeHtml(label) << "</text>\n</g>\n";
}

/// The x axis with ticks at `ticks` placed by `x`, labelled `label`.
void drawXAxis(llvm::raw_ostream &os, const Frame &f,
               llvm::ArrayRef<double> ticks,
               llvm::function_ref<double(double)> x, int significant,
               llvm::StringRef label) {
  os << "<g class=\"x-axis\">\n<line class=\"axis\" x1=\"" << px(f.x0)
     << "\" x2=\"" << px(f.x1) << "\" y1=\"" << px(f.y1) << "\" y2=\""
     << px(f.y1) << "\"/>\n";
  for (double t : ticks)
    os << "<line class=\"axis\" x1=\"" << px(x(t)) << "\" x2=\"" << px(x(t))
       << "\" y1=\"" << px(f.y1) << "\" y2=\"" << px(f.y1 + 4) << "\"/>"
       << "<text class=\"tick\" x=\"" << px(x(t)) << "\" y=\""
       << px(f.y1 + 16) << "\" text-anchor=\"middle\">"
       << formatNumber(t, significant) << "</text>\n";
  os << "<text class=\"axis-label\" x=\"" << px((f.x0 + f.x1) / 2)
     << "\" y=\"" << px(Frame::height - 4) << "\" text-anchor=\"middle\">"
     << escapeHtml(label) << "</text>\n</g>\n";
}

/// [lo, hi] widened by 5 % on both sides, or around the value when empty.
std::pair<double, double> pad(double lo, double hi) {
  double span = hi - lo;
  if (!(span > 0))
    span = std::max(std::fabs(lo), 1e-6);
  return {lo - 0.05 * span, hi + 0.05 * span};
}

} // namespace

std::string qnn::report::boxPlotSvg(llvm::ArrayRef<BoxStats> channels,
                                    llvm::StringRef title) {
  std::string text;
  llvm::raw_string_ostream os(text);
  Frame f;
  double lo = 0, hi = 0;
  for (const BoxStats &box : channels) {
    lo = std::min(lo, box.min);
    hi = std::max(hi, box.max);
  }
  auto [ylo, yhi] = pad(lo, hi);
  auto y = [&](double v) {
    return f.y1 - (v - ylo) / (yhi - ylo) * (f.y1 - f.y0);
  };
  size_t n = channels.size();
  double slot = (f.x1 - f.x0) / std::max<size_t>(n, 1);
  auto x = [&](double channel) { return f.x0 + (channel + 0.5) * slot; };
  double boxWidth = std::max(1.0, 0.7 * slot);

  openSvg(os, "boxplot", title);
  drawYAxis(os, f, ylo, yhi, y, "weight");
  os << "<line class=\"zero\" x1=\"" << px(f.x0) << "\" x2=\"" << px(f.x1)
     << "\" y1=\"" << px(y(0)) << "\" y2=\"" << px(y(0)) << "\"/>\n";
  for (auto [i, box] : llvm::enumerate(channels)) {
    double cx = x(double(i));
    os << "<g class=\"channel\"><title>channel " << i << ": min "
       << formatNumber(box.min) << ", q1 " << formatNumber(box.q1)
       << ", median " << formatNumber(box.median) << ", q3 "
       << formatNumber(box.q3) << ", max " << formatNumber(box.max)
       << "</title>"
       << "<line class=\"whisker\" x1=\"" << px(cx) << "\" x2=\"" << px(cx)
       << "\" y1=\"" << px(y(box.min)) << "\" y2=\"" << px(y(box.max))
       << "\"/>"
       << "<rect class=\"box\" x=\"" << px(cx - boxWidth / 2) << "\" y=\""
       << px(y(box.q3)) << "\" width=\"" << px(boxWidth) << "\" height=\""
       << px(std::max(0.5, y(box.q1) - y(box.q3))) << "\"/>"
       << "<line class=\"median\" x1=\"" << px(cx - boxWidth / 2)
       << "\" x2=\"" << px(cx + boxWidth / 2) << "\" y1=\""
       << px(y(box.median)) << "\" y2=\"" << px(y(box.median))
       << "\"/></g>\n";
  }
  std::vector<double> ticks;
  for (double t : niceTicks(0, double(n ? n - 1 : 0), 8))
    if (t == std::floor(t))
      ticks.push_back(t);
  drawXAxis(os, f, ticks, x, 6, "output channel");
  os << "</svg>";
  return text;
}

std::string qnn::report::histogramSvg(double lo, double hi,
                                      llvm::ArrayRef<double> counts,
                                      double clipMin, double clipMax,
                                      llvm::StringRef title) {
  std::string text;
  llvm::raw_string_ostream os(text);
  Frame f;
  // Re-bin to at most 128 bars: groups of whole bins.
  size_t group = std::max<size_t>(1, (counts.size() + 127) / 128);
  std::vector<double> bars;
  for (size_t i = 0; i < counts.size(); i += group) {
    double sum = 0;
    for (size_t j = i; j < std::min(counts.size(), i + group); ++j)
      sum += counts[j];
    bars.push_back(sum);
  }
  double binWidth = counts.empty() ? 0 : (hi - lo) / counts.size();
  double barWidth = binWidth * group;
  auto [xlo, xhi] = pad(std::min(lo, clipMin), std::max(hi, clipMax));
  auto x = [&](double v) {
    return f.x0 + (v - xlo) / (xhi - xlo) * (f.x1 - f.x0);
  };
  double top = 0;
  for (double c : bars)
    top = std::max(top, std::log10(1 + c));
  if (!(top > 0))
    top = 1;
  auto y = [&](double logCount) {
    return f.y1 - logCount / top * (f.y1 - f.y0);
  };

  openSvg(os, "histogram", title);
  drawYAxis(os, f, 0, top, y, "log10(1 + count)");
  os << "<rect class=\"clip-range\" x=\"" << px(x(clipMin)) << "\" y=\""
     << px(f.y0) << "\" width=\"" << px(x(clipMax) - x(clipMin))
     << "\" height=\"" << px(f.y1 - f.y0) << "\"/>\n";
  for (auto [i, count] : llvm::enumerate(bars)) {
    double a = lo + double(i) * barWidth;
    double b = std::min(hi, a + barWidth);
    double h = std::log10(1 + count);
    bool clipped = a >= clipMax || b <= clipMin;
    os << "<rect class=\"bar" << (clipped ? " clipped" : "") << "\" x=\""
       << px(x(a)) << "\" y=\"" << px(y(h)) << "\" width=\""
       << px(std::max(0.5, x(b) - x(a))) << "\" height=\""
       << px(f.y1 - y(h)) << "\"><title>[" << formatNumber(a) << ", "
       << formatNumber(b) << "): " << formatNumber(count, 6)
       << "</title></rect>\n";
  }
  for (auto [cls, value] :
       {std::pair<const char *, double>{"clip-min", clipMin},
        {"clip-max", clipMax}})
    os << "<line class=\"" << cls << "\" x1=\"" << px(x(value)) << "\" x2=\""
       << px(x(value)) << "\" y1=\"" << px(f.y0) << "\" y2=\"" << px(f.y1)
       << "\"><title>" << cls << " " << formatNumber(value, 6)
       << "</title></line>\n";
  drawXAxis(os, f, niceTicks(xlo, xhi, 8), x, 3, "activation value");
  os << "</svg>";
  return text;
}
