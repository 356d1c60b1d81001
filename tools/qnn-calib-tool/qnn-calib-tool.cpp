//===- qnn-calib-tool.cpp - Test driver for the calibration library -------===//
//
// Part of quant-opt. Test-only: feeds the samples of one .npz member
// (float32 [S, ...]) one by one into a qnn::calib::TensorObserver and prints,
// as JSON, what calibration records and the range, scale and zero point
// every method selects on a set of integer grids, so that lit tests can
// compare them with PyTorch and NumPy.
//
//   qnn-calib-tool DATA.npz --key X [--channels N] [--bins 2048]
//                  [--bits 8,4,16] [--percentile 99.99] [--kl-levels 128]
//
//===----------------------------------------------------------------------===//

#include "qnn/Calibration/Observer.h"
#include "qnn/Calibration/RangeSelection.h"
#include "qnn/Runtime/NumpyIO.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;
using namespace qnn;
using namespace qnn::calib;

static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<data.npz>"),
                                      cl::Required);
static cl::opt<std::string> key("key", cl::desc("Member holding the samples"),
                                cl::Required);
static cl::opt<int64_t>
    channelsOpt("channels",
                cl::desc("Channels (innermost dimension) for per-channel "
                         "statistics; default: the last dimension, 0: none"),
                cl::init(-1));
static cl::opt<unsigned> bins("bins", cl::desc("Histogram bins"),
                              cl::init(2048));
static cl::list<unsigned> bitWidths("bits", cl::desc("Bit widths to report"),
                                    cl::CommaSeparated);
static cl::opt<double> percentile("percentile",
                                  cl::desc("Percentile method: mass kept, %"),
                                  cl::init(99.99));
static cl::opt<unsigned> klLevels("kl-levels", cl::desc("KL method levels"),
                                  cl::init(128));

static Error run() {
  Expected<runtime::NpzFile> npz = runtime::NpzFile::open(inputPath);
  if (!npz)
    return npz.takeError();
  Expected<runtime::NDArray> array = npz->get(key);
  if (!array)
    return array.takeError();
  if (array->dtype != runtime::DType::F32 || array->shape.empty())
    return createStringError(inconvertibleErrorCode(),
                             "%s:%s: expected float32 samples [S, ...], got %s",
                             inputPath.c_str(), key.c_str(),
                             array->describe().c_str());
  const int64_t samples = array->shape.front();
  const int64_t sampleSize = samples ? array->numElements() / samples : 0;
  int64_t channels = channelsOpt;
  if (channels < 0)
    channels = array->shape.size() >= 2 ? array->shape.back() : 0;
  if (channels > 0 && sampleSize % channels != 0)
    return createStringError(inconvertibleErrorCode(),
                             "%lld channels do not divide a sample of %lld "
                             "elements",
                             static_cast<long long>(channels),
                             static_cast<long long>(sampleSize));

  TensorObserver observer(key, channels, bins);
  ArrayRef<float> data = array->as<float>();
  int64_t rejected = 0;
  auto start = std::chrono::steady_clock::now();
  for (int64_t s = 0; s < samples; ++s)
    if (!observer.observe(data.data() + s * sampleSize, sampleSize))
      ++rejected;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  TensorStatistics stats = observer.finish();

  std::vector<unsigned> widths(bitWidths.begin(), bitWidths.end());
  if (widths.empty())
    widths = {8};
  json::Array ranges;
  for (CalibrationMethod method :
       {CalibrationMethod::MinMax, CalibrationMethod::Percentile,
        CalibrationMethod::MSE, CalibrationMethod::KL})
    for (unsigned bits : widths)
      for (bool isSigned : {true, false})
        for (bool symmetric : {false, true})
          for (bool narrow : {false, true}) {
            QuantScheme scheme{bits, isSigned, symmetric, narrow};
            RangeOptions options{method, percentile, klLevels};
            Expected<Range> range = selectRange(stats, scheme, options);
            if (!range)
              return range.takeError();
            QuantParams params = computeQuantParams(*range, scheme);
            ranges.push_back(
                json::Object{{"method", stringifyCalibrationMethod(method)},
                             {"bits", bits},
                             {"signed", isSigned},
                             {"symmetric", symmetric},
                             {"narrow", narrow},
                             {"min", range->min},
                             {"max", range->max},
                             {"scale", params.scale},
                             {"zero_point", params.zeroPoint},
                             {"qmin", params.qmin},
                             {"qmax", params.qmax}});
          }

  json::Object result{{"tensor", stats.name},
                      {"samples", static_cast<int64_t>(stats.count)},
                      {"rejected", rejected},
                      {"sample_size", sampleSize},
                      {"min", stats.min},
                      {"max", stats.max},
                      {"observe_seconds", seconds},
                      {"ranges", std::move(ranges)}};
  if (stats.histogram)
    result["histogram"] =
        json::Object{{"lo", stats.histogram->lo},
                     {"hi", stats.histogram->hi},
                     {"counts", json::Array(stats.histogram->counts)}};
  if (stats.hasChannelStats()) {
    result["channel_min"] = json::Array(stats.channelMin);
    result["channel_max"] = json::Array(stats.channelMax);
    result["channel_mean"] = json::Array(stats.channelMean);
  }
  outs() << formatv("{0:2}", json::Value(std::move(result))) << '\n';
  return Error::success();
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "quant-opt calibration test driver\n");
  if (Error error = run()) {
    WithColor::error(errs(), "qnn-calib-tool")
        << toString(std::move(error)) << '\n';
    return 1;
  }
  return 0;
}
