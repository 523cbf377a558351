// The embeddable library of -emit=lib: the network-prefixed entry points (cuba_create, cuba_step,
// ...) as LLVM functions that forward to the runtime's snn_instance_* (runtime/include/snn/
// instance.h), binding the model's descriptor where one is needed, and the C header declaring
// them. Prefixed symbols let several models live in one program; in a shared library the
// runtime's own symbols stay hidden.
#include "Library.h"

#include "LLVMEmitter.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

#include <cctype>
#include <sstream>

namespace snn::codegen {
namespace {

/// Parameter and return types of the entry points, in LLVM and in C.
enum class T { Void, Ptr, I32, I64, F64 };

struct EntryPoint {
  const char *name;   // the suffix: cuba_<name> forwards to snn_instance_<name>
  bool bindsModel;    // the runtime function takes the descriptor first
  T ret;
  std::vector<T> params;
  const char *cDecl;  // the C declaration, with NET for the prefix and Net_ for its types
  const char *doc;
};

const std::vector<EntryPoint> &entryPoints() {
  static const std::vector<EntryPoint> list = {
      {"default_options", true, T::Void, {T::Ptr},
       "void NET_default_options(NET_options *opts)",
       "Fills *opts with the defaults: the model's seed, 1 thread, spikes kept for draining."},
      {"create", true, T::Ptr, {T::Ptr, T::Ptr, T::I64},
       "NET *NET_create(const NET_options *opts, char *err, size_t err_len)",
       "A new instance (opts NULL: the defaults): connectivity built, initial values set, t = 0.\n"
       "NULL on failure, with the reason in err."},
      {"destroy", false, T::Void, {T::Ptr}, "void NET_destroy(NET *m)",
       "Frees the instance (a small tombstone stays, so later calls fail cleanly)."},
      {"error", false, T::Ptr, {T::Ptr}, "const char *NET_error(const NET *m)",
       "The message of the last failed call on m (\"\" after a success)."},
      {"reset", false, T::I32, {T::Ptr}, "int NET_reset(NET *m)",
       "Back to t = 0: connectivity, initial values and noise as created."},
      {"step", false, T::I32, {T::Ptr, T::I64}, "int NET_step(NET *m, int64_t steps)",
       "Advances by `steps` time steps."},
      {"run", false, T::I32, {T::Ptr, T::F64}, "int NET_run(NET *m, double seconds)",
       "Advances by round(seconds / dt) steps."},
      {"steps_done", false, T::I64, {T::Ptr}, "int64_t NET_steps_done(const NET *m)",
       "Steps done since creation, reset or restore (-1 for a bad instance)."},
      {"time", false, T::F64, {T::Ptr}, "double NET_time(const NET *m)",
       "t = steps done * dt, in seconds."},
      {"dt", false, T::F64, {T::Ptr}, "double NET_dt(const NET *m)", "The time step in seconds."},
      {"num_populations", false, T::I32, {T::Ptr}, "int NET_num_populations(const NET *m)", ""},
      {"population", false, T::I32, {T::Ptr, T::I32, T::Ptr, T::Ptr},
       "int NET_population(const NET *m, int index, const char **name, uint64_t *size)",
       "Name and size of population `index`."},
      {"num_projections", false, T::I32, {T::Ptr}, "int NET_num_projections(const NET *m)", ""},
      {"projection", false, T::I32, {T::Ptr, T::I32, T::Ptr, T::Ptr},
       "int NET_projection(const NET *m, int index, const char **name, uint64_t *synapses)",
       "Name and synapse count of projection `index`."},
      {"num_variables", false, T::I32, {T::Ptr, T::Ptr},
       "int NET_num_variables(const NET *m, const char *owner)",
       "Variables of a population or projection (internal ones start with '_')."},
      {"variable", false, T::I32, {T::Ptr, T::Ptr, T::I32, T::Ptr, T::Ptr},
       "int NET_variable(const NET *m, const char *owner, int index, const char **name,\n"
       "                 const char **unit)",
       "Name and SI unit ('volt', '1'; \"\" for internal variables) of a variable."},
      {"num_params", false, T::I32, {T::Ptr}, "int NET_num_params(const NET *m)",
       "Parameters of the populations: run-time ones (`runtime P.x` in the network) settable."},
      {"param", false, T::I32, {T::Ptr, T::I32, T::Ptr, T::Ptr, T::Ptr, T::Ptr},
       "int NET_param(const NET *m, int index, const char **name, double *value,\n"
       "              const char **unit, int *runtime)",
       "Parameter `index`: \"P.x\", its value (SI), unit, and whether it can be set."},
      {"get_param", false, T::I32, {T::Ptr, T::Ptr, T::Ptr},
       "int NET_get_param(NET *m, const char *name, double *value)", ""},
      {"set_param", false, T::I32, {T::Ptr, T::Ptr, T::F64},
       "int NET_set_param(NET *m, const char *name, double value)",
       "Sets a run-time parameter (SI units) from the next step on; what depends on it follows.\n"
       "A folded one gives NET_ERR_FOLDED. Reset keeps the values set."},
      {"state", false, T::I32, {T::Ptr, T::Ptr, T::Ptr},
       "int NET_state(NET *m, const char *name, NET_array *out)",
       "The state array \"P.v\" (per neuron) or \"proj.w\" (per synapse): pointer, length, type;\n"
       "owned by the instance, valid until reset, restore or destroy; writable."},
      {"set_state", false, T::I32, {T::Ptr, T::Ptr, T::Ptr, T::I64, T::I32},
       "int NET_set_state(NET *m, const char *name, const void *values, uint64_t length, int type)",
       "Copies `length` values of `type` (NET_TYPE_*) into a state array; both must match."},
      {"synapses", false, T::I32, {T::Ptr, T::Ptr, T::Ptr, T::Ptr, T::I64, T::Ptr},
       "int NET_synapses(NET *m, const char *projection, uint32_t *pre, uint32_t *post,\n"
       "                 uint64_t capacity, uint64_t *count)",
       "The (pre, post) neurons of every synapse, in the order of its per-synapse arrays."},
      {"drain_spikes", false, T::I64, {T::Ptr, T::Ptr, T::Ptr, T::Ptr, T::I64},
       "int64_t NET_drain_spikes(NET *m, const char *population, int64_t *steps,\n"
       "                         uint32_t *neurons, uint64_t capacity)",
       "Moves up to `capacity` of the population's spikes since the last drain (step, neuron),\n"
       "oldest first; returns how many (or an error)."},
      {"inject", false, T::I32, {T::Ptr, T::Ptr, T::Ptr, T::I64},
       "int NET_inject(NET *m, const char *population, const uint32_t *neurons, uint64_t n)",
       "These neurons spike in the next step, besides their own spikes: delivered, seen by\n"
       "plasticity and recorded, but not reset or made refractory."},
      {"save", false, T::I32, {T::Ptr, T::Ptr, T::Ptr},
       "int NET_save(NET *m, void **data, size_t *length)",
       "The whole state as one malloc'ed block (free it with free())."},
      {"restore", false, T::I32, {T::Ptr, T::Ptr, T::I64},
       "int NET_restore(NET *m, const void *data, size_t length)",
       "Restores saved state: the run continues bit for bit as from the save."},
      {"save_file", false, T::I32, {T::Ptr, T::Ptr}, "int NET_save_file(NET *m, const char *path)",
       ""},
      {"restore_file", false, T::I32, {T::Ptr, T::Ptr},
       "int NET_restore_file(NET *m, const char *path)", ""},
      {"write_outputs", false, T::I32, {T::Ptr, T::Ptr},
       "int NET_write_outputs(NET *m, const char *dir)",
       "Writes the model's recorders as the executable does (.npy files, summary.json)."},
  };
  return list;
}

llvm::Type *llvmType(llvm::LLVMContext &ctx, T t) {
  switch (t) {
  case T::Void: return llvm::Type::getVoidTy(ctx);
  case T::Ptr: return llvm::PointerType::get(ctx, 0);
  case T::I32: return llvm::Type::getInt32Ty(ctx);
  case T::I64: return llvm::Type::getInt64Ty(ctx);
  case T::F64: return llvm::Type::getDoubleTy(ctx);
  }
  return nullptr;
}

std::string replaceAll(std::string s, const std::string &from, const std::string &to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

} // namespace

void addLibraryEntryPoints(llvm::Module &mod, const std::string &net) {
  llvm::LLVMContext &ctx = mod.getContext();
  llvm::GlobalVariable *model = mod.getNamedGlobal(modelSymbol(net));
  for (const EntryPoint &e : entryPoints()) {
    std::vector<llvm::Type *> params;
    for (T p : e.params)
      params.push_back(llvmType(ctx, p));
    auto *fty = llvm::FunctionType::get(llvmType(ctx, e.ret), params, false);
    std::vector<llvm::Type *> targetParams = params;
    if (e.bindsModel)
      targetParams.insert(targetParams.begin(), llvm::PointerType::get(ctx, 0));
    llvm::FunctionCallee target = mod.getOrInsertFunction(
        std::string("snn_instance_") + e.name,
        llvm::FunctionType::get(llvmType(ctx, e.ret), targetParams, false));
    auto *fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, net + "_" + e.name, mod);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    std::vector<llvm::Value *> args;
    if (e.bindsModel)
      args.push_back(model);
    for (auto &a : fn->args())
      args.push_back(&a);
    llvm::CallInst *call = b.CreateCall(target, args);
    call->setTailCall();
    if (e.ret == T::Void)
      b.CreateRetVoid();
    else
      b.CreateRet(call);
  }
}

std::string libraryHeader(const ir::Module &m) {
  const std::string &net = m.name;
  std::string guard;
  for (char ch : net)
    guard += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::ostringstream h;
  h << "/* " << net << ".h — the embeddable library of network '" << net
    << "', generated by snnc (-emit=lib).\n"
    << " * Link with lib" << net << ".a (and -lm -lpthread) or lib" << net
    << ".so. docs/embedding.md explains the rules:\n"
    << " * instances are independent (any number, each usable from its own thread, one thread at\n"
    << " * a time); every call returns " << guard << "_OK (0) or a negative code and keeps a message\n"
    << " * (" << net << "_error); NULL and destroyed instances are errors, never crashes.\n *\n"
    << " * Populations (neurons) and their variables:\n";
  for (auto &p : m.populations) {
    h << " *   " << p.name << " [" << p.size << "]:";
    for (auto &v : p.vars)
      h << ' ' << v.name;
    h << '\n';
  }
  if (!m.projections.empty())
    h << " * Projections and their per-synapse variables:\n";
  for (auto &pj : m.projections) {
    h << " *   " << pj.name << " (" << m.populations[pj.pre].name << " -> "
      << m.populations[pj.post].name << "):";
    for (auto &v : pj.vars)
      h << ' ' << v.name;
    h << '\n';
  }
  h << " * dt = " << m.dt << " s; precision " << (m.precision == Precision::Float32 ? "float32" : "float64")
    << ".\n */\n"
    << "#ifndef " << guard << "_H\n#define " << guard << "_H\n\n"
    << "#include <stddef.h>\n#include <stdint.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
    << "typedef struct " << net << " " << net << "; /* an instance (opaque) */\n\n"
    << "enum {\n"
    << "  " << guard << "_OK = 0,\n"
    << "  " << guard << "_ERR_NULL = -1,      /* the instance is NULL */\n"
    << "  " << guard << "_ERR_DESTROYED = -2, /* the instance was destroyed */\n"
    << "  " << guard << "_ERR_ARG = -3,       /* a bad argument */\n"
    << "  " << guard << "_ERR_NAME = -4,      /* no population, projection or variable of that name */\n"
    << "  " << guard << "_ERR_RANGE = -5,     /* an index or capacity out of range */\n"
    << "  " << guard << "_ERR_TYPE = -6,      /* wrong element type or length */\n"
    << "  " << guard << "_ERR_RUN = -7,       /* the simulation failed */\n"
    << "  " << guard << "_ERR_IO = -8,        /* a file could not be read or written */\n"
    << "  " << guard << "_ERR_FORMAT = -9,    /* saved state of another model or corrupt */\n"
    << "  " << guard << "_ERR_FOLDED = -10,   /* a parameter folded at compile time */\n"
    << "  " << guard << "_ERR_NOT_FINITE = -11 /* a state variable became NaN or infinite */\n"
    << "};\n\n"
    << "/* Element types of state arrays. */\n"
    << "enum { " << guard << "_TYPE_I32 = 1, " << guard << "_TYPE_F32 = 2, " << guard
    << "_TYPE_F64 = 3 };\n\n"
    << "typedef struct " << net << "_options {\n"
    << "  uint64_t seed;  /* connectivity, initial values and noise */\n"
    << "  int threads;    /* 1, N, or 0 for every core (large populations only) */\n"
    << "  int keep_spikes; /* 1: queue spikes for " << net << "_drain_spikes */\n"
    << "  int device;     /* -1: the CPU; N >= 0: CUDA GPU N (models built with --target=cuda;\n"
    << "                     their default is 0, the CPU's otherwise) */\n"
    << "} " << net << "_options;\n\n"
    << "typedef struct " << net << "_array {\n"
    << "  void *data;\n  uint64_t length;\n  int type; /* " << guard << "_TYPE_* */\n"
    << "} " << net << "_array;\n\n";
  for (const EntryPoint &e : entryPoints()) {
    std::string doc = replaceAll(replaceAll(e.doc, "NET_TYPE_", guard + "_TYPE_"), "NET", net);
    if (!doc.empty())
      h << "/* " << replaceAll(doc, "\n", "\n * ") << " */\n";
    std::string decl = replaceAll(e.cDecl, "NET_TYPE_", guard + "_TYPE_");
    h << replaceAll(decl, "NET", net) << ";\n";
  }
  h << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << "_H */\n";
  return h.str();
}

} // namespace snn::codegen
