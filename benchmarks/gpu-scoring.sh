#!/usr/bin/env bash
# Scoring throughput on the CUDA execution provider against the CPU, with the largest output difference, for the count
# model and the image classifiers (issue 16). Needs an NVIDIA GPU with its driver, CUDA 13 and cuDNN 9 on the library
# path. Usage: benchmarks/gpu-scoring.sh [device id, default 0] [extra scoring options, e.g. --sizes 64,224]
set -euo pipefail
cd "$(dirname "$0")/.."
device="${1:-0}"
shift || true
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi not found"
dotnet build benchmarks/MlNetExt.Benchmarks -c Release -p:UseGpu=true --artifacts-path artifacts/gpu
dotnet artifacts/gpu/bin/MlNetExt.Benchmarks/release/MlNetExt.Benchmarks.dll scoring --gpu "$device" "$@"
