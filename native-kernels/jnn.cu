// jnn's custom CUDA kernels: one translation unit, one module (fatbin / PTX) loaded per device by
// dev.jnn.backend.cuda. Build with build.sh (nvcc); the outputs are committed under
// src/main/resources/dev/jnn/backend/cuda/kernels/ so that builds without nvcc work.
#include "common.cuh"
#include "elementwise.cuh"
#include "reduce.cuh"
#include "index.cuh"
#include "nn.cuh"
#include "optim.cuh"
#include "random.cuh"
#include "rnn.cuh"
#include "pool.cuh"
#include "sample.cuh"
