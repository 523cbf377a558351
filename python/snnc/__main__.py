"""python3 -m snnc plot OUTDIR [-o FILE.png]: a PNG of an executable's outputs."""
import argparse
import sys

from .plot import plot_outputs


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m snnc")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plot", help="draw the .npy outputs of a run into a PNG")
    p.add_argument("outdir")
    p.add_argument("-o", "--output", help="the PNG (default OUTDIR/plot.png)")
    args = ap.parse_args(argv)
    try:
        print(plot_outputs(args.outdir, args.output))
    except (OSError, ValueError) as e:
        print(f"snnc plot: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
