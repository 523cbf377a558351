// Numeric data read from a file at compile time: arrays (`array W = load("W.npy")`), timed arrays
// from files and connection lists (`connect A -> B with from_file("c.csv")`). Two shapes of data:
//   - an array: a .npy file of one plain numeric dtype (bool, integers or floats, either byte
//     order, C or Fortran order), 1-D or 2-D, or a CSV file of numbers only (one column: 1-D;
//     more: 2-D, one row per line);
//   - a table: named columns of one length, from a CSV file whose first line is a header naming
//     them, or a .npy file with a structured dtype (one field per column).
// Every problem is reported with the file's name and the row: a CSV row at path:line:col with its
// text and a caret (the file is registered with the SourceManager like a .snn file), a .npy row
// at the place that names the file, as "'c.npy', row 17: ...". Non-finite numbers are errors.
#pragma once

#include "snn/Basic/Diagnostics.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snn {

struct DataFile {
  std::string path;
  // Array: the shape (1 or 2 extents) and the values in C order. Table: the columns.
  std::vector<uint64_t> shape;
  std::vector<double> values;
  std::vector<std::string> names;           // table: column names, in file order
  std::vector<std::vector<double>> columns; // table: one vector per name
  std::vector<SourceLoc> rowLocs;           // CSV: each row's line (col 1); .npy: empty
  SourceLoc usedAt;                         // where the .snn file names it
  /// Some CSV rows were refused (and reported): the others are here, so that a table's user
  /// can still report every problem of those in one run, but must then fail.
  bool damaged = false;

  bool isTable() const { return !names.empty(); }
  uint64_t rows() const { return isTable() ? (columns.empty() ? 0 : columns[0].size()) : shape[0]; }
  /// Column `name` of a table, or nullptr.
  const std::vector<double> *column(const std::string &name) const;
  /// Where to report a problem with row r (0-based): the CSV line, else the naming place.
  SourceLoc rowLoc(uint64_t r) const { return r < rowLocs.size() ? rowLocs[r] : usedAt; }
  /// "'c.npy', row 17: " for a .npy row (1-based, as a reader counts), "" for a CSV row, whose
  /// location already names it.
  std::string rowPrefix(uint64_t r) const;
};

/// A shape as NumPy prints it: "(3,)", "(2, 5)".
std::string shapeText(const std::vector<uint64_t> &shape);

/// What a file must hold: a plain array of 1 or 2 dimensions, one of 1 to 4 (an `array`, which
/// may be a conv2d kernel), or a table of named columns.
enum class DataShape { Array, Tensor, Table };

/// A CSV field without its surrounding blanks (spaces, tabs, a CR).
std::string trimField(const std::string &s);
/// Parses a whole field (blanks around it allowed) as a number, NaN and infinities included.
bool parseNumber(const std::string &field, double &v);

/// Reads `path` (the extension picks the format: .npy, else CSV) as an array or a table.
/// `what` names the use in messages ("array file", "connection file"). Returns nullopt after
/// reporting every problem found; a table with refused rows comes back `damaged`.
std::optional<DataFile> readDataFile(const std::string &path, DataShape want, const char *what,
                                     SourceLoc usedAt, SourceManager &sm, DiagnosticEngine &diags);

} // namespace snn
