"""The outputs of a spike-pair plasticity test (test/stdlib/stdp_window.snn, vogels_istdp.snn):
200 pairs A_i -> B_i of projection `ab`, each neuron firing once."""
import numpy as np


def load_pairs(out):
    """Final weights, their (pre, post) pairs, and each neuron's spike time (pre, post)."""
    w = np.load(f"{out}/ab.w.final.npy")["w"][0]
    pairs = np.load(f"{out}/ab.w.final.synapses.npy")
    a = np.load(f"{out}/A.spikes.npy")
    b = np.load(f"{out}/B.spikes.npy")
    tpre = dict(zip(a["i"], a["t"]))
    tpost = dict(zip(b["i"], b["t"]))
    assert len(tpre) == 200 and len(tpost) == 200, "every neuron fires once"
    return w, pairs, tpre, tpost
