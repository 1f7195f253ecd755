# jnn container image: placeholder until the packaging issue.
# The packaging issue turns this into a multi-stage build (JDK 17 + Maven + nvcc build stage,
# NVIDIA CUDA runtime + cuDNN + JRE 17 runtime stage) whose every step calls a script CI runs.
FROM eclipse-temurin:17-jdk
WORKDIR /opt/jnn
COPY . .
CMD ["mvn", "-B", "verify"]
