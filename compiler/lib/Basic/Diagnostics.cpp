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
  if (sev == Severity::Note) {
    if (repeat_)
      return;
  } else {
    repeat_ = !printed_.emplace(loc.file, loc.line, loc.col, msg).second;
    if (repeat_) {
      errors_ += sev == Severity::Error; // still an error, just not printed again
      return;
    }
  }
  if (sev == Severity::Error) {
    ++errors_;
    if (errors_ > kMaxPrinted) {
      if (!suppressing_)
        os_ << tool_ << ": fatal: too many errors emitted, stopping now\n";
      suppressing_ = true;
    }
  }
  if (suppressing_)
    return;
  if (loc.valid() && loc.file < sm_.numFiles()) {
    os_ << sm_.path(loc.file) << ':' << loc.line << ':' << loc.col << ": " << severityName(sev)
        << ": " << msg << '\n';
    std::string_view line = sm_.lineText(loc.file, loc.line);
    // A very long line is shown as the kWindow columns around the caret, with '...' for the rest.
    constexpr size_t kWindow = 160;
    size_t col = loc.col > 0 ? loc.col - 1 : 0, from = 0;
    std::string shown, pad;
    if (line.size() > kWindow) {
      from = col > kWindow / 2 ? col - kWindow / 2 : 0;
      if (from + kWindow > line.size())
        from = line.size() > kWindow ? line.size() - kWindow : 0;
      if (from > 0)
        shown = pad = "...";
    }
    std::string_view part = line.substr(from, kWindow);
    // Control bytes (NUL, ESC, ...) are shown as '?', never sent to the terminal as they are.
    for (char c : part)
      shown += (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f ? '?' : c;
    if (from + part.size() < line.size())
      shown += "...";
    os_ << shown << '\n';
    // Reproduce tabs so that the caret lines up under the column whatever the tab width.
    for (size_t i = from; i < col && i < line.size(); ++i)
      pad += line[i] == '\t' ? '\t' : ' ';
    os_ << pad << "^\n";
  } else {
    os_ << tool_ << ": " << severityName(sev) << ": " << msg << '\n';
  }
  os_.flush();
}

} // namespace snn
