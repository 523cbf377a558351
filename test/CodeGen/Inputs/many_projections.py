"""Writes a network of P populations of 100 LIF neurons, each projecting to the next K ones
(bernoulli(0.1), one weight), for test/CodeGen/merge-kernels.test: P update kernels and P * K
deliveries that differ only in their buffers."""
import sys

P, K = int(sys.argv[1]), int(sys.argv[2])
print('import "neurons/lif.snn"')
print("network many {")
print("    seed = 3")
for p in range(P):
    print("    population P%d = LIF[100] (E_L = -45 mV) { v = uniform(V_reset, V_th) }" % p)
for p in range(P):
    for k in range(1, K + 1):
        print("    connect P%d -> P%d with bernoulli(0.1) on_pre { ge += 0.6 mV }" % (p, (p + k) % P))
for p in range(P):
    print("    record spikes of P%d" % p)
print("    record P0.v[0:5]")
print("    run 100 ms")
print("}")
