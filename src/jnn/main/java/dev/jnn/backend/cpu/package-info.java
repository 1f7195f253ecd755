/** The pure-Java CPU back end: strided element-wise kernels, reductions, packed GEMM (Vector API when enabled). */
package dev.jnn.backend.cpu;
