// proofmarket_native.node — the Node-API binding of the C ABI in native/include/proofmarket.h.
//
// Thin on purpose: one exported function per ABI entry point, in the header's order. Argument
// validation and defaults live in native/binding/native.ts; this file only checks what it must
// to never crash on a wrong call (types, buffer lengths). Heavy calls (MSM, NTT, zkey open,
// prove, dev setup) run on libuv worker threads through Napi::AsyncWorker and resolve Promises;
// a failed pm_status rejects with an Error carrying `code` ('FORMAT', 'MISMATCH', ...) and
// `pmCode` (the number).
//
// Built with NAPI_DISABLE_CPP_EXCEPTIONS: every JS-visible error is thrown with
// ThrowAsJavaScriptException() followed by an immediate return.
//
// Buffers given to async calls: the worker keeps a reference to the caller's typed array so the
// memory stays alive, and reads it in place (MSM points can be gigabytes; copying them twice is
// what this engine exists to avoid). The caller must not modify them until the promise settles;
// native.ts documents that. NTT works on a copy because it transforms in place.

// When a worker thread's env is torn down (worker.terminate()) while a proof still runs, the
// progress and completion callbacks can no longer call into JS; without this, node-addon-api's
// no-exceptions mode turns the failed throw into a fatal error that aborts the whole process.
#define NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS
#include <napi.h>

#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#include "proofmarket.h"

namespace {

// ---- helpers ------------------------------------------------------------------------------

const char* code_name(pm_code c) {
  switch (c) {
    case PM_OK: return "OK";
    case PM_ERR_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case PM_ERR_IO: return "IO";
    case PM_ERR_FORMAT: return "FORMAT";
    case PM_ERR_MISMATCH: return "MISMATCH";
    case PM_ERR_UNSUPPORTED: return "UNSUPPORTED";
    case PM_ERR_DEVICE: return "DEVICE";
    case PM_ERR_OUT_OF_MEMORY: return "OUT_OF_MEMORY";
    case PM_ERR_CANCELLED: return "CANCELLED";
    case PM_ERR_INTERNAL: return "INTERNAL";
  }
  return "UNKNOWN";
}

const char* device_name(pm_device d) {
  switch (d) {
    case PM_DEVICE_AUTO: return "auto";
    case PM_DEVICE_CPU: return "cpu";
    case PM_DEVICE_CUDA: return "cuda";
  }
  return "unknown";
}

// An Error object for a failed pm_status (message from the engine, code as a string).
Napi::Error status_error(Napi::Env env, const pm_status& st) {
  std::string msg(st.message, strnlen(st.message, sizeof st.message));
  if (msg.empty()) msg = std::string("native engine failed with ") + code_name(st.code);
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, code_name(st.code)));
  e.Set("pmCode", Napi::Number::New(env, static_cast<double>(st.code)));
  return e;
}

pm_status make_status(pm_code code, const std::string& msg) {
  pm_status st;
  st.code = code;
  snprintf(st.message, sizeof st.message, "%s", msg.c_str());
  return st;
}

// Throws a TypeError naming the argument; callers return right after.
void type_error(Napi::Env env, const std::string& what) {
  Napi::TypeError::New(env, what).ThrowAsJavaScriptException();
}

bool get_int(const Napi::CallbackInfo& info, size_t i, const char* name, int64_t* out) {
  if (i >= info.Length() || !info[i].IsNumber()) {
    type_error(info.Env(), std::string(name) + " must be a number");
    return false;
  }
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<int64_t>(d))) {
    type_error(info.Env(), std::string(name) + " must be an integer");
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

bool get_bytes(const Napi::CallbackInfo& info, size_t i, const char* name, Napi::Uint8Array* out) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    type_error(info.Env(), std::string(name) + " must be a Uint8Array");
    return false;
  }
  *out = info[i].As<Napi::Uint8Array>();
  return true;
}

bool get_string(const Napi::CallbackInfo& info, size_t i, const char* name, std::string* out) {
  if (i >= info.Length() || !info[i].IsString()) {
    type_error(info.Env(), std::string(name) + " must be a string");
    return false;
  }
  *out = info[i].As<Napi::String>().Utf8Value();
  return true;
}

bool get_u64(const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t* out) {
  if (i >= info.Length() || !info[i].IsBigInt()) {
    type_error(info.Env(), std::string(name) + " must be a bigint");
    return false;
  }
  bool lossless = false;
  *out = info[i].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) {
    type_error(info.Env(), std::string(name) + " must fit in 64 unsigned bits");
    return false;
  }
  return true;
}

// Reads an optional integer property of a config object; absent/undefined keeps the default.
bool cfg_int(Napi::Object cfg, const char* key, int* field) {
  Napi::Value v = cfg.Get(key);
  if (v.IsUndefined() || v.IsNull()) return true;
  if (!v.IsNumber()) {
    type_error(cfg.Env(), std::string("config.") + key + " must be a number");
    return false;
  }
  *field = v.As<Napi::Number>().Int32Value();
  return true;
}

bool get_cfg(const Napi::CallbackInfo& info, size_t i, Napi::Object* out) {
  if (i >= info.Length() || !info[i].IsObject()) {
    type_error(info.Env(), "config must be an object");
    return false;
  }
  *out = info[i].As<Napi::Object>();
  return true;
}

size_t fq_bytes(pm_curve c) { return c == PM_CURVE_BLS12_381 ? 48 : 32; }
constexpr size_t kFrBytes = 32;

bool get_curve(const Napi::CallbackInfo& info, size_t i, pm_curve* out) {
  int64_t v;
  if (!get_int(info, i, "curve", &v)) return false;
  if (v != PM_CURVE_BN254 && v != PM_CURVE_BLS12_381) {
    type_error(info.Env(), "curve must be 1 (bn254) or 2 (bls12-381)");
    return false;
  }
  *out = static_cast<pm_curve>(v);
  return true;
}

// Base class for workers that run one ABI call and settle a promise.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env, const char* name)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {
    st_.code = PM_OK;
    st_.message[0] = 0;
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  // Runs on the worker thread; sets st_.
  virtual void Run() = 0;
  // Runs on the main thread when st_ is PM_OK.
  virtual Napi::Value Result(Napi::Env env) { return env.Undefined(); }
  // Runs on the main thread after either outcome (release handles etc.).
  virtual void Finish() {}

  // Settles the promise; a subclass may defer it (see ProveWorker).
  virtual void Settle(bool ok, Napi::Value v) {
    if (ok) deferred_.Resolve(v);
    else deferred_.Reject(v);
  }

  void Execute() override { Run(); }
  void OnOK() override {
    Napi::Env env = Env();
    Finish();
    if (st_.code == PM_OK) {
      Settle(true, Result(env));
    } else {
      Settle(false, status_error(env, st_).Value());
    }
  }
  void OnError(const Napi::Error& e) override {
    Finish();
    Settle(false, e.Value());
  }

  pm_status st_;
  Napi::Promise::Deferred deferred_;
};

// ---- engine information -------------------------------------------------------------------

Napi::Value EngineInfoGet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pm_engine_info ei;
  memset(&ei, 0, sizeof ei);
  pm_status st = pm_engine_info_get(&ei);
  if (st.code != PM_OK) {
    status_error(env, st).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("abiVersion", ei.abi_version);
  o.Set("cpuThreads", ei.cpu_threads);
  o.Set("cudaCompiled", ei.cuda_compiled != 0);
  o.Set("cudaDevices", ei.cuda_devices);
  o.Set("build", std::string(ei.build, strnlen(ei.build, sizeof ei.build)));
  o.Set("bindingAbiVersion", PM_ABI_VERSION);
  return o;
}

Napi::Value CudaDeviceInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t index;
  if (!get_int(info, 0, "index", &index)) return env.Undefined();
  pm_device_info di;
  memset(&di, 0, sizeof di);
  pm_status st = pm_cuda_device_info(&di, static_cast<int>(index));
  if (st.code != PM_OK) {
    status_error(env, st).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("index", Napi::Number::New(env, static_cast<double>(index)));
  o.Set("name", std::string(di.name, strnlen(di.name, sizeof di.name)));
  o.Set("memoryBytes", Napi::BigInt::New(env, static_cast<uint64_t>(di.memory_bytes)));
  o.Set("smCount", di.sm_count);
  o.Set("ccMajor", di.cc_major);
  o.Set("ccMinor", di.cc_minor);
  return o;
}

// ---- field arithmetic ---------------------------------------------------------------------

// fieldBatch(curve, field, op, a, b | null, n) -> Uint8Array. Synchronous: it exists for
// differential tests on small batches.
Napi::Value FieldBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pm_curve curve;
  int64_t field, op, n;
  Napi::Uint8Array a, b;
  if (!get_curve(info, 0, &curve) || !get_int(info, 1, "field", &field) ||
      !get_int(info, 2, "op", &op) || !get_bytes(info, 3, "a", &a)) {
    return env.Undefined();
  }
  bool has_b = info.Length() > 4 && !info[4].IsNull() && !info[4].IsUndefined();
  if (has_b && !get_bytes(info, 4, "b", &b)) return env.Undefined();
  if (!get_int(info, 5, "n", &n)) return env.Undefined();
  if (field != PM_FIELD_FQ && field != PM_FIELD_FR) {
    type_error(env, "field must be 0 (Fq) or 1 (Fr)");
    return env.Undefined();
  }
  if (op < PM_FIELD_ADD || op > PM_FIELD_INV) {
    type_error(env, "op must be 0..5");
    return env.Undefined();
  }
  if (n < 0) {
    type_error(env, "n must not be negative");
    return env.Undefined();
  }
  size_t el = field == PM_FIELD_FQ ? fq_bytes(curve) : kFrBytes;
  size_t need = static_cast<size_t>(n) * el;
  bool binary = op == PM_FIELD_ADD || op == PM_FIELD_SUB || op == PM_FIELD_MUL;
  if (a.ByteLength() < need || (binary && (!has_b || b.ByteLength() < need))) {
    type_error(env, "a/b hold fewer than n field elements");
    return env.Undefined();
  }
  Napi::Uint8Array out = Napi::Uint8Array::New(env, need);
  pm_status st = pm_field_batch(out.Data(), curve, static_cast<pm_field>(field),
                                static_cast<pm_field_op>(op), a.Data(),
                                has_b ? b.Data() : nullptr, static_cast<size_t>(n));
  if (st.code != PM_OK) {
    status_error(env, st).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return out;
}

// ---- MSM ----------------------------------------------------------------------------------

Napi::Value DefaultMsmConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pm_msm_config c = pm_default_msm_config();
  Napi::Object o = Napi::Object::New(env);
  o.Set("device", static_cast<int>(c.device));
  o.Set("threads", c.threads);
  o.Set("windowBits", c.window_bits);
  o.Set("scalarsMontgomery", c.scalars_montgomery);
  return o;
}

class MsmWorker : public PromiseWorker {
 public:
  MsmWorker(Napi::Env env, bool g2, pm_curve curve, Napi::Uint8Array points,
            Napi::Uint8Array scalars, size_t n, pm_msm_config cfg)
      : PromiseWorker(env, g2 ? "pm_msm_g2" : "pm_msm_g1"),
        g2_(g2), curve_(curve), n_(n), cfg_(cfg),
        points_ref_(Napi::Persistent(points)), scalars_ref_(Napi::Persistent(scalars)),
        points_(points.Data()), scalars_(scalars.Data()),
        out_(fq_bytes(curve) * (g2 ? 4 : 2)) {}

 protected:
  void Run() override {
    st_ = g2_ ? pm_msm_g2(out_.data(), curve_, points_, scalars_, n_, &cfg_)
              : pm_msm_g1(out_.data(), curve_, points_, scalars_, n_, &cfg_);
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Uint8Array r = Napi::Uint8Array::New(env, out_.size());
    memcpy(r.Data(), out_.data(), out_.size());
    return r;
  }

 private:
  bool g2_;
  pm_curve curve_;
  size_t n_;
  pm_msm_config cfg_;
  Napi::Reference<Napi::Uint8Array> points_ref_, scalars_ref_;
  const uint8_t* points_;
  const uint8_t* scalars_;
  std::vector<uint8_t> out_;
};

// msmG1/msmG2(curve, points, scalars, n, cfg) -> Promise<Uint8Array>
Napi::Value Msm(const Napi::CallbackInfo& info, bool g2) {
  Napi::Env env = info.Env();
  pm_curve curve;
  Napi::Uint8Array points, scalars;
  int64_t n;
  Napi::Object co;
  if (!get_curve(info, 0, &curve) || !get_bytes(info, 1, "points", &points) ||
      !get_bytes(info, 2, "scalars", &scalars) || !get_int(info, 3, "n", &n) ||
      !get_cfg(info, 4, &co)) {
    return env.Undefined();
  }
  if (n < 0) {
    type_error(env, "n must not be negative");
    return env.Undefined();
  }
  size_t point_bytes = fq_bytes(curve) * (g2 ? 4 : 2);
  if (points.ByteLength() < static_cast<size_t>(n) * point_bytes ||
      scalars.ByteLength() < static_cast<size_t>(n) * kFrBytes) {
    type_error(env, "points/scalars hold fewer than n elements");
    return env.Undefined();
  }
  pm_msm_config cfg = pm_default_msm_config();
  int device = cfg.device;
  if (!cfg_int(co, "device", &device) || !cfg_int(co, "threads", &cfg.threads) ||
      !cfg_int(co, "windowBits", &cfg.window_bits) ||
      !cfg_int(co, "scalarsMontgomery", &cfg.scalars_montgomery)) {
    return env.Undefined();
  }
  cfg.device = static_cast<pm_device>(device);
  auto* w = new MsmWorker(env, g2, curve, points, scalars, static_cast<size_t>(n), cfg);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

Napi::Value MsmG1(const Napi::CallbackInfo& info) { return Msm(info, false); }
Napi::Value MsmG2(const Napi::CallbackInfo& info) { return Msm(info, true); }

// ---- NTT ----------------------------------------------------------------------------------

Napi::Value DefaultNttConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pm_ntt_config c = pm_default_ntt_config();
  Napi::Object o = Napi::Object::New(env);
  o.Set("device", static_cast<int>(c.device));
  o.Set("threads", c.threads);
  o.Set("montgomery", c.montgomery);
  return o;
}

class NttWorker : public PromiseWorker {
 public:
  NttWorker(Napi::Env env, pm_curve curve, const uint8_t* data, size_t len, uint32_t log_n,
            bool inverse, pm_ntt_config cfg)
      : PromiseWorker(env, "pm_ntt"), curve_(curve), log_n_(log_n), inverse_(inverse),
        cfg_(cfg), data_(data, data + len) {}

 protected:
  void Run() override {
    st_ = pm_ntt(data_.data(), curve_, log_n_, inverse_ ? 1 : 0, &cfg_);
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Uint8Array r = Napi::Uint8Array::New(env, data_.size());
    memcpy(r.Data(), data_.data(), data_.size());
    std::vector<uint8_t>().swap(data_);
    return r;
  }

 private:
  pm_curve curve_;
  uint32_t log_n_;
  bool inverse_;
  pm_ntt_config cfg_;
  std::vector<uint8_t> data_;
};

// ntt(data, curve, logN, inverse, cfg) -> Promise<Uint8Array> (a transformed copy)
Napi::Value Ntt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Uint8Array data;
  pm_curve curve;
  int64_t log_n;
  Napi::Object co;
  if (!get_bytes(info, 0, "data", &data) || !get_curve(info, 1, &curve) ||
      !get_int(info, 2, "logN", &log_n)) {
    return env.Undefined();
  }
  if (info.Length() < 4 || !info[3].IsBoolean()) {
    type_error(env, "inverse must be a boolean");
    return env.Undefined();
  }
  bool inverse = info[3].As<Napi::Boolean>().Value();
  if (!get_cfg(info, 4, &co)) return env.Undefined();
  if (log_n < 0 || log_n > 40) {
    type_error(env, "logN must be in 0..40");
    return env.Undefined();
  }
  size_t len = (size_t(1) << log_n) * kFrBytes;
  if (data.ByteLength() != len) {
    type_error(env, "data must hold exactly 2^logN field elements");
    return env.Undefined();
  }
  pm_ntt_config cfg = pm_default_ntt_config();
  int device = cfg.device;
  if (!cfg_int(co, "device", &device) || !cfg_int(co, "threads", &cfg.threads) ||
      !cfg_int(co, "montgomery", &cfg.montgomery)) {
    return env.Undefined();
  }
  cfg.device = static_cast<pm_device>(device);
  auto* w = new NttWorker(env, curve, data.Data(), len, static_cast<uint32_t>(log_n), inverse,
                          cfg);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// ---- Groth16: zkey handle -----------------------------------------------------------------

// The JS object that owns a pm_zkey*. Closed by close(), or by the finalizer when the object is
// collected (so dropping a handle leaks nothing and never keeps the process alive). A prove in
// flight pins the object (the worker holds a reference) and holds a use count; close() during a
// prove only marks it, and the last prove to finish closes it. All of this runs on the main
// thread, so the counts need no locking.
class ZkeyWrap : public Napi::ObjectWrap<ZkeyWrap> {
 public:
  // The class constructor of this env (per env: the addon may be loaded in worker threads).
  static Napi::FunctionReference& Ctor(Napi::Env env) {
    return *env.GetInstanceData<Napi::FunctionReference>();
  }

  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "NativeZkey",
                       {InstanceMethod("close", &ZkeyWrap::Close),
                        InstanceAccessor("closed", &ZkeyWrap::Closed, nullptr)});
  }

  explicit ZkeyWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ZkeyWrap>(info) {}
  ~ZkeyWrap() override {
    // busy_ > 0 here only when the env is torn down (worker.terminate(), exit) while a proof
    // still runs on the thread pool: leave the mapping to the process rather than pull it out
    // from under that thread.
    if (busy_ == 0) pm_zkey_close(z_);
    z_ = nullptr;
  }

  pm_zkey* zkey() const { return close_requested_ ? nullptr : z_; }
  void Adopt(pm_zkey* z) { z_ = z; }
  void Acquire() { ++busy_; }
  void Release() {
    if (--busy_ == 0 && close_requested_) CloseNow();
  }

 private:
  void CloseNow() {
    pm_zkey_close(z_);
    z_ = nullptr;
  }
  Napi::Value Close(const Napi::CallbackInfo& info) {
    close_requested_ = true;
    if (busy_ == 0) CloseNow();
    return info.Env().Undefined();
  }
  Napi::Value Closed(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), close_requested_);
  }

  pm_zkey* z_ = nullptr;
  int busy_ = 0;
  bool close_requested_ = false;
};

class ZkeyOpenWorker : public PromiseWorker {
 public:
  ZkeyOpenWorker(Napi::Env env, std::string path)
      : PromiseWorker(env, "pm_zkey_open"), path_(std::move(path)) {}
  ~ZkeyOpenWorker() override { pm_zkey_close(z_); }  // only non-null if never adopted

 protected:
  void Run() override { st_ = pm_zkey_open(&z_, path_.c_str()); }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = ZkeyWrap::Ctor(env).New({});
    if (env.IsExceptionPending()) return env.Undefined();
    ZkeyWrap::Unwrap(o)->Adopt(z_);
    z_ = nullptr;
    return o;
  }

 private:
  std::string path_;
  pm_zkey* z_ = nullptr;
};

// zkeyOpen(path) -> Promise<NativeZkey>
Napi::Value ZkeyOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!get_string(info, 0, "path", &path)) return env.Undefined();
  auto* w = new ZkeyOpenWorker(env, path);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

ZkeyWrap* get_zkey(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || !info[i].IsObject() ||
      !info[i].As<Napi::Object>().InstanceOf(ZkeyWrap::Ctor(info.Env()).Value())) {
    type_error(info.Env(), "zkey must be a handle returned by zkeyOpen");
    return nullptr;
  }
  return ZkeyWrap::Unwrap(info[i].As<Napi::Object>());
}

const char* curve_name(pm_curve c) {
  return c == PM_CURVE_BN254 ? "bn254" : c == PM_CURVE_BLS12_381 ? "bls12-381" : "unknown";
}

// zkeyGetInfo(zkey) -> { curve, nVars, nPublic, domainSize, domainLog2, nCoefs }
Napi::Value ZkeyGetInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ZkeyWrap* zw = get_zkey(info, 0);
  if (!zw) return env.Undefined();
  if (!zw->zkey()) {
    status_error(env, make_status(PM_ERR_INVALID_ARGUMENT, "the zkey handle is closed"))
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  pm_zkey_info zi;
  memset(&zi, 0, sizeof zi);
  pm_status st = pm_zkey_get_info(&zi, zw->zkey());
  if (st.code != PM_OK) {
    status_error(env, st).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("curve", curve_name(zi.curve));
  o.Set("nVars", zi.n_vars);
  o.Set("nPublic", zi.n_public);
  o.Set("domainSize", zi.domain_size);
  o.Set("domainLog2", zi.domain_log2);
  o.Set("nCoefs", Napi::Number::New(env, static_cast<double>(zi.n_coefs)));
  return o;
}

// zkeyClose(zkey): same as zkey.close(); closing twice is fine.
Napi::Value ZkeyClose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ZkeyWrap* zw = get_zkey(info, 0);
  if (!zw) return env.Undefined();
  Napi::Function close = info[0].As<Napi::Object>().Get("close").As<Napi::Function>();
  close.Call(info[0], {});
  return env.Undefined();
}

// ---- Groth16: prove -----------------------------------------------------------------------

Napi::Value DefaultProveConfig(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pm_prove_config c = pm_default_prove_config();
  Napi::Object o = Napi::Object::New(env);
  o.Set("device", static_cast<int>(c.device));
  o.Set("threads", c.threads);
  return o;
}

struct ProgressEvent {
  std::string stage;
  double fraction;
};

class ProveWorker : public PromiseWorker {
 public:
  ProveWorker(Napi::Env env, Napi::Object zkey_obj, ZkeyWrap* zw, Napi::Uint8Array wtns,
              pm_prove_config cfg, Napi::Function on_progress, Napi::Int32Array cancel)
      : PromiseWorker(env, "pm_groth16_prove"), zkey_ref_(Napi::Persistent(zkey_obj)),
        zw_(zw), zkey_(zw->zkey()), wtns_ref_(Napi::Persistent(wtns)), wtns_(wtns.Data()),
        wtns_len_(wtns.ByteLength()), cfg_(cfg) {
    zw_->Acquire();
    if (!cancel.IsEmpty()) {
      cancel_ref_ = Napi::Persistent(cancel);
      cancel_flag_ = cancel.Data();
    }
    if (!on_progress.IsEmpty()) {
      // The promise settles from this function's finalizer, which runs once every queued
      // progress call has been delivered: no progress event ever arrives after the result.
      settle_ = new Pending{Napi::Promise::Deferred(deferred_), {}, false};
      tsfn_ = Napi::ThreadSafeFunction::New(
          env, on_progress, "pm_progress", 0, 1, settle_,
          [](Napi::Env, Pending* p) {
            Napi::HandleScope scope(p->deferred.Env());
            if (p->ok) p->deferred.Resolve(p->value.Value());
            else p->deferred.Reject(p->value.Value());
            delete p;
          });
      have_tsfn_ = true;
    }
    cfg_.progress = &ProveWorker::OnProgressThunk;
    cfg_.progress_user = this;
  }
  ~ProveWorker() override { pm_proof_destroy(proof_); }

 protected:
  void Run() override {
    st_ = pm_groth16_prove(&proof_, zkey_, wtns_, wtns_len_, &cfg_);
    if (st_.code == PM_OK && proof_) {
      const char* pj = pm_proof_json(proof_);
      const char* pub = pm_proof_public_json(proof_);
      proof_json_ = pj ? pj : "";
      public_json_ = pub ? pub : "";
      device_ = pm_proof_device(proof_);
      size_t fc_len = 0;
      const uint8_t* fc = pm_proof_filecoin(proof_, &fc_len);
      if (fc) filecoin_.assign(fc, fc + fc_len);
    } else if (st_.code == PM_OK) {
      st_ = make_status(PM_ERR_INTERNAL, "pm_groth16_prove returned no proof");
    }
  }
  void Finish() override { zw_->Release(); }
  void Settle(bool ok, Napi::Value v) override {
    if (!have_tsfn_) {
      PromiseWorker::Settle(ok, v);
      return;
    }
    settle_->ok = ok;
    settle_->value = Napi::Persistent(v);
    tsfn_.Release();  // -> finalizer above, after the queue drains
  }
  Napi::Value Result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    o.Set("proofJson", proof_json_);
    o.Set("publicJson", public_json_);
    o.Set("device", device_name(device_));
    if (!filecoin_.empty()) o.Set("filecoin", Napi::Buffer<uint8_t>::Copy(env, filecoin_.data(), filecoin_.size()));
    return o;
  }

 private:
  static int OnProgressThunk(void* user, const char* stage, double fraction) {
    return static_cast<ProveWorker*>(user)->OnProgress(stage, fraction);
  }
  int OnProgress(const char* stage, double fraction) {
    if (have_tsfn_) {
      // Forward a stage change, the end of a stage, or every 1% step; never block the prover.
      std::string s = stage ? stage : "";
      if (s != last_stage_ || fraction >= 1.0 || fraction - last_fraction_ >= 0.01) {
        last_stage_ = s;
        last_fraction_ = fraction;
        auto* ev = new ProgressEvent{s, fraction};
        napi_status ns = tsfn_.NonBlockingCall(ev, [](Napi::Env env, Napi::Function fn,
                                                      ProgressEvent* e) {
          if (env != nullptr && fn != nullptr) {
            fn.Call({Napi::String::New(env, e->stage), Napi::Number::New(env, e->fraction)});
            // An exception thrown by the callback must not take the prove down with it.
            if (env.IsExceptionPending()) env.GetAndClearPendingException();
          }
          delete e;
        });
        if (ns != napi_ok) delete ev;
      }
    }
    return cancel_flag_ ? __atomic_load_n(cancel_flag_, __ATOMIC_RELAXED) : 0;
  }

  Napi::ObjectReference zkey_ref_;
  ZkeyWrap* zw_;
  pm_zkey* zkey_;
  Napi::Reference<Napi::Uint8Array> wtns_ref_;
  const uint8_t* wtns_;
  size_t wtns_len_;
  pm_prove_config cfg_;
  Napi::Reference<Napi::Int32Array> cancel_ref_;
  int32_t* cancel_flag_ = nullptr;
  struct Pending {
    Napi::Promise::Deferred deferred;
    Napi::Reference<Napi::Value> value;
    bool ok;
  };
  Napi::ThreadSafeFunction tsfn_;
  bool have_tsfn_ = false;
  Pending* settle_ = nullptr;
  std::string last_stage_;
  double last_fraction_ = -1;
  pm_proof* proof_ = nullptr;
  std::string proof_json_, public_json_;
  std::vector<uint8_t> filecoin_;  // BLS12-381: Filecoin's 192-byte proof
  pm_device device_ = PM_DEVICE_CPU;
};

// groth16Prove(zkey, wtns, cfg, onProgress | null, cancel: Int32Array(1) | null)
//   -> Promise<{ proofJson, publicJson, device }>
// Setting cancel[0] = 1 makes the next progress callback ask the engine to stop.
Napi::Value Groth16Prove(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ZkeyWrap* zw = get_zkey(info, 0);
  if (!zw) return env.Undefined();
  Napi::Uint8Array wtns;
  Napi::Object co;
  if (!get_bytes(info, 1, "wtns", &wtns) || !get_cfg(info, 2, &co)) return env.Undefined();
  Napi::Function on_progress;
  if (info.Length() > 3 && !info[3].IsNull() && !info[3].IsUndefined()) {
    if (!info[3].IsFunction()) {
      type_error(env, "onProgress must be a function or null");
      return env.Undefined();
    }
    on_progress = info[3].As<Napi::Function>();
  }
  Napi::Int32Array cancel;
  if (info.Length() > 4 && !info[4].IsNull() && !info[4].IsUndefined()) {
    if (!info[4].IsTypedArray() ||
        info[4].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
        info[4].As<Napi::TypedArray>().ElementLength() < 1) {
      type_error(env, "cancel must be an Int32Array of length 1 or null");
      return env.Undefined();
    }
    cancel = info[4].As<Napi::Int32Array>();
  }
  pm_prove_config cfg = pm_default_prove_config();
  int device = cfg.device;
  if (!cfg_int(co, "device", &device) || !cfg_int(co, "threads", &cfg.threads)) {
    return env.Undefined();
  }
  cfg.device = static_cast<pm_device>(device);
  Napi::Promise::Deferred d = Napi::Promise::Deferred::New(env);
  if (!zw->zkey()) {
    d.Reject(status_error(env, make_status(PM_ERR_INVALID_ARGUMENT, "the zkey handle is closed"))
                 .Value());
    return d.Promise();
  }
  auto* w = new ProveWorker(env, info[0].As<Napi::Object>(), zw, wtns, cfg, on_progress, cancel);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// ---- development keys ---------------------------------------------------------------------

class DevSetupWorker : public PromiseWorker {
 public:
  // synthetic = false: pm_dev_setup_r1cs(a = zkey_out, b = r1cs_path, seed)
  // synthetic = true:  pm_dev_setup_synthetic(a = dir, curve, log_constraints, seed)
  DevSetupWorker(Napi::Env env, bool synthetic, std::string a, std::string b, pm_curve curve,
                 uint32_t log_constraints, uint64_t seed)
      : PromiseWorker(env, synthetic ? "pm_dev_setup_synthetic" : "pm_dev_setup_r1cs"),
        synthetic_(synthetic), a_(std::move(a)), b_(std::move(b)), curve_(curve),
        log_(log_constraints), seed_(seed) {}

 protected:
  void Run() override {
    st_ = synthetic_ ? pm_dev_setup_synthetic(a_.c_str(), curve_, log_, seed_)
                     : pm_dev_setup_r1cs(a_.c_str(), b_.c_str(), seed_);
  }

 private:
  bool synthetic_;
  std::string a_, b_;
  pm_curve curve_;
  uint32_t log_;
  uint64_t seed_;
};

// devSetupR1cs(zkeyOut, r1csPath, seed: bigint) -> Promise<void>
Napi::Value DevSetupR1cs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string out, r1cs;
  uint64_t seed;
  if (!get_string(info, 0, "zkeyOut", &out) || !get_string(info, 1, "r1csPath", &r1cs) ||
      !get_u64(info, 2, "seed", &seed)) {
    return env.Undefined();
  }
  auto* w = new DevSetupWorker(env, false, out, r1cs, PM_CURVE_BN254, 0, seed);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// devSetupSynthetic(dir, curve, logConstraints, seed: bigint) -> Promise<void>
Napi::Value DevSetupSynthetic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string dir;
  pm_curve curve;
  int64_t log_c;
  uint64_t seed;
  if (!get_string(info, 0, "dir", &dir) || !get_curve(info, 1, &curve) ||
      !get_int(info, 2, "logConstraints", &log_c) || !get_u64(info, 3, "seed", &seed)) {
    return env.Undefined();
  }
  if (log_c < 0 || log_c > 32) {
    type_error(env, "logConstraints must be in 0..32");
    return env.Undefined();
  }
  auto* w = new DevSetupWorker(env, true, dir, "", curve, static_cast<uint32_t>(log_c), seed);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// ---- module -------------------------------------------------------------------------------

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  Napi::Function zkey_class = ZkeyWrap::Init(env);
  env.SetInstanceData<Napi::FunctionReference>(
      new Napi::FunctionReference(Napi::Persistent(zkey_class)));

  exports.Set("abiVersion", Napi::Number::New(env, PM_ABI_VERSION));
  // In the order of native/include/proofmarket.h.
  exports.Set("engineInfoGet", Napi::Function::New(env, EngineInfoGet, "engineInfoGet"));
  exports.Set("cudaDeviceInfo", Napi::Function::New(env, CudaDeviceInfo, "cudaDeviceInfo"));
  exports.Set("fieldBatch", Napi::Function::New(env, FieldBatch, "fieldBatch"));
  exports.Set("defaultMsmConfig", Napi::Function::New(env, DefaultMsmConfig, "defaultMsmConfig"));
  exports.Set("msmG1", Napi::Function::New(env, MsmG1, "msmG1"));
  exports.Set("msmG2", Napi::Function::New(env, MsmG2, "msmG2"));
  exports.Set("defaultNttConfig", Napi::Function::New(env, DefaultNttConfig, "defaultNttConfig"));
  exports.Set("ntt", Napi::Function::New(env, Ntt, "ntt"));
  exports.Set("zkeyOpen", Napi::Function::New(env, ZkeyOpen, "zkeyOpen"));
  exports.Set("zkeyGetInfo", Napi::Function::New(env, ZkeyGetInfo, "zkeyGetInfo"));
  exports.Set("zkeyClose", Napi::Function::New(env, ZkeyClose, "zkeyClose"));
  exports.Set("defaultProveConfig",
              Napi::Function::New(env, DefaultProveConfig, "defaultProveConfig"));
  // pm_groth16_prove + pm_proof_json/public_json/device/destroy: one call, the proof handle
  // never reaches JS (its text is copied out and the handle destroyed on the worker).
  exports.Set("groth16Prove", Napi::Function::New(env, Groth16Prove, "groth16Prove"));
  exports.Set("devSetupR1cs", Napi::Function::New(env, DevSetupR1cs, "devSetupR1cs"));
  exports.Set("devSetupSynthetic",
              Napi::Function::New(env, DevSetupSynthetic, "devSetupSynthetic"));
  return exports;
}

}  // namespace

NODE_API_MODULE(proofmarket_native, Init)
