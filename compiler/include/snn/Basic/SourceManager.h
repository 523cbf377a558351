// SourceManager owns the text of every file the compiler reads (the main file and its imports) so
// that a diagnostic can quote the offending line long after parsing is done.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snn {

/// A position in a source file: 1-based line and column (in bytes). line == 0 means "no location".
struct SourceLoc {
  uint32_t file = 0;
  uint32_t line = 0;
  uint32_t col = 0;
  bool valid() const { return line != 0; }
};

/// The bytes of a regular file, or nullopt if there is none at `path` (missing, a directory, a
/// device, unreadable, or a name with a NUL byte in it, which the system would cut short).
std::optional<std::string> readFileBytes(const std::string &path);

class SourceManager {
public:
  /// Reads a file from disk; returns its id, or nullopt if it cannot be read.
  std::optional<uint32_t> loadFile(const std::string &path);
  /// Registers text that did not come from disk (tests, stdin).
  uint32_t addBuffer(std::string path, std::string text);

  const std::string &path(uint32_t file) const { return files_[file].path; }
  const std::string &text(uint32_t file) const { return files_[file].text; }
  /// The text of one line without its newline; empty if out of range.
  std::string_view lineText(uint32_t file, uint32_t line) const;
  size_t numFiles() const { return files_.size(); }

private:
  struct File {
    std::string path;
    std::string text;
    std::vector<size_t> lineStarts;
  };
  std::vector<File> files_;
};

} // namespace snn
