// Rendering of diagnostics: location prefix, message, the quoted line and a caret under the column.
#include "snn/Basic/Diagnostics.h"

namespace snn {

static const char *severityName(Severity s) {
  switch (s) {
  case Severity::Error: return "error";
  case Severity::Warning: return "warning";
  case Severity::Note: return "note";
  }
  return "error";
}

void DiagnosticEngine::report(Severity sev, SourceLoc loc, const std::string &msg) {
  if (sev == Severity::Error) {
    ++errors_;
    if (errors_ > kMaxPrinted) {
      if (!suppressing_)
        os_ << "snnc: fatal: too many errors emitted, stopping now\n";
      suppressing_ = true;
    }
  }
  if (suppressing_)
    return;
  if (loc.valid() && loc.file < sm_.numFiles()) {
    os_ << sm_.path(loc.file) << ':' << loc.line << ':' << loc.col << ": " << severityName(sev)
        << ": " << msg << '\n';
    std::string_view line = sm_.lineText(loc.file, loc.line);
    os_ << line << '\n';
    // Reproduce tabs so that the caret lines up under the column whatever the tab width.
    std::string pad;
    for (uint32_t i = 1; i < loc.col && i - 1 < line.size(); ++i)
      pad += line[i - 1] == '\t' ? '\t' : ' ';
    os_ << pad << "^\n";
  } else {
    os_ << "snnc: " << severityName(sev) << ": " << msg << '\n';
  }
  os_.flush();
}

} // namespace snn
