// The textual form of the IR (`-emit=ir`, `-print-after-all`): stable and readable enough to
// FileCheck. Expressions print with minimal parentheses; numbers in shortest round-trip form.
#pragma once

#include "snn/IR/IR.h"

#include <ostream>
#include <string>

namespace snn::ir {

void printModule(std::ostream &os, const Module &m);
std::string exprToString(const Module &m, const Expr &e);
std::string formatNumber(double v);

} // namespace snn::ir
