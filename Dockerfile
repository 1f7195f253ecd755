# syntax=docker/dockerfile:1
# jnn: the CUDA image (issue 9). Every build step is a script that also runs outside Docker:
#   scripts/docker/install-build-tools, scripts/build (kernels, `mvn -B verify`, `mvn install`,
#   scripts/dist), scripts/docker/install-runtime. CI runs `mvn -B verify`, scripts/check-consumer
#   and scripts/check-dist (the runtime layout and its entry point); see README.md, "Docker".
#
#   docker build -t jnn .
#   docker run --gpus all jnn                 # the main job on the GPU
#   docker run jnn                            # the main job on the CPU (it says so)
#   docker run --gpus all jnn gpu-check       # jnn's GPU suite (JUnit tests tagged "gpu")
#   docker run jnn --epochs 5 --device cpu    # options of scripts/train (docker run jnn help)
#   docker run -v "$PWD":/work jnn --save m.safetensors   # plot and checkpoint land in $PWD
#
# Build stage: CUDA 13.0 devel (nvcc 13.0, the version that built the committed kernels, so
# KernelResourcesTest also compares a fresh PTX build), Ubuntu 24.04 (Maven 3.8.7, JDK 17).
# Runtime stage: CUDA 12.2 + cuDNN 8.9 (libcublas.so.12, libcudnn.so.8): JCublas 12.6 and
# JCudnn 11.7 load these directly, no forwarding shims involved. Host: NVIDIA driver R535+ (the
# image's CUDA 12.2 requirement), NVIDIA Container Toolkit. A cuDNN 9 base (e.g.
# nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04) also works: jnn then loads its shims.

FROM nvidia/cuda:13.0.0-devel-ubuntu24.04 AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src/jnn
COPY scripts/docker/install-build-tools scripts/docker/
RUN scripts/docker/install-build-tools
COPY . .
RUN --mount=type=cache,target=/root/.m2 scripts/build

FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04 AS runtime
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
COPY --from=build /src/jnn/target/dist /opt/jnn
COPY --from=build /src/jnn/scripts/docker/install-runtime /opt/jnn/bin/
RUN /opt/jnn/bin/install-runtime /opt/jnn
ENV JNN_HOME=/opt/jnn
WORKDIR /work
ENTRYPOINT ["/opt/jnn/bin/jnn"]
CMD ["train"]
