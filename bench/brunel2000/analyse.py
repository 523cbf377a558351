"""Statistics of a Brunel (2000) run, the same for snnc's outputs and the Brian2 twin's:
mean rate of E and I (Hz), the mean coefficient of variation of E's interspike intervals (neurons
with at least 3 spikes) and E's synchrony, the standard deviation of its population rate in 1 ms
bins over its mean; all after a transient of 100 ms."""
import numpy as np

TRANSIENT = 0.1


def stats(tE, iE, tI, iI, NE, NI, T):
    span = T - TRANSIENT
    keepE, keepI = tE >= TRANSIENT, tI >= TRANSIENT
    tE, iE = tE[keepE], iE[keepE]
    rate_E = tE.size / (NE * span)
    rate_I = np.count_nonzero(keepI) / (NI * span)
    order = np.lexsort((tE, iE))
    t, i = tE[order], iE[order]
    cvs = []
    starts = np.searchsorted(i, np.arange(NE + 1))
    for k in range(NE):
        s = t[starts[k]:starts[k + 1]]
        if s.size >= 3:
            isi = np.diff(s)
            cvs.append(isi.std() / isi.mean())
    bins = np.arange(TRANSIENT, T + 1e-9, 1e-3)
    counts, _ = np.histogram(tE, bins)
    sync = counts.std() / counts.mean() if counts.mean() > 0 else float("nan")
    return {"rate_E": rate_E, "rate_I": rate_I, "cv_E": float(np.mean(cvs)) if cvs else float("nan"),
            "sync_E": float(sync)}
