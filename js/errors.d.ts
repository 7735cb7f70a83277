/** Stable machine-readable codes of the package's errors. */
export type InstaclustrErrorCode =
    | "INSTACLUSTR_ERROR"
    | "CLIENT_FREED"
    | "VALIDATION_ERROR"
    | "API_ERROR"
    | "DECODE_ERROR"
    | "NETWORK_ERROR"
    | "TIMEOUT_ERROR"
    | "ABORT_ERROR"
    | "WAITER_ERROR";

/**
 * Every error the package throws, one union discriminated by `code`: after
 * `e instanceof InstaclustrError`, `e.code === "API_ERROR"` narrows `e` to an `ApiError`.
 */
export type AnyInstaclustrError =
    | ValidationError
    | ApiError
    | DecodeError
    | NetworkError
    | TimeoutError
    | AbortError
    | WaiterError
    | ClientFreedError
    | OtherInstaclustrError;

/** A method of an `InstaclustrClient` called after its `free()`. */
export interface ClientFreedError extends InstaclustrError {
    readonly code: "CLIENT_FREED";
}

/** An `InstaclustrError` of no subclass (one constructed by an application). */
export interface OtherInstaclustrError extends InstaclustrError {
    readonly code: "INSTACLUSTR_ERROR";
}

/** Base class of every error thrown by the package. Never carries the API key. */
export declare class InstaclustrError extends Error {
    /** `instanceof` narrows to the union of the package's errors, discriminated by `code`. */
    static [Symbol.hasInstance](value: unknown): value is AnyInstaclustrError;
    readonly code: InstaclustrErrorCode;
    /** The operation of the call (`getCluster`, ...), when the error comes from one. */
    operation?: string;
    /** Attempts made (1 = no retry). */
    attempts?: number;
    /** Time from the call to the failure, ms. */
    elapsedMs?: number;
    /** True when a request that changes state may have taken effect although the call failed. */
    outcomeUnknown?: boolean;
    /** What to check before repeating the call, when `outcomeUnknown` (e.g. how to find a cluster). */
    hint?: string;
    /** Response headers of interest of the last answer (`retry-after`, request IDs), secrets masked. */
    headers?: Record<string, string>;
    /** The last answer's `Retry-After`, in ms. */
    retryAfterMs?: number;
    constructor(message: string, props?: Record<string, unknown>);
    /** Every public property as a plain object. */
    toJSON(): Record<string, unknown>;
}

/** The input was invalid; nothing was sent. */
export declare class ValidationError extends InstaclustrError {
    static [Symbol.hasInstance](value: unknown): value is ValidationError;
    readonly code: "VALIDATION_ERROR";
    violations: Violation[];
}

/** The API answered with a non-2xx status. */
export declare class ApiError extends InstaclustrError {
    static [Symbol.hasInstance](value: unknown): value is ApiError;
    readonly code: "API_ERROR";
    status: number;
    /** The `ErrorListResponseV2` errors (empty when the body was not an error list). */
    errors: ErrorResponse[];
    /** The body as text (truncated) when it was not an error list. */
    raw?: string;
}

/** A 2xx body that is not what the API document describes. */
export declare class DecodeError extends InstaclustrError {
    static [Symbol.hasInstance](value: unknown): value is DecodeError;
    readonly code: "DECODE_ERROR";
}

/** The request failed on the network. */
export declare class NetworkError extends InstaclustrError {
    static [Symbol.hasInstance](value: unknown): value is NetworkError;
    readonly code: "NETWORK_ERROR";
    /** True when the request may have reached the server (a POST may have taken effect). */
    outcomeUnknown: boolean;
}

/** No answer in time (`timeoutMs`, or a signal of `AbortSignal.timeout`, then its reason is the `cause`). */
export declare class TimeoutError extends InstaclustrError {
    static [Symbol.hasInstance](value: unknown): value is TimeoutError;
    readonly code: "TIMEOUT_ERROR";
    /** True when the request may have reached the server. */
    outcomeUnknown: boolean;
}

/** Cancelled through an `AbortSignal`; `cause` is the signal's `reason`. */
export declare class AbortError extends InstaclustrError {
    static [Symbol.hasInstance](value: unknown): value is AbortError;
    readonly code: "ABORT_ERROR";
}

/** A waiter saw a terminal state or ran out of time. */
export declare class WaiterError extends InstaclustrError {
    static [Symbol.hasInstance](value: unknown): value is WaiterError;
    readonly code: "WAITER_ERROR";
    /** Last status observed. */
    lastStatus?: string;
}
