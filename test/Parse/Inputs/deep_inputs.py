"""Writes the long and deep programs of deep-inputs.test into the folder argv[1]."""
import os
import sys

d = sys.argv[1]


def net(params, update="v = v + a", spike=""):
    return ("neuron N {\n    parameters {\n%s\n    }\n    state { v = 0 }\n    update { %s }\n%s}\n"
            "network deep {\n    population P = N[2]\n    record P.v\n    run 1 ms\n}\n"
            % (params, update, spike))


def write(name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


write("sum.snn", net("        a = " + " + ".join(["1"] * 16000)))
write("neg.snn", net("        a = " + "-" * 10000 + "1"))
write("not.snn", net("        a = 1", spike="    spike when " + "not " * 10000 + "(v > 1e9)\n"))
write("chain.snn", net("        a = p4999\n        p0 = 1\n" +
                       "\n".join("        p%d = p%d + 1" % (i, i - 1) for i in range(1, 5000))))
write("cycle.snn", net("        a = p0\n" +
                       "\n".join("        p%d = p%d + 1" % (i, (i + 1) % 5000) for i in range(5000))))
write("toodeep.snn", net("        a = " + " + ".join(["1"] * 100002)))
write("toomany.snn", net("        a = " + "-" * 300000 + "1"))
for i in range(5000):
    write("imp/m%d.snn" % i, ('import "m%d.snn"\n' % (i + 1) if i < 4999 else "") +
          "neuron N%d { state { v = 0 } }\n" % i)
write("imp/main.snn", 'import "m0.snn"\nnetwork deep {\n    population P = N0[2]\n    run 1 ms\n}\n')
