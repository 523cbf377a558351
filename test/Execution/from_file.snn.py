"""Writes the data files of test/Execution/from_file.snn (gen DIR) and checks its outputs
against closed forms computed from those files alone (check DIR OUT)."""
import sys, numpy as np

def gen(d):
    np.save(f"{d}/tau.npy", np.array([5, 7.5, 10, 12.5, 20, 40], dtype=np.float32))
    open(f"{d}/v0.csv", "w").write("# initial v in mV\n" + "\n".join(str(x) for x in [-1, 2, 3.5, 4, -5, 6.25]) + "\n")
    W = np.arange(24, dtype=float).reshape(4, 6) / 8 - 1
    np.save(f"{d}/W.npy", np.asfortranarray(W))
    rows = [(3, 4, 0.25, 2.0), (0, 1, 1.5, 0.5), (2, 0, -0.75, 3.0), (0, 3, 2.0, 1.0), (1, 1, 0.125, 0.0), (2, 4, 0.5, 1.5)]
    a = np.array(rows, dtype=[('i', '<i8'), ('j', '>i4'), ('w', '>f8'), ('delay', '<f4')])
    np.save(f"{d}/conn.npy", a)
    open(f"{d}/conn.csv", "w").write("i, j, w\n0, 2, 0.5\n2, 0, 1\n1, 4, -0.25\n")
    open(f"{d}/in.csv", "w").write("t,i\n0.0005,0\n0.0005,1\n0.0005,2\n0.0005,3\n0.0012,2\n")

def check(d, out):
    dt = 1e-4
    # P: v = v0 exp(-t / tau) per neuron, with tau and v0 from the files.
    tau = np.load(f"{d}/tau.npy").astype(float) * 1e-3
    v0 = np.loadtxt(f"{d}/v0.csv") * 1e-3
    r = np.load(f"{out}/P.v.npy")
    want = v0[None, :] * np.exp(-r["t"][:, None] / tau[None, :])
    print("P closed form:", np.allclose(r["v"], want, rtol=1e-12, atol=0))
    # c: every listed pair once, its weight in mV, in CSR order (by pre, then post).
    conn = np.load(f"{d}/conn.npy")
    pairs = np.load(f"{out}/c.w.final.synapses.npy")
    w = np.load(f"{out}/c.w.final.npy")["w"][0]
    lst = sorted(zip(conn["i"].tolist(), conn["j"].tolist(), conn["w"].tolist(), conn["delay"].tolist()))
    # (Rows come out sorted by delay, then post: compare per pair.)
    got = {(int(a), int(b)): x for a, b, x in zip(pairs["i"], pairs["j"], w)}
    print("c pairs:", sorted(got) == [(a, b) for a, b, _, _ in lst],
          "weights:", all(got[(a, b)] == x * 1e-3 for a, b, x, _ in lst))
    # Q: each synapse adds w at the step its spike arrives (spike step + round(delay / dt)),
    # seen from the next recorded step on.
    spikes = np.loadtxt(f"{d}/in.csv", delimiter=",", skiprows=1)
    q = np.load(f"{out}/Q.v.npy")
    steps = np.rint(q["t"] / dt).astype(int)
    expect = np.zeros((len(steps), 5))
    for i, j, wv, dl in lst:
        for t, n in spikes:
            if int(n) == i:
                arrive = int(round(t / dt)) + int(round(dl * 1e-3 / dt))
                expect[steps > arrive, j] += wv * 1e-3
    print("Q arrivals:", np.allclose(q["v"], expect, rtol=0, atol=1e-15))
    # k: a sliced pre range, so i counts from S[1].
    k = np.loadtxt(f"{d}/conn.csv", delimiter=",", skiprows=1)
    kv = np.load(f"{out}/K.v.final.npy")["v"][0]
    ke = np.zeros(5)
    for i, j, wv in k:
        ke[int(j)] += wv * 1e-3 * sum(1 for t, n in spikes if int(n) == int(i) + 1)
    kp = np.load(f"{out}/k.w.final.synapses.npy")
    print("K sliced:", np.allclose(kv, ke, rtol=0, atol=1e-15), sorted(kp["i"].tolist()) == sorted((k[:, 0] + 1).astype(int).tolist()))
    # d: W(i, j) from a Fortran-ordered matrix, times 0.5 mV.
    W = np.load(f"{d}/W.npy")
    dp = np.load(f"{out}/d.w.final.synapses.npy")
    dw = np.load(f"{out}/d.w.final.npy")["w"][0]
    print("d dense:", len(dw) == W.size and np.array_equal(dw, W[dp["i"], dp["j"]] * 0.5e-3))

if sys.argv[1] == "gen":
    gen(sys.argv[2])
else:
    check(sys.argv[2], sys.argv[3])
