"""Plots of snnc results with matplotlib: raster, voltage traces, population rate, weights.

Each function draws on a matplotlib Axes (a new figure's if none is given) and returns it; the
inputs are the arrays of the .npy outputs or of snnc.Model (structured arrays with fields t, i /
t, <var> / pre, post, w).  `python3 -m snnc plot OUTDIR` turns an executable's outputs into PNGs.
"""
import os

import numpy as np


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt.figure(figsize=(8, 3)).add_subplot(111)


def raster(spikes, ax=None, title=None, max_points=200000):
    """One dot per spike: time against neuron index."""
    ax = _axes(ax)
    s = spikes[:max_points]
    ax.plot(s["t"], s["i"], ",k" if len(s) > 20000 else ".k", markersize=2)
    ax.set_xlabel("t (s)")
    ax.set_ylabel("neuron")
    if title:
        ax.set_title(title)
    return ax


def rate(spikes, n_neurons, bin_s=0.005, ax=None, title=None, t_end=None):
    """Population rate (Hz) in bins of `bin_s` seconds."""
    ax = _axes(ax)
    t_end = t_end if t_end is not None else (spikes["t"].max() if len(spikes) else bin_s)
    edges = np.arange(0.0, t_end + bin_s, bin_s)
    counts, _ = np.histogram(spikes["t"], edges)
    ax.plot(edges[:-1], counts / (n_neurons * bin_s), "k-")
    ax.set_xlabel("t (s)")
    ax.set_ylabel("rate (Hz)")
    if title:
        ax.set_title(title)
    return ax


def traces(samples, var, ax=None, title=None, max_traces=5):
    """A recorded state variable (a structured array with fields t and `var`) against time."""
    ax = _axes(ax)
    values = samples[var]
    values = values.reshape(len(samples), -1)
    for k in range(min(max_traces, values.shape[1])):
        ax.plot(samples["t"], values[:, k], lw=0.8)
    ax.set_xlabel("t (s)")
    ax.set_ylabel(var)
    if title:
        ax.set_title(title)
    return ax


def weights(values, ax=None, title=None, bins=50):
    """Histogram of synaptic weights (an array, or a structured one with a field w)."""
    ax = _axes(ax)
    w = values["w"] if values.dtype.names and "w" in values.dtype.names else values
    ax.hist(np.asarray(w).reshape(-1), bins=bins, color="0.3")
    ax.set_xlabel("w")
    ax.set_ylabel("synapses")
    if title:
        ax.set_title(title)
    return ax


def plot_outputs(outdir, png=None):
    """One figure with a panel per output of an executable's run (spikes as rasters, state
    samples as traces, final synapse values as histograms); returns the PNG's path."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    files = sorted(f for f in os.listdir(outdir)
                   if f.endswith(".npy") and not f.endswith(".synapses.npy"))
    if not files:
        raise ValueError(f"no .npy outputs in {outdir}")
    fig, axes = plt.subplots(len(files), 1, figsize=(8, 2.6 * len(files)), squeeze=False)
    for ax, f in zip(axes[:, 0], files):
        data = np.load(os.path.join(outdir, f))
        name = f[:-4]
        fields = data.dtype.names or ()
        if fields == ("t", "i"):
            raster(data, ax, title=name)
        elif "t" in fields and len(fields) == 2:
            var = [x for x in fields if x != "t"][0]
            if data.shape == (1,) or len(data) == 1:
                weights(data[var], ax, title=name)
            else:
                traces(data, var, ax, title=name)
        else:
            weights(data if not fields else data[fields[-1]], ax, title=name)
    fig.tight_layout()
    png = png or os.path.join(outdir, "plot.png")
    fig.savefig(png, dpi=100)
    plt.close(fig)
    return png
