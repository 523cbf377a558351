// Prints the AST as an indented tree for `snnc -emit=ast` and the Parse tests.
#pragma once

#include "snn/AST/AST.h"

#include <ostream>

namespace snn::ast {

void printExpr(std::ostream &os, const Expr &e);
void printProgram(std::ostream &os, const Program &p, const SourceManager &sm);

} // namespace snn::ast
