// Error classes of the package, defined once: the wasm module imports `createError` from this
// file (scripts/build puts it inline in web.js and node.cjs, beside the glue) and the package
// entries export the very same classes, so `err instanceof ApiError` holds for errors thrown by
// the module.
//
// Every error has a stable `code` (the same strings as `Error::code()` in crates/core/src/error.rs), a
// fixed `name` (not the class name, which minifiers rename) and a `toJSON()`. Optional context:
// `operation`, `attempts`, `elapsedMs`. No error ever carries the API key.

/** Base class of every error thrown by the package. */
export class InstaclustrError extends Error {
  constructor(message, props) {
    super(message);
    Object.defineProperty(this, "name", { value: "InstaclustrError", writable: true, configurable: true });
    this.code = "INSTACLUSTR_ERROR";
    assign(this, props);
  }

  /** A plain object with every public property, for logs and `JSON.stringify`. */
  toJSON() {
    const out = { name: this.name, code: this.code, message: this.message };
    for (const key of Object.keys(this)) {
      if (key !== "cause" && this[key] !== undefined) out[key] = this[key];
    }
    return out;
  }
}

function assign(target, props) {
  if (props === null || typeof props !== "object") return;
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined && key !== "name" && key !== "message" && key !== "stack") target[key] = value;
  }
}

function define(name, code, fields) {
  const cls = {
    [name]: class extends InstaclustrError {
      constructor(message, props) {
        super(message);
        Object.defineProperty(this, "name", { value: name, writable: true, configurable: true });
        this.code = code;
        for (const [key, init] of Object.entries(fields)) this[key] = init();
        assign(this, props);
      }
    },
  }[name];
  return cls;
}

/** The input was invalid; nothing was sent. `violations`: `{ path, code, message }[]`. */
export const ValidationError = define("ValidationError", "VALIDATION_ERROR", { violations: () => [] });
/** The API answered with a non-2xx status: `status`, `errors` (`{ name?, message? }[]`), `raw?`. */
export const ApiError = define("ApiError", "API_ERROR", { status: () => 0, errors: () => [] });
/** A 2xx body that is not what the API document describes. */
export const DecodeError = define("DecodeError", "DECODE_ERROR", {});
/** The request failed on the network; `outcomeUnknown` when it may have reached the server. */
export const NetworkError = define("NetworkError", "NETWORK_ERROR", { outcomeUnknown: () => false });
/** No answer in time; `outcomeUnknown` when the request may have reached the server. */
export const TimeoutError = define("TimeoutError", "TIMEOUT_ERROR", { outcomeUnknown: () => false });
/** Cancelled through an `AbortSignal`. */
export const AbortError = define("AbortError", "ABORT_ERROR", {});
/** A waiter saw a terminal state or ran out of time; `lastStatus` is the last status seen. */
export const WaiterError = define("WaiterError", "WAITER_ERROR", {});

const BY_CODE = {
  VALIDATION_ERROR: ValidationError,
  API_ERROR: ApiError,
  DECODE_ERROR: DecodeError,
  NETWORK_ERROR: NetworkError,
  TIMEOUT_ERROR: TimeoutError,
  ABORT_ERROR: AbortError,
  WAITER_ERROR: WaiterError,
};

/**
 * Used by the package entries, once: after `free()` (or the end of a `using` block), an
 * `InstaclustrClient` says so at once rather than failing inside the wasm (`null pointer passed
 * to rust`): every method rejects with an `InstaclustrError` of code `CLIENT_FREED`, and
 * `free()` again does nothing. The freed object takes a prototype of its own (still an
 * `instanceof` the class), so a live client's calls pay nothing for this.
 */
export function guardFreed(cls) {
  const proto = cls.prototype;
  const free = proto.free;
  const freed = Object.create(proto);
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === "constructor" || name === "free" || name.startsWith("__") || typeof proto[name] !== "function")
      continue;
    freed[name] = () =>
      Promise.reject(
        new InstaclustrError(
          `${name}: this InstaclustrClient was freed (free() or the end of its using block): create a new one`,
          {
            code: "CLIENT_FREED",
            operation: name,
          },
        ),
      );
  }
  freed.free = () => {};
  proto.free = function () {
    free.call(this);
    Object.setPrototypeOf(this, freed);
  };
  if (typeof Symbol.dispose === "symbol") {
    proto[Symbol.dispose] = proto.free;
    freed[Symbol.dispose] = freed.free;
  }
}

/** Used by the wasm module: the error of class `code` with `message` and properties `props`. */
export function createError(code, message, props) {
  const Cls = Object.prototype.hasOwnProperty.call(BY_CODE, code) ? BY_CODE[code] : InstaclustrError;
  return new Cls(message, props);
}
