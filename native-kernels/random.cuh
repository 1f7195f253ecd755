// Dropout masks from a counter-based generator (Philox4x32-10, Salmon et al., SC'11 - the
// generator of cuRAND and of PyTorch's CUDA dropout), so that a mask is a pure function of (seed,
// element index): the same on every device, in any launch configuration, and on the CPU back end
// (dev.jnn.backend.Philox computes the same numbers in Java; a unit test checks both against the
// Random123 known-answer vectors).
//
// Element i uses word (i % 4) of philox(counter = {i / 4 low, i / 4 high, 0, 0}, key = {seed low,
// seed high}); u = (word >> 8) * 2^-24 is uniform on [0, 1) and exact in float; the element is
// kept (set to `scale`, i.e. 1 / (1 - p)) when u >= p, else zeroed: keep probability 1 - p.
#pragma once
#include "common.cuh"

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

__device__ __forceinline__ void philox4x32_10(unsigned int c[4], unsigned int k0, unsigned int k1) {
#pragma unroll
  for (int r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    unsigned int hi0 = __umulhi(PHILOX_M0, c[0]);
    unsigned int lo0 = PHILOX_M0 * c[0];
    unsigned int hi1 = __umulhi(PHILOX_M1, c[2]);
    unsigned int lo1 = PHILOX_M1 * c[2];
    unsigned int n0 = hi1 ^ c[1] ^ k0;
    unsigned int n2 = hi0 ^ c[3] ^ k1;
    c[0] = n0;
    c[1] = lo1;
    c[2] = n2;
    c[3] = lo0;
  }
}

template <typename T>
__device__ __forceinline__ void dropout_mask(i64 n, T* out, double p, T scale, unsigned long long seed) {
  i64 groups = (n + 3) / 4;
  GRID_STRIDE(q, groups) {
    unsigned int c[4] = {(unsigned int)q, (unsigned int)((unsigned long long)q >> 32), 0u, 0u};
    philox4x32_10(c, (unsigned int)seed, (unsigned int)(seed >> 32));
#pragma unroll
    for (int k = 0; k < 4; k++) {
      i64 i = q * 4 + k;
      if (i < n) {
        double u = (double)(c[k] >> 8) * (1.0 / 16777216.0);
        out[i] = u >= p ? scale : (T)0;
      }
    }
  }
}

// a test hook: Philox4x32-10 of n (counter, key) inputs, six words each ({c0, c1, c2, c3, k0, k1}),
// four output words each (checked against Random123's known-answer vectors)
extern "C" __global__ void philox_words(i64 n, const unsigned int* in, unsigned int* out) {
  GRID_STRIDE(i, n) {
    const unsigned int* w = in + i * 6;
    unsigned int c[4] = {w[0], w[1], w[2], w[3]};
    philox4x32_10(c, w[4], w[5]);
    for (int k = 0; k < 4; k++) out[i * 4 + k] = c[k];
  }
}

#define DEFINE_RANDOM(NAME, T)                                                                            \
  extern "C" __global__ void dropout_mask_##NAME(i64 n, T* out, double p, double scale, i64 seed) {     \
    dropout_mask<T>(n, out, p, (T)scale, (unsigned long long)seed);                                      \
  }

DEFINE_RANDOM(f32, float)
DEFINE_RANDOM(f64, double)
