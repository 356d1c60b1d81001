//===- Report.cpp - The per-layer quantization report as HTML -------------===//
//
// Part of quant-opt. One self-contained page: inline CSS and SVG, no
// scripts, a Content-Security-Policy that forbids fetching anything, and
// numbers printed with fixed formats so that the same model, data and
// options always give the same bytes (docs/Report.md).
//
//===----------------------------------------------------------------------===//

#include "qnn/Report/Report.h"
#include "qnn/Dialect/Qnn/IR/QnnOps.h"
#include "qnn/Dialect/Qnn/Utils/TensorNames.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace qnn;
using namespace qnn::report;

namespace {

/// The grid of a layer's quantized output: real = scale * (q - zeroPoint)
/// for q in [qmin, qmax], i.e. the clipping range [min, max].
struct ClipRange {
  double scale = 0;
  int64_t zeroPoint = 0, qmin = 0, qmax = 0;
  unsigned bits = 0;
  double min() const { return scale * double(qmin - zeroPoint); }
  double max() const { return scale * double(qmax - zeroPoint); }
};

/// The clipping range of each conv2d / dense output of @entry that is
/// quantized per tensor, by tensor name.
llvm::StringMap<ClipRange> collectClipRanges(ModuleOp module,
                                             StringRef entry) {
  llvm::StringMap<ClipRange> ranges;
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return ranges;
  func.walk([&](Operation *op) {
    if (!isa<Conv2DOp, DenseOp>(op))
      return;
    std::optional<std::string> name = getTensorName(op->getResult(0));
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    auto qtype = type ? dyn_cast<quant::UniformQuantizedType>(
                            type.getElementType())
                      : nullptr;
    if (!name || !qtype)
      return;
    ClipRange range;
    range.scale = qtype.getScale();
    range.zeroPoint = qtype.getZeroPoint();
    range.qmin = qtype.getStorageTypeMin();
    range.qmax = qtype.getStorageTypeMax();
    range.bits = qtype.getStorageTypeIntegralWidth();
    ranges.try_emplace(*name, range);
  });
  return ranges;
}

std::string interval(double lo, double hi) {
  return "[" + formatNumber(lo) + ", " + formatNumber(hi) + "]";
}

std::string fixed(double value, const char *spec) {
  if (!std::isfinite(value))
    return formatNumber(value);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format(spec, value + 0.0);
  return text;
}

std::string sqnrText(const LayerError &error) {
  return error.measured ? fixed(error.sqnrDb(), "%.2f") : "n/a";
}

const char *kStyle =
    "body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}\n"
    "h1{font-size:22px}\n"
    "h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;font-size:13px}\n"
    "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}\n"
    "th{background:#f0f0f0}td.num{text-align:right;font-family:monospace}\n"
    "dl.facts{display:grid;grid-template-columns:max-content auto;"
    "gap:2px 12px;font-size:13px}\n"
    "dl.facts dt{font-weight:bold}dl.facts dd{margin:0;font-family:monospace}\n"
    "figure{margin:12px 0}figcaption{font-size:12px;color:#555;"
    "max-width:760px}\n"
    "svg{background:#fff;border:1px solid #ddd}\n"
    "svg text{font-family:sans-serif;font-size:11px;fill:#333}\n"
    "svg .plot-title{font-size:12px;font-weight:bold}\n"
    "svg .grid{stroke:#eee}svg .axis{stroke:#888}\n"
    "svg .zero{stroke:#999;stroke-dasharray:4 3}\n"
    "svg .whisker{stroke:#4a6fa5;stroke-width:1}\n"
    "svg .box{fill:#9fbbe0;stroke:#4a6fa5;stroke-width:0.5}\n"
    "svg .median{stroke:#c0392b;stroke-width:1.2}\n"
    "svg .bar{fill:#6b8fc7}svg .bar.clipped{fill:#d9534f}\n"
    "svg .clip-range{fill:#2ca02c;fill-opacity:0.08}\n"
    "svg .clip-min,svg .clip-max{stroke:#2ca02c;stroke-width:1.5;"
    "stroke-dasharray:5 3}\n";

} // namespace

llvm::Expected<std::string>
qnn::report::buildReport(const ReportInputs &inputs,
                         const ReportOptions &options) {
  if (!inputs.statistics)
    return llvm::createStringError("the report needs calibration statistics");
  std::vector<std::string> names;
  for (const LayerWeights &layer : inputs.weightsBefore)
    names.push_back(layer.name);
  if (names.empty())
    return llvm::createStringError(
        "@%s has no conv2d or dense layer with named output and constant "
        "float weights to report on",
        options.entry.c_str());
  auto comparison = compareModels(inputs.floatModule, inputs.quantizedModule,
                                  names, options);
  if (!comparison)
    return comparison.takeError();
  llvm::StringMap<ClipRange> clips =
      collectClipRanges(inputs.quantizedModule, options.entry);
  llvm::StringMap<const LayerWeights *> after;
  if (inputs.weightsAfter)
    for (const LayerWeights &layer : *inputs.weightsAfter)
      after[layer.name] = &layer;

  // Worst SQNR first; layers without a measurement last; ties in program
  // order.
  std::vector<size_t> order(names.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const LayerError &ea = comparison->layers[a], &eb = comparison->layers[b];
    if (ea.measured != eb.measured)
      return ea.measured;
    return ea.measured && ea.sqnrDb() < eb.sqnrDb();
  });

  std::string html;
  llvm::raw_string_ostream os(html);
  std::string title = "Quantization report: " + options.modelName;
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
     << "<meta charset=\"utf-8\">\n"
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'\">\n"
     << "<title>" << escapeHtml(title) << "</title>\n<style>\n"
     << kStyle << "</style>\n</head>\n<body>\n<h1>" << escapeHtml(title)
     << "</h1>\n";

  // How it was made.
  os << "<section id=\"settings\">\n<h2>Settings</h2>\n<dl class=\"facts\">\n";
  for (const auto &[key, value] : options.settings)
    os << "<dt>" << escapeHtml(key) << "</dt><dd>" << escapeHtml(value)
       << "</dd>\n";
  os << "</dl>\n</section>\n";

  // The whole network.
  os << "<section id=\"network\">\n<h2>Network</h2>\n<table>\n"
     << "<tr><th>samples</th><td class=\"num\" id=\"samples\">"
     << comparison->samples << "</td></tr>\n";
  if (comparison->floatAccuracy)
    os << "<tr><th>FP32 accuracy</th><td class=\"num\" id=\"fp32-accuracy\">"
       << fixed(*comparison->floatAccuracy, "%.4f") << "</td></tr>\n"
       << "<tr><th>INT8 accuracy</th><td class=\"num\" id=\"int8-accuracy\">"
       << fixed(*comparison->quantizedAccuracy, "%.4f") << "</td></tr>\n";
  os << "<tr><th>agreement (same class as FP32)</th><td class=\"num\" "
        "id=\"agreement\">"
     << fixed(comparison->agreement, "%.4f") << "</td></tr>\n</table>\n"
     << "</section>\n";

  // Summary, worst first.
  os << "<section id=\"summary\">\n<h2>Layers, worst SQNR first</h2>\n"
     << "<table id=\"summary-table\">\n<tr><th>#</th><th>layer</th><th>op</th>"
     << "<th>SQNR (dB)</th><th>weights [min, max]"
     << (inputs.weightsAfter ? " before equalization" : "") << "</th>";
  if (inputs.weightsAfter)
    os << "<th>weights [min, max] after equalization</th>";
  os << "<th>clip range [min, max]</th></tr>\n";
  for (auto [rank, i] : llvm::enumerate(order)) {
    const LayerWeights &layer = inputs.weightsBefore[i];
    const LayerError &error = comparison->layers[i];
    os << "<tr class=\"layer-row\" data-layer=\"" << escapeHtml(layer.name)
       << "\" data-sqnr=\"" << sqnrText(error) << "\"><td class=\"num\">"
       << rank + 1 << "</td><td><a href=\"#layer-" << i << "\">"
       << escapeHtml(layer.name) << "</a></td><td>" << escapeHtml(layer.op)
       << "</td><td class=\"num\">" << sqnrText(error)
       << "</td><td class=\"num\">" << interval(layer.min, layer.max)
       << "</td>";
    if (inputs.weightsAfter) {
      const LayerWeights *a = after.lookup(layer.name);
      os << "<td class=\"num\">" << (a ? interval(a->min, a->max) : "n/a")
         << "</td>";
    }
    auto clip = clips.find(layer.name);
    os << "<td class=\"num\">"
       << (clip != clips.end()
               ? interval(clip->second.min(), clip->second.max())
               : "float")
       << "</td></tr>\n";
  }
  os << "</table>\n</section>\n";

  // One section per layer, in the same order.
  for (auto [rank, i] : llvm::enumerate(order)) {
    const LayerWeights &layer = inputs.weightsBefore[i];
    const LayerError &error = comparison->layers[i];
    os << "<section class=\"layer\" id=\"layer-" << i << "\" data-layer=\""
       << escapeHtml(layer.name) << "\" data-sqnr=\"" << sqnrText(error)
       << "\">\n<h2>" << rank + 1 << ". " << escapeHtml(layer.name) << " ("
       << escapeHtml(layer.op) << ")</h2>\n<dl class=\"facts\">\n"
       << "<dt>SQNR</dt><dd class=\"sqnr\">" << sqnrText(error)
       << " dB</dd>\n<dt>output channels</dt><dd>" << layer.channels.size()
       << "</dd>\n";
    auto clip = clips.find(layer.name);
    if (clip != clips.end())
      os << "<dt>clip range</dt><dd>"
         << interval(clip->second.min(), clip->second.max()) << " (scale "
         << formatNumber(clip->second.scale, 6) << ", zero point "
         << clip->second.zeroPoint << ", " << clip->second.bits
         << " bits)</dd>\n";
    else
      os << "<dt>clip range</dt><dd>none (kept float)</dd>\n";
    const calib::TensorStatistics *stats =
        inputs.statistics->lookup(layer.name);
    if (stats)
      os << "<dt>observed range</dt><dd>" << interval(stats->min, stats->max)
         << " over " << stats->count << " samples</dd>\n";
    os << "</dl>\n";

    os << "<figure class=\"weights-before\">\n"
       << boxPlotSvg(layer.channels,
                     inputs.weightsAfter
                         ? "weights per output channel, before equalization"
                         : "weights per output channel")
       << "\n<figcaption>Weights of each output channel after batch-norm "
          "folding: whiskers min to max, box first to third quartile, red "
          "line the median. Range "
       << interval(layer.min, layer.max) << ".</figcaption>\n</figure>\n";
    if (inputs.weightsAfter) {
      if (const LayerWeights *a = after.lookup(layer.name))
        os << "<figure class=\"weights-after\">\n"
           << boxPlotSvg(a->channels,
                         "weights per output channel, after equalization")
           << "\n<figcaption>The same after cross-layer equalization"
              " (and bias absorption when enabled). Range "
           << interval(a->min, a->max) << ".</figcaption>\n</figure>\n";
    }
    if (stats && stats->histogram && !stats->histogram->empty()) {
      const calib::Histogram &h = *stats->histogram;
      double clipMin = clip != clips.end() ? clip->second.min() : stats->min;
      double clipMax = clip != clips.end() ? clip->second.max() : stats->max;
      os << "<figure class=\"activation\">\n"
         << histogramSvg(h.lo, h.hi, h.counts, clipMin, clipMax,
                         "output activations (calibration histogram)")
         << "\n<figcaption>Calibration histogram of the layer's output ("
         << h.counts.size() << " bins over " << interval(h.lo, h.hi)
         << ", shown on a log scale); the green band between the dashed "
            "lines is the clipping range "
         << interval(clipMin, clipMax)
         << ", red bars hold values outside it.</figcaption>\n</figure>\n";
    } else {
      os << "<p class=\"no-histogram\">No calibration histogram for this "
            "tensor.</p>\n";
    }
    os << "</section>\n";
  }
  os << "</body>\n</html>\n";
  return html;
}
