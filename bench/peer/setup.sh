#!/bin/sh
# Installs the PyTorch peer's dependencies from Debian (PyPI is not reachable here):
# python3-torch (PyTorch 1.13) and libopenblas0, which PyTorch's libblas.so.3 then resolves to
# through Debian's alternatives (apt here does not install Recommends, and without it
# libblas.so.3 is the slow reference BLAS). Idempotent: installs only what is missing.
# Run as root. Use /usr/bin/python3 afterwards (not a pyenv python on PATH).
set -eu
missing=""
for pkg in python3-torch python3-numpy libopenblas0; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
if [ -n "$missing" ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi
/usr/bin/python3 -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)'
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
echo "libblas.so.3 -> $blas"
case "$blas" in
    *openblas*) ;;
    *) echo "warning: libblas.so.3 is not OpenBLAS (update-alternatives --config libblas.so.3-x86_64-linux-gnu)" >&2 ;;
esac
