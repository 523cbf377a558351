/*
 * main.c — the entry point of a generated executable, kept in its own archive (snnrt_main) so that
 * embedders can link the runtime without getting a `main`. The compiler exports each model as
 * `snn_model_<network>` and, in an object made for an executable, `snn_model` as its alias.
 */
#include "snn/runtime.h"

extern const snn_model_desc snn_model;

int main(int argc, char **argv) { return snn_main(argc, argv, &snn_model); }
