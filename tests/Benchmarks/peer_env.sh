# Sourced by the *_vs_torch.sh benchmarks: makes the PyTorch peer runnable and fast on this machine.
# Installs Debian's python3-torch for /usr/bin/python3 when missing, and unpacks OpenBLAS 0.3.21
# (libopenblas0-openmp) into /tmp/ob without touching the system's libblas (see the header of the peer,
# ../shared/bench/peer_pytorch_mlp.py beside the repository: the peers are not part of it). Sets $ob, the folder to put on LD_LIBRARY_PATH; run the peer with
# OPENBLAS_CORETYPE=SkylakeX, because 0.3.21 does not recognise Sapphire Rapids and would otherwise fall
# back to its AVX2 kernels.
ob=/tmp/ob/usr/lib/x86_64-linux-gnu/openblas-openmp
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
fi
if [ ! -e "$ob/libblas.so.3" ]; then
  dl=$(mktemp -d)
  (cd "$dl" && apt-get download libopenblas0-openmp >/dev/null && dpkg-deb -x libopenblas0-openmp_*.deb /tmp/ob)
  rm -rf "$dl"
fi
