// Records: `record` statements (spikes, rates, state and synapse variables).
#pragma once

#include "SemaContext.h"

namespace snn::sema {

class RecordChecker : public Checker {
public:
  explicit RecordChecker(SemaContext &cx) : Checker(cx) {}

  void checkRecord(const ast::RecordDecl &r);

private:
  /// `every T` in steps; false (reported) if T is not a positive multiple of dt.
  bool recordInterval(const ast::Expr &every, uint32_t &steps);

  /// `record ee.w every T` or `record final ee.w`: a variable of every synapse of a connection.
  void checkSynapseRecord(const ast::RecordDecl &r, RecordInfo &info);
};

} // namespace snn::sema
