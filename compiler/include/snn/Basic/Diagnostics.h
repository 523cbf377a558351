// DiagnosticEngine prints clang-style messages — `file:line:col: error: text`, the source line and
// a caret — and counts errors so that every stage can report several problems before the driver
// stops with exit status 1.
#pragma once

#include "snn/Basic/SourceManager.h"

#include <ostream>
#include <set>
#include <string>
#include <tuple>

namespace snn {

enum class Severity { Error, Warning, Note };

class DiagnosticEngine {
public:
  DiagnosticEngine(const SourceManager &sm, std::ostream &os, std::string tool = "snnc")
      : sm_(sm), os_(os), tool_(std::move(tool)) {}

  void error(SourceLoc loc, const std::string &msg) { report(Severity::Error, loc, msg); }
  void warning(SourceLoc loc, const std::string &msg) { report(Severity::Warning, loc, msg); }
  void note(SourceLoc loc, const std::string &msg) { report(Severity::Note, loc, msg); }
  void report(Severity sev, SourceLoc loc, const std::string &msg);

  unsigned errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ != 0; }
  /// After this many errors further ones are counted but not printed.
  static constexpr unsigned kMaxPrinted = 50;

private:
  const SourceManager &sm_;
  std::ostream &os_;
  std::string tool_; // the prefix of messages without a location: `snnc: error: ...`
  unsigned errors_ = 0;
  bool suppressing_ = false;
  /// Errors and warnings already printed (location and message): one mistake checked from
  /// several places (a synapse model used by many connections) is reported once, and the notes
  /// that follow a repeat are dropped with it.
  std::set<std::tuple<uint32_t, uint32_t, uint32_t, std::string>> printed_;
  bool repeat_ = false;
};

} // namespace snn
