// Runs the ANTLR-generated lexer and parser over a file, turning ANTLR's error callbacks into our
// diagnostics, and follows imports. This and ParseTreeToAST.cpp are the only files that see ANTLR.
#include "snn/Parse/Parser.h"

#include "ParseTreeToAST.h"
#include "SNNLexer.h"

#include <cctype>
#include <cstring>
#include "SNNParser.h"
#include "antlr4-runtime.h"

#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <set>
#include <vector>

namespace fs = std::filesystem;

namespace snn {
namespace {

class DiagnosticListener : public antlr4::BaseErrorListener {
public:
  DiagnosticListener(DiagnosticEngine &d, uint32_t file) : diags_(d), file_(file) {}

  void syntaxError(antlr4::Recognizer *rec, antlr4::Token *tok, size_t line, size_t col,
                   const std::string &msg, std::exception_ptr) override {
    ++count;
    SourceLoc loc{file_, static_cast<uint32_t>(line), static_cast<uint32_t>(col + 1)};
    if (tok && tok->getType() == snn_antlr::SNNLexer::ERROR_CHAR) {
      // A lone '"' is a string without its closing quote (STRING cannot span lines).
      diags_.error(loc, tok->getText() == "\""
                            ? std::string("missing terminating '\"' character")
                            : "unexpected character " + spell(tok->getText()));
      return;
    }
    // At the end of input, point just after the last token, where the missing text belongs,
    // rather than at an empty line past the end of the file.
    if (tok && tok->getType() == antlr4::Token::EOF)
      if (auto *parser = dynamic_cast<antlr4::Parser *>(rec))
        if (antlr4::Token *prev = parser->getTokenStream()->LT(-1);
            prev && prev->getType() != antlr4::Token::EOF)
          loc = {file_, static_cast<uint32_t>(prev->getLine()),
                 static_cast<uint32_t>(prev->getCharPositionInLine() + 1 +
                                       prev->getText().size())};
    diags_.error(loc, rephrase(msg, tok));
  }
  unsigned count = 0;

private:
  /// A character for a message: 'x', or U+001B for a control byte (never sent raw).
  static std::string spell(const std::string &text) {
    if (text.size() == 1 && (static_cast<unsigned char>(text[0]) < 0x20 || text[0] == 0x7f)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned char>(text[0]));
      return std::string(buf) + " (a control character)";
    }
    return "'" + text + "'";
  }

  // ANTLR's messages ("mismatched input 'x' expecting {...}") speak of its own machinery; say the
  // same in the words of the language: what was expected and what was found instead.
  static std::string rephrase(const std::string &msg, antlr4::Token *tok) {
    auto startsWith = [&](const char *p) { return msg.rfind(p, 0) == 0; };
    std::string found = tok ? describe(tok) : "end of file";
    size_t exp = msg.find(" expecting ");
    if ((startsWith("mismatched input ") || startsWith("extraneous input ")) &&
        exp != std::string::npos) {
      std::string want = expected(msg.substr(exp + 11));
      // Python's `if c:` and `else:`: the blocks of .snn are in braces.
      std::string hint = want == "'{'" && found == "':'" ? " (blocks are in braces: if c { ... } "
                                                           "else { ... })"
                                                         : "";
      return "expected " + want + ", found " + found + hint;
    }
    if (startsWith("missing ") && msg.find(" at ") != std::string::npos) {
      size_t at = msg.find(" at ");
      return "expected " + expected(msg.substr(8, at - 8)) + " before " + found;
    }
    if (startsWith("no viable alternative"))
      return "unexpected " + found;
    return tidy(msg);
  }

  static std::string describe(antlr4::Token *tok) {
    if (tok->getType() == antlr4::Token::EOF)
      return "end of file";
    return "'" + tok->getText() + "'";
  }

  /// Turns "{'a', 'b', NUMBER}" or "'a'" into "one of 'a', 'b' or a number" or "'a'".
  static std::string expected(std::string set) {
    std::vector<std::string> items;
    if (set.size() >= 2 && set.front() == '{' && set.back() == '}') {
      set = set.substr(1, set.size() - 2);
      size_t start = 0;
      while (start <= set.size()) {
        size_t comma = set.find(", ", start);
        // A quoted ',' is a token, not a separator.
        if (comma != std::string::npos && set.compare(start, 3, "','") == 0)
          comma = set.find(", ", start + 3);
        items.push_back(set.substr(start, comma == std::string::npos ? std::string::npos
                                                                      : comma - start));
        if (comma == std::string::npos)
          break;
        start = comma + 2;
      }
    } else {
      items.push_back(set);
    }
    for (auto &i : items) {
      if (i == "NUMBER")
        i = "a number";
      else if (i == "IDENT")
        i = "a name";
      else if (i == "STRING")
        i = "a string";
      else if (i == "<EOF>" || i == "'<EOF>'")
        i = "end of file";
    }
    // The tokens that can start an expression are listed whenever one is missing.
    if (items == std::vector<std::string>{"'pre'", "'post'", "'not'", "'+'", "'-'", "'('", "a number",
                                         "a name"})
      return "an expression";
    if (items.size() == 1)
      return items[0];
    std::string out = "one of ";
    for (size_t k = 0; k < items.size(); ++k)
      out += (k == 0 ? "" : k + 1 == items.size() ? " or " : ", ") + items[k];
    return out;
  }

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
// The deepest parse tree the compiler's stages take: they recurse over expressions, on the
// 1 GiB stack snnc gives them (snnc.cpp), and a flat sum of n terms is a tree n deep. 100 000
// levels leaves each stage 10 KiB of stack per level (measured: 1 000 000 levels still parse
// and lower; a 300 000-term sum compiles to an executable).
constexpr size_t kMaxTreeDepth = 100000;

SourceLoc tokenLocation(const antlr4::Token *t, uint32_t file) {
  return {file, static_cast<uint32_t>(t->getLine()),
          static_cast<uint32_t>(t->getCharPositionInLine() + 1)};
}

/// Token pairs that are one mistake rather than two tokens: a number run into a name that makes
/// it look like a malformed literal ("1e ms", "0x10"), and "/*" without its "*/" (which the
/// lexer leaves as '/' and '*'). Reported at the first token, as what it is.
bool checkGlued(const std::vector<antlr4::Token *> &all, uint32_t file, DiagnosticEngine &diags) {
  for (size_t k = 0; k + 1 < all.size(); ++k) {
    antlr4::Token *a = all[k], *b = all[k + 1];
    if (b->getStartIndex() != a->getStopIndex() + 1)
      continue;
    int ta = a->getType(), tb = b->getType();
    std::string bt = tb == snn_antlr::SNNLexer::IDENT ? b->getText() : "";
    std::string msg;
    if (ta == snn_antlr::SNNLexer::SLASH && tb == snn_antlr::SNNLexer::STAR)
      msg = "unterminated comment: '/*' without a closing '*/'";
    else if (ta == snn_antlr::SNNLexer::NUMBER && (bt == "e" || bt == "E"))
      msg = "malformed number '" + a->getText() + bt + "': an exponent needs digits (1e3, 2.5e-3)";
    else if (ta == snn_antlr::SNNLexer::NUMBER && a->getText() == "0" && bt.size() > 1 &&
             (bt[0] == 'x' || bt[0] == 'X'))
      msg = "hexadecimal numbers like '0" + bt + "' are not supported: write them in decimal";
    if (!msg.empty()) {
      diags.error(tokenLocation(a, file), msg);
      return false;
    }
  }
  return true;
}

bool checkNesting(const std::vector<antlr4::Token *> &all, uint32_t file, DiagnosticEngine &diags) {
  int depth = 0;
  size_t prefixRun = 0, powRun = 0; // unary operators in a row; '^' chained without brackets
  for (antlr4::Token *t : all) {
    int type = t->getType();
    bool prefix = type == snn_antlr::SNNLexer::MINUS || type == snn_antlr::SNNLexer::PLUS ||
                  type == snn_antlr::SNNLexer::NOT;
    prefixRun = prefix ? prefixRun + 1 : 0;
    if (type == snn_antlr::SNNLexer::POW)
      ++powRun;
    else if (type != snn_antlr::SNNLexer::IDENT && type != snn_antlr::SNNLexer::NUMBER && !prefix)
      powRun = 0;
    if (prefixRun > kMaxTreeDepth || powRun > kMaxTreeDepth) {
      diags.error(tokenLocation(t, file),
                  std::string("more than ") + std::to_string(kMaxTreeDepth) +
                      (prefix ? " operators in a row" : " powers chained"));
      return false;
    }
    switch (type) {
    case snn_antlr::SNNLexer::LPAREN:
    case snn_antlr::SNNLexer::LBRACK:
    case snn_antlr::SNNLexer::LBRACE:
      if (++depth > kMaxNesting) {
        diags.error(tokenLocation(t, file),
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

/// `n = i // 10` in Python is a floor division; here `// 10` is a comment and the line silently
/// reads `n = i`. Warned where a `//` comment follows an operand on its line and itself starts
/// like one (a digit or a bracket): the likely slip, not every comment after code.
/// Whether a comment's text reads as the rest of an expression: it starts with a digit or a
/// bracket, holds only what expressions are made of, and no two words in a row (prose).
bool readsAsOperand(const std::string &text) {
  size_t k = text.find_first_not_of(" \t");
  if (k == std::string::npos || !(std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '('))
    return false;
  bool lastWasWord = false;
  for (size_t p = k; p < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[p]);
    if (c == ' ' || c == '\t') {
      ++p;
      continue;
    }
    if (std::isalpha(c)) {
      size_t e = p;
      while (e < text.size() && (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_'))
        ++e;
      if (lastWasWord)
        return false;
      lastWasWord = true;
      p = e;
      continue;
    }
    if (!std::isdigit(c) && !std::strchr("._()+-*/%^", c))
      return false;
    lastWasWord = false;
    ++p;
  }
  return true;
}

void warnFloorDivision(const std::vector<antlr4::Token *> &all, uint32_t file,
                       DiagnosticEngine &diags) {
  const antlr4::Token *prev = nullptr; // the last token the parser sees
  for (antlr4::Token *t : all) {
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
      prev = t;
      continue;
    }
    const std::string text = t->getText();
    if (!prev || prev->getLine() != t->getLine() || text.compare(0, 2, "//") != 0)
      continue;
    int pt = prev->getType();
    if (pt != snn_antlr::SNNLexer::IDENT && pt != snn_antlr::SNNLexer::NUMBER &&
        pt != snn_antlr::SNNLexer::RPAREN && pt != snn_antlr::SNNLexer::RBRACK)
      continue;
    if (!readsAsOperand(text.substr(2)))
      continue;
    diags.warning(tokenLocation(t, file),
                  "'//' starts a comment, so the rest of this line is ignored; for a floor "
                  "division (Python's a // b) write div(a, b)");
  }
}

/// The nesting of expressions in the parse tree (expression nodes on one path), walked without
/// recursion; deeper than kMaxTreeDepth is an error at the start of the outermost expression.
bool checkTreeDepth(antlr4::tree::ParseTree *root, uint32_t file, DiagnosticEngine &diags) {
  struct Item {
    antlr4::tree::ParseTree *node;
    size_t depth;
    antlr4::Token *outer; // the first token of the outermost expression on the path
  };
  std::vector<Item> work{{root, 0, nullptr}};
  while (!work.empty()) {
    auto [node, depth, outer] = work.back();
    work.pop_back();
    if (auto *e = dynamic_cast<snn_antlr::SNNParser::ExprContext *>(node)) {
      ++depth;
      if (!outer)
        outer = e->getStart();
    }
    if (depth > kMaxTreeDepth) {
      diags.error(outer ? tokenLocation(outer, file) : SourceLoc{file, 1, 1},
                  "expression nested too deeply (more than " + std::to_string(kMaxTreeDepth) +
                      " operations inside one another, and each term of a sum or product is "
                      "one): split it with intermediate parameters or variables");
      return false;
    }
    for (antlr4::tree::ParseTree *child : node->children)
      work.push_back({child, depth, outer});
  }
  return true;
}

/// ANTLR decodes its input as UTF-8 and throws on a malformed sequence; find the first one (its
/// byte offset) so that a binary or mis-encoded file gets a diagnostic instead of a crash.
std::optional<size_t> findInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size())
      return i;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc >> 6) != 0x2)
        return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are malformed too.
    static const uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return i;
    i += len;
  }
  return std::nullopt;
}

} // namespace

std::optional<ast::File> parseFile(uint32_t fileId, const SourceManager &sm,
                                   DiagnosticEngine &diags) {
  const std::string &text = sm.text(fileId);
  if (auto bad = findInvalidUtf8(text)) {
    size_t lineStart = text.rfind('\n', *bad == 0 ? 0 : *bad - 1);
    lineStart = lineStart == std::string::npos || *bad == 0 ? 0 : lineStart + 1;
    uint32_t line = 1 + static_cast<uint32_t>(std::count(text.begin(), text.begin() + *bad, '\n'));
    diags.error({fileId, line, static_cast<uint32_t>(*bad - lineStart + 1)},
                "invalid UTF-8 byte in source file");
    return std::nullopt;
  }
  antlr4::ANTLRInputStream input(text);
  snn_antlr::SNNLexer lexer(&input);
  DiagnosticListener listener(diags, fileId);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  std::vector<antlr4::Token *> visible; // what the parser reads: comments left out
  for (antlr4::Token *t : tokens.getTokens())
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
      visible.push_back(t);
  if (!checkGlued(visible, fileId, diags) || !checkNesting(visible, fileId, diags))
    return std::nullopt;
  warnFloorDivision(tokens.getTokens(), fileId, diags);

  snn_antlr::SNNParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  snn_antlr::SNNParser::FileContext *tree = parser.file();
  if (listener.count != 0 || !checkTreeDepth(tree, fileId, diags))
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
        // Something by that name that is not a file says so, rather than "cannot find".
        for (auto &c : candidates)
          if (fs::exists(c, ec)) {
            diags.error(imp.loc, "imported '" + imp.path + "' is " +
                                     (fs::is_directory(c, ec) ? "a directory"
                                                              : "not a regular file"));
            found = c;
            break;
          }
        ok = false;
        if (found)
          continue;
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
