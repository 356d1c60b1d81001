//===- onednn_kernels.cpp - oneDNN 2.6 baseline of bench/cpu_kernels.py ---===//
//
// Part of quant-opt (benchmarks only; not built by CMake).
//
// Times one kernel shape in oneDNN 2.6 (Debian libdnnl-dev) on the data that
// bench/cpu_kernels.py wrote to DIR, and writes the outputs back for the
// numerics check:
//
//   onednn_kernels matmul M K N  DIR REPEAT ZP_SRC_U8 ZP_DST
//   onednn_kernels dw     H W C STRIDE DIR REPEAT ZP_SRC_U8 ZP_DST
//   onednn_kernels peak   (instruction-stream peaks and clock of this host)
//
// Three primitives per shape, each timed as REPEAT single calls
// (`execute` + `stream::wait`) after 3 warm-up calls, min and median:
//
//   int8      u8 src (the s8 activation + 128) with a src zero point
//             attribute (ZP_SRC_U8 = input_zero_point + 128, common), s8
//             weights pre-reordered to the layout oneDNN picks (format_tag::
//             any, one-time reorder outside the timing), s32 bias, per-output-
//             channel fp32 output scales (set_output_scales, mask over N/OC),
//             dst zero point ZP_DST (common), s8 dst. oneDNN 2.x adds the bias
//             to the s32 accumulator before scaling:
//             dst = sat_s8(round(scale[o] * (sum (src - zp_src) * w + bias[o])) + zp_dst)
//   int8fold  the same without the src zero point attribute: the zero point
//             term is folded into the s32 bias (what the project's
//             --fold-scales does). Exact for matmul; for the padded depthwise
//             convolution the borders differ (oneDNN pads u8 0, not the zero
//             point), the cost is what is compared.
//   f32       f32 src/weights (pre-reordered)/bias/dst.
//
// Input files (raw little-endian, C order): x_u8.bin [M,K] or [1,H,W,C];
// w_s8.bin [N,K] or [C,3,3,1]; bias_zp.bin, bias_fold.bin (i32 [N]);
// scales.bin (f32 [N]); xf.bin, wf.bin, bf.bin (f32, same shapes).
// Outputs: out_int8.bin, out_int8fold.bin (s8), out_f32.bin (f32).
// Prints one line per primitive:
//   RESULT <int8|int8fold|f32> min_ms=<..> median_ms=<..> impl=<oneDNN impl>
//
// Build: clang++ -std=c++17 -O3 onednn_kernels.cpp -ldnnl
// Run with OMP_NUM_THREADS=1 (Debian's libdnnl2 uses OpenMP).
//
//===----------------------------------------------------------------------===//

#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace dnnl;
using dt = memory::data_type;
using tag = memory::format_tag;

template <typename T>
static std::vector<T> readFile(const std::string &path, size_t count) {
  std::vector<T> v(count);
  std::ifstream f(path, std::ios::binary);
  if (!f)
    throw std::runtime_error("cannot open " + path);
  f.read(reinterpret_cast<char *>(v.data()), count * sizeof(T));
  if (size_t(f.gcount()) != count * sizeof(T))
    throw std::runtime_error(path + " is too short");
  return v;
}

static void writeMemory(const std::string &path, const memory &m) {
  size_t bytes = m.get_desc().get_size();
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char *>(m.get_data_handle()), bytes);
}

static memory makeMemory(const memory::desc &md, const engine &eng,
                         const void *data) {
  memory m(md, eng);
  if (data)
    std::memcpy(m.get_data_handle(), data, md.get_size());
  return m;
}

/// Reorders user data into the layout the primitive wants (once, untimed).
static memory reorderTo(memory user, const memory::desc &want,
                        const engine &eng, stream &s) {
  if (user.get_desc() == want)
    return user;
  memory out(want, eng);
  reorder(user, out).execute(s, user, out);
  s.wait();
  return out;
}

struct Timing {
  double minMs, medianMs;
};

static Timing timeCalls(const std::function<void()> &call, int repeat) {
  for (int i = 0; i < 3; ++i)
    call();
  std::vector<double> ms;
  for (int i = 0; i < repeat; ++i) {
    auto start = std::chrono::steady_clock::now();
    call();
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2]};
}

static void report(const char *kind, Timing t, const char *impl) {
  std::printf("RESULT %s min_ms=%.6f median_ms=%.6f impl=%s\n", kind, t.minMs,
              t.medianMs, impl);
  std::fflush(stdout);
}

struct Shape {
  bool conv;
  // matmul: src [M,K], weights [K,N] (ours [N,K] = oneDNN tag ba), dst [M,N].
  int64_t M = 0, K = 0, N = 0;
  // depthwise 3x3, padding 1: src [1,C,H,W] (nhwc), dst [1,C,OH,OW].
  int64_t H = 0, W = 0, C = 0, stride = 1;
  int64_t OH() const { return (H + 2 - 3) / stride + 1; }
  int64_t OW() const { return (W + 2 - 3) / stride + 1; }
  int64_t outChannels() const { return conv ? C : N; }

  memory::desc src(dt t) const {
    return conv ? memory::desc({1, C, H, W}, t, tag::nhwc)
                : memory::desc({M, K}, t, tag::ab);
  }
  memory::desc userWeights(dt t) const {
    return conv ? memory::desc({C, 1, 1, 3, 3}, t, tag::goihw)
                : memory::desc({K, N}, t, tag::ba);
  }
  memory::desc anyWeights(dt t) const {
    return conv ? memory::desc({C, 1, 1, 3, 3}, t, tag::any)
                : memory::desc({K, N}, t, tag::any);
  }
  memory::desc bias(dt t) const {
    return conv ? memory::desc({C}, t, tag::x)
                : memory::desc({1, N}, t, tag::ab);
  }
  memory::desc dst(dt t) const {
    return conv ? memory::desc({1, C, OH(), OW()}, t, tag::nhwc)
                : memory::desc({M, N}, t, tag::ab);
  }
};

/// Builds the primitive descriptor of one variant.
static std::pair<primitive, std::string>
makePrimitive(const Shape &s, dt srcT, dt weiT, dt biasT, dt dstT,
              const primitive_attr &attr, const engine &eng,
              memory::desc &weiWanted) {
  if (s.conv) {
    auto d = convolution_forward::desc(
        prop_kind::forward_inference, algorithm::convolution_direct,
        s.src(srcT), s.anyWeights(weiT), s.bias(biasT), s.dst(dstT),
        {s.stride, s.stride}, {1, 1}, {1, 1});
    convolution_forward::primitive_desc pd(d, attr, eng);
    weiWanted = pd.weights_desc();
    return {convolution_forward(pd), pd.impl_info_str()};
  }
  auto d = matmul::desc(s.src(srcT), s.anyWeights(weiT), s.bias(biasT),
                        s.dst(dstT));
  matmul::primitive_desc pd(d, attr, eng);
  weiWanted = pd.weights_desc();
  return {matmul(pd), pd.impl_info_str()};
}


//===----------------------------------------------------------------------===//
// `onednn_kernels peak`: instruction-stream peaks of this host (the anchors
// in /work/shared/reference/cpu-perf-anchors.md were measured on another
// CPU). 12 independent accumulators per loop iteration; best of 7 runs.
//===----------------------------------------------------------------------===//

static bool cpuHas(int leaf, int sub, int reg, int bit) {
  unsigned r[4];
  __asm__ volatile("cpuid"
                   : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                   : "a"(leaf), "c"(sub));
  return (r[reg] >> bit) & 1;
}

#define REP12(X)                                                             \
  X("0") X("1") X("2") X("3") X("4") X("5") X("6") X("7") X("8") X("9")      \
      X("10") X("11")
#define ZMM_CLOBBERS                                                         \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",    \
      "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "cc"

__attribute__((target("avx512f,avx512vnni"))) static void
loopVnniZmm(long n) {
#define I(k) "vpdpbusd %%zmm13, %%zmm12, %%zmm" k "\n\t"
  __asm__ volatile("vpxord %%zmm12, %%zmm12, %%zmm12\n\t"
                   "vpxord %%zmm13, %%zmm13, %%zmm13\n\t"
                   "1:\n\t" REP12(I) "dec %0\n\tjnz 1b\n\t"
                   : "+r"(n)::ZMM_CLOBBERS);
#undef I
}
__attribute__((target("avx512f,avx512vnni,avx512vl"))) static void
loopVnniYmm(long n) {
#define I(k) "vpdpbusd %%ymm13, %%ymm12, %%ymm" k "\n\t"
  __asm__ volatile("vpxor %%ymm12, %%ymm12, %%ymm12\n\t"
                   "vpxor %%ymm13, %%ymm13, %%ymm13\n\t"
                   "1:\n\t" REP12(I) "dec %0\n\tjnz 1b\n\t"
                   : "+r"(n)::ZMM_CLOBBERS);
#undef I
}
__attribute__((target("avx512f,fma"))) static void loopFmaZmm(long n) {
#define I(k) "vfmadd231ps %%zmm13, %%zmm12, %%zmm" k "\n\t"
  __asm__ volatile("vpxord %%zmm12, %%zmm12, %%zmm12\n\t"
                   "vpxord %%zmm13, %%zmm13, %%zmm13\n\t"
                   "1:\n\t" REP12(I) "dec %0\n\tjnz 1b\n\t"
                   : "+r"(n)::ZMM_CLOBBERS);
#undef I
}
__attribute__((target("avx2,fma"))) static void loopFmaYmm(long n) {
#define I(k) "vfmadd231ps %%ymm13, %%ymm12, %%ymm" k "\n\t"
  __asm__ volatile("vpxor %%ymm12, %%ymm12, %%ymm12\n\t"
                   "vpxor %%ymm13, %%ymm13, %%ymm13\n\t"
                   "1:\n\t" REP12(I) "dec %0\n\tjnz 1b\n\t"
                   : "+r"(n)::ZMM_CLOBBERS);
#undef I
}
/// 48 dependent 1-cycle register-register adds per iteration: cycles = 48 n
/// (add-immediate chains are not used: Golden Cove folds them at rename).
static void loopAddChain(long n) {
  long x = 0, one = 1;
#define I(k) "add %2, %1\n\t" "add %2, %1\n\t" "add %2, %1\n\t" "add %2, %1\n\t"
  __asm__ volatile("1:\n\t" REP12(I) "dec %0\n\tjnz 1b\n\t"
                   : "+r"(n), "+r"(x)
                   : "r"(one)
                   : "cc");
#undef I
}

// AMX (tdpbusd: 16x16 s32 += 16x64 u8 . 64x16 s8 = 16384 MACs), 4
// independent accumulator tiles.
struct TileConfig {
  uint8_t paletteId = 1, startRow = 0, reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};
__attribute__((target("amx-tile,amx-int8"))) static void loopAmx(long n) {
  static int8_t a[2][16 * 64], b[2][16 * 64];
  TileConfig cfg;
  for (int t = 0; t < 8; ++t) {
    cfg.colsb[t] = 64;
    cfg.rows[t] = 16;
  }
  _tile_loadconfig(&cfg);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  _tile_loadd(4, a[0], 64);
  _tile_loadd(5, a[1], 64);
  _tile_loadd(6, b[0], 64);
  _tile_loadd(7, b[1], 64);
  for (long i = 0; i < n; ++i) {
    _tile_dpbusd(0, 4, 6);
    _tile_dpbusd(1, 4, 7);
    _tile_dpbusd(2, 5, 6);
    _tile_dpbusd(3, 5, 7);
  }
  _tile_release();
}

static double bestSeconds(void (*loop)(long), long n) {
  loop(n / 10);
  double best = 1e30;
  for (int r = 0; r < 7; ++r) {
    auto start = std::chrono::steady_clock::now();
    loop(n);
    best = std::min(best, std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count());
  }
  return best;
}

static int runPeak() {
  const long n = 5000000;
  double ghz = 48.0 * n / bestSeconds(loopAddChain, n) / 1e9;
  std::printf("PEAK clock_ghz=%.3f\n", ghz);
  auto emit = [&](const char *name, void (*loop)(long), long iters,
                  double opsPerIter) {
    double sec = bestSeconds(loop, iters);
    double gops = opsPerIter * iters / sec / 1e9;
    std::printf("PEAK %s gops=%.1f ops_per_cycle=%.1f\n", name, gops,
                gops / ghz);
  };
  bool vnni = cpuHas(7, 0, 2, 11), amx = cpuHas(7, 0, 3, 25);
  if (vnni) {
    emit("vpdpbusd_zmm", loopVnniZmm, n, 12 * 64 * 2);
    emit("vpdpbusd_ymm", loopVnniYmm, n, 12 * 32 * 2);
  }
  emit("vfmadd231ps_zmm", loopFmaZmm, n, 12 * 16 * 2);
  emit("vfmadd231ps_ymm", loopFmaYmm, n, 12 * 8 * 2);
  // Linux: ask for the AMX tile state (ARCH_REQ_XCOMP_PERM, XTILEDATA).
  if (amx && syscall(SYS_arch_prctl, 0x1023, 18) == 0)
    emit("amx_tdpbusd", loopAmx, n / 20, 4 * 16384 * 2);
  return 0;
}

static int usage() {
  std::fprintf(stderr,
               "usage: onednn_kernels matmul M K N DIR REPEAT ZP_SRC_U8 ZP_DST\n"
               "       onednn_kernels dw H W C STRIDE DIR REPEAT ZP_SRC_U8 "
               "ZP_DST\n"
               "       onednn_kernels peak\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return usage();
  if (std::string(argv[1]) == "peak")
    return runPeak();
  Shape s;
  std::string kind = argv[1];
  int argi;
  if (kind == "matmul" && argc == 9) {
    s.conv = false;
    s.M = std::atoll(argv[2]);
    s.K = std::atoll(argv[3]);
    s.N = std::atoll(argv[4]);
    argi = 5;
  } else if (kind == "dw" && argc == 10) {
    s.conv = true;
    s.H = std::atoll(argv[2]);
    s.W = std::atoll(argv[3]);
    s.C = std::atoll(argv[4]);
    s.stride = std::atoll(argv[5]);
    argi = 6;
  } else {
    return usage();
  }
  std::string dir = argv[argi];
  int repeat = std::atoi(argv[argi + 1]);
  int32_t zpSrc = std::atoi(argv[argi + 2]);
  int32_t zpDst = std::atoi(argv[argi + 3]);
  if (repeat < 1)
    return usage();

  try {
    engine eng(engine::kind::cpu, 0);
    stream strm(eng);
    size_t srcCount = s.src(dt::u8).get_size();
    size_t weiCount = s.userWeights(dt::s8).get_size();
    size_t oc = s.outChannels();
    auto xU8 = readFile<uint8_t>(dir + "/x_u8.bin", srcCount);
    auto wS8 = readFile<int8_t>(dir + "/w_s8.bin", weiCount);
    auto biasZp = readFile<int32_t>(dir + "/bias_zp.bin", oc);
    auto biasFold = readFile<int32_t>(dir + "/bias_fold.bin", oc);
    auto scalesV = readFile<float>(dir + "/scales.bin", oc);
    auto xF = readFile<float>(dir + "/xf.bin", srcCount);
    auto wF = readFile<float>(dir + "/wf.bin", weiCount);
    auto bF = readFile<float>(dir + "/bf.bin", oc);
    // Per-output-channel scales: dimension 1 of matmul's [M, N] dst and of
    // the convolution's logical [N, C, H, W] dst.
    const int scaleMask = 1 << 1;

    // --- int8, native src/dst zero points, and int8 with the src zero
    // point folded into the bias.
    for (int variant = 0; variant < 2; ++variant) {
      bool nativeZp = variant == 0;
      // Constant (compile-time) zero points where oneDNN takes them, as the
      // project's are constants; else runtime ones passed at execution.
      bool runtimeZp = false;
      std::pair<primitive, std::string> prim;
      memory::desc weiWanted;
      for (int attempt = 0; attempt < 2; ++attempt) {
        runtimeZp = attempt == 1;
        primitive_attr a;
        a.set_output_scales(scaleMask, scalesV);
        if (nativeZp)
          a.set_zero_points(DNNL_ARG_SRC, 0,
                            {runtimeZp ? DNNL_RUNTIME_S32_VAL : zpSrc});
        a.set_zero_points(DNNL_ARG_DST, 0,
                          {runtimeZp ? DNNL_RUNTIME_S32_VAL : zpDst});
        try {
          prim = makePrimitive(s, dt::u8, dt::s8, dt::s32, dt::s8, a, eng,
                               weiWanted);
          break;
        } catch (const dnnl::error &e) {
          if (attempt == 1)
            throw;
        }
      }
      memory src = makeMemory(s.src(dt::u8), eng, xU8.data());
      memory weiUser = makeMemory(s.userWeights(dt::s8), eng, wS8.data());
      memory wei = reorderTo(weiUser, weiWanted, eng, strm);
      memory bias = makeMemory(s.bias(dt::s32), eng,
                               nativeZp ? biasZp.data() : biasFold.data());
      memory dst = makeMemory(s.dst(dt::s8), eng, nullptr);
      memory::desc zpMd({1}, dt::s32, tag::x);
      memory zpSrcMem = makeMemory(zpMd, eng, &zpSrc);
      memory zpDstMem = makeMemory(zpMd, eng, &zpDst);
      std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src},
                                              {DNNL_ARG_WEIGHTS, wei},
                                              {DNNL_ARG_BIAS, bias},
                                              {DNNL_ARG_DST, dst}};
      if (runtimeZp) {
        if (nativeZp)
          args[DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC] = zpSrcMem;
        args[DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST] = zpDstMem;
      }
      Timing t = timeCalls(
          [&] {
            prim.first.execute(strm, args);
            strm.wait();
          },
          repeat);
      std::string impl = prim.second + (runtimeZp ? "(runtime-zp)" : "");
      report(nativeZp ? "int8" : "int8fold", t, impl.c_str());
      writeMemory(dir + (nativeZp ? "/out_int8.bin" : "/out_int8fold.bin"),
                  dst);
    }

    // --- fp32.
    {
      memory::desc weiWanted;
      auto prim = makePrimitive(s, dt::f32, dt::f32, dt::f32, dt::f32,
                                primitive_attr(), eng, weiWanted);
      memory src = makeMemory(s.src(dt::f32), eng, xF.data());
      memory weiUser = makeMemory(s.userWeights(dt::f32), eng, wF.data());
      memory wei = reorderTo(weiUser, weiWanted, eng, strm);
      memory bias = makeMemory(s.bias(dt::f32), eng, bF.data());
      memory dst = makeMemory(s.dst(dt::f32), eng, nullptr);
      std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src},
                                              {DNNL_ARG_WEIGHTS, wei},
                                              {DNNL_ARG_BIAS, bias},
                                              {DNNL_ARG_DST, dst}};
      Timing t = timeCalls(
          [&] {
            prim.first.execute(strm, args);
            strm.wait();
          },
          repeat);
      report("f32", t, prim.second.c_str());
      writeMemory(dir + "/out_f32.bin", dst);
    }
  } catch (const dnnl::error &e) {
    std::fprintf(stderr, "oneDNN error: %s (status %d)\n", e.what(),
                 int(e.status));
    return 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
