// Internal to lib/Parse: converts an ANTLR parse tree of SNNParser::file into an ast::File.
#pragma once

#include "SNNParser.h"
#include "snn/AST/AST.h"
#include "snn/Basic/Diagnostics.h"

namespace snn::parse {

/// Builds the AST of a syntactically valid parse tree. Problems only visible here (e.g. an
/// equation whose left side is not `dX/dt`) are reported to `diags`.
ast::File buildAST(snn_antlr::SNNParser::FileContext *tree, uint32_t fileId,
                   DiagnosticEngine &diags);

} // namespace snn::parse
