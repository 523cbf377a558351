"""Writes examples/potjans_diesmann.snn, the Potjans & Diesmann (2014) cortical microcircuit, from
the parameters of NEST's PyNEST example (pynest/examples/Potjans_2014/network_params.py, Rothe,
Bos & van Albada 2016), so that every number in the .snn file can be traced to this table.
Usage: python3 bench/potjans_diesmann/make_snn.py > examples/potjans_diesmann.snn
"""
POPS = ["L23e", "L23i", "L4e", "L4i", "L5e", "L5i", "L6e", "L6i"]
N_FULL = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
# Mean rates (Hz) of the full-scale network in NEST's example, used (as there) for the DC that
# replaces the input lost when in-degrees are scaled down.
RATES = [0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523]
# conn_probs[target][source]
C = [[0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0., 0.0076, 0.],
     [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0., 0.0042, 0.],
     [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.],
     [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0., 0.1057, 0.],
     [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.],
     [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.],
     [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
     [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]


HEADER = """// The cortical microcircuit of Potjans & Diesmann (2014, Cereb. Cortex 24:785): 77 169 current-
// based LIF neurons (NEST's iaf_psc_exp) in 8 populations of layers 2/3, 4, 5 and 6, about 0.3
// billion synapses, Poisson background. Parameters as NEST's PyNEST example
// (pynest/examples/Potjans_2014/network_params.py); written by bench/potjans_diesmann/make_snn.py,
// which lists them.
//
//   - Connectivity per population pair: fixed_total_number(K) with NEST's count
//     K = log(1 - C) / log(1 - 1 / (N_pre N_post)) for connection probability C, at full scale.
//     NEST draws K pairs with multapses; snnc draws K distinct pairs (the same synapse count and
//     mean input; the probability that a pair is connected differs by O(C^2)).
//   - Weights: normal with a 10 % standard deviation around the PSC of a 0.15 mV PSP (87.8 pA),
//     g = -4 for inhibitory sources, doubled from L4e to L2/3e, clipped at 0 to keep their sign.
//     Delays: normal, 1.5 ms (excitatory) or 0.75 ms (inhibitory) with a 50 % standard
//     deviation, clipped at dt (NEST redraws instead), rounded to the step.
//   - Background: K_ext independent Poisson trains of 8 Hz per neuron, as one Poisson count per
//     neuron and step (NEST's poisson_generator); K_ext times K_scale when downscaled.
//   - Downscaling (N_scale, K_scale < 1) as NEST's example: sizes times N_scale, synapse counts
//     times N_scale K_scale, weights over sqrt(K_scale), and a DC input per population making up
//     for the lost mean input, from the full-scale rates (RATES in make_snn.py).
// Published full-scale rates (NEST example, Hz): L2/3e 0.971, L2/3i 2.868, L4e 4.746,
// L4i 5.396, L5e 8.142, L5i 9.078, L6e 0.991, L6i 7.523. bench/run.sh runs it at full scale;
// test/Execution/potjans_diesmann.snn at a tenth, against a Brian2 twin.
neuron IafPscExp {
    parameters {
        C_m = 250 pF;  tau_m = 10 ms;  tau_syn = 0.5 ms;  t_ref = 2 ms
        E_L = -65 mV;  V_th = -50 mV;  V_reset = -65 mV;  I_dc = 0 pA
    }
    state { v = E_L; I_syn = 0 pA }
    equations {
        dv/dt = (E_L - v) / tau_m + (I_syn + I_dc) / C_m   unless refractory
        dI_syn/dt = -I_syn / tau_syn
    }
    spike when v >= V_th
    reset { v = V_reset }
    refractory t_ref
}

synapse Current {
    state { w = 0 pA }
    on_pre { target += w }
}

network potjans_diesmann {
    dt = 0.1 ms
    seed = 55
    precision = float32
    N_scale = 1
    K_scale = 1
    // The PSC whose PSP peaks at 0.15 mV (NEST's helpers.postsynaptic_potential_to_current).
    C_m = 250 pF
    tau_m = 10 ms
    tau_s = 0.5 ms
    a = tau_m / tau_s
    w_e = 0.15 mV * C_m / (tau_m * tau_s / (tau_s - tau_m) * (a ** (-tau_m / (tau_m - tau_s)) - a ** (-tau_s / (tau_m - tau_s)))) / sqrt(K_scale)
    w_i = -4 * w_e
    bg_rate = 8 Hz
"""


def main():
    out = []
    w = out.append
    w(HEADER)
    for k, p in enumerate(POPS):
        w(f"    N_{p} = round({N_FULL[k]} * N_scale)\n")
    w("    // Synapses of each pair at full scale (NEST's num_synapses_from_conn_probs).\n")
    for t, tp in enumerate(POPS):
        for s, sp in enumerate(POPS):
            if C[t][s] > 0:
                w(f"    K_{sp}_{tp} = log(1 - {C[t][s]}) / log(1 - 1 / ({N_FULL[s]} * {N_FULL[t]}))\n")
    w("    // The mean input lost by scaling in-degrees, made up by a DC (NEST's helpers.py):\n"
      "    // tau_syn (1 - sqrt(K_scale)) (sum over sources of w K / N_target * rate + w K_ext bg_rate).\n")
    for t, tp in enumerate(POPS):
        terms = []
        for s, sp in enumerate(POPS):
            if C[t][s] > 0:
                wt = ("2 * w_e" if (t, s) == (0, 2) else "w_e") if s % 2 == 0 else "w_i"
                terms.append(f"{wt} * K_{sp}_{tp} / {N_FULL[t]} * {RATES[s]} Hz")
        terms.append(f"w_e * {K_EXT[t]} * bg_rate")
        joined = "\n            + ".join(terms)
        w(f"    I_dc_{tp} = tau_s * (1 - sqrt(K_scale)) * sqrt(K_scale) * (\n            {joined})\n")
    w("\n")
    for k, p in enumerate(POPS):
        w(f"    population {p} = IafPscExp[N_{p}](I_dc = I_dc_{p}) {{ v = normal(-58 mV, 10 mV) }}\n")
    w("\n")
    for t, tp in enumerate(POPS):
        for s, sp in enumerate(POPS):
            if C[t][s] == 0:
                continue
            exc = s % 2 == 0
            wt = ("2 * w_e" if (t, s) == (0, 2) else "w_e") if exc else "w_i"
            d = "max(normal(1.5 ms, 0.75 ms), dt)" if exc else "max(normal(0.75 ms, 0.375 ms), dt)"
            clip = f"max(normal({wt}, 0.1 * {wt}), 0 pA)" if exc else f"min(normal({wt}, -0.1 * {wt}), 0 pA)"
            w(f"    connect {sp} -> {tp} with fixed_total_number(round(K_{sp}_{tp} * N_scale * K_scale))\n"
              f"        delay {d} synapse Current {{ w = {clip} }} onto I_syn\n")
    w("\n")
    for k, p in enumerate(POPS):
        w(f"    input {p}.I_syn += w_e * poisson(round({K_EXT[k]} * K_scale) * bg_rate * dt)\n")
    for p in POPS:
        w(f"    record spikes of {p}\n")
    w("    run 1 s\n}\n")
    print("".join(out), end="")


if __name__ == "__main__":
    main()
