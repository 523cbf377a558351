// The front door of the compiler: text in, AST out. ANTLR is an implementation detail of
// lib/Parse and appears in no header, so the rest of the compiler never sees a parse tree.
#pragma once

#include "snn/AST/AST.h"
#include "snn/Basic/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace snn {

/// Parses one file already registered with the SourceManager. Syntax errors are reported to
/// `diags`; returns nullopt if there were any.
std::optional<ast::File> parseFile(uint32_t fileId, const SourceManager &sm,
                                   DiagnosticEngine &diags);

/// Loads `path` and, transitively, every file it imports. An import is looked up relative to the
/// importing file first and then in each of `searchPaths` (the stdlib). Each file is parsed once,
/// so import cycles are harmless. Returns nullopt if any file could not be read or parsed.
std::optional<ast::Program> loadProgram(const std::string &path,
                                        const std::vector<std::string> &searchPaths,
                                        SourceManager &sm, DiagnosticEngine &diags);

} // namespace snn
