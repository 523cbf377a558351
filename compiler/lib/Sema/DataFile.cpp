// Reading numeric data files (see DataFile.h).
#include "snn/Sema/DataFile.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace snn {

const std::vector<double> *DataFile::column(const std::string &name) const {
  for (size_t k = 0; k < names.size(); ++k)
    if (names[k] == name)
      return &columns[k];
  return nullptr;
}

std::string DataFile::rowPrefix(uint64_t r) const {
  if (r < rowLocs.size())
    return "";
  return "'" + path + "', row " + std::to_string(r + 1) + ": ";
}

std::string trimField(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool parseNumber(const std::string &field, double &v) {
  std::string f = trimField(field);
  if (f.empty())
    return false;
  char *end = nullptr;
  v = std::strtod(f.c_str(), &end);
  return end == f.c_str() + f.size();
}

namespace {

std::string show(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// ---- CSV ---------------------------------------------------------------------------------------

struct Field {
  std::string text;
  uint32_t col; // 1-based column of its first non-blank character
};

std::vector<Field> splitCsv(const std::string &line) {
  std::vector<Field> out;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    std::string f = line.substr(start, comma == std::string::npos ? std::string::npos
                                                                  : comma - start);
    size_t lead = f.find_first_not_of(" \t");
    out.push_back({trimField(f), static_cast<uint32_t>(start + (lead == std::string::npos ? 0 : lead) + 1)});
    if (comma == std::string::npos)
      return out;
    start = comma + 1;
  }
}

bool readCsv(uint32_t file, DataShape want, DataFile &d, const SourceManager &sm,
             DiagnosticEngine &diags) {
  std::istringstream in(sm.text(file));
  std::string line;
  uint32_t lineNo = 0;
  bool header = want == DataShape::Table, ok = true;
  size_t width = 0;
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    ++lineNo;
    std::string t = trimField(line);
    if (t.empty() || t[0] == '#')
      continue;
    std::vector<Field> fields = splitCsv(line);
    if (header) {
      header = false;
      for (const Field &f : fields) {
        double v;
        if (f.text.empty() || parseNumber(f.text, v)) {
          diags.error({file, lineNo, f.col},
                      "expected a header naming the columns (e.g. 'i,j,w'), found '" + f.text + "'");
          return false;
        }
        for (const std::string &n : d.names)
          if (n == f.text) {
            diags.error({file, lineNo, f.col}, "column '" + f.text + "' is named twice");
            return false;
          }
        d.names.push_back(f.text);
      }
      width = fields.size();
      continue;
    }
    if (width == 0)
      width = fields.size();
    if (fields.size() != width) {
      diags.error({file, lineNo, 1}, "expected " + std::to_string(width) +
                                         " fields separated by ',', found " +
                                         std::to_string(fields.size()));
      ok = false;
      continue;
    }
    std::vector<double> row(width);
    bool rowOk = true;
    for (size_t k = 0; k < width; ++k) {
      if (!parseNumber(fields[k].text, row[k]) || !std::isfinite(row[k])) {
        std::string what = d.names.empty() ? "value" : "'" + d.names[k] + "' value";
        diags.error({file, lineNo, fields[k].col},
                    what + " '" + fields[k].text + "' is not a finite number");
        rowOk = false;
        break;
      }
    }
    if (!rowOk) {
      ok = false;
      continue;
    }
    rows.push_back(std::move(row));
    d.rowLocs.push_back({file, lineNo, 1});
  }
  if (want == DataShape::Table && d.names.empty()) {
    diags.error({file, 1, 1}, "empty file: expected a header naming the columns (e.g. 'i,j,w')");
    return false;
  }
  if (!ok && !d.isTable())
    return false;
  d.damaged = !ok;
  if (d.isTable()) {
    d.columns.assign(width, {});
    for (auto &r : rows)
      for (size_t k = 0; k < width; ++k)
        d.columns[k].push_back(r[k]);
  } else {
    d.shape = width <= 1 ? std::vector<uint64_t>{rows.size()}
                         : std::vector<uint64_t>{rows.size(), width};
    for (auto &r : rows)
      d.values.insert(d.values.end(), r.begin(), r.end());
  }
  return true;
}

// ---- .npy --------------------------------------------------------------------------------------

/// One scalar dtype such as '<f8', '|b1', '>i4'.
struct Scalar {
  char kind = 0; // 'b' bool, 'i' signed, 'u' unsigned, 'f' float
  uint32_t size = 0;
  bool big = false;
};

bool parseScalar(const std::string &s, Scalar &out) {
  if (s.size() < 3 || std::strchr("<>|=", s[0]) == nullptr)
    return false;
  out.big = s[0] == '>';
  out.kind = s[1];
  char *end = nullptr;
  long n = std::strtol(s.c_str() + 2, &end, 10);
  if (*end != '\0')
    return false;
  out.size = static_cast<uint32_t>(n);
  switch (out.kind) {
  case 'b': return n == 1;
  case 'i':
  case 'u': return n == 1 || n == 2 || n == 4 || n == 8;
  case 'f': return n == 4 || n == 8;
  default: return false;
  }
}

double decode(const unsigned char *p, const Scalar &s) {
  unsigned char b[8];
  for (uint32_t k = 0; k < s.size; ++k)
    b[k] = s.big ? p[s.size - 1 - k] : p[k];
  uint64_t u = 0;
  for (uint32_t k = 0; k < s.size; ++k)
    u |= static_cast<uint64_t>(b[k]) << (8 * k);
  switch (s.kind) {
  case 'b': return u != 0;
  case 'u': return static_cast<double>(u);
  case 'i': {
    if (s.size < 8 && (u >> (8 * s.size - 1)) & 1)
      u |= ~uint64_t(0) << (8 * s.size); // sign-extend
    return static_cast<double>(static_cast<int64_t>(u));
  }
  default:
    if (s.size == 4) {
      float f;
      uint32_t w = static_cast<uint32_t>(u);
      std::memcpy(&f, &w, 4);
      return f;
    } else {
      double f;
      std::memcpy(&f, &u, 8);
      return f;
    }
  }
}

/// The value of key `key` in the header dict text, as the raw text up to the matching close.
bool dictValue(const std::string &h, const std::string &key, std::string &out) {
  // The key at the top level of the dict only: a structured dtype's field may have the same
  // name ('shape') inside the descr's brackets.
  const std::string quoted = "'" + key + "'";
  size_t at = std::string::npos;
  int depth = 0;
  for (size_t k = 0; k < h.size(); ++k) {
    char ch = h[k];
    if (ch == '\'') {
      if (depth == 1 && h.compare(k, quoted.size(), quoted) == 0) {
        at = k;
        break;
      }
      size_t close = h.find('\'', k + 1); // skip a quoted string
      if (close == std::string::npos)
        return false;
      k = close;
    } else if (ch == '{' || ch == '(' || ch == '[') {
      ++depth;
    } else if (ch == '}' || ch == ')' || ch == ']') {
      --depth;
    }
  }
  if (at == std::string::npos)
    return false;
  at = h.find(':', at);
  if (at == std::string::npos)
    return false;
  ++at;
  while (at < h.size() && h[at] == ' ')
    ++at;
  if (at >= h.size())
    return false;
  char open = h[at];
  if (open == '\'') {
    size_t close = h.find('\'', at + 1);
    if (close == std::string::npos)
      return false;
    out = h.substr(at + 1, close - at - 1);
    return true;
  }
  if (open == '(' || open == '[') {
    int depth = 0;
    for (size_t k = at; k < h.size(); ++k) {
      if (h[k] == '(' || h[k] == '[')
        ++depth;
      else if (h[k] == ')' || h[k] == ']') {
        if (--depth == 0) {
          out = h.substr(at, k - at + 1);
          return true;
        }
      }
    }
    return false;
  }
  size_t end = h.find_first_of(",}", at);
  out = trimField(h.substr(at, end == std::string::npos ? std::string::npos : end - at));
  return true;
}

/// The quoted strings of a structured descr "[('i', '<i4'), ('w', '<f8')]", pairwise; false if
/// a field has a sub-shape or the text is not such a list.
bool parseFields(const std::string &descr, std::vector<std::pair<std::string, std::string>> &out) {
  size_t at = 0;
  while ((at = descr.find('(', at)) != std::string::npos) {
    size_t close = descr.find(')', at);
    if (close == std::string::npos)
      return false;
    std::string tuple = descr.substr(at + 1, close - at - 1);
    std::vector<std::string> quoted;
    size_t q = 0;
    while ((q = tuple.find('\'', q)) != std::string::npos) {
      size_t e = tuple.find('\'', q + 1);
      if (e == std::string::npos)
        return false;
      quoted.push_back(tuple.substr(q + 1, e - q - 1));
      q = e + 1;
    }
    if (quoted.size() != 2 || tuple.find_first_of("(0123456789", tuple.rfind('\'') + 1) !=
                                  std::string::npos)
      return false;
    out.emplace_back(quoted[0], quoted[1]);
    at = close + 1;
  }
  return !out.empty();
}

bool readNpy(const std::string &data, DataShape want, DataFile &d, DiagnosticEngine &diags,
             const char *what) {
  auto fail = [&](const std::string &why) {
    diags.error(d.usedAt, std::string("cannot read ") + what + " '" + d.path + "': " + why);
    return false;
  };
  if (data.size() < 10 || data.compare(0, 6, "\x93NUMPY") != 0)
    return fail("not a .npy file (no \\x93NUMPY magic)");
  size_t headerLen = 0, offset = 0;
  auto byte = [&](size_t k) { return static_cast<size_t>(static_cast<unsigned char>(data[k])); };
  if (data[6] != 1 && data[6] != 2 && data[6] != 3)
    return fail("unsupported .npy format version " + std::to_string(static_cast<int>(data[6])));
  if (data[6] == 1) {
    headerLen = byte(8) | (byte(9) << 8);
    offset = 10;
  } else if (data.size() >= 12) {
    headerLen = byte(8) | (byte(9) << 8) | (byte(10) << 16) | (byte(11) << 24);
    offset = 12;
  }
  if (offset == 0 || offset + headerLen > data.size())
    return fail("truncated header");
  std::string h = data.substr(offset, headerLen), descr, fortran, shapeText;
  offset += headerLen;
  if (!dictValue(h, "descr", descr) || !dictValue(h, "fortran_order", fortran) ||
      !dictValue(h, "shape", shapeText))
    return fail("the header lacks 'descr', 'fortran_order' or 'shape'");
  // The shape: a tuple of whole numbers, "(3,)", "(2, 3)", "()".
  std::vector<uint64_t> shape;
  bool shapeOk = shapeText.size() >= 2 && shapeText.front() == '(' && shapeText.back() == ')';
  for (size_t k = 1; shapeOk && k + 1 < shapeText.size();) {
    char ch = shapeText[k];
    if (ch == ' ' || ch == ',') {
      ++k;
    } else if (std::isdigit(static_cast<unsigned char>(ch))) {
      errno = 0;
      char *end = nullptr;
      unsigned long long n = std::strtoull(shapeText.c_str() + k, &end, 10);
      shapeOk = errno == 0 && n < (1ull << 48); // far beyond any file this can read
      shape.push_back(n);
      k = static_cast<size_t>(end - shapeText.c_str());
    } else {
      shapeOk = false;
    }
  }
  if (!shapeOk)
    return fail("the header's shape " + shapeText + " is not a tuple of sizes");
  std::vector<std::pair<std::string, Scalar>> fields;
  if (descr.size() && descr[0] == '[') {
    std::vector<std::pair<std::string, std::string>> raw;
    if (!parseFields(descr, raw))
      return fail("unsupported structured dtype " + descr + " (fields must be plain numbers)");
    for (auto &[name, type] : raw) {
      Scalar s;
      if (!parseScalar(type, s))
        return fail("field '" + name + "' has dtype '" + type +
                    "'; expected bool, an integer or a float");
      for (auto &f : fields)
        if (f.first == name)
          return fail("field '" + name + "' is named twice");
      fields.emplace_back(name, s);
    }
  } else {
    Scalar s;
    if (!parseScalar(descr, s))
      return fail("dtype '" + descr + "' is not bool, an integer or a float");
    fields.emplace_back("", s);
  }
  bool structured = descr[0] == '[';
  if (want == DataShape::Table && !structured)
    return fail("expected a structured array with named fields (e.g. np.dtype([('i', 'i4'), "
                "('j', 'i4'), ('w', 'f8')])), found plain dtype '" + descr + "'");
  if (want != DataShape::Table && structured)
    return fail("expected a plain numeric array, found the structured dtype " + descr);
  const size_t maxDims = want == DataShape::Tensor ? 4 : 2;
  if (structured ? shape.size() != 1 : (shape.empty() || shape.size() > maxDims))
    return fail("shape " + shapeText + (structured     ? " is not 1-D"
                                        : maxDims == 2 ? " is not 1-D or 2-D"
                                                       : " has more than 4 dimensions"));
  uint64_t count = 1, record = 0;
  for (uint64_t n : shape)
    count = n == 0 ? 0 : (count > UINT64_MAX / n ? UINT64_MAX : count * n);
  for (auto &f : fields)
    record += f.second.size;
  if (count != UINT64_MAX && (data.size() - offset) / record < count)
    return fail("the data are shorter than the header's shape " + shapeText);
  if (count == UINT64_MAX || (data.size() - offset) / record != count)
    return fail("the data are longer than the header's shape " + shapeText);
  const auto *p = reinterpret_cast<const unsigned char *>(data.data()) + offset;
  bool fortranOrder = fortran == "True";
  if (structured) {
    for (auto &f : fields)
      d.names.push_back(f.first);
    d.columns.assign(fields.size(), std::vector<double>(count));
    for (uint64_t r = 0; r < count; ++r)
      for (size_t k = 0, at = 0; k < fields.size(); at += fields[k].second.size, ++k)
        d.columns[k][r] = decode(p + r * record + at, fields[k].second);
  } else {
    d.shape = shape;
    d.values.resize(count);
    for (uint64_t k = 0; k < count; ++k) {
      // Fortran order varies the first index fastest: element k is (k % s0, k / s0 % s1, ...),
      // stored here at its C-order place.
      uint64_t at = k;
      if (fortranOrder) {
        at = 0;
        uint64_t rest = k, stride = 1;
        std::vector<uint64_t> index(shape.size());
        for (size_t a = 0; a < shape.size(); ++a)
          index[a] = rest % shape[a], rest /= shape[a];
        for (size_t a = shape.size(); a-- > 0;)
          at += index[a] * stride, stride *= shape[a];
      }
      d.values[at] = decode(p + k * record, fields[0].second);
    }
  }
  // Non-finite numbers, reported by row.
  bool ok = true;
  int reported = 0;
  auto check = [&](double v, uint64_t row, const std::string &col) {
    if (std::isfinite(v) || reported >= 10)
      return;
    ++reported;
    ok = false;
    diags.error(d.usedAt, d.rowPrefix(row) + (col.empty() ? "value" : "'" + col + "' value") +
                              " " + show(v) + " is not a finite number");
  };
  if (structured) {
    for (uint64_t r = 0; r < count; ++r)
      for (size_t k = 0; k < fields.size(); ++k)
        check(d.columns[k][r], r, d.names[k]);
  } else {
    uint64_t cols = shape.size() > 1 ? shape[1] : 1;
    for (uint64_t k = 0; k < count; ++k)
      check(d.values[k], cols ? k / cols : 0, "");
  }
  return ok;
}

} // namespace

std::string shapeText(const std::vector<uint64_t> &shape) {
  std::string t = "(";
  for (size_t k = 0; k < shape.size(); ++k)
    t += (k ? ", " : "") + std::to_string(shape[k]);
  return t + (shape.size() == 1 ? ",)" : ")");
}

std::optional<DataFile> readDataFile(const std::string &path, DataShape want, const char *what,
                                     SourceLoc usedAt, SourceManager &sm,
                                     DiagnosticEngine &diags) {
  DataFile d;
  d.path = path;
  d.usedAt = usedAt;
  bool npy = path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
  if (npy) {
    auto data = readFileBytes(path);
    if (!data) {
      diags.error(usedAt, std::string("cannot open ") + what + " '" + path + "'");
      return std::nullopt;
    }
    if (!readNpy(*data, want, d, diags, what))
      return std::nullopt;
    return d;
  }
  auto file = sm.loadFile(path);
  if (!file) {
    diags.error(usedAt, std::string("cannot open ") + what + " '" + path + "'");
    return std::nullopt;
  }
  if (!readCsv(*file, want, d, sm, diags))
    return std::nullopt;
  return d;
}

} // namespace snn
