// Runs the ANTLR-generated lexer and parser over a file, turning ANTLR's error callbacks into our
// diagnostics, and follows imports. This and ParseTreeToAST.cpp are the only files that see ANTLR.
#include "snn/Parse/Parser.h"

#include "ParseTreeToAST.h"
#include "SNNLexer.h"
#include "SNNParser.h"
#include "antlr4-runtime.h"

#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace snn {
namespace {

class DiagnosticListener : public antlr4::BaseErrorListener {
public:
  DiagnosticListener(DiagnosticEngine &d, uint32_t file) : diags_(d), file_(file) {}

  void syntaxError(antlr4::Recognizer *, antlr4::Token *tok, size_t line, size_t col,
                   const std::string &msg, std::exception_ptr) override {
    ++count;
    SourceLoc loc{file_, static_cast<uint32_t>(line), static_cast<uint32_t>(col + 1)};
    if (tok && tok->getType() == snn_antlr::SNNLexer::ERROR_CHAR) {
      diags_.error(loc, "unexpected character '" + tok->getText() + "'");
      return;
    }
    diags_.error(loc, tidy(msg));
  }
  unsigned count = 0;

private:
  // ANTLR spells the end of input as <EOF>; say it the way a user would read it.
  static std::string tidy(std::string msg) {
    for (size_t p; (p = msg.find("'<EOF>'")) != std::string::npos;)
      msg.replace(p, 7, "end of file");
    for (size_t p; (p = msg.find("<EOF>")) != std::string::npos;)
      msg.replace(p, 5, "end of file");
    return msg;
  }
  DiagnosticEngine &diags_;
  uint32_t file_;
};

// ANTLR's recursive-descent parser recurses once per nesting level; refuse absurd nesting up front
// so that a corrupted file gets a diagnostic instead of a stack overflow.
constexpr int kMaxNesting = 200;

bool checkNesting(antlr4::CommonTokenStream &tokens, uint32_t file, DiagnosticEngine &diags) {
  int depth = 0;
  for (antlr4::Token *t : tokens.getTokens()) {
    switch (t->getType()) {
    case snn_antlr::SNNLexer::LPAREN:
    case snn_antlr::SNNLexer::LBRACK:
    case snn_antlr::SNNLexer::LBRACE:
      if (++depth > kMaxNesting) {
        diags.error({file, static_cast<uint32_t>(t->getLine()),
                     static_cast<uint32_t>(t->getCharPositionInLine() + 1)},
                    "brackets nested too deeply (more than " + std::to_string(kMaxNesting) + ")");
        return false;
      }
      break;
    case snn_antlr::SNNLexer::RPAREN:
    case snn_antlr::SNNLexer::RBRACK:
    case snn_antlr::SNNLexer::RBRACE:
      depth = depth > 0 ? depth - 1 : 0;
      break;
    default:
      break;
    }
  }
  return true;
}

} // namespace

std::optional<ast::File> parseFile(uint32_t fileId, const SourceManager &sm,
                                   DiagnosticEngine &diags) {
  antlr4::ANTLRInputStream input(sm.text(fileId));
  snn_antlr::SNNLexer lexer(&input);
  DiagnosticListener listener(diags, fileId);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  if (!checkNesting(tokens, fileId, diags))
    return std::nullopt;

  snn_antlr::SNNParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  snn_antlr::SNNParser::FileContext *tree = parser.file();
  if (listener.count != 0)
    return std::nullopt;
  unsigned before = diags.errorCount();
  ast::File file = parse::buildAST(tree, fileId, diags);
  if (diags.errorCount() != before)
    return std::nullopt;
  return file;
}

std::optional<ast::Program> loadProgram(const std::string &path,
                                        const std::vector<std::string> &searchPaths,
                                        SourceManager &sm, DiagnosticEngine &diags) {
  auto mainId = sm.loadFile(path);
  if (!mainId) {
    diags.error({}, "cannot open '" + path + "'");
    return std::nullopt;
  }
  ast::Program program;
  std::set<std::string> loaded;
  std::error_code ec;
  loaded.insert(fs::weakly_canonical(path, ec).string());
  bool ok = true;

  // Depth-first so that a file's imports precede it in the program, which keeps the AST dump and
  // later diagnostics in a natural order.
  std::function<void(uint32_t)> load = [&](uint32_t id) {
    auto file = parseFile(id, sm, diags);
    if (!file) {
      ok = false;
      return;
    }
    fs::path dir = fs::path(sm.path(id)).parent_path();
    for (const ast::Import &imp : file->imports) {
      std::vector<fs::path> candidates{dir / imp.path};
      for (auto &sp : searchPaths)
        candidates.push_back(fs::path(sp) / imp.path);
      std::optional<fs::path> found;
      for (auto &c : candidates)
        if (fs::is_regular_file(c, ec)) {
          found = c;
          break;
        }
      if (!found) {
        diags.error(imp.loc, "cannot find imported file '" + imp.path + "'");
        ok = false;
        continue;
      }
      std::string key = fs::weakly_canonical(*found, ec).string();
      if (!loaded.insert(key).second)
        continue;
      auto childId = sm.loadFile(found->string());
      if (!childId) {
        diags.error(imp.loc, "cannot read imported file '" + found->string() + "'");
        ok = false;
        continue;
      }
      load(*childId);
    }
    program.files.push_back(std::move(*file));
  };
  load(*mainId);
  if (!ok)
    return std::nullopt;
  return program;
}

} // namespace snn
