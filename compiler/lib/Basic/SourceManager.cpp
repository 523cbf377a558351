// Loading source files and finding line boundaries for diagnostics.
#include "snn/Basic/SourceManager.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace snn {

std::optional<std::string> readFileBytes(const std::string &path) {
  if (path.find('\0') != std::string::npos)
    return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return std::nullopt; // directories, devices and missing files alike
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf(); // streams do not throw unless asked to: a read error sets badbit
  if (in.bad())
    return std::nullopt;
  return ss.str();
}

std::optional<uint32_t> SourceManager::loadFile(const std::string &path) {
  auto text = readFileBytes(path);
  if (!text)
    return std::nullopt;
  return addBuffer(path, std::move(*text));
}

uint32_t SourceManager::addBuffer(std::string path, std::string text) {
  // Old Mac line ends (a lone CR) become LF, so that lines are counted as an editor shows them
  // (ANTLR counts only LF); CRLF stays, and lineText drops its CR.
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))
      text[i] = '\n';
  File f{std::move(path), std::move(text), {0}};
  for (size_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n')
      f.lineStarts.push_back(i + 1);
  files_.push_back(std::move(f));
  return static_cast<uint32_t>(files_.size() - 1);
}

std::string_view SourceManager::lineText(uint32_t file, uint32_t line) const {
  if (file >= files_.size())
    return {};
  const File &f = files_[file];
  if (line == 0 || line > f.lineStarts.size())
    return {};
  size_t begin = f.lineStarts[line - 1];
  size_t end = f.text.find('\n', begin);
  if (end == std::string::npos)
    end = f.text.size();
  if (end > begin && f.text[end - 1] == '\r')
    --end;
  return std::string_view(f.text).substr(begin, end - begin);
}

} // namespace snn
