// Reads the IR's text form (what printModule writes, docs/ir.md) back into a module, so that a
// pass can be run on IR written by hand and the verifier fed IR that no front end produces
// (snn-opt). print(parse(print(m))) is print(m) at every stage of the pipeline.
#pragma once

#include "snn/Basic/Diagnostics.h"
#include "snn/IR/IR.h"

#include <optional>

namespace snn::ir {

/// Parses file `file` of the diagnostics' source manager. Names (populations, variables,
/// projections, tables, locals) are resolved here and the type of a bare number is taken from
/// where it stands (`%x + 1` with a real %x: the real 1); a syntax error or an unknown name is a
/// located error. Types are not checked (a `real` stored into an `i32` parses): that is the
/// verifier's job, which is what makes the verifier testable from text.
std::optional<Module> parseModule(const SourceManager &sm, uint32_t file, DiagnosticEngine &diags);

} // namespace snn::ir
