// Reading spike files (see SpikeFile.h). The CSV text is registered with the SourceManager so
// that a bad row is reported like a bad line of a .snn file: path:line:col, the row and a caret.
#include "snn/Sema/SpikeFile.h"

#include "snn/Sema/DataFile.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace snn {

namespace {
constexpr int64_t kMaxSourceSteps = 100000000; // 1e8 steps: 10^4 s at dt = 0.1 ms
} // namespace
namespace {

std::string trim(const std::string &s) { return trimField(s); }

/// Parses a whole field as a finite number.
bool number(const std::string &field, double &v) { return parseNumber(field, v) && std::isfinite(v); }

struct Raw {
  double t;
  double i;
  SourceLoc loc; // of the row
  SourceLoc iLoc;
};

bool readCsv(uint32_t file, const SourceManager &sm, DiagnosticEngine &diags,
             std::vector<Raw> &rows) {
  std::istringstream in(sm.text(file));
  std::string line;
  uint32_t lineNo = 0;
  int tCol = -1, iCol = -1;
  bool ok = true;
  while (std::getline(in, line)) {
    ++lineNo;
    if (trim(line).empty() || trim(line)[0] == '#')
      continue;
    std::vector<std::string> fields;
    std::vector<uint32_t> cols;
    size_t start = 0;
    while (true) {
      size_t comma = line.find(',', start);
      fields.push_back(line.substr(start, comma == std::string::npos ? std::string::npos
                                                                     : comma - start));
      size_t lead = fields.back().find_first_not_of(" \t");
      cols.push_back(static_cast<uint32_t>(start + (lead == std::string::npos ? 0 : lead) + 1));
      if (comma == std::string::npos)
        break;
      start = comma + 1;
    }
    if (tCol < 0) { // the header
      for (size_t k = 0; k < fields.size(); ++k) {
        std::string h = trim(fields[k]);
        if (h == "t")
          tCol = static_cast<int>(k);
        else if (h == "i")
          iCol = static_cast<int>(k);
      }
      if (tCol < 0 || iCol < 0 || fields.size() != 2) {
        diags.error({file, lineNo, 1}, "expected a header naming the columns 't' (seconds) and "
                                       "'i' (neuron index), e.g. 't,i'");
        return false;
      }
      continue;
    }
    if (fields.size() != 2) {
      diags.error({file, lineNo, 1}, "expected 2 fields separated by ',', found " +
                                         std::to_string(fields.size()));
      ok = false;
      continue;
    }
    Raw r{0, 0, {file, lineNo, cols[tCol]}, {file, lineNo, cols[iCol]}};
    if (!number(fields[tCol], r.t)) {
      diags.error(r.loc, "spike time '" + trim(fields[tCol]) + "' is not a finite number");
      ok = false;
      continue;
    }
    if (!number(fields[iCol], r.i)) {
      diags.error(r.iLoc, "neuron index '" + trim(fields[iCol]) + "' is not a number");
      ok = false;
      continue;
    }
    rows.push_back(r);
  }
  if (tCol < 0) {
    diags.error({file, 1, 1}, "empty spike file: expected a header 't,i'");
    return false;
  }
  return ok;
}

/// A .npy file with a structured dtype holding `t` ('<f8') and `i` ('<i4' or '<i8').
bool readNpy(const std::string &path, const std::string &data, SourceLoc usedAt,
             DiagnosticEngine &diags, std::vector<Raw> &rows) {
  auto fail = [&](const std::string &why) {
    diags.error(usedAt, "cannot read spike file '" + path + "': " + why);
    return false;
  };
  if (data.size() < 10 || data.compare(0, 6, "\x93NUMPY") != 0)
    return fail("not a .npy file");
  size_t headerLen = 0, offset = 0;
  if (data[6] == 1) {
    headerLen = static_cast<unsigned char>(data[8]) | (static_cast<unsigned char>(data[9]) << 8);
    offset = 10;
  } else {
    if (data.size() < 12)
      return fail("truncated header");
    headerLen = static_cast<unsigned char>(data[8]) | (static_cast<unsigned char>(data[9]) << 8) |
                (static_cast<size_t>(static_cast<unsigned char>(data[10])) << 16);
    offset = 12;
  }
  if (offset + headerLen > data.size())
    return fail("truncated header");
  std::string header = data.substr(offset, headerLen);
  offset += headerLen;
  size_t iSize = 0;
  if (header.find("('t', '<f8'), ('i', '<i4')") != std::string::npos)
    iSize = 4;
  else if (header.find("('t', '<f8'), ('i', '<i8')") != std::string::npos)
    iSize = 8;
  else
    return fail("expected the structured dtype [('t', '<f8'), ('i', '<i4' or '<i8')], as snnc "
                "writes spike records");
  size_t record = 8 + iSize;
  if ((data.size() - offset) % record != 0)
    return fail("data size is not a whole number of records");
  for (size_t at = offset; at < data.size(); at += record) {
    Raw r{};
    std::memcpy(&r.t, data.data() + at, 8);
    if (iSize == 4) {
      int32_t v;
      std::memcpy(&v, data.data() + at + 8, 4);
      r.i = v;
    } else {
      int64_t v;
      std::memcpy(&v, data.data() + at + 8, 8);
      r.i = static_cast<double>(v);
    }
    r.loc = r.iLoc = usedAt;
    rows.push_back(r);
  }
  return true;
}

} // namespace

std::optional<std::vector<SpikeEvent>> readSpikeFile(const std::string &path, uint32_t size,
                                                     double dt, SourceLoc usedAt,
                                                     SourceManager &sm, DiagnosticEngine &diags) {
  std::vector<Raw> rows;
  bool parsed = true;
  bool npy = path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
  if (npy) {
    auto data = readFileBytes(path);
    if (!data) {
      diags.error(usedAt, "cannot open spike file '" + path + "'");
      return std::nullopt;
    }
    if (!readNpy(path, *data, usedAt, diags, rows))
      return std::nullopt;
  } else {
    auto file = sm.loadFile(path);
    if (!file) {
      diags.error(usedAt, "cannot open spike file '" + path + "'");
      return std::nullopt;
    }
    // Rows that parsed are still checked, so one run reports every bad row.
    parsed = readCsv(*file, sm, diags, rows);
  }
  std::vector<SpikeEvent> events;
  bool ok = parsed;
  for (const Raw &r : rows) {
    if (r.t < 0 || !std::isfinite(r.t)) {
      std::ostringstream v;
      v << r.t;
      diags.error(r.loc, "spike time " + v.str() + " s is " +
                             (std::isnan(r.t) ? "not a number" : r.t < 0 ? "negative" : "infinite"));
      ok = false;
      continue;
    }
    // The schedule is a table by step up to the last spike (8 bytes a step): a bound keeps a
    // typo such as 1e300 from asking for more memory than any machine has.
    if (r.t / dt > kMaxSourceSteps) {
      std::ostringstream v;
      v << r.t;
      diags.error(r.loc, "spike time " + v.str() + " s is beyond the last step a spike source "
                             "can schedule (" + std::to_string(kMaxSourceSteps) +
                             " steps of dt)");
      ok = false;
      continue;
    }
    if (r.i != std::floor(r.i) || r.i < 0 || r.i >= size) {
      std::ostringstream v;
      v << r.i;
      diags.error(r.iLoc, "neuron index " + v.str() + " is out of range: the source has " +
                              std::to_string(size) + " neurons");
      ok = false;
      continue;
    }
    events.push_back({std::llround(r.t / dt), static_cast<uint32_t>(r.i)});
  }
  if (!ok)
    return std::nullopt;
  std::stable_sort(events.begin(), events.end(), [](auto &a, auto &b) {
    return a.step != b.step ? a.step < b.step : a.index < b.index;
  });
  for (size_t k = 1; k < events.size(); ++k)
    if (events[k].step == events[k - 1].step && events[k].index == events[k - 1].index) {
      diags.error(usedAt, "spike file '" + path + "' has two spikes of neuron " +
                              std::to_string(events[k].index) + " in the step at " +
                              std::to_string(events[k].step * dt * 1e3) + " ms (times are "
                              "rounded to the nearest step of dt)");
      return std::nullopt;
    }
  return events;
}

} // namespace snn
