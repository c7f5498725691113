// Debian's libbpf (libbpf-dev): only the benchmarks link it.
#include <bpf/btf.h>
#include <bpf/libbpf.h>
